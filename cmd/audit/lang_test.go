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
		// messages are built-in steps' messages, scope reasons and the
		// runner's own words, translated with their values.
		messages []string
	}{
		{
			lang: "fr", verdict: "Verdict : NO-GO (seuil de blocage : élevée)",
			failingTitle: "Seuls des identifiants de clé publique de production sont utilisés",
			mdFailOn:     "Seuil de blocage élevée · ",
			want: []string{"STATUT", "GRAVITÉ", "ÉTAPE", "MESSAGE", "Un compte bancaire de versement est enregistré",
				" étapes : 11 réussies, ", "Périmètre PCI DSS : SAQ D", "Dérogations et attestations :",
				"│ réussi ", "│ échec ", "│ non vérifié "},
			messages: []string{
				"Une clé privée se trouve sous une racine web en public/keys/amazon-pay-private.pem:1, où n’importe qui peut la télécharger",
				"Identifiant de clé publique sandbox SANDBOX-AHEGSJCM3L6J5LSCR6E3XXXX en .env.production:7 : créez une paire de clés",
				"renderButton est appelé avec sandbox: true sur dist/checkout.html (ligne 13) : retirez-le pour la production. Le publicKeyId",
				"SAQ D : un numéro de carte 492913******5670 est conservé en logs/app.log:5",
				`attestation requise : une fois fait, ajoutez attest "amazon-pay.javascript_origins_registered" {`,
				"} à audit.hcl. Ajoutez chaque origine",
				"Scripts sur dist/checkout.html absents de script_allowlist : 1, le premier sha256-",
				"checkout_page n’est pas une URL https : TLS ne peut être vérifié que sur une page servie",
			},
		},
		{
			lang: "de", verdict: "Ergebnis: NO-GO (blockierend ab Schwere hoch)",
			failingTitle: "Es werden nur Live-IDs öffentlicher Schlüssel verwendet",
			mdFailOn:     "Blockierend ab Schwere hoch · ",
			want: []string{"STATUS", "SCHWERE", "SCHRITT", "MELDUNG", "Ein Auszahlungskonto ist hinterlegt",
				" Schritte: 11 bestanden, ", "PCI-DSS-Geltungsbereich: SAQ D", "Ausnahmen und Bestätigungen:",
				"│ bestanden ", "│ nicht bestanden ", "│ ungeprüft "},
			messages: []string{
				"Ein privater Schlüssel liegt unter einem Web-Root in public/keys/amazon-pay-private.pem:1, wo ihn jeder herunterladen kann",
				"Sandbox-Public-Key-ID SANDBOX-AHEGSJCM3L6J5LSCR6E3XXXX in .env.production:7: erstellen Sie",
				"renderButton wird auf dist/checkout.html (Zeile 13) mit sandbox: true aufgerufen: für die Produktion entfernen. Die publicKeyId",
				"SAQ D: eine Kartennummer 492913******5670 ist in logs/app.log:5 gespeichert",
				`Bestätigung nötig: sobald erledigt, attest "amazon-pay.javascript_origins_registered" {`,
				"} in audit.hcl eintragen. Tragen Sie",
				"Skripte auf dist/checkout.html, die nicht in script_allowlist stehen: 1, das erste sha256-",
				"checkout_page ist keine https-URL: TLS lässt sich nur an einer ausgelieferten Seite prüfen",
			},
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
			for _, m := range tt.messages {
				assert.Contains(t, out, m)
			}
			assert.NotContains(t, out, "A payout bank account is registered")
			assert.NotContains(t, out, "A private key lies under a web root")
			assert.NotContains(t, out, "needs an attestation")

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
			assert.Contains(t, string(js), "A private key lies under a web root at public/keys/amazon-pay-private.pem:1", "JSON stays English")
			assert.Contains(t, string(js), "a card number 492913******5670 is stored at logs/app.log:5", "JSON stays English")

			// A stored result re-renders in the language: the messages are
			// matched against the checklists' English texts, not kept in it.
			again := t.TempDir()
			code, _, stderr = audit(t, "report", filepath.Join(dir, "audit.json"), "--lang", tt.lang, "--format", "markdown", "-o", again)
			require.Equal(t, outcome.ExitNoGo, code, stderr)
			md2, err := os.ReadFile(filepath.Join(again, "audit.md"))
			require.NoError(t, err)
			assert.Equal(t, string(md), string(md2))
			for _, m := range tt.messages[:2] {
				assert.Contains(t, string(md), m)
			}
		})
	}
}

// TestPDFWithoutCJKFontWarns: a Japanese merchant name and no CJK font:
// the PDF is written all the same and stderr says what it cannot draw.
func TestPDFWithoutCJKFontWarns(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS(example)))
	merchant := filepath.Join(dir, "merchant.hcl")
	src, err := os.ReadFile(merchant)
	require.NoError(t, err)
	require.Contains(t, string(src), `"Café Étoile SARL"`)
	require.NoError(t, os.WriteFile(merchant, []byte(strings.ReplaceAll(string(src), `"Café Étoile SARL"`, `"株式会社テスト"`)), 0o644))

	t.Setenv("AUDIT_CJK_FONT", filepath.Join(dir, "no-such-font.ttf"))
	out := t.TempDir()
	code, _, stderr := audit(t, "run", dir, "--offline", "--format", "pdf", "-o", out)
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	assert.Contains(t, stderr, "audit: warning: pdf: Chinese, Japanese or Korean text")
	assert.Contains(t, stderr, "no-such-font.ttf")
	info, err := os.Stat(filepath.Join(out, "audit.pdf"))
	require.NoError(t, err)
	assert.Greater(t, info.Size(), int64(10000))
}

// TestLangForScanAndValidate: audit scan's table and audit validate's
// lines speak the language; scan JSON and HCL diagnostics stay English.
func TestLangForScanAndValidate(t *testing.T) {
	code, out, stderr := audit(t, "scan", scanTree, "--lang", "de")
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	assert.Contains(t, out, "Dateien durchsucht: ")
	assert.Contains(t, out, "FUNDSTELLE")
	assert.NotContains(t, out, "files, ")

	code, out, stderr = audit(t, "scan", scanTree, "--lang", "de", "--format", "json")
	require.Equal(t, outcome.ExitNoGo, code, stderr)
	assert.Contains(t, out, `"files_scanned"`)
	assert.NotContains(t, out, "Dateien")

	code, out, stderr = audit(t, "validate", example, "--lang", "fr")
	require.Equal(t, outcome.ExitGo, code, stderr)
	assert.Regexp(t, `amazon-pay-shop : valide \(listes de contrôle : \d+, étapes : \d+\)`, out)

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "audit.hcl"), []byte("use \"pci-dsss\" {}\n"), 0o644))
	code, _, stderr = audit(t, "validate", dir, "--lang", "fr")
	require.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "error: Unknown checklist", "diagnostics stay English")
}
