package scan

import (
	"context"
	"io"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// defaultSplit is the chunk size of a split file: the overlap read on
// either side of a chunk (64 KiB) then costs under 1 %.
const defaultSplit = 16 << 20

// splitFile is what the chunks of one split file say of their lines, so
// that their findings' lines and columns, counted from the chunk's start,
// are told from the file's.
type splitFile struct {
	size   int64   // of a chunk
	chunks []lines // lastNL from the start of the file's text
	once   sync.Once
	base   []int   // newlines before each chunk
	prevNL []int64 // the last newline before each chunk, or -1
}

// place turns a position in chunk into one in the file. Read once every
// chunk is done.
func (sp *splitFile) place(chunk, line, column int) (int, int) {
	sp.once.Do(func() {
		sp.base, sp.prevNL = make([]int, len(sp.chunks)), make([]int64, len(sp.chunks))
		nl, prev := 0, int64(-1)
		for k, c := range sp.chunks {
			sp.base[k], sp.prevNL[k] = nl, prev
			nl += c.count
			if c.lastNL >= 0 {
				prev = c.lastNL
			}
		}
	})
	if line == 1 { // the column counts from the chunk's start
		column += int(int64(chunk)*sp.size - 1 - sp.prevNL[chunk])
	}
	return line + sp.base[chunk], column
}

// splits reports whether a plain text file of size bytes is split.
func (s *streamer) splits(size int64) bool {
	return s.crew != nil && s.crew.splitSize > 0 && size >= 2*s.crew.splitSize
}

// split scans the text of a file on disk, from offset from (past a BOM)
// to size, in chunks scanned by every worker free to: s and helpers from
// the crew. Each chunk is read with overlap bytes on either side, more
// than any finding spans, and keeps only the findings that start in it:
// none is lost at a boundary, none reported twice.
func (s *streamer) split(ctx context.Context, u *unit, at io.ReaderAt, from, size int64, name string) error {
	c := s.crew
	n := int((size - from + c.splitSize - 1) / c.splitSize)
	sp := &splitFile{size: c.splitSize, chunks: make([]lines, n)}
	var next, read atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	work := func(st *streamer) error {
		for {
			k := int(next.Add(1) - 1)
			if k >= n {
				return nil
			}
			start := from + int64(k)*c.splitSize
			end := min(size, start+c.splitSize)
			lo, hi := max(from, start-overlap), min(size, end+overlap)
			_, ls, err := st.region(ctx, io.NewSectionReader(at, lo, hi-lo), name, region{from: start - lo, to: end - lo, at: lo}, sp, k)
			if err != nil {
				return err
			}
			if ls.lastNL >= 0 {
				ls.lastNL += lo - from
			}
			sp.chunks[k] = ls
			read.Add(end - start)
		}
	}
	for range min(c.workers, n) - 1 {
		h := c.get()
		g.Go(func() error {
			defer c.put(h)
			return work(h)
		})
	}
	g.Go(func() error { return work(s) })
	err := g.Wait()
	u.rep.BytesScanned += read.Load()
	return err
}
