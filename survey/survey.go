// Package survey looks at a merchant's repository the way `audit init`
// needs: which payment providers it integrates (from the provider packs'
// SDK names, hosts, credential formats and mode switches — no provider is
// named here) and where its configuration, sources, dependency manifests,
// logs and built payment pages are.
package survey

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/joho/godotenv"

	"github.com/audit-tool/audit/internal/input"
	"github.com/audit-tool/audit/manifest"
	"github.com/audit-tool/audit/pack"
	"github.com/audit-tool/audit/walk"
)

// Bounds: a survey reads a repository it has never seen.
const (
	// MaxFiles stops the walk by default; what is found so far is kept.
	MaxFiles = 50000
	// maxText caps a source, config or page file that is read.
	maxText = 1 << 20
	// maxManifest caps a lockfile (package-lock.json runs to megabytes).
	maxManifest = 16 << 20
)

// skipped are folders of installed or generated code: their manifests
// and sources are not the merchant's integration.
var skipped = []walk.Exclude{
	{Pattern: ".git", Reason: "version control data"},
	{Pattern: "node_modules", Reason: "installed dependencies"},
	{Pattern: "vendor", Reason: "installed dependencies"},
	{Pattern: "bower_components", Reason: "installed dependencies"},
	{Pattern: ".venv", Reason: "installed dependencies"},
	{Pattern: "venv", Reason: "installed dependencies"},
	{Pattern: "__pycache__", Reason: "generated"},
}

// Evidence is why the survey concluded something: a file, the line, what
// it says there.
type Evidence struct {
	File   string // slash path relative to the surveyed folder
	Line   int    // 0: the file as a whole
	Detail string
}

func (e Evidence) String() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d %s", e.File, e.Line, e.Detail)
	}
	return e.File + " " + e.Detail
}

// Provider is a provider the repository integrates.
type Provider struct {
	Name     string // the pack's name, also its checklist's
	Title    string
	Evidence []Evidence
}

// Page is a built HTML file that looks like a payment page.
type Page struct {
	File   string
	Score  int
	Reason []string
}

// Survey is what a repository holds. Paths are slash paths relative to the
// surveyed folder, sorted.
type Survey struct {
	Providers []Provider
	// ConfigFiles are .env files and configuration files that name a
	// provider's credentials or hosts; Templates are .env.example-like
	// files (placeholders, not the deployed values).
	ConfigFiles []string
	Templates   []string
	// SourceDirs are the top-level folders holding source code ("." when
	// the folder itself does).
	SourceDirs []string
	// PackageDirs are the folders of dependency manifests and lockfiles.
	PackageDirs []string
	LogDirs     []string
	// Pages are candidate payment pages, best first.
	Pages []Page
	Files int
	// Truncated is set when the walk stopped at Limit files.
	Truncated bool
	Limit     int
}

var errEnough = errors.New("enough files")

