package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/web/views"
)

// loadSelect fills the "select" page: invitations, the groups to invite
// from, and coverage.
func (s *Server) loadSelect(r *http.Request, v *views.StepView, forms stepForms) error {
	ctx := r.Context()
	var err error
	if v.Invitations, err = s.store.Invitations(ctx, v.Project.ID); err != nil {
		return err
	}
	if v.Groups, err = s.store.Groups(ctx, v.Project.ID); err != nil {
		return err
	}
	v.Coverage, err = s.store.Coverage(ctx, v.Project.ID)
	v.InviteForm = formOr(forms.invite, nil)
	if err != nil {
		return err
	}
	return setFormToken(&v.InviteForm)
}

func (s *Server) invite(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	in := coproduce.InvitationInput{Name: f.Get("name"), Email: f.Get("email"),
		Role: coproduce.ProjectRole(f.Get("role")), Message: f.Get("message"), FormToken: f.Get("form_token")}
	if in.Role == coproduce.RoleLead && !access.CanManage() {
		// Only those who may add members may make someone a lead: else a
		// facilitator could invite their own second address as one.
		return coproduce.ErrForbidden
	}
	if g := f.Get("group"); g != "" {
		id, err := strconv.ParseInt(g, 10, 64)
		if err != nil {
			return errBadRequest
		}
		in.GroupID = id
	}
	in.Normalize()
	invalid := func(v *coproduce.ValidationError) error {
		form := views.NewForm(f, v)
		return s.renderStep(w, r, http.StatusUnprocessableEntity, coproduce.StepSelect, stepForms{invite: &form})
	}
	if verr := asValidation(in.Validate()); verr != nil {
		return invalid(verr)
	}
	// Someone already in the project is not invited again: accepting
	// would change nothing. Their role is changed on the members page.
	if u, err := s.store.UserByEmail(r.Context(), in.Email); err == nil {
		role, err := s.store.ProjectRoleOf(r.Context(), p.ID, u.ID)
		if err != nil {
			return err
		}
		if role != "" {
			v := &coproduce.ValidationError{}
			v.Add("email", "invite.error.already_member")
			return invalid(v)
		}
	} else if !errors.Is(err, coproduce.ErrNotFound) {
		return err
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	mail := s.invitationEmail(r, p, access.User, in.Name, in.Email, in.Role, in.Message, token)
	_, err = s.store.CreateInvitation(r.Context(), access.User.ID, p.ID, in, postgres.HashToken(token), mail)
	switch {
	case errors.Is(err, coproduce.ErrConflict):
		v := &coproduce.ValidationError{}
		v.Add("email", "invite.error.already_invited")
		return invalid(v)
	case errors.Is(err, coproduce.ErrNotFound):
		v := &coproduce.ValidationError{}
		v.Add("group", "invite.error.group")
		return invalid(v)
	case err != nil:
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepSelect, "?notice=invitation-sent"))
}

func (s *Server) invitationEmail(r *http.Request, p *coproduce.Project, from *coproduce.User, name, email string, role coproduce.ProjectRole, note, token string) coproduce.Email {
	// Someone who already has an account is written to in their language;
	// for someone new, we have only the inviter's page to go by.
	l := i18n.FromContext(r.Context())
	if u, err := s.store.UserByEmail(r.Context(), email); err == nil {
		l = s.writingTo(l, u)
	}
	data := map[string]any{"Name": name, "From": from.Name, "Project": p.TitleIn(l.Lang()), "Role": l.T("project_role." + string(role)), "Org": s.cfg.OrgName}
	m := message{to: email, toName: name, kind: "invitation", subject: l.T("email.invitation.subject", data),
		paragraphs: []string{l.T("email.greeting", data), l.T("email.invitation.body", data)},
		link:       s.absoluteURL("/invitations/" + token), linkText: l.T("email.invitation.link"),
		after: []string{l.T("email.invitation.expiry"), l.T("email.invitation.ignore")}}
	if note != "" {
		m.paragraphs = append(m.paragraphs, l.T("email.invitation.note", data), note)
	}
	return m.email()
}

// invitationParam loads the invitation in the URL, within the project.
func (s *Server) invitationParam(r *http.Request) (coproduce.Invitation, error) {
	p, _ := projectFrom(r.Context())
	id, err := strconv.ParseInt(chi.URLParam(r, "invitationID"), 10, 64)
	if err != nil {
		return coproduce.Invitation{}, coproduce.ErrNotFound
	}
	return s.store.Invitation(r.Context(), p.ID, id)
}

func (s *Server) resendInvitation(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	inv, err := s.invitationParam(r)
	if err != nil {
		return err
	}
	token, err := newToken()
	if err != nil {
		return err
	}
	mail := s.invitationEmail(r, p, access.User, inv.Name, inv.Email, inv.Role, inv.Message, token)
	err = s.store.ResendInvitation(r.Context(), access.User.ID, p.ID, inv.ID, postgres.HashToken(token), mail)
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, stepPath(p.ID, coproduce.StepSelect, "?notice=invitation-closed"))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepSelect, "?notice=invitation-resent"))
}

