package csvsafe

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// FuzzWriterRow writes a row of arbitrary cells and reads the file back
// as a spreadsheet import would. The row stays one row of the same cells,
// no cell starts with a character that makes a spreadsheet run it as a
// formula, and each cell is what was written, at most with a ' in front.
func FuzzWriterRow(f *testing.F) {
	f.Add("Ann", "=1+1", "plain")
	f.Add("", "", "")
	f.Add("-", "+44 20 7946 0000", "@SUM(A1)")
	f.Add("a,b", `say "hi"`, "line\nbreak")
	f.Add("\tindent", "\rreturn", "crlf\r\nend")
	f.Add(`=HYPERLINK("http://x","y")`, "'=already", "=cmd|' /C calc'!A0")
	f.Add("\ufeffbom", "\u00a0=x", "\"=quoted")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		in := []string{a, b, c}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		if err := w.Write(in...); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		// A spreadsheet takes the byte order mark as the file's encoding,
		// not as text.
		file, ok := bytes.CutPrefix(buf.Bytes(), []byte(BOM))
		if !ok {
			t.Fatalf("the file does not start with the byte order mark: %q", buf.String())
		}
		rows, err := csv.NewReader(bytes.NewReader(file)).ReadAll()
		if err != nil || len(rows) != 1 || len(rows[0]) != len(in) {
			t.Fatalf("row %q came back as %q, %v\nfile: %q", in, rows, err, buf.String())
		}
		for i, got := range rows[0] {
			if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
				t.Fatalf("cell %q reads back as %q, a formula", in[i], got)
			}
			// encoding/csv reads a quoted CR LF as LF, as spreadsheets do.
			want := strings.ReplaceAll(Cell(in[i]), "\r\n", "\n")
			if got != want {
				t.Fatalf("cell %q reads back as %q, want %q\nfile: %q", in[i], got, want, buf.String())
			}
			if typed := strings.ReplaceAll(in[i], "\r\n", "\n"); got != typed && got != "'"+typed {
				t.Fatalf("cell %q lost its text: %q", in[i], got)
			}
		}
	})
}
