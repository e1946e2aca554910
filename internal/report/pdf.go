package report

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"github.com/go-pdf/fpdf"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/web"
)

// The page, in millimetres: A4 with 18 mm margins.
const (
	pageMargin = 18.0
	lineHeight = 4.6
	cellPad    = 1.6
	bodySize   = 10.0
)

// fontFiles are DejaVu Sans, which carries Welsh letters (ŵ, ŷ) and most
// others; make copies them from npm into the embedded static files.
var fontFiles = sync.OnceValues(func() ([2][]byte, error) {
	var out [2][]byte
	for i, name := range []string{"vendor/fonts/DejaVuSans.ttf", "vendor/fonts/DejaVuSans-Bold.ttf"} {
		b, err := fs.ReadFile(web.Static(), name)
		if err != nil {
			return out, fmt.Errorf("report: font missing (run make assets): %w", err)
		}
		out[i] = b
	}
	return out, nil
})

// pdfDoc writes one report as a PDF: real, searchable text, headings in
// the outline, tables whose header row repeats on each page, and page
// numbers.
type pdfDoc struct {
	pdf   *fpdf.Fpdf
	t     Translate
	width float64 // between the margins
}

// WritePDF writes the report as a PDF. The comments are streamed onto the
// pages; the PDF library keeps the pages themselves in memory until the
// end.
func WritePDF(ctx context.Context, w io.Writer, r *Report, t Translate) error {
	fonts, err := fontFiles()
	if err != nil {
		return err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("body", "", fonts[0])
	pdf.AddUTF8FontFromBytes("body", "B", fonts[1])
	title := t("report.title", map[string]any{"Title": r.Project.Title})
	pdf.SetTitle(title, true)
	pdf.SetAuthor(r.GeneratedBy, true)
	pdf.SetCreator("Coproduce", true)
	pdf.SetLang("en-GB")
	pdf.SetCreationDate(r.GeneratedAt)
	pdf.SetMargins(pageMargin, pageMargin, pageMargin)
	pdf.SetAutoPageBreak(true, pageMargin)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("body", "", 8)
		pdf.SetTextColor(75, 85, 90)
		pdf.CellFormat(0, 5, fit(r.Project.Title+"  ·  "+t("report.page", map[string]any{"N": pdf.PageNo()})+" {nb}"),
			"", 0, "C", false, 0, "")
	})
	pageW, _ := pdf.GetPageSize()
	d := &pdfDoc{pdf: pdf, t: t, width: pageW - 2*pageMargin}
	pdf.AddPage()
	d.front(r)
	for _, s := range r.Steps {
		d.step(s)
	}
	d.proposals(r.Proposals)
	if err := d.comments(ctx, r); err != nil {
		return err
	}
	d.support(r)
	d.participation(r.Participation)
	d.involvement(r.Involvement)
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

func (d *pdfDoc) front(r *Report) {
	scope := d.t("report.project_report")
	if r.Scope != "project" && len(r.Steps) == 1 {
		scope = d.t("report.stage_report", map[string]any{"Step": stepName(d.t, r.Steps[0])})
	}
	d.text(scope, 11, "", 75, 85, 90)
	d.heading(r.Project.Title, 0)
	d.text(d.t("report.generated", map[string]any{"When": r.GeneratedAt.In(coproduce.UK).Format("2 January 2006, 15:04"),
		"By": r.GeneratedBy}), 9, "", 75, 85, 90)
	if r.Project.Summary != "" {
		d.text(r.Project.Summary, bodySize, "", 33, 43, 50)
	}
}

