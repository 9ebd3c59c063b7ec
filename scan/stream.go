package scan

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"unicode/utf8"

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
// are kept to judge what precedes a number. A chunk and its overlap stay
// in a core's L2 cache (1 MiB here) from the read that copies them in to
// the detector's passes: with 1 MiB chunks the scan of the bench corpus
// took 140 ms, with 128-512 KiB 115-120 ms.
const (
	chunkSize  = 256 << 10
	overlap    = 4 * pemLimit
	lookbehind = 1024
	sniffSize  = 8 << 10 // a NUL in the first 8 KiB makes a file binary (as git decides)
	scanBlock  = 128 << 10
)

// streamer scans streams; one per worker, so its buffers are reused. What
// it finds goes to its spill, encoded, until the report reads it back.
type streamer struct {
	lim  Limits
	buf  []byte
	det  detector
	hits []hit
	crew *crew // where split files find helpers; nil: files are not split

	spill  spill
	enc    []byte
	counts Counts
	labels []string       // types, brands and kinds, interned
	label  map[string]int // index in labels
	groups []group        // the findings of each stream scanned
	// readers are peek buffers free for reuse: an mbox holds thousands of
	// e-mails, each of a few parts, each read through one.
	readers []*bufio.Reader
}

// reader returns a peek buffer reading r; give it back with release.
func (s *streamer) reader(r io.Reader) *bufio.Reader {
	if n := len(s.readers); n > 0 {
		br := s.readers[n-1]
		s.readers = s.readers[:n-1]
		br.Reset(r)
		return br
	}
	return bufio.NewReaderSize(r, peekSize)
}

func (s *streamer) release(br *bufio.Reader) {
	br.Reset(nil)
	s.readers = append(s.readers, br)
}

// group is the range of a streamer's spill one stream (or one chunk of a
// split file) wrote, in position order.
type group struct {
	s        *streamer
	name     string
	from, to int64 // bytes of the spill
	masked   int   // masked card numbers among them
	split    *splitFile
	chunk    int // in split: lines and columns are the chunk's own
}

// newStreamer scans for the secrets and honours the test cards of packs.
func newStreamer(lim Limits, packs *pack.Set) *streamer {
	det := detector{sw: newSweep(packs.SecretMatcher()), cards: testCards{packs}}
	return &streamer{lim: lim.withDefaults(), det: det, buf: make([]byte, lookbehind+chunkSize+overlap), label: map[string]int{}}
}

func byStart(a, b hit) int { return a.start - b.start }

// intern returns the index of l in labels, adding it.
func (s *streamer) intern(l string) int {
	i, ok := s.label[l]
	if !ok {
		i = len(s.labels)
		s.labels = append(s.labels, l)
		s.label[l] = i
	}
	return i
}

// scan reads r to its end, keeping its findings as a group named name. It
// returns the bytes read. On a read error the findings so far are kept.
func (s *streamer) scan(ctx context.Context, r io.Reader, name string) (int64, error) {
	n, _, err := s.region(ctx, r, name, region{to: -1}, nil, 0)
	return n, err
}

// region is the part of a stream whose findings a streamer keeps: the
// chunk [from, to) of a split file, read with the bytes around it, which
// the detector sees but whose findings belong to the chunks beside. to < 0:
// the whole stream.
type region struct {
	from, to int64
	at       int64 // offset of the stream in the file, for messages
}

// lines is what a chunk says of its lines: the newlines in it, and the
// offset of the last one from the stream's start (-1: none).
type lines struct {
	count  int
	lastNL int64
}

// region scans the stream r as the chunk reg of split, keeping its
// findings as a group.
func (s *streamer) region(ctx context.Context, r io.Reader, name string, reg region, split *splitFile, chunk int) (int64, lines, error) {
	from, masked := s.spill.size, s.counts.MaskedPANs
	n, ls, err := s.read(ctx, r, reg)
	if s.spill.size > from {
		s.groups = append(s.groups, group{s: s, name: name, from: from, to: s.spill.size, masked: s.counts.MaskedPANs - masked, split: split, chunk: chunk})
	}
	return n, ls, err
}

