package report

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
)

// WriteJSON writes the report as one JSON object (docs/report.schema.json).
// The comments are written one by one as the database yields them, so the
// discussion of a large project is never held in memory.
func WriteJSON(ctx context.Context, w io.Writer, r *Report) error {
	head, err := json.Marshal(r)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	// The report without comments is a closed object: reopen it to append
	// the "comments" array.
	bw.Write(bytes.TrimSuffix(head, []byte("}")))
	bw.WriteString(`,"comments":[`)
	enc := json.NewEncoder(bw)
	first := true
	err = r.EachComment(ctx, func(c Comment) error {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		return enc.Encode(c)
	})
	if err != nil {
		return err
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}
