package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/coproduce/coproduce/internal/i18n"
)

func TestIdeasCacheKeepsAListForOneSecond(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := i18n.WithLocalizer(context.Background(), cat.Localizer("en"))
	c := newIdeasCache()
	start := time.Now()
	if _, _, ok := c.get(7, "en", start); ok {
		t.Fatal("a hit before anything was kept")
	}
	if _, err := c.put(ctx, 7, templ.Raw("<p>first</p>"), sharedParts{members: 3}, start); err != nil {
		t.Fatal(err)
	}
	got, shared, ok := c.get(7, "en", start.Add(999*time.Millisecond))
	var b strings.Builder
	if !ok || got.Render(ctx, &b) != nil || b.String() != "<p>first</p>" || shared.members != 3 {
		t.Errorf("within the second: %v %q %+v", ok, b.String(), shared)
	}
	if _, _, ok := c.get(7, "en", start.Add(time.Second)); ok {
		t.Error("still kept after a second")
	}
	if _, _, ok := c.get(8, "en", start); ok {
		t.Error("another project's list")
	}
	if _, _, ok := c.get(7, "cy", start); ok {
		t.Error("another language's list")
	}
}
