package i18n

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/audit-tool/audit/checklist/builtin"
	"github.com/audit-tool/audit/policies"
)

// placeholders are a message's fmt verbs and {name} fields, in order: a
// translation must keep them, or Sprintf prints %!d(MISSING) to a reader.
var placeholderRE = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]|\{[a-z_]+\}`)

func placeholders(s string) []string { return placeholderRE.FindAllString(s, -1) }

func TestEveryKeyIsTranslated(t *testing.T) {
	en, err := Messages("en")
	require.NoError(t, err)
	require.NotEmpty(t, en)
	for _, lang := range Langs()[1:] {
		msgs, err := Messages(lang)
		require.NoError(t, err, lang)
		for key, text := range en {
			tr, ok := msgs[key]
			if !assert.True(t, ok, "%s lacks %q", lang, key) {
				continue
			}
			assert.NotEmpty(t, strings.TrimSpace(tr), "%s %q", lang, key)
			assert.Equal(t, placeholders(text), placeholders(tr), "%s %q keeps the placeholders of %q", lang, key, text)
		}
		for key := range msgs {
			_, ok := en[key]
			assert.True(t, ok, "%s has %q, which English lacks (a typo?)", lang, key)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	assert.Equal(t, []string{"%d", "%s", "%-9s", "{name}", "%%"}, placeholders("%d a %s b %-9s {name} 100%%"))
}

func TestLoad(t *testing.T) {
	for _, lang := range Langs() {
		c, err := Load(lang)
		require.NoError(t, err)
		assert.NotEmpty(t, c.T("col.status"), lang)
	}
	fr, err := Load("fr")
	require.NoError(t, err)
	assert.Equal(t, "Verdict : NO-GO (seuil de blocage : élevée)", fr.T("verdict", "NO-GO", fr.T("severity.high")))
	assert.Equal(t, "Un compte bancaire de versement est enregistré", fr.Title("amazon-pay", "payout_bank_account", "x"))
	assert.Equal(t, "x", fr.Title("my-own", "payout_bank_account", "x"), "only built-in checklists are translated")
	de, err := Load("de")
	require.NoError(t, err)
	assert.Equal(t, "Ein Auszahlungskonto ist hinterlegt", de.Title("amazon-pay", "payout_bank_account", "x"))
	_, err = Load("es")
	assert.Error(t, err)
}

// TestEveryBuiltinStepHasTitles parses each built-in checklist (and the
// fragments it includes) and wants a title in every language for each of
// its steps, and no title for a step that does not exist.
func TestEveryBuiltinStepHasTitles(t *testing.T) {
	steps := map[string][]string{} // checklist → step names
	fragments := map[string][]string{}
	frags, err := fs.Glob(builtin.FS, "common/*.hcl")
	require.NoError(t, err)
	for _, f := range frags {
		names, _ := stepsOf(t, builtin.FS, f)
		fragments[strings.TrimSuffix(path.Base(f), ".hcl")] = names
	}
	lists, err := fs.Glob(builtin.FS, "*/checklist.hcl")
	require.NoError(t, err)
	require.NotEmpty(t, lists)
	for _, f := range lists {
		names, includes := stepsOf(t, builtin.FS, f)
		for _, inc := range includes {
			names = append(names, fragments[inc]...)
		}
		steps[path.Dir(f)] = names
	}
	names, _ := stepsOf(t, policies.Builtins(), "pci-dss.hcl")
	steps["pci-dss"] = names

	for _, lang := range Langs()[1:] {
		titles, err := Titles(lang)
		require.NoError(t, err)
		for checklist, names := range steps {
			require.NotEmpty(t, names, checklist)
			for _, n := range names {
				assert.NotEmpty(t, strings.TrimSpace(titles[checklist][n]), "%s: %s.%s has no title", lang, checklist, n)
			}
			for n := range titles[checklist] {
				assert.Contains(t, names, n, "%s: %s titles a step it does not have", lang, checklist)
			}
		}
		for checklist := range titles {
			assert.Contains(t, steps, checklist, "%s: titles for an unknown checklist", lang)
		}
	}
}

func stepsOf(t *testing.T, fsys fs.FS, name string) (steps, includes []string) {
	t.Helper()
	src, err := fs.ReadFile(fsys, name)
	require.NoError(t, err)
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	require.False(t, diags.HasErrors(), diags.Error())
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		switch {
		case b.Type == "step" && len(b.Labels) == 1:
			steps = append(steps, b.Labels[0])
		case b.Type == "include" && len(b.Labels) == 1:
			includes = append(includes, b.Labels[0])
		}
	}
	return steps, includes
}

// TestPluralFormsMatchCLDR compares the rule table with CLDR's cardinal
// rules as golang.org/x/text carries them.
func TestPluralFormsMatchCLDR(t *testing.T) {
	tags := map[string]language.Tag{"en": language.English, "fr": language.French, "de": language.German}
	for _, lang := range Langs() {
		for n := 0; n <= 1000; n++ {
			want := "other"
			if plural.Cardinal.MatchPlural(tags[lang], n, 0, 0, 0, 0) == plural.One {
				want = "one"
			}
			require.Equal(t, want, PluralForm(lang, n), "%s %d", lang, n)
		}
	}
}

func TestPlurals(t *testing.T) {
	catalogs := map[string]*Catalog{}
	for _, tc := range []struct {
		lang, key string
		n         int
		want      string
	}{
		{"en", "steps", 0, "0 steps"},
		{"en", "steps", 1, "1 step"},
		{"en", "steps", 2, "2 steps"},
		{"fr", "steps", 0, "0 étape"},
		{"fr", "steps", 1, "1 étape"},
		{"fr", "steps", 2, "2 étapes"},
		{"fr", "count.pass", 1, "1 réussie"},
		{"fr", "count.pass", 10, "10 réussies"},
		{"de", "steps", 0, "0 Schritte"},
		{"de", "steps", 1, "1 Schritt"},
		{"de", "count.skip", 1, "1 entfällt"},
		{"de", "count.skip", 3, "3 entfallen"},
	} {
		c, ok := catalogs[tc.lang]
		if !ok {
			var err error
			c, err = Load(tc.lang)
			require.NoError(t, err)
			catalogs[tc.lang] = c
		}
		assert.Equal(t, tc.want, c.N(tc.key, tc.n), "%s %s %d", tc.lang, tc.key, tc.n)
	}
}

// TestEveryPluralHasItsForms wants each counted key in the forms each
// language's rule can pick, and no half-counted key.
func TestEveryPluralHasItsForms(t *testing.T) {
	for _, lang := range Langs() {
		msgs, err := Messages(lang)
		require.NoError(t, err)
		for key := range msgs {
			base, form, ok := strings.Cut(key, "|")
			if !ok {
				continue
			}
			assert.Contains(t, []string{"one", "other"}, form, "%s %q", lang, key)
			for _, f := range []string{"one", "other"} {
				assert.Contains(t, msgs, base+"|"+f, "%s: %q lacks its %s form", lang, base, f)
			}
			assert.NotContains(t, msgs, base, "%s: %q is both counted and not", lang, base)
			assert.True(t, strings.HasPrefix(msgs[key], "%d") || strings.Contains(msgs[key], "%d"), "%s %q counts nothing", lang, key)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load("fr"); err != nil {
			b.Fatal(err)
		}
	}
}
