package scan

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
)

// sqlite scans a SQLite database: its bytes as a binary (text values,
// deleted rows in free space, journals of other tables), then the values
// its pages' records hold that are not text in the file: integers and
// integral reals, a card number stored in an INTEGER column as a 64-bit
// two's complement, and text cut by the page boundaries of an overflow
// chain. These are read as name!records, one record a line and a tab
// between values, so a row's columns never run together into a number.
func (s *streamer) sqlite(ctx context.Context, u *unit, r io.Reader, at io.ReaderAt, size int64, name string) error {
	if at == nil || size < 0 {
		f, err := os.CreateTemp("", "audit-scan-*.sqlite")
		if err != nil {
			return fmt.Errorf("SQLite inside an archive: %w", err)
		}
		defer os.Remove(f.Name())
		defer f.Close()
		n, err := io.Copy(f, r) // charged to the budget by the decompressor
		if err != nil {
			return err
		}
		at, size, r = f, n, io.NewSectionReader(f, 0, n)
	}
	if err := s.decoded(ctx, u, newPrintable(r), name); err != nil {
		return err
	}
	db, err := openSQLite(at, size)
	if err != nil {
		return fmt.Errorf("SQLite records not decoded: %w", err)
	}
	if err := s.decoded(ctx, u, &sqliteRecords{ctx: ctx, db: db, b: u.b}, name+"!records"); err != nil {
		return err
	}
	if db.bad > 0 {
		return fmt.Errorf("SQLite: %d record(s) could not be decoded (corrupt cells or overflow chains)", db.bad)
	}
	return nil
}

// sqliteDB is a database file read page by page.
type sqliteDB struct {
	at       io.ReaderAt
	pageSize int
	usable   int // page size less the reserved bytes at each page's end
	pages    int
	utf16    binary.ByteOrder // nil for UTF-8
	bad      int              // cells that could not be decoded
}

func openSQLite(at io.ReaderAt, size int64) (*sqliteDB, error) {
	var h [100]byte
	if _, err := at.ReadAt(h[:], 0); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	ps := int(binary.BigEndian.Uint16(h[16:]))
	if ps == 1 {
		ps = 65536
	}
	if ps < 512 || ps > 65536 || ps&(ps-1) != 0 {
		return nil, fmt.Errorf("page size %d is not a power of two from 512 to 65536", ps)
	}
	db := &sqliteDB{at: at, pageSize: ps, usable: ps - int(h[20]), pages: int(size / int64(ps))}
	if db.usable < 480 {
		return nil, fmt.Errorf("%d reserved bytes per page of %d", h[20], ps)
	}
	switch binary.BigEndian.Uint32(h[56:]) {
	case 2:
		db.utf16 = binary.LittleEndian
	case 3:
		db.utf16 = binary.BigEndian
	}
	return db, nil
}

// page reads page n (1-based) into p.
func (db *sqliteDB) page(n int, p []byte) error {
	if n < 1 || n > db.pages {
		return fmt.Errorf("page %d out of the file's %d", n, db.pages)
	}
	_, err := db.at.ReadAt(p[:db.pageSize], int64(n-1)*int64(db.pageSize))
	return err
}

// sqliteRecords reads the values of every cell of the database's
// b-trees: the schema's (page 1), then each table's and index's from its
// root page, as the schema gives them.
type sqliteRecords struct {
	ctx     context.Context
	db      *sqliteDB
	b       *budget
	todo    []int // pages to read
	seen    map[int]bool
	started bool
	schema  bool // reading the schema's tree: its rows give root pages
	roots   []int
	page    []byte
	ovf     []byte
	pay     []byte
	out     []byte
	off     int
	err     error // over the budget
}

// maxRecord bounds a record's payload reassembled from overflow pages.
const maxRecord = 1 << 20

