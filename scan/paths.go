// Package scan finds card numbers (PANs) and secrets in files: the
// discovery behind `audit scan` and the scan probe. It reads at disk speed
// with a byte-class scanner (no regular expressions), validates every
// candidate (brand prefix, length, Luhn) and keeps only masked values.
package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/audit-tool/audit/pack"
	"github.com/audit-tool/audit/walk"
	"golang.org/x/sync/errgroup"
)

// Options tune a scan.
type Options struct {
	// Base is the folder excludes are relative to (the integration
	// file's); "" is the working directory.
	Base string
	// Exclude leaves paths out deliberately, each with its reason, which
	// every report shows.
	Exclude []walk.Exclude
	// Workers is how many files are scanned at once; 0 means one per CPU.
	Workers int
	// Limits bound what one file may expand to; zero fields take defaults.
	Limits Limits
	// Packs give the credential formats to find (nil: the built-in packs).
	Packs *pack.Set
	// Progress, when set, is told the size of each file once it is
	// scanned; several workers may call it at once (audit scan's bar).
	Progress func(size int64)
	// SpillDir is where findings are kept until the report is read, once
	// they are many ("": the system's temporary folder).
	SpillDir string
	// SplitSize is the chunk size plain text files over twice as large are
	// split into, for all workers to scan one big file (0: 16 MiB; < 0:
	// never split).
	SplitSize int64
}

// Skipped is a file not scanned, or not scanned whole, and why.
type Skipped struct {
	File    string `json:"file"`
	Reason  string `json:"reason"`
	Pattern string `json:"pattern,omitempty"` // excludes: the pattern that matched
}

// Paths scans files and folders. Folders are walked (see package walk:
// links stay inside the roots, only regular files are read); archives and
// compressed files are opened, text in other encodings decoded, printable
// runs of binary files scanned. A path that does not exist is an error;
// whatever could not be read is reported in Skipped. Findings name files
// as the argument spells them, joined with the path below it, and names
// holding a card number or a secret are masked.
//
// When ctx ends first, the report of what was read comes with the error,
// everything else listed in Skipped. The caller closes the report.
func Paths(ctx context.Context, paths []string, opt Options) (*Report, error) {
	if len(paths) == 0 {
		return nil, errors.New("no path to scan")
	}
	if err := walk.Validate(opt.Exclude); err != nil {
		return nil, err
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	lim := opt.Limits.withDefaults()
	packs := opt.Packs
	if packs == nil {
		packs = pack.Builtin()
	}
	c := &crew{lim: lim, packs: packs, dir: opt.SpillDir, workers: workers, splitSize: opt.SplitSize}
	if c.splitSize == 0 {
		c.splitSize = defaultSplit
	}
	g, gctx := errgroup.WithContext(ctx)
	jobs := make(chan walk.File, 4*workers)
	var skips []walk.Skip
	walked := false
	g.Go(func() error {
		defer close(jobs)
		var err error
		skips, err = walk.Walk(gctx, paths, walk.Options{Base: opt.Base, Exclude: opt.Exclude}, func(f walk.File) error {
			select {
			case jobs <- f:
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		})
		if err != nil && ctx.Err() != nil {
			return nil // the scan stopped: Skipped says what was not read
		}
		walked = err == nil
		return err
	})
	parts := make([]Report, workers)
	for i := range parts {
		s := c.get()
		g.Go(func() error {
			// Once the scan stops, what is left is listed as not read.
			for j := range jobs {
				if ctx.Err() != nil {
					parts[i].Skipped = append(parts[i].Skipped, Skipped{File: Redact(j.Name), Reason: stopped(ctx)})
					continue
				}
				if err := s.file(gctx, j, &parts[i]); err != nil {
					parts[i].Skipped = append(parts[i].Skipped, Skipped{File: Redact(j.Name), Reason: "read in part: " + stopped(ctx)})
				}
				if opt.Progress != nil {
					opt.Progress(j.Size)
				}
			}
			return nil
		})
	}
	err := g.Wait()
	r := &Report{Skipped: []Skipped{}, Excluded: []Skipped{}}
	r.collect(c.all)
	if err != nil {
		r.Close()
		return nil, err
	}
	for _, sk := range skips {
		s := Skipped{File: Redact(sk.Name), Reason: sk.Reason}
		if !sk.Gap {
			s.Pattern = sk.Pattern
			r.Excluded = append(r.Excluded, s)
			continue
		}
		r.Skipped = append(r.Skipped, s)
	}
	if !walked {
		for _, p := range paths {
			r.Skipped = append(r.Skipped, Skipped{File: Redact(filepath.ToSlash(p)), Reason: "not walked to its end: " + stopped(ctx)})
		}
	}
	for _, p := range parts {
		r.FilesScanned += p.FilesScanned
		r.BytesScanned += p.BytesScanned
		r.Skipped = append(r.Skipped, p.Skipped...)
	}
	slices.SortStableFunc(r.Skipped, func(a, b Skipped) int { return strings.Compare(a.File, b.File) })
	if err := ctx.Err(); err != nil {
		return r, fmt.Errorf("scan stopped: %w", err)
	}
	return r, nil
}

// stopped says why a scan stopped.
func stopped(ctx context.Context) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "the scan's time limit was reached"
	}
	return "the scan was interrupted"
}

// crew hands out streamers: one per worker, and helpers for the chunks
// of a split file. All of them hold findings until the report is read.
type crew struct {
	lim       Limits
	packs     *pack.Set
	dir       string
	workers   int
	splitSize int64

	mu   sync.Mutex
	all  []*streamer
	idle []*streamer
}

func (c *crew) get() *streamer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := len(c.idle); n > 0 {
		s := c.idle[n-1]
		c.idle = c.idle[:n-1]
		return s
	}
	s := newStreamer(c.lim, c.packs)
	s.crew, s.spill.dir = c, c.dir
	c.all = append(c.all, s)
	return s
}

func (c *crew) put(s *streamer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.idle = append(c.idle, s)
}
