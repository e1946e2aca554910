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
	w   *csv.Writer
	buf []string
}

// NewWriter writes UTF-8 CSV to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one row.
func (w *Writer) Write(row ...string) error {
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
