package postgres_test

import (
	"context"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/postgres/pgtest"
)

// The database keeps the bilingual promise even when a caller skips the
// validation: a bilingual project has its Welsh title, and a summary in
// both languages or in neither; a purpose statement has its purpose in
// one language at least, and may have it in Welsh alone.
func TestBilingualContentIsKept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := pgtest.Store(t)
	lead := pgtest.User(t, s, coproduce.RoleStaff)
	p := pgtest.Project(t, s, lead)

	in := coproduce.ProjectInput{Title: "Stroke care", TitleCy: "Gofal strôc", Summary: "At home",
		SummaryCy: "Gartref", Bilingual: true, Status: coproduce.ProjectActive}
	if err := s.UpdateProject(ctx, lead.ID, p.ID, in); err != nil {
		t.Fatal(err)
	}
	got, err := s.ProjectByID(ctx, p.ID)
	if err != nil || got.TitleCy != "Gofal strôc" || got.SummaryCy != "Gartref" || !got.Bilingual {
		t.Fatalf("read back %+v, %v", got, err)
	}
	for name, bad := range map[string]coproduce.ProjectInput{
		"NoWelshTitle":   {Title: "Stroke care", Summary: "At home", SummaryCy: "Gartref", Bilingual: true, Status: coproduce.ProjectActive},
		"NoWelshSummary": {Title: "Stroke care", TitleCy: "Gofal strôc", Summary: "At home", Bilingual: true, Status: coproduce.ProjectActive},
	} {
		t.Run(name, func(t *testing.T) {
			if err := s.UpdateProject(ctx, lead.ID, p.ID, bad); err == nil {
				t.Error("stored")
			}
		})
	}

	v, err := s.CreatePurposeVersion(ctx, lead.ID, p.ID, coproduce.PurposeInput{PurposeCy: "Adsefydlu gwell"})
	if err != nil {
		t.Fatalf("a statement in Welsh alone: %v", err)
	}
	pv, err := s.PurposeVersion(ctx, p.ID, v)
	if err != nil || pv.PurposeCy != "Adsefydlu gwell" || pv.Purpose != "" {
		t.Errorf("read back %+v, %v", pv, err)
	}
	if _, err := s.CreatePurposeVersion(ctx, lead.ID, p.ID, coproduce.PurposeInput{Fixed: "The budget", BaseVersion: v}); err == nil {
		t.Error("stored a statement with no purpose in either language")
	}
}
