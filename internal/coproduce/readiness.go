package coproduce

import "time"

// The audit actions of the Evaluate section's readiness check and outcomes.
const (
	AuditReadinessSave   = "readiness.save"
	AuditOutcomePropose  = "outcome.propose"
	AuditOutcomeDecide   = "outcome.decide"
	AuditOutcomeMeasure  = "outcome.measure"
	AuditOutcomeReading  = "outcome.reading"
	AuditOutcomeChange   = "outcome.change"
	AuditOutcomeWithdraw = "outcome.withdraw"
)

func init() {
	AuditActions = append(AuditActions, AuditReadinessSave, AuditOutcomePropose, AuditOutcomeDecide,
		AuditOutcomeMeasure, AuditOutcomeReading, AuditOutcomeChange, AuditOutcomeWithdraw)
}

// ReadinessStatement is one statement of the readiness check, from the "do
// co-production if / don't if" lists, in our own words (the catalogue's
// readiness.statement.<Key>). Do says which list it comes from: agreeing
// with a "do" statement is a good sign; agreeing with a "don't" one is a
// warning.
type ReadinessStatement struct {
	Key string
	Do  bool
}

// ReadinessStatements are the statements in the order the check asks
// them: first the signs that co-production fits, then the warnings.
var ReadinessStatements = []ReadinessStatement{
	{"upset", true}, {"doubt", true}, {"need_users", true}, {"hand_over", true},
	{"big_problem", true}, {"honest", true}, {"ideas_anywhere", true},
	{"know_answer", false}, {"cannot_fail", false}, {"own_agenda", false}, {"critics", false},
	{"feelings", false}, {"reach", false}, {"quickly", false}, {"small_steps", false},
	{"value_people", false}, {"connections", false}, {"funders", false}, {"save_money", false},
	{"follow_through", false}, {"closeness", false},
}

// ReadinessAnswer is how far the lead agrees with a statement.
type ReadinessAnswer string

// The answers.
const (
	Agree    ReadinessAnswer = "agree"
	NotSure  ReadinessAnswer = "not_sure"
	Disagree ReadinessAnswer = "disagree"
)

// ReadinessAnswers lists the answers in the order they are offered.
var ReadinessAnswers = []ReadinessAnswer{Agree, NotSure, Disagree}

// MaxReadinessNote caps the note a lead may add to an answer.
const MaxReadinessNote = 1000

// ReadinessItem is one statement as a check answered it.
type ReadinessItem struct {
	ReadinessStatement
	Answer ReadinessAnswer
	Note   string
}

// Warns reports whether the answer is one to look at again: a "don't"
// statement agreed, a "do" statement disagreed, or either not sure.
func (i ReadinessItem) Warns() bool {
	switch i.Answer {
	case NotSure:
		return true
	case Agree:
		return !i.Do
	case Disagree:
		return i.Do
	}
	return false
}

// ReadinessCheck is one saving of the readiness check: who answered it,
// when, and each answer in the order of ReadinessStatements.
type ReadinessCheck struct {
	ID         int64
	AnsweredBy string
	AnsweredAt time.Time
	Items      []ReadinessItem
}

// Warnings are the check's answers to look at again.
func (c ReadinessCheck) Warnings() []ReadinessItem {
	var out []ReadinessItem
	for _, i := range c.Items {
		if i.Warns() {
			out = append(out, i)
		}
	}
	return out
}

// OrderItems puts answers read in any order into the order of the
// statements, dropping any whose statement is no longer asked.
func OrderItems(byKey map[string]ReadinessItem) []ReadinessItem {
	var out []ReadinessItem
	for _, st := range ReadinessStatements {
		if it, ok := byKey[st.Key]; ok {
			it.ReadinessStatement = st
			out = append(out, it)
		}
	}
	return out
}

// ReadinessInput is the check as posted: for each statement's key, the
// answer and the note.
type ReadinessInput struct {
	Answers map[string]string
	Notes   map[string]string
}

// ReadinessAnswerField and ReadinessNoteField name a statement's form
// fields, shared by the page and the handler.
func ReadinessAnswerField(key string) string { return "answer_" + key }

// ReadinessNoteField names a statement's note field.
func ReadinessNoteField(key string) string { return "note_" + key }

// Validate checks that every statement is answered and every note fits,
// and returns the answers in order.
func (in ReadinessInput) Validate() ([]ReadinessItem, error) {
	var v ValidationError
	out := make([]ReadinessItem, 0, len(ReadinessStatements))
	for _, st := range ReadinessStatements {
		it := ReadinessItem{ReadinessStatement: st, Answer: ReadinessAnswer(in.Answers[st.Key]),
			Note: CleanText(in.Notes[st.Key])}
		if !oneOf(it.Answer, ReadinessAnswers) {
			v.Add(ReadinessAnswerField(st.Key), "error.readiness.answer_required")
		}
		checkText(&v, ReadinessNoteField(st.Key), it.Note, MaxReadinessNote, false, "")
		out = append(out, it)
	}
	return out, v.Err()
}

// EvaluateSummary is what the Evaluate section's front page says of its
// parts: the newest readiness check (nil before the first), and how many
// outcomes wait for a lead's answer, were agreed and were not.
type EvaluateSummary struct {
	Readiness                                       *ReadinessCheck
	OutcomesOpen, OutcomesAgreed, OutcomesNotAgreed int
}
