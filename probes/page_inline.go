package probes

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Inline scripts that carry per-request data (a CSRF token, an order id, a
// JSON state blob) have a new hash on every response, so an allowlist
// cannot name them by hash. An entry names them instead by an attribute
// ("inline#state", "inline[data-role=cart]") or by their code with declared
// variable parts; string literals are never normalised on the user's
// behalf, since a skimmer needs to change only a URL inside one.

// inlineAttrs keeps the attributes an allowlist entry may name an inline
// script by: its id and data-* attributes.
func inlineAttrs(attrs map[string]string) map[string]string {
	var out map[string]string
	for k, v := range attrs {
		if k == "id" || strings.HasPrefix(k, "data-") {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = v
		}
	}
	return out
}

// inlineSelector names an inline script by one attribute: id, or a data-*
// attribute with a value or, without one, present at all.
type inlineSelector struct {
	attr, value string
	any         bool
}

var (
	inlineIDRe   = regexp.MustCompile(`^inline#([A-Za-z0-9_:.-]+)$`)
	inlineDataRe = regexp.MustCompile(`^inline\[(data-[a-z0-9_.-]+)(?:=("[^"]*"|'[^']*'|[^\]"']*))?\]$`)
	placeholder  = regexp.MustCompile(`\{\{([a-z_][a-z0-9_]*)\}\}`)
	partNameRe   = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
)

// parseInlineSelector reads "inline", "inline#ID" or
// "inline[data-NAME=VALUE]"; ok is false when s names no inline script.
func parseInlineSelector(s string) (sel *inlineSelector, ok bool, err error) {
	switch {
	case s == "inline":
		return nil, true, nil
	case !strings.HasPrefix(s, "inline#") && !strings.HasPrefix(s, "inline["):
		return nil, false, nil
	}
	if m := inlineIDRe.FindStringSubmatch(s); m != nil {
		return &inlineSelector{attr: "id", value: m[1]}, true, nil
	}
	if m := inlineDataRe.FindStringSubmatch(s); m != nil {
		v := m[2]
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
			v = v[1 : len(v)-1]
		}
		return &inlineSelector{attr: m[1], value: v, any: m[2] == ""}, true, nil
	}
	return nil, true, fmt.Errorf("%q: name an inline script as inline#ID, inline[data-NAME=VALUE] or inline with its code", s)
}

func (sel inlineSelector) matches(attrs map[string]string) bool {
	v, ok := attrs[sel.attr]
	return ok && (sel.any || v == sel.value)
}

// inlineTemplate is an inline script's code with declared variable parts:
// code = "window.csrf = '{{token}}';" with parts = { token = "[A-Za-z0-9]{32}" }.
type inlineTemplate struct {
	re    *regexp.Regexp
	parts []string
}

// partForbidden are the characters a variable part never holds, whatever
// its pattern: with none of them a value cannot end the string literal or
// the script it sits in, nor start a new statement on a line of its own.
const partForbidden = "\"'`\\<\r\n\u2028\u2029"

// parseTemplate compiles code with its parts. Every placeholder is
// declared and every declared part used: a typo must not leave a hole.
func parseTemplate(code string, parts cty.Value) (*inlineTemplate, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil, fmt.Errorf("code is empty")
	}
	pats := map[string]string{}
	if !parts.IsNull() {
		if !parts.Type().IsObjectType() && !parts.Type().IsMapType() {
			return nil, fmt.Errorf("parts must be an object of patterns: parts = { token = \"[A-Za-z0-9]{32}\" }")
		}
		for it := parts.ElementIterator(); it.Next(); {
			k, v := it.Element()
			name := k.AsString()
			if !partNameRe.MatchString(name) {
				return nil, fmt.Errorf("part %q: a name is lower-case letters, digits and _", name)
			}
			if v.IsNull() || v.Type() != cty.String || strings.TrimSpace(v.AsString()) == "" {
				return nil, fmt.Errorf("part %s: want a pattern (RE2), such as \"[0-9]{1,12}\"", name)
			}
			pats[name] = v.AsString()
		}
	}
	t := &inlineTemplate{}
	var b strings.Builder
	b.WriteString(`^`)
	used := map[string]bool{}
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(code, -1) {
		name := code[m[2]:m[3]]
		pat, ok := pats[name]
		if !ok {
			return nil, fmt.Errorf("{{%s}} is not declared in parts", name)
		}
		if _, err := regexp.Compile(pat); err != nil {
			return nil, fmt.Errorf("part %s: %w", name, err)
		}
		b.WriteString(regexp.QuoteMeta(code[last:m[0]]))
		b.WriteString(`(` + `(?:` + pat + `))`)
		t.parts = append(t.parts, name)
		used[name] = true
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(code[last:]))
	b.WriteString(`$`)
	var unused []string
	for name := range pats {
		if !used[name] {
			unused = append(unused, name)
		}
	}
	if len(unused) > 0 {
		sort.Strings(unused)
		return nil, fmt.Errorf("part %s is not used in code (write it as {{%s}})", unused[0], unused[0])
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("code: %w", err)
	}
	t.re = re
	return t, nil
}

