// Package i18n holds the words of the human reports (table, Markdown, PDF)
// in English, French and German, and the built-in steps' titles beside
// each checklist. Machine formats (JSON, JUnit, SARIF) stay English.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"

	"github.com/audit-tool/audit/checklist/builtin"
	"github.com/audit-tool/audit/policies"
)

// Langs lists the report languages, English first.
func Langs() []string { return []string{"en", "fr", "de"} }

//go:embed *.json
var catalogs embed.FS

// TitlesFile is the name of the step titles beside a built-in checklist:
// {"fr": {"step_name": "titre"}, "de": {…}}.
const TitlesFile = "titles.json"

// Catalog is one language's report words and built-in step titles.
type Catalog struct {
	Lang   string
	msgs   map[string]string
	en     map[string]string
	titles map[string]map[string]string    // checklist → step name → title
	steps  map[string]map[string][]pattern // checklist → step name → its texts
	run    []enginePattern
}

// Load reads the catalogue of lang ("" is English).
func Load(lang string) (*Catalog, error) {
	if lang == "" {
		lang = "en"
	}
	en, err := Messages("en")
	if err != nil {
		return nil, err
	}
	c := &Catalog{Lang: lang, msgs: en, en: en}
	if lang == "en" {
		return c, nil
	}
	if c.msgs, err = Messages(lang); err != nil {
		return nil, err
	}
	if c.titles, err = Titles(lang); err != nil {
		return nil, err
	}
	if c.steps, err = stepPatterns(lang); err != nil {
		return nil, err
	}
	if c.run, err = enginePatterns(en, c.msgs); err != nil {
		return nil, err
	}
	return c, nil
}

// English is the English catalogue, for the messages the runner writes
// itself (TestLoad proves the embedded catalogue loads).
func English() *Catalog {
	c, err := Load("en")
	if err != nil {
		return &Catalog{Lang: "en"}
	}
	return c
}

// Messages is the report words of lang, by key.
func Messages(lang string) (map[string]string, error) {
	var m map[string]string
	if err := readJSON(catalogs, lang+".json", &m); err != nil {
		return nil, err
	}
	return m, nil
}

// Titles is the built-in step titles of lang, by checklist name (its
// folder, or pci-dss for the policies) and step name.
func Titles(lang string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	add := func(fsys fs.FS, file, checklist string) error {
		var byLang map[string]map[string]string
		if err := readJSON(fsys, file, &byLang); err != nil {
			return err
		}
		out[checklist] = byLang[lang]
		return nil
	}
	dirs, err := fs.Glob(builtin.FS, "*/"+TitlesFile)
	if err != nil {
		return nil, err
	}
	for _, file := range dirs {
		if err := add(builtin.FS, file, path.Dir(file)); err != nil {
			return nil, err
		}
	}
	if err := add(policies.Builtins(), TitlesFile, "pci-dss"); err != nil {
		return nil, err
	}
	return out, nil
}

func readJSON(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("i18n: %w", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("i18n: %s: %w", name, err)
	}
	return nil
}

// T formats the message key with args; a key the language lacks falls back
// to English.
func (c *Catalog) T(key string, args ...any) string {
	msg, ok := c.msgs[key]
	if !ok {
		msg = c.en[key]
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// N formats the plural form of key for the count n, with n as the first
// argument: the catalogue holds "key|one" and "key|other".
func (c *Catalog) N(key string, n int, args ...any) string {
	return c.T(key+"|"+PluralForm(c.Lang, n), append([]any{n}, args...)...)
}

// PluralForm is the CLDR cardinal category of the integer n in lang, one
// or other: English and German say "1 step", French "0 étape" and
// "1 étape" (its one covers 0 and 1). A rule table of our three languages
// rather than golang.org/x/text/feature/plural, whose rules the test
// compares it with: the catalogue stays plain JSON and fmt.
func PluralForm(lang string, n int) string {
	if n == 1 || (lang == "fr" && n == 0) {
		return "one"
	}
	return "other"
}

// Title is the translated title of step in a built-in checklist, or
// fallback. Steps of shared fragments (common/) are translated in each
// provider's file: their titles name the provider.
func (c *Catalog) Title(checklist, step, fallback string) string {
	if t, ok := c.titles[checklist][step]; ok {
		return t
	}
	return fallback
}

// ScopeStep is the pseudo-step whose texts are the scope block's reasons.
const ScopeStep = "scope"
