package main

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/audit-tool/audit/reports"
	"github.com/audit-tool/audit/scan"
)

// jsonDiagnostics is `audit validate --format json`, shaped like
// `terraform validate -json`: a tool reads the ranges, an editor the
// snippet. Text is masked as everywhere else.
type jsonDiagnostics struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Files         []validatedFile  `json:"files"`
	Diagnostics   []jsonDiagnostic `json:"diagnostics"`
}

type validatedFile struct {
	Path       string `json:"path"`
	Valid      bool   `json:"valid"`
	Checklists int    `json:"checklists"`
	Steps      int    `json:"steps"`
}

type jsonDiagnostic struct {
	Severity string       `json:"severity"` // error | warning
	Summary  string       `json:"summary"`
	Detail   string       `json:"detail"`
	Range    *jsonRange   `json:"range,omitempty"`
	Snippet  *jsonSnippet `json:"snippet,omitempty"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

type jsonSnippet struct {
	Code      string `json:"code"` // the first line of the range
	StartLine int    `json:"start_line"`
}

// diagnosticsJSON converts diags; files gives the sources for snippets.
func diagnosticsJSON(diags hcl.Diagnostics, files map[string]*hcl.File, validated []validatedFile) jsonDiagnostics {
	out := jsonDiagnostics{FormatVersion: "1.0", Files: validated, Diagnostics: []jsonDiagnostic{}}
	if out.Files == nil {
		out.Files = []validatedFile{}
	}
	for _, d := range diags {
		jd := jsonDiagnostic{Severity: "error", Summary: scan.Redact(d.Summary), Detail: scan.Redact(d.Detail)}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
			out.WarningCount++
		} else {
			out.ErrorCount++
		}
		if r := d.Subject; r != nil {
			jd.Range = &jsonRange{
				Filename: r.Filename,
				Start:    jsonPos{r.Start.Line, r.Start.Column, r.Start.Byte},
				End:      jsonPos{r.End.Line, r.End.Column, r.End.Byte},
			}
			if f := files[r.Filename]; f != nil {
				if line, ok := sourceLine(f.Bytes, r.Start.Line); ok {
					jd.Snippet = &jsonSnippet{Code: scan.Redact(line), StartLine: r.Start.Line}
				}
			}
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	out.Valid = out.ErrorCount == 0
	return out
}

// sourceLine is line n (1-based) of src, when it is short enough to quote.
func sourceLine(src []byte, n int) (string, bool) {
	for i := 1; i < n; i++ {
		j := strings.IndexByte(string(src), '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	line, _, _ := strings.Cut(string(src), "\n")
	if len(line) > 1000 {
		return "", false
	}
	return strings.TrimRight(line, "\r"), true
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// githubDiagnostics writes diags as GitHub Actions workflow commands
// (::error file=…,line=…::…), which the runner turns into annotations on
// the pull request's files.
func githubDiagnostics(w io.Writer, diags hcl.Diagnostics) error {
	for _, d := range diags {
		level := "error"
		if d.Severity == hcl.DiagWarning {
			level = "warning"
		}
		a := reports.Annotation{Level: level, Title: d.Summary, Message: d.Detail}
		if r := d.Subject; r != nil {
			a.File, a.Line, a.Col, a.EndLine, a.EndCol = r.Filename, r.Start.Line, r.Start.Column, r.End.Line, r.End.Column
		}
		if a.Message == "" {
			a.Message = d.Summary
		}
		if _, err := io.WriteString(w, a.String()); err != nil {
			return err
		}
	}
	return nil
}
