package coproduce_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
)

// zipOf makes a ZIP file holding the named entries, the first stored
// uncompressed as ODF asks of its "mimetype".
func zipOf(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for i, e := range entries {
		method := zip.Deflate
		if i == 0 {
			method = zip.Store
		}
		w, err := z.CreateHeader(&zip.FileHeader{Name: e[0], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(e[1]))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A paper's type comes from its bytes: what its name says never counts.
func TestPaperTypeIsReadFromTheContent(t *testing.T) {
	t.Parallel()
	docx := zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"word/document.xml", "<w:document/>"})
	odt := zipOf(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.text"}, [2]string{"content.xml", "<office/>"})
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"PDF":               {[]byte("%PDF-1.7\n"), "application/pdf"},
		"PNG":               {[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png"},
		"JPEG":              {[]byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "image/jpeg"},
		"DOCX":              {docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		"ODT":               {odt, "application/vnd.oasis.opendocument.text"},
		"Text":              {[]byte("Agenda\r\n1. Welcome\tand tea\n"), "text/plain; charset=utf-8"},
		"TextWithBOM":       {[]byte("\xef\xbb\xbfCroeso – welcome"), "text/plain; charset=utf-8"},
		"Program":           {[]byte("MZ\x90\x00\x03\x00\x00\x00"), ""},
		"OtherZip":          {zipOf(t, [2]string{"readme.txt", "hello"}), ""},
		"Spreadsheet":       {zipOf(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}), ""},
		"NotUTF8":           {[]byte("caf\xe9"), ""},
		"ControlCharacters": {[]byte("a\x00b"), ""},
		"Empty":             {nil, ""},
	} {
		got, ok := coproduce.PaperType(c.data)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s: %q, %v; want %q", name, got, ok, c.want)
		}
	}
}

// A file's name is made safe to keep and to offer again, and ends as what
// the file really is.
func TestPaperFileNameIsSafe(t *testing.T) {
	t.Parallel()
	long := string(bytes.Repeat([]byte("a"), 300))
	for in, want := range map[string]string{
		"Agenda.pdf":                        "Agenda.pdf",
		`C:\Users\tom\Agenda v2.PDF`:        "Agenda v2.pdf",
		"../../etc/passwd":                  "passwd.pdf",
		".hidden.pdf":                       "hidden.pdf",
		"a\"b*c:d<e>f?g|h.pdf":              "a_b_c_d_e_f_g_h.pdf",
		"evil\u202Efdp.exe":                 "evilfdp.pdf",
		"line\r\nbreak.pdf":                 "linebreak.pdf",
		"":                                  "paper.pdf",
		"....":                              "paper.pdf",
		"minutes.pdf.exe":                   "minutes.pdf.pdf",
		long + ".pdf":                       long[:95] + ".pdf",
		"Papur – Cyfarfod Gwasanaethau.pdf": "Papur – Cyfarfod Gwasanaethau.pdf",
	} {
		if got := coproduce.PaperFileName(in, "application/pdf"); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	if got := coproduce.PaperFileName("photo.pdf", "image/png"); got != "photo.png" {
		t.Errorf("a PNG named .pdf is kept as %q, want photo.png", got)
	}
	if got := coproduce.PaperTitle("Exercise sheets.docx"); got != "Exercise sheets" {
		t.Errorf("title from the file name: %q", got)
	}
}
