package reports

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/scan"
)

// Annotation is a GitHub Actions workflow command (::error file=…::…),
// which the runner shows on the pull request's lines and in the job.
type Annotation struct {
	Level                      string // error | warning | notice
	File, Title, Message       string
	Line, Col, EndLine, EndCol int
}

// String is the command line, text masked and escaped.
func (a Annotation) String() string {
	var props []string
	add := func(k, v string) {
		if v != "" && v != "0" {
			props = append(props, k+"="+ghProperty(v))
		}
	}
	add("file", a.File)
	add("line", strconv.Itoa(a.Line))
	add("col", strconv.Itoa(a.Col))
	add("endLine", strconv.Itoa(a.EndLine))
	add("endColumn", strconv.Itoa(a.EndCol))
	add("title", scan.Redact(a.Title))
	cmd := "::" + a.Level
	if len(props) > 0 {
		cmd += " " + strings.Join(props, ",")
	}
	return cmd + "::" + ghData(scan.Redact(a.Message)) + "\n"
}

// ghData escapes a workflow command's message; ghProperty its properties.
// Replacers are built once: a scan writes an annotation per finding.
var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func ghData(s string) string { return ghDataEscaper.Replace(s) }

func ghProperty(s string) string { return ghPropertyEscaper.Replace(s) }

// GitHub writes a run as annotations: an error for each step that blocks
// the verdict, a warning for each that leaves it undecided (errored,
// unchecked), a notice for the other failures and pending steps below the
// threshold; then the verdict as a notice. Files are relative to the
// repository root, as the runner wants them.
func GitHub(w io.Writer, r *Result, _ Options) error {
	en, err := loadWords("en") // a machine format: English, whatever --lang says
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, s := range r.Steps {
		level := ""
		switch r.Effect(s) {
		case outcome.Blocks:
			level = "error"
		case outcome.Undecided:
			level = "warning"
		default:
			if s.Status == Fail || s.Status == Pending {
				level = "notice"
			}
		}
		if level == "" {
			continue
		}
		a := Annotation{Level: level, Title: fmt.Sprintf("%s (%s, %s)", s.ID, s.Severity, s.Label()), Message: orID(en.stepMessage(s), orID(s.Title, s.ID))}
		if places := stepPlaces(s); len(places) > 0 {
			a.File, a.Line = path.Join(r.Folder, places[0].Source), places[0].Line
		}
		b.WriteString(a.String())
	}
	b.WriteString(Annotation{Level: "notice", Title: "audit verdict", Message: fmt.Sprintf("%s (fail-on %s): %s", r.Verdict, r.FailOn, en.summary(r.Summary))}.String())
	_, err = io.WriteString(w, b.String())
	return err
}

// ScanGitHub writes a scan as annotations: an error for each live card
// number or secret, a notice for each test value, a warning for each path
// not read.
func ScanGitHub(w io.Writer, r *scan.Report, opt Options) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	for f := range r.Findings() {
		what := f.Brand + f.Kind
		a := Annotation{Level: "error", File: path.Join(opt.Folder, f.File), Line: f.Line, Col: f.Column,
			Title: "live " + f.Type + " " + what, Message: fmt.Sprintf("%s %s %s found in clear", f.Type, what, f.Masked)}
		if !f.Live {
			a.Level, a.Title = "notice", "test "+f.Type+" "+what
		}
		bw.WriteString(a.String())
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("github annotations: %w", err)
	}
	for _, s := range r.Skipped {
		bw.WriteString(Annotation{Level: "warning", File: path.Join(opt.Folder, s.File), Title: "not read", Message: s.Reason}.String())
	}
	return bw.Flush()
}
