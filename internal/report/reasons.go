package report

// The reasons people gave with their votes, as each format writes them.

// VoteReason is a reason someone gave with their vote on an idea.
type VoteReason struct {
	By     string `json:"by"`
	Vote   string `json:"vote"`
	Reason string `json:"reason"`
}

// VoteText words the vote a reason was given with.
func VoteText(t Translate, v VoteReason) string { return t("vote_reasons.choice." + v.Vote) }

func voteReasonRecords(r *Report, t Translate, emit func(string, record) error) error {
	for _, p := range r.Proposals {
		for _, v := range p.VoteReasons {
			rec := record{colItem: p.Title, colPerson: v.By, colStatus: VoteText(t, v), colDetails: v.Reason}
			if err := emit("vote_reasons", rec); err != nil {
				return err
			}
		}
	}
	return nil
}
