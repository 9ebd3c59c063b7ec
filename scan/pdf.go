package scan

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// pdf scans a PDF: its bytes as they are (uncompressed content, metadata,
// form values), then the text of each Flate-compressed stream. A PDF over
// Limits.MaxPDF or encrypted is scanned raw and reported as not read whole.
func (s *streamer) pdf(ctx context.Context, u *unit, r io.Reader, name string, d int) error {
	buf, err := io.ReadAll(io.LimitReader(r, s.lim.MaxPDF+1))
	if err != nil {
		return err
	}
	if int64(len(buf)) > s.lim.MaxPDF {
		if err := s.decoded(ctx, u, newPrintable(io.MultiReader(bytes.NewReader(buf), r)), name); err != nil {
			return err
		}
		return fmt.Errorf("PDF over %d bytes: compressed streams not read", s.lim.MaxPDF)
	}
	if err := s.decoded(ctx, u, newPrintable(bytes.NewReader(buf)), name); err != nil {
		return err
	}
	if bytes.Contains(buf, []byte("/Encrypt")) {
		return errors.New("encrypted PDF: streams not read")
	}
	var gaps []error
	n := 0
	for _, st := range pdfStreams(buf) {
		if err := ctx.Err(); err != nil {
			return err
		}
		n++
		if st.image {
			continue // pictures hold no text to read
		}
		member := name + "!stream " + strconv.Itoa(n)
		switch st.filter {
		case "":
			continue // scanned with the raw bytes
		case "FlateDecode", "Fl":
		default:
			gaps = append(gaps, fmt.Errorf("%s: filter %s not supported", member, st.filter))
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(st.data))
		if err != nil {
			gaps = append(gaps, fmt.Errorf("%s: %w", member, err))
			continue
		}
		var src io.Reader = &budgeted{zr, u.b}
		if st.content {
			src = newPDFText(src)
		} else {
			src = newPrintable(src)
		}
		err = s.decoded(ctx, u, src, member)
		var be *budgetError
		if errors.As(err, &be) {
			return err
		}
		if err != nil {
			gaps = append(gaps, fmt.Errorf("%s: %w", member, err))
		}
	}
	if len(gaps) > 0 {
		return fmt.Errorf("%d PDF stream(s) not read: %w", len(gaps), errors.Join(gaps...))
	}
	return nil
}

type pdfStream struct {
	data    []byte
	filter  string // first filter, without the slash
	image   bool
	content bool // a page's content (text operators), not an object stream or font
}

// pdfStreams finds "stream … endstream" bodies and the dictionary before
// each, without a full PDF parser: enough to find the filter and whether
// a stream is a picture.
func pdfStreams(buf []byte) []pdfStream {
	var out []pdfStream
	for p := 0; ; {
		k := bytes.Index(buf[p:], []byte("stream"))
		if k < 0 {
			return out
		}
		k += p
		p = k + len("stream")
		if k > 0 && buf[k-1] == 'd' { // endstream
			continue
		}
		start := p
		if start < len(buf) && buf[start] == '\r' {
			start++
		}
		if start >= len(buf) || buf[start] != '\n' {
			continue
		}
		start++
		e := bytes.Index(buf[start:], []byte("endstream"))
		if e < 0 {
			return out
		}
		end := start + e
		dict := buf[max(0, k-4096):k]
		if o := bytes.LastIndex(dict, []byte("obj")); o >= 0 {
			dict = dict[o:]
		}
		st := pdfStream{data: bytes.TrimRight(buf[start:end], "\r\n"), image: bytes.Contains(dict, []byte("/Image"))}
		if f := bytes.Index(dict, []byte("/Filter")); f >= 0 {
			rest := bytes.TrimLeft(dict[f+len("/Filter"):], " \t\r\n[")
			if len(rest) > 1 && rest[0] == '/' {
				e := 1
				for e < len(rest) && isAlnum(rest[e]) {
					e++
				}
				st.filter = string(rest[1:e])
			}
		}
		st.content = !bytes.Contains(dict, []byte("/Type/ObjStm")) && !bytes.Contains(dict, []byte("/Type /ObjStm")) &&
			!bytes.Contains(dict, []byte("/Length1")) && !bytes.Contains(dict, []byte("/Subtype"))
		out = append(out, st)
		p = end + len("endstream")
	}
}

// newPDFText reads the text shown by a content stream: literal and hex
// strings, a line break after each text-showing or positioning operator.
// Strings in one TJ array run together, as a reader sees them.
func newPDFText(r io.Reader) io.Reader {
	// States of the tokenizer, kept across chunks.
	const (
		plain = iota
		literal
		hexstr
		comment
	)
	state, depth, esc := plain, 0, 0 // esc: 0 none, 1 after '\', 2-4 octal digits
	var oct, hexv int
	hexn := 0
	var op []byte
	flushOp := func(out []byte) []byte {
		switch string(op) {
		case "Tj", "TJ", "'", "\"", "T*", "Td", "TD", "Tm", "ET":
			out = append(out, '\n')
		}
		op = op[:0]
		return out
	}
	return &transform{r: r, step: func(in []byte, _ bool, out []byte) ([]byte, int) {
		for _, c := range in {
			switch state {
			case comment:
				if c == '\n' || c == '\r' {
					state = plain
				}
			case literal:
				switch {
				case esc == 1:
					esc = 0
					switch c {
					case 'n':
						out = append(out, '\n')
					case 'r', 't', 'b', 'f':
						out = append(out, ' ')
					case '\n', '\r':
					default:
						if c >= '0' && c <= '7' {
							esc, oct = 2, int(c-'0')
							continue
						}
						out = append(out, c)
					}
				case esc >= 2 && c >= '0' && c <= '7' && esc < 4:
					oct = oct*8 + int(c-'0')
					esc++
					if esc == 4 {
						out = append(out, byte(oct))
						esc = 0
					}
				default:
					if esc >= 2 {
						out = append(out, byte(oct))
						esc = 0
					}
					switch c {
					case '\\':
						esc = 1
					case '(':
						depth++
						out = append(out, c)
					case ')':
						if depth == 0 {
							state = plain
							continue
						}
						depth--
						out = append(out, c)
					default:
						out = append(out, c)
					}
				}
			case hexstr:
				switch {
				case c == '>':
					if hexn == 1 {
						out = append(out, byte(hexv<<4))
					}
					state = plain
				case isHex(c):
					hexv = hexv<<4 | hexVal(c)
					hexn++
					if hexn == 2 {
						out = append(out, byte(hexv))
						hexn, hexv = 0, 0
					}
				}
			default:
				switch {
				case c == '(':
					out = flushOp(out)
					state, depth, esc = literal, 0, 0
				case c == '<':
					out = flushOp(out)
					state, hexn, hexv = hexstr, 0, 0
				case c == '%':
					out = flushOp(out)
					state = comment
				case isAlpha(c) || c == '*' || c == '\'' || c == '"':
					if len(op) < 8 {
						op = append(op, c)
					}
				default:
					out = flushOp(out)
				}
			}
		}
		return out, len(in)
	}}
}

func isHex(c byte) bool { return isDigit(c) || (c|0x20)-'a' < 6 }

func hexVal(c byte) int {
	if isDigit(c) {
		return int(c - '0')
	}
	return int(c|0x20-'a') + 10
}
