// Package csvsafe writes CSV that spreadsheets open safely: a cell that a
// spreadsheet would run as a formula is prefixed with a single quote.
package csvsafe

import (
	"encoding/csv"
	"io"
)

// Cell neutralises one value: text starting with =, +, -, @, a tab or a
// carriage return gets a leading ' so that it is shown, not run.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer that neutralises every cell.
type Writer struct {
	out io.Writer
	w   *csv.Writer
	buf []string
	// bomWritten is set once the byte order mark is out.
	bomWritten bool
}

// BOM is the UTF-8 byte order mark that starts every file we write. Excel
// and LibreOffice's default import read a CSV without one in the
// computer's legacy code page, showing "Siân" as "SiÃ¢n".
const BOM = "\ufeff"

// NewWriter writes UTF-8 CSV to w, starting with the byte order mark.
func NewWriter(w io.Writer) *Writer { return &Writer{out: w, w: csv.NewWriter(w)} }

// Write writes one row; the first also writes the byte order mark.
func (w *Writer) Write(row ...string) error {
	if !w.bomWritten {
		w.bomWritten = true
		if _, err := io.WriteString(w.out, BOM); err != nil {
			return err
		}
	}
	w.buf = w.buf[:0]
	for _, c := range row {
		w.buf = append(w.buf, Cell(c))
	}
	return w.w.Write(w.buf)
}

// Flush writes any buffered rows and reports the first error.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
