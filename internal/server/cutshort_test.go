package server

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A download that fails before sending anything gets its error page; one
// that fails halfway breaks the connection, so that the browser says the
// download failed rather than keeping half a file as if it were whole.
func TestADownloadThatFailsHalfwayIsCutShort(t *testing.T) {
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r := httptest.NewRequest(http.MethodGet, "/projects/1/reports/build.csv", nil)
	failed := errors.New("the database stopped")

	w := &startedWriter{ResponseWriter: httptest.NewRecorder()}
	if err := s.cutShort(r, w, failed); err != failed {
		t.Errorf("nothing sent yet: %v, want the error for its page", err)
	}
	if err := s.cutShort(r, w, nil); err != nil {
		t.Errorf("a whole download: %v", err)
	}

	_, _ = w.Write([]byte("id,idea\n1,"))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("half sent: recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	_ = s.cutShort(r, w, failed)
	t.Error("half sent: the handler carried on")
}
