package reports

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/scan"
)

// TestScanJSONIsTheReport: the streamed scan JSON decodes to what
// json.Marshal makes of the report (the contract's fields, test_card for
// card numbers only), whatever the file names hold.
func TestScanJSONIsTheReport(t *testing.T) {
	files := []string{
		"logs/app.log", "export.zip!orders.csv", "a \"quoted\" \\ name", "a<b>&c", "tab\there\nnewline",
		"café/naïve.txt", "bad\xffutf8", "a\u2028b", "\x00\x1f", "",
	}
	rep := &scan.Report{FilesScanned: 3, BytesScanned: 1 << 33, Skipped: []scan.Skipped{}}
	for _, file := range files {
		rep.Add(
			scan.Finding{Type: scan.TypePAN, Brand: scan.Visa, Masked: "453957******1486", Live: true, File: file, Line: 3, Column: 17},
			scan.Finding{Type: scan.TypePAN, Brand: scan.Visa, Masked: "424242******4242", TestCard: true, File: file, Line: 1, Column: 1},
			scan.Finding{Type: scan.TypeSecret, Kind: "stripe_live_secret_key", Masked: "sk_live_…(sha256:0410bd0a)", Live: true, File: file, Line: 1 << 40, Column: 2},
		)
		rep.Skipped = append(rep.Skipped, scan.Skipped{File: file, Reason: "named pipe (FIFO), not a regular file"})
	}
	rep.Excluded = []scan.Skipped{{File: "vendor/x.js", Pattern: "vendor/**", Reason: "third-party code"}}
	for _, r := range []*scan.Report{rep, {Skipped: []scan.Skipped{}, Excluded: []scan.Skipped{}}} {
		var out bytes.Buffer
		require.NoError(t, ScanJSON(&out, r, Options{}))
		var got, want any
		require.NoError(t, json.Unmarshal(out.Bytes(), &got), out.String())
		findings := slices.Collect(r.Findings())
		if findings == nil {
			findings = []scan.Finding{}
		}
		whole, err := json.Marshal(struct {
			SchemaVersion int `json:"schema_version"`
			*scan.Report
			Findings []scan.Finding `json:"findings"`
		}{1, r, findings})
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(whole, &want))
		// The excluded paths go under coverage, with what was not read.
		doc := want.(map[string]any)
		doc["coverage"] = map[string]any{
			"complete": r.Complete(), "files_read": doc["files_scanned"], "not_read": doc["skipped"], "excluded": doc["excluded"],
		}
		delete(doc, "excluded")
		assert.Equal(t, want, got)
	}
}

// TestScanFormatsGolden: every scan format, streamed from the findings,
// writes what it wrote when it was rendered from a slice of them
// (testdata/scanfmt, made by the slice version).
func TestScanFormatsGolden(t *testing.T) {
	full := func() *scan.Report {
		rep := &scan.Report{FilesScanned: 7, BytesScanned: 123456789, Skipped: []scan.Skipped{{File: "a/pipe", Reason: "named pipe (FIFO), not a regular file"}},
			Excluded: []scan.Skipped{{File: "vendor/x.js", Pattern: "vendor/**", Reason: "third-party code"}}}
		rep.Add(
			scan.Finding{Type: scan.TypeSecret, Kind: "stripe_live_secret_key", Masked: "sk_live_…(sha256:0410bd0a)", Live: true, File: "config/.env", Line: 3, Column: 19},
			scan.Finding{Type: scan.TypeSecret, Kind: "stripe_test_secret_key", Masked: "sk_test_…(sha256:2cafc097)", File: "config/.env", Line: 4, Column: 17},
			scan.Finding{Type: scan.TypeSecret, Kind: "pkcs8_private_key", Masked: "-----BEGIN PRIVATE KEY-----…(sha256:fe17f8b9)", Live: true, File: "config/k.pem", Line: 1, Column: 1},
			scan.Finding{Type: scan.TypePAN, Brand: "visa", Masked: "453957******1486", Live: true, File: "logs/app.log", Line: 2, Column: 49},
			scan.Finding{Type: scan.TypePAN, Brand: "amex", Masked: "378282*****0005", TestCard: true, File: "logs/app.log", Line: 4, Column: 33},
			scan.Finding{Type: scan.TypeSAD, Brand: "visa", Kind: "track1", Masked: "%B453957******1486^…", Live: true, File: "logs/café <&> naïve.log", Line: 9, Column: 2},
			scan.Finding{Type: scan.TypePAN, Brand: "mastercard", Masked: "555555******4444", TestCard: true, File: "src/pay.js", Line: 2, Column: 37},
			scan.Finding{Type: scan.TypeSecret, Kind: "adyen_api_key", Masked: "AQE…(sha256:76f7e86f)", Live: true, File: "src/pay.js", Line: 3, Column: 14},
		)
		return rep
	}
	opt := Options{Folder: "shop", Version: "1.2.3"}
	for _, name := range []string{"table", "json", "sarif", "github"} {
		f, ok := Lookup(name)
		require.True(t, ok)
		for suffix, rep := range map[string]*scan.Report{"": full(), "-empty": {Skipped: []scan.Skipped{}, Excluded: []scan.Skipped{}}} {
			o := opt
			if name == "table" || name == "json" {
				o = Options{}
			}
			golden(t, "scanfmt/scan-"+name+suffix+".golden", render(t, func(b *bytes.Buffer) error { return f.Scan(b, rep, o) }))
		}
	}
}

