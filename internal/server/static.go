package server

import (
	"io/fs"
	"net/http"
	"strings"
)

// staticFiles serves dir of the static file system under prefix. Files are
// cached for an hour; directory listings are refused.
func (s *Server) staticFiles(prefix, dir string) http.Handler {
	sub, err := fs.Sub(s.cfg.Static, dir)
	if err != nil {
		panic(err) // dir is a constant in the route table
	}
	files := http.StripPrefix(prefix, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			s.errorPage(w, r, http.StatusNotFound)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
