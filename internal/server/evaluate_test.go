package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// answer picks, in the readiness form, the answer to the statement
// numbered n: the radio labelled answer inside the fieldset whose legend
// starts with that number, as a person would.
func (f *filledForm) answer(n int, answer string) *filledForm {
	f.p.t.Helper()
	var picked bool
	f.sel.Find("fieldset").Each(func(_ int, fs *goquery.Selection) {
		if !strings.HasPrefix(fold(fs.Find("legend").Text()), itoa(int64(n))+".") {
			return
		}
		fs.Find("label").Each(func(_ int, l *goquery.Selection) {
			if fold(l.Text()) == fold(answer) {
				in := fs.Find("#" + l.AttrOr("for", "-"))
				f.values.Set(in.AttrOr("name", ""), in.AttrOr("value", ""))
				picked = true
			}
		})
	})
	if !picked {
		f.p.t.Fatalf("%s: no answer %q to statement %d", f.p.path, answer, n)
	}
	return f
}

// statementNumber is where a statement's key comes in the check, from 1.
func statementNumber(t *testing.T, key string) int {
	t.Helper()
	for i, st := range coproduce.ReadinessStatements {
		if st.Key == key {
			return i + 1
		}
	}
	t.Fatalf("no statement %q", key)
	return 0
}

// A lead answers the readiness check from the form: a form left short
// comes back with every missing answer in the summary and what was given
// kept; the saved check's warning shows on the lead's project page (and
// nobody else's) until the check is answered again without it. Every
// save is kept.
func TestReadinessCheckThroughItsForm(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	readiness := sp.path("/evaluate/readiness")
	agenda := statementNumber(t, "own_agenda")
	agendaWords := "We have a plan or strategy that we cannot put to one side."

	t.Run("OnlyALeadIsOfferedTheForm", func(t *testing.T) {
		for _, c := range []*client{sp.facC, sp.layC, sp.staffC} {
			page := c.open(t, readiness)
			if page.has("Save your answers") || !strings.Contains(page.doc.Text(), "The project's leads answer the readiness check.") {
				t.Error("someone other than a lead is offered the readiness form")
			}
			wantStatus(t, c.post(readiness, nil), http.StatusForbidden)
		}
		wantStatus(t, sp.outsideC.get(readiness), http.StatusNotFound)
		if got := text(sp.leadC.open(t, sp.path("")).doc, "[data-testid=readiness-prompt]"); !strings.Contains(got, "Take the readiness check") {
			t.Errorf("the lead's project page does not ask for the check: %q", got)
		}
		if sp.layC.open(t, sp.path("")).doc.Find("[data-testid=readiness-prompt]").Length() != 0 {
			t.Error("a lay partner is asked to take the readiness check")
		}
	})

	t.Run("ShortFormIsShownAgainWithInputKept", func(t *testing.T) {
		res := sp.leadC.open(t, readiness).form("Save your answers").answer(1, "Agree").
			fill("Note on statement 1 (optional)", "Carers are angry about visiting").submit()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res)
		summary := d.Find("[data-testid=error-summary] li")
		if summary.Length() != len(coproduce.ReadinessStatements)-1 {
			t.Errorf("the summary lists %d problems, want %d", summary.Length(), len(coproduce.ReadinessStatements)-1)
		}
		if got := fold(summary.First().Text()); got != "Statement 2: Choose agree, not sure or disagree" {
			t.Errorf("first problem %q", got)
		}
		if d.Find("#answer_upset[checked]").Length() != 1 {
			t.Error("the answer given to statement 1 was not kept")
		}
		if got := d.Find("#note_upset").Text(); got != "Carers are angry about visiting" {
			t.Errorf("the note was not kept: %q", got)
		}
	})

	t.Run("WarningShowsToLeadsUntilRevisited", func(t *testing.T) {
		f := sp.leadC.open(t, readiness).form("Save your answers")
		for i, st := range coproduce.ReadinessStatements {
			if st.Do {
				f.answer(i+1, "Agree")
			} else {
				f.answer(i+1, "Disagree")
			}
		}
		f.answer(agenda, "Agree").fill("Note on statement "+itoa(int64(agenda))+" (optional)", "The trust's five-year plan")
		page := sp.leadC.follow(t, f.submit())
		if !strings.Contains(page.doc.Text(), "Your answers have been saved.") {
			t.Error("no confirmation")
		}
		warn := text(sp.leadC.open(t, sp.path("")).doc, "[data-testid=readiness-warnings]")
		if !strings.Contains(warn, agendaWords) || !strings.Contains(warn, "Agree") || !strings.Contains(warn, "The trust's five-year plan") {
			t.Errorf("the lead's project page warns %q", warn)
		}
		if strings.Contains(warn, "We will take a good idea from anyone") {
			t.Errorf("an answer that is a good sign is shown as a warning: %q", warn)
		}
		for _, c := range []*client{sp.facC, sp.layC} {
			if c.open(t, sp.path("")).doc.Find("[data-testid=readiness-warnings]").Length() != 0 {
				t.Error("readiness warnings are shown to someone who is not a lead")
			}
		}
		// Revisiting starts from the saved answers: only one changes.
		f = sp.leadC.open(t, readiness).form("Save your answers")
		if f.values.Get("answer_own_agenda") != "agree" || f.values.Get("answer_upset") != "agree" {
			t.Errorf("the form does not start from the saved answers: %v", f.values)
		}
		sp.leadC.follow(t, f.answer(agenda, "Not sure").submit())
		if got := text(sp.leadC.open(t, sp.path("")).doc, "[data-testid=readiness-warnings]"); !strings.Contains(got, "Not sure") {
			t.Errorf("a not-sure answer does not warn: %q", got)
		}
		sp.leadC.follow(t, sp.leadC.open(t, readiness).form("Save your answers").answer(agenda, "Disagree").submit())
		if n := sp.leadC.open(t, sp.path("")).doc.Find("[data-testid=readiness-warnings], [data-testid=readiness-prompt]").Length(); n != 0 {
			t.Error("the project page still warns after the check was answered again without the warning")
		}
		if n := sp.layC.open(t, readiness).doc.Find("[data-testid=readiness-check]").Length(); n != 3 {
			t.Errorf("%d saved checks listed, want all 3", n)
		}
	})
}

// The Evaluate section is linked from the project page's steps and lists
// its five parts, with where the readiness check and outcomes stand.
func TestEvaluateSectionLinksItsParts(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	link := sp.layC.open(t, sp.path("")).doc.Find("[data-testid=evaluate-link] a")
	if href := link.AttrOr("href", ""); href != sp.path("/evaluate") {
		t.Fatalf("the project page's Evaluate link goes to %q", href)
	}
	page := sp.layC.open(t, sp.path("/evaluate"))
	for part, suffix := range map[string]string{"readiness": "/readiness", "outcomes": "/outcomes",
		"principles": "/principles", "meetings": "/meetings", "impact": "/impact"} {
		if href := page.doc.Find("[data-testid=evaluate-"+part+"]").AttrOr("href", ""); href != sp.path("/evaluate"+suffix) {
			t.Errorf("%s links to %q", part, href)
		}
	}
	if got := text(page.doc, "[data-testid=readiness-status]"); got != "Not answered yet." {
		t.Errorf("readiness status %q", got)
	}
	wantStatus(t, sp.outsideC.get(sp.path("/evaluate")), http.StatusNotFound)
	wantStatus(t, sp.e.signedIn(sp.admin).get(sp.path("/evaluate")), http.StatusOK)
}
