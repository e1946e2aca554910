package coproduce_test

import (
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// Step 4's levels map onto Needham and Carr's as docs/decisions.md says.
func TestDeclaredLevelMapsOntoNeedhamAndCarr(t *testing.T) {
	for level, want := range map[coproduce.Level]coproduce.PLevel{
		coproduce.LevelInform: coproduce.LevelDescription, coproduce.LevelConsult: coproduce.LevelRecognition,
		coproduce.LevelEngage: coproduce.LevelRecognition, coproduce.LevelCoDesign: coproduce.LevelTransformation,
		coproduce.LevelCoProduce: coproduce.LevelTransformation, "": 0,
	} {
		if got := coproduce.DeclaredPLevel(level); got != want {
			t.Errorf("%q maps to %d, want %d", level, got, want)
		}
	}
}

func figures(n int, level coproduce.PLevel, means ...float64) coproduce.Figures {
	f := coproduce.Figures{Answered: n, Level: level}
	if n >= coproduce.MinGroup {
		f.Means = means
	}
	return f
}

// A difference is flagged from 1.0 as the page shows it, and only between
// groups whose figures show; partners' level is below the promise only
// when their figures show.
func TestGapsAndTheLevelFlag(t *testing.T) {
	six := func(x float64) []float64 { return []float64{x, x, x, x, x, x} }
	r := coproduce.RoundResult{Lay: figures(3, coproduce.LevelRecognition, six(2.04)...),
		Staff: figures(4, coproduce.LevelTransformation, 3.0, 2.96, 2.94, 1.04, 3.5, 2.0)}
	want := []bool{true, true, false, true, true, false}
	for i, w := range want {
		if r.GapAt(i) != w {
			t.Errorf("principle %d: gap %v, want %v", i, r.GapAt(i), w)
		}
	}
	if !r.BelowDeclared(coproduce.LevelTransformation) || r.BelowDeclared(coproduce.LevelRecognition) || r.BelowDeclared(0) {
		t.Error("recognition is below transformation only")
	}
	hidden := coproduce.RoundResult{Lay: figures(2, coproduce.LevelDescription), Staff: r.Staff}
	if len(hidden.Gaps()) != 0 || hidden.BelowDeclared(coproduce.LevelTransformation) {
		t.Error("a group too small to show is compared")
	}
}

// An answer needs every principle scored 1 to 5 and a level; comments
// are optional.
func TestPrinciplesInputValidates(t *testing.T) {
	in := coproduce.PrinciplesInput{Scores: [6]string{"1", "2", "3", "4", "5", "6"}, Level: "4"}
	_, err := in.Validate()
	v, ok := err.(*coproduce.ValidationError)
	if !ok || v.For("score_catalysts") == "" || v.For("level") == "" || v.For("score_assets") != "" {
		t.Errorf("errors %v", err)
	}
	in = coproduce.PrinciplesInput{Scores: [6]string{"1", "2", "3", "4", "5", "5"}, Level: "2"}
	a, err := in.Validate()
	if err != nil || a.Scores[5] != 5 || a.Level != coproduce.LevelRecognition {
		t.Errorf("valid answer: %+v, %v", a, err)
	}
}
