package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/web/views"
)

// Taking part offline: members who do not use email, added by a
// facilitator who took their agreement by phone, by post or in person;
// the letter printed for them, with a code to join online later; and
// invitations accepted by a facilitator after a phone call.

// joinCodeLimit is how many codes one address may try in throttleWindow:
// a code has 23^8 values, so guessing one is hopeless at this rate.
const joinCodeLimit = 10

func (s *Server) newOfflineMember(w http.ResponseWriter, r *http.Request) error {
	_, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	values := url.Values{"role": {string(coproduce.RoleLayPartner)}}
	return s.renderOfflineMember(w, r, http.StatusOK, views.NewForm(values, nil))
}

func (s *Server) renderOfflineMember(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	p, _ := projectFrom(r.Context())
	page := s.page(r, "offline.add_link")
	page.Nav = "projects"
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.OfflineMemberPage(page, *p, f))
}

// addOfflineMember adds a member who does not use email, once the
// facilitator confirms that the person agreed to take part.
func (s *Server) addOfflineMember(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	m := coproduce.OfflineMember{
		Name: f.Get("name"),
		Contact: coproduce.MemberContact{Way: coproduce.ContactWay(f.Get("contact_way")),
			Phone: f.Get("phone"), Address: f.Get("address")},
		Agreed:  coproduce.ContactWay(f.Get("agreed")),
		Confirm: f.Get("confirm") == "yes",
		Role:    coproduce.ProjectRole(f.Get("role")),
	}
	m.Normalize()
	if v := asValidation(m.Validate()); v != nil {
		return s.renderOfflineMember(w, r, http.StatusUnprocessableEntity, views.NewForm(f, v))
	}
	id, err := s.store.AddOfflineMember(r.Context(), access.User.ID, p.ID, m)
	if err != nil {
		return err
	}
	return redirect(w, r, views.MemberContactPath(p.ID, id)+"?notice=offline-member-added")
}

// showMemberContact shows how to reach a member: to the project's leads and
// facilitators, and to the person themself.
func (s *Server) showMemberContact(w http.ResponseWriter, r *http.Request) error {
	return s.renderMemberContact(w, r, http.StatusOK, views.NewForm(nil, nil))
}

func (s *Server) renderMemberContact(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	p, access := projectFrom(r.Context())
	m, err := s.memberParam(r)
	if err != nil {
		return err
	}
	if !access.CanFacilitate() && access.User.ID != m.UserID {
		return coproduce.ErrForbidden
	}
	c, err := s.store.MemberContact(r.Context(), p.ID, m.UserID)
	if err != nil {
		return err
	}
	page := s.page(r, "offline.contact_title")
	page.Nav = "projects"
	page.Notice = noticeFrom(r)
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.MemberContactPage(page, views.MemberContactView{
		Project: *p, Member: m, Contact: c, CanFacilitate: access.CanFacilitate(), LetterForm: f}))
}

// printLetter makes a new join code for a member without email (the last
// letter's code stops working) and shows the letter carrying it, to print
// and post. The code is shown this once: only its hash is kept.
func (s *Server) printLetter(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	m, err := s.memberParam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	phone := coproduce.OneLine(r.PostForm.Get("call_phone"))
	if len([]rune(phone)) > coproduce.MaxPhoneLength || !coproduce.ValidText(phone) {
		v := &coproduce.ValidationError{}
		v.Add("call_phone", "offline.error.call_phone")
		return s.renderMemberContact(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, v))
	}
	code, err := coproduce.NewJoinCode()
	if err != nil {
		return err
	}
	err = s.store.CreateJoinCode(r.Context(), access.User.ID, p.ID, m.UserID,
		postgres.HashToken(coproduce.NormalizeJoinCode(code)))
	if errors.Is(err, postgres.ErrHasEmail) {
		return redirect(w, r, views.MemberContactPath(p.ID, m.UserID)+"?notice=member-has-email")
	}
	if err != nil {
		return err
	}
	purpose, err := s.currentPurpose(r, p.ID)
	if err != nil {
		return err
	}
	rates, err := s.store.Rates(r.Context())
	if err != nil {
		return err
	}
	now := time.Now()
	page := s.page(r, "letter.title")
	page.TitleText = i18n.FromContext(r.Context()).T("letter.title_for", map[string]any{"Name": m.Name, "Project": titleFor(r.Context(), p)})
	page.Nav = "projects"
	return s.render(w, r, http.StatusOK, views.LetterPage(page, views.LetterView{
		Project: *p, Purpose: purpose, Name: m.Name, From: access.User.Name, FromEmail: access.User.Email,
		CallPhone: phone, Rates: rates, Code: code, JoinURL: s.absoluteURL(views.JoinPath),
		Expires: now.Add(coproduce.JoinCodeLifetime), Today: now, Org: s.cfg.OrgName,
	}))
}

