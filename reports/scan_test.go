package reports

import (
	"bytes"
	"encoding/json"
	"testing"

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
	rep := &scan.Report{FilesScanned: 3, BytesScanned: 1 << 33, Findings: []scan.Finding{}, Skipped: []scan.Skipped{}}
	for _, file := range files {
		rep.Findings = append(rep.Findings,
			scan.Finding{Type: scan.TypePAN, Brand: scan.Visa, Masked: "453957******1486", Live: true, File: file, Line: 3, Column: 17},
			scan.Finding{Type: scan.TypePAN, Brand: scan.Visa, Masked: "424242******4242", TestCard: true, File: file, Line: 1, Column: 1},
			scan.Finding{Type: scan.TypeSecret, Kind: "stripe_live_secret_key", Masked: "sk_live_…(sha256:0410bd0a)", Live: true, File: file, Line: 1 << 40, Column: 2},
		)
		rep.Skipped = append(rep.Skipped, scan.Skipped{File: file, Reason: "named pipe (FIFO), not a regular file"})
	}
	rep.Excluded = []scan.Skipped{{File: "vendor/x.js", Pattern: "vendor/**", Reason: "third-party code"}}
	for _, r := range []*scan.Report{rep, {Findings: []scan.Finding{}, Skipped: []scan.Skipped{}, Excluded: []scan.Skipped{}}} {
		var out bytes.Buffer
		require.NoError(t, ScanJSON(&out, r, Options{}))
		var got, want any
		require.NoError(t, json.Unmarshal(out.Bytes(), &got), out.String())
		whole, err := json.Marshal(struct {
			SchemaVersion int `json:"schema_version"`
			*scan.Report
		}{1, r})
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
