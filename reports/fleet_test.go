package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var fleetNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func fleetResult(verdict Verdict, saq string, steps ...Step) *Result {
	r := &Result{SchemaVersion: 1, RunID: "run-" + string(verdict), Verdict: verdict, FailOn: High, Steps: steps}
	r.Decide()
	r.Verdict = verdict // the fixture's, whatever its few steps say
	if saq != "" {
		r.Scope = &Scope{SAQ: saq, Reasons: []string{"because"}}
	}
	return r
}

func fst(id string, status Status) Step {
	return Step{ID: id, Title: "Title of " + id, Severity: High, Status: status}
}

// fleetFixture: a GO merchant, a NO-GO one that regressed, an error row,
// one that is new in this run, and a waiver about to expire.
func fleetFixture() *FleetReport {
	b := NewFleetBuilder("w48", "w47", fleetNow)
	b.AddPrevious("a-go", fleetResult(Go, "A", fst("x.tls", Pass)))
	b.AddPrevious("b-nogo", fleetResult(Go, "A", fst("x.tls", Pass), fst("x.keys", Pass)))
	b.AddPrevious("c-error", fleetResult(NoGo, "D", fst("x.tls", Fail)))
	waived := fst("x.hsts", Waived)
	waived.Waiver = &Waiver{Reason: "CDN", ApprovedBy: "CISO", Expires: "2026-12-01"}
	later := fst("x.csp", Waived)
	later.Waiver = &Waiver{Reason: "later", ApprovedBy: "CISO", Expires: "2027-06-01"}
	b.Add(FleetMerchant{ID: "b-nogo", Owner: "EU", Tags: []string{"eu"}}, fleetResult(NoGo, "A-EP", fst("x.tls", Fail), fst("x.keys", Error), waived))
	b.Add(FleetMerchant{ID: "a-go"}, fleetResult(Go, "A", fst("x.tls", Pass), later))
	b.Add(FleetMerchant{ID: "c-error", Error: "3 configuration error(s)"}, nil)
	b.Add(FleetMerchant{ID: "d-new"}, fleetResult(NoGo, "", fst("x.tls", Fail)))
	return b.Report()
}

func TestFleetBuilder(t *testing.T) {
	rep := fleetFixture()
	var ids []string
	for _, m := range rep.Merchants {
		ids = append(ids, m.ID)
	}
	assert.Equal(t, []string{"a-go", "b-nogo", "c-error", "d-new"}, ids)
	assert.Equal(t, map[Verdict]int{Go: 1, NoGo: 2, Undetermined: 1}, rep.Totals)
	assert.Equal(t, map[string]int{"A": 1, "A-EP": 1, "none": 2}, rep.SAQ)
	assert.Equal(t, 1, rep.Errors)
	assert.Equal(t, NoGo, rep.Verdict())
	assert.Equal(t, Undetermined, rep.Merchants[2].Verdict, "an error row is UNDETERMINED, never GO")
	assert.Equal(t, "A-EP", rep.Merchants[1].SAQ)
	assert.Equal(t, 1, rep.Merchants[1].Summary.Fail)

	assert.Equal(t, []FailingStep{
		{ID: "x.tls", Title: "Title of x.tls", Severity: High, Merchants: 2},
		{ID: "x.keys", Title: "Title of x.keys", Severity: High, Merchants: 1},
	}, rep.FailingSteps)

	// b regressed (GO → NO-GO, two steps); c went from NO-GO to an error
	// (UNDETERMINED is not worse than NO-GO); d has no previous run.
	assert.Equal(t, []Regression{{Merchant: "b-nogo", OldVerdict: Go, NewVerdict: NoGo, Steps: []string{"x.tls", "x.keys"}}}, rep.Regressed)

	require.Len(t, rep.ExpiringWaivers, 1, "only the waiver ending within 30 days")
	assert.Equal(t, "b-nogo", rep.ExpiringWaivers[0].Merchant)
	assert.Equal(t, "x.hsts", rep.ExpiringWaivers[0].ID)
	assert.Equal(t, 8, rep.ExpiringWaivers[0].DaysLeft)
}

func TestFleetVerdict(t *testing.T) {
	for _, tc := range []struct {
		totals map[Verdict]int
		want   Verdict
	}{
		{map[Verdict]int{Go: 3}, Go},
		{map[Verdict]int{Go: 3, Undetermined: 1}, Undetermined},
		{map[Verdict]int{Go: 3, Undetermined: 1, NoGo: 1}, NoGo},
		{map[Verdict]int{}, Go},
	} {
		assert.Equal(t, tc.want, (&FleetReport{Totals: tc.totals}).Verdict(), fmt.Sprint(tc.totals))
	}
}

