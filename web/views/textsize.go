package views

import "context"

type textSizeKey struct{}

// textSize is what the layout needs to show a page's text size and offer
// the other one: whether text is larger, and the page to come back to.
type textSize struct {
	larger bool
	back   string
}

// WithTextSize returns a context whose pages show larger text when larger
// is set; back is the page the text size control returns to.
func WithTextSize(ctx context.Context, larger bool, back string) context.Context {
	return context.WithValue(ctx, textSizeKey{}, textSize{larger: larger, back: back})
}

func textSizeFrom(ctx context.Context) textSize {
	t, _ := ctx.Value(textSizeKey{}).(textSize)
	if t.back == "" {
		t.back = "/"
	}
	return t
}

// htmlClass sets the page's text size and reading mode. Easy read brings
// larger text with it, as the easy read guidance asks for large print.
func htmlClass(ctx context.Context) string {
	switch {
	case easyReadOn(ctx):
		return "app-text-larger app-easy-read"
	case textSizeFrom(ctx).larger:
		return "app-text-larger"
	}
	return ""
}
