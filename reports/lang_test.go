package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/scan"
)

func scanFixture() *scan.Report {
	r := &scan.Report{FilesScanned: 3, BytesScanned: 5 << 20,
		Skipped:  []scan.Skipped{{File: "pipe", Reason: "named pipe (FIFO), not a regular file"}},
		Excluded: []scan.Skipped{{File: "vendor/x.js", Pattern: "vendor/**", Reason: "third-party code"}}}
	r.Add(
		scan.Finding{Type: scan.TypePAN, Brand: scan.Visa, Masked: "453957******1486", Live: true, File: "logs/app.log", Line: 3, Column: 17},
		scan.Finding{Type: scan.TypePAN, Brand: scan.Visa, Masked: "424242******4242", TestCard: true, File: "docs/test.md", Line: 1, Column: 1},
	)
	return r
}

// TestCommandOutputsInFrenchAndGerman: the fleet report (table, Markdown),
// the fleet diff, the run diff and the scan table speak the language;
// English stays as it was (its goldens and assertions elsewhere).
func TestCommandOutputsInFrenchAndGerman(t *testing.T) {
	prev := runOf(st("c.a", Pass), st("c.b", Fail), st("c.gone", Pass))
	next := runOf(st("c.a", Fail), st("c.b", Pass), st("c.new", Error))
	next.Steps[1].Waiver = &Waiver{ApprovedBy: "CISO", Expires: "2026-12-01"}
	next.Steps[1].Status = Waived
	diff := Diff(prev, next, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	fd := NewFleetDiffer("w47", "w48")
	fd.AddFrom("a", fleetResult(Go, "A", fst("x.tls", Pass)))
	fd.AddTo("a", fleetResult(NoGo, "A", fst("x.tls", Fail)))
	fd.AddTo("b", fleetResult(Go, "A", fst("x.tls", Pass)))
	fleetDiff := fd.Diff()

	renders := []struct {
		name   string
		render func(*bytes.Buffer, Options) error
	}{
		{"fleet_table", func(b *bytes.Buffer, o Options) error { return FleetTable(b, fleetFixture(), o) }},
		{"fleet_markdown", func(b *bytes.Buffer, o Options) error { return FleetMarkdown(b, fleetFixture(), o) }},
		{"fleet_diff", func(b *bytes.Buffer, o Options) error { return FleetDiffTable(b, fleetDiff, o) }},
		{"diff_table", func(b *bytes.Buffer, o Options) error { return DiffTable(b, diff, o) }},
		{"scan_table", func(b *bytes.Buffer, o Options) error { return ScanTable(b, scanFixture(), o) }},
	}
	english := []string{"Merchant", "Fleet verdict", "Regressed since", "Waiver of", "merchants changed", "Verdict:", "still_failing",
		"files, ", "test card", "NOT READ", "EXCLUDED", "Most failing", " days"}
	for _, lang := range []string{"fr", "de"} {
		for _, r := range renders {
			t.Run(lang+"/"+r.name, func(t *testing.T) {
				var b bytes.Buffer
				require.NoError(t, r.render(&b, Options{Lang: lang}))
				golden(t, "lang/"+r.name+"_"+lang+".golden", b.Bytes())
				for _, w := range english {
					assert.NotContains(t, b.String(), w)
				}
			})
		}
	}
}

func TestFleetPDFInFrenchAndGerman(t *testing.T) {
	for lang, want := range map[string][]string{
		"fr": {"Rapport d’audit du parc — w48", "4 marchands : 1 GO, 2 NO-GO, 1 UNDETERMINED (1 sans résultat)", "Audit précédent",
			"Étapes le plus souvent en échec", "En régression depuis w47 : 1", "Dérogations qui expirent d’ici 30 jours", "Page 1 sur",
			"1 en échec, 1 en erreur, 0 en attente sur 3"},
		"de": {"Audit-Bericht der Flotte — w48", "4 Händler: 1 GO, 2 NO-GO, 1 UNDETERMINED (1 ohne Ergebnis)", "Vorheriger Lauf",
			"Am häufigsten nicht bestandene Schritte", "Verschlechtert seit w47: 1", "Ausnahmen, die in 30 Tagen ablaufen", "Seite 1 von",
			"1 nicht bestanden, 1 Fehler, 0 ausstehend von 3"},
	} {
		var b bytes.Buffer
		require.NoError(t, FleetPDF(&b, fleetFixture(), Options{Lang: lang}))
		text, _ := pdfText(t, b.Bytes())
		squashed := strings.Join(strings.Fields(text), " ")
		for _, w := range want {
			assert.Contains(t, squashed, w, lang)
		}
		assert.NotContains(t, text, "Fleet audit report", lang)
	}
}
