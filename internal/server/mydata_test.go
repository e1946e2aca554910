package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
)

func TestMyDataHoldsOnlyMyOwn(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	path := sp.propose(t, sp.layC, "Mine: text reminders")
	sp.layC.post(path+"/comments", url.Values{"body": {"My own comment"}, "form_token": {"a"}})
	sp.staffC.post(path+"/comments", url.Values{"body": {"Someone else's comment"}, "form_token": {"b"}})
	sp.layC.post(path+"/vote", url.Values{"choice": {"support"}})
	sp.layC.post(sp.path("/support/me"), url.Values{"hearing_loop": {"yes"}})

	res := sp.layC.get("/me/data")
	wantStatus(t, res, http.StatusOK)
	body := res.Body.String()
	var d coproduce.PersonalData
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	if d.Account.Email != sp.lay.Email || len(d.Memberships) != 1 || len(d.Proposals) != 1 || len(d.Comments) != 1 ||
		len(d.Votes) != 1 || len(d.Support) != 1 || !d.Support[0].HearingLoop || d.Support[0].Project == "" {
		t.Errorf("data %+v", d)
	}
	for _, other := range []string{"Someone else's comment", sp.staff.Email, "argon2id"} {
		if strings.Contains(body, other) {
			t.Errorf("download contains %q", other)
		}
	}
	if n := sp.e.count(`SELECT count(*) FROM audit_events WHERE action = 'data.download' AND actor_id = $1`, sp.lay.ID); n != 1 {
		t.Errorf("%d download events", n)
	}
	wantRedirect(t, sp.e.client().get("/me/data"), "/sign-in")
}
