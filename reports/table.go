package reports

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// Terminal widths, in display cells.
const (
	// DefaultWidth is the table's width when nothing says otherwise (piped
	// output without COLUMNS): wide enough for the five-column layout.
	DefaultWidth = 120
	// compactBelow switches to one block per step (status, severity and id;
	// the title; the message), which reads better than a five-column table
	// squeezed into a narrow terminal.
	compactBelow = 100
	// wideFrom gives the title its own column.
	wideFrom = 150
	// Column caps of the diff and fleet tables.
	tableTitleWidth   = 36
	tableMessageWidth = 56
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

// Table writes r for a terminal of opt.Width cells (DefaultWidth when 0):
// one row per step in r.Steps order, then the summary, the verdict and the
// PCI DSS scope when there is one. Text wraps, never cut; below
// compactBelow cells each step is a block of lines instead of a row.
func Table(w io.Writer, r *Result, opt Options) error {
	width := opt.Width
	if width <= 0 {
		width = DefaultWidth
	}
	width = max(width, 40) // narrower would not even hold a step id
	w8, err := loadWords(opt.Lang)
	if err != nil {
		return err
	}
	r = w8.localized(r)
	var b strings.Builder
	if opt.Quiet {
		verdict := string(r.Verdict)
		if opt.Color {
			verdict = paint(verdictStyle(r.Verdict), verdict)
		}
		b.WriteString(w8.t("verdict.quiet", verdict, w8.severity(r.FailOn), w8.summary(r.Summary)) + "\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	if width < compactBelow {
		compactSteps(&b, r, opt, w8, width)
	} else if err := wideSteps(&b, r, opt, w8, width); err != nil {
		return err
	}
	footer(&b, r, opt, w8, width)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("table report: %w", err)
	}
	return nil
}

// wideSteps is the table, its columns sized to fit width: five columns
// from wideFrom cells, else four with the title under the step id.
func wideSteps(b *strings.Builder, r *Result, opt Options, w8 words, width int) error {
	statusW, sevW := w8.columnWidths()
	idW := 4
	for _, s := range r.Steps {
		idW = max(idW, runewidth.StringWidth(singleLine(s.ID)))
	}
	five := width >= wideFrom
	cols := 4
	if five {
		cols = 5
	}
	// Borders and padding: a rule before each column and after the last,
	// and a space either side of each cell.
	rest := width - (cols + 1) - 2*cols - statusW - sevW
	idW = min(idW, rest/2)
	rest -= idW
	titleW, msgW := 0, rest
	if five {
		titleW = rest * 2 / 5
		msgW = rest - titleW
	}

	t := tablewriter.NewTable(b,
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
	if five {
		t.Header(w8.t("col.status"), w8.t("col.severity"), w8.t("col.step"), w8.t("col.title"), w8.t("col.message"))
	} else {
		t.Header(w8.t("col.status"), w8.t("col.severity"), w8.t("col.step"), w8.t("col.message"))
	}
	for _, s := range r.Steps {
		status := w8.label(s)
		if opt.Color {
			status = paint(statusStyle(s.Status), status)
		}
		id := wrap(singleLine(s.ID), idW)
		titleIn := titleW
		if !five {
			titleIn = idW
		}
		title := wrap(singleLine(s.Title), titleIn)
		row := []string{status, w8.severity(s.Severity)}
		if five {
			row = append(row, strings.Join(id, "\n"), strings.Join(title, "\n"))
		} else {
			row = append(row, strings.Join(append(id, title...), "\n"))
		}
		row = append(row, strings.Join(wrap(singleLine(s.Message), msgW), "\n"))
		if err := t.Append(row); err != nil {
			return fmt.Errorf("table report: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("table report: %w", err)
	}
	return nil
}

// compactSteps writes each step as a block: status, severity and id on
// the first line, then the title and the message indented under them.
func compactSteps(b *strings.Builder, r *Result, opt Options, w8 words, width int) {
	const indent = "    "
	statusW, sevW := w8.columnWidths()
	headW := statusW + sevW + 2
	for _, s := range r.Steps {
		status := pad(w8.label(s), statusW)
		if opt.Color {
			status = paint(statusStyle(s.Status), status)
		}
		head := wrap(singleLine(s.ID), width-headW)
		fmt.Fprintf(b, "%s %s %s\n", status, pad(w8.severity(s.Severity), sevW), head[0])
		for _, l := range head[1:] {
			fmt.Fprintf(b, "%*s%s\n", headW, "", l)
		}
		writeIndented(b, singleLine(s.Title), indent, width)
		if msg := singleLine(s.Message); msg != "" {
			writeIndented(b, msg, indent+"  ", width)
		}
	}
	if len(r.Steps) > 0 {
		b.WriteString("\n")
	}
}

// footer is the summary, verdict, scope, unchecked steps and signed
// statements, each wrapped to width with a hanging indent.
func footer(b *strings.Builder, r *Result, opt Options, w8 words, width int) {
	verdict := string(r.Verdict)
	if opt.Color {
		verdict = paint(verdictStyle(r.Verdict), verdict)
	}
	if r.Merchant != "" {
		writeIndented(b, w8.t("merchant", singleLine(r.Merchant)), "  ", width)
	}
	writeIndented(b, w8.summary(r.Summary), "  ", width)
	b.WriteString(w8.t("verdict", verdict, w8.severity(r.FailOn)) + "\n")
	if r.Scope != nil {
		writeIndented(b, w8.t("scope", singleLine(r.Scope.SAQ)), "  ", width)
		for _, reason := range r.Scope.Reasons {
			writeItem(b, singleLine(reason), width)
		}
	}
	if un := r.UncheckedSteps(); len(un) > 0 {
		writeIndented(b, w8.t("unchecked.heading", w8.uncheckedNote(r)), "  ", width)
		for _, s := range un {
			writeItem(b, singleLine(s.ID)+": "+singleLine(s.Message), width)
		}
	}
	// Signed statements get whole lines: wrapped in a cell, "until" and its
	// date could end up rows apart.
	header := false
	for _, s := range r.Steps {
		note := w8.stepNote(s)
		if note == "" {
			continue
		}
		if !header {
			b.WriteString(w8.t("signed.heading") + "\n")
			header = true
		}
		writeItem(b, singleLine(s.ID)+": "+singleLine(note), width)
	}
}

// writeItem writes a "  - " list item, its continuation lines under its text.
func writeItem(b *strings.Builder, text string, width int) {
	lines := wrap(text, width-4)
	fmt.Fprintf(b, "  - %s\n", lines[0])
	for _, l := range lines[1:] {
		fmt.Fprintf(b, "    %s\n", l)
	}
}

// writeIndented writes text wrapped to width: the first line from the
// margin (or at indent when text is a continuation block), later ones at
// indent.
func writeIndented(b *strings.Builder, text, indent string, width int) {
	first := ""
	if strings.HasPrefix(indent, "    ") {
		first = indent
	}
	lines := wrap(text, width-len(indent))
	for i, l := range lines {
		if i == 0 {
			b.WriteString(first + l + "\n")
			continue
		}
		b.WriteString(indent + l + "\n")
	}
}

// wrap breaks s into lines of at most width display cells: at spaces, or
// inside a word longer than a line (after / . _ - & ? = when it can), so
// every character is kept and none is cut off.
func wrap(s string, width int) []string {
	width = max(width, 8)
	var lines []string
	var line strings.Builder
	lineW := 0
	flush := func() {
		lines = append(lines, line.String())
		line.Reset()
		lineW = 0
	}
	for _, word := range strings.Fields(s) {
		ww := runewidth.StringWidth(word)
		if lineW > 0 && lineW+1+ww <= width {
			line.WriteByte(' ')
			line.WriteString(word)
			lineW += 1 + ww
			continue
		}
		if lineW > 0 {
			flush()
		}
		for ww > width {
			head, tail := breakWord(word, width)
			lines = append(lines, head)
			// The head's width, not the tail's: measuring what is left
			// each time made a 5 MB word take minutes.
			word, ww = tail, ww-runewidth.StringWidth(head)
		}
		line.WriteString(word)
		lineW = ww
	}
	if lineW > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// breakWord splits word so that head fits width cells, preferably just
// after a separator in its second half.
func breakWord(word string, width int) (head, tail string) {
	cut, cells, lastSep := 0, 0, -1
	for i, r := range word {
		rw := runewidth.RuneWidth(r)
		if cells+rw > width {
			break
		}
		cells += rw
		cut = i + utf8.RuneLen(r)
		if strings.ContainsRune("/._-&?=,", r) && cells > width/2 {
			lastSep = cut
		}
	}
	if lastSep > 0 {
		cut = lastSep
	}
	if cut == 0 { // a rune wider than the line: keep it whole
		_, n := utf8.DecodeRuneInString(word)
		cut = n
	}
	return word[:cut], word[cut:]
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

// truncate cuts s to at most n runes, marking the cut with an ellipsis:
// only for summaries whose full text is elsewhere (a Markdown table cell,
// the fleet table).
func truncate(s string, n int) string {
	runes := []rune(s)
	if len(runes) <= n {
		return s
	}
	return string(runes[:n-1]) + "…"
}
