package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web/views"
)

// Sign-in throttling (docs/operations.md, "Sign-in throttling"), after
// OWASP's authentication cheat sheet:
//   - wrong passwords pause the PASSWORD route for that account: after
//     accountLimit wrong passwords in a throttleWindow that starts with the
//     first of them, password sign-in for that account is refused until the
//     window ends. The page offers the email link instead, which is never
//     stopped by wrong passwords: only the mailbox's owner can use a link.
//   - one client address (its real address, through TRUSTED_PROXIES) that
//     has had more than addrLimit wrong passwords in a window is slowed, by
//     addrSlowdown on each attempt, never refused: many people may share
//     an address (an NHS trust's network), and one scanner among them must
//     not stop them signing in.
const (
	accountLimit   = 5
	addrLimit      = 50
	addrSlowdown   = 2 * time.Second
	throttleWindow = 15 * time.Minute
)

// notices are the confirmations a redirect may ask a page to show. Only
// these ids are accepted from the query string.
var notices = map[string]string{
	"signed-out":             "notice.signed_out",
	"signed-out-everywhere":  "notice.signed_out_everywhere",
	"project-created":        "notice.project_created",
	"project-updated":        "notice.project_updated",
	"member-added":           "notice.member_added",
	"member-invited":         "notice.member_invited",
	"member-role-changed":    "notice.member_role_changed",
	"member-removed":         "notice.member_removed",
	"project-left":           "notice.project_left",
	"support-copied":         "notice.support_copied",
	"user-role-changed":      "notice.user_role_changed",
	"user-disabled":          "notice.user_disabled",
	"user-enabled":           "notice.user_enabled",
	"stage-changed":          "notice.stage_changed",
	"status-changed":         "notice.status_changed",
	"signed-off":             "notice.signed_off",
	"notes-saved":            "notice.notes_saved",
	"group-added":            "notice.group_added",
	"group-saved":            "notice.group_saved",
	"group-removed":          "notice.group_removed",
	"group-changed":          "notice.group_changed",
	"purpose-saved":          "notice.purpose_saved",
	"purpose-changed":        "notice.purpose_changed",
	"purpose-acknowledged":   "notice.purpose_acknowledged",
	"approach-saved":         "notice.approach_saved",
	"involvement-saved":      "notice.involvement_saved",
	"four-rs-saved":          "notice.four_rs_saved",
	"four-rs-changed":        "notice.four_rs_changed",
	"four-rs-acknowledged":   "notice.four_rs_acknowledged",
	"invitation-sent":        "notice.invitation_sent",
	"invitation-resent":      "notice.invitation_resent",
	"invitation-withdrawn":   "notice.invitation_withdrawn",
	"invitation-closed":      "notice.invitation_closed",
	"invitation-accepted":    "notice.invitation_accepted",
	"welcome":                "notice.welcome",
	"proposal-made":          "notice.proposal_made",
	"proposal-closed":        "notice.proposal_closed",
	"vote-saved":             "notice.vote_saved",
	"comment-added":          "notice.comment_added",
	"comment-edited":         "notice.comment_edited",
	"comment-hidden":         "notice.comment_hidden",
	"response-saved":         "notice.response_saved",
	"action-added":           "notice.action_added",
	"agreement-acknowledged": "notice.agreement_acknowledged",
	"notify-saved":           "notice.notify_saved",
	"updates-seen":           "notice.updates_seen",
	"claim-submitted":        "notice.claim_submitted",
	"claim-decided":          "notice.claim_decided",
	"claim-decided-already":  "notice.claim_decided_already",
	"approver-added":         "approvers.notice.added",
	"approver-removed":       "approvers.notice.removed",
	"claims-exported":        "exports.notice.exported",
	"public-changed":         "public.preview.changed",
	"support-saved":          "notice.support_saved",
	"buddy-saved":            "notice.buddy_saved",
	"meeting-created":        "notice.meeting_created",
	"reply-saved":            "notice.reply_saved",
	"attendance-saved":       "notice.attendance_saved",
	"nothing-to-export":      "notice.nothing_to_export",
	"payment-choice-saved":   "notice.payment_choice_saved",
	"payment-level-saved":    "notice.payment_level_saved",
	"rates-saved":            "notice.rates_saved",
	"naming-saved":           "notice.naming_saved",
	"password-saved":         "notice.password_saved",
	"user-erased":            "notice.user_erased",
	"published":              "notice.published",
	"unpublished":            "notice.unpublished",
	"answer-changed":         "notice.answer_changed",
	"proposal-withdrawn":     "notice.proposal_withdrawn",
	"proposal-not-open":      "notice.proposal_not_open",
	"proposal-answered":      "notice.proposal_answered",
	"comment-shown":          "notice.comment_shown",
	"replies-closed":         "notice.replies_closed",
	"paper-added":            "notice.paper_added",
	"paper-removed":          "notice.paper_removed",
	"papers-due-saved":       "notice.papers_due_saved",
	"language-saved":         "notice.language_saved",
	// changes: editing and cancelling meetings, draft claims
	"meeting-updated":           "notice.meeting_updated",
	"meeting-cancelled":         "notice.meeting_cancelled",
	"meeting-cancelled-already": "notice.meeting_cancelled_already",
	"meeting-started":           "notice.meeting_started",
	"meeting-changed-meanwhile": "notice.meeting_changed_meanwhile",
	"claim-sent":                "notice.claim_sent",
	"claim-sent-for":            "notice.claim_sent_for",
	"claim-discarded":           "notice.claim_discarded",
	"claim-draft-gone":          "notice.claim_draft_gone",
	// --- offline ---
	"offline-member-added":         "offline.notice.added",
	"invitation-accepted-by-phone": "offline.notice.accepted_by_phone",
	"member-has-email":             "offline.notice.has_email",
	// agenda and minutes
	"agenda-item-added":     "notice.agenda_item_added",
	"arrangement-saved":     "notice.arrangement_saved",
	"agenda-item-saved":     "notice.agenda_item_saved",
	"agenda-item-moved":     "notice.agenda_item_moved",
	"agenda-item-removed":   "notice.agenda_item_removed",
	"minutes-saved":         "notice.minutes_saved",
	"decision-recorded":     "notice.decision_recorded",
	"minutes-published":     "notice.minutes_published",
	"minutes-not-started":   "notice.minutes_not_started",
	"minutes-comment-added": "notice.minutes_comment_added",
}

