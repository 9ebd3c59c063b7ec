package probes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/audit-tool/audit/lexer"
	"github.com/audit-tool/audit/manifest"
	"github.com/audit-tool/audit/pack"
	"github.com/audit-tool/audit/scan"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/internal/input"
	"github.com/audit-tool/audit/walk"
)

// sourceBinarySniff is how much of a file is looked at for a NUL byte, the
// sign of a binary file (as git and grep decide).
const sourceBinarySniff = 8 << 10

// Source walks the merchant's source folders and lists, with file and
// line, what go-live checks look for: URLs, PEM keys, and by the provider
// packs' rules credentials, provider endpoints and mode switches as the
// SDKs spell them. Secrets are reported masked.
type Source struct{}

// Name implements Kind.
func (Source) Name() string { return "source" }

// Doc implements Kind.
func (Source) Doc() string {
	return "Source folders: URLs, PEM keys, and by the provider packs credentials (masked), provider endpoints and mode switches, with file:line."
}

// Spec implements Kind.
func (Source) Spec() hcldec.Spec {
	return hcldec.ObjectSpec{
		"dirs":           &hcldec.AttrSpec{Name: "dirs", Type: cty.List(cty.String), Required: true},
		"exclude":        defaulted("exclude", cty.List(cty.String), cty.ListValEmpty(cty.String)),
		"max_file_bytes": defaulted("max_file_bytes", cty.Number, cty.NumberIntVal(4<<20)),
	}
}

var (
	sourceURLType = cty.Object(map[string]cty.Type{
		"url": cty.String, "scheme": cty.String, "host": cty.String, "path": cty.String,
		"file": cty.String, "line": cty.Number,
	})
	sourcePEMType = cty.Object(map[string]cty.Type{
		"type": cty.String, "private": cty.Bool, "file": cty.String, "line": cty.Number,
		"under_web_root": cty.Bool, "git_ignored": cty.Bool,
	})
	sourceSkippedType = cty.Object(map[string]cty.Type{"file": cty.String, "size": cty.Number})
	sourceFacts       = cty.Object(map[string]cty.Type{
		// What was read and what not (links out of the folders, FIFOs,
		// unreadable or over-size files): a step passes only on what was read.
		"coverage":      CoverageType,
		"files_scanned": cty.Number,
		// Files larger than max_file_bytes, left unread: a check that must
		// see everything can insist this is empty.
		"files_skipped": cty.List(sourceSkippedType),
		"urls":          cty.List(sourceURLType),
		"pem_keys":      cty.List(sourcePEMType),
		"credentials":   cty.List(credentialType),
		"endpoints":     cty.List(endpointType),
		"switches":      cty.List(switchType),
		// What the packs' code_value blocks name in the code: API
		// versions, event types handled, object ids.
		"code_values": cty.List(codeValueType),
	})
)

// Facts implements Kind.
func (Source) Facts() cty.Type { return sourceFacts }

// Run implements Kind.
func (Source) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	var dirs []string
	exclude := sourceSkipDirs()
	for _, v := range cfg.GetAttr("dirs").AsValueSlice() {
		if v.IsNull() {
			return cty.NilVal, errors.New("dirs: null entry")
		}
		dirs = append(dirs, v.AsString())
	}
	if len(dirs) == 0 {
		return cty.NilVal, errors.New("dirs: at least one folder is required")
	}
	for _, v := range cfg.GetAttr("exclude").AsValueSlice() {
		if v.IsNull() {
			return cty.NilVal, errors.New("exclude: null entry")
		}
		exclude = append(exclude, walk.Exclude{Pattern: filepath.ToSlash(v.AsString()), Reason: "excluded by the checklist"})
	}
	maxBytes, acc := cfg.GetAttr("max_file_bytes").AsBigFloat().Int64()
	if acc != big.Exact || maxBytes <= 0 {
		return cty.NilVal, errors.New("max_file_bytes: want a positive whole number")
	}

	files, skips, err := sourceFiles(ctx, env, dirs, exclude)
	if err != nil {
		return cty.NilVal, err
	}
	s := sourceScan{packs: env.PackSet(), bundles: bundleFinder{base: env.BaseDir, scope: env.Scope}}
	builtin := map[string]bool{}
	for _, e := range sourceSkipDirs() {
		builtin[e.Pattern] = true
	}
	for _, sk := range skips {
		item := CoverageItem{File: env.Rel(filepath.FromSlash(sk.Name)), Pattern: sk.Pattern, Reason: sk.Reason}
		switch {
		case sk.Gap:
			s.cov.NotRead = append(s.cov.NotRead, item)
		case !builtin[sk.Pattern]: // third-party folders are no source by definition
			s.cov.Excluded = append(s.cov.Excluded, item)
		}
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return cty.NilVal, fmt.Errorf("source: %w", err)
		}
		if f.size > maxBytes {
			s.skipped = append(s.skipped, f)
			s.cov.NotRead = append(s.cov.NotRead, CoverageItem{File: f.rel, Reason: fmt.Sprintf("%s (%d bytes > max_file_bytes %d)", walk.ReasonTooBig, f.size, maxBytes)})
			continue
		}
		data, err := sourceRead(env.Scope, f.path, maxBytes)
		if err != nil {
			s.cov.NotRead = append(s.cov.NotRead, CoverageItem{File: f.rel, Reason: walk.Reason(err)})
			continue
		}
		s.cov.FilesRead++
		s.cov.BytesRead += int64(len(data))
		if bytes.IndexByte(data[:min(len(data), sourceBinarySniff)], 0) >= 0 {
			continue
		}
		s.scanned++
		pems := len(s.pems)
		s.scanFile(f.rel, data, s.bundles.bundled(f.path))
		if len(s.pems) > pems && walk.Ignored(env.BaseDir, f.path) {
			for i := pems; i < len(s.pems); i++ {
				s.pems[i].gitIgnored = true
			}
		}
	}
	return s.facts(), nil
}

