package scan

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/audit-tool/audit/pack"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/ulikunitz/xz"
	_ "modernc.org/sqlite" // SQLite files of the corpus are written with a real SQLite
)

// formats is the formats corpus: every format and encoding the scanner
// reads, card numbers of every brand planted in each, decoys beside them,
// and the findings the generator expects, written as it plants them.
type formats struct {
	t    *testing.T
	dir  string
	rng  *rand.Rand
	want []string // "file type masked", file as findings name it
}

// brandPrefixes gives, per brand, an IIN prefix and a length.
var brandPrefixes = []struct {
	brand, prefix string
	n             int
}{
	{Visa, "45", 16}, {Visa, "4", 13}, {Visa, "49", 19}, {Mastercard, "53", 16}, {Mastercard, "2350", 16},
	{Amex, "37", 15}, {Discover, "6011", 16}, {Discover, "65", 19}, {Diners, "36", 14}, {Diners, "300", 16},
	{JCB, "3540", 16}, {UnionPay, "62", 16}, {UnionPay, "62", 19}, {Maestro, "6759", 16}, {Maestro, "5018", 13},
	{Maestro, "58", 19}, {Mir, "2201", 16}, {RuPay, "6080", 16}, {RuPay, "81", 16}, {Troy, "9792", 16},
	{UATP, "1", 15},
}

// card returns a Luhn-valid number of the k-th brand that is no test card.
func (c *formats) card(k int) string {
	b := brandPrefixes[k%len(brandPrefixes)]
	for {
		d := []byte(b.prefix)
		for len(d) < b.n-1 {
			d = append(d, byte('0'+c.rng.IntN(10)))
		}
		d = append(d, '0')
		for x := byte('0'); x <= '9'; x++ {
			d[len(d)-1] = x
			if luhn(d) {
				break
			}
		}
		if s := string(d); brand(d) == b.brand && !isTestCard(s) {
			return s
		}
	}
}

// grouped writes a 16-digit number as 4-4-4-4 with sep (others as they are).
func grouped(pan, sep string) string {
	if len(pan) != 16 {
		return pan
	}
	return pan[:4] + sep + pan[4:8] + sep + pan[8:12] + sep + pan[12:]
}

// decoys are lines that hold no card number, whatever their digits.
var decoys = []string{
	"amount=48.6302724531285005 EUR",
	"offset -4181792142133755926",
	"{84926274344903, 473620666599931, 365590438845504, 1028470286882429}",
	"id 4539 5787 6362 1486 7788 9911",
	"order 500000000009 ref 123456789012",
	"hash e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"uuid 550e8400-e29b-41d4-a716-446655440000",
	"version v1.4532015112830366",
	"luhn fails 4539578763621487",
	"hex 0x4539578763621486",
	"tweet 505874919020699650",
	"time 1700000000123 ms, 2026-11-20T10:00:01Z",
	"masked 453957******1486 is fine",
}

// text is a log of n planted numbers among decoys; plant records them
// under name. sep spells a grouped number.
func (c *formats) text(name string, n int, k0 int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(decoys[(k0+i)%len(decoys)])
		b.WriteByte('\n')
		pan := c.card(k0 + i)
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "2026-11-20 charge card=%s ok\n", pan)
		case 1:
			fmt.Fprintf(&b, "2026-11-20 refund %s\n", grouped(pan, " "))
		case 2:
			fmt.Fprintf(&b, "2026-11-20 pan %s\n", grouped(pan, "-"))
		default:
			fmt.Fprintf(&b, "\"pan\": \"%s\",\n", pan)
		}
		c.plant(name, TypePAN, pan)
	}
	return b.String()
}

func (c *formats) plant(name, typ, pan string) {
	m := MaskPAN(pan)
	switch typ {
	case Track1:
		typ, m = TypeSAD, "%B"+m+"^…"
	case Track2:
		typ, m = TypeSAD, ";"+m+"=…"
	case CVV:
		typ, m = TypeSAD, "***"
	}
	c.want = append(c.want, name+" "+typ+" "+m)
}

