package checklist

import (
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// Parser reads checklist and integration files and keeps every file it read,
// so diagnostics can show source snippets.
type Parser struct {
	p *hclparse.Parser
}

// NewParser returns an empty parser.
func NewParser() *Parser {
	return &Parser{p: hclparse.NewParser()}
}

// Files returns the parsed files by name, for hcl.NewDiagnosticTextWriter.
func (p *Parser) Files() map[string]*hcl.File {
	return p.p.Files()
}

// WriteDiagnostics writes diags with source snippets; width 0 means no
// wrapping.
func (p *Parser) WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, width uint, color bool) error {
	files := map[string]*hcl.File{}
	for name, f := range p.Files() {
		files[name] = f
	}
	// Probe kinds that validate their own input (a merchant profile) report
	// ranges in files this parser never read: load them for the snippet.
	for _, d := range diags {
		if d.Subject == nil || files[d.Subject.Filename] != nil {
			continue
		}
		if src, err := os.ReadFile(d.Subject.Filename); err == nil {
			files[d.Subject.Filename] = &hcl.File{Bytes: src}
		}
	}
	return hcl.NewDiagnosticTextWriter(w, files, width, color).WriteDiagnostics(diags)
}

func (p *Parser) parse(filename string, src []byte) (*hcl.File, hcl.Diagnostics) {
	if src == nil {
		var err error
		src, err = os.ReadFile(filename)
		if err != nil {
			return nil, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Cannot read file",
				Detail:   fmt.Sprintf("%s: %s.", filename, unwrapPathErr(err)),
			}}
		}
	}
	return p.p.ParseHCL(src, filename)
}

// Checklist parses and decodes a checklist file. src nil reads the file.
func (p *Parser) Checklist(filename string, src []byte) (*Checklist, hcl.Diagnostics) {
	f, diags := p.parse(filename, src)
	if f == nil {
		return &Checklist{File: filename}, diags
	}
	c, ds := decodeChecklist(f, filename)
	return c, append(diags, ds...)
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
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