// acceptInvitationByPhone records that the person invited said yes on the
// phone: the facilitator accepts for them, and the invitation says so.
func (s *Server) acceptInvitationByPhone(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	inv, err := s.invitationParam(r)
	if err != nil {
		return err
	}
	if inv.Role == coproduce.RoleLead && !access.CanManage() {
		return coproduce.ErrForbidden
	}
	err = s.store.AcceptInvitationByPhone(r.Context(), access.User.ID, p.ID, inv.ID)
	switch {
	case errors.Is(err, postgres.ErrInvitationClosed), errors.Is(err, coproduce.ErrForbidden):
		return redirect(w, r, stepPath(p.ID, coproduce.StepSelect, "?notice=invitation-closed"))
	case err != nil:
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepSelect, "?notice=invitation-accepted-by-phone"))
}

// showJoin asks for the code printed on a letter.
func (s *Server) showJoin(w http.ResponseWriter, r *http.Request) error {
	return s.renderJoin(w, r, http.StatusOK, views.NewForm(nil, nil))
}

func (s *Server) renderJoin(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	page := s.page(r, "join.title")
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.JoinCodePage(page, f))
}

// joinCode checks a typed code, counting the attempt against the address,
// and returns the member it is for; a problem is returned as the field
// error to show.
func (s *Server) joinCode(r *http.Request, typed string) (postgres.JoinCode, string, error) {
	code := coproduce.NormalizeJoinCode(typed)
	if typed == "" {
		return postgres.JoinCode{}, "join.error.required", nil
	}
	n, err := s.store.CountAttempt(r.Context(), "join:"+s.clientAddr(r), time.Now().Add(-throttleWindow))
	if err != nil {
		return postgres.JoinCode{}, "", err
	}
	if n > joinCodeLimit {
		return postgres.JoinCode{}, "join.error.paused", nil
	}
	if code == "" {
		return postgres.JoinCode{}, "join.error.format", nil
	}
	c, err := s.store.JoinCodeByHash(r.Context(), postgres.HashToken(code))
	switch {
	case errors.Is(err, postgres.ErrInvitationClosed):
		return c, "join.error.expired", nil
	case errors.Is(err, coproduce.ErrNotFound):
		return c, "join.error.unknown", nil
	}
	return c, "", err
}

// checkJoinCode takes the code from step one and, if it is good, asks for
// an email address and password.
func (s *Server) checkJoinCode(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	typed := coproduce.OneLine(r.PostForm.Get("code"))
	c, problem, err := s.joinCode(r, typed)
	if err != nil {
		return err
	}
	if problem != "" {
		v := &coproduce.ValidationError{}
		v.Add("code", problem)
		return s.renderJoin(w, r, statusFor(problem), views.NewForm(r.PostForm, v))
	}
	return s.renderJoinAccount(w, r, http.StatusOK, c, views.NewForm(url.Values{"code": {typed}}, nil))
}

func statusFor(problem string) int {
	if problem == "join.error.paused" {
		return http.StatusTooManyRequests
	}
	return http.StatusUnprocessableEntity
}

func (s *Server) renderJoinAccount(w http.ResponseWriter, r *http.Request, status int, c postgres.JoinCode, f views.Form) error {
	page := s.page(r, "join.account_title")
	page.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.JoinAccountPage(page, c.Name, c.ProjectTitle, f))
}

// joinWithCode spends the code: the member it is for gets the email
// address and password typed, and is signed in.
func (s *Server) joinWithCode(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	typed := coproduce.OneLine(r.PostForm.Get("code"))
	c, problem, err := s.joinCode(r, typed)
	if err != nil {
		return err
	}
	if problem != "" {
		v := &coproduce.ValidationError{}
		v.Add("code", problem)
		return s.renderJoin(w, r, statusFor(problem), views.NewForm(url.Values{"code": {typed}}, v))
	}
	email := coproduce.OneLine(r.PostForm.Get("email"))
	password := r.PostForm.Get("password")
	n := coproduce.NewUser{Name: c.Name, Email: email, Role: coproduce.RolePartner, Password: password}
	v := &coproduce.ValidationError{}
	if verr := asValidation(n.Validate()); verr != nil {
		for _, fe := range verr.Fields {
			if fe.Field == "email" || fe.Field == "password" {
				v.Fields = append(v.Fields, fe)
			}
		}
	}
	if password == "" {
		v.Add("password", "error.password.required")
	}
	values := url.Values{"code": {typed}, "email": {email}}
	if v.Err() != nil {
		return s.renderJoinAccount(w, r, http.StatusUnprocessableEntity, c, views.NewForm(values, v))
	}
	hash, err := s.cfg.Passwords.Hash(password)
	if err != nil {
		return err
	}
	u, err := s.store.UseJoinCode(r.Context(), postgres.HashToken(coproduce.NormalizeJoinCode(typed)), email, hash)
	switch {
	case errors.Is(err, coproduce.ErrConflict):
		v.Add("email", "join.error.email_taken")
		return s.renderJoinAccount(w, r, http.StatusUnprocessableEntity, c, views.NewForm(values, v))
	case errors.Is(err, postgres.ErrInvitationClosed), errors.Is(err, coproduce.ErrNotFound):
		v.Add("code", "join.error.expired")
		return s.renderJoin(w, r, http.StatusUnprocessableEntity, views.NewForm(values, v))
	case err != nil:
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "joined with a letter's code", "user_id", u.ID)
	return redirect(w, r, "/projects/"+strconv.FormatInt(c.ProjectID, 10)+"?notice=welcome")
}
