package pack

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"regexp"
	"regexp/syntax"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
)

// Regexp is a compiled RE2 with the text and place it was written at.
type Regexp struct {
	*regexp.Regexp
	Range hcl.Range
}

// Set is the packs a run knows, by provider name.
type Set struct {
	packs   []*Pack
	files   map[string]*hcl.File
	match   *Matcher
	secrets *Matcher
	value   cty.Value
	cards   map[string]bool
}

// Packs lists the packs sorted by name.
func (s *Set) Packs() []*Pack { return s.packs }

// Lookup finds a pack by provider name.
func (s *Set) Lookup(name string) (*Pack, bool) {
	for _, p := range s.packs {
		if p.Name == name {
			return p, true
		}
	}
	return nil, false
}

// Files are the parsed pack files, by name, for printing diagnostics with
// their source lines.
func (s *Set) Files() map[string]*hcl.File { return s.files }

// Matcher finds every pack's credentials in text.
func (s *Set) Matcher() *Matcher { return s.match }

// SecretMatcher finds the secret credentials only (Secret true): what a
// scan for leaked secrets reports. Fewer rules, fewer passes over the text.
func (s *Set) SecretMatcher() *Matcher { return s.secrets }

// TestCard reports whether pan (digits only) is a test number a pack
// publishes: found in files, it is reported but is no card data.
func (s *Set) TestCard(pan string) bool { return s.cards[pan] }

// Merge returns the packs of s and others; a provider defined twice is an
// error at the second definition.
func Merge(sets ...*Set) (*Set, hcl.Diagnostics) {
	var one []*Set
	for _, s := range sets {
		if s != nil {
			one = append(one, s)
		}
	}
	if len(one) == 1 && one[0].match != nil {
		return one[0], nil // merged already (Load's): sets are not changed once built
	}
	out := &Set{files: map[string]*hcl.File{}}
	var diags hcl.Diagnostics
	seen := map[string]*Pack{}
	for _, s := range sets {
		if s == nil {
			continue
		}
		for name, f := range s.files {
			out.files[name] = f
		}
		for _, p := range s.packs {
			if prev, dup := seen[p.Name]; dup {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate provider pack",
					Detail:   fmt.Sprintf("Provider %q is already defined at %s.", p.Name, prev.DeclRange),
					Subject:  p.DeclRange.Ptr(),
				})
				continue
			}
			seen[p.Name] = p
			out.packs = append(out.packs, p)
		}
	}
	sort.Slice(out.packs, func(i, j int) bool { return out.packs[i].Name < out.packs[j].Name })
	out.match = newMatcher(out.packs, func(*Credential) bool { return true })
	out.secrets = newMatcher(out.packs, func(c *Credential) bool { return c.Secret })
	out.value = setValue(out.packs)
	out.cards = map[string]bool{}
	for _, p := range out.packs {
		for _, c := range p.TestCards {
			out.cards[c] = true
		}
	}
	return out, diags
}

// LoadDir reads the packs in the folders of dir (a user's or a test's).
func LoadDir(dir string) (*Set, hcl.Diagnostics) {
	return Load(os.DirFS(dir), strings.TrimSuffix(dir, "/"))
}

// Load reads every folder of fsys that holds a pack.hcl: the folder's name
// is the provider's, its checklist.hcl (optional) the provider's
// checklist, its other *.hcl files fragments checklists may include.
// Names in diagnostics are prefix/folder/file.
func Load(fsys fs.FS, prefix string) (*Set, hcl.Diagnostics) {
	names, err := fs.Glob(fsys, "*/pack.hcl")
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot list provider packs", Detail: err.Error()}}
	}
	// Packs are read side by side, each by a loader of its own: parsing
	// HCL is most of a command's start-up. Files and diagnostics are
	// gathered in name order, as one loader would have them.
	loaders := make([]*loader, len(names))
	read := make([]*Pack, len(names))
	each(len(names), func(i int) {
		loaders[i] = &loader{parser: hclparse.NewParser(), prefix: prefix}
		read[i] = loaders[i].pack(fsys, path.Dir(names[i]))
	})
	var packs []*Pack
	var diags hcl.Diagnostics
	files := map[string]*hcl.File{}
	for i, l := range loaders {
		if read[i] != nil {
			packs = append(packs, read[i])
		}
		diags = append(diags, l.diags...)
		maps.Copy(files, l.parser.Files())
	}
	set, merged := Merge(&Set{packs: packs, files: files})
	return set, append(diags, merged...)
}

