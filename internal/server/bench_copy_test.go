package server_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/internal/server"
)

// make bench's baseline for the CSV export streams, with COPY, the rows the
// export's discussion holds, to those who may have the export, and says in
// a trailer how many it streamed; without BENCH_BASELINES it is not there.
func TestBenchCopyStreamsTheProjectsComments(t *testing.T) {
	t.Parallel()
	tx := pgtest.Tx(t)
	store := postgres.NewStore(pgtest.Autocommit(tx))
	e := newEnvConfigured(t, store, func(c *server.Config) { c.BenchBaselines = true })
	e.tx = tx
	ctx := context.Background()
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	lay := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	other := pgtest.Project(t, store, lead)
	bodies := []string{"First, with a comma", "Second\non two lines", "Third \"quoted\""}
	for i, body := range bodies {
		idea, err := store.CreateProposal(ctx, lead.ID, p.ID, coproduce.ProposalInput{Title: "Idea " + itoa(int64(i)), Body: "Body"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := store.AddComment(ctx, p.ID, idea, lay.ID, 0, body, "token-"+itoa(int64(i))); err != nil {
			t.Fatal(err)
		}
	}
	elsewhere, err := store.CreateProposal(ctx, lead.ID, other.ID, coproduce.ProposalInput{Title: "Elsewhere", Body: "Body"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.AddComment(ctx, other.ID, elsewhere, lead.ID, 0, "Not this project's", "token-x"); err != nil {
		t.Fatal(err)
	}

	path := "/projects/" + itoa(p.ID) + "/bench/comments.csv"
	res := e.signedIn(lead).get(path)
	if res.Code != http.StatusOK || !strings.HasPrefix(res.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("lead: status %d, %s\n%s", res.Code, res.Header().Get("Content-Type"), res.Body)
	}
	records, err := csv.NewReader(strings.NewReader(res.Body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range records {
		got = append(got, r[len(r)-1])
	}
	if strings.Join(got, "|") != strings.Join(bodies, "|") {
		t.Errorf("streamed comments %q, want %q", got, bodies)
	}
	if n := res.Result().Trailer.Get(server.BenchRowsTrailer); n != "3" {
		t.Errorf("trailer says %q rows, want 3", n)
	}

	if res := e.signedIn(lay).get(path); res.Code != http.StatusForbidden {
		t.Errorf("lay partner: status %d, want 403 (the export is for those who run the project)", res.Code)
	}
	plain := newEnvOn(t, store)
	if res := plain.signedIn(lead).get(path); res.Code != http.StatusNotFound {
		t.Errorf("without BENCH_BASELINES: status %d, want 404", res.Code)
	}
}

// make bench's baseline for a write commits one UPDATE behind the same
// checks as a vote: a member's post writes a new version of their
// membership row and is answered as a vote is; a post from another site
// is refused; without BENCH_BASELINES it is not there.
func TestBenchWriteCommitsBehindTheSameChecks(t *testing.T) {
	t.Parallel()
	tx := pgtest.Tx(t)
	store := postgres.NewStore(pgtest.Autocommit(tx))
	e := newEnvConfigured(t, store, func(c *server.Config) { c.BenchBaselines = true })
	e.tx = tx
	lead := pgtest.User(t, store, coproduce.RoleStaff)
	p := pgtest.Project(t, store, lead)
	lay := pgtest.Member(t, store, p, coproduce.RolePartner, coproduce.RoleLayPartner)
	path := "/projects/" + itoa(p.ID) + "/bench/write"
	version := func() string {
		var xmin string
		if err := tx.QueryRow(context.Background(), `SELECT xmin::text FROM memberships WHERE project_id = $1 AND user_id = $2`,
			p.ID, lay.ID).Scan(&xmin); err != nil {
			t.Fatal(err)
		}
		return xmin
	}

	member := e.signedIn(lay)
	was := version()
	res := member.post(path, nil)
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/projects/"+itoa(p.ID) {
		t.Fatalf("member: status %d to %q, want 303 to the project", res.Code, res.Header().Get("Location"))
	}
	if now := version(); now == was {
		t.Errorf("membership row still version %s after the write", now)
	}

	req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, path, nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://elsewhere.example")
	if res := member.do(req); res.Code != http.StatusForbidden {
		t.Errorf("post from another site: status %d, want 403", res.Code)
	}
	outsider := pgtest.User(t, store, coproduce.RolePartner)
	if res := e.signedIn(outsider).post(path, nil); res.Code != http.StatusNotFound && res.Code != http.StatusForbidden {
		t.Errorf("someone outside the project: status %d, want refused", res.Code)
	}
	plain := newEnvOn(t, store)
	if res := plain.signedIn(lay).post(path, nil); res.Code != http.StatusNotFound && res.Code != http.StatusMethodNotAllowed {
		t.Errorf("without BENCH_BASELINES: status %d, want 404", res.Code)
	}
}
