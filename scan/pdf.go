package scan

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/ascii85"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// pdf scans a PDF: its bytes as they are (uncompressed content, metadata,
// form values), then the text of each stream, decoded through its filter
// chain (Flate, LZW, ASCII85, ASCIIHex, RunLength). Both passes stream, so
// a PDF of any size is read under the decompression budget; one in an
// archive is spooled to a temporary file for the second pass. Pictures
// and cross-reference streams hold no text and are not decoded; a stream
// with another filter or a predictor, and an encrypted PDF, are reported
// as not read.
func (s *streamer) pdf(ctx context.Context, u *unit, r io.Reader, at io.ReaderAt, size int64, name string) error {
	if at == nil || size < 0 {
		f, err := os.CreateTemp("", "audit-scan-*.pdf")
		if err != nil {
			return fmt.Errorf("PDF inside an archive: %w", err)
		}
		defer os.Remove(f.Name())
		defer f.Close()
		n, err := io.Copy(f, r) // charged to the budget by the decompressor
		if err != nil {
			return err
		}
		at, size, r = f, n, io.NewSectionReader(f, 0, n)
	}
	enc := &watch{r: r, word: []byte("/Encrypt")}
	fonts := &pdfFonts{}
	composite := &watch{r: enc, word: identityH}
	if err := s.decoded(ctx, u, newPrintable(composite), name); err != nil {
		return err
	}
	if enc.seen {
		return errors.New("encrypted PDF: streams not read")
	}
	fonts.composite = composite.seen
	gaps, err := s.pdfStreams(ctx, u, at, size, name, nil, fonts)
	if err != nil {
		return err
	}
	if fonts.composite && fonts.cmaps == 0 {
		// Composite fonts show glyph numbers; without a map nothing says
		// which glyph is a digit.
		gaps = append(gaps, errors.New("text in composite (Identity-H) fonts without a ToUnicode map: not decoded, not read"))
	}
	if numbered := fonts.numbered; len(numbered) > 0 {
		// The second pass: what content streams show, decoded.
		glyphs, err := mergeGlyphMaps(numbered)
		if err != nil {
			gaps = append(gaps, err)
		} else {
			more, err := s.pdfStreams(ctx, u, at, size, name+"!fonts decoded", glyphs, nil)
			if err != nil {
				return err
			}
			gaps = append(gaps, more...)
		}
	}
	if len(gaps) > 0 {
		return fmt.Errorf("%d PDF stream(s) not read: %w", len(gaps), errors.Join(gaps...))
	}
	return nil
}

// pdfFonts is what the first pass over a PDF learns of its fonts.
type pdfFonts struct {
	composite bool        // a font is Identity-H or -V (its codes are glyph numbers)
	cmaps     int         // ToUnicode maps found
	numbered  []*glyphMap // those of fonts that number their glyphs
}

// identityH is the encoding of composite fonts ("/Identity-H", "/Identity-V").
var identityH = []byte("/Identity-")

// pdfStreams scans every stream of a PDF (see pdfStream), telling fonts
// (the first pass; nil in the second) what it finds of the fonts; it
// returns the streams not read. Only a cancelled scan or an exhausted
// budget is an error.
func (s *streamer) pdfStreams(ctx context.Context, u *unit, at io.ReaderAt, size int64, name string, glyphs *glyphMap, fonts *pdfFonts) ([]error, error) {
	var gaps []error
	p := &pdfParser{br: bufio.NewReaderSize(io.NewSectionReader(at, 0, size), 64<<10)}
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, err := p.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		member := name + "!stream " + strconv.Itoa(n)
		m, err := s.pdfStream(ctx, u, st, member, glyphs, fonts)
		if m != nil && fonts != nil {
			fonts.cmaps++
			if m.numbersGlyphs() {
				fonts.numbered = append(fonts.numbered, m)
			}
		}
		if _, derr := io.Copy(io.Discard, st.body); derr != nil && err == nil {
			err = derr
		}
		var be *budgetError
		if errors.As(err, &be) {
			return nil, err
		}
		if err != nil {
			gaps = append(gaps, fmt.Errorf("%s: %w", member, err))
		}
	}
	return gaps, nil
}

