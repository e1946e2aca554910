package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// fillEvaluate answers the readiness check with a hostile note, and makes
// outcomes whose every free-text field is hostile: one measured by a
// number and read, one not agreed, one measured by stories. The unit may
// hold only 60 characters, so it carries a shorter attack.
func (hp *hostileProject) fillEvaluate(t *testing.T) {
	t.Helper()
	readiness := url.Values{}
	for _, st := range coproduce.ReadinessStatements {
		readiness.Set(coproduce.ReadinessAnswerField(st.Key), "not_sure")
	}
	readiness.Set(coproduce.ReadinessNoteField("own_agenda"), hostileLong("READINESSNOTE"))
	mustRedirect(t, hp.leadC, hp.path("/evaluate/readiness"), readiness)
	suggest := func(title, why string) string {
		loc := mustRedirect(t, hp.layC, hp.path("/evaluate/outcomes"), url.Values{"title": {hostile(title)}, "why": {hostileLong(why)}})
		return strings.SplitN(loc, "?", 2)[0]
	}
	yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	hp.outcome = suggest("OUTCOMETITLE", "OUTCOMEWHY")
	mustRedirect(t, hp.staffC, hp.outcome+"/view", url.Values{"choice": {"support"}})
	mustRedirect(t, hp.leadC, hp.outcome+"/decision", url.Values{"decision": {"agreed"}, "reason": {hostileLong("OUTCOMEREASON")}})
	mustRedirect(t, hp.facC, hp.outcome+"/measure", url.Values{"measure": {"number"}, "unit": {`="><b>visits</b> ` + rlo + "evil"},
		"baseline": {"12"}, "target": {"4"}})
	mustRedirect(t, hp.layC, hp.outcome+"/readings", url.Values{"taken_on": {yesterday}, "value": {"9"}, "source": {hostile("READINGSOURCE")}})
	notAgreed := suggest("NOTAGREEDTITLE", "NOTAGREEDBODY")
	mustRedirect(t, hp.leadC, notAgreed+"/decision", url.Values{"decision": {"not_agreed"}, "reason": {hostileLong("NOTAGREEDWHY")}})
	// One changed by its author and then withdrawn: its earlier words and
	// the reason are shown on its page.
	withdrawn := suggest("WITHDRAWNTITLE", "WITHDRAWNWHY")
	mustRedirect(t, hp.layC, withdrawn+"/change", url.Values{"title": {hostile("CHANGEDTITLE")}, "why": {hostileLong("CHANGEDWHY")}})
	mustRedirect(t, hp.layC, withdrawn+"/withdraw", url.Values{"withdraw_reason": {hostileLong("WITHDRAWREASON")}})
	hp.storyOutcome = suggest("STORYTITLE", "STORYWHY")
	mustRedirect(t, hp.leadC, hp.storyOutcome+"/decision", url.Values{"decision": {"agreed"}, "reason": {hostileLong("STORYREASON")}})
	mustRedirect(t, hp.leadC, hp.storyOutcome+"/measure", url.Values{"measure": {"stories"}})
	mustRedirect(t, hp.staffC, hp.storyOutcome+"/readings", url.Values{"taken_on": {yesterday}, "story": {hostileLong("STORYTEXT")},
		"source": {hostile("STORYSOURCE")}})
}
