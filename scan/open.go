package scan

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
	"golang.org/x/text/encoding/unicode"

	"github.com/audit-tool/audit/walk"
)

// Limits bound what one file on disk may expand to, all containers inside
// it together: a bomb is stopped and reported, never followed.
type Limits struct {
	MaxDepth int   // containers inside containers (default 8)
	MaxBytes int64 // decompressed bytes (default 64 GiB)
	// MaxRatio is decompressed bytes per byte on disk, checked once
	// RatioFloor bytes came out (defaults 1000 and 256 MiB).
	MaxRatio   int64
	RatioFloor int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = 8
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = 64 << 30
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = 1000
	}
	if l.RatioFloor <= 0 {
		l.RatioFloor = 256 << 20
	}
	return l
}

// budgetError stops a whole file: the budget is shared by everything in it.
type budgetError struct{ msg string }

func (e *budgetError) Error() string { return e.msg }

// budget counts what every decompressor inside one file produced.
type budget struct {
	lim      Limits
	disk     int64
	out      int64
	exceeded error
}

func (b *budget) add(n int) error {
	if b.exceeded != nil {
		return b.exceeded
	}
	b.out += int64(n)
	switch {
	case b.out > b.lim.MaxBytes:
		b.exceeded = &budgetError{fmt.Sprintf("over the decompression budget: more than %d bytes", b.lim.MaxBytes)}
	case b.out > b.lim.RatioFloor && b.out > b.lim.MaxRatio*max(b.disk, 1):
		b.exceeded = &budgetError{fmt.Sprintf("decompression bomb: %d bytes from %d on disk (over %d times)", b.out, b.disk, b.lim.MaxRatio)}
	}
	return b.exceeded
}

// budgeted charges what a decompressor yields to the file's budget.
type budgeted struct {
	r io.Reader
	b *budget
}

func (x *budgeted) Read(p []byte) (int, error) {
	n, err := x.r.Read(p)
	if e := x.b.add(n); e != nil {
		return n, e
	}
	return n, truncation(err)
}

// errTruncated is a compressed stream or archive member cut short (a
// rotated log copied while it was written, a partial download): what
// came before it is scanned, the rest was never seen.
var errTruncated = errors.New("truncated: the data ends before its compressed stream or archive member does")

// truncation tells a decoder's io.ErrUnexpectedEOF from the end of data:
// the scan loop reads with io.ReadFull, whose io.ErrUnexpectedEOF only
// means a short last block.
func truncation(err error) error {
	if err == io.ErrUnexpectedEOF {
		return errTruncated
	}
	return err
}

// whole reads a tar member, whose early end is a truncation.
type whole struct{ r io.Reader }

func (w whole) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	return n, truncation(err)
}

// unit is one file on disk being read: its budget and where it is.
type unit struct {
	b   *budget
	rep *Report
}

// file scans one file into r. Only a cancelled context is an error;
// everything else is recorded in r.Skipped.
func (s *streamer) file(ctx context.Context, j walk.File, r *Report) error {
	name := Redact(j.Name)
	f, err := os.Open(j.Path)
	if err != nil {
		r.Skipped = append(r.Skipped, Skipped{File: name, Reason: walk.Reason(err)})
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() { // replaced by a FIFO since the walk
		reason := "not a regular file"
		if err != nil {
			reason = walk.Reason(err)
		}
		r.Skipped = append(r.Skipped, Skipped{File: name, Reason: reason})
		return nil
	}
	u := &unit{b: &budget{lim: s.lim, disk: fi.Size()}, rep: r}
	r.FilesScanned++
	err = s.content(ctx, u, f, f, fi.Size(), name, 0, "")
	return s.record(ctx, u, name, err)
}

// record turns a read error into a Skipped entry for name; only
// cancellation stops the scan.
func (s *streamer) record(ctx context.Context, u *unit, name string, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	default:
		u.rep.Skipped = append(u.rep.Skipped, Skipped{File: name, Reason: walk.Reason(err)})
		return nil
	}
}

