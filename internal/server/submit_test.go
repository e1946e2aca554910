package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/csvsafe"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// A test submits a form as a person does: it opens the page, finds the form
// by the words on its button, fills fields by their labels and posts the
// form's own field names and hidden values to the form's own action. A
// renamed field or a missing hidden value then fails the test, as it would
// fail the person.
//
//	res := c.open(t, "/projects/1/claims").
//		form("Reject claim").fill("Why are you rejecting it?", "No receipt").submit()

// page is a page as the browser received it.
type page struct {
	t    *testing.T
	c    *client
	path string
	doc  *goquery.Document
}

// open gets a page, which must answer 200.
func (c *client) open(t *testing.T, path string) *page {
	t.Helper()
	res := c.get(path)
	wantStatus(t, res, http.StatusOK)
	return &page{t: t, c: c, path: path, doc: doc(t, res)}
}

// pageOf reads a page from a response already received, such as a form
// shown again with its errors.
func (c *client) pageOf(t *testing.T, path string, res *httptest.ResponseRecorder) *page {
	return &page{t: t, c: c, path: path, doc: doc(t, res)}
}

// filledForm is one form with the values a person has given so far.
type filledForm struct {
	p      *page
	sel    *goquery.Selection
	button *goquery.Selection
	values url.Values
	files  map[string]upload
}

type upload struct {
	filename string
	content  []byte
}

// form finds the one form whose submit button says button (its text or
// value, spaces folded), and starts from the values the page put in it.
func (p *page) form(button string) *filledForm {
	p.t.Helper()
	var found []*filledForm
	p.doc.Find("form").Each(func(_ int, f *goquery.Selection) {
		f.Find(`button, input[type="submit"]`).Each(func(_ int, b *goquery.Selection) {
			if t, ok := b.Attr("type"); ok && t != "submit" {
				return
			}
			if fold(b.Text()) == fold(button) || fold(b.AttrOr("value", "")) == fold(button) {
				found = append(found, &filledForm{p: p, sel: f, button: b, values: initialValues(f), files: map[string]upload{}})
			}
		})
	})
	if len(found) != 1 {
		p.t.Fatalf("%s: %d forms with a %q button, want 1", p.path, len(found), button)
	}
	return found[0]
}

// has reports whether the page has a form with this button.
func (p *page) has(button string) bool {
	n := 0
	p.doc.Find(`form button, form input[type="submit"]`).Each(func(_ int, b *goquery.Selection) {
		if fold(b.Text()) == fold(button) || fold(b.AttrOr("value", "")) == fold(button) {
			n++
		}
	})
	return n > 0
}

// initialValues are what the browser would send if the person typed nothing.
func initialValues(f *goquery.Selection) url.Values {
	v := url.Values{}
	f.Find("input, textarea, select").Each(func(_ int, in *goquery.Selection) {
		name, ok := in.Attr("name")
		if !ok || name == "" || in.AttrOr("disabled", "-") != "-" {
			return
		}
		switch {
		case goquery.NodeName(in) == "textarea":
			v.Add(name, in.Text())
		case goquery.NodeName(in) == "select":
			opt := in.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = in.Find("option").First()
			}
			if opt.Length() > 0 {
				v.Add(name, opt.AttrOr("value", opt.Text()))
			}
		default:
			switch in.AttrOr("type", "text") {
			case "submit", "button", "reset", "file", "image":
			case "checkbox", "radio":
				if _, checked := in.Attr("checked"); checked {
					v.Add(name, in.AttrOr("value", "on"))
				}
			default:
				v.Add(name, in.AttrOr("value", ""))
			}
		}
	})
	return v
}

// control finds the form control whose label says label: the label's text
// with its hint left out, spaces folded, equal to label, or failing that
// the only label that starts with it.
func (f *filledForm) control(label string) *goquery.Selection {
	f.p.t.Helper()
	var exact, prefix []*goquery.Selection
	f.sel.Find("label").Each(func(_ int, l *goquery.Selection) {
		words := fold(l.Clone().Find(".nhsuk-hint, .nhsuk-u-visually-hidden").Remove().End().Text())
		var in *goquery.Selection
		if id, ok := l.Attr("for"); ok {
			in = f.sel.Find("#" + id)
		} else {
			in = l.Find("input, textarea, select").First()
		}
		if in.Length() == 0 {
			return
		}
		switch {
		case words == fold(label):
			exact = append(exact, in)
		case strings.HasPrefix(words, fold(label)):
			prefix = append(prefix, in)
		}
	})
	if len(exact) == 1 {
		return exact[0]
	}
	if len(exact) == 0 && len(prefix) == 1 {
		return prefix[0]
	}
	f.p.t.Fatalf("%s: %d fields labelled %q (%d starting with it), want 1", f.p.path, len(exact), label, len(prefix))
	return nil
}