// Dir surveys dir with the rules of packs, reading at most limit files
// (0: MaxFiles).
func Dir(ctx context.Context, dir string, packs *pack.Set, limit int) (*Survey, error) {
	if limit <= 0 {
		limit = MaxFiles
	}
	s := &Survey{Limit: limit}
	st := &state{packs: packs, matcher: packs.Matcher(), providers: map[string]*Provider{},
		config: map[string]bool{}, templates: map[string]bool{}, sources: map[string]bool{},
		packages: map[string]bool{}, logs: map[string]bool{}}
	_, err := walk.Walk(ctx, []string{dir}, walk.Options{Base: dir, Exclude: skipped, MaxSize: maxManifest}, func(f walk.File) error {
		if s.Files >= limit {
			s.Truncated = true
			return errEnough
		}
		s.Files++
		rel, err := filepath.Rel(dir, f.Path)
		if err != nil {
			return err
		}
		st.visit(f, filepath.ToSlash(rel))
		return ctx.Err()
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	for _, p := range packs.Packs() {
		if got, ok := st.providers[p.Name]; ok {
			got.Title = p.Title
			s.Providers = append(s.Providers, *got)
		}
	}
	s.ConfigFiles = slices.Sorted(maps.Keys(st.config))
	s.Templates = slices.Sorted(maps.Keys(st.templates))
	s.SourceDirs = slices.Sorted(maps.Keys(st.sources))
	s.PackageDirs = slices.Sorted(maps.Keys(st.packages))
	s.LogDirs = slices.Sorted(maps.Keys(st.logs))
	sort.SliceStable(st.pages, func(i, j int) bool {
		if st.pages[i].Score != st.pages[j].Score {
			return st.pages[i].Score > st.pages[j].Score
		}
		return st.pages[i].File < st.pages[j].File
	})
	s.Pages = st.pages
	return s, nil
}

type state struct {
	packs     *pack.Set
	matcher   *pack.Matcher
	providers map[string]*Provider
	config    map[string]bool
	templates map[string]bool
	sources   map[string]bool
	packages  map[string]bool
	logs      map[string]bool
	pages     []Page
}

func (st *state) found(provider string, ev Evidence) {
	p, ok := st.providers[provider]
	if !ok {
		p = &Provider{Name: provider}
		st.providers[provider] = p
	}
	// A few lines of evidence are enough to show why, each saying
	// something else (the same package in ten lockfiles says it once).
	for _, e := range p.Evidence {
		if e.Detail == ev.Detail {
			return
		}
	}
	if len(p.Evidence) < 5 {
		p.Evidence = append(p.Evidence, ev)
	}
}

func (st *state) visit(f walk.File, rel string) {
	name := path.Base(rel)
	dir := path.Dir(rel)
	if hiddenDir(dir) {
		return // .devcontainer, .github, .vscode: tooling, not the integration
	}
	if parse := manifest.For(name); parse != nil {
		st.manifest(f, rel, dir, parse)
		return
	}
	lower := strings.ToLower(name)
	switch {
	case isEnvFile(lower):
		if isTemplate(lower) {
			st.templates[rel] = true
			return
		}
		st.env(f, rel)
	case strings.HasSuffix(lower, ".log") || strings.Contains(lower, ".log."):
		st.logs[dir] = true
	case isPage(lower):
		st.page(f, rel)
		st.source(rel)
	case sourceExt[path.Ext(lower)]:
		st.source(rel)
		if data, ok := read(f, maxText); ok {
			st.references(rel, data)
		}
	case settingsExt[path.Ext(lower)] || ((dataExt[path.Ext(lower)] || lower == "web.config") && configPlace(rel)):
		if data, ok := read(f, maxText); ok && (st.references(rel, data) || st.namesProvider(rel, data)) {
			st.config[rel] = true
		}
	}
}

// namesProvider reports whether a configuration file names a provider
// (stripe:, amazon_pay.region, config/adyen.yml): settings without a host
// or a key in them are still the integration's. A name is no evidence that
// the provider is integrated (payment_methods: [paypal, card]), so it only
// makes the file configuration.
func (st *state) namesProvider(rel string, data []byte) bool {
	text := strings.ToLower(rel + "\n" + string(data))
	for _, p := range st.packs.Packs() {
		for _, name := range []string{p.Name, strings.ReplaceAll(p.Name, "-", "_"), strings.ReplaceAll(p.Name, "-", "")} {
			if wordIn(text, name) {
				return true
			}
		}
	}
	return false
}

// wordIn reports whether w occurs in text not glued to letters or digits.
func wordIn(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(w)
		if (at == 0 || !isWordByte(text[at-1])) && (end == len(text) || !isWordByte(text[end])) {
			return true
		}
		i = at + 1
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// configPlace reports whether a JSON or XML file sits where configuration
// lives (a config folder, a config-like name): elsewhere such files are
// data, fixtures or reports.
func configPlace(rel string) bool {
	for _, seg := range strings.Split(path.Dir(rel), "/") {
		if configDirs[strings.ToLower(seg)] {
			return true
		}
	}
	base := strings.ToLower(path.Base(rel))
	for _, prefix := range []string{"config", "settings", "appsettings", "application", "parameters", "payment", "web.config"} {
		if strings.HasPrefix(base, prefix) {
			return true
		}
	}
	return false
}

// source records the top folder of a source file, unless it is a test
// folder: test code holds test keys on purpose, and the go-live
// checklists fail on test keys in the sources they read.
func (st *state) source(rel string) {
	if top := topDir(rel); !testDirs[strings.ToLower(top)] {
		st.sources[top] = true
	}
}

func (st *state) manifest(f walk.File, rel, dir string, parse func([]byte) ([]manifest.Package, error)) {
	data, ok := read(f, maxManifest)
	if !ok {
		return
	}
	pkgs, err := parse(data)
	if err != nil {
		return
	}
	st.packages[dir] = true
	for _, pkg := range pkgs {
		for _, p := range st.packs.Packs() {
			if sdk, ok := p.SDK(pkg.Ecosystem, pkg.Name); ok {
				st.found(p.Name, Evidence{File: rel, Line: pkg.Line, Detail: sdk.Ecosystem + " package " + sdk.Name})
			}
		}
	}
}

// env reads a .env file: a setting the packs know, a credential or a
// provider host makes it the integration's configuration. Any .env file
// that is not a template counts: it is where deployed values live.
func (st *state) env(f walk.File, rel string) {
	st.config[rel] = true
	data, ok := read(f, maxText)
	if !ok {
		return
	}
	st.references(rel, data)
	values, err := godotenv.UnmarshalBytes(data)
	if err != nil {
		return
	}
	for _, key := range slices.Sorted(maps.Keys(values)) {
		for _, m := range st.packs.Setting(key, values[key]) {
			st.found(m.Provider, Evidence{File: rel, Line: lineOfKey(data, key), Detail: key + " (" + m.Mode + ")"})
		}
	}
}

// urlPattern finds absolute URLs in text; the packs decide which are a
// provider's.
var urlPattern = regexp.MustCompile(`https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s"'<>()\[\]{}\x60\\]*)?`)

// references records the providers data names (credentials, endpoint
// hosts other than documentation) and reports whether it named any.
func (st *state) references(rel string, data []byte) bool {
	named := false
	st.matcher.Find(data, 0, len(data), func(m pack.Match) {
		named = true
		st.found(m.Provider, Evidence{File: rel, Line: lineAt(data, m.Start), Detail: m.Rule.Kind + " credential (" + m.Rule.Mode + ")"})
	})
	for _, loc := range urlPattern.FindAllIndex(data, -1) {
		u, err := url.Parse(string(data[loc[0]:loc[1]]))
		if err != nil {
			continue
		}
		u.Host = strings.ToLower(u.Host)
		m, ok := st.packs.Endpoint(u)
		if !ok || m.Endpoint.Purpose == "docs" {
			continue
		}
		named = true
		st.found(m.Provider, Evidence{File: rel, Line: lineAt(data, loc[0]), Detail: m.Endpoint.Purpose + " host " + u.Host})
	}
	// Mode switches in code are not evidence of a provider: their
	// patterns are generic (Environment.SANDBOX is Amazon Pay's and
	// PayPal's Java SDKs' alike).
	return named
}

// page scores a built HTML file as a payment page: a provider's script,
// iframe or checkout host counts most, then checkout or payment in its
// name or path, then a build output folder, then the words in its text.
func (st *state) page(f walk.File, rel string) {
	data, ok := read(f, maxText)
	if !ok {
		return
	}
	pg := Page{File: rel}
	hosts := map[string]bool{}
	for _, loc := range urlPattern.FindAllIndex(data, -1) {
		u, err := url.Parse(string(data[loc[0]:loc[1]]))
		if err != nil {
			continue
		}
		u.Host = strings.ToLower(u.Host)
		if m, ok := st.packs.Endpoint(u); ok && pagePurpose[m.Endpoint.Purpose] && !hosts[u.Host] {
			hosts[u.Host] = true
			pg.Score += 10
			pg.Reason = append(pg.Reason, m.Endpoint.Purpose+" "+u.Host)
		}
	}
	st.references(rel, data)
	lowerPath := strings.ToLower(rel)
	for _, w := range paymentWords {
		if strings.Contains(lowerPath, w) {
			pg.Score += 5
			pg.Reason = append(pg.Reason, "named "+w)
			break
		}
	}
	for _, d := range buildDirs {
		if strings.HasPrefix(lowerPath, d+"/") || strings.Contains(lowerPath, "/"+d+"/") {
			pg.Score += 2
			pg.Reason = append(pg.Reason, "in "+d+"/")
			break
		}
	}
	text := strings.ToLower(string(data))
	for _, w := range paymentWords {
		if strings.Contains(text, w) {
			pg.Score++
			pg.Reason = append(pg.Reason, "mentions "+w)
			break
		}
	}
	// Only pages with something of a payment about them are candidates.
	if pg.Score > 2 || (pg.Score > 0 && len(hosts) > 0) {
		st.pages = append(st.pages, pg)
	}
}

var (
	pagePurpose  = map[string]bool{"script": true, "iframe": true, "checkout": true, "sdk": true}
	paymentWords = []string{"checkout", "payment", "pay", "cart", "order"}
	buildDirs    = []string{"public", "dist", "build", "static", "www", "out"}
	sourceExt    = setOf(".js", ".mjs", ".cjs", ".ts", ".jsx", ".tsx", ".vue", ".svelte",
		".php", ".py", ".rb", ".java", ".kt", ".cs", ".go", ".erb", ".ejs", ".hbs", ".twig",
		".jsp", ".cshtml", ".razor", ".liquid", ".njk", ".mustache")
	// settingsExt are configuration wherever they are; dataExt only in a
	// configuration place.
	settingsExt = setOf(".yaml", ".yml", ".toml", ".properties", ".ini", ".conf", ".cfg")
	dataExt     = setOf(".json", ".xml", ".config")
	configDirs  = setOf("config", "configs", "conf", "settings", "resources")
)

func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, i := range items {
		m[i] = true
	}
	return m
}

var testDirs = setOf("test", "tests", "spec", "specs", "e2e", "playwright", "cypress", "__tests__", "testdata", "fixtures")

// hiddenDir reports whether a slash folder path has a hidden folder in it.
func hiddenDir(dir string) bool {
	for _, seg := range strings.Split(dir, "/") {
		if len(seg) > 1 && seg[0] == '.' && seg != ".." {
			return true
		}
	}
	return false
}

func isEnvFile(name string) bool {
	return name == ".env" || strings.HasPrefix(name, ".env.") || strings.HasSuffix(name, ".env")
}

// isTemplate tells a committed template of placeholders from the values.
func isTemplate(name string) bool {
	for _, w := range []string{"example", "sample", "template", "dist", "defaults", "tmpl"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

func isPage(name string) bool {
	return strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".htm")
}

// topDir is the first folder of rel, "." for a file at the top.
func topDir(rel string) string {
	if i := strings.IndexByte(rel, '/'); i > 0 {
		return rel[:i]
	}
	return "."
}

func read(f walk.File, limit int64) ([]byte, bool) {
	if f.Size > limit {
		return nil, false
	}
	data, err := input.ReadFile(f.Path, limit)
	return data, err == nil
}

func lineAt(data []byte, off int) int {
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

func lineOfKey(data []byte, key string) int {
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "export "))
		if strings.HasPrefix(t, key+"=") || strings.HasPrefix(t, key+" =") {
			return i + 1
		}
	}
	return 0
}
