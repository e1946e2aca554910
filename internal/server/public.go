package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"unicode"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/web/views"
)

// setPublished turns the project's public page on or off; a lead's choice.
func (s *Server) setPublished(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	on := r.PostForm.Get("published") == "yes"
	if on {
		// A lead publishes exactly what they previewed: if the page would
		// now show something else (an idea answered since), or they never
		// saw it, they are shown the preview again.
		v, err := s.publicView(r, p)
		if err != nil {
			return err
		}
		if len(v.Missing) > 0 {
			// A bilingual project publishes in both languages or not at
			// all: the lead is shown what is still to write.
			page := s.page(r, "public.preview.title")
			page.Nav = "projects"
			page.HasErrors = true
			return s.render(w, r, http.StatusUnprocessableEntity, views.PublicPreviewPage(page, v, publicFingerprint(v)))
		}
		if r.PostForm.Get("previewed") != publicFingerprint(v) {
			return redirect(w, r, projectPath(p.ID, "/public-preview?notice=public-changed"))
		}
	}
	slug, err := newSlug(p.Title)
	if err != nil {
		return err
	}
	if err := s.store.SetPublished(r.Context(), access.User.ID, p.ID, on, slug); err != nil {
		return err
	}
	notice := "unpublished"
	if on {
		notice = "published"
	}
	return redirect(w, r, projectPath(p.ID, "/reports?notice="+notice))
}

// newSlug makes a readable, unguessable address from a title.
func newSlug(title string) (string, error) {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	suffix := make([]byte, 3)
	if _, err := rand.Read(suffix); err != nil {
		return "", err
	}
	return strings.Trim(b.String(), "-") + "-" + hex.EncodeToString(suffix), nil
}

// showPublic is a project's public page: its purpose, progress and "you
// said, we did", with no personal data: no names, no emails, no owners, and
// members' names in its free text replaced by their pseudonyms.
func (s *Server) showPublic(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := s.store.PublishedProject(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	v, err := s.publicView(r, p)
	if err != nil {
		return err
	}
	page := s.page(r, "")
	page.TitleText = v.Project.TitleIn(i18n.FromContext(ctx).Lang())
	page.User = nil // the public page looks the same to everyone
	return s.render(w, r, http.StatusOK, views.PublicPage(page, v))
}

// previewPublic shows a lead exactly what the public page will show, with
// the button that publishes it.
func (s *Server) previewPublic(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	v, err := s.publicView(r, p)
	if err != nil {
		return err
	}
	page := s.page(r, "public.preview.title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	return s.render(w, r, http.StatusOK, views.PublicPreviewPage(page, v, publicFingerprint(v)))
}

// publicView gathers what the public page shows. Nobody is named on it:
// a member's name inside free text becomes their role and number, as in
// the reports.
func (s *Server) publicView(r *http.Request, p *coproduce.Project) (views.PublicView, error) {
	ctx := r.Context()
	v := views.PublicView{Project: *p}
	var err error
	if v.Stages, err = s.store.Stages(ctx, p.ID); err != nil {
		return v, err
	}
	purpose, err := s.store.CurrentPurpose(ctx, p.ID)
	switch {
	case err == nil:
		v.Purpose, v.PurposeCy = purpose.Purpose, purpose.PurposeCy
		if p.Bilingual && !purpose.Bilingual() {
			v.Missing = append(v.Missing, views.Gap{Message: "public.gaps.purpose",
				Href: stepPath(p.ID, coproduce.StepBeClear, "/purpose")})
		}
	case !errors.Is(err, coproduce.ErrNotFound):
		return v, err
	}
	proposals, err := s.store.Proposals(ctx, p.ID)
	if err != nil {
		return v, err
	}
	for _, pr := range proposals {
		if pr.Response != "" { // answered: not waiting, nor withdrawn
			v.Answered = append(v.Answered, pr)
		}
	}
	if v.Actions, err = s.store.Actions(ctx, p.ID); err != nil {
		return v, err
	}
	members, err := s.store.ReportMembers(ctx, p.ID)
	if err != nil {
		return v, err
	}
	l := i18n.FromContext(ctx)
	namer := coproduce.NewNamer(members, func(role coproduce.ProjectRole) string { return l.T("project_role." + string(role)) },
		l.T("report.former"))
	namer.Ambiguous, namer.NameNobody = l.T("report.ambiguous_name"), true
	sc := namer.Scrub
	v.Project.Title, v.Project.Summary, v.Purpose = sc(v.Project.Title), sc(v.Project.Summary), sc(v.Purpose)
	v.Project.TitleCy, v.Project.SummaryCy, v.PurposeCy = sc(v.Project.TitleCy), sc(v.Project.SummaryCy), sc(v.PurposeCy)
	for i := range v.Answered {
		v.Answered[i].Title, v.Answered[i].Rationale = sc(v.Answered[i].Title), sc(v.Answered[i].Rationale)
	}
	for _, list := range v.Actions {
		for i := range list {
			list[i].Description = sc(list[i].Description)
		}
	}
	return v, nil
}

// publicFingerprint identifies what a public page shows: the same view gives
// the same fingerprint, and any change to what it would show a new one.
func publicFingerprint(v views.PublicView) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