func (c *formats) write(rel string, data []byte) string {
	p := filepath.Join(c.dir, filepath.FromSlash(rel))
	require.NoError(c.t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(c.t, os.WriteFile(p, data, 0o644))
	return filepath.ToSlash(p)
}

// name is how findings name rel (below the corpus folder).
func (c *formats) name(rel string) string { return filepath.ToSlash(filepath.Join(c.dir, rel)) }

func utf16Bytes(s string, big, bom bool) []byte {
	u := utf16.Encode([]rune(s))
	if bom {
		u = append([]uint16{0xfeff}, u...)
	}
	out := make([]byte, 2*len(u))
	for i, v := range u {
		if big {
			binary.BigEndian.PutUint16(out[2*i:], v)
		} else {
			binary.LittleEndian.PutUint16(out[2*i:], v)
		}
	}
	return out
}

func gz(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

func zipOf(t *testing.T, files ...[2]string) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, f := range files {
		fw, err := w.Create(f[0])
		require.NoError(t, err)
		_, err = fw.Write([]byte(f[1]))
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return b.Bytes()
}

func tarOf(t *testing.T, files ...[2]string) []byte {
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	for _, f := range files {
		require.NoError(t, w.WriteHeader(&tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])), Typeflag: tar.TypeReg}))
		_, err := w.Write([]byte(f[1]))
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return b.Bytes()
}

