package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/internal/runner"
	"github.com/audit-tool/audit/probes"
)

// logLine writes one line (or block) on stderr at a time: probes finish,
// and with --debug send requests, on their own goroutines.
func (a *app) logLine(s string) {
	a.logMu.Lock()
	defer a.logMu.Unlock()
	_, _ = io.WriteString(a.stderr, s+"\n")
}

// debugf is a --debug line; nothing without --debug.
func (a *app) debugf(format string, args ...any) {
	if a.debug {
		a.logLine("debug: " + fmt.Sprintf(format, args...))
	}
}

// traceCredentials is --verbose: for each probe that sends a credential
// from the environment, the variables it may read it from and the hosts
// it may send it to (the rule of probes.Credential).
func (a *app) traceCredentials(plan *checklist.Plan) {
	for _, inst := range plan.Instances {
		for _, p := range inst.Probes {
			c, ok := p.Kind.(probes.Credentialed)
			if !ok || !p.Enabled || !p.Config.IsWhollyKnown() {
				continue
			}
			provider, variable := c.CredentialEnv(p.Config)
			pk, ok := plan.Packs.Lookup(provider)
			if !ok {
				continue
			}
			cred := probes.Credential{Pack: pk, Variable: variable}
			a.logLine(fmt.Sprintf("credentials: probe %s.%s reads a %s key from $%s only (allowed: %s), sent over https to %s or to loopback",
				inst.Name, p.Decl.Addr(), pk.Title, variable, strings.Join(cred.Vars(), ", "), strings.Join(cred.Hosts(), ", ")))
		}
	}
}

// traceProbe is --verbose: one stderr line per probe run. --debug adds its
// settings as resolved and, for a failure, the Go error chain.
func (a *app) traceProbe(p runner.ProbeTrace) {
	line := fmt.Sprintf("probe %s in %s: %d ms", p.Probe, orDot(p.Dir), p.Elapsed.Milliseconds())
	if p.Err != nil {
		line += ", " + firstLineOf(p.Err.Error())
	} else if what := probeRead(p.Facts); what != "" {
		line += ", " + what
	}
	if a.debug {
		line += "\n  settings: " + settingsText(p.Config)
		if p.Err != nil {
			line += "\n  error chain:" + errorChain(p.Err, "    ")
		}
	}
	a.logLine(line)
}

// settingsText is a probe's settings as JSON, the values of names that say
// credential (headers, keys, tokens) masked; stderr masks card numbers and
// known secrets everywhere else.
func settingsText(cfg cty.Value) string {
	if cfg == cty.NilVal || !cfg.IsWhollyKnown() {
		return "(unknown)"
	}
	raw, err := ctyjson.Marshal(cfg, cfg.Type())
	if err != nil {
		return "(" + err.Error() + ")"
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "(" + err.Error() + ")"
	}
	out, err := json.Marshal(maskNamed("", v))
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return string(out)
}

// maskNamed masks the strings held under a credential-like name, at any
// depth: headers = { Authorization = "…" }.
func maskNamed(name string, v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = maskNamed(k, e)
		}
	case []any:
		for i, e := range v {
			v[i] = maskNamed(name, e)
		}
	case string:
		return probes.MaskValue(name, v)
	}
	return v
}

// errorChain lists err and what it wraps, one a line with its Go type:
// what --debug shows of a failure.
func errorChain(err error, indent string) string {
	var b strings.Builder
	for err != nil {
		fmt.Fprintf(&b, "\n%s%T: %s", indent, err, firstLineOf(err.Error()))
		if multi, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range multi.Unwrap() {
				b.WriteString(errorChain(e, indent+"  "))
			}
			break
		}
		err = errors.Unwrap(err)
	}
	return b.String()
}

// probeRead says what a probe's facts show it read or fetched: the files
// of its coverage, the URL it fetched, the files it parsed.
func probeRead(facts cty.Value) string {
	if facts == cty.NilVal || !facts.IsKnown() || facts.IsNull() || !facts.Type().IsObjectType() {
		return ""
	}
	var parts []string
	attr := func(name string) cty.Value {
		if !facts.Type().HasAttribute(name) {
			return cty.NilVal
		}
		v := facts.GetAttr(name)
		if !v.IsKnown() || v.IsNull() {
			return cty.NilVal
		}
		return v
	}
	if u := attr("url"); u != cty.NilVal && u.Type() == cty.String && u.AsString() != "" {
		parts = append(parts, "fetched "+u.AsString())
	}
	if c := attr("coverage"); c != cty.NilVal && c.Type().IsObjectType() && c.Type().HasAttribute("files_read") {
		if n := c.GetAttr("files_read"); n.IsKnown() && !n.IsNull() && n.Type() == cty.Number {
			parts = append(parts, "read "+n.AsBigFloat().Text('f', 0)+" file(s)")
		}
	}
	if f := attr("files"); f != cty.NilVal && (f.Type().IsListType() || f.Type().IsTupleType()) {
		parts = append(parts, fmt.Sprintf("parsed %d file(s)", f.LengthInt()))
	}
	return strings.Join(parts, ", ")
}

func orDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