// TestBoxTableIsTablewriter: the streamed scan table draws what
// tablewriter draws from the same rows, wide and combining characters
// included.
func TestBoxTableIsTablewriter(t *testing.T) {
	header := []string{"LIVE", "TYPE", "WHAT", "MASKED", "LOCATION"}
	rows := [][]string{
		{"YES", "pan", "visa", "453957******1486", "logs/app.log:2:49"},
		{"no", "secret", "stripe_test_secret_key (test card)", "sk_test_…(sha256:2cafc097)", "日本語/ファイル.log:10:1"},
		{"YES", "sad", "track1 (visa)", "%B453957******1486^…", "café/naïve e\u0301 😀.txt:1:2"},
		{"no", "pan", "x", "4111 11•• •••• 1111", "a"},
	}
	var want, got bytes.Buffer
	tbl := tablewriter.NewTable(&want, tablewriter.WithHeaderAlignment(tw.AlignLeft), tablewriter.WithRowAlignment(tw.AlignLeft))
	tbl.Header("Live", "Type", "What", "Masked", "Location")
	for _, r := range rows {
		require.NoError(t, tbl.Append(r))
	}
	require.NoError(t, tbl.Render())
	bw := bufio.NewWriter(&got)
	b := boxTable{w: bw}
	b.size(header)
	for _, r := range rows {
		b.size(r)
	}
	b.rule("┌", "┬", "┐")
	b.row(header)
	b.rule("├", "┼", "┤")
	for _, r := range rows {
		b.row(r)
	}
	b.rule("└", "┴", "┘")
	require.NoError(t, bw.Flush())
	assert.Equal(t, want.String(), got.String())
}

// BenchmarkScanJSONFindings: the scan JSON of 100k findings, read back
// from the spill and masked at the boundary as audit scan prints them;
// this part runs on one core after the scan.
func BenchmarkScanJSONFindings(b *testing.B) {
	dir := b.TempDir()
	var text bytes.Buffer
	for i := range 100000 {
		d := []byte(fmt.Sprintf("453957%09d", i*7919%1000000000))
		sum := 0
		for k := range d { // the Luhn check digit
			v := int(d[len(d)-1-k] - '0')
			if k%2 == 0 {
				if v *= 2; v > 9 {
					v -= 9
				}
			}
			sum += v
		}
		fmt.Fprintf(&text, "order %d card %s%d paid\n", i, d, (10-sum%10)%10)
		if i%7 == 0 {
			fmt.Fprintf(&text, "key sk_live_%024d\n", i)
		}
	}
	require.NoError(b, os.WriteFile(filepath.Join(dir, "orders.log"), text.Bytes(), 0o644))
	rep, err := scan.Paths(context.Background(), []string{dir}, scan.Options{SpillDir: dir})
	require.NoError(b, err)
	defer rep.Close()
	rep.MapText(scan.Sanitize)
	require.Equal(b, 100000+100000/7, rep.Counts.Findings()) // the all-zero key is a placeholder
	b.ReportAllocs()
	for b.Loop() {
		require.NoError(b, ScanJSON(io.Discard, rep, Options{}))
	}
}