// sourceFile is one file to read.
type sourceFile struct {
	path, rel string
	size      int64
}

// sourceSkipDirs are never the merchant's own source: deliberate
// excludes, reported as such.
func sourceSkipDirs() []walk.Exclude {
	return []walk.Exclude{
		{Pattern: ".git", Reason: "git metadata, not source"},
		{Pattern: "node_modules", Reason: "third-party packages, not the merchant's source"},
		{Pattern: "vendor", Reason: "vendored third-party code, not the merchant's source"},
	}
}

// sourceFiles lists the regular files under dirs with the shared walker
// (excludes relative to the integration folder, links kept inside the
// folders, FIFOs and devices skipped and reported), sorted by relative
// path so facts come out in the same order every run.
func sourceFiles(ctx context.Context, env *Env, dirs []string, exclude []walk.Exclude) ([]sourceFile, []walk.Skip, error) {
	var roots []string
	for _, d := range dirs {
		roots = append(roots, env.Path(d))
	}
	var files []sourceFile
	skips, err := walk.Walk(ctx, roots, walk.Options{Base: env.BaseDir, Exclude: exclude}, func(f walk.File) error {
		files = append(files, sourceFile{path: f.Path, rel: env.Rel(f.Path), size: f.Size})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("source: %w", err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	return files, skips, nil
}

func sourceRead(scope *input.Scope, p string, maxBytes int64) ([]byte, error) {
	fh, _, err := scope.Open(p)
	if err != nil {
		return nil, fmt.Errorf("source: %w", err)
	}
	defer fh.Close()
	// The file may have grown since it was listed: never read past the cap.
	data, err := io.ReadAll(io.LimitReader(fh, maxBytes))
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", p, err)
	}
	return data, nil
}

type sourceURL struct {
	url, scheme, host, path string
	at                      sourceAt
}

type sourceAt struct {
	file string
	line int
}

type sourcePEM struct {
	typ                   string
	private, underWebRoot bool
	// gitIgnored: a .gitignore keeps the file out of the repository, a
	// runtime file (keys the app generates or the operator drops in).
	gitIgnored bool
	at         sourceAt
}

// sourceScan accumulates findings over files, in file then offset order.
type sourceScan struct {
	packs       *pack.Set
	scanned     int
	skipped     []sourceFile
	cov         Coverage
	urls        []sourceURL
	pems        []sourcePEM
	credentials []credential
	endpoints   []endpoint
	switches    []switchFound
	values      []valueFound
	bundles     bundleFinder
}

var (
	sourcePEMRe     = regexp.MustCompile(`-----BEGIN ([A-Z0-9 ]{1,40})-----`)
	sourcePEMBodyRe = regexp.MustCompile(`^[ \t]*(?:\r?\n|\\r\\n|\\n|\\\\n)[ \t"']*(?:[A-Za-z0-9+/=]{16}|Proc-Type:)`)
)

// sourceWebRoots are folders whose files are served to browsers or built
// into client bundles.
var sourceWebRoots = map[string]bool{
	"public": true, "static": true, "dist": true, "www": true, "build": true, "assets": true,
	"wwwroot": true, "htdocs": true, "public_html": true,
}

// sourceUnderWebRoot reports whether a folder on rel's path is a web root.
func sourceUnderWebRoot(rel string) bool {
	parts := strings.Split(rel, "/")
	for _, part := range parts[:len(parts)-1] {
		if sourceWebRoots[strings.ToLower(part)] {
			return true
		}
	}
	return false
}

// sourceClientSide: served to browsers, so a secret there is public.
func sourceClientSide(rel string) bool {
	ext := strings.ToLower(path.Ext(rel))
	return sourceUnderWebRoot(rel) || ext == ".html" || ext == ".htm"
}

// bundleScripts are the files a bundler builds into what browsers load.
var bundleScripts = map[string]bool{".js": true, ".jsx": true, ".ts": true, ".tsx": true, ".mjs": true, ".vue": true, ".svelte": true}

// Dependencies that make a package.json a browser app's (its scripts are
// bundled for the browser), and those of apps that also run on a server
// (Next.js, Express…), where a file may be either: those are not
// counted as client-side.
var (
	browserDeps = []string{"react", "react-scripts", "react-dom", "vue", "@angular/core", "svelte", "preact", "vite", "webpack", "parcel"}
	serverDeps  = []string{"express", "koa", "fastify", "next", "nuxt", "@nestjs/core", "@remix-run/node", "@hapi/hapi", "@sveltejs/kit", "astro", "stripe"}
)

// bundleFinder tells whether a script belongs to a browser app: the
// nearest package.json above it (up to the integration folder) depends on
// a browser framework or bundler and on no server framework or server
// SDK. Each folder's answer is kept.
type bundleFinder struct {
	base  string
	scope *input.Scope
	cache map[string]bool
}

func (b *bundleFinder) bundled(file string) bool {
	if !bundleScripts[strings.ToLower(filepath.Ext(file))] {
		return false
	}
	return b.dir(filepath.Dir(file))
}

func (b *bundleFinder) dir(dir string) bool {
	if v, ok := b.cache[dir]; ok {
		return v
	}
	if b.cache == nil {
		b.cache = map[string]bool{}
	}
	v := false
	if data, err := sourceRead(b.scope, filepath.Join(dir, "package.json"), 1<<20); err == nil {
		v = browserApp(data)
	} else if rel, err := filepath.Rel(b.base, dir); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
		v = b.dir(filepath.Dir(dir))
	}
	b.cache[dir] = v
	return v
}

// browserApp reads a package.json's dependencies (an unreadable one says
// nothing).
func browserApp(data []byte) bool {
	pkgs, err := manifest.For("package.json")(data)
	if err != nil {
		return false
	}
	browser := false
	for _, p := range pkgs {
		if slices.Contains(serverDeps, p.Name) || strings.HasPrefix(p.Name, "@remix-run/") {
			return false
		}
		browser = browser || slices.Contains(browserDeps, p.Name)
	}
	return browser
}

// scanFile extracts findings from one text file; bundled says it is built
// into a browser bundle (bundleFinder).
func (s *sourceScan) scanFile(rel string, data []byte, bundled bool) {
	var lines newlineIndex
	built := false
	at := func(off int) sourceAt {
		if !built {
			lines, built = newNewlineIndex(data), true
		}
		return sourceAt{file: rel, line: lines.line(off)}
	}

	sourceFindURLs(data, func(start, end int) { s.addURL(string(data[start:end]), at(start)) })
	s.credentials = append(s.credentials, findCredentials(s.packs, data, at, bundled || sourceClientSide(rel), "")...)
	read := sourceCode(s.packs, rel, data)
	for _, m := range read.switches {
		s.switches = append(s.switches, switchFound{m: m.SwitchMatch, key: m.key, value: m.value, at: at(m.off)})
	}
	for _, m := range read.values {
		s.values = append(s.values, valueFound{m: m, at: at(m.Off)})
	}
	if bytes.Contains(data, []byte("-----BEGIN ")) {
		web := sourceUnderWebRoot(rel)
		for _, m := range sourcePEMRe.FindAllSubmatchIndex(data, -1) {
			// A marker with no key after it is code that looks for keys.
			if !sourcePEMBodyRe.Match(data[m[1]:min(len(data), m[1]+64)]) {
				continue
			}
			typ := string(data[m[2]:m[3]])
			s.pems = append(s.pems, sourcePEM{
				typ: typ, private: strings.Contains(typ, "PRIVATE KEY"), underWebRoot: web, at: at(m[0]),
			})
		}
	}
	// Switches were found rule by rule: back into offset order.
	sort.SliceStable(s.switches, func(i, j int) bool {
		a, b := s.switches[i].at, s.switches[j].at
		return a.file < b.file || (a.file == b.file && a.line < b.line)
	})
}

// sourceProse are documentation files: an SDK setting quoted in a README
// is not the integration's.
var sourceProse = map[string]bool{".md": true, ".markdown": true, ".rst": true, ".adoc": true, ".txt": true}

// sourceCode finds the packs' mode switches as code spells them: in the
// languages the lexer knows, with comments left out and settings read
// from the code (codeSwitches); elsewhere (templates, scripts of other
// languages) by the patterns over the raw text.
func sourceCode(set *pack.Set, rel string, data []byte) codeRead {
	if sourceProse[strings.ToLower(path.Ext(rel))] {
		return codeRead{}
	}
	if lang, ok := lexer.ForFile(rel); ok {
		return readCode(set, lang, data)
	}
	var out codeRead
	for _, m := range set.Code(data) {
		out.switches = append(out.switches, codeFound{SwitchMatch: m.SwitchMatch, key: string(data[m.Start:m.End]), value: m.Value, off: m.Start})
	}
	for _, p := range set.Packs() {
		out.values = append(out.values, p.FindValues("", data, nil, nil)...)
	}
	return out
}

// sourceFindURLs is hand-written because a regexp without a literal prefix
// runs its slow matcher over every byte of every file; this jumps from
// "://" to "://" with bytes.Index.
//
// sourceFindURLs calls fn for each http(s) URL in data, as the bytes after
// "://" up to a blank, a quote, a bracket or a separator.
func sourceFindURLs(data []byte, fn func(start, end int)) {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("://"))
		if j < 0 {
			return
		}
		sep := i + j
		i = sep + 3
		start := -1
		for _, scheme := range []string{"https", "http"} {
			if n := len(scheme); sep >= n && strings.EqualFold(string(data[sep-n:sep]), scheme) {
				start = sep - n
				break
			}
		}
		end := i
		for end < len(data) && !sourceURLStop(data[end]) {
			end++
		}
		if start >= 0 && end > i {
			fn(start, end)
			i = end
		}
	}
}

