package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := pgtest.User(t, e.store, coproduce.RoleStaff)

	t.Run("RightPasswordSignsInWithANewSessionID", func(t *testing.T) {
		c := e.signedIn(u)
		first := c.sessionCookie()
		if first == "" {
			t.Fatal("no session cookie")
		}
		wantStatus(t, c.get("/projects"), http.StatusOK)
		// Signing in again, with the old cookie sent, gives a new id and
		// kills the old one.
		res := c.post("/sign-in", url.Values{"email": {u.Email}, "password": {pgtest.Password}})
		wantRedirect(t, res, "/projects")
		if second := c.sessionCookie(); second == "" || second == first {
			t.Fatalf("session id not rotated: %q then %q", first, second)
		}
		old := e.client()
		old.cookies["coproduce_session"] = &http.Cookie{Name: "coproduce_session", Value: first}
		wantRedirect(t, old.get("/projects"), "/sign-in")
	})

	t.Run("CookieIsHttpOnlyAndLax", func(t *testing.T) {
		c := e.client()
		res := c.post("/sign-in", url.Values{"email": {u.Email}, "password": {pgtest.Password}})
		ck := res.Result().Cookies()[0]
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge != 12*3600 {
			t.Errorf("cookie = %+v", ck)
		}
	})

	t.Run("WrongPasswordAndUnknownEmailGiveTheSameAnswer", func(t *testing.T) {
		wrong := e.client().post("/sign-in", url.Values{"email": {u.Email}, "password": {"not the password"}})
		unknown := e.client().post("/sign-in", url.Values{"email": {"nobody@example.test"}, "password": {"not the password"}})
		if wrong.Code != unknown.Code || wrong.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d and %d, want 422 for both", wrong.Code, unknown.Code)
		}
		a, b := text(doc(t, wrong), "[data-testid=error-summary]"), text(doc(t, unknown), "[data-testid=error-summary]")
		if a == "" || a != b {
			t.Errorf("error summaries differ or are empty: %q vs %q", a, b)
		}
		if v, _ := doc(t, wrong).Find("input#email").Attr("value"); v != u.Email {
			t.Errorf("email not kept: %q", v)
		}
		if v, ok := doc(t, wrong).Find("input#password").Attr("value"); ok && v != "" {
			t.Error("password sent back in the page")
		}
	})

	t.Run("MissingFieldsShowTheErrorSummary", func(t *testing.T) {
		res := e.client().post("/sign-in", url.Values{})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		if n := d.Find("[data-testid=error-summary] li a").Length(); n != 2 {
			t.Errorf("summary has %d links, want 2 (email and password)", n)
		}
		if href, _ := d.Find("[data-testid=error-summary] li a").First().Attr("href"); href != "#email" {
			t.Errorf("first link goes to %q", href)
		}
		if !strings.HasPrefix(d.Find("title").Text(), "Error:") {
			t.Errorf("title %q does not start with Error:", d.Find("title").Text())
		}
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()

	t.Run("CookieReplayedAfterSignOutIsRejected", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		stolen := c.cookies["coproduce_session"]
		wantRedirect(t, c.post("/sign-out", nil), "/sign-in")
		thief := e.client()
		thief.cookies[stolen.Name] = stolen
		wantRedirect(t, thief.get("/projects"), "/sign-in")
	})

	t.Run("SignOutEverywhereEndsEverySession", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		laptop, phone := e.signedIn(u), e.signedIn(u)
		other := e.signedIn(pgtest.User(t, e.store, coproduce.RolePartner))
		wantRedirect(t, phone.post("/account/sign-out-everywhere", nil), "/sign-in")
		wantRedirect(t, laptop.get("/projects"), "/sign-in")
		wantRedirect(t, phone.get("/projects"), "/sign-in")
		wantStatus(t, other.get("/projects"), http.StatusOK)
	})

	t.Run("DisabledUsersLiveSessionIsRejected", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		admin := e.signedIn(pgtest.User(t, e.store, coproduce.RoleAdmin))
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		c := e.signedIn(u)
		wantStatus(t, c.get("/projects"), http.StatusOK)
		wantRedirect(t, admin.post("/admin/users/"+itoa(u.ID)+"/disable", nil), "/admin/users")
		wantRedirect(t, c.get("/projects"), "/sign-in")
		// And they cannot sign in again: the same answer as a wrong password.
		res := e.client().post("/sign-in", url.Values{"email": {u.Email}, "password": {pgtest.Password}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		// Re-enabled, they can.
		wantRedirect(t, admin.post("/admin/users/"+itoa(u.ID)+"/enable", nil), "/admin/users")
		e.signedIn(u)
	})

	t.Run("TamperedCookieIsIgnored", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		c := e.signedIn(pgtest.User(t, e.store, coproduce.RolePartner))
		ck := c.cookies["coproduce_session"]
		ck.Value = strings.ToUpper(ck.Value[:10]) + ck.Value[10:]
		wantRedirect(t, c.get("/projects"), "/sign-in")
	})

	t.Run("OnlyAHashOfTheSessionIDIsStored", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		u := pgtest.User(t, e.store, coproduce.RolePartner)
		e.signedIn(u)
		if n := e.count(`SELECT count(*) FROM sessions WHERE user_id = $1 AND length(id_hash) = 32`, u.ID); n != 1 {
			t.Errorf("sessions with a 32-byte hash = %d, want 1", n)
		}
	})
}

func TestSignInRedirectsOnlyWithinTheSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := pgtest.User(t, e.store, coproduce.RoleStaff)
	// Someone who has told us their language, so that where they go is
	// only where next leads (the question would add to it).
	if err := e.store.SetUserLanguage(context.Background(), u.ID, "en"); err != nil {
		t.Fatal(err)
	}
	for next, want := range map[string]string{
		"/account":                      "/account",
		"//elsewhere.example":           "/projects",
		"https://elsewhere.example":     "/projects",
		"/\\elsewhere.example":          "/projects",
		"javascript:alert(1)":           "/projects",
		"":                              "/projects",
		"/projects?notice=member-added": "/projects?notice=member-added",
	} {
		res := e.client().post("/sign-in", url.Values{"email": {u.Email}, "password": {pgtest.Password}, "next": {next}})
		if got := res.Header().Get("Location"); got != want {
			t.Errorf("next=%q: went to %q, want %q", next, got, want)
		}
	}
}

func TestSignInPageRemembersWhereYouWereGoing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.client().get("/projects/12")
	wantRedirect(t, res, "/sign-in?next=%2Fprojects%2F12")
}

func (e *env) exec(sql string, args ...any) {
	e.t.Helper()
	if _, err := e.tx.Exec(context.Background(), sql, args...); err != nil {
		e.t.Fatal(err)
	}
}

func TestPartnerSetsAPasswordLater(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u, err := e.store.CreateUser(context.Background(), coproduce.NewUser{Email: "nopass@example.test", Name: "No Pass", Role: coproduce.RolePartner}, "")
	if err != nil {
		t.Fatal(err)
	}
	// No password: only a link signs them in.
	wantStatus(t, e.client().post("/sign-in", url.Values{"email": {u.Email}, "password": {"anything at all"}}), http.StatusUnprocessableEntity)
	e.client().post("/sign-in/link", url.Values{"link_email": {u.Email}})
	c := e.client()
	wantRedirect(t, c.post(e.lastLink(u.Email, "/sign-in/link/"), nil), "/projects")

	res := c.post("/account/password", url.Values{"new_password": {"short"}, "confirm_password": {"short"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if doc(t, res).Find("#new_password-error").Length() != 1 {
		t.Error("no error for a short password")
	}
	res = c.post("/account/password", url.Values{"new_password": {"a long enough password"}, "confirm_password": {"another one entirely"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if doc(t, res).Find("#confirm_password-error").Length() != 1 {
		t.Error("no error for a mismatch")
	}
	wantRedirect(t, c.post("/account/password", url.Values{"new_password": {"a long enough password"}, "confirm_password": {"a long enough password"}}), "/account")
	wantRedirect(t, e.client().post("/sign-in", url.Values{"email": {u.Email}, "password": {"a long enough password"}}), "/projects")

	// Now that there is a password, changing it needs it.
	res = c.post("/account/password", url.Values{"current_password": {"wrong"}, "new_password": {"a second long password"}, "confirm_password": {"a second long password"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if doc(t, res).Find("#current_password-error").Length() != 1 {
		t.Error("no error for a wrong current password")
	}
	wantRedirect(t, c.post("/account/password", url.Values{"current_password": {"a long enough password"}, "new_password": {"a second long password"}, "confirm_password": {"a second long password"}}), "/account")
}

func TestChangingThePasswordEndsTheOtherSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := pgtest.User(t, e.store, coproduce.RolePartner)
	intruder, owner := e.signedIn(u), e.signedIn(u)
	bystander := e.signedIn(pgtest.User(t, e.store, coproduce.RolePartner))
	wantRedirect(t, owner.post("/account/password", url.Values{"current_password": {pgtest.Password},
		"new_password": {"a brand new passphrase"}, "confirm_password": {"a brand new passphrase"}}), "/account")
	wantRedirect(t, intruder.get("/projects"), "/sign-in")
	wantStatus(t, owner.get("/projects"), http.StatusOK)
	wantStatus(t, bystander.get("/projects"), http.StatusOK)
	if n := e.count(`SELECT count(*) FROM sessions WHERE user_id = $1`, u.ID); n != 1 {
		t.Errorf("%d sessions left, want only the one that changed the password", n)
	}
	// A refused change ends nothing.
	again := e.client()
	wantRedirect(t, again.post("/sign-in", url.Values{"email": {u.Email}, "password": {"a brand new passphrase"}}), "/projects")
	wantStatus(t, owner.post("/account/password", url.Values{"current_password": {"wrong"},
		"new_password": {"yet another passphrase"}, "confirm_password": {"yet another passphrase"}}), http.StatusUnprocessableEntity)
	wantStatus(t, again.get("/projects"), http.StatusOK)
}

// TestTheSignInLimitHoldsUnderParallelGuesses sends twenty wrong passwords
// at once: no more than the limit of five may be checked, however the
// requests interleave.
func TestTheSignInLimitHoldsUnderParallelGuesses(t *testing.T) {
	t.Parallel()
	e := newEnvOn(t, postgres.NewStore(pgtest.Pool(t, pgtest.Clone(t))))
	u := pgtest.User(t, e.store, coproduce.RoleStaff)
	statuses := make([]int, 20)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() {
			statuses[i] = e.client().post("/sign-in", url.Values{"email": {u.Email}, "password": {fmt.Sprint("guess ", i)}}).Code
		})
	}
	wg.Wait()
	checked := 0
	for _, status := range statuses {
		switch status {
		case http.StatusUnprocessableEntity:
			checked++
		case http.StatusTooManyRequests:
		default:
			t.Errorf("a guess got %d", status)
		}
	}
	if checked != 5 {
		t.Errorf("%d of 20 parallel guesses were checked, want exactly 5", checked)
	}
}
