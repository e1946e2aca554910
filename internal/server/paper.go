package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/web/views"
)

// maxPaperTitle is the database's limit on a paper's title.
const maxPaperTitle = 200

// The paper forms' fields, shared with web/views.
const (
	paperTitleField   = views.PaperTitleField
	paperItemField    = views.PaperItemField
	paperVersionField = views.PaperVersionField
	paperFileField    = views.PaperFileField
	papersDueField    = views.PapersDueField
)

// meetingPapers reads what a meeting's page shows of its papers. form is
// the paper forms as sent, with their errors, or nil for empty forms.
func (s *Server) meetingPapers(r *http.Request, m coproduce.Meeting, form *views.Form) (views.PapersView, error) {
	p, access := projectFrom(r.Context())
	mp, err := s.store.MeetingPapers(r.Context(), p.ID, m.ID)
	if err != nil {
		return views.PapersView{}, err
	}
	f := views.NewForm(nil, nil)
	if form != nil {
		f = *form
	}
	if access.CanFacilitate() {
		token, err := newToken()
		if err != nil {
			return views.PapersView{}, err
		}
		f.Values.Set("form_token", token)
	}
	return views.PapersView{MeetingPapers: mp, Form: f}, nil
}

// addPaper takes a paper, or a large-print or easy-read version of one,
// checked by its content (never its name) to be a PDF, Word or
// OpenDocument text, plain text, PNG or JPEG file of up to 10 MB.
func (s *Server) addPaper(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	m, err := s.meetingParam(r)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return errBadRequest
	}
	if countValues(r.PostForm) > maxFormValues {
		return errBadRequest
	}
	if err := cleanFormText(r.PostForm); err != nil {
		return err
	}
	f := r.PostForm
	v := &coproduce.ValidationError{}
	np := postgres.NewPaper{MeetingID: m.ID, Version: coproduce.PaperStandard, FormToken: f.Get("form_token")}
	title := coproduce.OneLine(f.Get(paperTitleField))
	if len([]rune(title)) > maxPaperTitle {
		v.Add(paperTitleField, coproduce.TooLong(maxPaperTitle))
	}
	if item := f.Get(paperItemField); item != "" {
		if np.AgendaItemID, err = strconv.ParseInt(item, 10, 64); err != nil {
			return errBadRequest
		}
	}
	if version := f.Get(paperVersionField); version != "" {
		kind, of, _ := strings.Cut(version, ":")
		np.Version = coproduce.PaperVersion(kind)
		if np.VersionOf, err = strconv.ParseInt(of, 10, 64); err != nil || (np.Version != coproduce.PaperLargePrint && np.Version != coproduce.PaperEasyRead) {
			return errBadRequest
		}
		np.AgendaItemID = 0 // a version goes where its paper is
	}
	np.Data, np.ContentType, np.FileName = readPaper(r, v)
	if v.Err() == nil {
		np.Title = title
		if np.Title == "" {
			np.Title = coproduce.PaperTitle(np.FileName)
		}
		_, err = s.store.AddPaper(r.Context(), access.User.ID, p.ID, np)
		switch {
		case errors.Is(err, postgres.ErrNoSuchOriginal):
			v.Add(paperVersionField, "error.paper.no_original")
		case errors.Is(err, coproduce.ErrConflict):
			v.Add(paperVersionField, "error.paper.version_exists")
		case errors.Is(err, coproduce.ErrNotFound) && np.AgendaItemID != 0:
			v.Add(paperItemField, "error.paper.no_item")
		case err != nil:
			return err
		}
	}
	if v.Err() != nil {
		form := views.NewForm(f, v)
		return s.renderMeetingWith(w, r, m, false, &form)
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=paper-added#papers"))
}

// readPaper reads the uploaded file, adding a field error when there is
// none, it is too big, or it is not one of the types a paper may be. It
// returns the bytes, what they really are, and a safe name.
func readPaper(r *http.Request, v *coproduce.ValidationError) (data []byte, contentType, name string) {
	file, header, err := r.FormFile(paperFileField)
	if errors.Is(err, http.ErrMissingFile) {
		v.Add(paperFileField, "error.paper.required")
		return nil, "", ""
	}
	if err != nil {
		v.Add(paperFileField, "error.paper.type")
		return nil, "", ""
	}
	defer file.Close()
	data, err = io.ReadAll(io.LimitReader(file, coproduce.MaxPaperBytes+1))
	switch {
	case err != nil:
		v.Add(paperFileField, "error.paper.type")
		return nil, "", ""
	case len(data) > coproduce.MaxPaperBytes:
		v.Add(paperFileField, "error.paper.too_big")
		return nil, "", ""
	case len(data) == 0:
		v.Add(paperFileField, "error.paper.empty")
		return nil, "", ""
	}
	contentType, ok := coproduce.PaperType(data)
	if !ok {
		v.Add(paperFileField, "error.paper.type")
		return nil, "", ""
	}
	return data, contentType, coproduce.PaperFileName(header.Filename, contentType)
}

// setPapersDue changes how many days before the meeting papers are due.
func (s *Server) setPapersDue(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	m, err := s.meetingParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	days, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get(papersDueField)))
	if err != nil || days < 0 || days > coproduce.MaxPapersDue {
		form := views.NewForm(r.PostForm, &coproduce.ValidationError{Fields: []coproduce.FieldError{{Field: papersDueField, Message: "error.paper.due_days"}}})
		return s.renderMeetingWith(w, r, m, false, &form)
	}
	if err := s.store.SetPapersDue(r.Context(), access.User.ID, p.ID, m.ID, days); err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=papers-due-saved#papers"))
}

func (s *Server) paperParam(r *http.Request) (coproduce.Meeting, int64, error) {
	m, err := s.meetingParam(r)
	if err != nil {
		return m, 0, err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "paperID"), 10, 64)
	if err != nil {
		return m, 0, coproduce.ErrNotFound
	}
	return m, id, nil
}

// downloadPaper gives a paper to the project's members, checked on every
// download, as an attachment under its safe name, never shown in the
// page's place nor sniffed as anything but what it was checked to be.
func (s *Server) downloadPaper(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	m, id, err := s.paperParam(r)
	if err != nil {
		return err
	}
	name, ct, data, err := s.store.PaperFile(r.Context(), p.ID, m.ID, id)
	if err != nil {
		return err
	}
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disposition == "" {
		disposition = `attachment; filename="paper-` + strconv.FormatInt(id, 10) + `"`
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", disposition)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
	return nil
}

// confirmRemovePaper asks a lead or facilitator to confirm removing a
// paper.
func (s *Server) confirmRemovePaper(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	m, id, err := s.paperParam(r)
	if err != nil {
		return err
	}
	paper, err := s.store.Paper(r.Context(), p.ID, m.ID, id)
	if err != nil {
		return err
	}
	page := s.page(r, "paper.remove_title")
	page.Nav = "projects"
	return s.render(w, r, http.StatusOK, views.RemovePaperPage(page, *p, m, paper))
}

// removePaper removes a paper, and its versions with it.
func (s *Server) removePaper(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	m, id, err := s.paperParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.store.RemovePaper(r.Context(), access.User.ID, p.ID, m.ID, id); err != nil {
		return err
	}
	return redirect(w, r, meetingPath(p.ID, m.ID, "?notice=paper-removed#papers"))
}