func (d *pdfDoc) step(s Step) {
	d.heading(stepName(d.t, s), 1)
	status := d.t("stage_status." + s.Status)
	if s.Provisional {
		status += " (" + d.t("step.provisional") + ")"
	}
	d.text(status, bodySize, "B", 33, 43, 50)
	if len(s.SignOffs) > 0 {
		tb := d.table(d.t("step.signed_off_by"), []string{d.t("report.csv.person"), d.t("report.csv.role"), d.t("report.csv.date"),
			d.t("sign_off.invited_by_heading")}, 0.3, 0.2, 0.15, 0.35)
		for _, so := range s.SignOffs {
			tb.row(so.By, d.t("project_role."+so.Role), so.At.In(coproduce.UK).Format("2 Jan 2006"), invitedBy(d.t, so))
		}
	}
	if len(s.Groups) > 0 {
		tb := d.table(d.t("identify.groups_heading"), []string{d.t("group.name"), d.t("group.affected"), d.t("group.included")}, 0.45, 0.25, 0.3)
		for _, g := range s.Groups {
			included := d.t("group.included.yes")
			if !g.Included {
				included = d.t("group.included.no") + ": " + g.ExclusionReason
			}
			tb.row(g.Name+"\n"+g.Description, d.t("group.affected."+g.Affected), included)
		}
	}
	if len(s.Coverage) > 0 {
		tb := d.table(d.t("coverage.table_caption"), []string{d.t("group.name"), d.t("coverage.invited"), d.t("coverage.accepted")}, 0.5, 0.25, 0.25)
		for _, c := range s.Coverage {
			tb.row(c.Group, strconv.Itoa(c.Invited), strconv.Itoa(c.Accepted))
		}
	}
	if s.Purpose != nil {
		d.subheading(d.t("purpose.heading"))
		for _, f := range PurposeFields(s.Purpose) {
			if f[1] != "" {
				d.text(d.t(f[0]), bodySize, "B", 33, 43, 50)
				d.text(f[1], bodySize, "", 33, 43, 50)
			}
		}
	}
	if s.Approach != nil {
		tb := d.table(d.t("approach.heading"), []string{d.t("report.aspect"), d.t("report.choice"), d.t("report.why")}, 0.25, 0.3, 0.45)
		for _, row := range ApproachRows(d.t, s.Approach) {
			tb.row(row[0], row[1], row[2])
		}
	}
	if len(s.FourRs) > 0 {
		tb := d.table(d.t("report.four_rs"), []string{d.t("report.csv.person"), d.t("report.csv.item"), d.t("report.csv.details")}, 0.22, 0.2, 0.58)
		for _, f := range s.FourRs {
			for _, part := range [][2]string{{"four_rs.role", f.Role}, {"four_rs.remit", f.Remit},
				{"four_rs.relationships", f.Relationships}, {"four_rs.responsibility", f.Responsibility}} {
				tb.row(f.Member, d.t(part[0]), part[1])
			}
		}
	}
	if s.Notes != "" {
		d.subheading(d.t("step.notes_heading"))
		d.text(s.Notes, bodySize, "", 33, 43, 50)
	}
}

func (d *pdfDoc) proposals(list []Proposal) {
	if len(list) == 0 {
		return
	}
	d.heading(d.t("ysww.heading"), 1)
	tb := d.table("", []string{d.t("ysww.you_said"), d.t("ysww.votes"), d.t("ysww.we_did")}, 0.38, 0.24, 0.38)
	for _, p := range list {
		tb.row(p.Title+"\n"+p.By, VotesText(d.t, p.Tally), strings.TrimSpace(ProposalStatus(d.t, p)+"\n"+ProposalWhy(p)))
	}
	d.voteReasons(list)
	var actions [][]string
	for _, p := range list {
		for _, a := range p.Actions {
			actions = append(actions, []string{p.Title, a.Description, a.Owner, a.Due, a.StatusText(d.t)})
		}
	}
	if len(actions) > 0 {
		tb := d.table(d.t("report.actions"), []string{d.t("report.idea"), d.t("report.action"), d.t("report.owner"),
			d.t("report.due"), d.t("report.csv.status")}, 0.24, 0.34, 0.16, 0.12, 0.14)
		for _, a := range actions {
			tb.row(a...)
		}
	}
}

// VotesText is a tally as two short lines, one per side.
func VotesText(t Translate, tally coproduce.Tally) string {
	line := func(counts map[coproduce.Choice]int) string {
		return t("report.votes_line", map[string]any{"Support": counts[coproduce.Support],
			"Neutral": counts[coproduce.Neutral], "Object": counts[coproduce.Object]})
	}
	return t("tally.lay") + ": " + line(tally.Lay) + "\n" + t("tally.staff") + ": " + line(tally.Staff)
}