// Magic numbers.
var (
	magicGzip     = []byte{0x1f, 0x8b}
	magicBzip2    = []byte("BZh")
	magicXZ       = []byte{0xfd, '7', 'z', 'X', 'Z', 0}
	magicZstd     = []byte{0x28, 0xb5, 0x2f, 0xfd}
	magicSnappy   = []byte("\xff\x06\x00\x00sNaPpY")
	magicZip      = []byte("PK\x03\x04")
	magicZipE     = []byte("PK\x05\x06")
	magicPDF      = []byte("%PDF-")
	magicSQLite   = []byte("SQLite format 3\x00")
	magicRAR      = []byte("Rar!\x1a\x07")
	magic7z       = []byte{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c}
	magicLZ4      = []byte{0x04, 0x22, 0x4d, 0x18}
	magicCompress = []byte{0x1f, 0x9d}
	magicLzip     = []byte("LZIP")
	magicCAB      = []byte("MSCF\x00\x00\x00\x00")
	magicPST      = []byte("!BDN")
	magicParquet  = []byte("PAR1")
	magicAvro     = []byte("Obj\x01")
	magicORC      = []byte("ORC")
	magicOLE      = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
	magicArmored  = []byte("-----BEGIN PGP MESSAGE-----")
	magicAge      = []byte("age-encryption.org/v1\n")
	magicOpenSSL  = []byte("Salted__")
	magicVault    = []byte("$ANSIBLE_VAULT;")
	bomUTF8       = []byte{0xef, 0xbb, 0xbf}
)

// container names the format a stream's head starts: one the scanner
// opens (gzip … sqlite), one it cannot ("RAR archive", "Parquet file":
// compressed or encoded inside, so reading its bytes as text would prove
// nothing), an encrypted one ("age", encryptedFormats), or "" for content
// read as text or as a binary's strings.
func container(head []byte) string {
	has := func(m []byte) bool { return bytes.HasPrefix(head, m) }
	// Short magics that text may begin with count in binary files only.
	binary := bytes.IndexByte(head, 0) >= 0
	switch {
	case has(magicGzip):
		return "gzip"
	case has(magicBzip2) && len(head) >= 10 && head[3] >= '1' && head[3] <= '9' &&
		bytes.Equal(head[4:10], []byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59}):
		return "bzip2"
	case has(magicXZ):
		return "xz"
	case has(magicZstd):
		return "zstd"
	case has(magicSnappy):
		return "snappy"
	case has(magicZip) || has(magicZipE):
		return "zip"
	case len(head) >= 262 && bytes.Equal(head[257:262], []byte("ustar")):
		return "tar"
	case has(magicPDF):
		return "pdf"
	case has(magicSQLite):
		return "sqlite"
	case has(magicRAR):
		return "RAR archive"
	case has(magic7z):
		return "7z archive"
	case has(magicLZ4):
		return "LZ4"
	case has(magicCompress):
		return "Unix compress (.Z)"
	case has(magicLzip) && binary:
		return "lzip"
	case has(magicCAB):
		return "Microsoft cabinet"
	case has(magicPST) && len(head) >= 10 && (head[8] == 'S' && head[9] == 'M' || head[8] == 'S' && head[9] == 'O'):
		return "Outlook PST/OST mailbox"
	case has(magicParquet) && binary:
		return "Parquet file"
	case has(magicAvro) && binary:
		return "Avro file"
	case has(magicORC) && binary:
		return "ORC file"
	case has(magicArmored), openPGP(head):
		return "OpenPGP message"
	case has(magicAge):
		return "age"
	case has(magicOpenSSL) && len(head) >= 16:
		return "OpenSSL enc"
	case has(magicVault):
		return "Ansible Vault"
	}
	return ""
}

// encryptedFormats are the formats container names whose content is
// encrypted: not read, and said so.
var encryptedFormats = map[string]bool{"OpenPGP message": true, "age": true, "OpenSSL enc": true, "Ansible Vault": true}

// openPGP reports whether head starts a binary OpenPGP message (gpg
// --encrypt or --symmetric): a public-key or a symmetric-key encrypted
// session key packet (RFC 9580 5.1, 5.3) of a known version.
func openPGP(head []byte) bool {
	if len(head) < 4 || head[0]&0x80 == 0 {
		return false
	}
	var tag byte
	body := head[1:]
	if head[0]&0x40 != 0 { // new format: tag in six bits, then a length
		tag = head[0] & 0x3f
		switch l := body[0]; {
		case l < 192:
			body = body[1:]
		case l < 224:
			body = body[2:]
		case l == 255:
			body = body[min(5, len(body)):]
		default:
			return false
		}
	} else { // old format: tag in four bits, a length of 1, 2 or 4 bytes
		tag = head[0] >> 2 & 0x0f
		n := [4]int{1, 2, 4, 0}[head[0]&3]
		if n == 0 {
			return false
		}
		body = body[min(n, len(body)):]
	}
	if len(body) < 2 {
		return false
	}
	switch tag {
	case 1: // public-key encrypted session key: version 3 or 6
		return body[0] == 3 || body[0] == 6
	case 3: // symmetric-key encrypted session key: version 4, 5 or 6, a cipher
		return (body[0] == 4 || body[0] == 5 || body[0] == 6) && body[1] >= 1 && body[1] <= 13
	}
	return false
}

