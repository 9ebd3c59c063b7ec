package pack

import (
	"slices"
	"sort"
	"strings"

	"github.com/audit-tool/audit/lexer"
)

// SettingMatch is a switch set in code by a literal value.
type SettingMatch struct {
	SwitchMatch
	Setting lexer.Setting
}

// CodeSettings decides what the settings read from a file's code (by
// lexer.Settings) say about the pack's switches: a setting counts when its
// name matches a switch's code_keys, the code matches its code_files (if
// the switch has any), and its value is one of the switch's. A constant's
// last element is its value: Environment.TEST says "test".
func (p *Pack) CodeSettings(code []byte, settings []lexer.Setting) []SettingMatch {
	var out []SettingMatch
	var switches []*Switch
	for _, sw := range p.Switches {
		if len(sw.CodeKeys) > 0 && (len(sw.CodeFiles) == 0 || anyMatchBytes(sw.CodeFiles, code)) {
			switches = append(switches, sw)
		}
	}
	for _, s := range settings {
		name := s.Key[strings.LastIndexByte(s.Key, '.')+1:]
		// A constructor's argument by position is also named CALL#INDEX
		// (new APIContext#2), as code_keys may name it.
		positional := ""
		if s.Call != "" && name != "" && strings.Trim(name, "0123456789") == "" {
			positional = s.Call + "#" + name
		}
		for _, sw := range switches {
			if !anyMatch(sw.CodeKeys, name) && (positional == "" || !anyMatch(sw.CodeKeys, positional)) {
				continue
			}
			if mode := sw.ModeOf(s); mode != "" {
				out = append(out, SettingMatch{SwitchMatch: SwitchMatch{Provider: p.Name, Switch: sw, Mode: mode}, Setting: s})
			}
		}
	}
	return out
}

// lastName is the last element of a qualified name: TEST in
// Environment.TEST, \Adyen\Environment::TEST or Environment->TEST.
func lastName(s string) string {
	for _, sep := range []string{".", "::", "->", "\\"} {
		if i := strings.LastIndex(s, sep); i >= 0 {
			s = s[i+len(sep):]
		}
	}
	return s
}

func anyMatchBytes(res []*Regexp, b []byte) bool {
	for _, re := range res {
		if re.Match(b) {
			return true
		}
	}
	return false
}

func anyMatch(res []*Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// SDK finds the pack's entry for a package, by ecosystem and name: npm,
// Composer, Maven and Go names exactly, PyPI names folded as PEP 503 does,
// NuGet names without case, Go module paths without their /vN suffix.
func (p *Pack) SDK(ecosystem, name string) (*SDK, bool) {
	for _, s := range p.SDKs {
		if s.Ecosystem == ecosystem && sdkName(ecosystem, s.Name) == sdkName(ecosystem, name) {
			return s, true
		}
	}
	return nil, false
}

func sdkName(ecosystem, name string) string {
	switch ecosystem {
	case "pypi":
		return strings.Map(func(r rune) rune {
			if r == '_' || r == '.' {
				return '-'
			}
			return r
		}, strings.ToLower(name))
	case "nuget":
		return strings.ToLower(name)
	case "go":
		if i := strings.LastIndex(name, "/v"); i > 0 && strings.Trim(name[i+2:], "0123456789") == "" && len(name) > i+2 {
			return name[:i]
		}
	}
	return name
}

// ValueMatch is a code value found in a file.
type ValueMatch struct {
	Provider string
	Value    *CodeValue
	// Key is the dotted name of the setting that holds the value, or "".
	Key string
	// Text is the value: a setting's or a string's value, or the first
	// group of a pattern.
	Text string
	// Call is the callee the value is an argument of, when known.
	Call string
	Off  int
}

// FindValues finds the pack's code values in one file: code is its text
// with comments blanked (lexer.Blank), toks and settings what package
// lexer read from it; lang is "" for a file no lexer reads, where only
// patterns apply. Each value is listed once per place.
func (p *Pack) FindValues(lang lexer.Lang, code []byte, toks []lexer.Token, settings []lexer.Setting) []ValueMatch {
	var out []ValueMatch
	for _, v := range p.CodeValues {
		if len(v.Langs) > 0 && !slices.Contains(v.Langs, string(lang)) {
			continue
		}
		if len(v.Files) > 0 && !anyMatchBytes(v.Files, code) {
			continue
		}
		seen := map[int]bool{}
		add := func(m ValueMatch) {
			if !seen[m.Off] {
				seen[m.Off] = true
				m.Provider, m.Value = p.Name, v
				out = append(out, m)
			}
		}
		if lang != "" {
			for _, s := range settings {
				name := s.Key[strings.LastIndexByte(s.Key, '.')+1:]
				if len(v.Keys) > 0 && anyMatch(v.Keys, name) && (v.Value == nil || v.Value.MatchString(s.Value)) && !anyMatch(v.SkipCalls, s.Call) {
					add(ValueMatch{Key: s.Key, Text: s.Value, Call: s.Call, Off: s.Off})
				}
			}
			if v.Strings {
				for _, t := range toks {
					if t.Kind == lexer.String && !t.Interp && v.Value.MatchString(t.Text) {
						add(ValueMatch{Text: t.Text, Off: t.Off})
					}
				}
			}
		}
		for _, re := range v.Patterns {
			for _, m := range re.FindAllSubmatchIndex(code, -1) {
				if m[2] >= 0 {
					add(ValueMatch{Text: string(code[m[2]:m[3]]), Off: m[2]})
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Off < out[j].Off })
	return out
}
