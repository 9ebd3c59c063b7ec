// Package scan finds card numbers (PANs) and secrets in files: the
// discovery behind `audit scan` and the scan probe. It reads at disk speed
// with a byte-class scanner (no regular expressions), validates every
// candidate (brand prefix, length, Luhn) and keeps only masked values.
package scan

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Options tune a scan.
type Options struct {
	// Exclude holds globs (path.Match syntax, plus "**" for any number of
	// folders). A glob without "/" matches a file or folder name at any
	// depth ("*.min.js", "node_modules"); one with "/" matches the path
	// below the scanned argument ("vendor/**/*.go").
	Exclude []string
	// Workers is how many files are scanned at once; 0 means one per CPU.
	Workers int
}

// Skipped is a file not scanned, or not scanned whole, and why.
type Skipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Report is the outcome of a scan. Findings are sorted by file, line and
// column; Skipped by file.
type Report struct {
	FilesScanned int64     `json:"files_scanned"`
	BytesScanned int64     `json:"bytes_scanned"` // decompressed bytes for archives
	Findings     []Finding `json:"findings"`
	Skipped      []Skipped `json:"skipped"`
	// MaskedPANs are partly masked card numbers (PCI DSS 3.4.1), sorted
	// like Findings; the ones showing more than 6+4 digits are not compliant.
	// They reach checklists through the scan probe.
	MaskedPANs []MaskedPAN `json:"-"` // not in the scan JSON contract (yet)
}

// Live reports whether the scan found a real card number or a live secret.
func (r *Report) Live() bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Live })
}

// job is one file to scan: where it is and how findings name it.
type job struct {
	path, name string
}