// each calls f(0) … f(n-1) on up to one goroutine per core and returns
// once all have returned; a panic in f is raised again in the caller.
func each(n int, f func(int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var panicked any
	for range workers {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					mu.Lock()
					if panicked == nil {
						panicked = p
					}
					mu.Unlock()
				}
			}()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		})
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
}

type loader struct {
	parser *hclparse.Parser
	prefix string
	diags  hcl.Diagnostics
}

func (l *loader) name(dir, file string) string {
	if l.prefix == "" {
		return dir + "/" + file
	}
	return l.prefix + "/" + dir + "/" + file
}

func (l *loader) errorf(rng *hcl.Range, summary, format string, args ...any) {
	l.diags = append(l.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: rng,
	})
}

// The blocks of pack.hcl, as written.
type packFile struct {
	Providers   []providerBlock   `hcl:"provider,block"`
	Endpoints   []endpointBlock   `hcl:"endpoint,block"`
	Credentials []credentialBlock `hcl:"credential,block"`
	Switches    []switchBlock     `hcl:"switch,block"`
	JSCalls     []jsCallBlock     `hcl:"js_call,block"`
	SDKs        []sdkBlock        `hcl:"sdk,block"`
	LogErrors   []logErrorBlock   `hcl:"log_error,block"`
	CodeValues  []codeValueBlock  `hcl:"code_value,block"`
	Webhooks    []webhookBlock    `hcl:"webhook,block"`
}

type providerBlock struct {
	Name      string    `hcl:"name,label"`
	Title     string    `hcl:"title"`
	Docs      []string  `hcl:"docs,optional"`
	TestCards []string  `hcl:"test_cards,optional"`
	DeclRange hcl.Range `hcl:",def_range"`
}

type endpointBlock struct {
	Name        string         `hcl:"name,label"`
	Purpose     string         `hcl:"purpose"`
	Environment string         `hcl:"environment"`
	Region      string         `hcl:"region,optional"`
	Hosts       hcl.Expression `hcl:"hosts"`
	Path        hcl.Expression `hcl:"path,optional"`
	DeclRange   hcl.Range      `hcl:",def_range"`
}

type credentialBlock struct {
	Name      string         `hcl:"name,label"`
	Kind      string         `hcl:"kind"`
	Mode      string         `hcl:"mode"`
	Secret    bool           `hcl:"secret"`
	Show      bool           `hcl:"show,optional"`
	Pattern   hcl.Expression `hcl:"pattern"`
	Mask      string         `hcl:"mask,optional"`
	Env       []string       `hcl:"env,optional"`
	DeclRange hcl.Range      `hcl:",def_range"`
}

type switchBlock struct {
	Name      string         `hcl:"name,label"`
	Settings  hcl.Expression `hcl:"settings,optional"`
	Code      hcl.Expression `hcl:"code,optional"`
	CodeKeys  hcl.Expression `hcl:"code_keys,optional"`
	CodeFiles hcl.Expression `hcl:"code_files,optional"`
	Live      []string       `hcl:"live,optional"`
	Test      []string       `hcl:"test,optional"`
	Default   string         `hcl:"default,optional"`
	Unless    string         `hcl:"unless,optional"`
	DeclRange hcl.Range      `hcl:",def_range"`
}

type sdkBlock struct {
	Ecosystem  string    `hcl:"ecosystem,label"`
	Name       string    `hcl:"name,label"`
	Minimum    string    `hcl:"minimum,optional"`
	Deprecated string    `hcl:"deprecated,optional"`
	Docs       string    `hcl:"docs,optional"`
	PinsAPI    string    `hcl:"pins_api_version,optional"`
	DeclRange  hcl.Range `hcl:",def_range"`
}

type codeValueBlock struct {
	Name      string         `hcl:"name,label"`
	Keys      hcl.Expression `hcl:"keys,optional"`
	SkipCalls hcl.Expression `hcl:"skip_calls,optional"`
	Strings   bool           `hcl:"strings,optional"`
	Patterns  hcl.Expression `hcl:"patterns,optional"`
	Value     hcl.Expression `hcl:"value,optional"`
	Files     hcl.Expression `hcl:"files,optional"`
	Langs     []string       `hcl:"langs,optional"`
	DeclRange hcl.Range      `hcl:",def_range"`
}

