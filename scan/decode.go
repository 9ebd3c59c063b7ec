package scan

import (
	"bytes"
	"io"
)

// transform is a reader that rewrites what it reads chunk by chunk; step
// turns in into out and returns how much of in it consumed (it may leave
// a tail it needs more lookahead for, unless eof).
type transform struct {
	r    io.Reader
	in   []byte
	out  []byte
	off  int
	err  error
	step func(in []byte, eof bool, out []byte) ([]byte, int)
}

const transformChunk = 64 << 10

func (t *transform) Read(p []byte) (int, error) {
	for t.off == len(t.out) {
		if t.err != nil {
			return 0, t.err
		}
		if t.in == nil {
			t.in = make([]byte, 0, transformChunk+64)
		}
		n, err := t.r.Read(t.in[len(t.in):cap(t.in)])
		t.in = t.in[:len(t.in)+n]
		if err != nil {
			t.err = err
		}
		eof := t.err != nil
		var used int
		t.out, used = t.step(t.in, eof, t.out[:0])
		t.off = 0
		t.in = t.in[:copy(t.in, t.in[used:])]
		if eof && len(t.in) > 0 {
			t.out = append(t.out, t.in...) // cannot happen with a step that consumes all at eof
			t.in = t.in[:0]
		}
	}
	n := copy(p, t.out[t.off:])
	t.off += n
	return n, nil
}

// isText is a printable ASCII byte, or tab, newline, carriage return.
func isText(c byte) bool { return c-' ' < 0x5f || c == '\t' || c == '\n' || c == '\r' }

// newPrintable reads a binary file for what text it holds: bytes pass as
// they are (a card number is digits whatever surrounds them), and runs of
// text interleaved with NULs (UTF-16 strings, as Windows programs and
// UTF-16 databases store them) are collapsed into plain text.
func newPrintable(r io.Reader) io.Reader {
	run := false // inside a collapsed run at the end of the last chunk
	return &transform{r: r, step: func(in []byte, eof bool, out []byte) ([]byte, int) {
		limit := len(in)
		if !eof {
			limit -= 8
		}
		i := 0
		if run {
			for i+1 < limit && in[i] == 0 && isText(in[i+1]) {
				out = append(out, in[i+1])
				i += 2
			}
			run = i+1 >= limit && i > 0
		}
		for i < limit {
			k := bytes.IndexByte(in[i:limit], 0)
			if k < 0 {
				out = append(out, in[i:limit]...)
				i = limit
				break
			}
			k += i
			out = append(out, in[i:k]...)
			if k > 0 && isText(in[k-1]) && interleaved(in, k) {
				j := k
				for j+1 < limit && in[j] == 0 && isText(in[j+1]) {
					out = append(out, in[j+1])
					j += 2
				}
				run = j+1 >= limit
				i = j
				if j == k { // the run starts at the chunk's end: resume it with the next
					break
				}
				continue
			}
			// A run of NULs (padding, sparse data, a bomb of zeros) reads
			// as one: it holds no text, and copying it byte by byte is slow.
			out = append(out, 0)
			for i = k + 1; i < limit && in[i] == 0; i++ {
			}
		}
		return out, max(0, min(i, len(in)))
	}}
}

// interleaved: at the NUL at k, three more text bytes each followed by NUL.
func interleaved(in []byte, k int) bool {
	return k+5 < len(in) && isText(in[k+1]) && in[k+2] == 0 && isText(in[k+3]) && in[k+4] == 0 && isText(in[k+5])
}

// newXMLText reads the text of an office document's XML: element content
// as it is, tags dropped, a line break for each paragraph, cell or row so
// neighbouring cells do not run together (a number split over runs of one
// paragraph, as word processors split it, is joined again).
func newXMLText(r io.Reader) io.Reader {
	var tag []byte
	inTag := false
	return &transform{r: r, step: func(in []byte, _ bool, out []byte) ([]byte, int) {
		for _, c := range in {
			switch {
			case inTag && c == '>':
				inTag = false
				if breakTag(tag) {
					out = append(out, '\n')
				}
			case inTag:
				if len(tag) < 32 {
					tag = append(tag, c)
				}
			case c == '<':
				inTag, tag = true, tag[:0]
			default:
				out = append(out, c)
			}
		}
		return out, len(in)
	}}
}

// breakTag: paragraphs, breaks, cells and rows of OOXML and OpenDocument.
func breakTag(tag []byte) bool {
	tag = bytes.TrimPrefix(tag, []byte("/"))
	if i := bytes.IndexAny(tag, " /\t\r\n"); i >= 0 {
		tag = tag[:i]
	}
	if i := bytes.IndexByte(tag, ':'); i >= 0 {
		tag = tag[i+1:]
	}
	switch string(tag) {
	case "p", "br", "tab", "cr", "si", "c", "row", "tr", "tc", "h", "table-cell", "table-row", "line-break", "v", "is":
		return true
	}
	return false
}
