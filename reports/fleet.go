package reports

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/audit-tool/audit/outcome"
)

// FleetReport is `audit fleet report`: the latest result of each merchant of
// a fleet run. Its JSON is a contract: merchants[] with id, verdict, saq,
// run_id and summary, and totals by verdict; the other fields are additions.
type FleetReport struct {
	FleetRun         string          `json:"fleet_run"`
	PreviousFleetRun string          `json:"previous_fleet_run,omitempty"`
	GeneratedAt      time.Time       `json:"generated_at"`
	Merchants        []FleetMerchant `json:"merchants"`
	Totals           map[Verdict]int `json:"totals"`
	// SAQ counts merchants by PCI DSS questionnaire ("none": pci-dss did not run).
	SAQ map[string]int `json:"saq"`
	// FailingSteps counts, per step id, the merchants where it fails, errs
	// or is pending; most first.
	FailingSteps []FailingStep `json:"failing_steps"`
	// Regressed lists merchants worse than in the previous fleet run.
	Regressed []Regression `json:"regressed"`
	// ExpiringWaivers are current waivers that end within 30 days.
	ExpiringWaivers []FleetWaiver `json:"expiring_waivers"`
	// Errors counts merchants without a result (configuration error,
	// panic, hang): they are UNDETERMINED in the totals.
	Errors int `json:"errors"`
}

// FleetMerchant is one merchant's row.
type FleetMerchant struct {
	ID        string    `json:"id"`
	Verdict   Verdict   `json:"verdict"`
	SAQ       string    `json:"saq"`
	RunID     string    `json:"run_id"`
	Summary   Summary   `json:"summary"`
	Owner     string    `json:"owner,omitempty"`
	Tags      []string  `json:"tags,omitempty"`
	StartedAt time.Time `json:"started_at"`
	// Error is why the merchant has no result.
	Error string `json:"error,omitempty"`
}

// FailingStep is a step with the number of merchants it fails for.
type FailingStep struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Severity  Severity `json:"severity"`
	Merchants int      `json:"merchants"`
}

// Regression is a merchant whose verdict got worse or whose steps regressed
// or newly fail since the previous fleet run.
type Regression struct {
	Merchant   string   `json:"merchant"`
	OldVerdict Verdict  `json:"old_verdict"`
	NewVerdict Verdict  `json:"new_verdict"`
	Steps      []string `json:"steps"`
}

// FleetWaiver is an expiring waiver with its merchant.
type FleetWaiver struct {
	Merchant string `json:"merchant"`
	ExpiringWaiver
}

// FleetBuilder assembles a FleetReport one merchant at a time, keeping of
// each result only what the report shows, so 100,000 merchants fit.
type FleetBuilder struct {
	rep     *FleetReport
	now     time.Time
	prev    map[string]compactResult
	failing map[string]*FailingStep
}

// compactResult is what a regression check needs of a previous result.
type compactResult struct {
	verdict Verdict
	steps   []Step // ID and Status only
}

// NewFleetBuilder starts the report of fleetRun; previous is the fleet run
// before it ("" when none). now dates waiver expiries.
func NewFleetBuilder(fleetRun, previous string, now time.Time) *FleetBuilder {
	return &FleetBuilder{
		rep: &FleetReport{
			FleetRun: fleetRun, PreviousFleetRun: previous, GeneratedAt: now.UTC(),
			Merchants: []FleetMerchant{}, Totals: map[Verdict]int{Go: 0, NoGo: 0, Undetermined: 0},
			SAQ: map[string]int{}, FailingSteps: []FailingStep{}, Regressed: []Regression{},
			ExpiringWaivers: []FleetWaiver{},
		},
		now:     now,
		prev:    map[string]compactResult{},
		failing: map[string]*FailingStep{},
	}
}

// AddPrevious records a merchant's result in the previous fleet run. A nil
// result (an error row) is UNDETERMINED with no steps.
func (b *FleetBuilder) AddPrevious(merchant string, r *Result) {
	b.prev[merchant] = compact(r)
}

