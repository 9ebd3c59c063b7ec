package pack

import (
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
		for _, sw := range switches {
			if !anyMatch(sw.CodeKeys, name) {
				continue
			}
			mode := sw.Mode(s.Value)
			if mode == "" && s.Kind == lexer.Ident {
				mode = sw.Mode(lastName(s.Value))
			}
			if mode != "" {
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
