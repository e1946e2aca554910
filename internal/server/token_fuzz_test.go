package server_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gorilla/securecookie"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// fuzzEnv is a server over a rolled-back transaction, shared by every
// input of one fuzz target: each input points the env at its own test.
func fuzzEnv(f *testing.F) *env {
	f.Helper()
	return newEnvOn(f, pgtest.Store(f))
}

// FuzzSessionCookie sends arbitrary session cookies, and cookies signed
// with the right key around arbitrary session ids. None of them may sign
// anyone in: only the id the server itself handed out does.
func FuzzSessionCookie(f *testing.F) {
	e := fuzzEnv(f)
	u := pgtest.User(f, e.store, coproduce.RoleStaff)
	real := e.signedIn(u).sessionCookie()
	// The cookie is the session id signed with the session key, as JSON.
	codec := securecookie.New(bytes.Repeat([]byte{7}, 32), nil)
	codec.SetSerializer(securecookie.JSONEncoder{})
	var realID string
	if err := codec.Decode("coproduce_session", real, &realID); err != nil {
		f.Fatalf("the test cannot read the server's session cookie %q: %v", real, err)
	}
	f.Add(real[:len(real)-1], "")
	f.Add(real+"A", realID[:len(realID)-1])
	f.Add("", realID+" ")
	f.Add("MTcwMDAwMDAwMHxhYmN8ZGVm", "null")
	f.Add("%00;coproduce_session=x", `"`)
	f.Fuzz(func(t *testing.T, raw, id string) {
		e.t = t
		signed, err := codec.Encode("coproduce_session", id)
		if err != nil {
			signed = "" // too long for a cookie: the server could not have sent it either
		}
		for _, value := range []string{raw, signed} {
			if value == real || id == realID {
				continue
			}
			req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/account", nil)
			req.Header.Set("Cookie", "coproduce_session="+value)
			req.Header.Set("Sec-Fetch-Site", "none")
			res := e.client().do(req)
			if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/sign-in?next=%2Faccount" {
				t.Fatalf("cookie %q: status %d to %q, want the sign-in page", value, res.Code, res.Header().Get("Location"))
			}
		}
	})
}

// FuzzLinkTokens follows sign-in links and invitation links with arbitrary
// tokens. None may sign anyone in, show an invitation, or accept or
// decline one; and the real links still work afterwards.
func FuzzLinkTokens(f *testing.F) {
	e := fuzzEnv(f)
	ctx := context.Background()
	lead := pgtest.User(f, e.store, coproduce.RoleStaff)
	p := pgtest.Project(f, e.store, lead)
	// Random, because the fuzzing engine's own process runs this set-up
	// too, and its transaction would hold the same token's unique index.
	linkToken, inviteToken := "sign-in-"+rand.Text(), "invitation-"+rand.Text()
	mail := coproduce.Email{To: lead.Email, Subject: "Link", Text: "Link", Kind: "sign_in_link"}
	if err := e.store.CreateSignInLink(ctx, lead.Email, postgres.HashToken(linkToken),
		func(*coproduce.User) coproduce.Email { return mail }); err != nil {
		f.Fatal(err)
	}
	in := coproduce.InvitationInput{Name: "New Person", Email: "new.person@example.test", Role: coproduce.RoleLayPartner}
	mail.Kind, mail.To = "invitation", in.Email
	if _, err := e.store.CreateInvitation(ctx, lead.ID, p.ID, in, postgres.HashToken(inviteToken), mail); err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "x", linkToken[:len(linkToken)-1], inviteToken + "x", "../../projects",
		"%00", "a/b", "..", "' OR '1'='1", "\x00", "\xff\xfe", string(make([]byte, 200))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		if token == linkToken || token == inviteToken {
			return
		}
		e.t = t
		c := e.client()
		path := url.PathEscape(token)
		for _, res := range []*httptest.ResponseRecorder{
			c.get("/sign-in/link/" + path),
			c.post("/sign-in/link/"+path, nil),
			c.get("/invitations/" + path),
			c.post("/invitations/"+path+"/accept", url.Values{"name": {"Someone"}}),
			c.post("/invitations/"+path+"/decline", nil),
		} {
			if res.Code < 400 || res.Code >= 500 {
				t.Fatalf("token %q: status %d, want a 4xx\n%s", token, res.Code, res.Body)
			}
		}
		if c.sessionCookie() != "" {
			t.Fatalf("token %q signed someone in", token)
		}
		if state, err := e.store.SignInLinkState(ctx, postgres.HashToken(linkToken)); err != nil || state != "ok" {
			t.Fatalf("after token %q the real sign-in link is %q, %v", token, state, err)
		}
		if inv, err := e.store.InvitationByToken(ctx, postgres.HashToken(inviteToken)); err != nil || !inv.Open() {
			t.Fatalf("after token %q the real invitation is %+v, %v", token, inv, err)
		}
	})
}

// FuzzRouteParams puts arbitrary text where ids, steps and page numbers
// go in addresses. The answer is a page or a 4xx, never a server error,
// and any page number shows the idea's discussion.
func FuzzRouteParams(f *testing.F) {
	e := fuzzEnv(f)
	lead := pgtest.User(f, e.store, coproduce.RoleStaff)
	p := pgtest.Project(f, e.store, lead)
	prID, err := e.store.CreateProposal(context.Background(), lead.ID, p.ID, coproduce.ProposalInput{Title: "A", Body: "B"})
	if err != nil {
		f.Fatal(err)
	}
	c, admin := e.signedIn(lead), e.signedIn(pgtest.User(f, e.store, coproduce.RoleAdmin))
	project := "/projects/" + itoa(p.ID)
	idea := project + "/proposals/" + itoa(prID)
	for _, s := range []string{"1", "0", "-1", "2", "999999", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "368934881474191034", "1e3", "0x10", " 1", "identify", "understand", "", "%", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e.t = t
		seg := url.PathEscape(s)
		res := c.get(idea + "?page=" + url.QueryEscape(s))
		if res.Code != http.StatusOK {
			t.Fatalf("page %q of an idea: status %d", s, res.Code)
		}
		// A reply names its parent comment; one form token keeps it to one
		// comment however many inputs run.
		if res := c.post(idea+"/comments", url.Values{"body": {"Reply"}, "form_token": {"fuzz"}, "parent": {s}}); res.Code >= 500 {
			t.Fatalf("reply to %q: status %d", s, res.Code)
		}
		q := url.Values{"project": {s}, "person": {s}}.Encode()
		if res := admin.get("/admin/audit?" + q); res.Code >= 500 {
			t.Fatalf("audit log filtered by %q: status %d", s, res.Code)
		}
		for _, path := range []string{"/projects/" + seg, project + "/proposals/" + seg, project + "/steps/" + seg,
			project + "/meetings/" + seg, project + "/comments/" + seg + "/edit", project + "/support/members/" + seg} {
			if res := c.get(path); res.Code >= 500 {
				t.Fatalf("%s: status %d", path, res.Code)
			}
		}
	})
}
