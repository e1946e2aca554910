package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	if err := setFormToken(&v.MeetingForm); err != nil {
		return err
	}
	v.BuddyForm = formOr(forms.buddy, nil)
	return nil
}

func profileFromForm(f url.Values, projectID, userID int64) coproduce.SupportProfile {
	on := func(k string) bool { return f.Get(k) == "yes" }
	return coproduce.SupportProfile{ProjectID: projectID, UserID: userID,
		LargePrint: on("large_print"), EasyRead: on("easy_read"), BSLInterpreter: on("bsl_interpreter"),
		LanguageInterpreter: coproduce.OneLine(f.Get("language_interpreter")), HearingLoop: on("hearing_loop"),
		StepFree: on("step_free"), AccessibleToilet: on("accessible_toilet"), Breaks: on("breaks"),
		GoodTimes: coproduce.CleanText(f.Get("good_times")), BadTimes: coproduce.CleanText(f.Get("bad_times")),
		CarerAttending: on("carer_attending"), Dietary: coproduce.CleanText(f.Get("dietary")), Other: coproduce.CleanText(f.Get("other")),
		NotBefore: strings.TrimSpace(f.Get("not_before")), NotAfter: strings.TrimSpace(f.Get("not_after")),
		ScreenReader: on("screen_reader"), Braille: on("braille"), Audio: on("audio"),
		PlainTextEmail: on("plain_text_email"), Advocate: on("advocate"), ShareFlags: f.Get("share_flags") == "yes",
		Contact: coproduce.MemberContact{Way: coproduce.ContactWay(f.Get("contact_way")),
			Phone: coproduce.OneLine(f.Get("phone")), Address: coproduce.CleanText(f.Get("address"))}}
}

func profileValues(p coproduce.SupportProfile) url.Values {
	v := url.Values{}
	for _, need := range p.CommunicationNeeds() {
		v.Set(need, "yes")
	}
	for _, need := range p.Needs() {
		v.Set(need, "yes")
	}
	// After the ticks: the interpreter's language and the food and drink
	// needs are needs too, whose fields hold words, not "yes".
	for k, words := range map[string]string{"language_interpreter": p.LanguageInterpreter, "good_times": p.GoodTimes,
		"bad_times": p.BadTimes, "dietary": p.Dietary, "other": p.Other, "not_before": p.NotBefore, "not_after": p.NotAfter} {
		v.Set(k, words)
	}
	v.Set("share_flags", "no")
	if p.ShareFlags {
		v.Set("share_flags", "yes")
	}
	if c := p.Contact; c.Way != "" {
		v.Set("contact_way", string(c.Way))
		v.Set("phone", c.Phone)
		v.Set("address", c.Address)
	}
	return v
}

// editSupport shows a member what they told this project they need, to
// change, and every reading of it by someone else.
func (s *Server) editSupport(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	// Opened by a facilitator recording for the member, the reading is
	// theirs, and audited as such.
	prof, err := s.store.SupportProfile(r.Context(), userFrom(r.Context()).ID, p.ID, access.User.ID)
	if err != nil {
		return err
	}
	return s.renderSupportEdit(w, r, http.StatusOK, views.NewForm(profileValues(prof), nil), prof.Recorded)
}

func (s *Server) renderSupportEdit(w http.ResponseWriter, r *http.Request, status int, f views.Form, recorded coproduce.Recorded) error {
	p, access := projectFrom(r.Context())
	var reads []coproduce.SupportRead
	var sources []coproduce.SupportSource
	// A facilitator recording for the member sees neither who has read
	// their needs nor what they told other projects: those are theirs.
	if _, proxy := coproduce.OnBehalfFrom(r.Context()); !proxy {
		var err error
		if reads, err = s.store.SupportReads(r.Context(), p.ID, access.User.ID); err != nil {
			return err
		}
		if sources, err = s.store.SupportSources(r.Context(), access.User.ID, p.ID); err != nil {
			return err
		}
	}
	page := s.page(r, "support.edit_title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.SupportEditPage(page, *p, f, reads, len(sources) > 0, recorded, access.User.Name))
}

// showSupportCopy offers the person what they told their other projects,
// to copy into this one if they choose, and names who here will see it.
func (s *Server) showSupportCopy(w http.ResponseWriter, r *http.Request) error {
	return s.renderSupportCopy(w, r, http.StatusOK, views.NewForm(nil, nil))
}

func (s *Server) renderSupportCopy(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	sources, err := s.store.SupportSources(r.Context(), access.User.ID, p.ID)
	if err != nil {
		return err
	}
	members, err := s.store.Members(r.Context(), p.ID)
	if err != nil {
		return err
	}
	v := views.SupportCopyView{Project: *p, Sources: sources, Form: f}
	for _, m := range members {
		if (m.Role == coproduce.RoleLead || m.Role == coproduce.RoleFacilitator) && m.UserID != access.User.ID {
			v.Readers = append(v.Readers, m)
		}
	}
	page := s.page(r, "support.copy_title")
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.SupportCopyPage(page, v))
}

// copySupport copies, on the person's explicit choice, what they told one
// of their other projects into this one. Only their own needs, only from
// projects they are a member of.
func (s *Server) copySupport(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	var from int64
	switch v := r.PostForm.Get("from"); v {
	case "":
		verr := &coproduce.ValidationError{}
		verr.Add("from", "support.error.copy_choose")
		return s.renderSupportCopy(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr))
	case "earlier":
	default:
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 || id == p.ID {
			return coproduce.ErrNotFound
		}
		from = id
	}
	if err := s.store.CopySupportProfile(r.Context(), access.User.ID, p.ID, from); err != nil {
		return err
	}
	return redirect(w, r, projectPath(p.ID, "/support/me?notice=support-copied"))
}

func (s *Server) saveSupport(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.IsMember() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	prof := profileFromForm(r.PostForm, p.ID, access.User.ID)
	verr := asValidation(prof.Validate())
	if prof.Contact.Way == coproduce.ContactEmail && access.User.Email == "" {
		// Someone who takes part without email cannot be reached by it.
		if verr == nil {
			verr = &coproduce.ValidationError{}
		}
		verr.Add("contact_way", "comms.error.no_email")
	}
	if verr != nil {
		return s.renderSupportEdit(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, verr), coproduce.Recorded{})
	}
	if err := s.store.SaveSupportProfile(r.Context(), prof); err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepSupport, "?notice=support-saved"))
}

// showMemberSupport shows a lead or facilitator what a member told this
// project they need (never what they told another project); the read is
// audited, and the member sees it on their own support page. Nobody else
// may see another person's needs.
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
