package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"

	"github.com/audit-tool/audit/reports"
	"github.com/audit-tool/audit/scan"
	"github.com/audit-tool/audit/walk"
)

type scanFlags struct {
	format  string
	out     string
	exclude []string
	workers int
	timeout time.Duration
}

// scanFormat is one output of `audit scan`: File is its name under --out
// ("" for table, which always goes to stdout).
type scanFormat struct {
	name, file string
	render     func(w io.Writer, r *scan.Report) error
}

func scanFormats() []scanFormat {
	return []scanFormat{
		{name: "table", render: scanTable},
		{name: "json", file: "scan.json", render: scanJSON},
		{name: "sarif", file: "scan.sarif", render: scanSARIF},
	}
}

func newScanCmd(a *app) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan PATH...",
		Short: "Find card numbers and secrets in files and folders",
		Long: `Scan files and folders for card numbers (PANs: Visa, Mastercard, Amex, Discover,
Diners, JCB, UnionPay, Maestro; Luhn-checked) and secrets (Stripe live keys, PEM
private keys such as Amazon Pay's, PayPal/Braintree access tokens, Adyen API keys).
Archives and compressed files (zip, jar, tar, gz, bz2, xz, zstd, nested), office
documents, PDF text, UTF-16 text and the printable strings of binary files are
read. Values are only ever shown masked: 411111******1111, sk_live_…(sha256:1f2e3d4c),
file names too. Symbolic links out of the given paths, FIFOs and devices are
not followed; like unreadable, encrypted or unsupported content they are listed
as not read, and a scan that found nothing live but could not read everything
proves nothing: it exits 3.

Providers' published test cards and test-mode keys are reported but do not fail.
Exit codes: 0 nothing live found and everything read, 1 a live card number or
secret found, 2 usage error, 3 nothing live found but something not read (or
--timeout reached).`,
		Example: `  audit scan logs/ src/ .env
  audit scan . --exclude 'node_modules=third-party code, scanned by SCA' --format json --out build/audit`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.scan(cmd.Context(), args, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "table", "comma-separated: table, json, sarif")
	fl.StringVar(&f.out, "out", "", "folder for scan.json and scan.sarif (default: stdout)")
	fl.StringArrayVar(&f.exclude, "exclude", nil, "'GLOB=REASON': leave out files and folders matching GLOB, a name (node_modules, *.min.js) or a path relative to the working directory with ** (repeatable; the reason is shown in every report)")
	fl.IntVar(&f.workers, "parallel", 0, "files scanned at once (default: one per CPU)")
	fl.DurationVar(&f.timeout, "timeout", 0, "give up after this long (exit 3); 0: no limit")
	return cmd
}

func (a *app) scan(ctx context.Context, paths []string, f scanFlags) error {
	formats, err := parseScanFormats(f.format, f.out != "")
	if err != nil {
		return usageErr("%w", err)
	}
	var excludes []walk.Exclude
	for _, e := range f.exclude {
		pattern, reason, _ := strings.Cut(e, "=")
		if reason = strings.TrimSpace(reason); reason == "" {
			reason = "excluded with --exclude, no reason given"
		}
		excludes = append(excludes, walk.Exclude{Pattern: pattern, Reason: reason})
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	rep, err := scan.Paths(ctx, paths, scan.Options{Exclude: excludes, Workers: f.workers})
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{code: exitUndetermined, err: fmt.Errorf("UNDETERMINED: scan stopped: %w", err)}
		}
		return usageErr("%w", err)
	}
	if f.out != "" {
		if err := os.MkdirAll(f.out, 0o755); err != nil {
			return usageErr("--out: %w", err)
		}
	}
	for _, sf := range formats {
		if sf.file == "" || f.out == "" {
			if err := sf.render(a.stdout, rep); err != nil {
				return err
			}
			continue
		}
		if err := reports.WriteFile(filepath.Join(f.out, sf.file), func(w io.Writer) error { return sf.render(w, rep) }); err != nil {
			return err
		}
	}
	reportSkipped(a.stderr, rep)
	if n := countLive(rep); n > 0 {
		return &exitError{code: exitNoGo, err: fmt.Errorf("NO-GO: %d live card number(s) or secret(s) found", n)}
	}
	if !rep.Complete() {
		return &exitError{code: exitUndetermined, err: fmt.Errorf("UNDETERMINED: nothing live found, but %d path(s) could not be read", len(rep.Skipped))}
	}
	return nil
}

