package reports

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/audit-tool/audit/scan"
)

// Format is one output format, of a run and, when Scan is set, of a scan.
type Format struct {
	Name string
	// File is the name a run's report is written to under --out; ScanFile a
	// scan's.
	File, ScanFile string
	// Render writes a run's result. Color only applies to terminal formats.
	Render func(w io.Writer, r *Result, opt Options) error
	// Stdout formats go to stdout even with --out: the table people read,
	// the annotations GitHub's runner reads there.
	Stdout bool
	// Binary formats are refused on a terminal, where they would only
	// garble the screen.
	Binary bool
	// Scan writes a scan report; nil when the format has none.
	Scan func(w io.Writer, r *scan.Report, opt Options) error
}

// Options tune rendering.
type Options struct {
	// Color enables ANSI colour in the table (a terminal without NO_COLOR).
	Color bool
	// Quiet shrinks the table to its verdict line.
	Quiet bool
	// Width is the terminal's width in cells for the table (0: DefaultWidth).
	Width int
	// Lang is the report language: en (default), fr or de.
	Lang string
	// Version is the tool's version, and Folder the working folder relative
	// to the repository root (scan paths are relative to it), for inputs
	// that do not carry them: a scan report.
	Version, Folder string
	// CJKFonts are the TrueType files the PDF tries, in order, for
	// Chinese, Japanese and Korean text (nil: DefaultCJKFonts).
	CJKFonts []string
	// Warn hears what a render could not do (CJK text with no CJK font);
	// nil: nobody.
	Warn func(msg string)
}

func formats() map[string]Format {
	return map[string]Format{
		"table":    {Name: "table", Stdout: true, File: "audit.txt", Render: Table, ScanFile: "scan.txt", Scan: ScanTable},
		"json":     {Name: "json", File: "audit.json", Render: JSON, ScanFile: "scan.json", Scan: ScanJSON},
		"junit":    {Name: "junit", File: "audit.junit.xml", Render: JUnit},
		"sarif":    {Name: "sarif", File: "audit.sarif", Render: SARIF, ScanFile: "scan.sarif", Scan: ScanSARIF},
		"markdown": {Name: "markdown", File: "audit.md", Render: Markdown},
		"pdf":      {Name: "pdf", File: "audit.pdf", Binary: true, Render: PDF},
		"github":   {Name: "github", Stdout: true, Render: GitHub, Scan: ScanGitHub},
	}
}

// Lookup finds a format by name.
func Lookup(name string) (Format, bool) {
	f, ok := formats()[name]
	return f, ok
}

// FormatNames lists the formats of a run, sorted.
func FormatNames() []string { return names(func(Format) bool { return true }) }

// ScanFormatNames lists the formats of a scan, sorted.
func ScanFormatNames() []string { return names(func(f Format) bool { return f.Scan != nil }) }

func names(keep func(Format) bool) []string {
	var out []string
	for n, f := range formats() {
		if keep(f) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// ParseFormats splits a comma-separated --format value of a run and checks
// each name.
func ParseFormats(list string) ([]Format, error) { return parse(list, FormatNames()) }

// ParseScanFormats is ParseFormats for `audit scan`.
func ParseScanFormats(list string) ([]Format, error) { return parse(list, ScanFormatNames()) }

func parse(list string, known []string) ([]Format, error) {
	var out []Format
	seen := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" || seen[name] {
			continue
		}
		f, ok := Lookup(name)
		if !ok || !slices.Contains(known, name) {
			return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(known, ", "))
		}
		seen[name] = true
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no format given (known: %s)", strings.Join(known, ", "))
	}
	return out, nil
}

// ReportFiles are the file names a run's reports may have under --out,
// and ScanFiles a scan's: the names WriteFiles clears of an earlier run.
func ReportFiles() []string { return files(func(f Format) string { return f.File }) }

// ScanFiles is ReportFiles for `audit scan`.
func ScanFiles() []string {
	return files(func(f Format) string {
		if f.Scan == nil {
			return ""
		}
		return f.ScanFile
	})
}

func files(name func(Format) string) []string {
	var out []string
	for _, f := range formats() {
		if n := name(f); n != "" && !f.Stdout {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
