package probes

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/pack"
	"github.com/audit-tool/audit/scan"
)

// The facts the config, source and page probes report from the provider
// packs' rules: the same rule set everywhere, so a string gets one answer.
var (
	// A credential, masked; value is set only when its rule says it may be
	// shown (a public key id).
	credentialType = cty.Object(map[string]cty.Type{
		"provider": cty.String, "rule": cty.String, "kind": cty.String, "mode": cty.String,
		"live": cty.Bool, "secret": cty.Bool, "masked": cty.String, "value": cty.String,
		"client_side": cty.Bool, "key": cty.String, "file": cty.String, "line": cty.Number,
	})
	// A URL on a provider's host.
	endpointType = cty.Object(map[string]cty.Type{
		"provider": cty.String, "endpoint": cty.String, "purpose": cty.String,
		"environment": cty.String, "region": cty.String, "url": cty.String, "host": cty.String,
		"path": cty.String, "key": cty.String, "file": cty.String, "line": cty.Number,
	})
	// A setting or SDK call that switches a provider's mode.
	switchType = cty.Object(map[string]cty.Type{
		"provider": cty.String, "switch": cty.String, "mode": cty.String, "key": cty.String,
		"value": cty.String, "file": cty.String, "line": cty.Number,
	})
)

// credential is a credential found, with where.
type credential struct {
	m          pack.Match
	raw        string
	clientSide bool
	key        string // the configuration key holding it, if any
	at         sourceAt
}

func (c credential) fact() cty.Value {
	value := ""
	if c.m.Rule.Show {
		value = c.raw
	}
	return cty.ObjectVal(map[string]cty.Value{
		"provider": cty.StringVal(c.m.Provider), "rule": cty.StringVal(c.m.Rule.Name),
		"kind": cty.StringVal(c.m.Rule.Kind), "mode": cty.StringVal(c.m.Rule.Mode),
		"live": cty.BoolVal(c.m.Rule.Mode != pack.Test), "secret": cty.BoolVal(c.m.Rule.Secret),
		"masked": cty.StringVal(scan.MaskAs(c.m.Rule.Mask, c.raw)), "value": cty.StringVal(value),
		"client_side": cty.BoolVal(c.clientSide), "key": cty.StringVal(c.key),
		"file": cty.StringVal(c.at.file), "line": cty.NumberIntVal(int64(c.at.line)),
	})
}

// findCredentials lists the credentials in data in offset order.
func findCredentials(set *pack.Set, data []byte, at func(off int) sourceAt, clientSide bool, key string) []credential {
	var out []credential
	set.Matcher().Find(data, 0, len(data), func(m pack.Match) {
		out = append(out, credential{m: m, raw: string(data[m.Start:m.End]), clientSide: clientSide, key: key})
	})
	sortByStart(out)
	for i := range out {
		out[i].at = at(out[i].m.Start)
	}
	return out
}

func sortByStart(cs []credential) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].m.Start < cs[j-1].m.Start; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

func credentialFacts(cs []credential) cty.Value {
	vals := make([]cty.Value, len(cs))
	for i, c := range cs {
		vals[i] = c.fact()
	}
	return ListOf(credentialType, vals)
}

// endpoint is a URL on a provider's host.
type endpoint struct {
	m          pack.EndpointMatch
	shown, key string
	host, path string
	at         sourceAt
}

// matchEndpoint classifies u (shown redacted) by the packs' hosts.
func matchEndpoint(set *pack.Set, u *url.URL, shown, key string, at sourceAt) (endpoint, bool) {
	m, ok := set.Endpoint(u)
	if !ok {
		return endpoint{}, false
	}
	return endpoint{m: m, shown: shown, key: key, host: strings.ToLower(u.Hostname()), path: u.EscapedPath(), at: at}, true
}

func endpointFacts(es []endpoint) cty.Value {
	vals := make([]cty.Value, len(es))
	for i, e := range es {
		vals[i] = cty.ObjectVal(map[string]cty.Value{
			"provider": cty.StringVal(e.m.Provider), "endpoint": cty.StringVal(e.m.Endpoint.Name),
			"purpose": cty.StringVal(e.m.Endpoint.Purpose), "environment": cty.StringVal(e.m.Endpoint.Environment),
			"region": cty.StringVal(e.m.Endpoint.Region), "url": cty.StringVal(e.shown),
			"host": cty.StringVal(e.host), "path": cty.StringVal(e.path), "key": cty.StringVal(e.key),
			"file": cty.StringVal(e.at.file), "line": cty.NumberIntVal(int64(e.at.line)),
		})
	}
	return ListOf(endpointType, vals)
}

// switchFound is a mode switch found in configuration or code.
type switchFound struct {
	m          pack.SwitchMatch
	key, value string
	at         sourceAt
}

func switchFacts(ss []switchFound) cty.Value {
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = cty.ObjectVal(map[string]cty.Value{
			"provider": cty.StringVal(s.m.Provider), "switch": cty.StringVal(s.m.Switch.Name),
			"mode": cty.StringVal(s.m.Mode), "key": cty.StringVal(s.key), "value": cty.StringVal(s.value),
			"file": cty.StringVal(s.at.file), "line": cty.NumberIntVal(int64(s.at.line)),
		})
	}
	return ListOf(switchType, vals)
}

// codeValueType is a pack code_value found in code. normal is the value
// in lower case without "." "_" "-": how event types written as constants
// (Events.PaymentIntentSucceeded, Event::PAYMENT_INTENT_SUCCEEDED) compare
// with their wire names (payment_intent.succeeded).
var codeValueType = cty.Object(map[string]cty.Type{
	"provider": cty.String, "name": cty.String, "key": cty.String, "value": cty.String,
	"normal": cty.String, "call": cty.String, "file": cty.String, "line": cty.Number,
})

// valueFound is a code value with its place.
type valueFound struct {
	m  pack.ValueMatch
	at sourceAt
}

func valueFacts(vs []valueFound) cty.Value {
	vals := make([]cty.Value, len(vs))
	for i, v := range vs {
		vals[i] = v.at.attrs(map[string]cty.Value{
			"provider": cty.StringVal(v.m.Provider), "name": cty.StringVal(v.m.Value.Name),
			"key": cty.StringVal(v.m.Key), "value": cty.StringVal(v.m.Text),
			"normal": cty.StringVal(normalName(v.m.Text)), "call": cty.StringVal(v.m.Call),
		})
	}
	return ListOf(codeValueType, vals)
}

// normalName folds a name for comparison: lower case, no "." "_" "-".
func normalName(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', '_', '-':
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}