// Add records a merchant of the fleet run: m carries the stored columns,
// r the result (nil for an error row, whose verdict is UNDETERMINED).
func (b *FleetBuilder) Add(m FleetMerchant, r *Result) {
	rep := b.rep
	if r == nil {
		m.Verdict = Undetermined
		rep.Errors++
		r = &Result{Verdict: Undetermined}
	} else {
		m.Verdict, m.RunID, m.Summary = r.Verdict, r.RunID, r.Summary
		m.SAQ = ""
		if r.Scope != nil {
			m.SAQ = r.Scope.SAQ
		}
	}
	rep.Merchants = append(rep.Merchants, m)
	rep.Totals[m.Verdict]++
	rep.SAQ[cmp.Or(m.SAQ, "none")]++
	for _, s := range r.Steps {
		if !failing(s.Status) {
			continue
		}
		fs := b.failing[s.ID]
		if fs == nil {
			fs = &FailingStep{ID: s.ID, Title: s.Title, Severity: s.Severity}
			b.failing[s.ID] = fs
		}
		fs.Merchants++
	}
	prev, had := b.prev[m.ID]
	d := Diff(&Result{Verdict: prev.verdict, Steps: prev.steps}, r, b.now)
	for _, e := range d.Expiring {
		rep.ExpiringWaivers = append(rep.ExpiringWaivers, FleetWaiver{Merchant: m.ID, ExpiringWaiver: e})
	}
	if !had {
		return
	}
	var steps []string
	for _, s := range d.Steps {
		if s.Change == Regressed || s.Change == New {
			steps = append(steps, s.ID)
		}
	}
	if len(steps) > 0 || r.Verdict.Worse(prev.verdict) {
		rep.Regressed = append(rep.Regressed, Regression{Merchant: m.ID, OldVerdict: prev.verdict, NewVerdict: r.Verdict, Steps: append([]string{}, steps...)})
	}
}

// Report finishes the report: merchants by id, failing steps most first,
// waivers soonest first.
func (b *FleetBuilder) Report() *FleetReport {
	rep := b.rep
	slices.SortFunc(rep.Merchants, func(x, y FleetMerchant) int { return cmp.Compare(x.ID, y.ID) })
	rep.FailingSteps = rep.FailingSteps[:0]
	for _, fs := range b.failing {
		rep.FailingSteps = append(rep.FailingSteps, *fs)
	}
	slices.SortFunc(rep.FailingSteps, func(x, y FailingStep) int {
		return cmp.Or(cmp.Compare(y.Merchants, x.Merchants), cmp.Compare(x.ID, y.ID))
	})
	slices.SortFunc(rep.Regressed, func(x, y Regression) int { return cmp.Compare(x.Merchant, y.Merchant) })
	slices.SortFunc(rep.ExpiringWaivers, func(x, y FleetWaiver) int {
		return cmp.Or(cmp.Compare(x.Expires, y.Expires), cmp.Compare(x.Merchant, y.Merchant), cmp.Compare(x.ID, y.ID))
	})
	return rep
}

// Verdict is the fleet's verdict by the rule of `audit run` over every
// merchant: NO-GO when one is, else UNDETERMINED when one is, else GO.
func (rep *FleetReport) Verdict() Verdict {
	var seen []Verdict
	for v, n := range rep.Totals {
		if n > 0 {
			seen = append(seen, v)
		}
	}
	return outcome.Worst(seen...)
}

// fleetNoteRunes bounds a merchant's note in the fleet table: the merchant's
// own report has the full text.
const fleetNoteRunes = 240

// FleetFormat is one output format of a fleet report.
type FleetFormat struct {
	Name   string
	File   string
	Render func(w io.Writer, rep *FleetReport, opt Options) error
}

func fleetFormats() []FleetFormat {
	return []FleetFormat{
		{Name: "table", File: "fleet.txt", Render: FleetTable},
		{Name: "json", File: "fleet.json", Render: FleetJSON},
		{Name: "csv", File: "fleet.csv", Render: FleetCSV},
		{Name: "markdown", File: "fleet.md", Render: FleetMarkdown},
		{Name: "pdf", File: "fleet.pdf", Render: FleetPDF},
	}
}

