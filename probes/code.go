package probes

import (
	"sort"

	"github.com/audit-tool/audit/lexer"
	"github.com/audit-tool/audit/pack"
)

// codeFound is a mode switch found in source code: key is the setting's
// dotted path, or the text a pattern matched.
type codeFound struct {
	pack.SwitchMatch
	key, value string
	off        int
}

// codeRead is what one source file says to the packs: mode switches and
// named code values.
type codeRead struct {
	switches []codeFound
	values   []pack.ValueMatch
}

// readCode reads one source file of a language the lexer knows, comments
// left out (lexer.Blank): each pack's switches (codeSwitches) and code
// values (pack.FindValues).
func readCode(set *pack.Set, lang lexer.Lang, data []byte) codeRead {
	code := lexer.Blank(lang, data)
	toks, _ := lexer.Tokenize(lang, code) // what the lexer could not read, the patterns still see
	settings := lexer.Settings(lang, toks)
	r := codeRead{switches: codeSwitches(set, code, settings)}
	for _, p := range set.Packs() {
		r.values = append(r.values, p.FindValues(lang, code, toks, settings)...)
	}
	return r
}

// codeSwitches finds the packs' switches in one source file's
// comment-free code: each pack's code patterns, and its code_keys over
// the settings the code writes (object literals, keyword arguments,
// hashes and arrays, struct literals, assignments, setters). A line that
// both find for the same switch is listed once, by its setting.
func codeSwitches(set *pack.Set, code []byte, settings []lexer.Setting) []codeFound {
	var lines newlineIndex
	built := false
	line := func(off int) int {
		if !built {
			lines, built = newNewlineIndex(code), true
		}
		return lines.line(off)
	}
	type place struct {
		sw   *pack.Switch
		line int
	}
	done := map[place]bool{}
	var out []codeFound
	for _, p := range set.Packs() {
		for _, m := range p.CodeSettings(code, settings) {
			done[place{m.Switch, m.Setting.Line}] = true
			out = append(out, codeFound{SwitchMatch: m.SwitchMatch, key: m.Setting.Key, value: m.Setting.Value, off: m.Setting.Off})
		}
		for _, m := range p.Code(code) {
			if pl := (place{m.Switch, line(m.Start)}); !done[pl] {
				done[pl] = true
				out = append(out, codeFound{SwitchMatch: m.SwitchMatch, key: string(code[m.Start:m.End]), value: m.Value, off: m.Start})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].off < out[j].off })
	return out
}
