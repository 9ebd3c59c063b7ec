package pack

import (
	"bytes"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/audit-tool/audit/internal/pairs"
	"github.com/audit-tool/audit/lexer"
)

// MaxToken bounds a credential's length: text is scanned in chunks that
// overlap by more than this, so no credential straddles two unseen.
const MaxToken = 512

// Match is one credential found in text.
type Match struct {
	Start, End int
	Provider   string
	Rule       *Credential
}

// Matcher finds credentials of every pack. It stops where two bytes of a
// rule's literal prefix occur, around its rarest byte ("k_" of sk_live_,
// "KI" of AKIA: far rarer than the byte alone), found for every rule in
// one vector pass, checks the prefix there, then runs the anchored
// pattern: a regexp without a literal start would run its slow matcher
// over every byte.
type Matcher struct {
	groups    []anchorGroup
	rules     []matcherRule
	anchors   *pairs.Set // every group's anchor
	lookahead int        // the furthest an anchor sits after the start of its rule's match
}

type matcherRule struct {
	provider string
	c        *Credential
	anchored *regexp.Regexp
	at       int // offset of the anchor in the prefix
}

type anchorGroup struct {
	anchor [2]byte // two bytes of the rules' prefixes (three bytes long at least)
	rules  []int
}

func newMatcher(packs []*Pack, keep func(*Credential) bool) *Matcher {
	m := &Matcher{}
	byAnchor := map[[2]byte]int{}
	for _, p := range packs {
		for _, c := range p.Credentials {
			if !keep(c) {
				continue
			}
			at := min(rarest(c.Prefix), len(c.Prefix)-2) // the pair from the rarest byte, or ending at it
			anchor := [2]byte([]byte(c.Prefix[at : at+2]))
			m.rules = append(m.rules, matcherRule{
				provider: p.Name, c: c, at: at,
				anchored: regexp.MustCompile(`^(?:` + c.Pattern.String() + `)`),
			})
			g, ok := byAnchor[anchor]
			if !ok {
				g = len(m.groups)
				byAnchor[anchor] = g
				m.groups = append(m.groups, anchorGroup{anchor: anchor})
			}
			m.groups[g].rules = append(m.groups[g].rules, len(m.rules)-1)
			m.lookahead = max(m.lookahead, at)
		}
	}
	m.anchors = pairs.New(m.Anchors())
	return m
}

// rarest picks the byte of prefix least frequent in source code and logs:
// upper-case letters and '$' before punctuation, then lower case; an
// underscore is frequent (snake_case), vowels and s, t most of all.
func rarest(prefix string) int {
	best, bestRank := 0, 1<<30
	for i := 0; i < len(prefix); i++ {
		if r := byteRank(prefix[i]); r < bestRank {
			best, bestRank = i, r
		}
	}
	return best
}

func byteRank(c byte) int {
	switch {
	case c == '$' || c == '#' || c == '~':
		return 1
	case c == 'Q' || c == 'X' || c == 'Z' || c == 'J' || c == 'K' || c == 'V' || c == 'W' || c == 'Y':
		return 2
	case c >= 'A' && c <= 'Z':
		return 3
	case c == 'q' || c == 'x' || c == 'z' || c == 'j' || c == 'k' || c == 'v' || c == 'w' || c == 'y':
		return 4
	case c >= '0' && c <= '9':
		return 5
	case c == 'b' || c == 'g' || c == 'h' || c == 'f' || c == 'm' || c == 'p' || c == 'u':
		return 6
	case c == '-' || c == '_':
		return 7
	case c >= 'a' && c <= 'z':
		return 8
	}
	return 9
}

// Find calls emit for every credential starting in [from, to) of buf, in
// no particular order. A match must not continue a word (preceded by a
// letter, digit or '_'), and a body of one repeated character is a
// placeholder (sk_live_xxxxxxxxxxxxxxxx), not a credential.
func (m *Matcher) Find(buf []byte, from, to int, emit func(Match)) {
	if m == nil {
		return
	}
	from, to = max(from, 0), min(to, len(buf))
	if from >= to {
		return
	}
	// Anchors are looked for up to where a match could start, not in all
	// of the lookahead: the scanner calls Find on small ranges.
	near := buf[:min(len(buf), to+m.Reach())]
	for at := from; at < len(near); {
		i := m.anchors.Index(near[at:])
		if i < 0 {
			break
		}
		m.FindAt(buf, from, to, at+i, emit)
		at += i + 1
	}
}

