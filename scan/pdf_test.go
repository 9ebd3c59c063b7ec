package scan

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"context"
	"encoding/ascii85"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pdfDoc makes a real one-page PDF (gofpdf) showing lines, its content
// stream uncompressed, to be encoded by the filters under test.
func pdfDoc(t testing.TB, lines []string) []byte {
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(false)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 6)
	for _, l := range lines {
		pdf.CellFormat(0, 2.5, l, "", 1, "L", false, 0, "")
	}
	var b bytes.Buffer
	require.NoError(t, pdf.Output(&b))
	return b.Bytes()
}

var streamKeyword = regexp.MustCompile(`(^|[^d])stream\r?\n`)

// reencode encodes the body of doc's n-th stream (1-based) with enc and
// names the filters in its dictionary, as a PDF writer would have.
func reencode(t testing.TB, doc []byte, n int, filters string, enc func([]byte) []byte) []byte {
	locs := streamKeyword.FindAllIndex(doc, -1)
	require.GreaterOrEqual(t, len(locs), n)
	start := locs[n-1][1]
	end := start + bytes.Index(doc[start:], []byte("endstream"))
	body := enc(bytes.TrimRight(doc[start:end], "\r\n"))
	dictAt := bytes.LastIndex(doc[:start], []byte("<<"))
	dict := regexp.MustCompile(`/Length \d+`).ReplaceAll(doc[dictAt:locs[n-1][0]+1], []byte(fmt.Sprintf("/Length %d /Filter %s", len(body), filters)))
	var out bytes.Buffer
	out.Write(doc[:dictAt])
	out.Write(dict)
	out.WriteString("stream\n")
	out.Write(body)
	out.WriteString("\n")
	out.Write(doc[end:])
	return out.Bytes()
}

// contentStream is the number of doc's stream that shows text.
func contentStream(t testing.TB, doc []byte) int {
	for i, l := range streamKeyword.FindAllIndex(doc, -1) {
		if bytes.Contains(doc[l[1]:l[1]+bytes.Index(doc[l[1]:], []byte("endstream"))], []byte(")Tj")) {
			return i + 1
		}
	}
	t.Fatal("no content stream")
	return 0
}

func flateOf(b []byte) []byte {
	var out bytes.Buffer
	w := zlib.NewWriter(&out)
	_, _ = w.Write(b)
	_ = w.Close()
	return out.Bytes()
}

func a85Of(b []byte) []byte {
	out := make([]byte, ascii85.MaxEncodedLen(len(b)))
	out = out[:ascii85.Encode(out, b)]
	var lines []byte
	for len(out) > 72 { // writers wrap lines: the decoder skips white space
		lines = append(append(lines, out[:72]...), '\n')
		out = out[72:]
	}
	return append(append(lines, out...), "~>"...)
}

func hexOf(b []byte) []byte { return []byte(hex.EncodeToString(b) + ">") }

// runLengthOf encodes RunLengthDecode: runs of three equal bytes or more
// repeat, the rest goes literally, 128 bytes at most each.
func runLengthOf(b []byte) []byte {
	var out, lit []byte
	flush := func() {
		for len(lit) > 0 {
			k := min(len(lit), 128)
			out = append(append(out, byte(k-1)), lit[:k]...)
			lit = lit[k:]
		}
	}
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && b[j] == b[i] && j-i < 128 {
			j++
		}
		if j-i >= 3 {
			flush()
			out = append(out, byte(257-(j-i)), b[i])
		} else {
			lit = append(lit, b[i:j]...)
		}
		i = j
	}
	flush()
	return append(out, 128)
}

// lzwOf encodes LZWDecode as ISO 32000-1 7.4.4 describes it: a clear code
// first, 9-bit codes growing to 12, the first wider code right after table
// entry 511 (1023, 2047) is made, or one code later without EarlyChange.
func lzwOf(early bool) func([]byte) []byte {
	return func(b []byte) []byte {
		var out []byte
		var acc uint64
		var nacc uint
		width := uint(9)
		emit := func(c int) {
			acc = acc<<width | uint64(c)
			nacc += width
			for nacc >= 8 {
				nacc -= 8
				out = append(out, byte(acc>>nacc))
			}
		}
		grow := 0
		if !early {
			grow = 1
		}
		dict := map[string]int{}
		next := 258
		emit(256)
		cur := ""
		for _, c := range b {
			s := cur + string([]byte{c})
			if _, ok := dict[s]; ok || len(cur) == 0 && len(s) == 1 {
				cur = s
				continue
			}
			emit(code(dict, cur))
			dict[s] = next
			next++
			if width < 12 && next >= 1<<width+grow {
				width++
			}
			if next >= 4094 {
				emit(256)
				dict, next, width = map[string]int{}, 258, 9
			}
			cur = string([]byte{c})
		}
		if cur != "" {
			emit(code(dict, cur))
		}
		emit(257)
		if nacc > 0 {
			out = append(out, byte(acc<<(8-nacc)))
		}
		return out
	}
}

