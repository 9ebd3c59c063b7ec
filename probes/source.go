package probes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/audit-tool/audit/scan"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/internal/input"
)

// sourceBinarySniff is how much of a file is looked at for a NUL byte, the
// sign of a binary file (as git and grep decide).
const sourceBinarySniff = 8 << 10

// Source walks the merchant's source folders and lists, with file and
// line, what go-live checks look for: endpoint URLs, Amazon Pay public key
// ids, Stripe keys, PEM keys, Adyen and PayPal endpoints and client keys.
// Secrets are reported masked.
type Source struct{}

// Name implements Kind.
func (Source) Name() string { return "source" }

// Doc implements Kind.
func (Source) Doc() string {
	return "Source folders: endpoint URLs, Amazon Pay key ids, Stripe keys (masked), PEM keys, Adyen and PayPal endpoints, with file:line."
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
	sourceKeyIDType = cty.Object(map[string]cty.Type{
		"id": cty.String, "environment": cty.String, "file": cty.String, "line": cty.Number,
	})
	sourceStripeKeyType = cty.Object(map[string]cty.Type{
		"kind": cty.String, "live": cty.Bool, "masked": cty.String,
		"file": cty.String, "line": cty.Number, "client_side": cty.Bool,
	})
	sourcePEMType = cty.Object(map[string]cty.Type{
		"type": cty.String, "private": cty.Bool, "file": cty.String, "line": cty.Number,
		"under_web_root": cty.Bool,
	})
	sourceEndpointType = cty.Object(map[string]cty.Type{
		"url": cty.String, "live": cty.Bool, "file": cty.String, "line": cty.Number,
	})
	sourceClientKeyType = cty.Object(map[string]cty.Type{
		"masked": cty.String, "live": cty.Bool, "file": cty.String, "line": cty.Number,
	})
	sourceClientIDType = cty.Object(map[string]cty.Type{
		"client_id": cty.String, "file": cty.String, "line": cty.Number,
	})
	sourceSkippedType = cty.Object(map[string]cty.Type{"file": cty.String, "size": cty.Number})
	sourceFacts       = cty.Object(map[string]cty.Type{
		"files_scanned": cty.Number,
		// Files larger than max_file_bytes, left unread: a check that must
		// see everything can insist this is empty.
		"files_skipped": cty.List(sourceSkippedType),
		"urls":          cty.List(sourceURLType),
		"key_ids":       cty.List(sourceKeyIDType),
		"stripe_keys":   cty.List(sourceStripeKeyType),
		"pem_keys":      cty.List(sourcePEMType),
		"adyen": cty.Object(map[string]cty.Type{
			"endpoints": cty.List(sourceEndpointType), "client_keys": cty.List(sourceClientKeyType),
		}),
		"paypal": cty.Object(map[string]cty.Type{
			"endpoints": cty.List(sourceEndpointType), "sdk_client_ids": cty.List(sourceClientIDType),
		}),
	})
)

// Facts implements Kind.
func (Source) Facts() cty.Type { return sourceFacts }

// Run implements Kind.
func (Source) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	var dirs, exclude []string
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
		p := filepath.ToSlash(v.AsString())
		if _, err := path.Match(p, ""); err != nil {
			return cty.NilVal, fmt.Errorf("exclude %q: %w", p, err)
		}
		exclude = append(exclude, p)
	}
	maxBytes, acc := cfg.GetAttr("max_file_bytes").AsBigFloat().Int64()
	if acc != big.Exact || maxBytes <= 0 {
		return cty.NilVal, errors.New("max_file_bytes: want a positive whole number")
	}

	files, err := sourceFiles(env, dirs, exclude)
	if err != nil {
		return cty.NilVal, err
	}
	var s sourceScan
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return cty.NilVal, fmt.Errorf("source: %w", err)
		}
		if f.size > maxBytes {
			s.skipped = append(s.skipped, f)
			continue
		}
		data, err := sourceRead(f.path, maxBytes)
		if err != nil {
			return cty.NilVal, err
		}
		if bytes.IndexByte(data[:min(len(data), sourceBinarySniff)], 0) >= 0 {
			continue
		}
		s.scanned++
		s.scanFile(f.rel, data)
	}
	return s.facts(), nil
}

// sourceFile is one file to read.
type sourceFile struct {
	path, rel string
	size      int64
}

