package reports

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// Change is how one step moved between two runs.
type Change string

// The changes, in the order a reader cares about them.
const (
	// Regressed: passed, was waived or skipped before; fails, errs or is
	// pending now.
	Regressed Change = "regressed"
	// New: absent before, failing now.
	New Change = "new"
	// StillFailing: failing in both runs.
	StillFailing Change = "still_failing"
	// Fixed: failing before, passes or is waived now.
	Fixed Change = "fixed"
	// Added: absent before and not failing now.
	Added Change = "added"
	// Removed: present before, absent now.
	Removed Change = "removed"
	// Changed: any other status change (pass to skip, waived to pass…).
	Changed Change = "changed"
	// Unchanged: same status in both runs.
	Unchanged Change = "unchanged"
)

// Changes lists every change in report order.
func Changes() []Change {
	return []Change{Regressed, New, StillFailing, Fixed, Added, Removed, Changed, Unchanged}
}

// waiverWarning is how far ahead a waiver's expiry is worth a warning.
const waiverWarning = 30 * 24 * time.Hour

// DiffResult compares two runs step by step.
type DiffResult struct {
	OldVerdict Verdict          `json:"old_verdict"`
	NewVerdict Verdict          `json:"new_verdict"`
	Counts     map[Change]int   `json:"counts"`
	Steps      []StepChange     `json:"steps"`
	Expiring   []ExpiringWaiver `json:"expiring_waivers"`
}

// StepChange is one step's move; Old or New is empty when the step is
// missing from that run.
type StepChange struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Severity Severity `json:"severity"`
	Change   Change   `json:"change"`
	Old      Status   `json:"old,omitempty"`
	New      Status   `json:"new,omitempty"`
}

// ExpiringWaiver is a current waiver of the new run that ends soon.
type ExpiringWaiver struct {
	ID         string `json:"id"`
	ApprovedBy string `json:"approved_by"`
	Expires    string `json:"expires"`
	DaysLeft   int    `json:"days_left"`
}

// Diff compares prev and next per step id. Steps are listed in next's
// order, then the removed ones in prev's; waivers are those of next that are still
// current at now and end within 30 days, soonest first.
func Diff(prev, next *Result, now time.Time) DiffResult {
	d := DiffResult{
		OldVerdict: prev.Verdict,
		NewVerdict: next.Verdict,
		Counts:     map[Change]int{},
		Steps:      []StepChange{},
		Expiring:   []ExpiringWaiver{},
	}
	for _, c := range Changes() {
		d.Counts[c] = 0
	}
	before := make(map[string]Step, len(prev.Steps))
	for _, s := range prev.Steps {
		before[s.ID] = s
	}
	seen := make(map[string]bool, len(next.Steps))
	for _, s := range next.Steps {
		seen[s.ID] = true
		sc := StepChange{ID: s.ID, Title: s.Title, Severity: s.Severity, New: s.Status}
		if o, ok := before[s.ID]; ok {
			sc.Old = o.Status
		}
		sc.Change = classify(sc.Old, sc.New)
		d.add(sc)
	}
	for _, s := range prev.Steps {
		if !seen[s.ID] {
			d.add(StepChange{ID: s.ID, Title: s.Title, Severity: s.Severity, Change: Removed, Old: s.Status})
		}
	}
	d.Expiring = expiringWaivers(next, now)
	return d
}

func (d *DiffResult) add(sc StepChange) {
	d.Steps = append(d.Steps, sc)
	d.Counts[sc.Change]++
}

// Regressed reports whether anything got worse: a step regressed or a new
// step fails. It decides the diff's exit code.
func (d DiffResult) Regressed() bool { return d.Counts[Regressed] > 0 || d.Counts[New] > 0 }

func failing(s Status) bool { return s == Fail || s == Error || s == Pending }

func classify(was, now Status) Change {
	switch {
	case was == "" && failing(now):
		return New
	case was == "":
		return Added
	case failing(was) && failing(now):
		return StillFailing
	case failing(was) && (now == Pass || now == Waived):
		return Fixed
	case !failing(was) && failing(now):
		return Regressed
	case was == now:
		return Unchanged
	default:
		return Changed
	}
}

func expiringWaivers(r *Result, now time.Time) []ExpiringWaiver {
	today := now.UTC().Truncate(24 * time.Hour)
	out := []ExpiringWaiver{}
	for _, s := range r.Steps {
		w := s.Waiver
		if w == nil || w.Expired {
			continue
		}
		end, err := time.Parse(time.DateOnly, w.Expires)
		if err != nil || end.Before(today) || end.Sub(today) > waiverWarning {
			continue
		}
		out = append(out, ExpiringWaiver{
			ID: s.ID, ApprovedBy: w.ApprovedBy, Expires: w.Expires,
			DaysLeft: int(end.Sub(today) / (24 * time.Hour)),
		})
	}
	slices.SortStableFunc(out, func(a, b ExpiringWaiver) int {
		return cmp.Or(cmp.Compare(a.Expires, b.Expires), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// DiffTable writes d for a terminal: every step that changed (unchanged
// ones are only counted), then the counts, the verdicts and the waivers
// about to expire.
func DiffTable(w io.Writer, d DiffResult, opt Options) error {
	w8, err := loadWords(opt.Lang)
	if err != nil {
		return err
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
		tablewriter.WithConfig(tablewriter.Config{Row: tw.CellConfig{
			ColMaxWidths: tw.CellWidth{PerColumn: tw.Mapper[int, int]{4: tableTitleWidth}},
		}}),
	)
	t.Header(w8.t("diff.col.change"), w8.t("col.step"), w8.t("fleet.col.before"), w8.t("fleet.col.now"), w8.t("col.title"))
	for _, c := range Changes() {
		if c == Unchanged {
			continue
		}
		for _, s := range d.Steps {
			if s.Change != c {
				continue
			}
			change := w8.word("change", string(s.Change))
			if opt.Color {
				change = paint(changeStyle(s.Change), change)
			}
			if err := t.Append([]string{change, singleLine(s.ID), dash(w8.statusOr(s.Old)), dash(w8.statusOr(s.New)), singleLine(s.Title)}); err != nil {
				return fmt.Errorf("diff table: %w", err)
			}
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("diff table: %w", err)
	}
	var b strings.Builder
	var counts []string
	for _, c := range Changes() {
		counts = append(counts, w8.n("changes."+string(c), d.Counts[c]))
	}
	fmt.Fprintf(&b, "%s\n", strings.Join(counts, ", "))
	verdict := fmt.Sprintf("%s -> %s", d.OldVerdict, d.NewVerdict)
	if d.OldVerdict == d.NewVerdict {
		verdict = w8.t("diff.unchanged", d.NewVerdict)
	}
	b.WriteString(w8.t("diff.verdict", verdict) + "\n")
	for _, e := range d.Expiring {
		b.WriteString(w8.t("diff.waiver", singleLine(e.ID), singleLine(e.ApprovedBy), singleLine(e.Expires), w8.n("in_days", e.DaysLeft)) + "\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("diff table: %w", err)
	}
	return nil
}

func changeStyle(c Change) string {
	switch c {
	case Regressed, New:
		return ansiBold + ansiRed
	case StillFailing:
		return ansiYellow
	case Fixed:
		return ansiGreen
	default:
		return ansiGrey
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// DiffJSON writes d as indented JSON with a trailing newline.
func DiffJSON(w io.Writer, d DiffResult) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("diff json: %w", err)
	}
	return nil
}
