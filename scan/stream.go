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

	"github.com/audit-tool/audit/pack"
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
}

// Buffer geometry. A chunk is scanned with overlap bytes of lookahead, so a
// number or key that straddles two reads is seen whole; lookbehind bytes
// are kept to judge what precedes a number.
const (
	chunkSize  = 1 << 20
	overlap    = 4 * pemLimit
	lookbehind = 1024
	sniffSize  = 8 << 10 // a NUL in the first 8 KiB makes a file binary (as git decides)
)

// streamer scans streams; one per worker, so its buffers are reused. It
// keeps what it finds until Paths collects it.
type streamer struct {
	lim  Limits
	buf  []byte
	det  detector
	hits []hit

	recs    blocks[rec]
	nmasked int              // recs of masked card numbers
	text    textBlocks       // masked values
	labels  []string         // types, brands and kinds, interned
	label   map[string]uint8 // index in labels
	groups  []group          // the recs of each stream scanned
}

// rec is a finding as a worker keeps it until the scan ends. It holds no
// pointer, so that hundreds of thousands of them cost the garbage
// collector nothing to mark.
type rec struct {
	line, column     int
	text, textLen    int // masked value in streamer.text
	typ, brand, kind uint8
	test, live       bool
	first, last      uint8 // masked pans: visible digits
}

// blockLen is the length of the blocks of findings and of masked text.
const blockLen = 4 << 10

// blocks is an append-only list kept in fixed-size blocks: growing it
// never copies nor touches fresh memory twice, however many findings a
// tree holds.
type blocks[T any] struct {
	b [][]T
	n int
}

func (l *blocks[T]) add(v T) {
	if l.n%blockLen == 0 {
		l.b = append(l.b, make([]T, 0, blockLen))
	}
	l.b[len(l.b)-1] = append(l.b[len(l.b)-1], v)
	l.n++
}

func (l *blocks[T]) at(i int) T { return l.b[i/blockLen][i%blockLen] }

// textBlocks holds short strings in blocks of blockLen bytes, none
// straddling two, so a string is known by its offset and length.
type textBlocks struct{ b [][]byte }

func (t *textBlocks) add(s string) int {
	if len(t.b) == 0 || len(t.b[len(t.b)-1])+len(s) > blockLen {
		t.b = append(t.b, make([]byte, 0, max(blockLen, len(s))))
	}
	last := &t.b[len(t.b)-1]
	at := (len(t.b)-1)*blockLen + len(*last)
	*last = append(*last, s...)
	return at
}

// strings returns the blocks as strings, for findings to share.
func (t *textBlocks) strings() []string {
	out := make([]string, len(t.b))
	for i, b := range t.b {
		out[i] = string(b)
	}
	return out
}

// group is the range of streamer.recs one stream added, in position order.
type group struct {
	name     string
	from, to int
	masked   int // masked card numbers among them
}

func newStreamer(lim Limits, rules *pack.Matcher) *streamer {
	return &streamer{lim: lim.withDefaults(), det: detector{rules: rules}, buf: make([]byte, lookbehind+chunkSize+overlap), label: map[string]uint8{}}
}

func byStart(a, b hit) int { return a.start - b.start }

// intern returns the index of l in labels, adding it.
func (s *streamer) intern(l string) uint8 {
	i, ok := s.label[l]
	if !ok {
		i = uint8(len(s.labels)) // types, brands and kinds: a few dozen
		s.labels = append(s.labels, l)
		s.label[l] = i
	}
	return i
}

// scan reads r to its end, keeping its findings as a group named name. It
// returns the bytes read. On a read error the findings so far are kept.
func (s *streamer) scan(ctx context.Context, r io.Reader, name string) (int64, error) {
	from, masked := s.recs.n, s.nmasked
	n, err := s.read(ctx, r)
	if s.recs.n > from {
		s.groups = append(s.groups, group{name: name, from: from, to: s.recs.n, masked: s.nmasked - masked})
	}
	return n, err
}

// read scans r to its end into s.recs.
func (s *streamer) read(ctx context.Context, r io.Reader) (int64, error) {
	buf := s.buf
	var (
		base   int64  // offset in the stream of buf[0]
		n      int    // bytes held in buf
		next   cursor // where scanning resumes, relative to base
		line   = 1
		lineAt int64 // newlines are counted up to here
		lastNL int64 = -1
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
			return base + int64(n), err
		}
		m, rerr := io.ReadFull(r, buf[n:])
		n += m
		end := rerr != nil // EOF, or an error: scan what was read either way
		to := n
		if !end {
			to = n - overlap
		}
		s.hits = s.hits[:0]
		next = s.det.scan(buf[:n], next, to, func(h hit) { s.hits = append(s.hits, h) })
		if !slices.IsSortedFunc(s.hits, byStart) { // secrets come first
			slices.SortStableFunc(s.hits, byStart)
		}
		for _, h := range s.hits {
			abs := base + int64(h.start)
			countTo(abs)
			s.recs.add(rec{
				line: line, column: int(abs - lastNL), text: s.text.add(h.masked), textLen: len(h.masked),
				typ: s.intern(h.typ), brand: s.intern(h.brand), kind: s.intern(h.kind),
				test: h.test, live: h.live, first: uint8(h.first), last: uint8(h.last),
			})
			if h.typ == TypeMaskedPAN {
				s.nmasked++
			}
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
			return base + int64(n), rerr
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
