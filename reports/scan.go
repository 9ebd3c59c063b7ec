package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/audit-tool/audit/scan"
)

// ScanTable writes a scan for a terminal: one row per finding, then the
// counts. The table is streamed: a first reading of the findings sizes
// the columns, a second writes the rows.
func ScanTable(w io.Writer, r *scan.Report, opt Options) error {
	w8, err := loadWords(opt.Lang)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if r.Counts.Findings() > 0 {
		t := boxTable{w: bw}
		var header []string
		for _, k := range []string{"scan.col.live", "scan.col.type", "scan.col.what", "scan.col.masked", "scan.col.location"} {
			header = append(header, strings.ToUpper(w8.t(k))) // as tablewriter writes headers
		}
		t.size(header)
		for f := range r.Findings() {
			t.size(scanRow(f, w8))
		}
		if err := r.Err(); err != nil {
			return fmt.Errorf("scan table: %w", err)
		}
		t.rule("┌", "┬", "┐")
		t.row(header)
		t.rule("├", "┼", "┤")
		for f := range r.Findings() {
			t.row(scanRow(f, w8))
		}
		if err := r.Err(); err != nil {
			return fmt.Errorf("scan table: %w", err)
		}
		t.rule("└", "┴", "┘")
	}
	c := r.Counts
	for _, s := range r.Skipped {
		fmt.Fprintln(bw, w8.t("scan.not_read", singleLine(s.File), singleLine(s.Reason)))
	}
	for _, s := range r.Excluded {
		fmt.Fprintln(bw, w8.t("scan.excluded", singleLine(s.File), singleLine(s.Pattern), singleLine(s.Reason)))
	}
	fmt.Fprintln(bw, w8.t("scan.summary", r.FilesScanned, float64(r.BytesScanned)/(1<<20), c.PANs, c.TestCards, c.SAD, c.LiveSecrets, c.TestSecrets, len(r.Skipped), len(r.Excluded)))
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("scan table: %w", err)
	}
	return nil
}

// boxTable draws single-line cells in the box style of the other tables
// (tablewriter's default), one row at a time once the widths are known:
// tablewriter holds every row until it renders, which a million findings
// make a lot.
type boxTable struct {
	w      *bufio.Writer
	widths []int // display cells of the widest text of each column
}

func (t *boxTable) size(cells []string) {
	for i, c := range cells {
		if i == len(t.widths) {
			t.widths = append(t.widths, 0)
		}
		t.widths[i] = max(t.widths[i], twwidth.Width(c))
	}
}

func (t *boxTable) rule(left, mid, right string) {
	t.w.WriteString(left)
	for i, n := range t.widths {
		if i > 0 {
			t.w.WriteString(mid)
		}
		t.w.WriteString(strings.Repeat("─", n+2))
	}
	t.w.WriteString(right + "\n")
}

func (t *boxTable) row(cells []string) {
	t.w.WriteString("│")
	for i, c := range cells {
		t.w.WriteByte(' ')
		t.w.WriteString(c)
		for range t.widths[i] - twwidth.Width(c) + 1 {
			t.w.WriteByte(' ')
		}
		t.w.WriteString("│")
	}
	t.w.WriteString("\n")
}

// scanRow is a finding's row of the scan table.
func scanRow(f scan.Finding, w8 words) []string {
	live := w8.t("scan.no")
	if f.Live {
		live = w8.t("scan.yes")
	}
	what := f.Brand + f.Kind
	if f.Type == scan.TypeSAD {
		what = f.Kind + " (" + f.Brand + ")"
	}
	if f.TestCard {
		what += w8.t("scan.test_card")
	}
	return []string{live, f.Type, what, f.Masked, fmt.Sprintf("%s:%d:%d", singleLine(f.File), f.Line, f.Column)}
}

// ScanJSON writes the scan JSON contract, streamed one finding per line: a
// tree full of card numbers gives millions, read back one at a time.
func ScanJSON(w io.Writer, r *scan.Report, _ Options) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, "{\n  \"schema_version\": 1,\n  \"files_scanned\": %d,\n  \"bytes_scanned\": %d,\n  \"findings\": [",
		r.FilesScanned, r.BytesScanned)
	// Findings are many: appended without reflection, the bytes
	// json.Marshal gives.
	if err := jsonLinesWith(bw, "  ", r.Findings(), func(b []byte, f scan.Finding) ([]byte, error) { return f.AppendJSON(b), nil }); err != nil {
		return err
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("scan json: %w", err)
	}
	bw.WriteString("],\n  \"skipped\": [")
	if err := jsonLines(bw, "  ", slices.Values(r.Skipped)); err != nil {
		return err
	}
	fmt.Fprintf(bw, "],\n  \"coverage\": {\n    \"complete\": %t,\n    \"files_read\": %d,\n    \"not_read\": [", r.Complete(), r.FilesScanned)
	if err := jsonLines(bw, "    ", slices.Values(r.Skipped)); err != nil {
		return err
	}
	bw.WriteString("],\n    \"excluded\": [")
	if err := jsonLines(bw, "    ", slices.Values(r.Excluded)); err != nil {
		return err
	}
	bw.WriteString("]\n  }\n}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("scan json: %w", err)
	}
	return nil
}

// jsonLines writes each element compact on its own line, one level deeper
// than indent, the list's own.
func jsonLines[T any](bw *bufio.Writer, indent string, items iter.Seq[T]) error {
	return jsonLinesWith(bw, indent, items, func(b []byte, it T) ([]byte, error) { return json.Marshal(it) })
}

