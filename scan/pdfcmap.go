package scan

import (
	"bytes"
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A PDF printed by a browser (Chrome's Skia), a word processor or a
// reporting tool shows its text in subset fonts whose codes are glyph
// numbers, not characters: "4539…" is <0017001800160018…>, and only the
// font's ToUnicode CMap says which glyph is which digit. Read raw, such a
// PDF holds no card number whatever it shows.

// maxCMap bounds the CMap text kept from one stream.
const maxCMap = 1 << 20

// glyphMap is a ToUnicode CMap: code (width bytes) to text.
type glyphMap struct {
	width int
	text  map[uint32]string
}

// parseCMap reads a ToUnicode CMap's codespace, bfchar and bfrange
// entries; nil when b is no CMap.
func parseCMap(b []byte) *glyphMap {
	if !bytes.Contains(b, []byte("begincmap")) {
		return nil
	}
	m := &glyphMap{text: map[uint32]string{}}
	hexes := func(sec []byte) [][]byte { // the <…> tokens, arrays flattened
		var out [][]byte
		for {
			o := bytes.IndexByte(sec, '<')
			if o < 0 {
				return out
			}
			c := bytes.IndexByte(sec[o:], '>')
			if c < 0 {
				return out
			}
			out = append(out, sec[o+1:o+c])
			sec = sec[o+c+1:]
		}
	}
	each := func(begin, end string, f func(sec []byte)) {
		for rest := b; ; {
			i := bytes.Index(rest, []byte(begin))
			if i < 0 {
				return
			}
			rest = rest[i+len(begin):]
			j := bytes.Index(rest, []byte(end))
			if j < 0 {
				j = len(rest)
			}
			f(rest[:j])
			rest = rest[j:]
		}
	}
	each("begincodespacerange", "endcodespacerange", func(sec []byte) {
		if h := hexes(sec); len(h) > 0 {
			m.width = max(m.width, (len(h[0])+1)/2)
		}
	})
	each("beginbfchar", "endbfchar", func(sec []byte) {
		h := hexes(sec)
		for k := 0; k+1 < len(h); k += 2 {
			if code, ok := hexCode(h[k]); ok {
				m.text[code] = utf16Hex(h[k+1])
			}
		}
	})
	each("beginbfrange", "endbfrange", func(sec []byte) {
		// <lo> <hi> <dst> or <lo> <hi> [<dst> …]: a line at a time.
		for _, line := range bytes.Split(sec, []byte("\n")) {
			h := hexes(line)
			if len(h) < 3 {
				continue
			}
			lo, ok1 := hexCode(h[0])
			hi, ok2 := hexCode(h[1])
			if !ok1 || !ok2 || hi < lo || hi-lo > 0xffff {
				continue
			}
			array := bytes.IndexByte(line, '[') >= 0
			for c := lo; c <= hi; c++ {
				switch {
				case array && int(c-lo)+2 < len(h):
					m.text[c] = utf16Hex(h[c-lo+2])
				case !array:
					m.text[c] = utf16Next(h[2], int(c-lo))
				}
			}
		}
	})
	if m.width == 0 {
		m.width = 1
	}
	return m
}

// numbersGlyphs reports whether m gives a digit to a code other than the
// digit's own: text shown in its font cannot be read without m.
func (m *glyphMap) numbersGlyphs() bool {
	for code, t := range m.text {
		if len(t) == 1 && isDigit(t[0]) && code != uint32(t[0]) {
			return true
		}
	}
	return false
}

// errGlyphFonts is a PDF whose fonts number their glyphs differently: which
// map a string is shown with is not decided here, so its text is not read.
var errGlyphFonts = errors.New("text in fonts that number their glyphs, whose maps disagree: not decoded, not read")

// mergeGlyphMaps is one map for every font of a PDF that numbers its
// glyphs, when they agree (subsets of one font family, as browsers print).
func mergeGlyphMaps(maps []*glyphMap) (*glyphMap, error) {
	out := &glyphMap{width: maps[0].width, text: map[uint32]string{}}
	for _, m := range maps {
		if m.width != out.width {
			return nil, errGlyphFonts
		}
		for code, t := range m.text {
			if prev, ok := out.text[code]; ok && prev != t {
				return nil, errGlyphFonts
			}
			out.text[code] = t
		}
	}
	return out, nil
}

// decode appends the text of a string shown in m's font; codes m does not
// map are left out.
func (m *glyphMap) decode(out, s []byte) []byte {
	for k := 0; k+m.width <= len(s); k += m.width {
		var code uint32
		for _, c := range s[k : k+m.width] {
			code = code<<8 | uint32(c)
		}
		out = append(out, m.text[code]...)
	}
	return out
}

func hexCode(h []byte) (uint32, bool) {
	if len(h) == 0 || len(h) > 8 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(h), 16, 32)
	return uint32(v), err == nil
}

// utf16Hex is the text of a CMap destination: UTF-16BE in hex.
func utf16Hex(h []byte) string { return utf16Next(h, 0) }

// utf16Next is the destination h with its last unit advanced by k, as a
// bfrange assigns its codes.
func utf16Next(h []byte, k int) string {
	var units []uint16
	for i := 0; i+4 <= len(h); i += 4 {
		v, err := strconv.ParseUint(string(h[i:i+4]), 16, 16)
		if err != nil {
			return ""
		}
		units = append(units, uint16(v))
	}
	if len(units) == 0 {
		return ""
	}
	units[len(units)-1] += uint16(k)
	var b []byte
	for _, r := range utf16.Decode(units) {
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}
