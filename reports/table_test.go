package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTableColor(t *testing.T) {
	plain := string(render(t, func(b *bytes.Buffer) error { return Table(b, fixture(), Options{}) }))
	assert.NotContains(t, plain, "\x1b[")

	color := string(render(t, func(b *bytes.Buffer) error { return Table(b, fixture(), Options{Color: true}) }))
	assert.Contains(t, color, ansiBold+ansiRed+"fail"+ansiReset)
	assert.Contains(t, color, ansiGreen+"pass"+ansiReset)
	assert.Contains(t, color, "Verdict: "+ansiBold+ansiRed+"NO-GO"+ansiReset+" (fail-on high)")
	// Colour must not shift the columns: strip it and the tables match.
	stripped := color
	for _, code := range []string{ansiReset, ansiBold, ansiRed, ansiGreen, ansiYellow, ansiBlue, ansiPurple, ansiGrey} {
		stripped = strings.ReplaceAll(stripped, code, "")
	}
	assert.Equal(t, plain, stripped)
}

// Untrusted text cannot inject escape sequences or rows into the table.
func TestTableNeutralisesControlCharacters(t *testing.T) {
	r := fixture()
	r.Steps[0].Message = "evil\x1b[2J\nsecond line\ttab"
	r.Steps[0].Title = strings.Repeat("long title ", 30)
	r.Steps[1].Message = strings.Repeat("x", 1000)
	out := string(render(t, func(b *bytes.Buffer) error { return Table(b, r, Options{}) }))
	assert.NotContains(t, out, "\x1b")
	assert.Contains(t, out, "evil [2J second line tab")
	assert.NotContains(t, out, strings.Repeat("x", tableMessageRunes+1))
	assert.Contains(t, out, "…")
}

func TestSummaryAndVerdictLines(t *testing.T) {
	tests := []struct {
		verdict Verdict
		failOn  Severity
		want    string
	}{
		{Go, High, "Verdict: GO (fail-on high)"},
		{NoGo, Critical, "Verdict: NO-GO (fail-on critical)"},
		{Undetermined, Never, "Verdict: UNDETERMINED (fail-on never)"},
	}
	for _, tt := range tests {
		r := fixture()
		r.Verdict, r.FailOn, r.Scope = tt.verdict, tt.failOn, nil
		out := string(render(t, func(b *bytes.Buffer) error { return Table(b, r, Options{}) }))
		assert.Contains(t, out, tt.want+"\n")
		assert.Contains(t, out, "9 steps: 2 pass, 3 fail, 1 error, 1 skip, 1 waived, 1 pending; 1 unchecked\n")
		assert.Contains(t, out, "Unchecked in this run (UNDETERMINED at or above "+string(tt.failOn)+" unless --allow-unchecked):\n  - amazon-pay.ipn_endpoint: offline: probe webhook.ipn needs the network\n")
		assert.NotContains(t, out, "PCI DSS scope")
	}
}
