package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// london is the time zone meetings are arranged in.
var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// loadSupport fills the "support" page: buddies, meetings and, for leads
// and facilitators, the members whose needs they may read.
func (s *Server) loadSupport(r *http.Request, v *views.StepView, forms stepForms) error {
	ctx := r.Context()
	var err error
	if v.Buddies, err = s.store.Buddies(ctx, v.Project.ID); err != nil {
		return err
	}
	if v.Meetings, err = s.store.Meetings(ctx, v.Project.ID); err != nil {
		return err
	}
	if v.Access.CanFacilitate() {
		if v.Members, err = s.store.Members(ctx, v.Project.ID); err != nil {
			return err
		}
	}
	v.MeetingForm = formOr(forms.meeting, nil)
	v.BuddyForm = formOr(forms.buddy, nil)
	return nil
}

func profileFromForm(f url.Values, userID int64) coproduce.SupportProfile {
	on := func(k string) bool { return f.Get(k) == "yes" }
	return coproduce.SupportProfile{UserID: userID,
		LargePrint: on("large_print"), EasyRead: on("easy_read"), BSLInterpreter: on("bsl_interpreter"),
		LanguageInterpreter: coproduce.OneLine(f.Get("language_interpreter")), HearingLoop: on("hearing_loop"),
		StepFree: on("step_free"), AccessibleToilet: on("accessible_toilet"), Breaks: on("breaks"),
		GoodTimes: coproduce.CleanText(f.Get("good_times")), BadTimes: coproduce.CleanText(f.Get("bad_times")),
		CarerAttending: on("carer_attending"), Dietary: coproduce.CleanText(f.Get("dietary")), Other: coproduce.CleanText(f.Get("other"))}
}

func profileValues(p coproduce.SupportProfile) url.Values {
	v := url.Values{"language_interpreter": {p.LanguageInterpreter}, "good_times": {p.GoodTimes},
		"bad_times": {p.BadTimes}, "dietary": {p.Dietary}, "other": {p.Other}}
	for _, need := range p.Needs() {
		v.Set(need, "yes")
	}
	return v
}

// editSupport shows a member their own support profile to change.
func (s *Server) editSupport(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	prof, err := s.store.SupportProfile(r.Context(), access.User.ID, p.ID, access.User.ID)
	if err != nil {
		return err
	}
	return s.renderSupportEdit(w, r, http.StatusOK, views.NewForm(profileValues(prof), nil))
}

func (s *Server) renderSupportEdit(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	p, _ := projectFrom(r.Context())
	page := s.page(r, "support.edit_title")
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.SupportEditPage(page, *p, f))
}

func (s *Server) saveSupport(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	prof := profileFromForm(r.PostForm, access.User.ID)
	if verr := asValidation(prof.Validate()); verr != nil {
		return s.renderSupportEdit(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr))
	}
	if err := s.store.SaveSupportProfile(r.Context(), prof); err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepSupport, "?notice=support-saved"))
}

// showMemberSupport shows a member's needs to a lead or facilitator; the
// read is audited. Nobody else may see another person's needs.
func (s *Server) showMemberSupport(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil {
		return coproduce.ErrNotFound
	}
	role, err := s.store.ProjectRoleOf(r.Context(), p.ID, id)
	if err != nil {
		return err
	}
	if role == "" {
		return coproduce.ErrNotFound
	}
	u, err := s.store.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	prof, err := s.store.SupportProfile(r.Context(), access.User.ID, p.ID, id)
	if err != nil {
		return err
	}
	page := s.page(r, "support.member_title")
	page.Nav = "projects"
	return s.render(w, r, http.StatusOK, views.MemberSupportPage(page, *p, u.Name, prof))
}

func (s *Server) setBuddy(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanManage() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	partner, err1 := strconv.ParseInt(r.PostForm.Get("partner"), 10, 64)
	buddy, err2 := strconv.ParseInt(r.PostForm.Get("buddy"), 10, 64)
	v := &coproduce.ValidationError{}
	partnerRole, _ := s.store.ProjectRoleOf(r.Context(), p.ID, partner)
	buddyRole, _ := s.store.ProjectRoleOf(r.Context(), p.ID, buddy)
	if err1 != nil || partnerRole != coproduce.RoleLayPartner {
		v.Add("partner", "error.buddy.partner_required")
	}
	if err2 != nil || buddyRole == "" || buddyRole == coproduce.RoleLayPartner {
		v.Add("buddy", "error.buddy.staff_required")
	}
	if v.Err() != nil {
		f := views.NewForm(r.PostForm, v)
		return s.renderStep(w, r, http.StatusUnprocessableEntity, coproduce.StepSupport, stepForms{buddy: &f})
	}
	if err := s.store.SetBuddy(r.Context(), access.User.ID, p.ID, partner, buddy); err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepSupport, "?notice=buddy-saved"))
}
