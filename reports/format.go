package reports

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Format is one output format of a run.
type Format struct {
	Name string
	// File is the name the format is written to under --out.
	File string
	// Render writes r. Color only applies to terminal formats.
	Render func(w io.Writer, r *Result, opt Options) error
}

// Options tune rendering.
type Options struct {
	// Color enables ANSI colour in the table (a terminal without NO_COLOR).
	Color bool
}

func formats() map[string]Format {
	return map[string]Format{
		"table":    {Name: "table", File: "audit.txt", Render: Table},
		"json":     {Name: "json", File: "audit.json", Render: JSON},
		"junit":    {Name: "junit", File: "audit.junit.xml", Render: JUnit},
		"sarif":    {Name: "sarif", File: "audit.sarif", Render: SARIF},
		"markdown": {Name: "markdown", File: "audit.md", Render: Markdown},
		"pdf":      {Name: "pdf", File: "audit.pdf", Render: PDF},
	}
}

// Lookup finds a format by name.
func Lookup(name string) (Format, bool) {
	f, ok := formats()[name]
	return f, ok
}

// FormatNames lists the formats, sorted.
func FormatNames() []string {
	var names []string
	for n := range formats() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ParseFormats splits a comma-separated --format value and checks each name.
func ParseFormats(list string) ([]Format, error) {
	var out []Format
	seen := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" || seen[name] {
			continue
		}
		f, ok := Lookup(name)
		if !ok {
			return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(FormatNames(), ", "))
		}
		seen[name] = true
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no format given (known: %s)", strings.Join(FormatNames(), ", "))
	}
	return out, nil
}

// WriteFile writes path atomically: a reader sees the old file or the whole
// new one, never a torn report.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