func code(dict map[string]int, s string) int {
	if len(s) == 1 {
		return int(s[0])
	}
	return dict[s]
}

// pdfFilters are the filter chains the formats corpus encodes PDFs with.
var pdfFilters = []struct {
	name, filters string
	enc           func([]byte) []byte
}{
	{"flate", "/FlateDecode", flateOf},
	{"lzw", "/LZWDecode", lzwOf(true)},
	{"lzw-late", "/LZWDecode /DecodeParms <</EarlyChange 0>>", lzwOf(false)},
	{"a85-flate", "[/ASCII85Decode /FlateDecode]", func(b []byte) []byte { return a85Of(flateOf(b)) }},
	{"a85-lzw", "[/A85 /LZW]", func(b []byte) []byte { return a85Of(lzwOf(true)(b)) }},
	{"hex", "/ASCIIHexDecode", hexOf},
	{"runlength", "/RunLengthDecode", runLengthOf},
}

// pdfs writes a real PDF per filter chain, and one of 40 MiB whose text
// lies past a 33 MiB picture: each card number is found in its stream.
// pdftotext (poppler) reads each: the files are PDFs as readers see them.
func (c *formats) pdfs() {
	t := c.t
	lines := func(p1, p2 string) []string {
		l := []string{"Statement - card " + p1}
		for i := range 100 { // one page, and enough text for LZW codes of 10 to 12 bits
			l = append(l, fmt.Sprintf("line %d: %d x widget, ref %s, %d.%02d EUR", i, 1+i%7, strings.Repeat(string(rune('A'+i%26)), 1+i%5), 3*i, i%100))
		}
		return append(l, "Refund to "+p2)
	}
	for _, f := range pdfFilters {
		p1, p2 := c.card(c.rng.IntN(len(brandPrefixes))), c.card(0)
		doc := pdfDoc(t, lines(p1, p2))
		n := contentStream(t, doc)
		rel := "docs/statement-" + f.name + ".pdf"
		path := c.write(rel, reencode(t, doc, n, f.filters, f.enc))
		member := c.name(rel) + fmt.Sprintf("!stream %d", n)
		c.plant(member, TypePAN, p1)
		c.plant(member, TypePAN, p2)
		if f.name == "runlength" { // its literal runs keep the text in clear: read raw too
			c.plant(c.name(rel), TypePAN, p1)
			c.plant(c.name(rel), TypePAN, p2)
		}
		text, err := exec.Command("pdftotext", path, "-").Output()
		require.NoError(t, err, "pdftotext (poppler-utils, scripts/setup.sh) reads %s", rel)
		require.Contains(t, string(text), p1, "%s: poppler reads the planted text", rel)
	}

	p1, p2 := c.card(3), c.card(0)
	doc := pdfDoc(t, lines(p1, p2))
	n := contentStream(t, doc)
	doc = reencode(t, doc, n, "/FlateDecode", flateOf)
	at := bytes.Index(doc, []byte("\n")) + 1
	pad := fmt.Sprintf("99 0 obj\n<</Type /XObject /Subtype /Image /Width 4096 /Height 8448 /BitsPerComponent 8 /ColorSpace /DeviceGray /Length %d>>\nstream\n", 33<<20)
	big := append(append([]byte{}, doc[:at]...), pad...)
	big = append(big, make([]byte, 33<<20)...)
	big = append(append(big, "\nendstream\nendobj\n"...), doc[at:]...)
	c.write("docs/big.pdf", big)
	member := c.name("docs/big.pdf") + fmt.Sprintf("!stream %d", n+1)
	c.plant(member, TypePAN, p1)
	c.plant(member, TypePAN, p2)
}

