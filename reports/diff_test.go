package reports

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runOf(steps ...Step) *Result {
	r := &Result{SchemaVersion: SchemaVersion, FailOn: High, Steps: steps}
	r.Decide()
	return r
}

func st(id string, status Status) Step {
	return Step{ID: id, Checklist: "c", Title: "title " + id, Severity: High, Status: status}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		was, now Status
		want     Change
	}{
		{"", Fail, New},
		{"", Error, New},
		{"", Pending, New},
		{"", Pass, Added},
		{"", Skip, Added},
		{Fail, Fail, StillFailing},
		{Pending, Error, StillFailing},
		{Fail, Pass, Fixed},
		{Error, Waived, Fixed},
		{Pending, Pass, Fixed},
		{Pass, Fail, Regressed},
		{Waived, Fail, Regressed},
		{Skip, Pending, Regressed},
		{Pass, Error, Regressed},
		{Pass, Pass, Unchanged},
		{Skip, Skip, Unchanged},
		{Pass, Skip, Changed},
		{Fail, Skip, Changed},
		{Waived, Pass, Changed},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classify(tt.was, tt.now), "%q -> %q", tt.was, tt.now)
	}
}

func TestDiff(t *testing.T) {
	now := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)
	waived := func(id, expires string, expired bool) Step {
		s := st(id, Waived)
		if expired {
			s.Status = Fail
		}
		s.Waiver = &Waiver{ApprovedBy: "CISO", Expires: expires, Expired: expired}
		return s
	}
	tests := []struct {
		name      string
		prev      *Result
		next      *Result
		changes   map[string]Change
		regressed bool
		expiring  []ExpiringWaiver
	}{
		{
			name:    "identical",
			prev:    runOf(st("c.a", Pass), st("c.b", Fail)),
			next:    runOf(st("c.a", Pass), st("c.b", Fail)),
			changes: map[string]Change{"c.a": Unchanged, "c.b": StillFailing},
		},
		{
			name:      "regression",
			prev:      runOf(st("c.a", Pass), st("c.b", Fail)),
			next:      runOf(st("c.a", Fail), st("c.b", Pass)),
			changes:   map[string]Change{"c.a": Regressed, "c.b": Fixed},
			regressed: true,
		},
		{
			name:      "new failing step",
			prev:      runOf(st("c.a", Pass)),
			next:      runOf(st("c.a", Pass), st("c.new", Pending)),
			changes:   map[string]Change{"c.a": Unchanged, "c.new": New},
			regressed: true,
		},
		{
			name:    "added and removed",
			prev:    runOf(st("c.gone", Fail)),
			next:    runOf(st("c.added", Pass)),
			changes: map[string]Change{"c.added": Added, "c.gone": Removed},
		},
		{
			name: "expiring waivers",
			prev: runOf(),
			next: runOf(
				waived("c.late", "2027-06-01", false),
				waived("c.soon", "2026-12-01", false),
				waived("c.today", "2026-11-23", false),
				waived("c.edge", "2026-12-23", false),
				waived("c.past", "2026-11-01", true),
				waived("c.bad", "soon", false),
			),
			changes: map[string]Change{"c.late": Added, "c.soon": Added, "c.today": Added, "c.edge": Added, "c.past": New, "c.bad": Added},
			expiring: []ExpiringWaiver{
				{ID: "c.today", ApprovedBy: "CISO", Expires: "2026-11-23", DaysLeft: 0},
				{ID: "c.soon", ApprovedBy: "CISO", Expires: "2026-12-01", DaysLeft: 8},
				{ID: "c.edge", ApprovedBy: "CISO", Expires: "2026-12-23", DaysLeft: 30},
			},
			regressed: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diff(tt.prev, tt.next, now)
			got := map[string]Change{}
			total := 0
			for _, s := range d.Steps {
				got[s.ID] = s.Change
			}
			for _, n := range d.Counts {
				total += n
			}
			assert.Equal(t, tt.changes, got)
			assert.Equal(t, len(d.Steps), total)
			assert.Equal(t, tt.regressed, d.Regressed())
			if tt.expiring == nil {
				tt.expiring = []ExpiringWaiver{}
			}
			assert.Equal(t, tt.expiring, d.Expiring)
			assert.Equal(t, tt.prev.Verdict, d.OldVerdict)
			assert.Equal(t, tt.next.Verdict, d.NewVerdict)
		})
	}
}

func TestDiffRenderers(t *testing.T) {
	prev := runOf(st("c.a", Pass), st("c.b", Fail), st("c.gone", Pass))
	next := runOf(st("c.a", Fail), st("c.b", Pass), st("c.new", Error))
	next.Steps[1].Waiver = &Waiver{ApprovedBy: "CISO", Expires: "2026-12-01"}
	next.Steps[1].Status = Waived
	d := Diff(prev, next, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))

	var table bytes.Buffer
	require.NoError(t, DiffTable(&table, d, Options{}))
	golden(t, "diff_table.golden", table.Bytes())

	var out bytes.Buffer
	require.NoError(t, DiffJSON(&out, d))
	golden(t, "diff_json.golden", out.Bytes())
	var back DiffResult
	require.NoError(t, json.Unmarshal(out.Bytes(), &back))
	assert.Equal(t, d, back)

	var color bytes.Buffer
	require.NoError(t, DiffTable(&color, d, Options{Color: true}))
	assert.Contains(t, color.String(), ansiBold+ansiRed+"regressed"+ansiReset)
}