// Paths scans files and folders. Folders are walked (symbolic links are
// followed, loops detected); binary files are skipped; .gz files and .zip
// members are decompressed and scanned. A path that does not exist is an
// error; a file that cannot be read is reported in Skipped. Findings name
// files as the argument spells them, joined with the path below it.
func Paths(ctx context.Context, paths []string, opt Options) (*Report, error) {
	if len(paths) == 0 {
		return nil, errors.New("no path to scan")
	}
	for _, p := range opt.Exclude {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("exclude %q: %w", p, err)
		}
	}
	roots := make([]os.FileInfo, len(paths))
	for i, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		roots[i] = fi
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	g, ctx := errgroup.WithContext(ctx)
	jobs := make(chan job, 4*workers)
	w := &walker{exclude: opt.Exclude, jobs: jobs}
	g.Go(func() error {
		defer close(jobs)
		for i, p := range paths {
			if err := w.root(ctx, p, roots[i]); err != nil {
				return err
			}
		}
		return nil
	})
	parts := make([]Report, workers)
	streamers := make([]*streamer, workers)
	for i := range parts {
		streamers[i] = newStreamer()
		g.Go(func() error {
			for j := range jobs {
				if err := streamers[i].file(ctx, j, &parts[i]); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	r := &Report{Skipped: w.skipped}
	for _, p := range parts {
		r.FilesScanned += p.FilesScanned
		r.BytesScanned += p.BytesScanned
		r.Skipped = append(r.Skipped, p.Skipped...)
	}
	r.collect(streamers)
	slices.SortStableFunc(r.Skipped, func(a, b Skipped) int { return strings.Compare(a.File, b.File) })
	if r.Skipped == nil {
		r.Skipped = []Skipped{}
	}
	return r, nil
}

// collect builds Findings and MaskedPANs from what the workers found,
// sorted by file. Each group of findings (one file or archive member) is in
// position order already, so only groups are sorted, and the workers then
// fill their groups' places in parallel: a tree can hold hundreds of
// thousands of findings.
func (r *Report) collect(ss []*streamer) {
	type ref struct {
		s      *streamer
		g      group
		at, am int // where the group's findings and masked pans go
	}
	var refs []ref
	for _, s := range ss {
		for _, g := range s.groups {
			refs = append(refs, ref{s: s, g: g})
		}
	}
	slices.SortStableFunc(refs, func(a, b ref) int { return strings.Compare(a.g.name, b.g.name) })
	var total, masked int
	for i := range refs {
		refs[i].at, refs[i].am = total, masked
		total += refs[i].g.to - refs[i].g.from - refs[i].g.masked
		masked += refs[i].g.masked
	}
	r.Findings = make([]Finding, total)
	if masked > 0 {
		r.MaskedPANs = make([]MaskedPAN, masked)
	}
	var wg sync.WaitGroup
	for _, s := range ss {
		wg.Go(func() {
			text := s.text.strings() // the findings of s share them
			for _, rf := range refs {
				if rf.s != s {
					continue
				}
				at, am := rf.at, rf.am
				for i := rf.g.from; i < rf.g.to; i++ {
					c := s.recs.at(i)
					typ := s.labels[c.typ]
					off := c.text % blockLen
					m := text[c.text/blockLen][off : off+c.textLen]
					if typ == TypeMaskedPAN {
						r.MaskedPANs[am] = MaskedPAN{
							Brand: s.labels[c.brand], Masked: m, VisibleFirst: int(c.first), VisibleLast: int(c.last),
							Compliant: !c.live, File: rf.g.name, Line: c.line, Column: c.column,
						}
						am++
						continue
					}
					r.Findings[at] = Finding{
						Type: typ, Brand: s.labels[c.brand], Kind: s.labels[c.kind], Masked: m,
						TestCard: c.test, Live: c.live, File: rf.g.name, Line: c.line, Column: c.column,
					}
					at++
				}
			}
		})
	}
	wg.Wait()
	// A file named twice (two arguments reaching it): merge by position.
	for i := 0; i < len(refs); {
		j := i + 1
		for j < len(refs) && refs[j].g.name == refs[i].g.name {
			j++
		}
		if j-i > 1 {
			endF, endM := total, masked
			if j < len(refs) {
				endF, endM = refs[j].at, refs[j].am
			}
			slices.SortStableFunc(r.Findings[refs[i].at:endF], func(a, b Finding) int { return byPosition(a.Line, a.Column, b.Line, b.Column) })
			slices.SortStableFunc(r.MaskedPANs[refs[i].am:endM], func(a, b MaskedPAN) int { return byPosition(a.Line, a.Column, b.Line, b.Column) })
		}
		i = j
	}
}

func byPosition(line1, col1, line2, col2 int) int {
	if line1 != line2 {
		return line1 - line2
	}
	return col1 - col2
}

// walker lists files in a deterministic order and records what it skips.
type walker struct {
	exclude []string
	jobs    chan<- job
	skipped []Skipped
}

func (w *walker) skip(name, reason string) {
	w.skipped = append(w.skipped, Skipped{File: name, Reason: reason})
}

func (w *walker) root(ctx context.Context, p string, fi os.FileInfo) error {
	name := filepath.ToSlash(filepath.Clean(p))
	if !fi.IsDir() {
		if w.excluded(path.Base(name), path.Base(name)) {
			return nil
		}
		return w.file(ctx, p, name, fi.Mode())
	}
	return w.dir(ctx, p, name, "", []os.FileInfo{fi})
}

// dir walks folder p, named name, rel below the root; ancestors are the
// folders above it, to detect symbolic-link loops.
func (w *walker) dir(ctx context.Context, p, name, rel string, ancestors []os.FileInfo) error {
	entries, err := os.ReadDir(p)
	if err != nil {
		w.skip(name, reason(err)) // entries read before the error are still walked
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		childRel := path.Join(rel, e.Name())
		if w.excluded(childRel, e.Name()) {
			continue
		}
		child := filepath.Join(p, e.Name())
		childName := path.Join(name, e.Name())
		mode := e.Type()
		var fi os.FileInfo
		if mode&fs.ModeSymlink != 0 {
			fi, err = os.Stat(child)
			if err != nil {
				w.skip(childName, "broken symbolic link")
				continue
			}
			mode = fi.Mode().Type()
		}
		if mode.IsDir() {
			if fi == nil {
				if fi, err = e.Info(); err != nil {
					w.skip(childName, reason(err))
					continue
				}
			}
			if slices.ContainsFunc(ancestors, func(a os.FileInfo) bool { return os.SameFile(a, fi) }) {
				w.skip(childName, "symbolic link loop")
				continue
			}
			if err := w.dir(ctx, child, childName, childRel, append(ancestors[:len(ancestors):len(ancestors)], fi)); err != nil {
				return err
			}
			continue
		}
		if err := w.file(ctx, child, childName, mode); err != nil {
			return err
		}
	}
	return nil
}

func (w *walker) file(ctx context.Context, p, name string, mode fs.FileMode) error {
	if !mode.IsRegular() { // a FIFO would block, a device never end
		w.skip(name, "not a regular file")
		return nil
	}
	select {
	case w.jobs <- job{path: p, name: name}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// excluded reports whether rel (slash path below the root) or its base
// name matches an exclude glob.
func (w *walker) excluded(rel, base string) bool {
	for _, g := range w.exclude {
		if !strings.Contains(g, "/") {
			if ok, _ := path.Match(g, base); ok {
				return true
			}
			continue
		}
		g = strings.Trim(g, "/") // "/x" anchors x at the root
		if matchGlob(strings.Split(g, "/"), strings.Split(rel, "/")) {
			return true
		}
	}
	return false
}

// matchGlob matches path segments against glob segments, "**" standing
// for any number of segments.
func matchGlob(glob, segs []string) bool {
	for len(glob) > 0 {
		if glob[0] == "**" {
			for i := 0; i <= len(segs); i++ {
				if matchGlob(glob[1:], segs[i:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(glob[0], segs[0]); !ok {
			return false
		}
		glob, segs = glob[1:], segs[1:]
	}
	return len(segs) == 0
}

// reason is the short text of a file error, without the path Skipped
// already names.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrPermission) {
		return "permission denied"
	}
	return err.Error()
}

// file scans one file into r, opening archives. Only a cancelled context
// is an error; everything else is recorded in r.Skipped.
func (s *streamer) file(ctx context.Context, j job, r *Report) error {
	f, err := os.Open(j.path)
	if err != nil {
		r.Skipped = append(r.Skipped, Skipped{File: j.name, Reason: reason(err)})
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		r.Skipped = append(r.Skipped, Skipped{File: j.name, Reason: reason(err)})
		return nil
	}
	var magic [4]byte
	k, _ := io.ReadFull(f, magic[:])
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		r.Skipped = append(r.Skipped, Skipped{File: j.name, Reason: reason(err)})
		return nil
	}
	if isZip(magic[:k]) {
		r.FilesScanned++
		return s.zip(ctx, f, fi.Size(), j.name, r)
	}
	n, err := s.stream(ctx, f, j.name, r)
	if !errors.Is(err, errBinary) {
		r.FilesScanned++
	}
	if err == nil && fi.Size() > 0 && !isGzip(magic[:k]) && n < fi.Size() {
		err = fmt.Errorf("changed while read: %d of %d bytes read", n, fi.Size())
	}
	return s.record(ctx, j.name, err, r)
}

// stream scans r, decompressing gzip; it returns the bytes read from r
// before decompression, so a shrinking file can be told.
func (s *streamer) stream(ctx context.Context, r io.Reader, name string, rep *Report) (int64, error) {
	cr := &countingReader{r: r}
	br := bufio.NewReader(cr)
	magic, _ := br.Peek(4)
	var src io.Reader = br
	switch {
	case isGzip(magic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return cr.n, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		src = zr
	case isZip(magic):
		return cr.n, errors.New("zip archive inside an archive: not scanned")
	}
	n, err := s.scan(ctx, src, name)
	rep.BytesScanned += n
	return cr.n, err
}

// zip scans each member of a zip archive as "archive!member".
func (s *streamer) zip(ctx context.Context, f io.ReaderAt, size int64, name string, r *Report) error {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		r.Skipped = append(r.Skipped, Skipped{File: name, Reason: "zip: " + reason(err)})
		return nil
	}
	for _, m := range zr.File {
		if m.FileInfo().IsDir() {
			continue
		}
		member := name + "!" + m.Name
		rc, err := m.Open()
		if err != nil {
			r.Skipped = append(r.Skipped, Skipped{File: member, Reason: "zip: " + reason(err)})
			continue
		}
		_, err = s.stream(ctx, rc, member, r)
		rc.Close()
		if err := s.record(ctx, member, err, r); err != nil {
			return err
		}
	}
	return nil
}

// record turns a scan error into a Skipped entry; only cancellation stops
// the scan.
func (s *streamer) record(ctx context.Context, name string, err error, r *Report) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	default:
		r.Skipped = append(r.Skipped, Skipped{File: name, Reason: reason(err)})
		return nil
	}
}

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

func isZip(b []byte) bool {
	return len(b) >= 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 && b[3] == 4 || b[2] == 5 && b[3] == 6)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
