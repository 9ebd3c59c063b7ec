package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
)

// TestLangTranslatesHumanReports: with --lang fr|de the table and the
// Markdown speak the language, built-in step titles included, and still
// fit the terminal; JSON stays the English contract.
func TestLangTranslatesHumanReports(t *testing.T) {
	tests := []struct {
		lang, verdict, failingTitle, mdFailOn string
		want                                  []string
	}{
		{
			lang: "fr", verdict: "Verdict : NO-GO (seuil de blocage : élevée)",
			failingTitle: "Seuls des identifiants de clé publique de production sont utilisés",
			mdFailOn:     "Seuil de blocage élevée · ",
			want: []string{"STATUT", "GRAVITÉ", "ÉTAPE", "MESSAGE", "Un compte bancaire de versement est enregistré",
				" étapes : 10 réussies, ", "Périmètre PCI DSS : SAQ D", "Dérogations et attestations :",
				"│ réussi ", "│ échec ", "│ non vérifié "},
		},
		{
			lang: "de", verdict: "Ergebnis: NO-GO (blockierend ab Schwere hoch)",
			failingTitle: "Es werden nur Live-IDs öffentlicher Schlüssel verwendet",
			mdFailOn:     "Blockierend ab Schwere hoch · ",
			want: []string{"STATUS", "SCHWERE", "SCHRITT", "MELDUNG", "Ein Auszahlungskonto ist hinterlegt",
				" Schritte: 10 bestanden, ", "PCI-DSS-Geltungsbereich: SAQ D", "Ausnahmen und Bestätigungen:",
				"│ bestanden ", "│ nicht bestanden ", "│ ungeprüft "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			// Wide enough that no title wraps: each is whole on its line.
			t.Setenv("COLUMNS", "400")
			code, out, stderr := audit(t, "run", example, "--offline", "--lang", tt.lang)
			require.Equal(t, outcome.ExitNoGo, code, stderr)
			for _, w := range append(tt.want, tt.verdict, tt.failingTitle) {
				assert.Contains(t, out, w)
			}
			assert.NotContains(t, out, "A payout bank account is registered")

			// Words longer than English still fit the terminal, in each layout.
			for _, cols := range []string{"80", "120", "160"} {
				t.Setenv("COLUMNS", cols)
				code, out, stderr := audit(t, "run", example, "--offline", "--lang", tt.lang)
				require.Equal(t, outcome.ExitNoGo, code, stderr)
				assert.Contains(t, out, tt.verdict, "COLUMNS=%s", cols)
				width, err := strconv.Atoi(cols)
				require.NoError(t, err)
				for _, l := range strings.Split(out, "\n") {
					assert.LessOrEqual(t, runewidth.StringWidth(l), width, "COLUMNS=%s: %q", cols, l)
				}
			}

			dir := t.TempDir()
			code, _, stderr = audit(t, "run", example, "--offline", "--lang", tt.lang, "--format", "json,markdown", "-o", dir)
			require.Equal(t, outcome.ExitNoGo, code, stderr)
			md, err := os.ReadFile(filepath.Join(dir, "audit.md"))
			require.NoError(t, err)
			assert.Contains(t, string(md), tt.failingTitle)
			assert.Contains(t, string(md), tt.mdFailOn)
			js, err := os.ReadFile(filepath.Join(dir, "audit.json"))
			require.NoError(t, err)
			assert.Contains(t, string(js), `"title": "A payout bank account is registered"`, "JSON stays English")
			assert.NotContains(t, string(js), tt.failingTitle)
		})
	}
}