// peekSize covers the tar magic at 257 and the text sniff.
const peekSize = sniffSize

// content scans the stream r, named name, at container depth d. at is
// the file itself when r reads it from its start (zip needs random
// access), else nil; size is its length or -1. hint is how the enclosing
// container names it ("office" for the XML of a document).
func (s *streamer) content(ctx context.Context, u *unit, r io.Reader, at io.ReaderAt, size int64, name string, d int, hint string) error {
	if d > s.lim.MaxDepth {
		return fmt.Errorf("nested deeper than %d containers: not read", s.lim.MaxDepth)
	}
	br := bufio.NewReaderSize(r, peekSize)
	head, _ := br.Peek(peekSize)
	switch container(head) {
	case "gzip":
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		return s.content(ctx, u, &budgeted{zr, u.b}, nil, -1, name, d+1, "")
	case "bzip2":
		return s.content(ctx, u, &budgeted{bzip2.NewReader(br), u.b}, nil, -1, name, d+1, "")
	case "xz":
		zr, err := xz.NewReader(br)
		if err != nil {
			return fmt.Errorf("xz: %w", err)
		}
		return s.content(ctx, u, &budgeted{zr, u.b}, nil, -1, name, d+1, "")
	case "zstd":
		zr, err := newZstd(br)
		if err != nil {
			return fmt.Errorf("zstd: %w", err)
		}
		defer zr.Close()
		return s.content(ctx, u, &budgeted{zr, u.b}, nil, -1, name, d+1, "")
	case "snappy":
		return s.content(ctx, u, &budgeted{snappy.NewReader(br), u.b}, nil, -1, name, d+1, "")
	case "zip":
		if at == nil {
			return s.spooledZip(ctx, u, br, name, d)
		}
		return s.zip(ctx, u, at, size, name, d)
	case "tar":
		return s.tar(ctx, u, br, name, d)
	case "pdf":
		if at == nil {
			size = -1
		}
		return s.pdf(ctx, u, br, at, size, name)
	case "sqlite":
		if at == nil {
			size = -1 // r was peeked: the spool reads it from br
		}
		return s.sqlite(ctx, u, br, at, size, name)
	case "":
	default:
		if f := container(head); encryptedFormats[f] {
			return fmt.Errorf("encrypted (%s): not read", f)
		}
		return fmt.Errorf("unsupported format (%s): not read", container(head))
	}
	if hint == "office" {
		return s.decoded(ctx, u, newXMLText(br), name)
	}
	switch enc := sniffText(head); enc {
	case encUTF8:
		if mbox, ok := mailHead(head); ok {
			return s.mail(ctx, u, br, name, d+1, mbox)
		}
		bom := 0
		if bytes.HasPrefix(head, bomUTF8) {
			bom = len(bomUTF8)
		}
		if at != nil && s.splits(size) { // a big text file on disk: every worker takes a part
			return s.split(ctx, u, at, int64(bom), size, name)
		}
		br.Discard(bom)
		return s.decoded(ctx, u, br, name)
	case encUTF16LE, encUTF16BE:
		order := unicode.LittleEndian
		if enc == encUTF16BE {
			order = unicode.BigEndian
		}
		return s.decoded(ctx, u, unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder().Reader(br), name)
	default:
		if !bytes.HasPrefix(head, magicOLE) {
			return s.decoded(ctx, u, newPrintable(br), name)
		}
		// A password-protected Office document is an OLE file holding an
		// EncryptedPackage stream: its strings are no content.
		enc := &watch{r: br, word: []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")}
		if err := s.decoded(ctx, u, newPrintable(enc), name); err != nil {
			return err
		}
		if enc.seen {
			return errors.New("encrypted (password-protected Office document): not read")
		}
		return nil
	}
}

// text scans decoded text.
func (s *streamer) decoded(ctx context.Context, u *unit, r io.Reader, name string) error {
	n, err := s.scan(ctx, r, name)
	u.rep.BytesScanned += n
	return err
}

// Text encodings told apart by sniffText.
const (
	encUTF8 = iota // or Latin-1, or any ASCII superset: digits are bytes alike
	encUTF16LE
	encUTF16BE
	encBinary
)

// sniffText tells text from binary as git does (a NUL in the first 8 KiB),
// except UTF-16: a BOM, or NULs in nearly every other byte.
func sniffText(head []byte) int {
	switch {
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		return encUTF16LE
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return encUTF16BE
	}
	if bytes.IndexByte(head, 0) < 0 {
		return encUTF8
	}
	var even, odd int
	for i := 0; i+1 < len(head); i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	pairs := len(head) / 2
	switch {
	case pairs >= 2 && odd*10 >= pairs*8 && even*20 <= pairs:
		return encUTF16LE
	case pairs >= 2 && even*10 >= pairs*8 && odd*20 <= pairs:
		return encUTF16BE
	}
	return encBinary
}

// zstdMaxWindow bounds a zstd frame's window, the decoder's memory: 8 MiB
// is what zstd -19 uses; --long and --ultra frames beyond 32 MiB are
// reported as not read rather than allowed to take memory.
const zstdMaxWindow = 32 << 20

func newZstd(r io.Reader) (*zstd.Decoder, error) {
	return zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(zstdMaxWindow), zstd.WithDecoderMaxMemory(2*zstdMaxWindow))
}

