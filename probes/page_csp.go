package probes

import (
	"net/http"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// pageCSPType is the Content-Security-Policy as the browser enforces it.
var pageCSPType = cty.Object(map[string]cty.Type{
	"present": cty.Bool, "raw": cty.String, "directives": cty.Map(cty.List(cty.String)),
	"report_only": cty.Bool,
	"source":      cty.String, // "header", "meta", "header+meta", or "" when absent
	// The script policy of the most restrictive enforced policy (a script
	// must satisfy every policy, so the tightest one decides).
	"script_src": cty.List(cty.String), // script-src, else default-src; empty when neither
	// restricts_scripts: some enforced policy limits where scripts come
	// from (no *, no bare scheme such as https: or data:, no inline script
	// without a nonce or hash).
	"restricts_scripts": cty.Bool,
	"script_hosts":      cty.List(cty.String), // host sources of that policy, lower-case
	"nonces_or_hashes":  cty.Bool,
	"strict_dynamic":    cty.Bool, // 'strict-dynamic' with a nonce or hash: host sources are ignored
	"unsafe_inline":     cty.Bool, // inline scripts run (no nonce or hash overrides it)
	"unsafe_eval":       cty.Bool,
	// frame-ancestors counts only from a header: browsers ignore it in <meta>.
	"frame_ancestors": cty.List(cty.String),
	"weaknesses":      cty.List(cty.String), // why the script policy does not hold, in words
})

// cspPolicy is one parsed policy.
type cspPolicy struct {
	dirs  map[string][]string
	order []string
	meta  bool
}

func parseCSP(raw string, meta bool) []cspPolicy {
	var out []cspPolicy
	// A header may carry several policies, comma-separated; each is
	// enforced.
	for _, policy := range strings.Split(raw, ",") {
		p := cspPolicy{dirs: map[string][]string{}, meta: meta}
		for _, d := range strings.Split(policy, ";") {
			fields := strings.Fields(d)
			if len(fields) == 0 {
				continue
			}
			name := strings.ToLower(fields[0])
			// <meta> policies cannot set these (CSP3 §3.3).
			if meta && (name == "frame-ancestors" || name == "report-uri" || name == "sandbox") {
				continue
			}
			if _, dup := p.dirs[name]; dup {
				continue // the first occurrence wins, later ones are ignored
			}
			vals := fields[1:]
			for i, v := range vals {
				// Keywords are case-insensitive; nonce and hash values
				// are not, so only their prefix is lowered.
				if strings.HasPrefix(v, "'") {
					kw, val, ok := strings.Cut(v, "-")
					if lk := strings.ToLower(kw); ok && (lk == "'nonce" || strings.HasPrefix(lk, "'sha")) {
						vals[i] = lk + "-" + val
					} else {
						vals[i] = strings.ToLower(v)
					}
				}
			}
			p.dirs[name] = vals
			p.order = append(p.order, name)
		}
		if len(p.order) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// cspScripts is what one policy says about scripts.
type cspScripts struct {
	src                                              []string
	has                                              bool
	restricts, nonced, dynamic, unsafeInline, unsafe bool
	hosts, weak                                      []string
}

func (p cspPolicy) scripts() cspScripts {
	var c cspScripts
	for _, name := range []string{"script-src", "default-src"} {
		if v, ok := p.dirs[name]; ok {
			c.src, c.has = v, true
			break
		}
	}
	if !c.has {
		c.weak = append(c.weak, "no script-src or default-src: scripts may come from anywhere")
		return c
	}
	any := false
	for _, v := range c.src {
		switch {
		case strings.HasPrefix(v, "'nonce-") || strings.HasPrefix(v, "'sha256-") || strings.HasPrefix(v, "'sha384-") || strings.HasPrefix(v, "'sha512-"):
			c.nonced = true
		case v == "'strict-dynamic'":
			c.dynamic = true
		}
	}
	c.dynamic = c.dynamic && c.nonced
	for _, v := range c.src {
		lv := strings.ToLower(v)
		switch {
		case lv == "'unsafe-inline'":
			// Ignored by browsers when a nonce or hash is present.
			if !c.nonced {
				c.unsafeInline = true
				c.weak = append(c.weak, "'unsafe-inline' without a nonce or hash: any inline script runs")
			}
		case lv == "'unsafe-eval'" || lv == "'wasm-unsafe-eval'":
			c.unsafe = true
			c.weak = append(c.weak, v+": strings are run as code")
		case strings.HasPrefix(lv, "'"):
		case c.dynamic:
			// 'strict-dynamic' makes browsers ignore host and scheme
			// sources: trust flows from the nonced scripts.
		case lv == "*":
			any = true
			c.weak = append(c.weak, "* allows scripts from any host")
		case lv == "https:" || lv == "http:" || lv == "data:" || lv == "blob:" || lv == "filesystem:" || lv == "ws:" || lv == "wss:":
			any = true
			c.weak = append(c.weak, v+" allows scripts from any "+strings.TrimSuffix(lv, ":")+" URL")
		default:
			host := lv
			if i := strings.Index(host, "://"); i >= 0 {
				host = host[i+3:]
			}
			if i := strings.IndexAny(host, "/"); i >= 0 {
				host = host[:i]
			}
			if h, _, ok := strings.Cut(host, ":"); ok && !strings.HasPrefix(host, "[") {
				host = h
			}
			if host == "*" || strings.HasPrefix(host, "*.") && strings.Count(host, ".") < 2 {
				any = true
				c.weak = append(c.weak, v+" allows scripts from too wide a set of hosts")
				continue
			}
			c.hosts = append(c.hosts, host)
		}
	}
	c.restricts = !any && !c.unsafeInline
	return c
}

// pageCSP evaluates the policies a browser enforces: every header policy
// and every <meta> policy at once; Report-Only headers are reported only
// when nothing is enforced, and never restrict anything.
func pageCSP(h http.Header, meta string) cty.Value {
	header := strings.Join(h.Values("Content-Security-Policy"), ", ")
	var policies []cspPolicy
	raw, source, reportOnly := "", "", false
	if strings.TrimSpace(header) != "" {
		policies = append(policies, parseCSP(header, false)...)
		raw, source = header, "header"
	}
	if strings.TrimSpace(meta) != "" {
		policies = append(policies, parseCSP(meta, true)...)
		if raw == "" {
			raw, source = meta, "meta"
		} else {
			raw, source = raw+", "+meta, "header+meta"
		}
	}
	if raw == "" && len(h.Values("Content-Security-Policy-Report-Only")) > 0 {
		raw, reportOnly, source = strings.Join(h.Values("Content-Security-Policy-Report-Only"), ", "), true, "header"
	}

	directives := map[string]cty.Value{}
	pols := policies
	if reportOnly {
		pols = parseCSP(raw, false)
	}
	for _, p := range pols {
		for _, name := range p.order {
			if _, dup := directives[name]; !dup {
				directives[name] = Strings(p.dirs[name])
			}
		}
	}
	dirVal := cty.MapValEmpty(cty.List(cty.String))
	if len(directives) > 0 {
		dirVal = cty.MapVal(directives)
	}

	// The tightest enforced policy decides: a restricting one beats one
	// that allows everything.
	var best cspScripts
	chosen := false
	for _, p := range policies {
		c := p.scripts()
		if !chosen || (c.restricts && !best.restricts) || (c.has && !best.has) {
			best, chosen = c, true
		}
	}
	if !chosen {
		best.weak = []string{"no enforced Content-Security-Policy"}
	}
	var ancestors []string
	for _, p := range policies {
		if v, ok := p.dirs["frame-ancestors"]; ok && !p.meta {
			ancestors = v
			break
		}
	}
	hosts := append([]string{}, best.hosts...)
	sort.Strings(hosts)
	return cty.ObjectVal(map[string]cty.Value{
		"present": cty.BoolVal(source != ""), "raw": cty.StringVal(raw), "directives": dirVal,
		"report_only": cty.BoolVal(reportOnly), "source": cty.StringVal(source),
		"script_src":        Strings(best.src),
		"restricts_scripts": cty.BoolVal(best.restricts),
		"script_hosts":      Strings(hosts),
		"nonces_or_hashes":  cty.BoolVal(best.nonced),
		"strict_dynamic":    cty.BoolVal(best.dynamic),
		"unsafe_inline":     cty.BoolVal(best.unsafeInline),
		"unsafe_eval":       cty.BoolVal(best.unsafe),
		"frame_ancestors":   Strings(ancestors),
		"weaknesses":        Strings(best.weak),
	})
}