func sourceURLStop(c byte) bool {
	return c <= ' ' || c == 0x7f || strings.IndexByte("\"'<>`(){}[]\\|^,;", c) >= 0
}

// addURL records a URL and, when it is on a provider's host, the endpoint.
func (s *sourceScan) addURL(raw string, at sourceAt) {
	raw = strings.TrimRight(raw, ".:!?*'\"")
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return
	}
	shown := sourceRedactURL(u)
	host := strings.ToLower(u.Hostname())
	s.urls = append(s.urls, sourceURL{
		url: shown, scheme: strings.ToLower(u.Scheme), host: host, path: u.EscapedPath(), at: at,
	})
	if e, ok := matchEndpoint(s.packs, u, shown, "", at); ok && e.m.Endpoint.Purpose != "docs" {
		s.endpoints = append(s.endpoints, e)
	}
}

// sourceSecretParam matches query parameter names that carry credentials.
var sourceSecretParam = regexp.MustCompile(`(?i)key|secret|token|passw|pwd|signature|^sig$|auth|credential`)

// sourceRedactURL shows u without its password or credential-like query
// values, which are masked.
func sourceRedactURL(u *url.URL) string {
	q := u.Query()
	changed := false
	for name, vals := range q {
		if !sourceSecretParam.MatchString(name) {
			continue
		}
		for i, v := range vals {
			if v != "" {
				vals[i] = scan.MaskSecret(v)
				changed = true
			}
		}
	}
	if !changed {
		return u.Redacted()
	}
	c := *u
	c.RawQuery = q.Encode()
	return c.Redacted()
}

