package scan

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// E-mails are read as their MIME structure: an export mailed as an
// attachment is base64 in the file, and its card numbers are nowhere in
// the bytes on disk. Support mailboxes, Maildir folders and .eml files
// dumped by a ticket system are where card numbers end up.

// maxMailHeader bounds one header block (an e-mail's or a part's).
const maxMailHeader = 1 << 20

// mailHead reports whether head begins an e-mail: header fields up to the
// first empty line, one of them a MIME field or a Content-Type beside an
// address or date field (a YAML or Debian control file has fields too,
// never those). mbox is true for a mailbox of e-mails, each after a
// "From " line.
func mailHead(head []byte) (mbox, ok bool) {
	rest := head
	if bytes.HasPrefix(rest, []byte("From ")) {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			return false, false
		}
		mbox, rest = true, rest[nl+1:]
	}
	var mimeField, contentType, address bool
	fields := 0
	for len(rest) > 0 {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 && len(head) == peekSize {
			break // the head cuts this line
		}
		line := rest
		if nl >= 0 {
			line, rest = rest[:nl], rest[nl+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break // the end of the header block
		}
		if line[0] == ' ' || line[0] == '\t' {
			if fields == 0 {
				return false, false
			}
			continue // a folded field goes on
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return false, false
		}
		for _, c := range line[:colon] {
			if c <= ' ' || c > '~' {
				return false, false
			}
		}
		fields++
		switch strings.ToLower(string(line[:colon])) {
		case "mime-version", "content-transfer-encoding":
			mimeField = true
		case "content-type":
			contentType = true
		case "from", "to", "date", "subject", "message-id", "received", "return-path", "delivered-to":
			address = true
		}
	}
	return mbox, fields >= 2 && (mimeField || contentType && address || mbox && address)
}

// mail scans r, an e-mail or an mbox of them, named name.
func (s *streamer) mail(ctx context.Context, u *unit, r io.Reader, name string, d int, mbox bool) error {
	if !mbox {
		return s.message(ctx, u, bufio.NewReader(r), name, d)
	}
	mb := &mboxReader{br: bufio.NewReader(r), blank: true} // the file's start is a message's
	for n := 1; mb.next(); n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		msg := name + "!message " + strconv.Itoa(n)
		br := s.reader(mb)
		err := s.message(ctx, u, br, msg, d+1)
		s.release(br)
		var be *budgetError
		if errors.As(err, &be) {
			return err
		}
		if err := s.record(ctx, u, msg, err); err != nil {
			return err
		}
	}
	return mb.err
}

// message scans one e-mail: its header block, decoded, and its body.
func (s *streamer) message(ctx context.Context, u *unit, br *bufio.Reader, name string, d int) error {
	if head, _ := br.Peek(5); string(head) == "From " { // an mbox separator kept in a forwarded e-mail
		if _, err := br.ReadSlice('\n'); err != nil && err != bufio.ErrBufferFull {
			return err
		}
	}
	h, text, err := readHeader(br)
	if err != nil {
		return err
	}
	return s.entity(ctx, u, h, text, br, name, d)
}

// entity scans a MIME entity, header h and body: parts of a multipart one
// under name!label, a message/rfc822 one as a message, any other decoded
// by its transfer encoding and read as what it is (text, a zip, a PDF…).
// text is an e-mail's header as scanned (nil for a part's), read before a
// text body.
func (s *streamer) entity(ctx context.Context, u *unit, h textproto.MIMEHeader, text []byte, body io.Reader, name string, d int) error {
	if d > s.lim.MaxDepth {
		return fmt.Errorf("nested deeper than %d containers: not read", s.lim.MaxDepth)
	}
	media, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		media = "text/plain" // RFC 2045 5.2: the default, for a missing or malformed type
	}
	decoded, err := transferDecoded(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return err
	}
	switch {
	case strings.HasPrefix(media, "multipart/"):
		if err := s.text(ctx, u, text, name); err != nil {
			return err
		}
		return s.parts(ctx, u, decoded, params["boundary"], name, d)
	case media == "message/rfc822" || media == "message/global":
		if err := s.text(ctx, u, text, name); err != nil {
			return err
		}
		br := s.reader(decoded)
		defer s.release(br)
		return s.message(ctx, u, br, name+"!message", d+1)
	}
	br := s.reader(decoded)
	defer s.release(br)
	head, _ := br.Peek(peekSize)
	if _, mail := mailHead(head); container(head) == "" && !mail && sniffText(head) == encUTF8 {
		// Text: read with the header text before it, so lines count from
		// the entity's first (the file's own, for an unencoded e-mail).
		return s.decoded(ctx, u, io.MultiReader(bytes.NewReader(text), br), name)
	}
	if err := s.text(ctx, u, text, name); err != nil {
		return err
	}
	return s.content(ctx, u, br, nil, -1, name, d, "")
}

