package i18n_test

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// Easy read follows the Department of Health's guidance: one idea to a
// sentence, sentences of 15 words or fewer, common words. The rules here
// hold every easy-read message (easy_read.* in the catalogue) to it:
//
//   - no sentence over 15 words, in English and in Welsh;
//   - a Flesch reading-ease score of 70 or more ("fairly easy" and above),
//     in English (the formula is made for English), for each message of
//     10 words or more and for each group of messages a page shows
//     together (the messages whose ids share all but their last part).
//     Flesch means little for a label of a few words ("Email address"
//     scores 36, "Yes, I can come" 119), so short messages are scored
//     within their group instead.
//
// Flesch reading ease = 206.835 − 1.015 × words/sentences − 84.6 ×
// syllables/words, with syllables counted by syllables() below.
const (
	easyMaxWords      = 15
	easyMinFlesch     = 70.0
	fleschMinWords    = 10
	standardMaxWords  = 25
	easyReadIDPrefix  = "easy_read."
	placeholderAsWord = "Name"
)

// layFacing lists, by id prefix, the standard messages a lay partner reads
// on the pages easy read covers: sign-in and invitations, the project
// page's "your part", the purpose statement and 4Rs, ideas, votes,
// answers and discussion, support needs, expenses and payments, meetings
// and updates. Each is held to 25 words a sentence. Messages under these
// prefixes that only leads, facilitators or approvers see are left out by
// notLayFacing.
var layFacing = []string{
	"signin.", "invitation.", "link.", "join.", "project_role_hint.", "you.",
	"purpose.", "four_rs.", "proposals.", "proposal.", "vote.", "vote_reasons.",
	"tally.", "answer.", "response.", "discussion.", "comment.", "support.",
	"need.", "claims.", "category.", "payments.", "meetings.", "meetings_page.",
	"updates.", "step.be-clear.explain", "step.understand.explain",
	"step.build.explain", "step.support.explain",
}

// notLayFacing are the messages under layFacing's prefixes written for the
// people who run a project.
var notLayFacing = []string{
	"support.members_", "support.member_", "support.confidential", "support.read_needs",
	"claims.export", "claims.approve", "claims.reject", "claims.draft_line_for", "claims.draft_check_for",
	"payments.levels_", "payments.level", "payments.save_level",
	"purpose.edit_", "purpose.who_has_not", "purpose.everyone_has", "purpose.write", "purpose.change",
	"four_rs.edit_", "four_rs.everyone_heading", "four_rs.write", "four_rs.waiting_member",
	"answer.legend", "answer.hint", "answer.rationale", "answer.submit",
	"comment.hide", "comment.reason", "meetings.new_heading", "meetings.submit",
}

var (
	sentenceEnd = regexp.MustCompile(`[.!?]+(\s+|$)`)
	wordRe      = regexp.MustCompile(`[\p{L}\p{N}'’-]+`)
	vowelGroups = regexp.MustCompile(`[aeiouy]+`)
)

// plainText is a message as a person reads it: a placeholder stands for one
// word, and HTML is dropped.
func plainText(s string) string {
	s = placeholder.ReplaceAllString(s, placeholderAsWord)
	return htmlTag.ReplaceAllString(s, "")
}

// sentences splits a message at full stops, question and exclamation
// marks. A colon or semicolon does not end a sentence.
func sentences(s string) []string {
	var out []string
	for _, part := range sentenceEnd.Split(plainText(s), -1) {
		if len(words(part)) > 0 {
			out = append(out, part)
		}
	}
	return out
}

func words(s string) []string { return wordRe.FindAllString(s, -1) }

// syllables is a simple English syllable counter, good enough for a
// reading score: it counts groups of vowels (a, e, i, o, u and y), less a
// silent final "e" (make, time; not "le" as in table) and a silent "-es"
// or "-ed" (takes, asked; not after t or d, as in wanted). Every word has
// at least one. Letters said one by one (BSL, MB) count one each; a word
// with a digit (15, 4Rs) counts two, as most numbers are said in one to
// three.
func syllables(word string) int {
	if strings.ContainsFunc(word, unicode.IsDigit) {
		return 2
	}
	if len(word) > 1 && strings.ToUpper(word) == word {
		return len(word)
	}
	w := strings.ToLower(strings.Trim(word, "'’-"))
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	n := len(vowelGroups.FindAllString(w, -1))
	switch {
	case n > 1 && strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "le") && !strings.HasSuffix(w, "ee"):
		n--
	case n > 1 && (strings.HasSuffix(w, "es") || strings.HasSuffix(w, "ed")) &&
		!strings.HasSuffix(w, "tes") && !strings.HasSuffix(w, "des") && !strings.HasSuffix(w, "ted") &&
		!strings.HasSuffix(w, "ded") && !strings.HasSuffix(w, "ses") && !strings.HasSuffix(w, "ces") &&
		!strings.HasSuffix(w, "ges") && !strings.HasSuffix(w, "xes") && !strings.HasSuffix(w, "shes") &&
		!strings.HasSuffix(w, "ches"):
		n--
	}
	return max(n, 1)
}

