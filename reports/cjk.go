package reports

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/jung-kurt/gofpdf"

	"github.com/audit-tool/audit/internal/input"
)

// cjkFont is the family the PDF draws Chinese, Japanese and Korean text
// with: DejaVu Sans has none of those glyphs (they would be empty boxes).
const cjkFont = "CJK"

// maxFontSize bounds the font file read (IPAPGothic is 6 MB, Droid Sans
// Fallback 4 MB).
const maxFontSize = 64 << 20

// DefaultCJKFonts are the TrueType fonts tried for CJK text, in order:
// IPA P Gothic (Debian fonts-ipafont-gothic, which scripts/setup.sh
// installs), Takao P Gothic, Droid Sans Fallback. They are read at run
// time, not embedded in the binary: the smallest is 4 MB. gofpdf embeds
// only the glyphs a document uses. OpenType/CFF fonts (Noto CJK) are not
// listed: gofpdf reads TrueType outlines only.
func DefaultCJKFonts() []string {
	return []string{
		"/usr/share/fonts/opentype/ipafont-gothic/ipagp.ttf",
		"/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
		"/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf",
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	}
}

// hasCJK reports whether s has a character of the CJK scripts, kana,
// hangul, or CJK punctuation and full-width forms.
func hasCJK(s string) bool {
	for _, r := range s {
		if r < 0x2e80 {
			continue
		}
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo) ||
			(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) {
			return true
		}
	}
	return false
}

// pen is the document's gofpdf with a font fallback: a text with CJK
// characters is measured and drawn in the CJK font (which also has Latin
// glyphs), any other in DejaVu. gofpdf has no per-glyph fallback, so the
// choice is per text.
type pen struct {
	*gofpdf.Fpdf
	cjk   bool // the CJK font is loaded
	style string
	size  float64 // points
}

// loadCJK loads the first of fonts that reads; it says why none did.
func (p *pen) loadCJK(fonts []string) error {
	var tried []string
	for _, f := range fonts {
		data, err := input.ReadFile(f, maxFontSize)
		if err != nil {
			tried = append(tried, f)
			continue
		}
		if err := p.addFont(data); err != nil {
			tried = append(tried, f+" ("+err.Error()+")")
			continue
		}
		p.cjk = true
		return nil
	}
	return fmt.Errorf("no CJK font could be read (tried %s)", strings.Join(tried, ", "))
}

// addFont registers data as the CJK font. gofpdf prints a font it cannot
// parse to stdout and carries on, so the file is checked first, and a
// panic on a malformed one is an error.
func (p *pen) addFont(data []byte) (err error) {
	if err := checkTrueType(data); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unreadable font: %v", r)
		}
	}()
	p.AddUTF8FontFromBytes(cjkFont, "", data)
	if p.Err() {
		err = p.Error()
		p.ClearError()
	}
	return err
}

// checkTrueType wants a TrueType font (not OpenType/CFF, not a collection)
// with the tables gofpdf reads.
func checkTrueType(data []byte) error {
	if len(data) < 12 {
		return errors.New("not a TrueType font")
	}
	switch binary.BigEndian.Uint32(data) {
	case 0x00010000, 0x74727565: // TrueType, "true"
	case 0x4f54544f: // "OTTO"
		return errors.New("an OpenType/CFF font: gofpdf reads TrueType outlines only")
	case 0x74746366: // "ttcf"
		return errors.New("a font collection: give one .ttf")
	default:
		return errors.New("not a TrueType font")
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	have := map[string]bool{}
	for i := 0; i < n; i++ {
		at := 12 + 16*i
		if at+16 > len(data) {
			return errors.New("truncated TrueType font")
		}
		off, size := binary.BigEndian.Uint32(data[at+8:]), binary.BigEndian.Uint32(data[at+12:])
		if uint64(off)+uint64(size) > uint64(len(data)) {
			return errors.New("truncated TrueType font")
		}
		have[string(data[at:at+4])] = true
	}
	for _, t := range []string{"head", "hhea", "hmtx", "maxp", "cmap", "glyf", "loca", "name", "post", "OS/2"} {
		if !have[t] {
			return fmt.Errorf("TrueType font without a %s table", t)
		}
	}
	return nil
}

func (p *pen) SetFont(family, style string, size float64) {
	p.style, p.size = style, size
	p.Fpdf.SetFont(family, style, size)
}

// use switches to the CJK font for s when it needs it, and returns how to
// switch back.
func (p *pen) use(s string) func() {
	if !p.cjk || !hasCJK(s) {
		return func() {}
	}
	p.Fpdf.SetFont(cjkFont, "", p.size) // no bold face: the regular one
	return func() { p.Fpdf.SetFont(pdfFont, p.style, p.size) }
}

func (p *pen) CellFormat(w, h float64, s, border string, ln int, align string, fill bool, link int, linkStr string) {
	defer p.use(s)()
	p.Fpdf.CellFormat(w, h, s, border, ln, align, fill, link, linkStr)
}

func (p *pen) MultiCell(w, h float64, s, border, align string, fill bool) {
	defer p.use(s)()
	p.Fpdf.MultiCell(w, h, s, border, align, fill)
}

func (p *pen) GetStringWidth(s string) float64 {
	defer p.use(s)()
	return p.Fpdf.GetStringWidth(s)
}

// fallback loads the CJK font when the document has CJK text (json, the
// result as rendered, has every string of it); without a font the PDF is
// still written, and warn says what it cannot show.
func (p *pen) fallback(json []byte, opt Options) {
	if !hasCJK(string(json)) {
		return
	}
	fonts := opt.CJKFonts
	if fonts == nil {
		fonts = DefaultCJKFonts()
	}
	if err := p.loadCJK(fonts); err != nil && opt.Warn != nil {
		opt.Warn("pdf: Chinese, Japanese or Korean text (a merchant's name, a message) is drawn as empty boxes: " + err.Error() +
			"; install fonts-ipafont-gothic or set AUDIT_CJK_FONT to a TrueType font with CJK glyphs")
	}
}