func parseScanFormats(list string, toFiles bool) ([]scanFormat, error) {
	var out []scanFormat
	var names []string
	for _, sf := range scanFormats() {
		names = append(names, sf.name)
	}
	stdout := 0
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		i := slices.Index(names, name)
		if i < 0 {
			return nil, fmt.Errorf("unknown scan format %q (known: %s)", name, strings.Join(names, ", "))
		}
		sf := scanFormats()[i]
		if slices.ContainsFunc(out, func(o scanFormat) bool { return o.name == name }) {
			continue
		}
		if sf.file == "" || !toFiles {
			stdout++
		}
		out = append(out, sf)
	}
	if stdout > 1 {
		return nil, errors.New("only one format can go to stdout: give --out DIR for json and sarif")
	}
	return out, nil
}

func countLive(r *scan.Report) int {
	n := 0
	for _, f := range r.Findings {
		if f.Live {
			n++
		}
	}
	return n
}

// reportSkipped tells stderr what was not read, and what was excluded.
func reportSkipped(w io.Writer, r *scan.Report) {
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "audit: not read: %s: %s\n", s.File, s.Reason)
	}
	for _, s := range r.Excluded {
		fmt.Fprintf(w, "audit: excluded: %s (%s): %s\n", s.File, s.Pattern, s.Reason)
	}
}

// scanJSON streams the report, one finding per line: a tree full of card
// numbers gives hundreds of thousands, and encoding them in one value would
// hold the whole document in memory. Findings are encoded by hand, byte for
// byte as encoding/json writes them, without reflection.
func scanJSON(w io.Writer, r *scan.Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(bw, "{\n  \"schema_version\": 1,\n  \"files_scanned\": %d,\n  \"bytes_scanned\": %d,\n  \"findings\": [",
		r.FilesScanned, r.BytesScanned)
	for i, f := range r.Findings {
		b := bw.AvailableBuffer()
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    "...)
		bw.Write(appendFinding(b, f))
	}
	if len(r.Findings) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n  \"skipped\": ")
	if err := writeJSONList(bw, "  ", r.Skipped); err != nil {
		return err
	}
	fmt.Fprintf(bw, ",\n  \"coverage\": {\n    \"complete\": %t,\n    \"files_read\": %d,\n    \"not_read\": ", r.Complete(), r.FilesScanned)
	if err := writeJSONList(bw, "    ", r.Skipped); err != nil {
		return err
	}
	bw.WriteString(",\n    \"excluded\": ")
	if err := writeJSONList(bw, "    ", r.Excluded); err != nil {
		return err
	}
	bw.WriteString("\n  }\n}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("scan json: %w", err)
	}
	return nil
}

// writeJSONList writes a list of skipped paths, one a line.
func writeJSONList(bw *bufio.Writer, indent string, items []scan.Skipped) error {
	bw.WriteByte('[')
	for i, sk := range items {
		b, err := json.Marshal(sk)
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
	bw.WriteByte(']')
	return nil
}

// appendFinding appends f as json.Marshal encodes it (scan.Finding's
// MarshalJSON: test_card for card numbers only).
func appendFinding(b []byte, f scan.Finding) []byte {
	b = append(b, `{"type":`...)
	b = appendJSONString(b, f.Type)
	pan := f.Type == scan.TypePAN
	if f.Brand != "" && pan {
		b = append(b, `,"brand":`...)
		b = appendJSONString(b, f.Brand)
	}
	if f.Kind != "" || !pan {
		b = append(b, `,"kind":`...)
		b = appendJSONString(b, f.Kind)
	}
	b = append(b, `,"masked":`...)
	b = appendJSONString(b, f.Masked)
	if pan {
		b = append(b, `,"test_card":`...)
		b = strconv.AppendBool(b, f.TestCard)
	}
	b = append(b, `,"live":`...)
	b = strconv.AppendBool(b, f.Live)
	b = append(b, `,"file":`...)
	b = appendJSONString(b, f.File)
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(f.Line), 10)
	b = append(b, `,"column":`...)
	b = strconv.AppendInt(b, int64(f.Column), 10)
	return append(b, '}')
}

