package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	assert.NotContains(t, out, "…", "nothing is cut")
	assert.Contains(t, out, "│ "+strings.Repeat("x", 47)+" │\n", "the long message wraps")
	assert.GreaterOrEqual(t, strings.Count(out, "x"), 1000, "the long message is all there")
}

func TestWrapKeepsEveryCharacter(t *testing.T) {
	tests := []struct {
		text  string
		width int
	}{
		{"", 10},
		{"short", 10},
		{"one two three four five six seven", 10},
		{"https://pay-api.amazon.eu/sandbox/v2/checkoutSessions?x=1&y=2 then more", 16},
		{strings.Repeat("x", 1000), 33},
		{"Café Étoile SARL ＣＪＫ全角の名前です wide runes", 9},
		{"カフェ・エトワール株式会社", 8},
	}
	for _, tt := range tests {
		lines := wrap(tt.text, tt.width)
		require.NotEmpty(t, lines)
		for _, l := range lines {
			assert.LessOrEqual(t, runewidth.StringWidth(l), tt.width, "%q", l)
		}
		assert.Equal(t, strings.Join(strings.Fields(tt.text), ""), strings.ReplaceAll(strings.Join(lines, ""), " ", ""), tt.text)
	}
	assert.Equal(t, []string{"https://pay-api.", "amazon.eu/", "sandbox/v2"}, wrap("https://pay-api.amazon.eu/sandbox/v2", 16), "breaks after separators")
}

// TestTableFitsWidth: at every width each line fits, and below 100 columns
// the table turns into blocks, one a step, the title on its own line.
func TestTableFitsWidth(t *testing.T) {
	r := fixture()
	for _, width := range []int{40, 60, 80, 99, 100, 120, 160, 200} {
		out := string(render(t, func(b *bytes.Buffer) error { return Table(b, r, Options{Width: width}) }))
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			assert.LessOrEqual(t, runewidth.StringWidth(l), width, "width %d: %q", width, l)
		}
		assert.NotContains(t, out, "…", "width %d", width)
		if width < 100 {
			assert.NotContains(t, out, "│", "width %d is compact", width)
		}
		if width >= 60 && width < 100 {
			assert.Contains(t, out, "fail      critical amazon-pay.production_endpoints\n    Production endpoints are configured\n", "width %d", width)
		}
		if width >= 100 {
			assert.Contains(t, out, "│ STATUS", "width %d is a table", width)
		}
	}
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
