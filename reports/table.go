package reports

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// Column limits of the terminal table, in display cells: wide enough for a
// step id, narrow enough that five columns fit a 160-column terminal.
const (
	tableTitleWidth   = 36
	tableMessageWidth = 56
	// tableMessageRunes bounds a message before wrapping: the table is a
	// summary, audit.json and the Markdown report carry the full text.
	tableMessageRunes = 240
)

// ANSI styles, used only when Options.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiPurple = "\x1b[35m"
	ansiGrey   = "\x1b[90m"
)

// Table writes r for a terminal: one row per step in r.Steps order, then
// the summary, the verdict and the PCI DSS scope when there is one.
func Table(w io.Writer, r *Result, opt Options) error {
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
		tablewriter.WithConfig(tablewriter.Config{Row: tw.CellConfig{
			ColMaxWidths: tw.CellWidth{PerColumn: tw.Mapper[int, int]{3: tableTitleWidth, 4: tableMessageWidth}},
		}}),
	)
	t.Header("Status", "Severity", "Step", "Title", "Message")
	for _, s := range r.Steps {
		status := s.Label()
		if opt.Color {
			status = paint(statusStyle(s.Status), status)
		}
		row := []string{status, string(s.Severity), singleLine(s.ID), singleLine(s.Title),
			truncate(singleLine(s.Message), tableMessageRunes)}
		if err := t.Append(row); err != nil {
			return fmt.Errorf("table report: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("table report: %w", err)
	}
	verdict := string(r.Verdict)
	if opt.Color {
		verdict = paint(verdictStyle(r.Verdict), verdict)
	}
	var b strings.Builder
	if r.Merchant != "" {
		fmt.Fprintf(&b, "Merchant: %s\n", singleLine(r.Merchant))
	}
	fmt.Fprintf(&b, "%s\n", summaryLine(r.Summary))
	fmt.Fprintf(&b, "Verdict: %s (fail-on %s)\n", verdict, r.FailOn)
	if r.Scope != nil {
		fmt.Fprintf(&b, "PCI DSS scope: SAQ %s\n", singleLine(r.Scope.SAQ))
		for _, reason := range r.Scope.Reasons {
			fmt.Fprintf(&b, "  - %s\n", singleLine(reason))
		}
	}
	if un := r.UncheckedSteps(); len(un) > 0 {
		fmt.Fprintf(&b, "Unchecked in this run (%s):\n", r.uncheckedNote())
		for _, s := range un {
			fmt.Fprintf(&b, "  - %s: %s\n", singleLine(s.ID), singleLine(s.Message))
		}
	}
	// Signed statements get whole lines: wrapped in a cell, "until" and its
	// date could end up rows apart.
	header := false
	for _, s := range r.Steps {
		note := stepNote(s)
		if note == "" {
			continue
		}
		if !header {
			b.WriteString("Waivers and attestations:\n")
			header = true
		}
		fmt.Fprintf(&b, "  - %s: %s\n", singleLine(s.ID), singleLine(note))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("table report: %w", err)
	}
	return nil
}

func paint(style, s string) string { return style + s + ansiReset }

func statusStyle(s Status) string {
	switch s {
	case Pass:
		return ansiGreen
	case Fail:
		return ansiBold + ansiRed
	case Error:
		return ansiPurple
	case Pending:
		return ansiYellow
	case Waived:
		return ansiBlue
	default:
		return ansiGrey
	}
}

func verdictStyle(v Verdict) string {
	switch v {
	case Go:
		return ansiBold + ansiGreen
	case NoGo:
		return ansiBold + ansiRed
	default:
		return ansiBold + ansiYellow
	}
}

// summaryLine counts steps by status, in the contract's status order.
func summaryLine(s Summary) string {
	line := fmt.Sprintf("%d steps: %d pass, %d fail, %d error, %d skip, %d waived, %d pending",
		s.Total, s.Pass, s.Fail, s.Error, s.Skip, s.Waived, s.Pending)
	if s.Unchecked > 0 {
		line += fmt.Sprintf("; %d unchecked", s.Unchecked)
	}
	return line
}

// stepMessage is the step's message followed by what people signed about
// it: every format shows who waived a step and until when, and that a
// waiver ran out.
func stepMessage(s Step) string {
	note := stepNote(s)
	switch {
	case note == "":
		return s.Message
	case s.Message == "":
		return note
	default:
		return s.Message + " (" + note + ")"
	}
}

// stepNote says what the waiver or attestation of s means for it.
func stepNote(s Step) string {
	var notes []string
	if w := s.Waiver; w != nil {
		switch {
		case w.Expired:
			notes = append(notes, "waiver expired "+w.Expires)
		case s.Status == Waived:
			notes = append(notes, waiverText(*w))
		}
	}
	if a := s.Attestation; a != nil {
		notes = append(notes, fmt.Sprintf("attested by %s on %s", a.By, a.Date))
	}
	return strings.Join(notes, "; ")
}

func waiverText(w Waiver) string {
	text := fmt.Sprintf("waived by %s until %s", w.ApprovedBy, w.Expires)
	if w.Ticket != "" {
		text += ", ticket " + w.Ticket
	}
	if w.Reason != "" {
		text += ": " + w.Reason
	}
	return text
}

// location is an evidence source with its line: "config/app.yaml:12".
func location(e Evidence) string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d", e.Source, e.Line)
	}
	return e.Source
}

// singleLine folds untrusted text onto one line without control
// characters, so a message cannot break a table row or move the cursor.
func singleLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// truncate cuts s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	runes := []rune(s)
	if len(runes) <= n {
		return s
	}
	return string(runes[:n-1]) + "…"
}
