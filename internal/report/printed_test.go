package report

import "testing"

// A printed report shows each idea's newest ten comments, fewer each as the
// ideas grow many, never more than PrintedComments together nor fewer
// than one each.
func TestPrintedPerIdea(t *testing.T) {
	for _, c := range []struct{ ideas, want int }{
		{0, 10}, {1, 10}, {20, 10}, {21, 9}, {40, 5}, {200, 1}, {1000, 1},
	} {
		r := &Report{Proposals: make([]Proposal, c.ideas)}
		if got := r.PrintedPerIdea(); got != c.want {
			t.Errorf("%d ideas: %d comments each, want %d", c.ideas, got, c.want)
		}
	}
}
