package i18n

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMessage(t *testing.T) {
	const pending = `needs an attestation: add attest "amazon-pay.sandbox_tests_passed" { by = "…" date = "YYYY-MM-DD" evidence = "…" } to audit.hcl once it is done`
	tests := []struct {
		name, lang, checklist, step, text, want string
	}{
		{"values go into the translation", "fr", "amazon-pay", "private_key_protected",
			"A private key is committed in the source tree at keys/k.pem:3: load it from a secret store and remove it from the repository.",
			"Une clé privée est versionnée dans l’arborescence des sources en keys/k.pem:3 : chargez-la depuis un coffre à secrets et retirez-la du dépôt."},
		{"failed asserts joined by a space", "de", "amazon-pay", "seller_central_access",
			"No Seller Central user has the customer_service role in m.hcl: invite the team that answers buyers' claims. No Seller Central user has the finance role in m.hcl: invite the team that reconciles payouts.",
			"Kein Seller-Central-Benutzer hat in m.hcl die Rolle customer_service: laden Sie das Team ein, das Käuferreklamationen beantwortet. Kein Seller-Central-Benutzer hat in m.hcl die Rolle finance: laden Sie das Team ein, das die Auszahlungen abstimmt."},
		{"a value chosen among texts is translated", "fr", "amazon-pay", "live_keys",
			"Sandbox public key id SANDBOX-X at .env:7: create a production key pair in Seller Central and use its LIVE- id (or turn the sandbox flag off for a legacy key).",
			"Identifiant de clé publique sandbox SANDBOX-X en .env:7 : créez une paire de clés de production dans Seller Central et utilisez son identifiant LIVE- (ou désactivez le mode sandbox pour une clé historique)."},
		{"a text that opens with a value does not swallow the one before", "fr", "pci-dss", "script_inventory",
			"1 script(s) on p.html are not in script_allowlist, first a.js: inventory and authorise each script, with a written reason. 2 authorised script(s) have no written justification, first b.js: give each allowlist entry a reason (script \"…\" { reason = \"…\" } in the use block, or { script = \"…\", reason = \"…\" }).",
			"Scripts sur p.html absents de script_allowlist : 1, le premier a.js : inventoriez et autorisez chaque script, avec une raison écrite. Scripts autorisés sans justification écrite : 2, le premier b.js : donnez une raison à chaque entrée de la liste (script \"…\" { reason = \"…\" } dans le bloc use, ou { script = \"…\", reason = \"…\" })."},
		{"scope reasons joined in a message", "de", "pci-dss", "saq_scope",
			"SAQ D: a card number 4111******1111 is stored at log:5; read as a browser runs it (3 script(s), 0 frame(s)).",
			"SAQ D: eine Kartennummer 4111******1111 ist in log:5 gespeichert; gelesen, wie ein Browser sie ausführt (Skripte: 3, Frames: 0)."},
		{"a scope reason", "fr", "pci-dss", ScopeStep,
			"card data is entered in the provider's iframe (js.stripe.com) and no card number was found stored",
			"les données de carte sont saisies dans l’iframe du prestataire (js.stripe.com) et aucun numéro de carte conservé n’a été trouvé"},
		{"skip reason", "de", "stripe", "account_branding", "no secret_key_env declared: the account is read from the Stripe API with a secret or restricted key",
			"keine secret_key_env angegeben: Das Konto wird mit einem geheimen oder eingeschränkten Schlüssel aus der Stripe-API gelesen"},
		{"the runner's words", "fr", "amazon-pay", "sandbox_tests_passed", pending,
			`attestation requise : une fois fait, ajoutez attest "amazon-pay.sandbox_tests_passed" { by = "…" date = "YYYY-MM-DD" evidence = "…" } à audit.hcl`},
		{"the runner's words around a description", "de", "amazon-pay", "production_endpoints",
			`needs an attestation: add attest "amazon-pay.production_endpoints" { by = "…" date = "YYYY-MM-DD" evidence = "…" } to audit.hcl once it is done. Sandbox and production use different endpoints; on launch day every URL must be the region's production host, without /sandbox/.`,
			`Bestätigung nötig: sobald erledigt, attest "amazon-pay.production_endpoints" { by = "…" date = "YYYY-MM-DD" evidence = "…" } in audit.hcl eintragen. Sandbox und Produktion nutzen verschiedene Endpunkte; am Starttag muss jede URL der Produktionshost der Region sein, ohne /sandbox/.`},
		{"the more specific attestation text wins", "fr", "", "",
			"attested by Ann on 2026-01-02, 400 days ago: older than 365 days, renew it (scan.pdf)",
			"attesté par Ann le 2026-01-02, il y a 400 jours : plus de 365 jours, à renouveler (scan.pdf)"},
		{"the runner's words in any checklist", "de", "", "", "offline: probe webhook.ipn needs the network (no network)",
			"offline: Sonde webhook.ipn braucht das Netzwerk (no network)"},
		{"a text of another step stays", "fr", "amazon-pay", "logo", "No private key in src.", "No private key in src."},
		{"a merchant's own checklist stays", "fr", "my-list", "logo", "No logo in merchant.hcl: x", "No logo in merchant.hcl: x"},
		{"an edited message stays", "de", "amazon-pay", "private_key_protected", "A private key is somewhere.", "A private key is somewhere."},
		{"English is left alone", "en", "amazon-pay", "private_key_protected", "No private key in src.", "No private key in src."},
	}
	catalogs := map[string]*Catalog{}
	for _, lang := range Langs() {
		c, err := Load(lang)
		require.NoError(t, err)
		catalogs[lang] = c
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, catalogs[tt.lang].Message(tt.checklist, tt.step, tt.text))
		})
	}
}

func TestPlaceholdersNest(t *testing.T) {
	assert.Equal(t, []string{"a ", `${c ? "x ${y}" : z}`, " b ", "${w}"}, Placeholders(`a ${c ? "x ${y}" : z} b ${w}`, true))
	assert.Equal(t, []string{"${w}"}, Placeholders("a ${w} b ${unclosed", false))
}

// FuzzMessage: a stored result's messages are anyone's text; matching them
// never panics, and what no pattern matches comes back as it was.
func FuzzMessage(f *testing.F) {
	f.Add("No private key in src.")
	f.Add("1 script(s) on p are not in script_allowlist, first a: inventory and authorise each script, with a written reason. ")
	f.Add("needs an attestation: add attest \"x\" { by = \"…\" date = \"YYYY-MM-DD\" evidence = \"…\" } to audit.hcl once it is done. ")
	c, err := Load("fr")
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, text string) {
		out := c.Message("pci-dss", "script_inventory", text)
		if out == text {
			return
		}
		assert.NotEmpty(t, out)
	})
}

// TestMessageHostileIsQuick: a long message with many ways to split is
// matched (or not) without trying them all: without the memo this takes
// exponential time; with it well under a second unloaded (the bound is
// loose for -race on a busy machine).
func TestMessageHostileIsQuick(t *testing.T) {
	c, err := Load("fr")
	require.NoError(t, err)
	one := "1 script(s) on p are not in script_allowlist, first a: inventory and authorise each script, with a written reason. "
	for _, text := range []string{strings.Repeat(one, maxMessage/len(one)/2) + "x", strings.Repeat("x ", maxMessage)} {
		start := time.Now()
		assert.Equal(t, text, c.Message("pci-dss", "script_inventory", text))
		assert.Less(t, time.Since(start), time.Minute, "%d bytes", len(text))
	}
}