func (r *sqliteRecords) Read(p []byte) (int, error) {
	for r.off == len(r.out) {
		if err := r.ctx.Err(); err != nil {
			return 0, err
		}
		if !r.started {
			r.started, r.schema = true, true
			r.todo, r.seen = []int{1}, map[int]bool{}
			r.page, r.ovf = make([]byte, r.db.pageSize), make([]byte, r.db.pageSize)
		}
		if len(r.todo) == 0 {
			if !r.schema || len(r.roots) == 0 {
				return 0, io.EOF
			}
			r.schema, r.todo, r.roots = false, r.roots, nil
		}
		n := r.todo[len(r.todo)-1]
		r.todo = r.todo[:len(r.todo)-1]
		if r.seen[n] {
			r.db.bad++ // two parents: a corrupt tree, read once
			continue
		}
		r.seen[n] = true
		r.out, r.off = r.out[:0], 0
		if err := r.db.page(n, r.page); err != nil {
			r.db.bad++
			continue
		}
		r.cells(n)
		if r.err != nil {
			return 0, r.err
		}
	}
	n := copy(p, r.out[r.off:])
	r.off += n
	return n, nil
}

// cells appends the records of page n of a b-tree, and queues its
// children.
func (r *sqliteRecords) cells(n int) {
	pg, db := r.page, r.db
	hdr := 0
	if n == 1 {
		hdr = 100
	}
	typ := pg[hdr]
	var table, leaf bool
	var maxLocal int
	switch typ {
	case 0x0d:
		table, leaf, maxLocal = true, true, db.usable-35
	case 0x05:
		table = true
	case 0x0a:
		leaf, maxLocal = true, (db.usable-12)*64/255-23
	case 0x02:
		maxLocal = (db.usable-12)*64/255 - 23
	default:
		db.bad++ // a root or child page that is no b-tree page
		return
	}
	ptrs := hdr + 8
	if !leaf {
		ptrs += 4
		r.child(binary.BigEndian.Uint32(pg[hdr+8:]))
	}
	ncells := int(binary.BigEndian.Uint16(pg[hdr+3:]))
	if ptrs+2*ncells > db.usable {
		db.bad++
		return
	}
	minLocal := (db.usable-12)*32/255 - 23
	for c := range ncells {
		at := int(binary.BigEndian.Uint16(pg[ptrs+2*c:]))
		if at < ptrs || at+4 > db.usable {
			db.bad++
			continue
		}
		if !leaf {
			r.child(binary.BigEndian.Uint32(pg[at:]))
			at += 4
			if table {
				continue // a rowid key: no value
			}
		}
		size, k := uvarint(pg[at:db.usable])
		if k == 0 || size > maxRecord {
			db.bad++
			continue
		}
		at += k
		if table {
			if _, k = uvarint(pg[at:db.usable]); k == 0 { // the rowid
				db.bad++
				continue
			}
			at += k
		}
		local := int(size)
		if local > maxLocal {
			local = minLocal + (int(size)-minLocal)%(db.usable-4)
			if local > maxLocal {
				local = minLocal
			}
		}
		if at+local > db.usable {
			db.bad++
			continue
		}
		pay, bounds, ok := r.payload(pg[at:at+local], int(size), at+local)
		if !ok || !r.record(pay, bounds) {
			db.bad++
		}
	}
}

// child queues a page of the tree being read.
func (r *sqliteRecords) child(pgno uint32) {
	if pgno == 0 || int64(pgno) > int64(r.db.pages) {
		r.db.bad++
		return
	}
	r.todo = append(r.todo, int(pgno))
}

// payload returns a cell's payload, following its overflow chain when it
// does not fit the page (the chain's first page number follows the local
// part), and the offsets in it where pages meet.
func (r *sqliteRecords) payload(local []byte, size, next int) ([]byte, []int, bool) {
	if len(local) == size {
		return local, nil, true
	}
	db := r.db
	if next+4 > db.usable {
		return nil, nil, false
	}
	r.pay = append(r.pay[:0], local...)
	var bounds []int
	pgno := int(binary.BigEndian.Uint32(r.page[next:]))
	for hops := 0; len(r.pay) < size; hops++ {
		if hops >= db.pages || r.db.page(pgno, r.ovf) != nil {
			return nil, nil, false // a loop or a page past the file's end
		}
		bounds = append(bounds, len(r.pay))
		chunk := r.ovf[4:db.usable]
		if err := r.b.add(len(chunk)); err != nil {
			r.err = err // cells whose chains add up to a bomb
			return nil, nil, false
		}
		r.pay = append(r.pay, chunk[:min(len(chunk), size-len(r.pay))]...)
		pgno = int(binary.BigEndian.Uint32(r.ovf))
	}
	return r.pay, bounds, true
}