// read scans the findings of reg in r into the spill.
func (s *streamer) read(ctx context.Context, r io.Reader, reg region) (int64, lines, error) {
	buf := s.buf
	var (
		base   int64  // offset in the stream of buf[0]
		n      int    // bytes held in buf
		next   cursor // where scanning resumes, relative to base
		line   = 1
		lineAt = reg.from // newlines are counted from here up to here
		lastNL = reg.from - 1
	)
	whole := reg.to < 0
	// countTo advances the line count to stream offset abs.
	countTo := func(abs int64) {
		if !whole {
			abs = min(abs, reg.to)
		}
		if abs <= lineAt {
			return
		}
		seg := buf[lineAt-base : abs-base]
		if c := bytes.Count(seg, []byte{'\n'}); c > 0 {
			line += c
			lastNL = lineAt + int64(bytes.LastIndexByte(seg, '\n'))
		}
		lineAt = abs
	}
	result := func() lines {
		l := lines{count: line - 1, lastNL: lastNL}
		if l.count == 0 {
			l.lastNL = -1
		}
		return l
	}
	for {
		if err := ctx.Err(); err != nil {
			return base + int64(n), result(), err
		}
		m, rerr := io.ReadFull(r, buf[n:])
		n += m
		end := rerr != nil // EOF, or an error: scan what was read either way
		to := n
		if !end {
			to = n - overlap
		}
		s.hits = s.hits[:0]
		// The detector makes several passes (key anchors, card classes):
		// over blocks that stay in the core's cache, not the whole buffer.
		for {
			bt := min(to, min(next.secrets, next.pans)+scanBlock)
			next = s.det.scan(buf[:n], next, bt, s.addHit)
			if bt >= to {
				break
			}
		}
		if !slices.IsSortedFunc(s.hits, byStart) { // secrets come first
			slices.SortStableFunc(s.hits, byStart)
		}
		for _, h := range s.hits {
			abs := base + int64(h.start)
			if abs < reg.from || !whole && abs >= reg.to {
				continue // the chunk beside reports it
			}
			countTo(abs)
			s.put(h, line, int(abs-lastNL))
		}
		if end {
			if !whole {
				countTo(base + int64(n))
			}
			if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
				rerr = nil
			}
			if rerr != nil {
				var pe *fs.PathError
				if errors.As(rerr, &pe) { // Skipped names the file already
					rerr = pe.Err
				}
				rerr = fmt.Errorf("read error after %d bytes: %w", reg.at+base+int64(n), rerr)
			}
			return base + int64(n), result(), rerr
		}
		keep := to - lookbehind
		countTo(base + int64(keep))
		copy(buf, buf[keep:n])
		base += int64(keep)
		n -= keep
		next.secrets -= keep
		next.pans -= keep
	}
}

func (s *streamer) addHit(h hit) { s.hits = append(s.hits, h) }

// put writes a finding to the spill.
func (s *streamer) put(h hit, line, column int) {
	s.enc = appendEntry(s.enc[:0], entry{
		line: line, column: column, typ: s.intern(h.typ), brand: s.intern(h.brand), kind: s.intern(h.kind),
		test: h.test, live: h.live, first: h.first, last: h.last, masked: h.masked,
	})
	s.spill.write(s.enc)
	s.counts.add(h.typ, h.test, h.live)
}

// MarshalJSON writes test_card for card numbers only, as the scan JSON
// contract shows it.
func (f Finding) MarshalJSON() ([]byte, error) { return f.AppendJSON(nil), nil }

// AppendJSON appends what MarshalJSON returns to b, byte for byte what
// encoding/json writes, without its reflection: a scan can print
// millions of findings.
func (f Finding) AppendJSON(b []byte) []byte {
	b = append(b, `{"type":`...)
	b = appendJSONString(b, f.Type)
	pan := f.Type == TypePAN
	if pan && f.Brand != "" {
		b = append(b, `,"brand":`...)
		b = appendJSONString(b, f.Brand)
	}
	if !pan || f.Kind != "" {
		b = append(b, `,"kind":`...)
		b = appendJSONString(b, f.Kind)
	}
	b = append(b, `,"masked":`...)
	b = appendJSONString(b, f.Masked)
	if pan {
		b = append(b, `,"test_card":`...)
		b = strconv.AppendBool(b, f.TestCard)
	}
	b = append(b, `,"live":`...)
	b = strconv.AppendBool(b, f.Live)
	b = append(b, `,"file":`...)
	b = appendJSONString(b, f.File)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(f.Line), 10)
	b = append(b, `,"column":`...)
	b = strconv.AppendInt(b, int64(f.Column), 10)
	return append(b, '}')
}

// appendJSONString appends s as encoding/json quotes it. Text that needs
// no escape (printable ASCII but the HTML characters, and valid UTF-8 but
// U+2028 and U+2029) is copied; anything else is left to encoding/json.
func appendJSONString(b []byte, s string) []byte {
	i := 0
	for ; i+8 <= len(s); i += 8 { // eight bytes a step while they are plain ASCII
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if w&highs != 0 || (w-ones*0x20)&^w&highs != 0 || // a byte < 0x20: the test is exact on ASCII
			equalMask(w, '"')|equalMask(w, '\\')|equalMask(w, '<')|equalMask(w, '>')|equalMask(w, '&') != 0 {
			break
		}
	}
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendMarshalled(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendMarshalled(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshalled(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}