func (a sourceAt) attrs(m map[string]cty.Value) cty.Value {
	m["file"] = cty.StringVal(a.file)
	m["line"] = cty.NumberIntVal(int64(a.line))
	return cty.ObjectVal(m)
}

func (s *sourceScan) facts() cty.Value {
	skipped := make([]cty.Value, len(s.skipped))
	for i, f := range s.skipped {
		skipped[i] = cty.ObjectVal(map[string]cty.Value{
			"file": cty.StringVal(f.rel), "size": cty.NumberIntVal(f.size),
		})
	}
	urls := make([]cty.Value, len(s.urls))
	for i, u := range s.urls {
		urls[i] = u.at.attrs(map[string]cty.Value{
			"url": cty.StringVal(u.url), "scheme": cty.StringVal(u.scheme),
			"host": cty.StringVal(u.host), "path": cty.StringVal(u.path),
		})
	}
	pems := make([]cty.Value, len(s.pems))
	for i, p := range s.pems {
		pems[i] = p.at.attrs(map[string]cty.Value{
			"type": cty.StringVal(p.typ), "private": cty.BoolVal(p.private),
			"under_web_root": cty.BoolVal(p.underWebRoot), "git_ignored": cty.BoolVal(p.gitIgnored),
		})
	}
	return cty.ObjectVal(map[string]cty.Value{
		"coverage":      s.cov.Value(),
		"files_scanned": cty.NumberIntVal(int64(s.scanned)),
		"files_skipped": ListOf(sourceSkippedType, skipped),
		"urls":          ListOf(sourceURLType, urls),
		"pem_keys":      ListOf(sourcePEMType, pems),
		"credentials":   credentialFacts(s.credentials),
		"endpoints":     endpointFacts(s.endpoints),
		"switches":      switchFacts(s.switches),
		"code_values":   valueFacts(s.values),
	})
}