func (d *pdfDoc) comments(ctx context.Context, r *Report) error {
	if !r.HasComments {
		return nil
	}
	d.heading(d.t("report.comments"), 1)
	if r.CommentCount == 0 {
		d.text(d.t("report.no_comments"), bodySize, "", 33, 43, 50)
		return nil
	}
	d.text(d.t("report.comments_newest", map[string]any{"N": ReadableComments}), bodySize, "", 33, 43, 50)
	return r.EachReadableIdea(ctx, func(idea string, total int, comments []Comment) error {
		d.subheading(idea)
		if total > len(comments) {
			d.text(d.t("report.comments_of", map[string]any{"Shown": len(comments), "Total": total}), bodySize-1, "", 75, 85, 90)
		}
		tb := d.table("", []string{d.t("report.csv.person"), d.t("report.csv.date"), d.t("report.comment")}, 0.2, 0.14, 0.66)
		for _, c := range comments {
			body := c.Body
			if c.Hidden {
				body = d.t("report.comment_hidden")
			}
			tb.row(c.By, c.At.In(coproduce.UK).Format("2 Jan 2006"), body)
		}
		return d.pdf.Error()
	})
}

func (d *pdfDoc) support(r *Report) {
	if r.Meetings == nil && r.SupportNeeds == nil {
		return // not in this report
	}
	d.subheading(d.t("report.meetings"))
	if len(r.Meetings) == 0 {
		d.text(d.t("report.no_meetings"), bodySize, "", 33, 43, 50)
	} else {
		tb := d.table("", []string{d.t("report.meeting"), d.t("report.csv.date"), d.t("report.came")}, 0.5, 0.3, 0.2)
		for _, m := range r.Meetings {
			tb.row(m.Title, m.StartsAt.In(coproduce.UK).Format("2 Jan 2006, 15:04"), strconv.Itoa(m.Attended))
		}
	}
	d.heading(d.t("report.support_heading"), 1)
	d.text(d.t("report.support_intro"), bodySize, "", 33, 43, 50)
	if len(r.SupportNeeds) == 0 {
		d.text(d.t("report.no_needs"), bodySize, "", 33, 43, 50)
	} else {
		tb := d.table("", []string{d.t("report.need"), d.t("report.members")}, 0.7, 0.3)
		for _, n := range coproduce.NeedKinds {
			if c := r.SupportNeeds[n]; c > 0 {
				tb.row(d.t("need."+n), strconv.Itoa(c))
			}
		}
	}
	d.subheading(d.t("report.expenses"))
	if len(r.Expenses) == 0 {
		d.text(d.t("report.no_expenses"), bodySize, "", 33, 43, 50)
		return
	}
	tb := d.table("", []string{d.t("report.csv.status"), d.t("report.total")}, 0.7, 0.3)
	for _, st := range coproduce.ClaimStatuses {
		if total, ok := r.Expenses[st]; ok {
			tb.row(d.t("claim_status."+string(st)), total.String())
		}
	}
}

func (d *pdfDoc) participation(p *coproduce.Participation) {
	if p == nil {
		return
	}
	d.heading(d.t("report.participation"), 1)
	tb := d.table("", []string{d.t("report.measure"), d.t("report.figure")}, 0.75, 0.25)
	for _, row := range ParticipationRows(d.t, p) {
		tb.row(row[0], row[1])
	}
}

// heading writes a heading (level 0 is the title) and adds it to the
// PDF's outline, starting a new page rather than leaving it at the foot.
func (d *pdfDoc) heading(s string, level int) {
	size := 20.0
	if level > 0 {
		size = 15
		d.pdf.Ln(4)
	}
	d.keepWithNext(30)
	d.pdf.Bookmark(clean(s), level, -1)
	d.text(s, size, "B", 33, 43, 50)
}

func (d *pdfDoc) subheading(s string) {
	d.pdf.Ln(2)
	d.keepWithNext(20)
	d.text(s, 12, "B", 33, 43, 50)
}

// text writes a paragraph in the given size, style and colour.
func (d *pdfDoc) text(s string, size float64, style string, r, g, b int) {
	d.pdf.SetFont("body", style, size)
	d.pdf.SetTextColor(r, g, b)
	d.pdf.MultiCell(0, size*0.5, clean(s), "", "L", false)
	d.pdf.Ln(1.5)
}

