package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
)

// parseForm reads a posted form. A body over the limit stays a
// MaxBytesError (413); anything malformed is a 400.
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return fmt.Errorf("%w: %w", errBadRequest, err)
	}
	if countValues(r.PostForm) > maxFormValues {
		return fmt.Errorf("%w: more than %d form values", errBadRequest, maxFormValues)
	}
	return cleanFormText(r.PostForm)
}

// maxFormValues is far more than any of our forms has (the longest, a
// meeting's attendance, has one box per member), and bounds the work a
// hostile post of many tiny fields can cause.
const maxFormValues = 1000

func countValues(form url.Values) int {
	n := 0
	for _, vs := range form {
		n += len(vs)
	}
	return n
}

// cleanFormText refuses a form with a name or value that is not valid
// UTF-8 or holds a NUL byte: no browser sends these, and PostgreSQL cannot
// store them. Checked here once, every handler is covered, including fields
// that are only looked up (an email, a token) and never validated. It also
// closes any right-to-left override a value leaves open (passwords are left
// exactly as typed).
func cleanFormText(form url.Values) error {
	for k, vs := range form {
		if !coproduce.ValidText(k) {
			return errBadRequest
		}
		for i, v := range vs {
			if !coproduce.ValidText(v) {
				return errBadRequest
			}
			if !strings.Contains(k, "password") {
				vs[i] = coproduce.CloseBidi(v)
			}
		}
	}
	return nil
}

func hashSessionID(id string) []byte { return postgres.HashToken(id) }
