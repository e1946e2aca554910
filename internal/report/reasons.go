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

// voteReasons is a table of the reasons given with votes, idea by idea.
func (d *pdfDoc) voteReasons(list []Proposal) {
	var rows [][]string
	for _, p := range list {
		for _, v := range p.VoteReasons {
			rows = append(rows, []string{p.Title, v.By, VoteText(d.t, v), v.Reason})
		}
	}
	if len(rows) == 0 {
		return
	}
	tb := d.table(d.t("vote_reasons.heading"), []string{d.t("report.idea"), d.t("report.csv.person"),
		d.t("vote_reasons.vote"), d.t("vote_reasons.reason")}, 0.26, 0.18, 0.14, 0.42)
	for _, r := range rows {
		tb.row(r...)
	}
}
