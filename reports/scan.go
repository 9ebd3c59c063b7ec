package reports

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/audit-tool/audit/scan"
)

// ScanTable writes a scan for a terminal: one row per finding, then the
// counts.
func ScanTable(w io.Writer, r *scan.Report, _ Options) error {
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
	)
	t.Header("Live", "Type", "What", "Masked", "Location")
	for _, f := range r.Findings {
		live := "no"
		if f.Live {
			live = "YES"
		}
		what := f.Brand + f.Kind
		if f.Type == scan.TypeSAD {
			what = f.Kind + " (" + f.Brand + ")"
		}
		if f.TestCard {
			what += " (test card)"
		}
		if err := t.Append([]string{live, f.Type, what, f.Masked, fmt.Sprintf("%s:%d:%d", singleLine(f.File), f.Line, f.Column)}); err != nil {
			return fmt.Errorf("scan table: %w", err)
		}
	}
	if len(r.Findings) > 0 {
		if err := t.Render(); err != nil {
			return fmt.Errorf("scan table: %w", err)
		}
	}
	var pans, tests, secrets, liveSecrets, sad int
	for _, f := range r.Findings {
		switch {
		case f.Type == scan.TypeSAD:
			sad++
		case f.Type == scan.TypePAN && f.TestCard:
			tests++
		case f.Type == scan.TypePAN:
			pans++
		case f.Live:
			liveSecrets++
		default:
			secrets++
		}
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "NOT READ  %s: %s\n", singleLine(s.File), singleLine(s.Reason))
	}
	for _, s := range r.Excluded {
		fmt.Fprintf(w, "EXCLUDED  %s (%s): %s\n", singleLine(s.File), singleLine(s.Pattern), singleLine(s.Reason))
	}
	_, err := fmt.Fprintf(w, "%d files, %.1f MB scanned: %d card numbers, %d test cards, %d track data or CVV, %d live secrets, %d test secrets, %d not read, %d excluded\n",
		r.FilesScanned, float64(r.BytesScanned)/(1<<20), pans, tests, sad, liveSecrets, secrets, len(r.Skipped), len(r.Excluded))
	return err
}

// ScanJSON writes the scan JSON contract, streamed one finding per line: a
// tree full of card numbers gives hundreds of thousands, and encoding them
// as one value would hold the whole document in memory twice.
func ScanJSON(w io.Writer, r *scan.Report, _ Options) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, "{\n  \"schema_version\": 1,\n  \"files_scanned\": %d,\n  \"bytes_scanned\": %d,\n  \"findings\": [",
		r.FilesScanned, r.BytesScanned)
	if err := jsonLines(bw, "  ", r.Findings); err != nil {
		return err
	}
	bw.WriteString("],\n  \"skipped\": [")
	if err := jsonLines(bw, "  ", r.Skipped); err != nil {
		return err
	}
	fmt.Fprintf(bw, "],\n  \"coverage\": {\n    \"complete\": %t,\n    \"files_read\": %d,\n    \"not_read\": [", r.Complete(), r.FilesScanned)
	if err := jsonLines(bw, "    ", r.Skipped); err != nil {
		return err
	}
	bw.WriteString("],\n    \"excluded\": [")
	if err := jsonLines(bw, "    ", r.Excluded); err != nil {
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
func jsonLines[T any](bw *bufio.Writer, indent string, items []T) error {
	for i, it := range items {
		b, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("scan json: %w", err)
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n  " + indent)
		bw.Write(b)
	}
	if len(items) > 0 {
		bw.WriteString("\n" + indent)
	}
	return nil
}

// ScanSARIF writes a scan as a SARIF 2.1.0 log with the same model as a
// run's: a rule per finding kind, a result per finding at its file, line
// and column. Published test cards and test keys are results suppressed as
// such: a code-scanning dashboard keeps them out of its open alerts.
func ScanSARIF(w io.Writer, r *scan.Report, opt Options) error {
	type ruleInfo struct{ short, full string }
	rules := map[string]ruleInfo{}
	results := []sarifResult{}
	for _, f := range r.Findings {
		id := "pan"
		info := ruleInfo{"Card number (PAN) stored in clear",
			"A full card number is stored in clear. PCI DSS 3.4.1 and 3.5.1: render it unreadable (mask to first six / last four at most, truncate, tokenise or encrypt) or delete it."}
		msg := fmt.Sprintf("%s card number %s", f.Brand, f.Masked)
		if f.Type == scan.TypeSecret {
			id = f.Kind
			name := strings.ReplaceAll(f.Kind, "_", " ")
			info = ruleInfo{name + " in clear", "A " + name + " is stored in clear where code or logs are kept. Revoke it with the provider, create a new one, and keep it in a secret store rather than in files."}
			msg = fmt.Sprintf("%s %s", f.Kind, f.Masked)
		}
		if f.TestCard {
			id = "test-pan"
			info = ruleInfo{"Published test card number", "A provider's published test card number: harmless, reported so that test data stays out of production paths."}
			msg += " (test card)"
		}
		rules[id] = info
		loc := sarifLocation{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifactOf(opt.Folder, f.File),
			Region:           sarifRegion{StartLine: max(f.Line, 1), StartColumn: max(f.Column, 1)},
		}}
		res := sarifResult{
			RuleID: id, Level: "error", Message: sarifText{Text: msg}, Locations: []sarifLocation{loc},
			PartialFingerprints: map[string]string{"auditFinding/v1": fingerprint(id, loc.PhysicalLocation.ArtifactLocation.URI, f.Masked)},
		}
		if !f.Live {
			res.Level = "note"
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: "a provider's published test value, not a live one"}}
		}
		results = append(results, res)
	}
	ids := make([]string, 0, len(rules))
	for id := range rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
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
	for i := range results {
		results[i].RuleIndex = index[results[i].RuleID]
	}
	return writeSARIF(w, sarifRun{Tool: sarifTool{Driver: driver}, Invocations: []sarifInvocation{scanInvocation(r)}, Results: results})
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