func (s *Server) withdrawInvitation(w http.ResponseWriter, r *http.Request) error {
	p, access := projectFrom(r.Context())
	if !access.CanFacilitate() {
		return coproduce.ErrForbidden
	}
	inv, err := s.invitationParam(r)
	if err != nil {
		return err
	}
	err = s.store.WithdrawInvitation(r.Context(), access.User.ID, p.ID, inv.ID)
	if errors.Is(err, coproduce.ErrStale) {
		return redirect(w, r, stepPath(p.ID, coproduce.StepSelect, "?notice=invitation-closed"))
	}
	if err != nil {
		return err
	}
	return redirect(w, r, stepPath(p.ID, coproduce.StepSelect, "?notice=invitation-withdrawn"))
}

// invitationByToken looks up the invitation a link is for. An unknown
// token is ErrNotFound, shown as a page that says what to do next.
func (s *Server) invitationByToken(r *http.Request) (coproduce.Invitation, error) {
	token := chi.URLParam(r, "token")
	if len(token) < 20 || len(token) > 100 {
		return coproduce.Invitation{}, coproduce.ErrNotFound
	}
	return s.store.InvitationByToken(r.Context(), postgres.HashToken(token))
}

// showInvitation shows, before anyone accepts, what they are agreeing to:
// the project, their role and the current purpose statement.
func (s *Server) showInvitation(w http.ResponseWriter, r *http.Request) error {
	inv, err := s.invitationByToken(r)
	if errors.Is(err, coproduce.ErrNotFound) {
		return s.renderLinkProblem(w, r, http.StatusNotFound, "link.invitation_unknown")
	}
	if err != nil {
		return err
	}
	if !inv.Open() {
		return s.renderLinkProblem(w, r, http.StatusGone, "link.invitation_"+string(inv.Status))
	}
	p, err := s.store.ProjectByID(r.Context(), inv.ProjectID)
	if err != nil {
		return err
	}
	purpose, err := s.currentPurpose(r, p.ID)
	if err != nil {
		return err
	}
	_, lookupErr := s.store.UserByEmail(r.Context(), inv.Email)
	needsName := errors.Is(lookupErr, coproduce.ErrNotFound)
	page := s.page(r, "invitation.title")
	f := views.NewForm(nil, nil)
	f.Values.Set("name", inv.Name)
	return s.render(w, r, http.StatusOK, views.InvitationPage(page, *p, inv, purpose, needsName, f, chi.URLParam(r, "token")))
}

func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	inv, err := s.invitationByToken(r)
	if errors.Is(err, coproduce.ErrNotFound) {
		return s.renderLinkProblem(w, r, http.StatusNotFound, "link.invitation_unknown")
	}
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	existing, err := s.store.UserByEmail(r.Context(), inv.Email)
	if err != nil && !errors.Is(err, coproduce.ErrNotFound) {
		return err
	}
	name := coproduce.OneLine(r.PostForm.Get("name"))
	if existing == nil {
		n := coproduce.NewUser{Name: name, Email: inv.Email, Role: coproduce.RolePartner}
		if v := asValidation(n.Validate()); v != nil {
			p, err := s.store.ProjectByID(r.Context(), inv.ProjectID)
			if err != nil {
				return err
			}
			purpose, err := s.currentPurpose(r, p.ID)
			if err != nil {
				return err
			}
			page := s.page(r, "invitation.title")
			page.HasErrors = true
			form := views.NewForm(r.PostForm, v)
			return s.render(w, r, http.StatusUnprocessableEntity, views.InvitationPage(page, *p, inv, purpose, true, form, token))
		}
	}
	u, err := s.store.AcceptInvitation(r.Context(), postgres.HashToken(token), name)
	switch {
	case errors.Is(err, postgres.ErrInvitationClosed):
		return s.renderLinkProblem(w, r, http.StatusGone, "link.invitation_expired")
	case errors.Is(err, coproduce.ErrForbidden):
		return s.renderLinkProblem(w, r, http.StatusForbidden, "link.account_disabled")
	case err != nil:
		return err
	}
	// The link proves the person reads this email. Accounts that sign in
	// with a password (staff, administrators) still use it: the link adds
	// the membership, then they sign in as usual.
	if u.PasswordHash != "" || u.IsAdmin() {
		if userFrom(r.Context()) == nil || userFrom(r.Context()).ID != u.ID {
			return redirect(w, r, "/sign-in?notice=invitation-accepted&next="+askPath(inv.ProjectID))
		}
	} else if err := s.startSession(w, r, u); err != nil {
		return err
	}
	// Everyone who joins is asked, once, about their communication needs.
	return s.afterSignIn(w, r, u, askPath(inv.ProjectID)+"?notice=welcome")
}

func (s *Server) declineInvitation(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.invitationByToken(r); errors.Is(err, coproduce.ErrNotFound) {
		return s.renderLinkProblem(w, r, http.StatusNotFound, "link.invitation_unknown")
	}
	err := s.store.DeclineInvitation(r.Context(), postgres.HashToken(chi.URLParam(r, "token")))
	if errors.Is(err, postgres.ErrInvitationClosed) {
		return s.renderLinkProblem(w, r, http.StatusGone, "link.invitation_expired")
	}
	if err != nil {
		return err
	}
	return s.renderLinkProblem(w, r, http.StatusOK, "link.invitation_declined_now")
}

// renderLinkProblem explains a link that cannot be used and what to do
// next; body is a message id with a matching ".title".
func (s *Server) renderLinkProblem(w http.ResponseWriter, r *http.Request, status int, body string) error {
	page := s.page(r, body+".title")
	return s.render(w, r, status, views.LinkProblemPage(page, body))
}