type logErrorBlock struct {
	Code      string         `hcl:"code,label"`
	Category  string         `hcl:"category"`
	Pattern   hcl.Expression `hcl:"pattern,optional"`
	DeclRange hcl.Range      `hcl:",def_range"`
}

type jsCallBlock struct {
	Name      string    `hcl:"name,label"`
	Callee    string    `hcl:"callee"`
	Options   int       `hcl:"options"`
	DeclRange hcl.Range `hcl:",def_range"`
}

type webhookBlock struct {
	Scheme    string     `hcl:"scheme"`
	Header    string     `hcl:"header,optional"`
	Algorithm string     `hcl:"algorithm"`
	Docs      string     `hcl:"docs,optional"`
	Forge     forgeBlock `hcl:"forge,block"`
	DeclRange hcl.Range  `hcl:",def_range"`
}

type forgeBlock struct {
	Headers hcl.Expression `hcl:"headers"`
	Body    hcl.Expression `hcl:"body"`
}

var purposes = []string{"api", "script", "redirect", "iframe", "checkout", "sdk", "docs"}

func (l *loader) pack(fsys fs.FS, dir string) *Pack {
	src, err := fs.ReadFile(fsys, dir+"/pack.hcl")
	fname := l.name(dir, "pack.hcl")
	if err != nil {
		l.errorf(nil, "Cannot read provider pack", "%s: %s", fname, err)
		return nil
	}
	f, diags := l.parser.ParseHCL(src, fname)
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return nil
	}
	var raw packFile
	if diags := gohcl.DecodeBody(f.Body, nil, &raw); diags.HasErrors() {
		l.diags = append(l.diags, diags...)
		return nil
	}
	if len(raw.Providers) != 1 {
		rng := hcl.Range{Filename: fname, Start: hcl.InitialPos, End: hcl.InitialPos}
		if len(raw.Providers) > 1 {
			rng = raw.Providers[1].DeclRange
		}
		l.errorf(&rng, "One provider block per pack", "A pack.hcl declares exactly one provider \"NAME\" block, named after its folder (%q).", path.Base(dir))
		return nil
	}
	pb := raw.Providers[0]
	p := &Pack{
		Name: pb.Name, Title: pb.Title, Docs: pb.Docs, TestCards: pb.TestCards,
		Dir: strings.TrimSuffix(l.name(dir, ""), "/"), DeclRange: pb.DeclRange, Fragments: map[string]*File{},
	}
	if pb.Name != path.Base(dir) {
		l.errorf(pb.DeclRange.Ptr(), "Provider name differs from its folder",
			"The pack in folder %q is named %q: a pack's provider name is its folder's name, so checklists and probes find it.", path.Base(dir), pb.Name)
	}
	for _, n := range pb.TestCards {
		if !luhn(n) {
			l.errorf(pb.DeclRange.Ptr(), "Invalid test card number", "test card %s…%s fails the Luhn check.", n[:min(6, len(n))], n[max(0, len(n)-4):])
		}
	}
	seen := map[string]hcl.Range{}
	unique := func(kind, name string, rng hcl.Range) {
		key := kind + " " + name
		if prev, dup := seen[key]; dup {
			l.errorf(rng.Ptr(), "Duplicate "+kind, "%s %q is already defined at %s.", kind, name, prev)
		}
		seen[key] = rng
	}
	for _, b := range raw.Endpoints {
		unique("endpoint", b.Name, b.DeclRange)
		e := &Endpoint{Name: b.Name, Purpose: b.Purpose, Environment: b.Environment, Region: b.Region, DeclRange: b.DeclRange}
		l.oneOf(b.DeclRange, "purpose", b.Purpose, purposes)
		l.oneOf(b.DeclRange, "environment", b.Environment, []string{Live, Test, Any})
		for _, h := range l.strings(b.Hosts, "hosts") {
			if _, err := path.Match(h.value, ""); err != nil || h.value == "" || h.value != strings.ToLower(h.value) {
				l.errorf(h.rng.Ptr(), "Invalid host", "%q: want a lower-case host name or a path.Match glob (*.example.com).", h.value)
			}
			e.Hosts = append(e.Hosts, h.value)
		}
		if rs := l.regexps(b.Path, "path", false); len(rs) > 0 {
			e.Path = rs[0]
		}
		p.Endpoints = append(p.Endpoints, e)
	}
	for _, b := range raw.Credentials {
		unique("credential", b.Name, b.DeclRange)
		l.oneOf(b.DeclRange, "mode", b.Mode, []string{Live, Test, Any})
		rs := l.regexps(b.Pattern, "pattern", false)
		if len(rs) == 0 {
			continue
		}
		c := &Credential{Name: b.Name, Kind: b.Kind, Mode: b.Mode, Secret: b.Secret, Show: b.Show, Pattern: rs[0], Mask: b.Mask, Env: b.Env, DeclRange: b.DeclRange}
		if c.Secret && c.Show {
			l.errorf(b.DeclRange.Ptr(), "A secret is never shown", "credential %q: secret = true and show = true contradict each other.", b.Name)
		}
		c.Prefix, _ = rs[0].LiteralPrefix()
		if len(c.Prefix) < 3 {
			l.errorf(rs[0].Range.Ptr(), "Credential pattern needs a literal start",
				"The pattern must begin with at least 3 literal characters (it begins with %q): the scanner jumps from one occurrence of them to the next instead of trying the pattern at every byte.", c.Prefix)
			continue
		}
		if c.Mask == "" {
			c.Mask = c.Prefix
		}
		if !strings.HasPrefix(c.Prefix, c.Mask) {
			l.errorf(b.DeclRange.Ptr(), "Invalid mask", "mask %q must be a start of the pattern's literal prefix %q.", c.Mask, c.Prefix)
		}
		if len(c.Env) > 0 && !c.Secret {
			l.errorf(b.DeclRange.Ptr(), "Only API keys are read from the environment", "credential %q: env names variables a probe sends to the provider's API; it needs secret = true.", b.Name)
		}
		p.Credentials = append(p.Credentials, c)
	}
	for _, b := range raw.Switches {
		unique("switch", b.Name, b.DeclRange)
		s := &Switch{Name: b.Name, Live: lower(b.Live), Test: lower(b.Test), Default: b.Default, DeclRange: b.DeclRange}
		s.Settings = l.regexps(b.Settings, "settings", false)
		s.Code = l.regexps(b.Code, "code", b.Default == "")
		s.CodeKeys = l.regexps(b.CodeKeys, "code_keys", false)
		s.CodeFiles = l.regexps(b.CodeFiles, "code_files", false)
		if len(s.Settings) == 0 && len(s.Code) == 0 && len(s.CodeKeys) == 0 {
			l.errorf(b.DeclRange.Ptr(), "Switch matches nothing", "switch %q needs settings (configuration keys), code (source patterns) or code_keys (names set in code).", b.Name)
		}
		if len(s.CodeFiles) > 0 && len(s.CodeKeys) == 0 && len(s.Code) == 0 {
			l.errorf(b.DeclRange.Ptr(), "code_files without code or code_keys", "switch %q: code_files narrows code and code_keys, which are both empty.", b.Name)
		}
		switch {
		case b.Default == "" && (len(b.Live) == 0 || len(b.Test) == 0):
			l.errorf(b.DeclRange.Ptr(), "Switch without values", "switch %q needs live and test values (or a default for SDK calls that omit the setting).", b.Name)
		case b.Default != "" && b.Default != Live && b.Default != Test:
			l.errorf(b.DeclRange.Ptr(), "Invalid default", "switch %q: default must be %q or %q.", b.Name, Live, Test)
		case b.Default != "" && (len(s.Settings) > 0 || b.Unless == ""):
			l.errorf(b.DeclRange.Ptr(), "Invalid default switch", "switch %q with a default takes code patterns (the SDK call) and unless (what, in its arguments, sets the mode), no settings.", b.Name)
		}
		if b.Unless != "" {
			if re, err := regexp.Compile(b.Unless); err != nil {
				l.errorf(b.DeclRange.Ptr(), "Invalid regular expression", "unless: %s", err)
			} else {
				s.Unless = &Regexp{Regexp: re}
			}
		}
		p.Switches = append(p.Switches, s)
	}
	for _, b := range raw.SDKs {
		unique("sdk", b.Ecosystem+" "+b.Name, b.DeclRange)
		if !sdkEcosystems[b.Ecosystem] || strings.TrimSpace(b.Name) == "" {
			l.errorf(b.DeclRange.Ptr(), "Invalid sdk", "sdk %q %q: the ecosystem is one of npm, composer, pypi, gem, maven, nuget, go, and the name is the package's.", b.Ecosystem, b.Name)
		}
		if b.Minimum != "" && !plainVersion(b.Minimum) {
			l.errorf(b.DeclRange.Ptr(), "Invalid minimum", "sdk %q: minimum %q is not a version such as 17.0.0.", b.Name, b.Minimum)
		}
		if b.PinsAPI != "" && b.PinsAPI != "any" && !plainVersion(b.PinsAPI) {
			l.errorf(b.DeclRange.Ptr(), "Invalid pins_api_version", "sdk %q: pins_api_version %q is neither a version such as 12.0.0 nor \"any\".", b.Name, b.PinsAPI)
		}
		p.SDKs = append(p.SDKs, &SDK{Ecosystem: b.Ecosystem, Name: b.Name, Minimum: b.Minimum, Deprecated: b.Deprecated, Docs: b.Docs, PinsAPIVersion: b.PinsAPI, DeclRange: b.DeclRange})
	}
	for _, b := range raw.CodeValues {
		unique("code_value", b.Name, b.DeclRange)
		v := &CodeValue{Name: b.Name, Strings: b.Strings, Langs: b.Langs, DeclRange: b.DeclRange}
		v.Keys = l.regexps(b.Keys, "keys", false)
		v.SkipCalls = l.regexps(b.SkipCalls, "skip_calls", false)
		v.Patterns = l.regexps(b.Patterns, "patterns", true)
		v.Files = l.regexps(b.Files, "files", false)
		if res := l.regexps(b.Value, "value", false); len(res) > 0 {
			v.Value = res[0]
		}
		if len(v.Keys) == 0 && !v.Strings && len(v.Patterns) == 0 {
			l.errorf(b.DeclRange.Ptr(), "code_value finds nothing", "code_value %q needs keys (names set in code), strings = true (string literals) or patterns.", b.Name)
		}
		if v.Strings && v.Value == nil {
			l.errorf(b.DeclRange.Ptr(), "strings without value", "code_value %q: strings = true lists string literals whose value matches value; value is missing.", b.Name)
		}
		for _, lang := range b.Langs {
			if !knownLangs[lang] {
				l.errorf(b.DeclRange.Ptr(), "Unknown language", "code_value %q: langs holds %q; languages are js, php, java, csharp, python, ruby, go.", b.Name, lang)
			}
		}
		p.CodeValues = append(p.CodeValues, v)
	}
	for _, b := range raw.LogErrors {
		unique("log_error", b.Code, b.DeclRange)
		if !logCategories[b.Category] {
			l.errorf(b.DeclRange.Ptr(), "Invalid log_error", "log_error %q: category %q is not one of signature, invalid_parameter, authentication, timeout, decline, other.", b.Code, b.Category)
		}
		e := &LogError{Code: b.Code, Category: b.Category, DeclRange: b.DeclRange}
		if res := l.regexps(b.Pattern, "pattern", false); len(res) > 0 {
			e.Pattern = res[0]
		} else {
			e.Pattern = &Regexp{Regexp: regexp.MustCompile(`\b` + regexp.QuoteMeta(b.Code) + `\b`), Range: b.DeclRange}
		}
		p.LogErrors = append(p.LogErrors, e)
	}
	for _, b := range raw.JSCalls {
		unique("js_call", b.Name, b.DeclRange)
		if b.Options < 0 || !validCallee(b.Callee) {
			l.errorf(b.DeclRange.Ptr(), "Invalid js_call", "callee %q must be a dotted name (amazon.Pay.renderButton) and options an argument index ≥ 0.", b.Callee)
		}
		p.JSCalls = append(p.JSCalls, &JSCall{Name: b.Name, Callee: b.Callee, Options: b.Options, DeclRange: b.DeclRange})
	}
	switch len(raw.Webhooks) {
	case 0:
	case 1:
		b := raw.Webhooks[0]
		p.Webhook = &Webhook{
			Scheme: b.Scheme, Header: b.Header, Algorithm: b.Algorithm, Docs: b.Docs,
			Headers: b.Forge.Headers, Body: b.Forge.Body, DeclRange: b.DeclRange,
		}
		l.diags = append(l.diags, checkForgeRefs(p.Webhook)...)
	default:
		l.errorf(raw.Webhooks[1].DeclRange.Ptr(), "Duplicate webhook", "A pack has at most one webhook block.")
	}
	l.files(fsys, dir, p)
	return p
}

