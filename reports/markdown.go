package reports

import (
	"fmt"
	"io"
	"strings"
)

// markdownLimit is GitHub's cap on a job step summary (1 MiB): the report
// is cut, with a note, rather than have the whole summary rejected.
const markdownLimit = 1 << 20

// Markdown writes r for a pull request comment or a CI step summary: the
// verdict, the counts, a table of the steps that did not pass and a
// collapsible block of evidence and references for each of them.
func Markdown(w io.Writer, r *Result, opt Options) error {
	w8, err := loadWords(opt.Lang)
	if err != nil {
		return err
	}
	return markdownWithin(w, w8.localized(r), w8, markdownLimit)
}

func markdownWithin(w io.Writer, r *Result, w8 words, limit int) error {
	var b strings.Builder
	b.WriteString(w8.t("md.title", r.Verdict) + "\n\n")
	if r.RunID != "" {
		// Hidden in the rendered page; ties the file to the run's others.
		fmt.Fprintf(&b, "<!-- run_id: %s -->\n\n", mdText(r.RunID))
	}
	if r.Merchant != "" {
		b.WriteString(w8.t("md.merchant", mdText(r.Merchant)) + "  \n")
	}
	b.WriteString(w8.t("md.fail_on", w8.severity(r.FailOn), w8.summary(r.Summary)) + "\n")
	if r.Scope != nil {
		b.WriteString("\n" + w8.t("md.scope", mdText(r.Scope.SAQ)) + "\n")
		for _, reason := range r.Scope.Reasons {
			fmt.Fprintf(&b, "- %s\n", mdText(reason))
		}
	}
	if un := r.UncheckedSteps(); len(un) > 0 {
		b.WriteString("\n" + w8.n("md.unchecked", len(un), mdText(w8.uncheckedNote(r))) + "\n")
		for _, s := range un {
			fmt.Fprintf(&b, "- <code>%s</code>: %s\n", mdText(s.ID), mdText(s.Message))
		}
	}
	var open []Step
	for _, s := range r.Steps {
		if s.Status != Pass {
			open = append(open, s)
		}
	}
	if len(open) == 0 {
		b.WriteString("\n" + w8.t("md.all_passed") + "\n")
		return writeString(w, b.String())
	}

	// Blocks go in whole or not at all; noteRoom keeps space for the note
	// that says how many were left out.
	const noteRoom = 256
	omitted := 0
	add := func(block string) {
		if omitted > 0 || b.Len()+len(block)+noteRoom > limit {
			omitted++
			return
		}
		b.WriteString(block)
	}
	fmt.Fprintf(&b, "\n| %s | %s | %s | %s |\n|---|---|---|---|\n",
		w8.t("col.status"), w8.t("col.severity"), w8.t("col.step"), w8.t("col.message"))
	for _, s := range open {
		add(fmt.Sprintf("| %s | %s | <code>%s</code> | %s |\n",
			w8.label(s), w8.severity(s.Severity), mdText(s.ID), mdCell(w8.stepMessage(s))))
	}
	if omitted == 0 {
		b.WriteString("\n")
	}
	for _, s := range open {
		add(markdownDetails(w8, s))
	}
	if omitted > 0 {
		b.WriteString("\n" + w8.t("md.truncated", limit/1024, omitted) + "\n")
	}
	return writeString(w, b.String())
}

func markdownDetails(w8 words, s Step) string {
	var b strings.Builder
	// The summary line is raw HTML, where Markdown escapes would show as
	// backslashes: HTML escaping only.
	fmt.Fprintf(&b, "<details><summary><code>%s</code> %s: %s</summary>\n\n",
		htmlText(s.ID), w8.label(s), htmlText(orID(s.Title, s.ID)))
	if msg := w8.stepMessage(s); msg != "" {
		fmt.Fprintf(&b, "%s\n\n", mdText(msg))
	}
	if len(s.Evidence) > 0 {
		b.WriteString(w8.t("md.evidence") + "\n")
		for _, e := range s.Evidence {
			fmt.Fprintf(&b, "- <code>%s</code>", mdText(location(e)))
			if e.Detail != "" {
				fmt.Fprintf(&b, ": %s", mdText(e.Detail))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	if len(s.References) > 0 {
		b.WriteString(w8.t("md.references") + "\n")
		for _, ref := range s.References {
			if isWebURL(ref) {
				fmt.Fprintf(&b, "- <%s>\n", autolinkEscaper.Replace(ref))
			} else {
				fmt.Fprintf(&b, "- %s\n", mdText(ref))
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("</details>\n\n")
	return b.String()
}

// htmlText makes untrusted text literal inside an HTML block: one line,
// HTML escaped.
func htmlText(s string) string { return htmlEscaper.Replace(singleLine(s)) }

// mdText makes untrusted text literal in Markdown and inline HTML: one
// line, HTML escaped, and the characters that start emphasis, links or
// code escaped.
func mdText(s string) string { return mdEscaper.Replace(singleLine(s)) }

// The escapers are read-only after creation and safe for concurrent use;
// building one per call dominated the render time.
var (
	mdEscaper = strings.NewReplacer(
		"&", "&amp;", "<", "&lt;", ">", "&gt;",
		`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`,
	)
	htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	// autolinkEscaper keeps a URL inside <…> from closing the autolink.
	autolinkEscaper = strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20")
)

// mdCell is mdText for a table cell, which must also stay short.
func mdCell(s string) string { return mdText(truncate(singleLine(s), 300)) }

func writeString(w io.Writer, s string) error {
	if _, err := io.WriteString(w, s); err != nil {
		return fmt.Errorf("markdown report: %w", err)
	}
	return nil
}