// flesch is the Flesch reading ease of some text.
func flesch(text string) float64 {
	ss := sentences(text)
	var nw, nsyl int
	for _, s := range ss {
		for _, w := range words(s) {
			nw++
			nsyl += syllables(w)
		}
	}
	if nw == 0 {
		return math.Inf(1)
	}
	return 206.835 - 1.015*float64(nw)/float64(len(ss)) - 84.6*float64(nsyl)/float64(nw)
}

// The syllable counter and the score agree with words whose syllables
// are known, so a score below means what it says.
func TestSyllablesAndFlesch(t *testing.T) {
	for w, want := range map[string]int{
		"the": 1, "make": 1, "time": 1, "table": 2, "asked": 1, "wanted": 2, "takes": 1,
		"places": 2, "project": 2, "idea": 2, "someone": 2, "people": 2, "money": 2, "answer": 2,
		"support": 2, "meeting": 2, "responsibility": 6, "BSL": 3, "15": 2, "you're": 1,
	} {
		if got := syllables(w); got != want {
			t.Errorf("syllables(%q) = %d, want %d", w, got, want)
		}
	}
	// "The cat sat on the mat." is 6 words of one syllable in one sentence.
	if got, want := flesch("The cat sat on the mat."), 206.835-1.015*6-84.6; math.Abs(got-want) > 1e-9 {
		t.Errorf("flesch = %.2f, want %.2f", got, want)
	}
	if got := len(sentences("Hello {{.Name}}. Will you join? Yes: I will! For 4.50 pounds.")); got != 4 {
		t.Errorf("sentences: %d, want 4", got)
	}
}

// Every easy-read message meets the easy read guidance's sentence length
// and reading ease, in English; Welsh easy read keeps to its sentence
// length. The figures are logged (go test -v) for review.
func TestEasyReadMessagesAreEasyToRead(t *testing.T) {
	en, order := readCatalogue(t, "en.toml")
	cy, _ := readCatalogue(t, "cy.toml")
	groups := map[string][]string{}
	var scores []float64
	longest, longestID := "", ""
	for _, id := range order {
		if !strings.HasPrefix(id, easyReadIDPrefix) {
			continue
		}
		for _, form := range en[id] {
			for _, s := range sentences(form) {
				if n := len(words(s)); n > easyMaxWords {
					t.Errorf("%s: a sentence of %d words (at most %d): %q", id, n, easyMaxWords, s)
				}
				if len(words(s)) > len(words(longest)) {
					longest, longestID = s, id
				}
			}
			if len(words(plainText(form))) >= fleschMinWords {
				f := flesch(form)
				scores = append(scores, f)
				if f < easyMinFlesch {
					t.Errorf("%s: Flesch reading ease %.0f (at least %.0f): %q", id, f, easyMinFlesch, form)
				}
			}
			group := id[:strings.LastIndex(id, ".")]
			groups[group] = append(groups[group], form)
		}
		for _, form := range cy[id] {
			for _, s := range sentences(form) {
				if n := len(words(s)); n > easyMaxWords {
					t.Errorf("%s (Welsh): a sentence of %d words (at most %d): %q", id, n, easyMaxWords, s)
				}
			}
		}
	}
	if len(groups) < 10 {
		t.Fatalf("only %d groups of easy-read messages", len(groups))
	}
	var all []string
	for g, forms := range groups {
		text := joinSentences(forms)
		all = append(all, text)
		if f := flesch(text); f < easyMinFlesch {
			t.Errorf("%s: the group's Flesch reading ease is %.0f (at least %.0f)", g, f, easyMinFlesch)
		}
	}
	sort.Float64s(scores)
	var sum float64
	for _, f := range scores {
		sum += f
	}
	t.Logf("easy read: %d messages of %d+ words, mean Flesch %.1f, lowest %.1f; all easy read together %.1f; longest sentence %d words (%s): %q",
		len(scores), fleschMinWords, sum/float64(len(scores)), scores[0], flesch(joinSentences(all)),
		len(words(longest)), longestID, longest)
}

// joinSentences reads messages one after another, each ending a sentence
// (a heading or label has no full stop of its own).
func joinSentences(forms []string) string {
	var b strings.Builder
	for _, f := range forms {
		b.WriteString(strings.TrimRight(plainText(f), " .") + ". ")
	}
	return b.String()
}

// The standard messages a lay partner reads keep to 25 words a sentence.
func TestLayPartnersMessagesHaveShortSentences(t *testing.T) {
	en, order := readCatalogue(t, "en.toml")
	checked := 0
	for _, id := range order {
		if !hasAnyPrefix(id, layFacing) || hasAnyPrefix(id, notLayFacing) {
			continue
		}
		checked++
		for _, form := range en[id] {
			for _, s := range sentences(form) {
				if n := len(words(s)); n > standardMaxWords {
					t.Errorf("%s: a sentence of %d words (at most %d): %q", id, n, standardMaxWords, s)
				}
			}
		}
	}
	if checked < 200 {
		t.Errorf("checked only %d lay partners' messages", checked)
	}
}

func hasAnyPrefix(id string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}
