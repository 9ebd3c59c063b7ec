package scan

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// PDF's standard filters that compress text (ISO 32000-1, 7.4), besides
// Flate: small enough to write here, and none is in the standard library
// as PDF writes it (compress/lzw does not change code width early).

// lzwReader decodes PDF's LZWDecode: codes of 9 to 12 bits, most
// significant bit first, 256 clears the table, 257 ends the data; with
// EarlyChange (the default) the code width grows one code early.
type lzwReader struct {
	r      *bufio.Reader
	early  int
	acc    uint32 // bits read, not yet used
	nacc   uint
	width  uint
	next   int
	prev   int
	prefix [4096]uint16
	suffix [4096]byte
	first  [4096]byte // the first byte of each code's string
	stack  []byte
	buf    []byte
	out    []byte
	err    error
}

func newLZW(r io.Reader, early bool) io.Reader {
	z := &lzwReader{r: bufio.NewReader(r), stack: make([]byte, 0, 4096)}
	if early {
		z.early = 1
	}
	z.reset()
	return z
}

func (z *lzwReader) reset() { z.width, z.next, z.prev = 9, 258, -1 }

func (z *lzwReader) code() (int, error) {
	for z.nacc < z.width {
		c, err := z.r.ReadByte()
		if err != nil {
			if err == io.EOF {
				return 257, nil // data without an end code: ends where it stops
			}
			return 0, err
		}
		z.acc = z.acc<<8 | uint32(c)
		z.nacc += 8
	}
	z.nacc -= z.width
	return int(z.acc>>z.nacc) & (1<<z.width - 1), nil
}

func (z *lzwReader) Read(p []byte) (int, error) {
	for len(z.out) == 0 {
		if z.err != nil {
			return 0, z.err
		}
		z.err = z.decode()
	}
	n := copy(p, z.out)
	z.out = z.out[n:]
	return n, nil
}

// decode reads codes until some bytes are out, or the end.
func (z *lzwReader) decode() error {
	for len(z.stack) < 2048 {
		c, err := z.code()
		if err != nil {
			return err
		}
		switch {
		case c == 256:
			z.reset()
			continue
		case c == 257:
			if len(z.stack) == 0 {
				return io.EOF
			}
			z.flush()
			return nil
		case z.prev < 0:
			if c > 255 {
				return fmt.Errorf("LZW: code %d before any string", c)
			}
			z.stack = append(z.stack, byte(c))
			z.prev = c
			continue
		case c > z.next || c == z.next && z.next >= 4096:
			return fmt.Errorf("LZW: code %d past the table's %d", c, z.next)
		}
		var head byte
		if c == z.next { // the string being defined: prev's and its first byte
			head = z.firstOf(z.prev)
		} else {
			head = z.firstOf(c)
		}
		if z.next < 4096 {
			z.prefix[z.next], z.suffix[z.next], z.first[z.next] = uint16(z.prev), head, z.firstOf(z.prev)
			z.next++
			if z.width < 12 && z.next+z.early >= 1<<z.width {
				z.width++
			}
		}
		z.stack = z.expand(z.stack, c)
		z.prev = c
	}
	z.flush()
	return nil
}

// flush makes the bytes decoded so far the ones Read returns.
func (z *lzwReader) flush() {
	z.buf = append(z.buf[:0], z.stack...)
	z.out, z.stack = z.buf, z.stack[:0]
}

func (z *lzwReader) firstOf(c int) byte {
	if c < 256 {
		return byte(c)
	}
	return z.first[c]
}

// expand appends code c's string.
func (z *lzwReader) expand(out []byte, c int) []byte {
	start := len(out)
	for c >= 258 {
		out = append(out, z.suffix[c])
		c = int(z.prefix[c])
	}
	out = append(out, byte(c))
	for i, j := start, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// a85Text is the text of an ASCII85Decode stream for encoding/ascii85:
// without its <~ and from ~> on.
type a85Text struct {
	r       *bufio.Reader
	started bool
	done    bool
}

func (a *a85Text) Read(p []byte) (int, error) {
	if !a.started {
		a.started = true
		if b, _ := a.r.Peek(2); string(b) == "<~" {
			a.r.Discard(2)
		}
	}
	n := 0
	for n < len(p) && !a.done {
		c, err := a.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		if c == '~' {
			a.done = true
			break
		}
		p[n] = c
		n++
	}
	if n == 0 && a.done {
		return 0, io.EOF
	}
	return n, nil
}

// hexText decodes ASCIIHexDecode: pairs of hex digits, white space
// ignored, > the end (a last lone digit is followed by 0).
type hexText struct {
	r    *bufio.Reader
	done bool
}

func (h *hexText) Read(p []byte) (int, error) {
	n := 0
	hi := -1
	for n < len(p) && !h.done {
		c, err := h.r.ReadByte()
		if err == io.EOF || c == '>' {
			h.done = true
			break
		}
		if err != nil {
			return n, err
		}
		switch {
		case isHex(c):
			if hi < 0 {
				hi = hexVal(c)
				continue
			}
			p[n] = byte(hi<<4 | hexVal(c))
			n++
			hi = -1
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0:
		default:
			return n, fmt.Errorf("ASCIIHex: %q is no hex digit", c)
		}
	}
	if hi >= 0 { // a lone last digit (the loop stops only after a pair, or at the end)
		p[n] = byte(hi << 4)
		n++
	}
	if n == 0 && h.done {
		return 0, io.EOF
	}
	return n, nil
}

// runLength decodes RunLengthDecode: a length byte n, then n+1 bytes to
// copy (n < 128) or one byte to repeat 257-n times (n > 128); 128 ends.
type runLength struct {
	r    *bufio.Reader
	run  int  // bytes left of the current run
	rep  bool // the run repeats one byte
	b    byte
	done bool
}

func (l *runLength) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if l.run == 0 {
			if l.done {
				break
			}
			c, err := l.r.ReadByte()
			if err == io.EOF || err == nil && c == 128 {
				l.done = true
				continue
			}
			if err != nil {
				return n, err
			}
			if c < 128 {
				l.run, l.rep = int(c)+1, false
			} else {
				b, err := l.r.ReadByte()
				if err != nil {
					return n, errors.Join(errors.New("RunLength: a run without its byte"), err)
				}
				l.run, l.rep, l.b = 257-int(c), true, b
			}
		}
		if l.rep {
			k := min(l.run, len(p)-n)
			for i := range k {
				p[n+i] = l.b
			}
			n += k
			l.run -= k
			continue
		}
		c, err := l.r.ReadByte()
		if err != nil {
			return n, errors.Join(errors.New("RunLength: a literal run cut short"), err)
		}
		p[n] = c
		n++
		l.run--
	}
	if n == 0 && l.done {
		return 0, io.EOF
	}
	return n, nil
}
