package checklist

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/audit-tool/audit/internal/input"
	"github.com/audit-tool/audit/scan"
)

// Parser reads checklist and integration files and keeps every file it read,
// so diagnostics can show source snippets.
type Parser struct {
	p       *hclparse.Parser
	adopted map[string]*hcl.File // built-ins parsed once by a Library
}

// NewParser returns an empty parser.
func NewParser() *Parser {
	return &Parser{p: hclparse.NewParser()}
}

// Files returns the parsed files by name, for hcl.NewDiagnosticTextWriter.
func (p *Parser) Files() map[string]*hcl.File {
	if len(p.adopted) == 0 {
		return p.p.Files()
	}
	files := map[string]*hcl.File{}
	for name, f := range p.p.Files() {
		files[name] = f
	}
	for name, f := range p.adopted {
		files[name] = f
	}
	return files
}

// adopt makes a file parsed elsewhere one of p's, for diagnostics.
func (p *Parser) adopt(filename string, f *hcl.File) {
	if p.adopted == nil {
		p.adopted = map[string]*hcl.File{}
	}
	p.adopted[filename] = f
}

// WriteDiagnostics writes diags with source snippets; width 0 means no
// wrapping.
func (p *Parser) WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, width uint, color bool) error {
	files := map[string]*hcl.File{}
	for name, f := range p.Files() {
		files[name] = f
	}
	// Probe kinds that validate their own input (a merchant profile) report
	// ranges in files this parser never read: load them for the snippet,
	// but only when they are HCL files by name. A merchant_file naming
	// /etc/shadow must not have its first line quoted.
	for _, d := range diags {
		if d.Subject == nil || files[d.Subject.Filename] != nil || !strings.HasSuffix(d.Subject.Filename, ".hcl") {
			continue
		}
		if src, err := input.ReadFile(d.Subject.Filename, input.MaxHCL); err == nil {
			files[d.Subject.Filename] = &hcl.File{Bytes: src}
		}
	}
	// Each diagnostic is written to buf, then out with its first line in the
	// compilers' form.
	var buf bytes.Buffer
	full := hcl.NewDiagnosticTextWriter(&buf, files, width, color)
	bare := hcl.NewDiagnosticTextWriter(&buf, nil, width, color)
	for i, d := range diags {
		if i == maxShown {
			_, err := fmt.Fprintf(w, "… and %d more diagnostic(s): fix these first.\n\n", len(diags)-i)
			return err
		}
		wr := full
		if d.Subject != nil && files[d.Subject.Filename] != nil && !snippetOK(files[d.Subject.Filename].Bytes, d.Subject.Start.Byte) {
			wr = bare // its file and line say where
		}
		if name, ok := escapedName(d); ok {
			// A file named with a newline or ESC must not forge lines.
			wr = hcl.NewDiagnosticTextWriter(&buf, map[string]*hcl.File{name: files[d.Subject.Filename]}, width, color)
			if files[d.Subject.Filename] == nil || !snippetOK(files[d.Subject.Filename].Bytes, d.Subject.Start.Byte) {
				wr = bare
			}
			d = escapedDiag(d, name)
		}
		if sum, det := scan.EscapeControls(d.Summary), scan.EscapeControls(d.Detail); sum != d.Summary || det != d.Detail {
			c := *d
			c.Summary, c.Detail = sum, det
			d = &c
		}
		buf.Reset()
		if err := wr.WriteDiagnostic(d); err != nil {
			return err
		}
		text := buf.String()
		if _, rest, ok := strings.Cut(text, "\n"); ok && !color {
			text = compilerLine(d) + "\n" + rest
		}
		if _, err := io.WriteString(w, text); err != nil {
			return err
		}
	}
	return nil
}

// compilerLine is a diagnostic's first line as compilers and editors print
// it, FILE:LINE:COL: error: SUMMARY, so terminals and CI make it a link.
func compilerLine(d *hcl.Diagnostic) string {
	sev := "error"
	if d.Severity == hcl.DiagWarning {
		sev = "warning"
	}
	if d.Subject == nil {
		return fmt.Sprintf("%s: %s", sev, d.Summary)
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, sev, d.Summary)
}

