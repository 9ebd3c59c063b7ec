package scan

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/audit-tool/audit/pack"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/require"
	"github.com/ulikunitz/xz"
)

// FuzzScan feeds arbitrary bytes to the detector, whole and split into
// chunks as a file read would: it must not panic, every card number it
// reports must pass Luhn with a known brand, chunking must not change what
// is found, the card scanner's filter must drop no number that judging
// every digit run finds, and Redact must leave no reported value in clear.
func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"card 4539 5787 6362 1486 123", "3782-822463-10005", "x4111111111111111", "2026-11-20 6011000990139424",
		"sk_live_51HqLyjWDarjtT1zdp7dcXcHf 4539578763621486", "-----BEGIN RSA PRIVATE KEY-----\nMII4111111111111111\n-----END RSA PRIVATE KEY-----",
		"access_token$production$x7k2mq9w4r8t1v5z$0f1e2d3c4b5a69788796a5b4c3d2e1f0", "AQE" + strings.Repeat("a", 50) + "==-b",
		"\xff\x00\xfe 5425-2334-3010-9903", "500000000009",
		"pan=411111111***1111 ok", "4111 11** **** 1111", "•••• •••• •••• 4242 ************1111",
	} {
		f.Add([]byte(s), uint16(7))
	}
	f.Add([]byte("1234567890123456789012345 sk_live_51HqLyjWDarjtT1zdp7dcXcHf"), uint16(10))
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		var d detector
		var whole []hit
		d.scan(data, cursor{}, len(data), func(h hit) { whole = append(whole, h) })
		for _, h := range whole {
			if h.start < 0 || h.end > len(data) || h.start >= h.end {
				t.Fatalf("bad span %d-%d of %d", h.start, h.end, len(data))
			}
			if h.typ != TypePAN {
				continue
			}
			digits := panDigits(data[h.start:h.end])
			if len(digits) < minPAN || len(digits) > maxPAN || !luhn(digits) || brand(digits) == "" {
				t.Fatalf("reported %q: not a valid card number", data[h.start:h.end])
			}
		}

		// The same input read in two pieces, the second resuming where the
		// first stopped, as streamer.scan does with chunks.
		to := int(cut) % (len(data) + 1)
		var split []hit
		next := d.scan(data, cursor{}, to, func(h hit) { split = append(split, h) })
		if to < len(data) {
			d.scan(data, next, len(data), func(h hit) { split = append(split, h) })
		}
		sortHits(whole)
		sortHits(split)
		if len(whole) != len(split) {
			t.Fatalf("whole found %d, split at %d found %d", len(whole), to, len(split))
		}
		for i := range whole {
			if whole[i].start != split[i].start || whole[i].end != split[i].end {
				t.Fatalf("whole and split disagree: %+v vs %+v", whole[i], split[i])
			}
		}

		var fast, slow []hit
		scanPANs(data, 0, len(data), testCards{}, func(h hit) { fast = append(fast, h) }, nil)
		scanPANsEveryRun(data, func(h hit) { slow = append(slow, h) })
		if !slices.Equal(fast, slow) {
			t.Fatalf("the filtered scan found %+v, judging every run %+v", fast, slow)
		}

		red := Redact(string(data))
		for _, h := range whole {
			raw := data[h.start:h.end]
			if h.typ == TypeMaskedPAN && h.masked == string(raw) {
				continue // masked to 6+4 already: shown as found
			}
			if prefix, _, _ := strings.Cut(h.masked, "…"); string(raw) == prefix {
				continue // a PEM header without a body: nothing secret
			}
			if len(raw) >= minPAN && !bytes.Contains(data[:h.start], raw) && !bytes.Contains(data[h.end:], raw) &&
				strings.Contains(red, string(raw)) {
				t.Fatalf("Redact left %q in clear", raw)
			}
		}
	})
}

