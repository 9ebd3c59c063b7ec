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
}

// Skipped is a file not scanned, or not scanned whole, and why.
type Skipped struct {
	File    string `json:"file"`
	Reason  string `json:"reason"`
	Pattern string `json:"pattern,omitempty"` // excludes: the pattern that matched
}

// Report is the outcome of a scan. Findings are sorted by file, line and
// column; Skipped and Excluded by file.
type Report struct {
	FilesScanned int64     `json:"files_scanned"`
	BytesScanned int64     `json:"bytes_scanned"` // decompressed bytes for archives
	Findings     []Finding `json:"findings"`
	// Skipped is what could not be read, with the reason: while it is not
	// empty, no finding-free result proves anything.
	Skipped []Skipped `json:"skipped"`
	// Excluded is what the user left out on purpose, with their reason.
	Excluded []Skipped `json:"excluded"`
	// MaskedPANs are partly masked card numbers (PCI DSS 3.4.1), sorted
	// like Findings; the ones showing more than 6+4 digits are not compliant.
	// They reach checklists through the scan probe.
	MaskedPANs []MaskedPAN `json:"-"` // not in the scan JSON contract (yet)
}

// Complete reports whether everything not deliberately excluded was read.
func (r *Report) Complete() bool { return len(r.Skipped) == 0 }

// Live reports whether the scan found a real card number or a live secret.
func (r *Report) Live() bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Live })
}

// Paths scans files and folders. Folders are walked (see package walk:
// links stay inside the roots, only regular files are read); archives and
// compressed files are opened, text in other encodings decoded, printable
// runs of binary files scanned. A path that does not exist is an error;
// whatever could not be read is reported in Skipped. Findings name files
// as the argument spells them, joined with the path below it, and names
// holding a card number or a secret are masked.
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
	rules := packs.SecretMatcher()

	g, ctx := errgroup.WithContext(ctx)
	jobs := make(chan walk.File, 4*workers)
	var skips []walk.Skip
	g.Go(func() error {
		defer close(jobs)
		var err error
		skips, err = walk.Walk(ctx, paths, walk.Options{Base: opt.Base, Exclude: opt.Exclude}, func(f walk.File) error {
			select {
			case jobs <- f:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		return err
	})
	parts := make([]Report, workers)
	streamers := make([]*streamer, workers)
	for i := range parts {
		streamers[i] = newStreamer(lim, rules)
		g.Go(func() error {
			for j := range jobs {
				if err := streamers[i].file(ctx, j, &parts[i]); err != nil {
					return err
				}
				if opt.Progress != nil {
					opt.Progress(j.Size)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	r := &Report{Skipped: []Skipped{}, Excluded: []Skipped{}}
	for _, sk := range skips {
		s := Skipped{File: Redact(sk.Name), Reason: sk.Reason}
		if !sk.Gap {
			s.Pattern = sk.Pattern
			r.Excluded = append(r.Excluded, s)
			continue
		}
		r.Skipped = append(r.Skipped, s)
	}
	for _, p := range parts {
		r.FilesScanned += p.FilesScanned
		r.BytesScanned += p.BytesScanned
		r.Skipped = append(r.Skipped, p.Skipped...)
	}
	r.collect(streamers)
	slices.SortStableFunc(r.Skipped, func(a, b Skipped) int { return strings.Compare(a.File, b.File) })
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
