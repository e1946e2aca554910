package main

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// submit opens a page and submits one of its forms as a person does: the
// form whose button says button, with its own field names and hidden
// values, text fields filled by their labels (fill) and the checkboxes or
// radios whose labels are in tick ticked. It returns the answer to the post.
func (b *browser) submit(pageURL, button string, fill map[string]string, tick ...string) (int, string) {
	b.t.Helper()
	status, body, err := b.get(pageURL)
	if err != nil || status != http.StatusOK {
		b.t.Fatalf("open %s: %d %v", pageURL, status, err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	form := doc.Find("form").FilterFunction(func(_ int, f *goquery.Selection) bool {
		return strings.Contains(f.Find("button").Text(), button)
	}).First()
	if form.Length() == 0 {
		b.t.Fatalf("%s has no form with a %q button", pageURL, button)
	}
	vals := url.Values{}
	form.Find("input, textarea, select").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		typ, _ := in.Attr("type")
		_, checked := in.Attr("checked")
		switch {
		case name == "":
		case goquery.NodeName(in) == "textarea":
			vals.Add(name, in.Text())
		case goquery.NodeName(in) == "select":
			v, _ := in.Find("option[selected]").Attr("value")
			vals.Add(name, v)
		case typ == "checkbox" || typ == "radio":
			if checked {
				v, _ := in.Attr("value")
				vals.Add(name, v)
			}
		default:
			v, _ := in.Attr("value")
			vals.Add(name, v)
		}
	})
	field := func(label string) *goquery.Selection {
		l := form.Find("label").FilterFunction(func(_ int, l *goquery.Selection) bool {
			return strings.TrimSpace(l.Text()) == label
		}).First()
		id, _ := l.Attr("for")
		in := form.Find("#" + id)
		if id == "" || in.Length() == 0 {
			b.t.Fatalf("%s: no field labelled %q", pageURL, label)
		}
		return in
	}
	for label, v := range fill {
		name, _ := field(label).Attr("name")
		vals.Set(name, v)
	}
	for _, label := range tick {
		in := field(label)
		name, _ := in.Attr("name")
		v, _ := in.Attr("value")
		if typ, _ := in.Attr("type"); typ == "radio" {
			vals.Del(name)
		}
		vals.Add(name, v)
	}
	action, _ := form.Attr("action")
	base, _ := url.Parse(pageURL)
	to, err := base.Parse(action)
	if err != nil {
		b.t.Fatal(err)
	}
	status, body, err = b.post(to.String(), vals.Encode())
	if err != nil {
		b.t.Fatal(err)
	}
	return status, body
}