// escapedName is the diagnostic's file name with control characters
// escaped, and whether that differs from the name.
func escapedName(d *hcl.Diagnostic) (string, bool) {
	if d.Subject == nil {
		return "", false
	}
	name := scan.EscapeControls(d.Subject.Filename)
	return name, name != d.Subject.Filename
}

// escapedDiag is d naming its file name.
func escapedDiag(d *hcl.Diagnostic, name string) *hcl.Diagnostic {
	c := *d
	subj := *d.Subject
	subj.Filename = name
	c.Subject = &subj
	if d.Context != nil {
		ctx := *d.Context
		ctx.Filename = name
		c.Context = &ctx
	}
	return &c
}

// maxShown is how many diagnostics are written: each snippet scans its file
// from the start, and 3,000 errors in one file took a minute to print.
const maxShown = 20

// maxSnippetFile is the largest file a snippet is quoted from, for the same
// reason.
const maxSnippetFile = 1 << 20

// snippetOK reports whether the line holding byte offset off of src can be
// quoted: the file is not huge and the line not longer than maxSnippetLine.
func snippetOK(src []byte, off int) bool {
	return len(src) <= maxSnippetFile && !longLine(src, off)
}

// maxSnippetLine is the longest source line a diagnostic quotes.
const maxSnippetLine = 400

// longLine reports whether the line holding byte offset off of src is
// longer than maxSnippetLine.
func longLine(src []byte, off int) bool {
	off = min(max(off, 0), len(src))
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	end := bytes.IndexByte(src[off:], '\n')
	if end < 0 {
		end = len(src) - off
	}
	return off+end-start > maxSnippetLine
}

func (p *Parser) parse(filename string, src []byte) (*hcl.File, hcl.Diagnostics) {
	if src == nil {
		var err error
		src, err = input.ReadFile(filename, input.MaxHCL)
		if err != nil {
			return nil, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Cannot read file",
				Detail:   fmt.Sprintf("%s: %s.", filename, unwrapPathErr(err)),
			}}
		}
	}
	if diags := input.CheckHCL(src, filename); diags != nil {
		return nil, diags
	}
	return p.p.ParseHCL(src, filename)
}

// parseSource parses a checklist or fragment outside any Parser (a
// Library's shared files), with the same nesting checks, and rewrites it
// for linear judging once, before loads share it.
func parseSource(filename string, src []byte) (*hcl.File, hcl.Diagnostics) {
	if diags := input.CheckHCL(src, filename); diags != nil {
		return nil, diags
	}
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if f != nil {
		linearConditionals(f.Body)
	}
	return f, diags
}

// Checklist parses and decodes a checklist file. src nil reads the file.
func (p *Parser) Checklist(filename string, src []byte) (*Checklist, hcl.Diagnostics) {
	f, diags := p.parse(filename, src)
	if f != nil {
		linearConditionals(f.Body)
	}
	c, ds := p.decode(f, filename)
	return c, append(diags, ds...)
}

// decode decodes a parsed checklist file; f nil (it did not parse) gives an
// empty checklist.
func (p *Parser) decode(f *hcl.File, filename string) (*Checklist, hcl.Diagnostics) {
	if f == nil {
		return &Checklist{File: filename}, nil
	}
	return decodeChecklist(f, filename)
}

// Integration parses and decodes an integration file (audit.hcl).
func (p *Parser) Integration(filename string) (*Integration, hcl.Diagnostics) {
	f, diags := p.parse(filename, nil)
	if f == nil {
		return &Integration{File: filename}, diags
	}
	in, ds := decodeIntegration(f, filename)
	return in, append(diags, ds...)
}

// ValueFile parses a file of NAME = value attributes (--var-file).
func (p *Parser) ValueFile(filename string) (hcl.Attributes, hcl.Diagnostics) {
	f, diags := p.parse(filename, nil)
	if f == nil {
		return nil, diags
	}
	attrs, ds := f.Body.JustAttributes()
	return attrs, append(diags, ds...)
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}