// Anchors are the byte pairs Find stops at: a caller that searches text
// for other pairs too finds them all in one pass and calls FindAt.
func (m *Matcher) Anchors() [][2]byte {
	var out [][2]byte
	for _, g := range m.groups {
		out = append(out, g.anchor)
	}
	return out
}

// Reach is how far past to an anchor of a match starting before to may
// sit: the end of the anchor pairs a search for [from, to) looks at.
func (m *Matcher) Reach() int { return m.lookahead + 1 }

// FindAt calls emit for the credentials starting in [from, to) of buf
// whose anchor is at p.
func (m *Matcher) FindAt(buf []byte, from, to, p int, emit func(Match)) {
	if p+1 >= len(buf) {
		return
	}
	for gi := range m.groups {
		if g := &m.groups[gi]; g.anchor == [2]byte(buf[p:]) {
			m.match(buf, from, to, p, g, emit)
		}
	}
}

// match emits the credentials of g's rules whose anchor is at p.
func (m *Matcher) match(buf []byte, from, to, p int, g *anchorGroup, emit func(Match)) {
	for _, ri := range g.rules {
		r := &m.rules[ri]
		start := p - r.at
		if start < from || start >= to || !bytes.HasPrefix(buf[start:], []byte(r.c.Prefix)) {
			continue
		}
		if start > 0 && isWordByte(buf[start-1]) {
			continue
		}
		loc := r.anchored.FindIndex(buf[start:min(len(buf), start+MaxToken)])
		if loc == nil {
			continue
		}
		end := start + loc[1]
		if end < len(buf) && end-start < MaxToken && isAlnum(buf[end]) && isAlnum(buf[end-1]) {
			continue // a longer word that merely starts like a credential
		}
		if body := buf[start+len(r.c.Prefix) : end]; len(body) > 1 && sameByte(body) {
			continue
		}
		emit(Match{Start: start, End: end, Provider: r.provider, Rule: r.c})
	}
}

// Classify names the credential s is, whole, or nil.
func (m *Matcher) Classify(s string) (string, *Credential) {
	var prov string
	var rule *Credential
	m.Find([]byte(s), 0, 1, func(mt Match) {
		if mt.End == len(s) && rule == nil {
			prov, rule = mt.Provider, mt.Rule
		}
	})
	return prov, rule
}

// MaskPrefix is what a masked s keeps in clear when s starts like a
// credential (its literal start, even if the rest is malformed): the
// longest such rule's mask. ok is false when none does.
func (m *Matcher) MaskPrefix(s string) (mask string, ok bool) {
	best := -1
	for _, r := range m.rules {
		if strings.HasPrefix(s, r.c.Prefix) && len(r.c.Prefix) > best {
			best, mask, ok = len(r.c.Prefix), r.c.Mask, true
		}
	}
	return mask, ok
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }

func sameByte(b []byte) bool {
	for _, c := range b {
		if c != b[0] {
			return false
		}
	}
	return true
}

// EndpointMatch is what a URL is to a provider.
type EndpointMatch struct {
	Provider string
	Endpoint *Endpoint
}

// Endpoint finds the first endpoint (packs by name, endpoints in file
// order) whose hosts and path match u.
func (s *Set) Endpoint(u *url.URL) (EndpointMatch, bool) {
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return EndpointMatch{}, false
	}
	for _, p := range s.packs {
		for _, e := range p.Endpoints {
			if e.MatchHost(host) && (e.Path == nil || e.Path.MatchString(u.EscapedPath())) {
				return EndpointMatch{Provider: p.Name, Endpoint: e}, true
			}
		}
	}
	return EndpointMatch{}, false
}

// MatchHost reports whether host (lower case) is one of e's.
func (e *Endpoint) MatchHost(host string) bool {
	for _, h := range e.Hosts {
		if h == host {
			return true
		}
		if ok, _ := path.Match(h, host); ok {
			return true
		}
	}
	return false
}

// SwitchMatch is a setting found to switch a provider's mode.
type SwitchMatch struct {
	Provider string
	Switch   *Switch
	Mode     string // live or test
}

