package i18n_test

import (
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// Every communication need has its label, its short tag, and every way to
// be contacted its words, in each language.
func TestCatalogHasEveryCommunicationMessage(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	all := coproduce.SupportProfile{LargePrint: true, EasyRead: true, ScreenReader: true, Braille: true, Audio: true,
		PlainTextEmail: true, BSLInterpreter: true, LanguageInterpreter: "Polish", Advocate: true, CarerAttending: true}
	var ids []string
	for _, n := range all.CommunicationNeeds() {
		ids = append(ids, "need."+n, "comms.tag."+n)
	}
	for _, w := range coproduce.ContactWays {
		ids = append(ids, "comms.contact."+string(w), "offline.way."+string(w))
		if w != coproduce.ContactEmail {
			ids = append(ids, "comms.tag.contact."+string(w))
		}
	}
	for _, v := range coproduce.PaperVersions {
		ids = append(ids, "comms.papers_who."+string(v), "comms.papers_missing."+string(v),
			"comms.papers_missing_title."+string(v), "comms.paper_for_you."+string(v))
	}
	if len(ids) < 30 {
		t.Fatalf("only %d ids: the profile lost some needs", len(ids))
	}
	for _, id := range ids {
		if !c.Has(id) {
			t.Errorf("catalogue has no message %q", id)
		}
	}
}