// The JSON contract: merchants[] with id, verdict, saq, run_id, summary;
// totals with all three verdicts.
func TestFleetJSONContract(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, FleetJSON(&buf, NewFleetBuilder("empty", "", fleetNow).Report(), Options{}))
	var empty map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &empty))
	assert.Equal(t, []any{}, empty["merchants"], "an empty fleet has [] merchants, not null")
	assert.Equal(t, map[string]any{"GO": 0.0, "NO-GO": 0.0, "UNDETERMINED": 0.0}, empty["totals"])

	buf.Reset()
	require.NoError(t, FleetJSON(&buf, fleetFixture(), Options{}))
	var doc struct {
		Merchants []map[string]json.RawMessage `json:"merchants"`
		Totals    map[string]int               `json:"totals"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, map[string]int{"GO": 1, "NO-GO": 2, "UNDETERMINED": 1}, doc.Totals)
	require.Len(t, doc.Merchants, 4)
	for _, m := range doc.Merchants {
		for _, key := range []string{"id", "verdict", "saq", "run_id", "summary"} {
			assert.Contains(t, m, key)
		}
	}
	assert.JSONEq(t, `"b-nogo"`, string(doc.Merchants[1]["id"]))
	assert.JSONEq(t, `"run-NO-GO"`, string(doc.Merchants[1]["run_id"]))
	var sum Summary
	require.NoError(t, json.Unmarshal(doc.Merchants[1]["summary"], &sum))
	assert.Equal(t, 3, sum.Total)
}

func TestParseFleetFormats(t *testing.T) {
	fs, err := ParseFleetFormats("json, pdf,json")
	require.NoError(t, err)
	require.Len(t, fs, 2)
	assert.Equal(t, "fleet.json", fs[0].File)
	assert.Equal(t, "fleet.pdf", fs[1].File)
	_, err = ParseFleetFormats("junit")
	assert.ErrorContains(t, err, "known: table, json, csv, markdown, pdf")
	_, err = ParseFleetFormats(",")
	assert.Error(t, err)
}

func TestFleetCSV(t *testing.T) {
	rep := fleetFixture()
	rep.Merchants[0].Owner = "=HYPERLINK(\"http://x\")"
	var buf bytes.Buffer
	require.NoError(t, FleetCSV(&buf, rep, Options{}))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 5)
	assert.Equal(t, []string{"id", "verdict", "saq", "run_id"}, rows[0][:4])
	assert.Equal(t, []string{"b-nogo", "NO-GO", "A-EP", "run-NO-GO", "3", "0", "1", "1"}, rows[2][:8])
	assert.Equal(t, "'=HYPERLINK(\"http://x\")", rows[1][12], "no formula reaches a spreadsheet")
	assert.Equal(t, "3 configuration error(s)", rows[3][15])
}

func TestFleetTableAndMarkdown(t *testing.T) {
	rep := fleetFixture()
	var tb bytes.Buffer
	require.NoError(t, FleetTable(&tb, rep, Options{}))
	out := tb.String()
	assert.NotContains(t, out, "a-go", "GO merchants are only counted")
	for _, want := range []string{"b-nogo", "c-error", "3 configuration error(s)", "4 merchants, 1 GO, 2 NO-GO, 1 UNDETERMINED (1 without a result)",
		"SAQ: A 1, A-EP 1, none 2", "2  x.tls", "Regressed since w47: 1", "b-nogo: GO -> NO-GO x.tls, x.keys",
		"Waiver of x.hsts for b-nogo (approved by CISO) expires 2026-12-01, in 8 days", "Fleet verdict: NO-GO"} {
		assert.Contains(t, out, want)
	}
	var md bytes.Buffer
	require.NoError(t, FleetMarkdown(&md, rep, Options{}))
	for _, want := range []string{"## audit fleet w48: **NO-GO**", "| 2 | <code>x.tls</code> | high |", "- **b-nogo**: GO → NO-GO x.tls, x.keys",
		"| b-nogo | <code>x.hsts</code> | CISO | 2026-12-01 (8 days) |", "| c-error | UNDETERMINED | - | 0 | 0 | 0 | 3 configuration error(s) |"} {
		assert.Contains(t, md.String(), want)
	}
}

func TestFleetPDF(t *testing.T) {
	rep := fleetFixture()
	rep.Merchants[0].ID = "café-étoile" // accented text renders
	for i := range 120 {                // enough merchants for page breaks
		rep.Merchants = append(rep.Merchants, FleetMerchant{ID: fmt.Sprintf("m-%03d", i), Verdict: Go, SAQ: "A"})
	}
	var a, b bytes.Buffer
	require.NoError(t, FleetPDF(&a, rep, Options{}))
	require.NoError(t, FleetPDF(&b, rep, Options{}))
	assert.Equal(t, a.Bytes(), b.Bytes(), "the same report gives the same bytes")
	text, pages := pdfText(t, a.Bytes())
	assert.GreaterOrEqual(t, pages, 4)
	for _, want := range []string{"Fleet audit report — w48", "NO-GO", "café-étoile", "Most failing steps", "x.tls",
		"Regressed since w47: 1", "Waivers expiring within 30 days", "m-119", "Report sha256", "Page 1 of"} {
		assert.Contains(t, text, want)
	}
}

func TestFleetTableListsAScreenful(t *testing.T) {
	b := NewFleetBuilder("big", "", fleetNow)
	for i := range 70 {
		b.Add(FleetMerchant{ID: fmt.Sprintf("m-%03d", i)}, fleetResult(NoGo, "A", fst("x.tls", Fail)))
	}
	var out bytes.Buffer
	require.NoError(t, FleetTable(&out, b.Report(), Options{}))
	assert.Contains(t, out.String(), "m-049")
	assert.NotContains(t, out.String(), "m-050")
	assert.Contains(t, out.String(), "… and 20 more not GO")
}
