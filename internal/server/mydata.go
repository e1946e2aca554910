package server

import (
	"encoding/json"
	"net/http"
)

// downloadMyData gives a signed-in person everything held about them, as
// JSON (UK GDPR right of access). The download is audited.
func (s *Server) downloadMyData(w http.ResponseWriter, r *http.Request) error {
	d, err := s.store.PersonalData(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="my-coproduce-data.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}