// keepWithNext starts a new page when less than h millimetres are left.
func (d *pdfDoc) keepWithNext(h float64) {
	_, pageH := d.pdf.GetPageSize()
	if d.pdf.GetY()+h > pageH-pageMargin {
		d.pdf.AddPage()
	}
}

// pdfTable is a table being written: rows wrap their text, and a row that
// does not fit goes to the next page under a repeated header row.
type pdfTable struct {
	d       *pdfDoc
	headers []string
	widths  []float64
}

// table starts a table with an optional caption; fractions share out the
// width between the columns.
func (d *pdfDoc) table(caption string, headers []string, fractions ...float64) *pdfTable {
	if caption != "" {
		d.subheading(caption)
	}
	tb := &pdfTable{d: d, headers: headers}
	for _, f := range fractions {
		tb.widths = append(tb.widths, f*d.width)
	}
	d.keepWithNext(4 * lineHeight)
	tb.header()
	return tb
}

func (tb *pdfTable) header() {
	pdf := tb.d.pdf
	pdf.SetFont("body", "B", bodySize-1)
	pdf.SetTextColor(33, 43, 50)
	tb.draw(tb.lines(tb.headers), true)
}

func (tb *pdfTable) lines(cells []string) [][]string {
	out := make([][]string, len(cells))
	for i, c := range cells {
		out[i] = tb.d.pdf.SplitText(clean(c), tb.widths[i])
	}
	return out
}

// row writes one row, moving to a new page when it does not fit; a row
// longer than a whole page is split across pages.
func (tb *pdfTable) row(cells ...string) {
	pdf := tb.d.pdf
	pdf.SetFont("body", "", bodySize-1)
	pdf.SetTextColor(33, 43, 50)
	tb.draw(tb.lines(cells), false)
}

func (tb *pdfTable) draw(lines [][]string, isHeader bool) {
	pdf := tb.d.pdf
	_, pageH := pdf.GetPageSize()
	bottom := pageH - pageMargin
	height := 0
	for _, l := range lines {
		height = max(height, len(l))
	}
	need := float64(height)*lineHeight + 2*cellPad
	if !isHeader && pdf.GetY()+need > bottom && need <= bottom-pageMargin-2*lineHeight {
		tb.newPage()
	}
	for from := 0; from < height || from == 0; {
		fit := int((bottom - pdf.GetY() - 2*cellPad) / lineHeight)
		if fit < 1 {
			tb.newPage()
			continue
		}
		to := min(height, from+fit)
		y := pdf.GetY() + cellPad
		x := pageMargin
		for i, cell := range lines {
			for j := from; j < to && j < len(cell); j++ {
				pdf.SetXY(x, y+float64(j-from)*lineHeight)
				pdf.CellFormat(tb.widths[i], lineHeight, cell[j], "", 0, "L", false, 0, "")
			}
			x += tb.widths[i]
		}
		end := y + float64(max(to-from, 1))*lineHeight + cellPad
		pdf.SetDrawColor(216, 221, 224)
		pdf.SetLineWidth(0.2)
		if isHeader {
			pdf.SetDrawColor(75, 85, 90)
			pdf.SetLineWidth(0.4)
		}
		pdf.Line(pageMargin, end, pageMargin+tb.d.width, end)
		pdf.SetXY(pageMargin, end)
		if to >= height {
			break
		}
		from = to
		tb.newPage()
	}
}

func (tb *pdfTable) newPage() {
	tb.d.pdf.AddPage()
	tb.header()
	tb.d.pdf.SetFont("body", "", bodySize-1)
}

// clean makes text safe for the PDF library: tabs become spaces, carriage
// returns and NULs go, and characters beyond the font's 16-bit width table
// (emoji, say) become "?", as the library would otherwise index past it.
// (A character DejaVu lacks below that shows as an empty box.)
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case r == '\r' || r == 0:
			return -1
		case r > 0xFFFF:
			return '?'
		}
		return r
	}, s)
}

// fit is clean for a single line.
func fit(s string) string { return strings.ReplaceAll(clean(s), "\n", " ") }