// jsonLinesWith is jsonLines with an encoder that appends to b.
func jsonLinesWith[T any](bw *bufio.Writer, indent string, items iter.Seq[T], enc func(b []byte, it T) ([]byte, error)) error {
	n := 0
	var b []byte
	for it := range items {
		var err error
		if b, err = enc(b[:0], it); err != nil {
			return fmt.Errorf("scan json: %w", err)
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		bw.WriteString("\n  ")
		bw.WriteString(indent)
		bw.Write(b)
	}
	if n > 0 {
		bw.WriteString("\n" + indent)
	}
	return nil
}

// ScanSARIF writes a scan as a SARIF 2.1.0 log with the same model as a
// run's: a rule per finding kind, a result per finding at its file, line
// and column. Published test cards and test keys are results suppressed as
// such: a code-scanning dashboard keeps them out of its open alerts. Rules
// come before results: a first reading of the findings lists the rules, a
// second streams the results.
func ScanSARIF(w io.Writer, r *scan.Report, opt Options) error {
	rules := map[string]scanRule{}
	for f := range r.Findings() {
		id, info, _ := scanRuleOf(f)
		rules[id] = info
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("sarif report: %w", err)
	}
	ids := slices.Sorted(maps.Keys(rules))
	driver := sarifDriver{Name: "audit scan", Version: opt.Version, Rules: []sarifRule{}}
	index := map[string]int{}
	for i, id := range ids {
		index[id] = i
		sev, level := Critical, "error"
		if id == "test-pan" {
			sev, level = Info, "note"
		}
		info := rules[id]
		driver.Rules = append(driver.Rules, sarifRule{
			ID: id, Name: id, ShortDescription: sarifText{Text: info.short},
			FullDescription:      sarifText{Text: info.full},
			Help:                 sarifText{Text: info.full, Markdown: mdText(info.full)},
			DefaultConfiguration: sarifConfig{Level: level},
			Properties:           sarifRuleBag{Tags: []string{"security", "pci-dss"}, Severity: sev, SecuritySeverity: securitySeverity(sev)},
		})
	}
	// The log without results, cut where they go.
	var head bytes.Buffer
	if err := writeSARIF(&head, sarifRun{Tool: sarifTool{Driver: driver}, Invocations: []sarifInvocation{scanInvocation(r)}, Results: []sarifResult{}}); err != nil {
		return err
	}
	const empty = `"results": []`
	cut := bytes.LastIndex(head.Bytes(), []byte(empty)) + len(empty) - 1
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head.Bytes()[:cut])
	var item bytes.Buffer
	enc := json.NewEncoder(&item)
	enc.SetIndent(sarifResultIndent, "  ")
	enc.SetEscapeHTML(false)
	n := 0
	for f := range r.Findings() {
		id, _, msg := scanRuleOf(f)
		loc := sarifLocation{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifactOf(opt.Folder, f.File),
			Region:           sarifRegion{StartLine: max(f.Line, 1), StartColumn: max(f.Column, 1)},
		}}
		res := sarifResult{
			RuleID: id, RuleIndex: index[id], Level: "error", Message: sarifText{Text: msg}, Locations: []sarifLocation{loc},
			PartialFingerprints: map[string]string{"auditFinding/v1": fingerprint(id, loc.PhysicalLocation.ArtifactLocation.URI, f.Masked)},
		}
		if !f.Live {
			res.Level = "note"
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: "a provider's published test value, not a live one"}}
		}
		item.Reset()
		if err := enc.Encode(res); err != nil {
			return fmt.Errorf("sarif report: %w", err)
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		bw.WriteString("\n" + sarifResultIndent)
		bw.Write(bytes.TrimSuffix(item.Bytes(), []byte("\n")))
	}
	if err := r.Err(); err != nil {
		return fmt.Errorf("sarif report: %w", err)
	}
	if n > 0 {
		bw.WriteString("\n" + sarifResultIndent[2:])
	}
	bw.Write(head.Bytes()[cut:])
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sarif report: %w", err)
	}
	return nil
}

// sarifResultIndent is the indentation of a result in a log of one run.
const sarifResultIndent = "        "

// scanRule is what a scan's SARIF rule says.
type scanRule struct{ short, full string }

// scanRuleOf returns the SARIF rule of a finding and its result's message.
func scanRuleOf(f scan.Finding) (string, scanRule, string) {
	id := "pan"
	info := scanRule{"Card number (PAN) stored in clear",
		"A full card number is stored in clear. PCI DSS 3.4.1 and 3.5.1: render it unreadable (mask to first six / last four at most, truncate, tokenise or encrypt) or delete it."}
	msg := fmt.Sprintf("%s card number %s", f.Brand, f.Masked)
	if f.Type == scan.TypeSecret {
		id = f.Kind
		name := strings.ReplaceAll(f.Kind, "_", " ")
		info = scanRule{name + " in clear", "A " + name + " is stored in clear where code or logs are kept. Revoke it with the provider, create a new one, and keep it in a secret store rather than in files."}
		msg = fmt.Sprintf("%s %s", f.Kind, f.Masked)
	}
	if f.TestCard {
		id = "test-pan"
		info = scanRule{"Published test card number", "A provider's published test card number: harmless, reported so that test data stays out of production paths."}
		msg += " (test card)"
	}
	return id, info, msg
}

// scanInvocation says what was not read (and excluded on purpose).
func scanInvocation(r *scan.Report) sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: r.Complete(), ToolExecutionNotifications: []sarifNotification{}}
	for _, s := range r.Skipped {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifText{Text: "not read: " + s.File + ": " + s.Reason}})
	}
	for _, s := range r.Excluded {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "note", Message: sarifText{Text: "excluded: " + s.File + " (" + s.Pattern + "): " + s.Reason}})
	}
	return inv
}