// ParseFleetFormats splits a comma-separated --format value of
// `audit fleet report`.
func ParseFleetFormats(list string) ([]FleetFormat, error) {
	var names []string
	for _, f := range fleetFormats() {
		names = append(names, f.Name)
	}
	var out []FleetFormat
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		i := slices.IndexFunc(fleetFormats(), func(f FleetFormat) bool { return f.Name == name })
		switch {
		case name == "" || slices.ContainsFunc(out, func(f FleetFormat) bool { return f.Name == name }):
			continue
		case i < 0:
			return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(names, ", "))
		}
		out = append(out, fleetFormats()[i])
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no format given (known: %s)", strings.Join(names, ", "))
	}
	return out, nil
}

// FleetJSON writes the report's JSON contract, indented, lists never null.
func FleetJSON(w io.Writer, rep *FleetReport, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("fleet json: %w", err)
	}
	return nil
}

// FleetCSV writes one line per merchant, for spreadsheets.
func FleetCSV(w io.Writer, rep *FleetReport, _ Options) error {
	cw := csv.NewWriter(w)
	header := []string{"id", "verdict", "saq", "run_id", "total", "pass", "fail", "error", "skip", "waived", "pending", "unchecked", "owner", "tags", "started_at", "error_message"}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("fleet csv: %w", err)
	}
	for _, m := range rep.Merchants {
		s := m.Summary
		started := ""
		if !m.StartedAt.IsZero() {
			started = m.StartedAt.UTC().Format(time.RFC3339)
		}
		row := []string{m.ID, string(m.Verdict), m.SAQ, m.RunID, itoa(s.Total), itoa(s.Pass), itoa(s.Fail), itoa(s.Error),
			itoa(s.Skip), itoa(s.Waived), itoa(s.Pending), itoa(s.Unchecked), csvText(m.Owner), csvText(strings.Join(m.Tags, " ")), started, csvText(m.Error)}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("fleet csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("fleet csv: %w", err)
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// csvText keeps a spreadsheet from running a cell as a formula.
func csvText(s string) string {
	s = singleLine(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// fleetTop is how many failing steps the table, Markdown and PDF show.
const fleetTop = 10

// fleetTableRows is how many merchants that are not GO the terminal table
// lists: a screenful; fleet.csv and fleet.json list them all.
const fleetTableRows = 50

// FleetTable writes the report for a terminal: the merchants that are not
// GO, the totals, the SAQ distribution, the most failing steps, the
// regressions and the expiring waivers.
func FleetTable(w io.Writer, rep *FleetReport, opt Options) error {
	w8, err := loadWords(opt.Lang)
	if err != nil {
		return err
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
		tablewriter.WithConfig(tablewriter.Config{Row: tw.CellConfig{
			ColMaxWidths: tw.CellWidth{PerColumn: tw.Mapper[int, int]{4: tableMessageWidth}},
		}}),
	)
	t.Header(w8.t("fleet.col.merchant"), w8.t("fleet.col.verdict"), w8.t("fleet.col.saq"), w8.t("fleet.col.fail"), w8.t("fleet.col.note"))
	listed, notGo := 0, 0
	for _, m := range rep.Merchants {
		if m.Verdict == Go {
			continue
		}
		if notGo++; listed == fleetTableRows {
			continue
		}
		listed++
		v := string(m.Verdict)
		if opt.Color {
			v = paint(verdictStyle(m.Verdict), v)
		}
		note := m.Error
		if note == "" {
			note = w8.t("fleet.note", w8.count(Fail, m.Summary.Fail), w8.count(Error, m.Summary.Error), w8.count(Pending, m.Summary.Pending))
		}
		if err := t.Append([]string{singleLine(m.ID), v, dash(m.SAQ), itoa(m.Summary.Fail), truncate(singleLine(note), fleetNoteRunes)}); err != nil {
			return fmt.Errorf("fleet table: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("fleet table: %w", err)
	}
	var b strings.Builder
	if notGo > listed {
		b.WriteString(w8.t("fleet.more", notGo-listed) + "\n")
	}
	b.WriteString(w8.t("fleet.run", singleLine(rep.FleetRun), w8.n("merchants", len(rep.Merchants)), totalsLine(w8, rep)) + "\n")
	b.WriteString(w8.t("fleet.saq", saqLine(rep)) + "\n")
	if len(rep.FailingSteps) > 0 {
		b.WriteString(w8.t("fleet.most_failing") + "\n")
		for _, fs := range rep.FailingSteps[:min(fleetTop, len(rep.FailingSteps))] {
			fmt.Fprintf(&b, "  %5d  %s (%s)\n", fs.Merchants, singleLine(fs.ID), w8.severity(fs.Severity))
		}
	}
	if rep.PreviousFleetRun != "" {
		b.WriteString(w8.t("fleet.regressed", singleLine(rep.PreviousFleetRun), len(rep.Regressed)) + "\n")
		for _, r := range rep.Regressed {
			fmt.Fprintf(&b, "  %s: %s -> %s %s\n", singleLine(r.Merchant), r.OldVerdict, r.NewVerdict, singleLine(strings.Join(r.Steps, ", ")))
		}
	}
	for _, e := range rep.ExpiringWaivers {
		b.WriteString(w8.t("fleet.waiver", singleLine(e.ID), singleLine(e.Merchant), singleLine(e.ApprovedBy), singleLine(e.Expires), w8.n("in_days", e.DaysLeft)) + "\n")
	}
	verdict := string(rep.Verdict())
	if opt.Color {
		verdict = paint(verdictStyle(rep.Verdict()), verdict)
	}
	b.WriteString(w8.t("fleet.verdict", verdict) + "\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("fleet table: %w", err)
	}
	return nil
}

func totalsLine(w8 words, rep *FleetReport) string {
	line := w8.t("fleet.totals", rep.Totals[Go], rep.Totals[NoGo], rep.Totals[Undetermined])
	if rep.Errors > 0 {
		line += w8.t("fleet.without_result", rep.Errors)
	}
	return line
}

func saqLine(rep *FleetReport) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(rep.SAQ)) {
		parts = append(parts, fmt.Sprintf("%s %d", singleLine(k), rep.SAQ[k]))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// FleetMarkdown writes the report for a CI summary or a ticket.
func FleetMarkdown(w io.Writer, rep *FleetReport, opt Options) error {
	w8, err := loadWords(opt.Lang)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(w8.t("fleet.md.title", mdText(rep.FleetRun), rep.Verdict()) + "\n\n")
	b.WriteString(w8.t("fleet.md.totals", w8.n("merchants", len(rep.Merchants)), totalsLine(w8, rep), mdText(saqLine(rep))) + "\n")
	if len(rep.FailingSteps) > 0 {
		fmt.Fprintf(&b, "\n### %s\n\n| %s | %s | %s | %s |\n|---:|---|---|---|\n", w8.t("fleet.md.most_failing"),
			w8.t("fleet.col.merchants"), w8.t("col.step"), w8.t("col.severity"), w8.t("col.title"))
		for _, fs := range rep.FailingSteps[:min(fleetTop, len(rep.FailingSteps))] {
			fmt.Fprintf(&b, "| %d | <code>%s</code> | %s | %s |\n", fs.Merchants, mdText(fs.ID), w8.severity(fs.Severity), mdCell(fs.Title))
		}
	}
	if rep.PreviousFleetRun != "" {
		b.WriteString("\n### " + w8.t("fleet.md.regressed", mdText(rep.PreviousFleetRun), len(rep.Regressed)) + "\n\n")
		for _, r := range rep.Regressed {
			fmt.Fprintf(&b, "- **%s**: %s → %s %s\n", mdText(r.Merchant), r.OldVerdict, r.NewVerdict, mdText(strings.Join(r.Steps, ", ")))
		}
	}
	if len(rep.ExpiringWaivers) > 0 {
		fmt.Fprintf(&b, "\n### %s\n\n| %s | %s | %s | %s |\n|---|---|---|---|\n", w8.t("fleet.md.expiring"),
			w8.t("fleet.col.merchant"), w8.t("col.step"), w8.t("pdf.approved_by"), w8.t("fleet.col.expires"))
		for _, e := range rep.ExpiringWaivers {
			fmt.Fprintf(&b, "| %s | <code>%s</code> | %s | %s (%s) |\n", mdText(e.Merchant), mdText(e.ID), mdCell(e.ApprovedBy), mdText(e.Expires), w8.n("days", e.DaysLeft))
		}
	}
	fmt.Fprintf(&b, "\n### %s\n\n| %s | %s | %s | %s | %s | %s | %s |\n|---|---|---|---:|---:|---:|---|\n", w8.t("fleet.md.not_go"),
		w8.t("fleet.col.merchant"), w8.t("fleet.col.verdict"), w8.t("fleet.col.saq"), w8.t("fleet.col.fail"),
		w8.t("fleet.col.error"), w8.t("fleet.col.pending"), w8.t("fleet.col.note"))
	for _, m := range rep.Merchants {
		if m.Verdict != Go {
			fmt.Fprintf(&b, "| %s | %s | %s | %d | %d | %d | %s |\n", mdText(m.ID), m.Verdict, mdText(dash(m.SAQ)),
				m.Summary.Fail, m.Summary.Error, m.Summary.Pending, mdCell(m.Error))
		}
		if b.Len() > markdownLimit-1024 {
			b.WriteString("\n" + w8.t("fleet.md.cut") + "\n")
			break
		}
	}
	return writeString(w, b.String())
}

// FleetDiff compares two fleet runs merchant by merchant.
type FleetDiff struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Merchants are those whose verdict or failing steps changed.
	Merchants []MerchantChange `json:"merchants"`
	Added     []string         `json:"added"`   // only in To
	Removed   []string         `json:"removed"` // only in From
	Unchanged int              `json:"unchanged"`
}

// MerchantChange is one merchant's move between two fleet runs.
type MerchantChange struct {
	Merchant   string   `json:"merchant"`
	OldVerdict Verdict  `json:"old_verdict"`
	NewVerdict Verdict  `json:"new_verdict"`
	Regressed  []string `json:"regressed"` // steps that regressed or newly fail
	Fixed      []string `json:"fixed"`
}

// Worse reports whether the merchant's verdict got worse or a step regressed.
func (c MerchantChange) Worse() bool {
	return c.NewVerdict.Worse(c.OldVerdict) || len(c.Regressed) > 0
}

// Regressed reports whether any merchant got worse; it decides the exit code.
func (d *FleetDiff) Regressed() bool {
	return slices.ContainsFunc(d.Merchants, MerchantChange.Worse)
}

// FleetDiffer builds a FleetDiff: every merchant of the older run first,
// then those of the newer one, one at a time.
type FleetDiffer struct {
	diff *FleetDiff
	prev map[string]compactResult
	seen map[string]bool
}

// NewFleetDiffer compares fleet runs from and to.
func NewFleetDiffer(from, to string) *FleetDiffer {
	return &FleetDiffer{
		diff: &FleetDiff{From: from, To: to, Merchants: []MerchantChange{}, Added: []string{}, Removed: []string{}},
		prev: map[string]compactResult{}, seen: map[string]bool{},
	}
}

// AddFrom records a merchant's result in the older run (nil: an error row).
func (fd *FleetDiffer) AddFrom(merchant string, r *Result) {
	fd.prev[merchant] = compact(r)
}

func compact(r *Result) compactResult {
	c := compactResult{verdict: Undetermined}
	if r != nil {
		c.verdict = r.Verdict
		c.steps = make([]Step, len(r.Steps))
		for i, s := range r.Steps {
			c.steps[i] = Step{ID: s.ID, Status: s.Status}
		}
	}
	return c
}

// AddTo compares a merchant's result in the newer run with the older one.
func (fd *FleetDiffer) AddTo(merchant string, r *Result) {
	fd.seen[merchant] = true
	prev, had := fd.prev[merchant]
	if !had {
		fd.diff.Added = append(fd.diff.Added, merchant)
		return
	}
	if r == nil {
		r = &Result{Verdict: Undetermined}
	}
	d := Diff(&Result{Verdict: prev.verdict, Steps: prev.steps}, r, time.Time{})
	c := MerchantChange{Merchant: merchant, OldVerdict: prev.verdict, NewVerdict: r.Verdict, Regressed: []string{}, Fixed: []string{}}
	for _, s := range d.Steps {
		switch s.Change {
		case Regressed, New:
			c.Regressed = append(c.Regressed, s.ID)
		case Fixed:
			c.Fixed = append(c.Fixed, s.ID)
		}
	}
	if c.OldVerdict == c.NewVerdict && len(c.Regressed)+len(c.Fixed) == 0 {
		fd.diff.Unchanged++
		return
	}
	fd.diff.Merchants = append(fd.diff.Merchants, c)
}

// Diff finishes the comparison, merchants by id.
func (fd *FleetDiffer) Diff() *FleetDiff {
	for m := range fd.prev {
		if !fd.seen[m] {
			fd.diff.Removed = append(fd.diff.Removed, m)
		}
	}
	slices.Sort(fd.diff.Added)
	slices.Sort(fd.diff.Removed)
	slices.SortFunc(fd.diff.Merchants, func(x, y MerchantChange) int { return cmp.Compare(x.Merchant, y.Merchant) })
	return fd.diff
}

// FleetDiffJSON writes d as indented JSON.
func FleetDiffJSON(w io.Writer, d *FleetDiff) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("fleet diff json: %w", err)
	}
	return nil
}

// FleetDiffTable writes d for a terminal: each changed merchant, then the
// merchants added and removed.
func FleetDiffTable(w io.Writer, d *FleetDiff, opt Options) error {
	w8, err := loadWords(opt.Lang)
	if err != nil {
		return err
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
		tablewriter.WithConfig(tablewriter.Config{Row: tw.CellConfig{
			ColMaxWidths: tw.CellWidth{PerColumn: tw.Mapper[int, int]{3: tableMessageWidth, 4: tableMessageWidth}},
		}}),
	)
	t.Header(w8.t("fleet.col.merchant"), w8.t("fleet.col.before"), w8.t("fleet.col.now"), w8.t("fleet.col.regressed"), w8.t("fleet.col.fixed"))
	for _, c := range d.Merchants {
		now := string(c.NewVerdict)
		if opt.Color {
			now = paint(verdictStyle(c.NewVerdict), now)
		}
		row := []string{singleLine(c.Merchant), string(c.OldVerdict), now,
			truncate(singleLine(strings.Join(c.Regressed, ", ")), fleetNoteRunes), truncate(singleLine(strings.Join(c.Fixed, ", ")), fleetNoteRunes)}
		if err := t.Append(row); err != nil {
			return fmt.Errorf("fleet diff table: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("fleet diff table: %w", err)
	}
	worse := 0
	for _, c := range d.Merchants {
		if c.Worse() {
			worse++
		}
	}
	var b strings.Builder
	b.WriteString(w8.t("fleet.diff.summary", singleLine(d.From), singleLine(d.To), w8.n("merchants_changed", len(d.Merchants)),
		worse, d.Unchanged, len(d.Added), len(d.Removed)) + "\n")
	if len(d.Added) > 0 {
		b.WriteString(w8.t("fleet.diff.added", singleLine(strings.Join(d.Added, ", "))) + "\n")
	}
	if len(d.Removed) > 0 {
		b.WriteString(w8.t("fleet.diff.removed", singleLine(strings.Join(d.Removed, ", "))) + "\n")
	}
	return writeString(w, b.String())
}

// FleetFiles are the file names `audit fleet report` may write under --out.
func FleetFiles() []string {
	var out []string
	for _, f := range fleetFormats() {
		if f.Name != "table" {
			out = append(out, f.File)
		}
	}
	return out
}