// filterChain decodes src through filters, in order; each stage's output
// is charged to b (a chain may expand at each).
func filterChain(src io.Reader, filters []string, early bool, b *budget) (io.Reader, error) {
	for _, f := range filters {
		var err error
		switch f {
		case "FlateDecode", "Fl":
			src, err = zlib.NewReader(src)
		case "LZWDecode", "LZW":
			src = newLZW(src, early)
		case "ASCII85Decode", "A85":
			src = ascii85.NewDecoder(&a85Text{r: bufio.NewReader(src)})
		case "ASCIIHexDecode", "AHx":
			src = &hexText{r: bufio.NewReader(src)}
		case "RunLengthDecode", "RL":
			src = &runLength{r: bufio.NewReader(src)}
		default:
			return nil, fmt.Errorf("filter %s not supported", f)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		src = &budgeted{src, b}
	}
	return src, nil
}

// pdfStream scans one stream's decoded text, and returns the stream's
// ToUnicode CMap if it is one (noting composite fonts in fonts). With glyphs (the second pass over a PDF
// whose fonts number their glyphs), only content is read, through glyphs.
func (s *streamer) pdfStream(ctx context.Context, u *unit, st pdfStream, member string, glyphs *glyphMap, fonts *pdfFonts) (*glyphMap, error) {
	if st.image || st.xref || glyphs != nil && !st.content {
		return nil, nil // pictures and cross-references hold no text
	}
	if len(st.filters) == 0 && glyphs == nil { // read raw already: only a CMap is looked for
		if !st.content {
			return nil, nil
		}
		cm := &cmapTee{r: st.body}
		_, err := io.Copy(io.Discard, cm)
		return parseCMap(cm.kept), err
	}
	if st.predictor {
		return nil, errors.New("a predictor (DecodeParms) is not supported")
	}
	src, err := filterChain(st.body, st.filters, st.early, u.b)
	if err != nil {
		return nil, err
	}
	if !st.content {
		w := &watch{r: src, word: identityH} // font dictionaries in an object stream
		err := s.decoded(ctx, u, newPrintable(w), member)
		if fonts != nil && w.seen {
			fonts.composite = true
		}
		return nil, err
	}
	cm := &cmapTee{r: src}
	if err := s.decoded(ctx, u, newPDFText(cm, glyphs), member); err != nil {
		return nil, err
	}
	if glyphs != nil {
		return nil, nil
	}
	return parseCMap(cm.kept), nil
}

// cmapTee keeps what it reads of a stream that starts as a CMap does.
type cmapTee struct {
	r     io.Reader
	kept  []byte
	other bool // the stream is no CMap
}

func (c *cmapTee) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if !c.other && len(c.kept) < maxCMap {
		c.kept = append(c.kept, p[:min(n, maxCMap-len(c.kept))]...)
		if len(c.kept) >= 512 && !bytes.Contains(c.kept[:512], []byte("CMap")) && !bytes.Contains(c.kept[:512], []byte("begincmap")) {
			c.other, c.kept = true, nil
		}
	}
	return n, err
}

type pdfStream struct {
	body      io.Reader // the bytes up to endstream
	filters   []string  // in decoding order, without the slashes
	early     bool      // LZW EarlyChange (the default)
	predictor bool
	image     bool
	xref      bool
	content   bool // a page's content (text operators), not an object stream or font
}

// pdfParser finds "stream … endstream" bodies and the dictionary before
// each, without a full PDF parser: enough to find the filters and whether
// a stream is a picture. It holds the last dictWindow bytes read.
type pdfParser struct {
	br  *bufio.Reader
	win []byte
	cur *untilEndstream
}

const dictWindow = 4096

func (p *pdfParser) next() (pdfStream, error) {
	for {
		chunk, err := p.br.ReadSlice('m')
		if err != nil && err != bufio.ErrBufferFull {
			return pdfStream{}, err
		}
		p.win = append(p.win, chunk...)
		if len(p.win) > 2*dictWindow {
			p.win = append(p.win[:0], p.win[len(p.win)-dictWindow:]...)
		}
		if !bytes.HasSuffix(p.win, []byte("stream")) || bytes.HasSuffix(p.win, []byte("endstream")) {
			continue
		}
		eol, _ := p.br.Peek(2)
		switch {
		case bytes.HasPrefix(eol, []byte("\r\n")):
			p.br.Discard(2)
		case bytes.HasPrefix(eol, []byte("\n")), bytes.HasPrefix(eol, []byte("\r")):
			p.br.Discard(1)
		default:
			continue // a word ending in "stream", not the keyword
		}
		dict := p.win[max(0, len(p.win)-dictWindow):]
		if o := bytes.LastIndex(dict, []byte("obj")); o >= 0 {
			dict = dict[o:]
		}
		st := parseStreamDict(dict)
		p.win = p.win[:0]
		st.body = &untilEndstream{br: p.br}
		return st, nil
	}
}

