package scan

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// spillMem is how many bytes of encoded findings a worker keeps in memory
// before it moves them to a temporary file: a tree full of card numbers
// then costs disk, not memory.
const spillMem = 1 << 20

// spill is a worker's findings, encoded one after the other: in memory
// while they are few, in a temporary file (created in dir) past spillMem.
// It holds masked values only, like everything the scanner keeps.
type spill struct {
	dir      string
	f        *os.File
	mem      []byte
	size     int64 // bytes written, file and memory
	unlinked bool
	err      error // the first write error: reading then fails with it
}

func (s *spill) write(b []byte) {
	s.mem = append(s.mem, b...)
	s.size += int64(len(b))
	if len(s.mem) >= spillMem {
		s.flush()
	}
}

// flush moves what is in memory to the file.
func (s *spill) flush() {
	if s.err != nil {
		s.mem = s.mem[:0]
		return
	}
	if s.f == nil {
		f, err := os.CreateTemp(s.dir, "audit-scan-findings-*")
		if err != nil {
			s.err = fmt.Errorf("findings spill: %w", err)
			return
		}
		s.f = f
		// Unlinked at once where the system allows it (an open file
		// lives on): nothing is left behind if the process dies.
		s.unlinked = os.Remove(f.Name()) == nil
	}
	if _, err := s.f.Write(s.mem); err != nil {
		s.err = fmt.Errorf("findings spill: %w", err)
	}
	s.mem = s.mem[:0]
}

// done is called once nothing more is written: the tail goes to the file
// when there is one, so that reads need not look in two places.
func (s *spill) done() {
	if s.f != nil && len(s.mem) > 0 {
		s.flush()
	}
}

// section reads the bytes [from, to) written.
func (s *spill) section(from, to int64) (*bufio.Reader, error) {
	if s.err != nil {
		return nil, s.err
	}
	var r io.Reader
	if s.f == nil {
		r = bytes.NewReader(s.mem[from:to])
	} else {
		r = io.NewSectionReader(s.f, from, to-from)
	}
	return bufio.NewReaderSize(r, 16<<10), nil
}

// close removes the file.
func (s *spill) close() error {
	s.mem = nil
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if !s.unlinked {
		err = errors.Join(err, os.Remove(s.f.Name()))
	}
	s.f = nil
	return err
}

// entry is a finding as the spill holds it. Labels (types, brands, kinds)
// are indexes in the streamer's interned labels.
type entry struct {
	line, column     int
	typ, brand, kind int
	test, live       bool
	first, last      int // masked pans: visible digits
	masked           string
}

func appendEntry(b []byte, e entry) []byte {
	b = binary.AppendUvarint(b, uint64(e.line))
	b = binary.AppendUvarint(b, uint64(e.column))
	b = binary.AppendUvarint(b, uint64(e.typ))
	b = binary.AppendUvarint(b, uint64(e.brand))
	b = binary.AppendUvarint(b, uint64(e.kind))
	var flags byte
	if e.test {
		flags |= 1
	}
	if e.live {
		flags |= 2
	}
	b = append(b, flags, byte(e.first), byte(e.last))
	b = binary.AppendUvarint(b, uint64(len(e.masked)))
	return append(b, e.masked...)
}

// readEntry decodes the next entry of r, or returns io.EOF at its end.
// masked is a scratch buffer.
func readEntry(r *bufio.Reader, masked *[]byte) (entry, error) {
	// Entries are a few dozen bytes, read back by the hundred thousand: one
	// held whole in r's buffer is decoded there.
	if b, _ := r.Peek(quickEntry); len(b) > 0 {
		if e, n := decodeEntry(b); n > 0 {
			_, _ = r.Discard(n) // n bytes are buffered
			return e, nil
		}
	}
	var v [5]uint64
	for i := range v {
		x, err := binary.ReadUvarint(r)
		if err == io.EOF && i == 0 {
			return entry{}, io.EOF
		}
		if err != nil {
			return entry{}, corrupt(err)
		}
		v[i] = x
	}
	var fl [3]byte
	if _, err := io.ReadFull(r, fl[:]); err != nil {
		return entry{}, corrupt(err)
	}
	n, err := binary.ReadUvarint(r)
	if err != nil || n > 1<<16 {
		return entry{}, corrupt(err)
	}
	*masked = slices.Grow((*masked)[:0], int(n))[:n]
	if _, err := io.ReadFull(r, *masked); err != nil {
		return entry{}, corrupt(err)
	}
	return entry{
		line: int(v[0]), column: int(v[1]), typ: int(v[2]), brand: int(v[3]), kind: int(v[4]),
		test: fl[0]&1 != 0, live: fl[0]&2 != 0, first: int(fl[1]), last: int(fl[2]), masked: string(*masked),
	}, nil
}

// quickEntry is how many bytes readEntry looks at to decode an entry in
// place; a longer one (a long PEM header) is read piece by piece.
const quickEntry = 128

// decodeEntry decodes the entry at the start of b and returns it with its
// length, or 0 when b does not hold it all.
func decodeEntry(b []byte) (entry, int) {
	p := 0
	uvarint := func() (int, bool) {
		x, n := binary.Uvarint(b[p:])
		p += max(n, 0)
		return int(x), n > 0 && x <= 1<<62
	}
	var v [5]int
	for i := range v {
		x, ok := uvarint()
		if !ok {
			return entry{}, 0
		}
		v[i] = x
	}
	if len(b)-p < 3 {
		return entry{}, 0
	}
	fl := b[p : p+3]
	p += 3
	n, ok := uvarint()
	if !ok || n > len(b)-p {
		return entry{}, 0
	}
	return entry{
		line: v[0], column: v[1], typ: v[2], brand: v[3], kind: v[4],
		test: fl[0]&1 != 0, live: fl[0]&2 != 0, first: int(fl[1]), last: int(fl[2]), masked: string(b[p : p+n]),
	}, p + n
}

func corrupt(err error) error {
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("findings spill: %w", err)
}
