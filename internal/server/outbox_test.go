package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

func TestOutbox(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, err := e.store.QueueEmail(context.Background(), coproduce.Email{To: "pat@example.test", ToName: "Pat",
		Subject: "Join the project", Text: "Hello Pat\nAccept here: https://coproduce.test/invitations/abc", Kind: "invitation"})
	if err != nil {
		t.Fatal(err)
	}
	admin := e.signedIn(pgtest.User(t, e.store, coproduce.RoleAdmin))
	d := doc(t, admin.get("/admin/outbox"))
	if !strings.Contains(text(d, "[data-testid=outbox]"), "Join the project") {
		t.Error("message not listed")
	}
	res := admin.get("/admin/outbox/" + itoa(id))
	wantStatus(t, res, http.StatusOK)
	if href, _ := doc(t, res).Find("[data-testid=email-body] a").Attr("href"); href != "https://coproduce.test/invitations/abc" {
		t.Errorf("link not clickable: %q", href)
	}
	for _, u := range []*coproduce.User{pgtest.User(t, e.store, coproduce.RoleStaff), pgtest.User(t, e.store, coproduce.RolePartner)} {
		c := e.signedIn(u)
		wantStatus(t, c.get("/admin/outbox"), http.StatusForbidden)
		wantStatus(t, c.get("/admin/outbox/"+itoa(id)), http.StatusForbidden)
	}
	wantStatus(t, admin.get("/admin/outbox/999999999"), http.StatusNotFound)
}