// parts scans the parts of a multipart body, each as name!label.
func (s *streamer) parts(ctx context.Context, u *unit, body io.Reader, boundary, name string, d int) error {
	if boundary == "" {
		return errors.New("multipart e-mail without a boundary: not read")
	}
	out := &outside{r: body, dash: []byte("--" + boundary)}
	mr := multipart.NewReader(out, boundary)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := mr.NextRawPart()
		// A body that ends without its closing boundary (or with no part
		// at all) has been read to the end of the file all the same: many
		// mailers write them so.
		if errors.Is(err, io.EOF) {
			if _, err := io.Copy(io.Discard, out); err != nil { // the epilogue, past what multipart read
				return err
			}
			if out.over {
				return fmt.Errorf("text outside the parts over %d bytes: not read", maxMailHeader)
			}
			return s.text(ctx, u, out.text, name+"!outside the parts")
		}
		if err != nil {
			return fmt.Errorf("MIME: %w", err)
		}
		label := "part " + strconv.Itoa(n)
		if f := p.FileName(); f != "" {
			label = Redact(f)
		}
		part := name + "!" + label
		err = s.entity(ctx, u, p.Header, nil, lastPart{p}, part, d+1)
		var be *budgetError
		if errors.As(err, &be) {
			return err
		}
		if err := s.record(ctx, u, part, err); err != nil {
			return err
		}
	}
}

// outside keeps the text of a multipart body that lies outside its parts'
// bodies — the preamble, each part's header, the epilogue — for it to be
// read too: multipart.Reader skips or parses it.
type outside struct {
	r    io.Reader
	dash []byte // "--" and the boundary
	in   bool   // past the first boundary line
	done bool   // past the closing boundary line
	head bool   // in a part's header
	line []byte // the start of the current line
	n    int    // bytes of the current line
	text []byte
	over bool // text grew past maxMailHeader
}

func (o *outside) Read(p []byte) (int, error) {
	n, err := o.r.Read(p)
	for _, c := range p[:n] {
		o.step(c)
	}
	return n, err
}

func (o *outside) step(c byte) {
	if !o.in || o.head || o.done {
		if len(o.text) < maxMailHeader {
			o.text = append(o.text, c)
		} else {
			o.over = true
		}
	}
	if len(o.line) < len(o.dash)+2 {
		o.line = append(o.line, c)
	}
	o.n++
	if c != '\n' {
		return
	}
	line := bytes.TrimRight(o.line, "\r\n")
	switch {
	case o.done:
	case bytes.HasPrefix(line, o.dash):
		if !o.in || o.head { // a delimiter is no text: drop what was kept of it
			o.text = o.text[:max(0, len(o.text)-o.n)]
		}
		o.in, o.head = true, true
		o.done = bytes.HasPrefix(line[len(o.dash):], []byte("--"))
	case o.head && len(line) == 0:
		o.head = false // the part's body follows
	}
	o.line, o.n = o.line[:0], 0
}

// lastPart reads a part, whose body may end with the file instead of a
// boundary (multipart.Part says io.ErrUnexpectedEOF): that is its end.
type lastPart struct{ p *multipart.Part }

func (l lastPart) Read(b []byte) (int, error) {
	n, err := l.p.Read(b)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return n, err
}

// text scans b, a header block's text, under name.
func (s *streamer) text(ctx context.Context, u *unit, b []byte, name string) error {
	if len(b) == 0 {
		return nil
	}
	return s.decoded(ctx, u, bytes.NewReader(b), name)
}

// transferDecoded undoes a Content-Transfer-Encoding.
func transferDecoded(cte string, r io.Reader) (io.Reader, error) {
	// Mailers' spellings: "7-bit", "8bits", "quoted printable", "base64;".
	cte, _, _ = strings.Cut(cte, ";")
	norm := make([]byte, 0, len(cte))
	for _, c := range []byte(strings.ToLower(cte)) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			norm = append(norm, c)
		}
	}
	switch strings.TrimSuffix(string(norm), "s") {
	case "", "7bit", "8bit", "binary":
		return r, nil
	case "base64":
		return cutBase64{base64.NewDecoder(base64.StdEncoding, &blankless{r: r})}, nil
	case "quotedprintable":
		return quotedprintable.NewReader(r), nil
	}
	return nil, fmt.Errorf("unsupported transfer encoding %q: not read", Redact(cte))
}

// errCutBase64 is an attachment whose base64 stops in the middle of a
// group of four: the e-mail was cut short.
var errCutBase64 = errors.New("truncated: the attachment's base64 ends part-way")

// cutBase64 tells a base64 decoder's io.ErrUnexpectedEOF (input ended
// inside a group of four) from the end of the data.
type cutBase64 struct{ r io.Reader }

