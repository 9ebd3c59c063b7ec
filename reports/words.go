package reports

import (
	"fmt"
	"strings"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports/i18n"
	"github.com/mattn/go-runewidth"
)

// words are a report's words in its language (i18n catalogues). Machine
// formats use English: their text is part of the contract.
type words struct{ c *i18n.Catalog }

func loadWords(lang string) (words, error) {
	c, err := i18n.Load(lang)
	if err != nil {
		return words{}, fmt.Errorf("report language %q: %w", lang, err)
	}
	return words{c}, nil
}

func (w words) t(key string, args ...any) string { return w.c.T(key, args...) }

// word translates a status, severity or other vocabulary item; an unknown
// one (a hand-edited result) shows as it is.
func (w words) word(kind, v string) string {
	if t := w.c.T(kind + "." + v); t != "" {
		return t
	}
	return v
}

func (w words) label(s Step) string        { return w.word("status", s.Label()) }
func (w words) status(s Status) string     { return w.word("status", string(s)) }
func (w words) severity(s Severity) string { return w.word("severity", string(s)) }

// statusOr is the word of status s, "" for none (a step absent from a run).
func (w words) statusOr(s Status) string {
	if s == "" {
		return ""
	}
	return w.status(s)
}
func (w words) english() bool { return w.c.Lang == "en" }

// summary counts steps by status, in the contract's status order.
func (w words) summary(s Summary) string {
	line := w.t("summary", w.c.N("steps", s.Total), w.count(Pass, s.Pass), w.count(Fail, s.Fail),
		w.count(Error, s.Error), w.count(Skip, s.Skip), w.count(Waived, s.Waived), w.count(Pending, s.Pending))
	if s.Unchecked > 0 {
		line += w.t("summary.unchecked", w.c.N("count.unchecked", s.Unchecked))
	}
	return line
}

// count is "n pass", "n réussies": the count of steps with status st, in
// the plural form n takes.
func (w words) count(st Status, n int) string { return w.c.N("count."+string(st), n) }

// n formats the plural form of key for the count n (its first argument).
func (w words) n(key string, n int, args ...any) string { return w.c.N(key, n, args...) }

// uncheckedNote says what the unchecked steps do to the verdict of r.
func (w words) uncheckedNote(r *Result) string {
	if r.AllowUnchecked {
		return w.t("unchecked.allowed")
	}
	return w.t("unchecked.undetermined", w.severity(r.FailOn))
}

// stepMessage is the step's message followed by what people signed about
// it: every format shows who waived a step and until when, and that a
// waiver ran out.
func (w words) stepMessage(s Step) string {
	note := w.stepNote(s)
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
func (w words) stepNote(s Step) string {
	var notes []string
	if wv := s.Waiver; wv != nil {
		switch {
		case wv.Expired:
			notes = append(notes, w.t("note.waiver_expired", wv.Expires))
		case s.Status == Waived:
			notes = append(notes, w.waiverText(*wv))
		}
	}
	if a := s.Attestation; a != nil {
		notes = append(notes, w.t("note.attested", a.By, a.Date))
	}
	return strings.Join(notes, "; ")
}

func (w words) waiverText(wv Waiver) string {
	text := w.t("note.waived", wv.ApprovedBy, wv.Expires)
	if wv.Ticket != "" {
		text += w.t("note.ticket", wv.Ticket)
	}
	if wv.Reason != "" {
		text += ": " + wv.Reason
	}
	return text
}

// localized is r with the built-in steps' titles, messages and
// descriptions, and the built-in scope's reasons, in the report's
// language; r itself is left alone (other formats render it too). A text
// from elsewhere (the merchant's checklists, waivers, probe errors) stays
// as it is.
func (w words) localized(r *Result) *Result {
	if w.english() {
		return r
	}
	builtin := map[string]string{} // instance → built-in checklist
	for _, c := range r.Checklists {
		if name, ok := builtinName(c); ok {
			builtin[c.Name] = name
		}
	}
	out := *r
	out.Steps = make([]Step, len(r.Steps))
	for i, s := range r.Steps {
		if list, ok := builtin[s.Checklist]; ok {
			if _, name, ok := strings.Cut(s.ID, "."); ok {
				s.Title = w.c.Title(list, name, s.Title)
				s.Message = w.c.Message(list, name, s.Message)
				s.Description = w.c.Message(list, name, s.Description)
			}
		} else {
			s.Message = w.c.Message("", "", s.Message) // the runner's own words
		}
		out.Steps[i] = s
	}
	if r.Scope != nil {
		sc := *r.Scope
		sc.Reasons = make([]string, len(r.Scope.Reasons))
		for i, reason := range r.Scope.Reasons {
			sc.Reasons[i] = reason
			for _, c := range r.Checklists {
				list, ok := builtin[c.Name]
				if !ok {
					continue
				}
				if tr := w.c.Message(list, i18n.ScopeStep, reason); tr != reason {
					sc.Reasons[i] = tr
					break
				}
			}
		}
		out.Scope = &sc
	}
	return &out
}

// builtinName is the built-in checklist c was read from, by its source:
// builtin/amazon-pay/checklist.hcl is amazon-pay, builtin/pci-dss.hcl
// pci-dss; a checklist from the merchant's files is not built in.
func builtinName(c Checked) (string, bool) {
	if c.Source == "builtin" {
		return c.Name, true
	}
	rest, ok := strings.CutPrefix(c.Source, "builtin/")
	if !ok {
		return "", false
	}
	if dir, _, ok := strings.Cut(rest, "/"); ok {
		return dir, true
	}
	return strings.TrimSuffix(rest, ".hcl"), true
}

// columnWidths are the widths of the status and severity columns: the
// longest word of each in the report's language.
func (w words) columnWidths() (statusW, sevW int) {
	for _, s := range append(Statuses(), "unchecked") {
		statusW = max(statusW, runewidth.StringWidth(w.status(s)))
	}
	for _, s := range outcome.Severities() {
		sevW = max(sevW, runewidth.StringWidth(w.severity(s)))
	}
	return statusW, sevW
}

// pad fills s with spaces to width display cells.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-runewidth.StringWidth(s)))
}