// parseStreamDict reads what decoding needs from a stream's dictionary.
func parseStreamDict(dict []byte) pdfStream {
	st := pdfStream{early: true}
	has := func(s string) bool { return bytes.Contains(dict, []byte(s)) }
	st.image = has("/Image")
	st.xref = has("/Type/XRef") || has("/Type /XRef")
	st.content = !has("/Type/ObjStm") && !has("/Type /ObjStm") && !has("/Length1") && !has("/Subtype")
	if f := bytes.Index(dict, []byte("/Filter")); f >= 0 {
		rest := bytes.TrimLeft(dict[f+len("/Filter"):], " \t\r\n")
		array := len(rest) > 0 && rest[0] == '['
		for len(rest) > 0 {
			rest = bytes.TrimLeft(rest, " \t\r\n[")
			if len(rest) < 2 || rest[0] != '/' {
				break
			}
			e := 1
			for e < len(rest) && isAlnum(rest[e]) {
				e++
			}
			st.filters = append(st.filters, string(rest[1:e]))
			rest = rest[e:]
			if !array {
				break
			}
		}
	}
	if p := bytes.Index(dict, []byte("/Predictor")); p >= 0 {
		v := bytes.TrimLeft(dict[p+len("/Predictor"):], " \t\r\n")
		st.predictor = len(v) > 0 && v[0] >= '2' && v[0] <= '9' || len(v) > 1 && v[0] == '1' && isDigit(v[1])
	}
	if p := bytes.Index(dict, []byte("/EarlyChange")); p >= 0 {
		v := bytes.TrimLeft(dict[p+len("/EarlyChange"):], " \t\r\n")
		st.early = !(len(v) > 0 && v[0] == '0')
	}
	return st
}

// untilEndstream reads a stream's body: up to the endstream keyword.
type untilEndstream struct {
	br   *bufio.Reader
	out  []byte
	pend []byte
	done bool
}

func (u *untilEndstream) Read(p []byte) (int, error) {
	const end = "endstream"
	for len(u.out) == 0 {
		if u.done {
			return 0, io.EOF
		}
		chunk, err := u.br.ReadSlice('m')
		if err != nil && err != bufio.ErrBufferFull {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF // no endstream
			}
			u.done = true
			u.out = append(u.out[:0], u.pend...)
			if len(u.out) == 0 {
				return 0, err
			}
			break
		}
		data := append(u.pend, chunk...)
		if bytes.HasSuffix(data, []byte(end)) {
			u.out, u.pend, u.done = data[:len(data)-len(end)], nil, true
			break
		}
		keep := min(len(data), len(end)-1)
		u.out = append(u.out[:0], data[:len(data)-keep]...)
		u.pend = append(u.pend[:0:0], data[len(data)-keep:]...)
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

// watch passes r through and notes whether word occurs in it.
type watch struct {
	r    io.Reader
	word []byte
	tail []byte
	seen bool
}

func (w *watch) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if !w.seen && n > 0 {
		w.tail = append(w.tail, p[:n]...)
		w.seen = bytes.Contains(w.tail, w.word)
		w.tail = append(w.tail[:0], w.tail[max(0, len(w.tail)-len(w.word)+1):]...)
	}
	return n, err
}

// newPDFText reads the text shown by a content stream: literal and hex
// strings, a line break after each text-showing or positioning operator.
// Strings in one TJ array run together, as a reader sees them.
//
// With glyphs, strings are the glyph codes of fonts that number their
// glyphs, and their text is what glyphs maps them to.
func newPDFText(r io.Reader, glyphs *glyphMap) io.Reader {
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
	var op, str []byte
	// show adds a byte of a string to what is shown.
	show := func(out []byte, c byte) []byte {
		if glyphs == nil {
			return append(out, c)
		}
		if str = append(str, c); len(str) >= 1<<12 { // a code never straddles: widths divide 4096
			out, str = glyphs.decode(out, str), str[:0]
		}
		return out
	}
	// end closes a string.
	end := func(out []byte) []byte {
		if glyphs != nil {
			out, str = glyphs.decode(out, str), str[:0]
		}
		return out
	}
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
						out = show(out, '\n')
					case 'r', 't', 'b', 'f':
						out = show(out, ' ')
					case '\n', '\r':
					default:
						if c >= '0' && c <= '7' {
							esc, oct = 2, int(c-'0')
							continue
						}
						out = show(out, c)
					}
				case esc >= 2 && c >= '0' && c <= '7' && esc < 4:
					oct = oct*8 + int(c-'0')
					esc++
					if esc == 4 {
						out = show(out, byte(oct))
						esc = 0
					}
				default:
					if esc >= 2 {
						out = show(out, byte(oct))
						esc = 0
					}
					switch c {
					case '\\':
						esc = 1
					case '(':
						depth++
						out = show(out, c)
					case ')':
						if depth == 0 {
							out = end(out)
							state = plain
							continue
						}
						depth--
						out = show(out, c)
					default:
						out = show(out, c)
					}
				}
			case hexstr:
				switch {
				case c == '>':
					if hexn == 1 {
						out = show(out, byte(hexv<<4))
					}
					out = end(out)
					state = plain
				case isHex(c):
					hexv = hexv<<4 | hexVal(c)
					hexn++
					if hexn == 2 {
						out = show(out, byte(hexv))
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