func (c cutBase64) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.ErrUnexpectedEOF {
		err = errCutBase64
	}
	return n, err
}

// blankless drops the spaces and tabs some mailers leave in base64 lines
// (base64's decoder skips only line breaks).
type blankless struct{ r io.Reader }

func (b *blankless) Read(p []byte) (int, error) {
	for {
		n, err := b.r.Read(p)
		k := 0
		for _, c := range p[:n] {
			if c != ' ' && c != '\t' {
				p[k] = c
				k++
			}
		}
		if k > 0 || err != nil {
			return k, err
		}
	}
}

// readHeader reads a header block up to its empty line (bounded) and
// returns its fields and its text as scanned: each field unfolded and its
// encoded words (=?utf-8?q?…?=) decoded, then as many line breaks as it
// took lines, so what follows keeps its line numbers.
func readHeader(br *bufio.Reader) (textproto.MIMEHeader, []byte, error) {
	var raw []byte
	for {
		line, err := br.ReadSlice('\n')
		raw = append(raw, line...)
		if len(raw) > maxMailHeader {
			return nil, nil, fmt.Errorf("e-mail header over %d bytes: not read", maxMailHeader)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, nil, err
		}
		if err == io.EOF || len(bytes.TrimRight(line, "\r\n")) == 0 {
			break
		}
	}
	h, err := textproto.NewReader(bufio.NewReader(io.MultiReader(bytes.NewReader(raw), strings.NewReader("\r\n")))).ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return nil, nil, fmt.Errorf("e-mail header: %w", err)
	}
	return h, unfold(raw), nil
}

// unfold joins each field's folded lines, decodes its encoded words, and
// pads it with the line breaks it took, so a card number split over two
// encoded words or lines is read whole.
func unfold(raw []byte) []byte {
	dec := mime.WordDecoder{CharsetReader: charsetReader}
	var out, field []byte
	lines := 0
	flush := func() {
		if lines == 0 {
			return
		}
		text := string(field)
		if d, err := dec.DecodeHeader(text); err == nil {
			text = d
		}
		out = append(out, strings.ReplaceAll(text, "\n", " ")...)
		out = append(out, bytes.Repeat([]byte{'\n'}, lines)...)
		field, lines = field[:0], 0
	}
	for len(raw) > 0 {
		line := raw
		if nl := bytes.IndexByte(raw, '\n'); nl >= 0 {
			line, raw = raw[:nl], raw[nl+1:]
		} else {
			raw = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') && lines > 0 {
			field = append(field, line...)
			lines++
			continue
		}
		flush()
		field = append(field, line...)
		lines = 1
	}
	flush()
	return out
}

// charsetReader decodes the charsets encoded words name (ISO-8859-1,
// windows-1252, Shift_JIS, …) as the WHATWG encodings do.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	e, err := htmlindex.Get(charset)
	if err != nil {
		return nil, err
	}
	return e.NewDecoder().Reader(input), nil
}

// mboxReader reads the e-mails of an mbox one after another: each begins
// after a "From " line that follows an empty line (or starts the file).
type mboxReader struct {
	br      *bufio.Reader
	pending []byte // what Read has yet to hand out, from br's buffer
	inLine  bool   // the last line read did not end
	blank   bool   // the last whole line read was empty
	end     bool   // the current e-mail ended
	err     error
}

// next skips to the following e-mail, past its "From " line.
func (m *mboxReader) next() bool {
	var skip [4096]byte
	for !m.end && m.err == nil { // what the last e-mail's parser left
		if _, err := m.Read(skip[:]); err != nil {
			break
		}
	}
	if m.err != nil {
		if m.err == io.EOF {
			m.err = nil
		}
		return false
	}
	if _, err := m.br.ReadSlice('\n'); err != nil && err != bufio.ErrBufferFull {
		if err != io.EOF {
			m.err = err
		}
		return false
	}
	m.pending, m.inLine, m.blank, m.end = nil, false, false, false
	return true
}

func (m *mboxReader) Read(p []byte) (int, error) {
	for len(m.pending) == 0 {
		if m.end {
			return 0, io.EOF
		}
		if m.err != nil {
			return 0, m.err
		}
		if !m.inLine && m.blank {
			if h, _ := m.br.Peek(5); string(h) == "From " {
				m.end = true
				return 0, io.EOF
			}
		}
		line, err := m.br.ReadSlice('\n')
		switch err {
		case nil:
			m.blank = !m.inLine && len(bytes.TrimRight(line, "\r\n")) == 0
			m.inLine = false
		case bufio.ErrBufferFull:
			m.inLine, m.blank = true, false
		default:
			m.err = err
			if len(line) == 0 {
				return 0, err
			}
		}
		m.pending = line
	}
	n := copy(p, m.pending)
	m.pending = m.pending[n:]
	return n, nil
}