// textSeam is how much of a text value is reread on each side of a page
// boundary: a grouped card number with its separators, and more.
const textSeam = 32

// record appends a record's values: integers, integral reals, and text
// around the page boundaries inside it (the rest of its text was read
// with the file's bytes). Other values show as "_", so that a column
// keeps its place on every line.
func (r *sqliteRecords) record(pay []byte, bounds []int) bool {
	hsize, k := uvarint(pay)
	if k == 0 || hsize > uint64(len(pay)) || int(hsize) < k {
		return false
	}
	hdr, body := pay[k:hsize], int(hsize)
	for col := 0; len(hdr) > 0; col++ {
		st, k := uvarint(hdr)
		if k == 0 {
			return false
		}
		hdr = hdr[k:]
		n := serialSize(st)
		if body+n > len(pay) {
			return false
		}
		v := pay[body : body+n]
		if col > 0 {
			r.out = append(r.out, '\t')
		}
		switch {
		case st >= 1 && st <= 6:
			x := int64(0)
			if v[0]&0x80 != 0 {
				x = -1 // sign-extended
			}
			for _, c := range v {
				x = x<<8 | int64(c)
			}
			r.out = strconv.AppendInt(r.out, x, 10)
			if r.schema && col == 3 && x > 0 { // sqlite_schema(type, name, tbl_name, rootpage, sql)
				r.roots = append(r.roots, int(min(x, math.MaxInt32)))
			}
		case st == 7:
			f := math.Float64frombits(binary.BigEndian.Uint64(v))
			if f == math.Trunc(f) && math.Abs(f) < 1e19 {
				r.out = strconv.AppendFloat(r.out, f, 'f', 0, 64)
			} else {
				r.out = append(r.out, '_')
			}
		case st >= 13 && st%2 == 1 && len(bounds) > 0:
			r.seams(v, body, bounds)
		default:
			r.out = append(r.out, '_')
		}
		body += n
	}
	r.out = append(r.out, '\n')
	return true
}

// seams appends the parts of text value v (at offset from in its payload)
// that straddle a page boundary, or "_".
func (r *sqliteRecords) seams(v []byte, from int, bounds []int) {
	wrote := false
	for _, b := range bounds {
		if b <= from || b >= from+len(v) {
			continue
		}
		lo, hi := max(0, b-from-textSeam), min(len(v), b-from+textSeam)
		if r.db.utf16 != nil {
			lo, hi = lo&^1, hi&^1
		}
		if wrote {
			r.out = append(r.out, ' ', '|', ' ')
		}
		r.out = r.text(r.out, v[lo:hi])
		wrote = true
	}
	if !wrote {
		r.out = append(r.out, '_')
	}
}

// text appends a text value in the database's encoding as UTF-8; tabs and
// line breaks as spaces, to keep a record on its line.
func (r *sqliteRecords) text(out, v []byte) []byte {
	if r.db.utf16 == nil {
		for _, c := range v {
			if c == '\t' || c == '\n' || c == '\r' {
				c = ' '
			}
			out = append(out, c)
		}
		return out
	}
	for i := 0; i+1 < len(v); i += 2 {
		c := rune(r.db.utf16.Uint16(v[i:]))
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			out = append(out, ' ')
		case c < 0x80:
			out = append(out, byte(c))
		default:
			out = append(out, '?')
		}
	}
	return out
}

// serialSize is the length of a value of serial type st.
func serialSize(st uint64) int {
	switch {
	case st <= 4:
		return int(st)
	case st == 5:
		return 6
	case st == 6 || st == 7:
		return 8
	case st < 12:
		return 0
	case st > 2*maxRecord+13:
		return maxRecord + 1 // past any payload: the caller sees it does not fit
	}
	return int(st-12) / 2
}

// uvarint reads a SQLite varint (big-endian, 7 bits a byte, the ninth
// byte whole); k is 0 when b ends first.
func uvarint(b []byte) (v uint64, k int) {
	for k = 0; k < 9 && k < len(b); k++ {
		if k == 8 {
			return v<<8 | uint64(b[k]), 9
		}
		v = v<<7 | uint64(b[k]&0x7f)
		if b[k]&0x80 == 0 {
			return v, k + 1
		}
	}
	return 0, 0
}