// zip scans each member of a zip archive as "archive!member".
func (s *streamer) zip(ctx context.Context, u *unit, at io.ReaderAt, size int64, name string, d int) error {
	zr, err := zip.NewReader(at, size)
	if err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return flate.NewReader(r) })
	zr.RegisterDecompressor(12, func(r io.Reader) io.ReadCloser { return io.NopCloser(bzip2.NewReader(r)) })
	zr.RegisterDecompressor(93, func(r io.Reader) io.ReadCloser {
		zd, err := newZstd(r)
		if err != nil {
			return io.NopCloser(&errReader{err})
		}
		return zd.IOReadCloser()
	})
	zr.RegisterDecompressor(95, func(r io.Reader) io.ReadCloser {
		xr, err := xz.NewReader(r)
		if err != nil {
			return io.NopCloser(&errReader{err})
		}
		return io.NopCloser(xr)
	})
	office := isOffice(zr)
	for _, m := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		if m.FileInfo().IsDir() {
			continue
		}
		member := name + "!" + Redact(m.Name)
		var err error
		switch {
		case m.Flags&1 != 0:
			err = errors.New("encrypted: not read")
		case m.Method != zip.Store && m.Method != zip.Deflate && m.Method != 12 && m.Method != 93 && m.Method != 95:
			err = fmt.Errorf("unsupported compression method %d: not read", m.Method)
		default:
			err = s.member(ctx, u, m, member, d, office)
		}
		var be *budgetError
		if errors.As(err, &be) {
			return err // the whole file is over budget: stop here
		}
		if err := s.record(ctx, u, member, err); err != nil {
			return err
		}
	}
	return nil
}

func (s *streamer) member(ctx context.Context, u *unit, m *zip.File, name string, d int, office bool) error {
	rc, err := m.Open()
	if err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	defer rc.Close()
	hint := ""
	if office && strings.HasSuffix(m.Name, ".xml") {
		hint = "office"
	}
	var r io.Reader = rc
	if m.Method != zip.Store {
		r = &budgeted{rc, u.b}
	}
	return s.content(ctx, u, r, nil, int64(m.UncompressedSize64), name, d+1, hint)
}

// isOffice tells OOXML (docx, xlsx, pptx) and OpenDocument files, whose
// text is element content of XML members.
func isOffice(zr *zip.Reader) bool {
	for _, m := range zr.File {
		if m.Name == "[Content_Types].xml" || m.Name == "mimetype" {
			return true
		}
	}
	return false
}

type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }

// spooledZip copies a zip held in another container to a temporary file,
// for the random access zip needs. Its bytes are charged already.
func (s *streamer) spooledZip(ctx context.Context, u *unit, r io.Reader, name string, d int) error {
	f, err := os.CreateTemp("", "audit-scan-*.zip")
	if err != nil {
		return fmt.Errorf("zip inside an archive: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := io.Copy(f, r)
	if err != nil {
		return err
	}
	return s.zip(ctx, u, f, n, name, d)
}

// tar scans each regular member of a tar archive as "archive!member".
func (s *streamer) tar(ctx context.Context, u *unit, r io.Reader, name string, d int) error {
	tr := tar.NewReader(r)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("tar: %w", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue // folders, links and devices hold no data in a tar
		}
		member := name + "!" + Redact(path.Clean(h.Name))
		err = s.content(ctx, u, whole{tr}, nil, h.Size, member, d+1, "")
		var be *budgetError
		if errors.As(err, &be) {
			return err
		}
		if err := s.record(ctx, u, member, err); err != nil {
			return err
		}
	}
}