// scanPANsEveryRun is scanPANs without its filters: every digit run is
// judged. The filters (the bitmaps, maskNear) only save time, so both must
// find the same.
func scanPANsEveryRun(buf []byte, emit func(hit)) {
	for i := 0; i < len(buf); {
		if !isDigit(buf[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(buf) && isDigit(buf[j]) {
			j++
		}
		if !startsNumber(buf, i) {
			i = j
			continue
		}
		if end := panAt(buf, i, j, testCards{}, emit); end > 0 {
			i = end
			continue
		}
		if j-i >= 4 {
			if end := maskedAt(buf, i, j, emit); end > 0 {
				i = end
				continue
			}
		}
		i = j
	}
}

// TestFilterKeepsEveryNumber checks the card scanner's filter on texts made
// of the pieces of card numbers, masked ones and their decoys, which random
// bytes seldom form: long enough to cross the 64-byte windows.
func TestFilterKeepsEveryNumber(t *testing.T) {
	pieces := []string{
		"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", " ", "-", "*", "X", "x", "•", "a", "\n", "=", ".",
		"4111", "1111", "3782", "6011", "****", "XXXX", "••••", "2026-11-20", "4111111111111111",
		"4111 1111 1111 1111", "3782-822463-10005", "411111******1111", "4539578763621486", "5425233430109903",
		"500000000009", "4222222222222", "411111***1111", "4111 11** **** 1111", "**** **** **** 4242",
	}
	r := rand.New(rand.NewPCG(5, 6))
	found := 0
	for range 20000 {
		var b []byte
		for n := r.IntN(300); len(b) < n; {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		var fast, slow []hit
		scanPANs(b, 0, len(b), testCards{}, func(h hit) { fast = append(fast, h) }, nil)
		scanPANsEveryRun(b, func(h hit) { slow = append(slow, h) })
		require.Equal(t, slow, fast, "%q", b)
		found += len(fast)
	}
	require.Greater(t, found, 5000, "the texts hold card numbers")
}

// sqliteSeed is a small database: an INTEGER card number, a REAL one, and
// a text value over an overflow chain of 512-byte pages.
func sqliteSeed(f *testing.F) []byte {
	p := filepath.Join(f.TempDir(), "seed.sqlite")
	db, err := sql.Open("sqlite", p)
	require.NoError(f, err)
	_, err = db.Exec(`PRAGMA page_size = 512; CREATE TABLE t(id INTEGER PRIMARY KEY, pan INTEGER, amount REAL, note TEXT); CREATE INDEX t_pan ON t(pan)`)
	require.NoError(f, err)
	_, err = db.Exec(`INSERT INTO t(pan, amount, note) VALUES (4539578763621486, 4539578763621486.0, ?)`, strings.Repeat("a 5425233430109903 ", 90))
	require.NoError(f, err)
	require.NoError(f, db.Close())
	b, err := os.ReadFile(p)
	require.NoError(f, err)
	return b
}

// FuzzContent feeds arbitrary bytes to every decoder as the content of a
// file (gz, bz2, xz, zstd, zip, tar, office XML, PDF streams through each
// filter chain, SQLite records, UTF-16, printable runs of binaries): no
// panic, bounded work, and whatever is not read is an error for the
// caller to report, never silence.
// snappySeed is text in snappy's framed stream.
func snappySeed(text []byte) []byte {
	var b bytes.Buffer
	w := snappy.NewBufferedWriter(&b)
	_, _ = w.Write(text)
	_ = w.Close()
	return b.Bytes()
}

func FuzzContent(f *testing.F) {
	text := []byte("order 4539578763621486 ok\n")
	var gzb bytes.Buffer
	zw := gzip.NewWriter(&gzb)
	_, _ = zw.Write(text)
	_ = zw.Close()
	var zb bytes.Buffer
	za := zip.NewWriter(&zb)
	w, _ := za.Create("[Content_Types].xml")
	_, _ = w.Write([]byte("<Types/>"))
	w, _ = za.Create("word/document.xml")
	_, _ = w.Write([]byte("<w:p><w:t>4539 5787</w:t><w:t> 6362 1486</w:t></w:p>"))
	_ = za.Close()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	_ = tw.WriteHeader(&tar.Header{Name: "a.log", Size: int64(len(text)), Mode: 0o644, Typeflag: tar.TypeReg})
	_, _ = tw.Write(text)
	_ = tw.Close()
	var xb bytes.Buffer
	xw, _ := xz.NewWriter(&xb)
	_, _ = xw.Write(text)
	_ = xw.Close()
	ze, _ := zstd.NewWriter(nil)
	var fl bytes.Buffer
	zl := zlib.NewWriter(&fl)
	_, _ = zl.Write([]byte("BT (4539578763621486) Tj [(4539) -20 (5787)] TJ <34353339> Tj ET"))
	_ = zl.Close()
	pdf := "%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\n" + fl.String() + "\nendstream\nendobj\n"
	for _, s := range [][]byte{
		text, gzb.Bytes(), zb.Bytes(), tb.Bytes(), xb.Bytes(), ze.EncodeAll(text, nil), []byte(pdf), sqliteSeed(f),
		{0xff, 0xfe, '4', 0, '5', 0, '3', 0, '9', 0}, []byte("BZh91AY&SY\x00\x00"), []byte("SQLite format 3\x00\x10\x00"),
		[]byte("\x00\x014\x005\x003\x009\x005\x007\x008\x007\x006\x003\x006\x002\x001\x004\x008\x006\x00"),
		append(gzb.Bytes()[:10:10], 0xff, 0xff), []byte("Rar!\x1a\x07\x00"), snappySeed(text),
		[]byte("From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\n" +
			"Content-Transfer-Encoding: base64\r\n\r\nb3JkZXIgNDUzOTU3ODc2MzYyMTQ4NiBvaw==\r\n--B\r\n" +
			"Content-Type: message/rfc822\r\n\r\nSubject: =?utf-8?q?4539_5787?=\r\n =?utf-8?q?_6362_1486?=\r\nContent-Type: text/plain\r\n" +
			"Content-Transfer-Encoding: quoted-printable\r\n\r\n4539=\r\n578763621486\r\n--B--\r\n"),
		[]byte("From a@b Mon Nov 30 08:00:00 2026\nFrom: a@b\nSubject: x\n\n4539578763621486\n\nFrom b@c Mon\nFrom: b\nDate: x\n\n>From y\n"),
		[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00"),
		[]byte("\x8c\x0d\x04\x09\x03\x02\xcd\xea"), []byte("\x85\x01\x8c\x03\x7f\xb1"), []byte("Salted__12345678\x00"),
	} {
		f.Add(s)
	}
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<</Length 40>> stream\nBT /F1 9 Tf <00170018> Tj (x) Tj ET\nendstream\nendobj\n" +
		"2 0 obj\n<</Length 99>> stream\nbegincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"1 beginbfrange\n<0013> <001C> <0030>\nendbfrange\n1 beginbfchar <0003> <0020> endbfchar endcmap\nendstream\nendobj\n"))
	for _, pf := range pdfFilters { // a stream per filter chain
		body := pf.enc([]byte("BT (4539578763621486) Tj [(4539) -20 (5787)] TJ ET"))
		f.Add([]byte("%PDF-1.4\n1 0 obj\n<< /Filter " + pf.filters + " >>\nstream\n" + string(body) + "\nendstream\nendobj\n"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxDepth: 3, MaxBytes: 1 << 20, MaxRatio: 50, RatioFloor: 64 << 10}
		s := newStreamer(lim, pack.Builtin())
		rep := &Report{}
		u := &unit{b: &budget{lim: s.lim, disk: int64(len(data))}, rep: rep}
		r := bytes.NewReader(data)
		err := s.content(context.Background(), u, r, r, int64(len(data)), "f", 0, "")
		if err != nil && err.Error() == "" {
			t.Fatal("an error says why")
		}
		if u.b.out > lim.MaxBytes+(1<<20) {
			t.Fatalf("expanded to %d bytes past the budget", u.b.out)
		}
	})
}
