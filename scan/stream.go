package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
)

// Finding is a card number or secret found in a file. Masked is all that is
// ever kept of it.
type Finding struct {
	Type     string `json:"type"`            // "pan" or "secret"
	Brand    string `json:"brand,omitempty"` // pans
	Kind     string `json:"kind,omitempty"`  // secrets
	Masked   string `json:"masked"`
	TestCard bool   `json:"test_card"` // pans: a published test number
	// Live is true for a real card number or a live secret: what fails a
	// scan. Test cards and test-mode keys are reported but not live.
	Live   bool   `json:"live"`
	File   string `json:"file"` // slash-separated; archive members as "a.zip!member"
	Line   int    `json:"line"`
	Column int    `json:"column"` // 1-based, in bytes

	first, last int // masked pans: visible digits, moved to Report.MaskedPANs
}

// Buffer geometry. A chunk is scanned with overlap bytes of lookahead, so a
// number or key that straddles two reads is seen whole; lookbehind bytes
// are kept to judge what precedes a number.
const (
	chunkSize  = 1 << 20
	overlap    = 4 * pemLimit
	lookbehind = 64
	sniffSize  = 8 << 10 // a NUL in the first 8 KiB makes a file binary (as git decides)
)

// errBinary marks content that is not text.
var errBinary = errors.New("binary file")

// streamer scans streams; one per worker, so its buffers are reused.
type streamer struct {
	buf  []byte
	det  detector
	hits []hit
}

func newStreamer() *streamer {
	return &streamer{buf: make([]byte, lookbehind+chunkSize+overlap)}
}

// scan reads r to its end, appending its findings, named name, to out. It
// returns the bytes read. On a read error the findings so far are kept.
func (s *streamer) scan(ctx context.Context, r io.Reader, name string, out []Finding) ([]Finding, int64, error) {
	buf := s.buf
	var (
		base   int64  // offset in the stream of buf[0]
		n      int    // bytes held in buf
		next   cursor // where scanning resumes, relative to base
		line   = 1
		lineAt int64 // newlines are counted up to here
		lastNL int64 = -1
		first        = true
	)
	// countTo advances the line count to stream offset abs.
	countTo := func(abs int64) {
		seg := buf[lineAt-base : abs-base]
		if c := bytes.Count(seg, []byte{'\n'}); c > 0 {
			line += c
			lastNL = lineAt + int64(bytes.LastIndexByte(seg, '\n'))
		}
		lineAt = abs
	}
	for {
		if err := ctx.Err(); err != nil {
			return out, base + int64(n), err
		}
		m, rerr := io.ReadFull(r, buf[n:])
		n += m
		end := rerr != nil // EOF, or an error: scan what was read either way
		if first && bytes.IndexByte(buf[:min(n, sniffSize)], 0) >= 0 {
			return out, 0, errBinary
		}
		first = false
		to := n
		if !end {
			to = n - overlap
		}
		s.hits = s.hits[:0]
		next = s.det.scan(buf[:n], next, to, func(h hit) { s.hits = append(s.hits, h) })
		slices.SortFunc(s.hits, func(a, b hit) int { return a.start - b.start })
		for _, h := range s.hits {
			abs := base + int64(h.start)
			countTo(abs)
			out = append(out, Finding{
				Type: h.typ, Brand: h.brand, Kind: h.kind, Masked: h.masked,
				TestCard: h.test, Live: h.live,
				File: name, Line: line, Column: int(abs - lastNL),
				first: h.first, last: h.last,
			})
		}
		if end {
			if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
				rerr = nil
			}
			if rerr != nil {
				var pe *fs.PathError
				if errors.As(rerr, &pe) { // Skipped names the file already
					rerr = pe.Err
				}
				rerr = fmt.Errorf("read error after %d bytes: %w", base+int64(n), rerr)
			}
			return out, base + int64(n), rerr
		}
		keep := to - lookbehind
		if lineAt < base+int64(keep) {
			countTo(base + int64(keep))
		}
		copy(buf, buf[keep:n])
		base += int64(keep)
		n -= keep
		next.secrets -= keep
		next.pans -= keep
	}
}

// MarshalJSON writes test_card for card numbers only, as the scan JSON
// contract shows it.
func (f Finding) MarshalJSON() ([]byte, error) {
	type pan Finding // without this method
	if f.Type == TypePAN {
		return json.Marshal(pan(f))
	}
	return json.Marshal(struct {
		Type   string `json:"type"`
		Kind   string `json:"kind"`
		Masked string `json:"masked"`
		Live   bool   `json:"live"`
		File   string `json:"file"`
		Line   int    `json:"line"`
		Column int    `json:"column"`
	}{f.Type, f.Kind, f.Masked, f.Live, f.File, f.Line, f.Column})
}