func noticeFrom(r *http.Request) string { return notices[r.URL.Query().Get("notice")] }

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r.Context()) == nil {
		return redirect(w, r, "/sign-in")
	}
	return redirect(w, r, "/projects")
}

func (s *Server) showSignIn(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r.Context()) != nil {
		return redirect(w, r, safeNext(r.URL.Query().Get("next")))
	}
	p := s.page(r, "signin.title")
	p.Notice = noticeFrom(r)
	p.NoticeText = s.timeoutNotice(r)
	return s.render(w, r, http.StatusOK, views.SignIn(p, views.NewForm(nil, nil), r.URL.Query().Get("next")))
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	email := coproduce.OneLine(r.PostForm.Get("email"))
	password := r.PostForm.Get("password")
	next := r.PostForm.Get("next")
	var v coproduce.ValidationError
	if email == "" {
		v.Add("email", "error.email.required")
	} else if !coproduce.ValidEmail(email) {
		v.Add("email", "error.email.invalid")
	}
	if password == "" {
		v.Add("password", "error.password.required")
	}
	if v.Err() != nil {
		return s.signInFailed(w, r, http.StatusUnprocessableEntity, &v, next)
	}
	u, err := s.authenticate(r.Context(), email, password, s.clientAddr(r))
	switch {
	case errors.Is(err, coproduce.ErrThrottled):
		v.Add("email", "signin.password_paused")
		// The link form below is filled in, ready to send.
		return s.signInFailed(w, r, http.StatusTooManyRequests, &v, next)
	case errors.Is(err, coproduce.ErrNotFound):
		v.Add("email", "signin.wrong")
		return s.signInFailed(w, r, http.StatusUnprocessableEntity, &v, next)
	case err != nil:
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "signed in", "user_id", u.ID)
	return s.afterSignIn(w, r, u, safeNext(next))
}

func (s *Server) signInFailed(w http.ResponseWriter, r *http.Request, status int, v *coproduce.ValidationError, next string) error {
	values := url.Values{"email": {r.PostForm.Get("email")}, "link_email": {r.PostForm.Get("email")}}
	p := s.page(r, "signin.title")
	p.HasErrors = true
	return s.render(w, r, status, views.SignIn(p, views.NewForm(values, v), next))
}

// authenticate checks an email and password. A wrong password, an unknown
// email, a disabled account and an account with no password all give
// ErrNotFound and take the same time, so answers reveal no accounts.
func (s *Server) authenticate(ctx context.Context, email, password, addr string) (*coproduce.User, error) {
	accountKey := passwordKey(email)
	addrKey := "addr:" + addr
	since := time.Now().Add(-throttleWindow)
	n, err := s.store.CountAttempt(ctx, accountKey, since)
	if err != nil {
		return nil, err
	}
	m, err := s.store.CountAttempt(ctx, addrKey, since)
	if err != nil {
		return nil, err
	}
	if m > addrLimit {
		if err := slowDown(ctx); err != nil {
			return nil, err
		}
	}
	if n > accountLimit {
		// Forgive the address: this attempt was never checked.
		if err := s.store.ForgiveAttempt(ctx, addrKey); err != nil {
			return nil, err
		}
		return nil, coproduce.ErrThrottled
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, coproduce.ErrNotFound) {
		return nil, err
	}
	hash := ""
	if u != nil && !u.Disabled {
		hash = u.PasswordHash
	}
	if !s.cfg.Passwords.Check(password, hash) {
		return nil, coproduce.ErrNotFound // the failure is already counted
	}
	// Many people may sign in from one office's address: a success does
	// not count against it.
	if err := s.store.ForgiveAttempt(ctx, addrKey); err != nil {
		return nil, err
	}
	return u, s.store.ClearFailures(ctx, accountKey)
}