// fill types into the field labelled label, or picks the option of a
// select whose text or value is value.
func (f *filledForm) fill(label, value string) *filledForm {
	f.p.t.Helper()
	in := f.control(label)
	name := in.AttrOr("name", "")
	if name == "" {
		f.p.t.Fatalf("%s: the field labelled %q has no name", f.p.path, label)
	}
	if goquery.NodeName(in) == "select" {
		var picked string
		var ok bool
		in.Find("option").EachWithBreak(func(_ int, o *goquery.Selection) bool {
			if fold(o.Text()) == fold(value) || o.AttrOr("value", "") == value {
				picked, ok = o.AttrOr("value", o.Text()), true
				return false
			}
			return true
		})
		if !ok {
			f.p.t.Fatalf("%s: %q has no option %q", f.p.path, label, value)
		}
		value = picked
	}
	f.values.Set(name, value)
	return f
}

// check ticks the checkbox or picks the radio button labelled label.
func (f *filledForm) check(label string) *filledForm {
	f.p.t.Helper()
	in := f.control(label)
	name := in.AttrOr("name", "")
	if in.AttrOr("type", "") == "radio" {
		f.values.Set(name, in.AttrOr("value", "on"))
		return f
	}
	f.values.Add(name, in.AttrOr("value", "on"))
	return f
}

// uncheck clears the checkbox labelled label.
func (f *filledForm) uncheck(label string) *filledForm {
	f.p.t.Helper()
	in := f.control(label)
	name, value := in.AttrOr("name", ""), in.AttrOr("value", "on")
	kept := f.values[name][:0]
	for _, v := range f.values[name] {
		if v != value {
			kept = append(kept, v)
		}
	}
	f.values[name] = kept
	return f
}

// attach chooses a file for the file field labelled label.
func (f *filledForm) attach(label, filename string, content []byte) *filledForm {
	f.p.t.Helper()
	f.files[f.control(label).AttrOr("name", "")] = upload{filename, content}
	return f
}

// submit presses the button: it posts the values to the form's action (the
// page itself when it has none), as multipart when the form says so.
func (f *filledForm) submit() *httptest.ResponseRecorder {
	f.p.t.Helper()
	values := url.Values{}
	for k, v := range f.values {
		values[k] = append([]string(nil), v...)
	}
	if name, ok := f.button.Attr("name"); ok && name != "" {
		values.Add(name, f.button.AttrOr("value", ""))
	}
	action := f.sel.AttrOr("action", f.p.path)
	if action == "" {
		action = f.p.path
	}
	if strings.EqualFold(f.sel.AttrOr("method", "get"), "get") {
		return f.p.c.get(action + "?" + values.Encode())
	}
	if f.sel.AttrOr("enctype", "") != "multipart/form-data" {
		return f.p.c.post(action, values)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range values {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for name, up := range f.files {
		w, err := mw.CreateFormFile(name, up.filename)
		if err != nil {
			f.p.t.Fatal(err)
		}
		_, _ = w.Write(up.content)
	}
	_ = mw.Close()
	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, action, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", "http://coproduce.test")
	return f.p.c.do(req)
}

// follow gets where a redirect leads, as the browser would.
func (c *client) follow(t *testing.T, res *httptest.ResponseRecorder) *page {
	t.Helper()
	if res.Code != http.StatusSeeOther && res.Code != http.StatusFound {
		t.Fatalf("status = %d, want a redirect\n%s", res.Code, res.Body)
	}
	// The browser keeps the #fragment to itself.
	to, _, _ := strings.Cut(res.Header().Get("Location"), "#")
	return c.open(t, to)
}

func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// The form helper itself: the sign-in form filled by its labels signs in,
// and a wrong password shows the error with the email kept.
func TestSubmitFillsTheFormAsRendered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := pgtest.User(t, e.store, coproduce.RolePartner)
	c := e.client()
	res := c.open(t, "/sign-in").form("Sign in").
		fill("Email address", u.Email).fill("Password", "not-the-password").submit()
	wantStatus(t, res, http.StatusUnprocessableEntity)
	again := c.pageOf(t, "/sign-in", res)
	if got := again.doc.Find(`input[type="email"]`).AttrOr("value", ""); got != u.Email {
		t.Errorf("email kept as %q, want %q", got, u.Email)
	}
	res = again.form("Sign in").fill("Password", pgtest.Password).submit()
	wantRedirect(t, res, "/")
	if c.sessionCookie() == "" {
		t.Error("no session after signing in through the form")
	}
}

// readCSV reads a downloaded CSV file, which must start with the UTF-8 byte
// order mark that spreadsheets need to read it as UTF-8.
func readCSV(t *testing.T, file []byte) ([][]string, error) {
	t.Helper()
	rest, ok := bytes.CutPrefix(file, []byte(csvsafe.BOM))
	if !ok {
		t.Errorf("the CSV file does not start with the byte order mark: %.20q", file)
	}
	return csv.NewReader(bytes.NewReader(rest)).ReadAll()
}
