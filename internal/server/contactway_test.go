package server_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// A member who asks a project to write to them, or to text them, is told
// on the support form that the project will not email them, and told again
// on their notification settings; the project's facilitators see on the
// member list that they take part without email, and how to reach them.
func TestAMemberWhoAsksNotToBeEmailedIsToldAndFlagged(t *testing.T) {
	t.Parallel()
	sp := newStepProject(t)
	support := sp.path("/support/me")
	hint := text(sp.layC.open(t, support).doc, "#contact_way-hint")
	if !strings.Contains(hint, "If you choose anything but email, we will not email you about this project. The organisers will contact you the way you choose.") {
		t.Errorf("the contact question's hint does not say what choosing another way means: %q", hint)
	}
	if got := sp.layC.open(t, "/account/notifications").doc.Find("[data-testid=not-emailed]").Length(); got != 0 {
		t.Error("the notification settings say a project does not email someone who asked it to")
	}

	wantRedirect(t, sp.layC.open(t, support).form("Save").check("By letter").
		fill("Address (if we should write to you)", "1 High Street\nCardiff").submit(), sp.path("/steps/support"))
	wantRedirect(t, sp.staffC.open(t, support).form("Save").check("By text message").
		fill("Phone number (if we should call or text you)", "07700 900 982").submit(), sp.path("/steps/support"))

	t.Run("TheirNotificationSettingsSaySo", func(t *testing.T) {
		d := sp.layC.open(t, "/account/notifications").doc
		note := text(d, "[data-testid=not-emailed]")
		for _, want := range []string{"We do not email you about them", sp.p.Title + ": By letter"} {
			if !strings.Contains(note, want) {
				t.Errorf("the notification settings' note lacks %q: %q", want, note)
			}
		}
		if href := d.Find("[data-testid=not-emailed] a").AttrOr("href", ""); href != support {
			t.Errorf("the note links %q, want the project's support form %q", href, support)
		}
	})

	t.Run("FacilitatorsSeeWhoToReachAnotherWay", func(t *testing.T) {
		notes := map[string]string{}
		sp.facC.open(t, sp.path("/members")).doc.Find("[data-testid=offline-note]").Each(func(_ int, s *goquery.Selection) {
			row := fold(s.Closest("td").Text())
			notes[row] = fold(s.Text())
		})
		found := func(name, way string) bool {
			for row, note := range notes {
				if strings.HasPrefix(row, name) && strings.Contains(note, way) {
					return true
				}
			}
			return false
		}
		if !found(sp.lay.Name, "By post") {
			t.Errorf("the member list does not flag %s, who asked for letters: %q", sp.lay.Name, notes)
		}
		if !found(sp.staff.Name, "By text message") {
			t.Errorf("the member list does not flag %s, who asked for texts: %q", sp.staff.Name, notes)
		}
		if len(notes) != 2 {
			t.Errorf("%d members flagged, want the 2 who asked not to be emailed: %q", len(notes), notes)
		}
	})

	t.Run("InEasyRead", func(t *testing.T) {
		wantRedirect(t, sp.layC.open(t, support).form("Save").check("Easy read").submit(), sp.path("/steps/support"))
		p := sp.layC.open(t, support)
		if !p.easyRead() {
			t.Fatal("not in easy read")
		}
		if hint := text(p.doc, "#contact_way-hint"); !strings.Contains(hint, "If you do not choose email, we will not email you about this project.") {
			t.Errorf("the easy-read hint: %q", hint)
		}
	})
}
