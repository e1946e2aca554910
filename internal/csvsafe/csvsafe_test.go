package csvsafe

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                         "",
		"plain":                    "plain",
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+1":                       "'+1",
		"-2+3":                     "'-2+3",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\tcmd":                    "'\tcmd",
		"\rcmd":                    "'\rcmd",
		"a=b":                      "a=b",
		"'already quoted":          "'already quoted",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriterNeutralisesEveryCell(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.Write("name", "=1+1"); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), BOM+"name,") {
		t.Errorf("the file starts %q, want the byte order mark then the first row", buf.String()[:8])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), BOM))).ReadAll()
	if err != nil || len(rows) != 1 || rows[0][1] != "'=1+1" {
		t.Errorf("rows %q, %v", rows, err)
	}
}

func FuzzCell(f *testing.F) {
	for _, s := range []string{"", "=1", "+", "-", "@", "\t", "\r", "ok", "'=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Cell(s)
		if out != "" && strings.ContainsRune("=+-@\t\r", rune(out[0])) {
			t.Fatalf("Cell(%q) = %q still starts with a formula character", s, out)
		}
		if out != s && out != "'"+s {
			t.Fatalf("Cell(%q) = %q changed more than a prefix", s, out)
		}
	})
}