// appendJSONString appends s quoted as encoding/json quotes it. Text
// without characters to escape (every masked value, most file names) is
// copied as is; anything else goes through encoding/json, for its escaping
// of HTML characters, control characters, U+2028/9 and invalid UTF-8.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < ' ' || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendMarshaled(b, s)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == '\u2028' || r == '\u2029' {
			return appendMarshaled(b, s)
		}
		i += n
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshaled(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}

func scanTable(w io.Writer, r *scan.Report) error {
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
		if f.TestCard {
			what += " (test card)"
		}
		if err := t.Append([]string{live, f.Type, what, f.Masked, fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)}); err != nil {
			return fmt.Errorf("scan table: %w", err)
		}
	}
	if len(r.Findings) > 0 {
		if err := t.Render(); err != nil {
			return fmt.Errorf("scan table: %w", err)
		}
	}
	var pans, tests, secrets, liveSecrets int
	for _, f := range r.Findings {
		switch {
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
		fmt.Fprintf(w, "NOT READ  %s: %s\n", s.File, s.Reason)
	}
	for _, s := range r.Excluded {
		fmt.Fprintf(w, "EXCLUDED  %s (%s): %s\n", s.File, s.Pattern, s.Reason)
	}
	_, err := fmt.Fprintf(w, "%d files, %.1f MB scanned: %d card numbers, %d test cards, %d live secrets, %d test secrets, %d not read, %d excluded\n",
		r.FilesScanned, float64(r.BytesScanned)/(1<<20), pans, tests, liveSecrets, secrets, len(r.Skipped), len(r.Excluded))
	return err
}

// SARIF 2.1.0, the subset code-scanning dashboards read: a rule per
// finding kind, a result per finding.
type (
	sarifDoc struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations"`
		Results     []sarifResult     `json:"results"`
	}
	// sarifInvocation says what was not read (and excluded on purpose).
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
	}
	sarifNotification struct {
		Level   string       `json:"level"`
		Message sarifMessage `json:"message"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID               string       `json:"id"`
		ShortDescription sarifMessage `json:"shortDescription"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
	}
)

func scanSARIF(w io.Writer, r *scan.Report) error {
	rules := map[string]string{}
	results := []sarifResult{}
	for _, f := range r.Findings {
		id, desc, msg := "pan", "Card number (PAN) stored in clear", fmt.Sprintf("%s card number %s", f.Brand, f.Masked)
		if f.Type == scan.TypeSecret {
			id, desc, msg = f.Kind, strings.ReplaceAll(f.Kind, "_", " ")+" in clear", fmt.Sprintf("%s %s", f.Kind, f.Masked)
		}
		if f.TestCard {
			id, desc, msg = "test-pan", "Published test card number", msg+" (test card)"
		}
		rules[id] = desc
		level := "error"
		if !f.Live {
			level = "note"
		}
		results = append(results, sarifResult{
			RuleID: id, Level: level, Message: sarifMessage{msg},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: (&url.URL{Path: f.File}).String()},
				Region:           sarifRegion{StartLine: max(f.Line, 1), StartColumn: max(f.Column, 1)},
			}}},
		})
	}
	ids := make([]string, 0, len(rules))
	for id := range rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	driver := sarifDriver{Name: "audit scan", Version: version, Rules: []sarifRule{}}
	for _, id := range ids {
		driver.Rules = append(driver.Rules, sarifRule{ID: id, ShortDescription: sarifMessage{rules[id]}})
	}
	doc := sarifDoc{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Invocations: []sarifInvocation{scanInvocation(r)}, Results: results}},
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	if err := e.Encode(doc); err != nil {
		return fmt.Errorf("scan sarif: %w", err)
	}
	return nil
}

func scanInvocation(r *scan.Report) sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: r.Complete(), ToolExecutionNotifications: []sarifNotification{}}
	for _, s := range r.Skipped {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "error", Message: sarifMessage{"not read: " + s.File + ": " + s.Reason}})
	}
	for _, s := range r.Excluded {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
			sarifNotification{Level: "note", Message: sarifMessage{"excluded: " + s.File + " (" + s.Pattern + "): " + s.Reason}})
	}
	return inv
}
