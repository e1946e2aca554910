package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
	"github.com/coproduce/coproduce/internal/server"
)

// benchProject is a committed project with proposals, served over a real
// pool, for timing whole requests: routing, session, access, SQL.
func benchProject(b *testing.B, proposals int) (*env, *client, *coproduce.Project, []int64) {
	b.Helper()
	pool := pgtest.Pool(b, pgtest.Clone(b))
	store := postgres.NewStore(pool)
	// Timing many posts by one person: the posting limits are off.
	e := newEnvConfigured(b, store, func(c *server.Config) { c.IdeasPerMinute, c.CommentsPerMinute = -1, -1 })
	lead := pgtest.User(b, store, coproduce.RoleStaff)
	p := pgtest.Project(b, store, lead)
	ids := make([]int64, proposals)
	for i := range ids {
		id, err := store.CreateProposal(context.Background(), lead.ID, p.ID,
			coproduce.ProposalInput{Title: "Idea " + strconv.Itoa(i), Body: "Body"})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = id
	}
	return e, e.signedIn(lead), p, ids
}

func post(b *testing.B, c *client, path, body string) {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	res := httptest.NewRecorder()
	c.e.server.ServeHTTP(res, req)
	if res.Code != http.StatusSeeOther {
		b.Fatalf("%s: %d", path, res.Code)
	}
}

// BenchmarkVotePost times a vote (or a changed vote) through the whole
// handler, against PostgreSQL.
func BenchmarkVotePost(b *testing.B) {
	_, c, p, ids := benchProject(b, 100)
	choices := []string{"support", "neutral", "object"}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		post(b, c, "/projects/"+itoa(p.ID)+"/proposals/"+itoa(ids[i%len(ids)])+"/vote", "choice="+choices[i%3])
	}
}

// BenchmarkCommentPost times adding a comment through the whole handler.
func BenchmarkCommentPost(b *testing.B) {
	_, c, p, ids := benchProject(b, 100)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		post(b, c, "/projects/"+itoa(p.ID)+"/proposals/"+itoa(ids[i%len(ids)])+"/comments",
			"body=A+thoughtful+comment+about+this+idea&form_token=t"+strconv.Itoa(i))
	}
}

// BenchmarkProjectPageInWelshAndEnglish times the project page, with 200
// ideas, in each language through the whole handler: the Welsh page must
// cost no more than the English one (the bench's target is Welsh ≥ 0.95 ×
// English in requests a second).
func BenchmarkProjectPageInWelshAndEnglish(b *testing.B) {
	_, c, p, _ := benchProject(b, 200)
	for _, lang := range []string{"en", "cy"} {
		b.Run(lang, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/projects/"+itoa(p.ID), nil)
				req.Header.Set("Accept-Language", lang)
				for _, ck := range c.cookies {
					req.AddCookie(ck)
				}
				res := httptest.NewRecorder()
				c.e.server.ServeHTTP(res, req)
				if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `lang="`+lang+`"`) {
					b.Fatalf("%s: %d", lang, res.Code)
				}
			}
		})
	}
}