// generate writes the corpus.
func (c *formats) generate() {
	t := c.t
	k := 0
	next := func(n int) int { k += n; return k - n }

	c.write("plain/app.log", []byte(c.text(c.name("plain/app.log"), 8, next(8))))
	c.write("plain/bom.log", append(append([]byte{}, bomUTF8...), c.text(c.name("plain/bom.log"), 3, next(3))...))
	c.write("plain/crlf.csv", []byte(strings.ReplaceAll(c.text(c.name("plain/crlf.csv"), 3, next(3)), "\n", "\r\n")))
	for _, e := range []struct {
		name     string
		big, bom bool
	}{{"utf16le-bom.log", false, true}, {"utf16le.log", false, false}, {"utf16be-bom.log", true, true}, {"utf16be.log", true, false}} {
		rel := "encodings/" + e.name
		c.write(rel, utf16Bytes(c.text(c.name(rel), 3, next(3)), e.big, e.bom))
	}
	// Latin-1: an accented name and no-break spaces between groups.
	lat := c.card(next(1))
	c.write("encodings/latin1.txt", []byte("client Andr\xe9 carte "+grouped(lat, "\xa0")+"\n"))
	c.plant(c.name("encodings/latin1.txt"), TypePAN, lat)

	// Card shapes real records have.
	var sh strings.Builder
	shapes := []func(string) string{
		func(p string) string { return "page=" + grouped(p, "&nbsp;") },
		func(p string) string { return "html " + grouped(p, "&#160;") },
		func(p string) string { return "utf8 " + grouped(p, "\u00a0") },
		func(p string) string { return "url pan=" + grouped(p, "%20") + "&x=1" },
		func(p string) string { return "url pan=" + grouped(p, "+") + "&x=1" },
		func(p string) string { return "url pan=" + grouped(p, "%2D") + "&x=1" },
		func(p string) string { return "dots " + grouped(p, ".") + "." },
		func(p string) string { return "00017SMITHJOHN" + p + "USD0001250" },
	}
	for i, f := range shapes {
		p := c.card(next(1))
		if len(p) != 16 && i < 7 {
			p = c.card(0) // a 16-digit Visa, for the grouped shapes
		}
		sh.WriteString(f(p) + "\n")
		c.plant(c.name("shapes/records.txt"), TypePAN, p)
	}
	t1, t2, cv := c.card(0), c.card(4), c.card(3)
	fmt.Fprintf(&sh, "%%B%s^DOE/JANE^2812101000000000000000?\n;%s=28121010000000000000?\n", t1, t2)
	fmt.Fprintf(&sh, "{\"pan\":\"%s\",\"exp\":\"12/28\",\"cvv\":\"123\"}\n", cv)
	for _, p := range []string{t1, t2, cv} {
		c.plant(c.name("shapes/records.txt"), TypePAN, p)
	}
	c.plant(c.name("shapes/records.txt"), Track1, t1)
	c.plant(c.name("shapes/records.txt"), Track2, t2)
	c.plant(c.name("shapes/records.txt"), CVV, cv)
	c.write("shapes/records.txt", []byte(sh.String()))

	// Compressed files.
	c.write("compressed/app.log.gz", gz(t, []byte(c.text(c.name("compressed/app.log.gz"), 3, next(3)))))
	var xb bytes.Buffer
	xw, err := xz.NewWriter(&xb)
	require.NoError(t, err)
	_, _ = xw.Write([]byte(c.text(c.name("compressed/app.log.xz"), 3, next(3))))
	require.NoError(t, xw.Close())
	c.write("compressed/app.log.xz", xb.Bytes())
	zw, err := zstd.NewWriter(nil)
	require.NoError(t, err)
	c.write("compressed/app.log.zst", zw.EncodeAll([]byte(c.text(c.name("compressed/app.log.zst"), 3, next(3))), nil))
	bz := exec.Command("bzip2", "-c")
	bz.Stdin = strings.NewReader(c.text(c.name("compressed/app.log.bz2"), 3, next(3)))
	out, err := bz.Output()
	require.NoError(t, err, "bzip2 is needed (scripts/setup.sh)")
	c.write("compressed/app.log.bz2", out)

	// Archives, nested.
	tarName := c.name("archives/logs.tar")
	c.write("archives/logs.tar", tarOf(t, [2]string{"var/log/a.log", c.text(tarName+"!var/log/a.log", 2, next(2))}))
	tgz := c.name("archives/logs.tgz")
	c.write("archives/logs.tgz", gz(t, tarOf(t,
		[2]string{"a.log", c.text(tgz+"!a.log", 2, next(2))},
		[2]string{"inner.zip", string(zipOf(t, [2]string{"x.csv", c.text(tgz+"!inner.zip!x.csv", 2, next(2))}))},
	)))
	tg := c.name("archives/logs.tar.gz")
	c.write("archives/logs.tar.gz", gz(t, tarOf(t, [2]string{"b.log", c.text(tg+"!b.log", 2, next(2))})))
	ez := c.name("archives/export.zip")
	c.write("archives/export.zip", zipOf(t,
		[2]string{"orders.csv", c.text(ez+"!orders.csv", 2, next(2))},
		[2]string{"old.zip", string(zipOf(t, [2]string{"y.csv", c.text(ez+"!old.zip!y.csv", 2, next(2))}))},
	))
	war := c.name("archives/app.war")
	jar := zipOf(t, [2]string{"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"}, [2]string{"application.properties", c.text(war+"!WEB-INF/lib/core.jar!application.properties", 2, next(2))})
	c.write("archives/app.war", zipOf(t, [2]string{"WEB-INF/lib/core.jar", string(jar)}, [2]string{"index.html", "<p>shop</p>"}))

	// Office documents: a number split over runs, as word processors do.
	dp := c.card(next(1))
	docx := c.name("office/letter.docx")
	c.write("office/letter.docx", zipOf(t,
		[2]string{"[Content_Types].xml", `<?xml version="1.0"?><Types/>`},
		[2]string{"word/document.xml", `<w:document><w:body><w:p><w:r><w:t>Card </w:t></w:r><w:r><w:t>` + dp[:6] +
			`</w:t></w:r><w:r><w:t>` + dp[6:] + `</w:t></w:r></w:p><w:p><w:r><w:t>` + decoys[0] + `</w:t></w:r></w:p></w:body></w:document>`},
	))
	c.plant(docx+"!word/document.xml", TypePAN, dp)
	xp1, xp2 := c.card(next(1)), c.card(next(1))
	xlsx := c.name("office/orders.xlsx")
	c.write("office/orders.xlsx", zipOf(t,
		[2]string{"[Content_Types].xml", `<Types/>`},
		[2]string{"xl/sharedStrings.xml", `<sst><si><t>` + xp1 + `</t></si><si><t>` + xp2 + `</t></si><si><t>12.50</t></si></sst>`},
	))
	c.plant(xlsx+"!xl/sharedStrings.xml", TypePAN, xp1)
	c.plant(xlsx+"!xl/sharedStrings.xml", TypePAN, xp2)
	op := c.card(next(1))
	odt := c.name("office/note.odt")
	c.write("office/note.odt", zipOf(t,
		[2]string{"mimetype", "application/vnd.oasis.opendocument.text"},
		[2]string{"content.xml", `<office:document-content><office:body><text:p>N° <text:span>` + grouped(op, " ") + `</text:span></text:p></office:body></office:document-content>`},
	))
	c.plant(odt+"!content.xml", TypePAN, op)

	// A PDF whose page text is a Flate stream (Tj and a kerned TJ array).
	p1, p2 := c.card(next(1)), c.card(next(1))
	content := "BT /F1 12 Tf 72 712 Td (Card " + p1 + ") Tj 0 -14 Td [(" + p2[:8] + ") -20 (" + p2[8:] + ")] TJ ET"
	var zb bytes.Buffer
	zl := zlib.NewWriter(&zb)
	_, _ = zl.Write([]byte(content))
	require.NoError(t, zl.Close())
	pdf := "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n4 0 obj\n<< /Length " + fmt.Sprint(zb.Len()) +
		" /Filter /FlateDecode >>\nstream\n" + zb.String() + "\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
	pdfName := c.name("docs/statement.pdf")
	c.write("docs/statement.pdf", []byte(pdf))
	c.plant(pdfName+"!stream 1", TypePAN, p1)
	c.plant(pdfName+"!stream 1", TypePAN, p2)

	// SQLite databases, UTF-8 and UTF-16.
	for _, enc := range []string{"UTF-8", "UTF-16le"} {
		rel := "data/orders-" + strings.ToLower(strings.ReplaceAll(enc, "-", "")) + ".sqlite"
		db, err := sql.Open("sqlite", filepath.Join(c.dir, rel))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Join(c.dir, "data"), 0o755))
		_, err = db.Exec(`PRAGMA encoding = '` + enc + `'; CREATE TABLE orders(id INTEGER, pan TEXT, amount REAL)`)
		require.NoError(t, err)
		for i := range 3 {
			p := c.card(next(1))
			_, err = db.Exec(`INSERT INTO orders VALUES (?, ?, ?)`, 1000+i, p, 12.5)
			require.NoError(t, err)
			c.plant(c.name(rel), TypePAN, p)
		}
		require.NoError(t, db.Close())
	}

	// Card numbers stored as SQLite INTEGER and REAL values (64-bit and
	// float serial types: no digit of them in the file), beside a column
	// of 13-digit timestamps; and a text value over an overflow chain
	// with a card number cut by the page boundary.
	{
		rel := "data/payments.sqlite"
		db, err := sql.Open("sqlite", filepath.Join(c.dir, rel))
		require.NoError(t, err)
		_, err = db.Exec(`PRAGMA page_size = 4096; CREATE TABLE payments(id INTEGER PRIMARY KEY, pan INTEGER, amount REAL, created INTEGER, note TEXT)`)
		require.NoError(t, err)
		for i := range 4 {
			p := c.card(next(1))
			n, err := strconv.ParseInt(p, 10, 64)
			require.NoError(t, err)
			_, err = db.Exec(`INSERT INTO payments(pan, amount, created) VALUES (?, ?, ?)`, n, 10.25+float64(i), 1700000000000+int64(i)*86400123)
			require.NoError(t, err)
			c.plant(c.name(rel)+"!records", TypePAN, p)
		}
		rp := c.card(0) // a 16-digit Visa: exact in a float64
		f, err := strconv.ParseFloat(rp, 64)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO payments(amount, created) VALUES (?, ?)`, f, 1700000000999)
		require.NoError(t, err)
		c.plant(c.name(rel)+"!records", TypePAN, rp)
		// A record of 6000 bytes on 4096-byte pages keeps 1908 of them on
		// its page (SQLite's file format, 1.6): the header takes 4 (its
		// size, NULL id, NULL pan, NULL amount, NULL created, a long text),
		// so the text's page boundary is at 1902.
		op := c.card(next(1))
		note := strings.Repeat("lorem ipsum ", 6000/12)[:6000-7]
		cut := 1908 - 7
		note = note[:cut-9] + " " + op + " " + note[cut-9+len(op)+2:]
		_, err = db.Exec(`INSERT INTO payments(note) VALUES (?)`, note)
		require.NoError(t, err)
		c.plant(c.name(rel)+"!records", TypePAN, op)
		require.NoError(t, db.Close())
	}

	// A binary: an ASCII number and a UTF-16 one among random bytes.
	bin := make([]byte, 4096)
	for i := range bin {
		bin[i] = byte(c.rng.IntN(256)) &^ 0x30 // no ASCII digits in the noise
	}
	b1, b2 := c.card(next(1)), c.card(next(1))
	copy(bin[100:], "\x00"+b1+"\x00")
	copy(bin[900:], append([]byte{0, 0}, utf16Bytes(b2, false, false)...))
	c.write("bin/app.core", bin)
	c.plant(c.name("bin/app.core"), TypePAN, b1)
	c.plant(c.name("bin/app.core"), TypePAN, b2)

	// A file named by a card number: the name is masked too.
	np := c.card(next(1))
	c.write("exports/"+np+".csv", []byte("id,pan\n1,"+np+"\n"))
	c.plant(c.name("exports/"+MaskPAN(np)+".csv"), TypePAN, np)
	c.write("exports/decoys.txt", []byte(strings.Join(decoys, "\n")+"\n"))
	c.tables()
	c.pdfs()
	c.mails()
}

// tables writes tables of numbers that are no card data, shaped as real
// trees hold them, and one card column among tokens that must be found.
func (c *formats) tables() {
	t := c.t
	// A collation table by stroke order (glibc's cns11643_stroke): codes of
	// digits 1-5, sorted, 13 to 20 long; some pass Luhn with a brand.
	codes := make([]string, 600)
	for i := range codes {
		d := make([]byte, 13+c.rng.IntN(8))
		for k := range d {
			d[k] = byte('1' + c.rng.IntN(5))
		}
		codes[i] = string(d)
	}
	slices.Sort(codes)
	var st strings.Builder
	valid := map[string]int{}
	for i, code := range codes {
		fmt.Fprintf(&st, "<U%04X> <U%04X>;IGNORE;IGNORE;IGNORE # %s\n", 0x4e00+i, 0x4e00+i, code)
		if b := validPAN([]byte(code)); b != "" {
			valid[b]++
		}
	}
	require.Positive(t, valid[Visa], "the stroke table holds Luhn-valid Visa-shaped codes")
	require.Positive(t, valid[UATP], "and UATP-shaped ones")
	c.write("tables/cns11643_stroke", []byte(st.String()))

	// Hex dumps of code points, groups of four, some all digits.
	var hx strings.Builder
	for range 200 {
		for k := range 10 {
			if k > 0 {
				hx.WriteByte(' ')
			}
			if c.rng.IntN(3) == 0 {
				fmt.Fprintf(&hx, "%04X", 0x4e00+c.rng.IntN(0x5000))
			} else {
				fmt.Fprintf(&hx, "%d", 5000+c.rng.IntN(4000))
			}
		}
		hx.WriteByte('\n')
	}
	c.write("tables/Stroke.pm", []byte(hx.String()))

	// Collation weights, dotted groups led by a dot (Unicode::Collate).
	var cw strings.Builder
	for i := range 300 {
		fmt.Fprintf(&cw, "%04X ; [.%04d.0020.%04d.%04d] # LETTER %d\n", 0x3041+i, 4000+c.rng.IntN(600), c.rng.IntN(20), c.rng.IntN(9999), i)
	}
	c.write("tables/ja.pl", []byte(cw.String()))

	// A fixed-width table of sequential 16-digit account ids.
	var fw strings.Builder
	for i := range 300 {
		fmt.Fprintf(&fw, "ACCT %016d %08d EUR\n", int64(4000123400000000)+int64(i*7), c.rng.IntN(1e8))
	}
	c.write("tables/accounts.txt", []byte(fw.String()))

	// A column of format-preserving tokens (a brand's prefix, failing Luhn)
	// holding one card in clear: a leak, found.
	var tk strings.Builder
	tk.WriteString("id,token,amount\n")
	leak := c.card(0)
	for i := range 40 {
		v := leak
		if i != 20 {
			for {
				d := []byte("4")
				for len(d) < 16 {
					d = append(d, byte('0'+c.rng.IntN(10)))
				}
				if !luhn(d) {
					v = string(d)
					break
				}
			}
		}
		fmt.Fprintf(&tk, "%d,%s,%d.%02d\n", i+1, v, c.rng.IntN(500), c.rng.IntN(100))
	}
	c.write("tables/tokens.csv", []byte(tk.String()))
	c.plant(c.name("tables/tokens.csv"), TypePAN, leak)
}

// TestFormatsCorpus: every planted number found (100% recall), nothing
// else (no false finding), everything read, no name in clear.
func TestFormatsCorpus(t *testing.T) {
	c := &formats{t: t, dir: t.TempDir(), rng: rand.New(rand.NewPCG(9, 13))}
	c.generate()
	r, err := Paths(context.Background(), []string{c.dir}, Options{Workers: 2})
	require.NoError(t, err)
	assert.Empty(t, r.Skipped, "everything is read")
	var got []string
	for f := range r.Findings() {
		got = append(got, f.File+" "+f.Type+" "+f.Masked)
		assert.True(t, f.Live, "%s: planted numbers are no test cards", f.File)
	}
	slices.Sort(got)
	slices.Sort(c.want)
	assert.Equal(t, c.want, got)
	t.Logf("%d planted findings in %d files, %d bytes read", len(c.want), r.FilesScanned, r.BytesScanned)
	brands := map[string]bool{}
	for f := range r.Findings() {
		brands[f.Brand] = true
	}
	for _, b := range brandPrefixes {
		assert.True(t, brands[b.brand], "a %s number is found", b.brand)
	}
	for _, s := range r.Skipped {
		assert.NotRegexp(t, `\d{13}`, s.File)
	}
	var names []string
	for f := range r.Findings() {
		names = append(names, f.File)
	}
	assert.NotRegexp(t, `\d{13}`, strings.Join(names, "\n"), "no card number in a file name")
}

// TestPrintableAcrossChunks: a UTF-16 string in a binary is found whatever
// its offset relative to the transform's chunks.
func TestPrintableAcrossChunks(t *testing.T) {
	pan := "4539578763621486"
	for _, at := range []int{transformChunk - 40, transformChunk - 17, transformChunk - 9, transformChunk - 8, transformChunk - 1, transformChunk, transformChunk + 3} {
		bin := bytes.Repeat([]byte{0x01, 0x00, 0xff}, transformChunk)
		copy(bin[at:], append(utf16Bytes(pan, false, false), 0x01, 0x02))
		s := newStreamer(Limits{}, pack.Builtin())
		rep := &Report{}
		u := &unit{b: &budget{lim: s.lim, disk: int64(len(bin))}, rep: rep}
		require.NoError(t, s.content(context.Background(), u, bytes.NewReader(bin), nil, -1, "bin", 0, ""))
		var r Report
		r.collect([]*streamer{s})
		got := slices.Collect(r.Findings())
		require.Len(t, got, 1, "at %d", at)
		assert.Equal(t, MaskPAN(pan), got[0].Masked)
	}
}

// TestOverlappingZipBomb: entries that all point at one compressed kernel
// (a 600 KB file expanding to 160 GB) stop at the decompression budget
// within seconds, and the file is reported as not read.
func TestOverlappingZipBomb(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "a", Method: zip.Deflate})
	require.NoError(t, err)
	_, err = w.Write(make([]byte, 16<<20))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	data := b.Bytes()
	eocd := data[len(data)-22:]
	require.Equal(t, uint32(0x06054b50), binary.LittleEndian.Uint32(eocd))
	cdSize, cdOff := binary.LittleEndian.Uint32(eocd[12:]), binary.LittleEndian.Uint32(eocd[16:])
	cd := data[cdOff : cdOff+cdSize]
	const entries = 10000
	bomb := append([]byte{}, data[:cdOff]...)
	for range entries {
		bomb = append(bomb, cd...)
	}
	end := append([]byte{}, eocd...)
	binary.LittleEndian.PutUint16(end[8:], entries)
	binary.LittleEndian.PutUint16(end[10:], entries)
	binary.LittleEndian.PutUint32(end[12:], uint32(len(cd)*entries))
	bomb = append(bomb, end...)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "export.zip"), bomb, 0o644))
	t.Logf("%d bytes on disk, %d GB expanded", len(bomb), entries*16>>10)

	r, err := Paths(context.Background(), []string{dir}, Options{Workers: 1})
	require.NoError(t, err)
	require.Len(t, r.Skipped, 1)
	assert.Equal(t, filepath.ToSlash(filepath.Join(dir, "export.zip")), r.Skipped[0].File)
	assert.Contains(t, r.Skipped[0].Reason, "decompression bomb")
	// The work is bounded by the budget, not by a clock: it stops within one
	// member of 1000 times the size on disk.
	m := regexp.MustCompile(`(\d+) bytes from \d+ on disk`).FindStringSubmatch(r.Skipped[0].Reason)
	require.Len(t, m, 2, r.Skipped[0].Reason)
	out, err := strconv.ParseInt(m[1], 10, 64)
	require.NoError(t, err)
	assert.LessOrEqual(t, out, int64(1000*len(bomb)+16<<20))
	assert.False(t, r.Complete())
}

// TestTruncatedStreams: a compressed file or archive cut short (a rotated
// log copied while written, a partial download) is scanned up to the cut
// and reported as not read, never as complete.
func TestTruncatedStreams(t *testing.T) {
	var text bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&text, "order %d paid with card 4539578763621486\n", i)
	}
	compress := func(w func(*bytes.Buffer) io.WriteCloser) []byte {
		var b bytes.Buffer
		zw := w(&b)
		_, err := zw.Write(text.Bytes())
		require.NoError(t, err)
		require.NoError(t, zw.Close())
		return b.Bytes()
	}
	tarOf := func(data []byte) []byte {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: "app.log", Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}))
		_, err := tw.Write(data)
		require.NoError(t, err)
		require.NoError(t, tw.Close())
		return b.Bytes()
	}
	gz := compress(func(b *bytes.Buffer) io.WriteCloser { return gzip.NewWriter(b) })
	cases := map[string][]byte{
		"app.log.gz":  gz,
		"app.log.zst": compress(func(b *bytes.Buffer) io.WriteCloser { w, _ := zstd.NewWriter(b); return w }),
		"app.log.xz":  compress(func(b *bytes.Buffer) io.WriteCloser { w, _ := xz.NewWriter(b); return w }),
		"logs.tar":    tarOf(text.Bytes()),
		"logs.tar.gz": func() []byte {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			_, err := zw.Write(tarOf(text.Bytes()))
			require.NoError(t, err)
			require.NoError(t, zw.Close())
			return b.Bytes()
		}(),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), data[:len(data)*2/3], 0o644))
			r, err := Paths(context.Background(), []string{dir}, Options{Workers: 1})
			require.NoError(t, err)
			defer r.Close()
			assert.False(t, r.Complete(), "a truncated %s was taken as read to its end", name)
			var reasons []string
			for _, s := range r.Skipped {
				reasons = append(reasons, s.Reason)
			}
			assert.Contains(t, strings.Join(reasons, "; "), "truncated")
		})
	}
	// What came before the cut is still scanned.
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.log.gz"), gz[:len(gz)/2], 0o644))
	r, err := Paths(context.Background(), []string{dir}, Options{Workers: 1})
	require.NoError(t, err)
	defer r.Close()
	assert.Greater(t, r.Counts.Live, 1000)
	// Whole streams are complete.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.log.gz"), gz, 0o644))
	r, err = Paths(context.Background(), []string{dir}, Options{Workers: 1})
	require.NoError(t, err)
	defer r.Close()
	assert.True(t, r.Complete(), "%v", r.Skipped)
	assert.Equal(t, 20000, r.Counts.Live)
}
