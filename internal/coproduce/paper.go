package coproduce

import (
	"archive/zip"
	"bytes"
	"io"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxPaperBytes is the largest paper accepted: 10 MB, enough for a long
// document with pictures, and the figure the upload hint gives.
const MaxPaperBytes = 10 << 20

// DefaultPapersDue is how many days before a meeting its papers are due
// unless the meeting says otherwise: a week, as the demo's purpose
// statement promises ("papers a week before").
const DefaultPapersDue = 7

// MaxPapersDue is the most days before a meeting papers may be due.
const MaxPapersDue = 60

// PaperVersion says whether a file is a paper or another version of one.
type PaperVersion string

// The versions of a paper: the paper itself, and the versions that suit
// people who asked for large print or easy read.
const (
	PaperStandard   PaperVersion = "standard"
	PaperLargePrint PaperVersion = "large_print"
	PaperEasyRead   PaperVersion = "easy_read"
)

// PaperVersions are the other versions a paper may have, in the order a
// page lists them.
var PaperVersions = []PaperVersion{PaperLargePrint, PaperEasyRead}

// Paper is a file for a meeting or one of its agenda items, listed without
// its bytes.
type Paper struct {
	ID           int64
	MeetingID    int64
	AgendaItemID int64 // 0 for the whole meeting
	VersionOf    int64 // 0 for a paper; the paper's id for a version
	Version      PaperVersion
	Title        string
	FileName     string
	ContentType  string
	Size         int
	AddedBy      string
	AddedAt      time.Time
	// Late says it was added after the meeting's papers were due.
	Late bool
	// Versions are the paper's large-print and easy-read versions.
	Versions []Paper
}

// Kind is the short name of the paper's type ("pdf", "docx", ...), for
// the catalogue's "paper.kind.*" messages.
func (p Paper) Kind() string { return paperKinds[p.ContentType].kind }

// AgendaChoice is an agenda item as the paper form offers it.
type AgendaChoice struct {
	ID       int64
	Position int
	Title    string
}

// PapersDue is when a meeting's papers are due: days before it starts.
func PapersDue(m Meeting, days int) time.Time { return m.StartsAt.AddDate(0, 0, -days) }

// LatePapers is a meeting still to come whose papers are late: due and
// not yet added, or some added after they were due.
type LatePapers struct {
	Meeting Meeting
	Due     time.Time
	// None says no paper has been added; otherwise Late papers were added
	// after they were due.
	None bool
	Late int
}

type paperKind struct{ kind, ext string }

// paperKinds are the types a paper may be, by the content type stored.
var paperKinds = map[string]paperKind{
	"application/pdf": {"pdf", ".pdf"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx", ".docx"},
	"application/vnd.oasis.opendocument.text":                                 {"odt", ".odt"},
	"text/plain; charset=utf-8":                                               {"text", ".txt"},
	"image/png":                                                               {"png", ".png"},
	"image/jpeg":                                                              {"jpeg", ".jpg"},
}

// PaperType finds what a file really is from its bytes, never its name:
// a PDF, a Word (.docx) or OpenDocument (.odt) text document, UTF-8 plain
// text, or a PNG or JPEG image. ok is false for anything else, such as a
// program or a web page renamed .pdf.
func PaperType(data []byte) (contentType string, ok bool) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "application/pdf", true
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", true
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "image/jpeg", true
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return officeType(data)
	case plainText(data):
		return "text/plain; charset=utf-8", true
	}
	return "", false
}

// officeType looks inside a ZIP file for the parts that make it a text
// document: an ODT's first entry is "mimetype" holding its type; a DOCX has
// "[Content_Types].xml" and "word/document.xml". Only names and that one
// short entry are read, so a ZIP bomb costs nothing.
func officeType(data []byte) (string, bool) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(z.File) == 0 {
		return "", false
	}
	const odt = "application/vnd.oasis.opendocument.text"
	if first := z.File[0]; first.Name == "mimetype" && first.UncompressedSize64 == uint64(len(odt)) {
		f, err := first.Open()
		if err != nil {
			return "", false
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, int64(len(odt))+1))
		if err == nil && string(b) == odt {
			return odt, true
		}
		return "", false
	}
	var types, document bool
	for _, f := range z.File {
		switch f.Name {
		case "[Content_Types].xml":
			types = true
		case "word/document.xml":
			document = true
		}
	}
	if types && document {
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document", true
	}
	return "", false
}

// plainText reports whether data is UTF-8 text (a byte order mark allowed)
// with no control characters but tabs, line breaks and form feeds.
func plainText(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(data) == 0 || !utf8.Valid(data) {
		return false
	}
	for _, r := range string(data) {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			return false
		}
	}
	return true
}

// maxFileName is the most characters a paper's file name keeps.
const maxFileName = 100

// PaperFileName makes an uploaded file's name safe to keep and to offer
// when the file is downloaded: no folders, no control or direction
// characters, none of the characters file systems refuse, no leading dot,
// at most 100 characters, and the extension of what the file really is
// (a PNG named "minutes.pdf" is kept as "minutes.png").
func PaperFileName(name, contentType string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "")
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r), breaksLine(r):
		case strings.ContainsRune(`"*:<>?|`, r):
			b.WriteRune('_')
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	base := strings.TrimSuffix(b.String(), path.Ext(b.String()))
	base = strings.Trim(strings.Join(strings.Fields(base), " "), ". ")
	if r := []rune(base); len(r) > maxFileName-5 {
		base = strings.TrimRight(string(r[:maxFileName-5]), ". ")
	}
	if base == "" {
		base = "paper"
	}
	return base + paperKinds[contentType].ext
}

// PaperTitle is the title a paper gets when none is given: its file name
// without the extension.
func PaperTitle(fileName string) string {
	return OneLine(strings.TrimSuffix(fileName, path.Ext(fileName)))
}

// MeetingPapers is what a meeting's page shows of its papers: when they
// are due, the papers with their versions, and the agenda items a paper
// may be for.
type MeetingPapers struct {
	DueDays int
	Papers  []Paper
	Items   []AgendaChoice
}

// Due is when the meeting's papers are due.
func (mp MeetingPapers) Due(m Meeting) time.Time { return PapersDue(m, mp.DueDays) }

// Late reports whether the meeting's papers are late at now: the meeting is
// still to come, they are due, and none has been added or some came after
// they were due. With none set, no paper has been added.
func (mp MeetingPapers) Late(m Meeting, now time.Time) (late, none bool, lateOnes []Paper) {
	if m.Started(now) {
		return false, false, nil
	}
	for _, p := range mp.Papers {
		if p.Late {
			lateOnes = append(lateOnes, p)
		}
		for _, v := range p.Versions {
			if v.Late {
				lateOnes = append(lateOnes, v)
			}
		}
	}
	none = len(mp.Papers) == 0 && !now.Before(mp.Due(m))
	return none || len(lateOnes) > 0, none, lateOnes
}

// ForItem lists the papers for one agenda item (0: the whole meeting).
func (mp MeetingPapers) ForItem(itemID int64) []Paper {
	var out []Paper
	for _, p := range mp.Papers {
		if p.AgendaItemID == itemID {
			out = append(out, p)
		}
	}
	return out
}

// Missing lists, for the upload form, the versions each paper still lacks.
func (p Paper) Missing() []PaperVersion {
	var out []PaperVersion
	for _, want := range PaperVersions {
		has := false
		for _, v := range p.Versions {
			has = has || v.Version == want
		}
		if !has {
			out = append(out, want)
		}
	}
	return out
}