// Setting decides what a configuration key and value say, if anything.
func (s *Set) Setting(key, value string) []SwitchMatch {
	return s.SettingOf(key, lexer.Setting{Value: value})
}

// SettingOf is Setting for a value read from code: one of several choices,
// or a lookup's default (Switch.ModeOf).
func (s *Set) SettingOf(key string, value lexer.Setting) []SwitchMatch {
	var out []SwitchMatch
	for _, p := range s.packs {
		for _, sw := range p.Switches {
			mode := sw.ModeOf(value)
			if mode == "" {
				continue
			}
			for _, re := range sw.Settings {
				if re.MatchString(key) {
					out = append(out, SwitchMatch{Provider: p.Name, Switch: sw, Mode: mode})
					break
				}
			}
		}
	}
	return out
}

// Mode is live or test for a value of the switch, "" when it says neither.
func (sw *Switch) Mode(value string) string {
	v := strings.ToLower(strings.TrimSpace(value))
	for _, l := range sw.Live {
		if v == l {
			return Live
		}
	}
	for _, t := range sw.Test {
		if v == t {
			return Test
		}
	}
	return ""
}

// ModeOf is the mode a value read from code gives: a constant's last
// element counts (Environment.TEST says "test"); a conditional between
// values of different modes, or a live default a run-time lookup falls
// back to, is Undetermined: the code does not say which applies. A test
// default is evidence of a test fallback.
func (sw *Switch) ModeOf(v lexer.Setting) string {
	one := func(value string) string {
		m := sw.Mode(value)
		if m == "" && v.Kind == lexer.Ident {
			m = sw.Mode(lastName(value))
		}
		return m
	}
	if len(v.Choices) > 0 {
		mode := ""
		for i, c := range v.Choices {
			m := one(c)
			if i > 0 && m != mode {
				if mode == "" && m == "" {
					continue
				}
				return Undetermined
			}
			mode = m
		}
		return mode
	}
	m := one(v.Value)
	if v.Default && m == Live {
		return Undetermined
	}
	return m
}

// CodeMatch is a switch spelt in source code.
type CodeMatch struct {
	SwitchMatch
	Start, End int    // the whole match
	Value      string // its first group
}

// Code finds the switches written in source text.
func (s *Set) Code(data []byte) []CodeMatch {
	var out []CodeMatch
	for _, p := range s.packs {
		out = append(out, p.Code(data)...)
	}
	return out
}

// Code finds the pack's switches written in source text.
func (p *Pack) Code(data []byte) []CodeMatch {
	var out []CodeMatch
	for _, sw := range p.Switches {
		if len(sw.CodeFiles) > 0 && !anyMatchBytes(sw.CodeFiles, data) {
			continue
		}
		for _, re := range sw.Code {
			for _, m := range re.FindAllSubmatchIndex(data, -1) {
				if sw.Default != "" {
					if args, ok := callArgs(data, m[1]); ok && !sw.Unless.Match(args) {
						out = append(out, CodeMatch{
							SwitchMatch: SwitchMatch{Provider: p.Name, Switch: sw, Mode: sw.Default},
							Start:       m[0], End: m[1], Value: "(" + sw.Default + " by default)",
						})
					}
					continue
				}
				if m[2] < 0 {
					continue
				}
				v := string(data[m[2]:m[3]])
				mode := sw.Mode(v)
				if mode == "" {
					continue
				}
				out = append(out, CodeMatch{
					SwitchMatch: SwitchMatch{Provider: p.Name, Switch: sw, Mode: mode},
					Start:       m[0], End: m[1], Value: v,
				})
			}
		}
	}
	return out
}

// maxCallArgs bounds how far a call's arguments are followed.
const maxCallArgs = 8 << 10

// callArgs returns the argument text of the call whose opening parenthesis
// is the last '(' at or before from (patterns end just after it, or inside
// the first argument), up to its balanced ')'. ok is false when the call
// does not close within maxCallArgs: nothing can be said of it.
func callArgs(data []byte, from int) (args []byte, ok bool) {
	open := bytes.LastIndexByte(data[:from], '(')
	if open < 0 {
		return nil, false
	}
	depth := 0
	end := min(len(data), open+maxCallArgs)
	for i := open; i < end; i++ {
		switch data[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				return data[open+1 : i], true
			}
		}
	}
	return nil, false
}