// files reads the pack folder's checklist and fragments.
func (l *loader) files(fsys fs.FS, dir string, p *Pack) {
	names, _ := fs.Glob(fsys, dir+"/*.hcl")
	for _, n := range names {
		base := path.Base(n)
		if base == "pack.hcl" {
			continue
		}
		src, err := fs.ReadFile(fsys, n)
		if err != nil {
			l.errorf(nil, "Cannot read provider pack", "%s: %s", l.name(dir, base), err)
			continue
		}
		f := &File{Name: l.name(dir, base), Src: src}
		if base == "checklist.hcl" {
			p.Checklist = f
		} else {
			p.Fragments[strings.TrimSuffix(base, ".hcl")] = f
		}
	}
}

func (l *loader) oneOf(rng hcl.Range, attr, v string, allowed []string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	l.errorf(rng.Ptr(), "Invalid "+attr, "%s = %q: want one of %s.", attr, v, strings.Join(allowed, ", "))
}

type located struct {
	value string
	rng   hcl.Range
}

// strings reads a constant list of strings (or one string), keeping each
// element's place for diagnostics.
func (l *loader) strings(expr hcl.Expression, attr string) []located {
	if expr == nil {
		return nil
	}
	if r := expr.Range(); r.Empty() {
		return nil // an absent optional attribute
	}
	elems, diags := hcl.ExprList(expr)
	if diags.HasErrors() {
		elems = []hcl.Expression{expr}
	}
	var out []located
	for _, e := range elems {
		v, diags := e.Value(nil)
		if diags.HasErrors() {
			l.diags = append(l.diags, diags...)
			continue
		}
		if v.IsNull() {
			continue
		}
		if !v.Type().Equals(cty.String) {
			l.errorf(e.Range().Ptr(), "Invalid "+attr, "%s: want strings.", attr)
			continue
		}
		out = append(out, located{v.AsString(), e.Range()})
	}
	return out
}

