// Package i18n is the message catalogue: every word a person sees comes from
// it, so that the Welsh interface can be added as one more file of messages.
package i18n

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.toml
var files embed.FS

// Catalog holds the messages of every language.
type Catalog struct {
	// Strict makes a missing message panic instead of showing its id. Tests
	// turn it on so that a page using an unknown id fails loudly.
	Strict     bool
	bundle     *goi18n.Bundle
	matcher    language.Matcher
	localizers map[language.Tag]*Localizer
	ids        map[string]bool
}

// Load reads the embedded message files. English is the default language
// and the one every message must exist in.
func Load() (*Catalog, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{bundle: b, ids: map[string]bool{}, localizers: map[language.Tag]*Localizer{}}
	names, err := fs.Glob(files, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		mf, err := b.LoadMessageFileFS(files, name)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", name, err)
		}
		if mf.Tag == language.English {
			for _, m := range mf.Messages {
				c.ids[m.ID] = true
			}
		}
	}
	for _, tag := range b.LanguageTags() {
		base, _ := tag.Base()
		c.localizers[tag] = &Localizer{l: goi18n.NewLocalizer(b, tag.String()), lang: base.String(), catalog: c,
			numbers: message.NewPrinter(tag)}
	}
	c.matcher = language.NewMatcher(b.LanguageTags())
	return c, nil
}

// Has reports whether the English catalogue has a message with this id.
func (c *Catalog) Has(id string) bool {
	if _, ok := limitOf(id); ok {
		return c.ids[TooLong]
	}
	return c.ids[id]
}

// TooLong is the one message for a text over its limit. A validator names
// it with the limit it applied appended (error.text.too_long.1000, see
// coproduce.TooLong), and the message shows that number in its {{.Max}}:
// so the limit a person reads is always the one the form applied, which is
// the constant the database's CHECK is tested against.
const TooLong = "error.text.too_long"

// limitOf reads the limit from a too-long message's id.
func limitOf(id string) (int, bool) {
	n, ok := strings.CutPrefix(id, TooLong+".")
	if !ok {
		return 0, false
	}
	max, err := strconv.Atoi(n)
	return max, err == nil && max > 0 && strconv.Itoa(max) == n
}

// IDs lists every English message id, sorted.
func (c *Catalog) IDs() []string {
	ids := make([]string, 0, len(c.ids))
	for id := range c.ids {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Localizer returns the messages for the best language of an
// Accept-Language header that the catalogue has, falling back to English.
func (c *Catalog) Localizer(acceptLanguage string) *Localizer {
	tags, _, _ := language.ParseAcceptLanguage(acceptLanguage)
	_, index, _ := c.matcher.Match(tags...)
	return c.localizers[c.bundle.LanguageTags()[index]]
}

// ForEnvironment returns the messages for the command line: the language
// of the POSIX locale (LC_ALL, then LC_MESSAGES, then LANG), falling back
// to English as the web does for a language the catalogue lacks.
func (c *Catalog) ForEnvironment(getenv func(string) string) *Localizer {
	return c.Localizer(LocaleFromEnv(getenv))
}

// LocaleFromEnv turns the locale the environment sets, such as
// cy_GB.UTF-8, into a language tag, cy-GB; "" for none, C or POSIX.
func LocaleFromEnv(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		v, _, _ = strings.Cut(v, ".") // the character set
		v, _, _ = strings.Cut(v, "@") // the variant, as in ca_ES@valencia
		if v == "C" || v == "POSIX" {
			return ""
		}
		return strings.ReplaceAll(v, "_", "-")
	}
	return ""
}

// Localizer gives one language's messages. One is made per language and
// shared by every request, so its cache of plain messages lasts.
type Localizer struct {
	l       *goi18n.Localizer
	lang    string
	catalog *Catalog
	numbers *message.Printer
	// plain caches messages that take no data, which are most of them.
	plain sync.Map
}

// Has reports whether the catalogue has a message with this id.
func (l *Localizer) Has(id string) bool { return l.catalog.Has(id) }

// Lang is the language's code for the html lang attribute, such as "en".
func (l *Localizer) Lang() string { return l.lang }

// T returns the message with this id. data fills its {{.Name}} fields. A
// missing message shows its id, which tests catch.
func (l *Localizer) T(id string, data ...map[string]any) string {
	if len(data) > 0 && data[0] == nil {
		data = nil
	}
	if max, ok := limitOf(id); ok && len(data) == 0 {
		id, data = TooLong, []map[string]any{{"Max": l.Number(max)}}
	}
	if len(data) == 0 {
		if s, ok := l.plain.Load(id); ok {
			return s.(string)
		}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateParser: parser}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := l.l.Localize(cfg)
	if err != nil {
		return l.missing(id, err)
	}
	if len(data) == 0 {
		l.plain.Store(id, s)
	}
	return s
}

// parser fills the messages' fields (fields.go).
var parser = &fieldsParser{}

// N returns the plural form of the message for count; data may use
// {{.Count}}.
func (l *Localizer) N(id string, count int, data map[string]any) string {
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = count
	s, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: data,
		TemplateParser: parser})
	if err != nil {
		return l.missing(id, err)
	}
	return s
}

// Number writes a whole number as the language does: 1,000 in English.
func (l *Localizer) Number(n int) string { return l.numbers.Sprintf("%d", n) }

func (l *Localizer) missing(id string, err error) string {
	if l.catalog.Strict {
		panic(fmt.Sprintf("i18n: message %q: %v", id, err))
	}
	return id
}

type ctxKey struct{}

// WithLocalizer returns a context carrying the request's localizer.
func WithLocalizer(ctx context.Context, l *Localizer) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the request's localizer. It panics when there is none,
// because a page rendered without one would show message ids.
func FromContext(ctx context.Context) *Localizer {
	l, ok := ctx.Value(ctxKey{}).(*Localizer)
	if !ok {
		panic("i18n: no localizer in context")
	}
	return l
}