// matches reports whether body is the template's code with each variable
// part matching its pattern and holding none of partForbidden. Whitespace
// around the whole script is not significant.
func (t *inlineTemplate) matches(body string) bool {
	m := t.re.FindStringSubmatch(strings.TrimSpace(body))
	if m == nil {
		return false
	}
	for _, v := range m[1:] {
		if strings.ContainsAny(v, partForbidden) {
			return false
		}
	}
	return true
}

// textDiff says what changed between two versions of a script's code: each
// changed run of tokens with a little context, "…ctx[old → new]ctx…".
func textDiff(old, cur string) string {
	const (
		maxTokens = 4000
		maxHunks  = 4
		ctxChars  = 16
		sideChars = 80
	)
	a, b := diffTokens(old), diffTokens(cur)
	// Common prefix and suffix first: per-request data usually changes a
	// few tokens of a long script.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma) == 0 && len(mb) == 0 {
		return "no change in the code"
	}
	var pairs []diffPair
	if len(ma)*len(mb) <= maxTokens*maxTokens/16 {
		pairs = lcs(ma, mb)
	}
	var hunks [][2][2]int // [a from,to][b from,to], absolute
	ia, ib := 0, 0
	for _, p := range append(pairs, diffPair{len(ma), len(mb)}) {
		if p.ia > ia || p.ib > ib {
			hunks = append(hunks, [2][2]int{{pre + ia, pre + p.ia}, {pre + ib, pre + p.ib}})
		}
		ia, ib = p.ia+1, p.ib+1
	}
	var out []string
	for i, h := range hunks {
		if i == maxHunks {
			out = append(out, fmt.Sprintf("(and %d more change(s))", len(hunks)-maxHunks))
			break
		}
		before := clipLeft(strings.Join(a[:h[0][0]], ""), ctxChars)
		after := clipRight(strings.Join(a[h[0][1]:], ""), ctxChars)
		was := clipRight(strings.Join(a[h[0][0]:h[0][1]], ""), sideChars)
		is := clipRight(strings.Join(b[h[1][0]:h[1][1]], ""), sideChars)
		out = append(out, fmt.Sprintf("%s[%s → %s]%s", before, was, is, after))
	}
	return strings.Join(out, " … ")
}

// diffTokens splits code into words and single other characters.
func diffTokens(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		word := r == '_' || r == '$' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if word {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
		out = append(out, string(r))
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// diffPair is a token of a matched with one of b.
type diffPair struct{ ia, ib int }

// lcs returns the matched index pairs of a longest common subsequence.
func lcs(a, b []string) []diffPair {
	n, m := len(a), len(b)
	dp := make([][]int32, n+1)
	for i := range dp {
		dp[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				dp[i][j] = dp[i+1][j+1] + 1
			case dp[i+1][j] >= dp[i][j+1]:
				dp[i][j] = dp[i+1][j]
			default:
				dp[i][j] = dp[i][j+1]
			}
		}
	}
	var out []diffPair
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case a[i] == b[j]:
			out = append(out, diffPair{i, j})
			i, j = i+1, j+1
		case dp[i+1][j] >= dp[i][j+1]:
			i++
		default:
			j++
		}
	}
	return out
}

// oneLine keeps evidence on one line.
var oneLine = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")

func clipLeft(s string, n int) string {
	r := []rune(oneLine.Replace(s))
	if len(r) <= n {
		return string(r)
	}
	return "…" + string(r[len(r)-n:])
}

func clipRight(s string, n int) string {
	r := []rune(oneLine.Replace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