// regexps compiles RE2s; withGroup demands a capture group (the value).
func (l *loader) regexps(expr hcl.Expression, attr string, withGroup bool) []*Regexp {
	var out []*Regexp
	for _, s := range l.strings(expr, attr) {
		re, err := regexp.Compile(s.value)
		if err != nil {
			var se *syntax.Error
			detail := err.Error()
			if ok := asSyntax(err, &se); ok {
				detail = fmt.Sprintf("%s: %s", se.Code, se.Expr)
			}
			l.errorf(s.rng.Ptr(), "Invalid regular expression", "%s: %s", attr, detail)
			continue
		}
		if withGroup && re.NumSubexp() < 1 {
			l.errorf(s.rng.Ptr(), "Pattern needs a group", "%s: the first (group) is the value the pattern reads.", attr)
			continue
		}
		out = append(out, &Regexp{Regexp: re, Range: s.rng})
	}
	return out
}

// logCategories group the providers' error codes.
var logCategories = map[string]bool{"signature": true, "invalid_parameter": true, "authentication": true, "timeout": true, "decline": true, "other": true}

// sdkEcosystems are the package managers the packages probe reads.
var sdkEcosystems = map[string]bool{"npm": true, "composer": true, "pypi": true, "gem": true, "maven": true, "nuget": true, "go": true}

// knownLangs are package lexer's languages.
var knownLangs = map[string]bool{"js": true, "php": true, "java": true, "csharp": true, "python": true, "ruby": true, "go": true}

// plainVersion: dot-separated numbers, an optional leading v.
func plainVersion(v string) bool {
	v = strings.TrimPrefix(v, "v")
	for _, part := range strings.Split(v, ".") {
		if part == "" || strings.Trim(part, "0123456789") != "" {
			return false
		}
	}
	return true
}

func asSyntax(err error, target **syntax.Error) bool {
	se, ok := err.(*syntax.Error)
	if ok {
		*target = se
	}
	return ok
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}

func validCallee(s string) bool {
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" {
			return false
		}
		for i, c := range part {
			if !(c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

func luhn(n string) bool {
	sum, double := 0, false
	for i := len(n) - 1; i >= 0; i-- {
		c := n[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return len(n) >= 12 && sum%10 == 0
}