// TestPDFFilters decodes each filter chain to the text it encodes, and
// stops on data a filter does not accept.
func TestPDFFilters(t *testing.T) {
	text := []byte(strings.Repeat("BT (Card 4539578763621486) Tj ET\n", 200) + strings.Repeat("x", 300) + "\x00\xff")
	b := &budget{lim: Limits{}.withDefaults()}
	for _, f := range pdfFilters {
		t.Run(f.name, func(t *testing.T) {
			st := parseStreamDict([]byte("obj <</Length 9 /Filter " + f.filters + ">>"))
			require.NotEmpty(t, st.filters)
			r, err := filterChain(bytes.NewReader(f.enc(text)), st.filters, st.early, b)
			require.NoError(t, err)
			got, err := io.ReadAll(r)
			require.NoError(t, err)
			require.Equal(t, string(text), string(got))
		})
	}
	_, err := io.ReadAll(&hexText{r: bufio.NewReader(strings.NewReader("41 4g>"))})
	require.ErrorContains(t, err, "no hex digit")
	_, err = io.ReadAll(newLZW(bytes.NewReader([]byte{0x80, 0x3f, 0xff, 0xff}), true))
	require.ErrorContains(t, err, "LZW")
	_, err = filterChain(strings.NewReader("x"), []string{"JBIG2Decode"}, true, b)
	require.ErrorContains(t, err, "not supported")
}

// TestPDFGlyphFonts: a PDF printed by Chromium shows its text in fonts
// whose codes are glyph numbers (testdata/pdf, SOURCE.md): read raw it
// holds no card number; through the fonts' ToUnicode maps all four.
func TestPDFGlyphFonts(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pdf", "chrome-print.pdf"))
	require.NoError(t, err)
	require.NotContains(t, string(data), "4539", "the digits are not in the file as text")
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x.pdf"), data, 0o644))
	r, err := Paths(context.Background(), []string{dir}, Options{})
	require.NoError(t, err)
	defer r.Close()
	assert.Empty(t, r.Skipped)
	var got []string
	for f := range r.Findings() {
		got = append(got, f.Masked)
		assert.Contains(t, f.File, "x.pdf!fonts decoded!stream ")
	}
	assert.ElementsMatch(t, []string{"453957******1486", "542523******9903", "378282*****0005", "491633******2832"}, got)
}

// TestPDFGlyphMaps: fonts whose maps agree are read through one map; maps
// that give one code two texts leave the PDF not read, never read raw and
// passed; a map that keeps digits as they are (WinAnsi codes) needs no
// second reading.
func TestPDFGlyphMaps(t *testing.T) {
	cmap := func(pairs string) string {
		return "/CIDInit /ProcSet findresource begin\nbegincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" +
			pairs + "\nendcmap\n"
	}
	digits := "1 beginbfrange\n<0013> <001C> <0030>\nendbfrange\n1 beginbfchar\n<0003> <0020>\nendbfchar" // Skia's: 0x13 is '0'
	var codes strings.Builder
	for _, c := range "4539578763621486" {
		fmt.Fprintf(&codes, "%04X", 0x13+c-'0')
	}
	shown := "BT /F1 12 Tf <" + codes.String() + "> Tj ET"
	doc := func(maps ...string) []byte {
		var b strings.Builder
		b.WriteString("%PDF-1.4\n")
		obj := 1
		stream := func(body string) {
			z := flateOf([]byte(body))
			fmt.Fprintf(&b, "%d 0 obj\n<</Filter /FlateDecode /Length %d>> stream\n%s\nendstream\nendobj\n", obj, len(z), z)
			obj++
		}
		stream(shown)
		for _, m := range maps {
			stream(m)
		}
		b.WriteString("%%EOF\n")
		return []byte(b.String())
	}
	other := cmap("1 beginbfrange\n<0013> <001C> <0031>\nendbfrange") // the same codes, other digits
	identity := cmap("1 beginbfrange\n<0030> <0039> <0030>\nendbfrange")
	font := []byte("9 0 obj\n<</Type /Font /Subtype /Type0 /BaseFont /AAAAAA+DejaVuSans /Encoding /Identity-H>>\nendobj\n")
	cases := []struct {
		name   string
		data   []byte
		found  bool
		reason string
	}{
		{"one map", doc(cmap(digits)), true, ""},
		{"maps that agree", doc(cmap(digits), cmap("1 beginbfchar\n<0044> <0061>\nendbfchar\n"+digits)), true, ""},
		{"maps that disagree", doc(cmap(digits), other), false, "whose maps disagree: not decoded, not read"},
		{"digits kept as they are", doc(identity), false, ""},
		{"composite fonts without a map", append(doc(), font...), false, "composite (Identity-H) fonts without a ToUnicode map"},
		{"composite fonts mapped, no digit shown", append(doc(cmap("1 beginbfchar\n<0044> <0061>\nendbfchar")), font...), false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reasons, found := scanFiles(t, map[string][]byte{"d.pdf": tc.data})
			assert.Equal(t, tc.found, found["d.pdf!fonts decoded!stream 1"])
			if tc.reason == "" {
				assert.Empty(t, reasons)
				return
			}
			assert.Contains(t, reasons["d.pdf"], tc.reason)
		})
	}
}
