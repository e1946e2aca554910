package coproduce

import "testing"

func TestCloseBidiClosesWhatEachLineLeavesOpen(t *testing.T) {
	const rlo, pdf, rli, pdi = "\u202E", "\u202C", "\u2067", "\u2069"
	for _, c := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"Ann " + rlo + "evil", "Ann " + rlo + "evil" + pdf},
		{rlo + "closed" + pdf + " after", rlo + "closed" + pdf + " after"},
		{rlo + rlo + "twice", rlo + rlo + "twice" + pdf + pdf},
		{rli + "isolate", rli + "isolate" + pdi},
		// PDF cannot close an override opened outside an open isolate.
		{rlo + "a" + rli + "b" + pdf, rlo + "a" + rli + "b" + pdf + pdi + pdf},
		// PDI closes its isolate and everything opened inside it.
		{rli + rlo + "x" + pdi + "y", rli + rlo + "x" + pdi + "y"},
		{"one " + rlo + "\r\ntwo " + rlo, "one " + rlo + pdf + "\r\ntwo " + rlo + pdf},
		{pdf + pdi + "stray closers", pdf + pdi + "stray closers"},
	} {
		if got := CloseBidi(c.in); got != c.want {
			t.Errorf("CloseBidi(%+q) = %+q, want %+q", c.in, got, c.want)
		}
	}
}