// sourceSkipDirs are never the merchant's own source.
var sourceSkipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// sourceFiles lists the regular files under dirs, each once, sorted by
// their relative path so facts come out in the same order every run.
func sourceFiles(env *Env, dirs, exclude []string) ([]sourceFile, error) {
	seen := map[string]bool{}
	var files []sourceFile
	for _, d := range dirs {
		root := env.Path(d)
		err := filepath.WalkDir(root, func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				return fmt.Errorf("source: %w", err)
			}
			rel := env.Rel(p)
			if de.IsDir() {
				if p != root && (sourceSkipDirs[de.Name()] || sourceExcluded(exclude, rel)) {
					return filepath.SkipDir
				}
				return nil
			}
			if !de.Type().IsRegular() || sourceExcluded(exclude, rel) {
				return nil // symlinks and devices: their targets are scanned where they live
			}
			abs, err := filepath.Abs(p)
			if err != nil {
				return fmt.Errorf("source: %w", err)
			}
			if seen[abs] {
				return nil
			}
			seen[abs] = true
			info, err := de.Info()
			if err != nil {
				return fmt.Errorf("source: %w", err)
			}
			files = append(files, sourceFile{path: p, rel: rel, size: info.Size()})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	return files, nil
}

// sourceExcluded matches rel against the exclude globs. A pattern without
// a slash matches any path element ("*.min.js", "fixtures"); one with a
// slash matches from the top, and "**" stands for any number of folders.
func sourceExcluded(patterns []string, rel string) bool {
	parts := strings.Split(rel, "/")
	for _, p := range patterns {
		p = strings.TrimSuffix(p, "/")
		if !strings.Contains(p, "/") {
			for _, part := range parts {
				if ok, _ := path.Match(p, part); ok {
					return true
				}
			}
			continue
		}
		if sourceGlob(strings.Split(p, "/"), parts) {
			return true
		}
	}
	return false
}

// sourceGlob matches path elements against pattern elements. A pattern
// that matches a folder also matches everything under it.
func sourceGlob(pat, parts []string) bool {
	if len(pat) == 0 {
		return true
	}
	if pat[0] == "**" {
		for i := 0; i <= len(parts); i++ {
			if sourceGlob(pat[1:], parts[i:]) {
				return true
			}
		}
		return false
	}
	if len(parts) == 0 {
		return false
	}
	ok, _ := path.Match(pat[0], parts[0])
	return ok && sourceGlob(pat[1:], parts[1:])
}

func sourceRead(p string, maxBytes int64) ([]byte, error) {
	fh, _, err := input.Open(p)
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

type sourceKeyID struct {
	id, env string
	at      sourceAt
}

type sourceStripeKey struct {
	kind, masked     string
	live, clientSide bool
	at               sourceAt
}

type sourcePEM struct {
	typ                   string
	private, underWebRoot bool
	at                    sourceAt
}

type sourceEndpoint struct {
	url  string
	live bool
	at   sourceAt
}

type sourceClientKey struct {
	masked string
	live   bool
	at     sourceAt
}

type sourceClientID struct {
	id string
	at sourceAt
}

// sourceScan accumulates findings over files, in file then offset order.
type sourceScan struct {
	scanned        int
	skipped        []sourceFile
	urls           []sourceURL
	keyIDs         []sourceKeyID
	stripeKeys     []sourceStripeKey
	pems           []sourcePEM
	adyenEndpoints []sourceEndpoint
	adyenKeys      []sourceClientKey
	paypalEnds     []sourceEndpoint
	paypalIDs      []sourceClientID
}

var (
	sourceBareKeyRe = regexp.MustCompile(`(?i:public_?key_?id)["']?\s*[:=]>?\s*["']?(AH[A-Z0-9]{22})\b`)
	sourceStripeRe  = regexp.MustCompile(`\b(?:(sk|pk|rk)_(live|test)_[0-9A-Za-z]{10,}|whsec_[0-9A-Za-z]{16,})\b`)
	sourcePEMRe     = regexp.MustCompile(`-----BEGIN ([A-Z0-9 ]{1,40})-----`)
	sourcePEMBodyRe = regexp.MustCompile(`^[ \t]*(?:\r?\n|\\r\\n|\\n|\\\\n)[ \t"']*(?:[A-Za-z0-9+/=]{16}|Proc-Type:)`)
)

var sourceStripeKinds = map[string]string{"sk": "secret", "pk": "publishable", "rk": "restricted"}

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

// scanFile extracts findings from one text file.
func (s *sourceScan) scanFile(rel string, data []byte) {
	var lines newlineIndex
	built := false
	at := func(off int) sourceAt {
		if !built {
			lines, built = newNewlineIndex(data), true
		}
		return sourceAt{file: rel, line: lines.line(off)}
	}

	sourceFindURLs(data, func(start, end int) { s.addURL(string(data[start:end]), at(start)) })
	findAmazonKeyIDs(data, func(start, end int, env string) {
		s.keyIDs = append(s.keyIDs, sourceKeyID{id: string(data[start:end]), env: env, at: at(start)})
	})
	if sourceContainsAny(data, "eyId", "eyID", "ey_id", "EY_ID", "eyid") {
		for _, m := range sourceBareKeyRe.FindAllSubmatchIndex(data, -1) {
			s.keyIDs = append(s.keyIDs, sourceKeyID{id: string(data[m[2]:m[3]]), env: "unknown", at: at(m[2])})
		}
	}
	s.stripeKeys = append(s.stripeKeys, sourceStripeKeys(data, sourceClientSide(rel), at)...)
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
	for _, marker := range []string{"live_", "test_"} {
		sourceFindTokens(data, marker, 32, sourceUpperAlnum, func(start, end int) {
			s.adyenKeys = append(s.adyenKeys, sourceClientKey{
				masked: scan.MaskSecret(string(data[start:end])), live: marker == "live_", at: at(start),
			})
		})
	}
	// Two passes, one per marker: back into offset order.
	sort.SliceStable(s.adyenKeys, func(i, j int) bool {
		a, b := s.adyenKeys[i].at, s.adyenKeys[j].at
		return a.file < b.file || (a.file == b.file && a.line < b.line)
	})
}

// sourceStripeKeys lists the Stripe keys in data, masked, in offset order.
func sourceStripeKeys(data []byte, clientSide bool, at func(off int) sourceAt) []sourceStripeKey {
	if !sourceContainsAny(data, "_live_", "_test_", "whsec_") {
		return nil
	}
	var keys []sourceStripeKey
	for _, m := range sourceStripeRe.FindAllSubmatchIndex(data, -1) {
		key := string(data[m[0]:m[1]])
		k := sourceStripeKey{kind: "webhook_secret", masked: scan.MaskSecret(key), clientSide: clientSide, at: at(m[0])}
		// A webhook signing secret does not say its mode; anyone who
		// holds it can forge events, so it counts as live.
		k.live = true
		if m[2] >= 0 {
			k.kind = sourceStripeKinds[string(data[m[2]:m[3]])]
			k.live = string(data[m[4]:m[5]]) == "live"
		}
		keys = append(keys, k)
	}
	return keys
}

// The scanners below are hand-written because a regexp without a literal
// prefix runs its slow matcher over every byte of every file; these jump
// from marker to marker with bytes.Index.

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

func sourceUpperAlnum(c byte) bool { return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

func sourceWordByte(c byte) bool { return isJSIdentPart(c) && c != '$' && c < 0x80 }

// sourceFindTokens calls fn for each marker followed by exactly n bytes
// that satisfy ok, standing alone as a word.
func sourceFindTokens(data []byte, marker string, n int, ok func(byte) bool, fn func(start, end int)) {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte(marker))
		if j < 0 {
			return
		}
		start := i + j
		i = start + len(marker)
		if start > 0 && sourceWordByte(data[start-1]) {
			continue
		}
		end := i
		for end < len(data) && end-i < n && ok(data[end]) {
			end++
		}
		if end-i == n && (end == len(data) || !sourceWordByte(data[end])) {
			fn(start, end)
			i = end
		}
	}
}

// findAmazonKeyIDs calls fn for each Amazon Pay public key id,
// LIVE-… or SANDBOX-… and 24 capitals or digits, in offset order.
func findAmazonKeyIDs(data []byte, fn func(start, end int, env string)) {
	type hit struct {
		start, end int
		env        string
	}
	var hits []hit
	for _, env := range []string{"live", "sandbox"} {
		sourceFindTokens(data, strings.ToUpper(env)+"-", 24, sourceUpperAlnum, func(start, end int) {
			hits = append(hits, hit{start, end, env})
		})
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	for _, h := range hits {
		fn(h.start, h.end, h.env)
	}
}

func sourceContainsAny(data []byte, subs ...string) bool {
	for _, s := range subs {
		if bytes.Contains(data, []byte(s)) {
			return true
		}
	}
	return false
}

// sourceAdyenNotEndpoints are Adyen hosts people link to, not APIs.
var sourceAdyenNotEndpoints = map[string]bool{
	"adyen.com": true, "www.adyen.com": true, "docs.adyen.com": true, "help.adyen.com": true,
	"ca-test.adyen.com": true, "ca-live.adyen.com": true,
}

// addURL records a URL and, for Adyen and PayPal hosts, the endpoint or
// SDK client id it names.
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
	switch {
	case host == "adyen.com" || strings.HasSuffix(host, ".adyen.com") || strings.HasSuffix(host, ".adyenpayments.com"):
		if !sourceAdyenNotEndpoints[host] {
			s.adyenEndpoints = append(s.adyenEndpoints, sourceEndpoint{
				url: shown, live: strings.Contains(host, "live"), at: at,
			})
		}
	case host == "paypal.com" || strings.HasSuffix(host, ".paypal.com"):
		if strings.HasPrefix(u.Path, "/sdk/js") {
			if id := u.Query().Get("client-id"); id != "" {
				s.paypalIDs = append(s.paypalIDs, sourceClientID{id: id, at: at})
			}
			return
		}
		if strings.HasPrefix(host, "api.") || strings.HasPrefix(host, "api-m.") ||
			strings.HasPrefix(host, "ipnpb.") || strings.HasPrefix(u.Path, "/cgi-bin/webscr") {
			s.paypalEnds = append(s.paypalEnds, sourceEndpoint{
				url: shown, live: !strings.Contains(host, "sandbox"), at: at,
			})
		}
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

func sourceEndpoints(es []sourceEndpoint) cty.Value {
	vals := make([]cty.Value, len(es))
	for i, e := range es {
		vals[i] = e.at.attrs(map[string]cty.Value{"url": cty.StringVal(e.url), "live": cty.BoolVal(e.live)})
	}
	return ListOf(sourceEndpointType, vals)
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
	// Within a file, prefixed and bare key ids were found in two passes.
	sort.SliceStable(s.keyIDs, func(i, j int) bool {
		a, b := s.keyIDs[i].at, s.keyIDs[j].at
		return a.file < b.file || (a.file == b.file && a.line < b.line)
	})
	keyIDs := make([]cty.Value, len(s.keyIDs))
	for i, k := range s.keyIDs {
		keyIDs[i] = k.at.attrs(map[string]cty.Value{
			"id": cty.StringVal(k.id), "environment": cty.StringVal(k.env),
		})
	}
	stripe := make([]cty.Value, len(s.stripeKeys))
	for i, k := range s.stripeKeys {
		stripe[i] = k.at.attrs(map[string]cty.Value{
			"kind": cty.StringVal(k.kind), "live": cty.BoolVal(k.live),
			"masked": cty.StringVal(k.masked), "client_side": cty.BoolVal(k.clientSide),
		})
	}
	pems := make([]cty.Value, len(s.pems))
	for i, p := range s.pems {
		pems[i] = p.at.attrs(map[string]cty.Value{
			"type": cty.StringVal(p.typ), "private": cty.BoolVal(p.private),
			"under_web_root": cty.BoolVal(p.underWebRoot),
		})
	}
	adyenKeys := make([]cty.Value, len(s.adyenKeys))
	for i, k := range s.adyenKeys {
		adyenKeys[i] = k.at.attrs(map[string]cty.Value{
			"masked": cty.StringVal(k.masked), "live": cty.BoolVal(k.live),
		})
	}
	paypalIDs := make([]cty.Value, len(s.paypalIDs))
	for i, c := range s.paypalIDs {
		paypalIDs[i] = c.at.attrs(map[string]cty.Value{"client_id": cty.StringVal(c.id)})
	}
	return cty.ObjectVal(map[string]cty.Value{
		"files_scanned": cty.NumberIntVal(int64(s.scanned)),
		"files_skipped": ListOf(sourceSkippedType, skipped),
		"urls":          ListOf(sourceURLType, urls),
		"key_ids":       ListOf(sourceKeyIDType, keyIDs),
		"stripe_keys":   ListOf(sourceStripeKeyType, stripe),
		"pem_keys":      ListOf(sourcePEMType, pems),
		"adyen": cty.ObjectVal(map[string]cty.Value{
			"endpoints": sourceEndpoints(s.adyenEndpoints), "client_keys": ListOf(sourceClientKeyType, adyenKeys),
		}),
		"paypal": cty.ObjectVal(map[string]cty.Value{
			"endpoints": sourceEndpoints(s.paypalEnds), "sdk_client_ids": ListOf(sourceClientIDType, paypalIDs),
		}),
	})
}