// passwordKey is the throttling counter of wrong passwords for an account,
// shared by the sign-in page and the change-password form.
func passwordKey(email string) string { return "email:" + strings.ToLower(strings.TrimSpace(email)) }

// slowDown waits addrSlowdown, or less if the request ends first.
func slowDown(ctx context.Context) error {
	t := time.NewTimer(addrSlowdown)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// startSession signs a person in with a fresh session id, ending any
// session the browser had, so an id planted before sign-in is worthless.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *coproduce.User) error {
	sess, err := s.sessions.Get(r, s.cookie)
	if err != nil {
		return err
	}
	if sess.ID != "" {
		if err := s.store.DeleteSession(r.Context(), hashSessionID(sess.ID)); err != nil {
			return err
		}
	}
	sess.ID = ""
	clear(sess.Values)
	sess.Values[sessionUserIDKey] = u.ID
	if u.Language != "" {
		s.setLanguageCookie(w, u.Language)
	}
	return sess.Save(r, w)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.sessions.Get(r, s.cookie)
	if err != nil {
		return err
	}
	sess.Options.MaxAge = -1
	if err := sess.Save(r, w); err != nil {
		return err
	}
	return redirect(w, r, "/sign-in?notice=signed-out")
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, views.NewForm(nil, nil))
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, password views.Form) error {
	return s.renderAccountForms(w, r, status, password, languageForm(userFrom(r.Context())))
}

func (s *Server) renderAccountForms(w http.ResponseWriter, r *http.Request, status int, password, language views.Form) error {
	u := userFrom(r.Context())
	p := s.page(r, "account.title")
	p.Nav = "account"
	p.Notice = noticeFrom(r)
	p.HasErrors = password.HasErrors() || language.HasErrors()
	return s.render(w, r, status, views.AccountPage(p, password, language, u.PasswordHash != ""))
}

// setPassword lets anyone set or change their password; lay partners who
// joined by invitation have none until they choose one.
func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	pw, confirm := r.PostForm.Get("new_password"), r.PostForm.Get("confirm_password")
	n := coproduce.NewUser{Password: pw}
	v := &coproduce.ValidationError{}
	u := userFrom(r.Context())
	if u.PasswordHash != "" {
		// Someone at an unlocked computer must not be able to take over
		// the account by changing its password, nor guess the current one
		// here without limit: wrong ones count with the sign-in page's.
		ok, err := s.checkCurrentPassword(r.Context(), u, r.PostForm.Get("current_password"))
		switch {
		case errors.Is(err, coproduce.ErrThrottled):
			v.Add("current_password", "account.password_paused")
			return s.renderAccount(w, r, http.StatusTooManyRequests, views.NewForm(nil, v))
		case err != nil:
			return err
		case !ok:
			v.Add("current_password", "error.password.current_wrong")
		}
	}
	if pw == "" {
		v.Add("new_password", "error.password.new_required")
	} else if verr := asValidation(n.ValidatePassword()); verr != nil {
		v.Fields = append(v.Fields, verr.Fields...)
	} else if confirm != pw {
		v.Add("confirm_password", "error.password.mismatch")
	}
	if v.Err() != nil {
		return s.renderAccount(w, r, http.StatusUnprocessableEntity, views.NewForm(nil, v))
	}
	hash, err := s.cfg.Passwords.Hash(pw)
	if err != nil {
		return err
	}
	sess, err := s.sessions.Get(r, s.cookie)
	if err != nil {
		return err
	}
	if err := s.store.SetUserPassword(r.Context(), u.ID, hash, hashSessionID(sess.ID)); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "password set", "user_id", u.ID)
	return redirect(w, r, "/account?notice=password-saved")
}

// checkCurrentPassword checks a signed-in person's password, counting a
// wrong one against the account as the sign-in page does: after
// accountLimit wrong ones in a window, no password is checked (not even the
// right one) until the window ends.
func (s *Server) checkCurrentPassword(ctx context.Context, u *coproduce.User, password string) (bool, error) {
	key := passwordKey(u.Email)
	n, err := s.store.CountAttempt(ctx, key, time.Now().Add(-throttleWindow))
	if err != nil {
		return false, err
	}
	if n > accountLimit {
		return false, coproduce.ErrThrottled
	}
	if !s.cfg.Passwords.Check(password, u.PasswordHash) {
		return false, nil
	}
	return true, s.store.ClearFailures(ctx, key)
}

func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	if err := s.store.DeleteUserSessions(r.Context(), u.ID); err != nil {
		return err
	}
	sess, err := s.sessions.Get(r, s.cookie)
	if err != nil {
		return err
	}
	sess.ID = "" // already deleted above
	sess.Options.MaxAge = -1
	if err := sess.Save(r, w); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "signed out everywhere", "user_id", u.ID)
	return redirect(w, r, "/sign-in?notice=signed-out-everywhere")
}

// safeNext returns a local path to go to after signing in. Anything that
// could leave the site (//host, a scheme, a backslash trick) goes to the
// project list instead.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\r\n\t") {
		return "/projects"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/projects"
	}
	return next
}
