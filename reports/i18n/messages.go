package i18n

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/audit-tool/audit/checklist/builtin"
	"github.com/audit-tool/audit/policies"
)

// MessagesFile is the name of the step messages beside a built-in
// checklist: for each step, its texts in English as the checklist writes
// them (interpolations as ${source}) with their translations,
// {"step": [{"en": "…${local.m.file}…", "fr": "…", "de": "…"}]}.
//
// The run keeps evaluating the English templates (audit.json stays
// English and a stored result can be re-rendered without the checklists);
// a human report matches each message against its step's English texts,
// takes the interpolated values from the match and puts them into the
// translation. A message no text matches stays English.
const MessagesFile = "messages.json"

// Text is one message of a step in every language.
type Text struct {
	En string `json:"en"`
	Fr string `json:"fr"`
	De string `json:"de"`
}

// In is the text in lang.
func (t Text) In(lang string) string {
	switch lang {
	case "fr":
		return t.Fr
	case "de":
		return t.De
	}
	return t.En
}

// BuiltinMessages is the messages.json of each built-in checklist, by
// checklist name (its folder, or pci-dss for the policies).
func BuiltinMessages() (map[string]map[string][]Text, error) {
	out := map[string]map[string][]Text{}
	add := func(fsys fs.FS, file, checklist string) error {
		var steps map[string][]Text
		if err := readJSON(fsys, file, &steps); err != nil {
			return err
		}
		out[checklist] = steps
		return nil
	}
	files, err := fs.Glob(builtin.FS, "*/"+MessagesFile)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := add(builtin.FS, f, path.Dir(f)); err != nil {
			return nil, err
		}
	}
	if err := add(policies.Builtins(), MessagesFile, "pci-dss"); err != nil {
		return nil, err
	}
	return out, nil
}

// pattern is an English text compiled to match the messages it produces.
type pattern struct {
	re     *regexp.Regexp
	names  []string // the placeholder of each group, in order
	tr     string   // the translation
	width  int      // literal characters: more is more specific
	prefix string   // the literal text it starts with
}

// separators join the texts of one message: failed asserts with a space,
// the scope's reasons with "; ".
const separators = `( |; )`

// compile makes the pattern of en. A placeholder that chooses among texts
// (${c ? "Sandbox key" : "Key"}) tries the step's texts (alts) before any
// other value: a lazy match alone would stop at the first space.
func compile(en, tr, alts string) (pattern, error) {
	var re strings.Builder
	p := pattern{tr: tr}
	re.WriteString("^")
	if parts := Placeholders(en, true); len(parts) > 0 && !strings.HasPrefix(parts[0], "${") {
		p.prefix = parts[0]
	}
	for _, part := range Placeholders(en, true) {
		if strings.HasPrefix(part, "${") {
			if alts != "" && strings.Contains(part, `"`) {
				re.WriteString("((?:" + alts + ")|.*?)")
			} else {
				re.WriteString("(.*?)")
			}
			p.names = append(p.names, part)
			continue
		}
		re.WriteString(regexp.QuoteMeta(part))
		p.width += len(part)
	}
	re.WriteString("(?:$|" + separators + ")")
	var err error
	p.re, err = regexp.Compile(re.String())
	return p, err
}

// body is the regular expression of en's text without groups.
func body(en string) (string, int) {
	var re strings.Builder
	width := 0
	for _, part := range Placeholders(en, true) {
		if strings.HasPrefix(part, "${") {
			re.WriteString(".*?")
			continue
		}
		re.WriteString(regexp.QuoteMeta(part))
		width += len(part)
	}
	return re.String(), width
}

// alternatives is the step's texts without choices of their own, as one
// alternation, the most specific first.
func alternatives(texts []Text) string {
	type alt struct {
		re    string
		width int
	}
	var alts []alt
	for _, t := range texts {
		if ph := Placeholders(t.En, false); slices.ContainsFunc(ph, func(p string) bool { return strings.Contains(p, `"`) }) {
			continue
		}
		re, w := body(t.En)
		alts = append(alts, alt{re, w})
	}
	sort.SliceStable(alts, func(i, j int) bool { return alts[i].width > alts[j].width })
	res := make([]string, len(alts))
	for i, a := range alts {
		res[i] = a.re
	}
	return strings.Join(res, "|")
}

// Placeholders splits a text into literal parts and ${…} placeholders
// (braces nested in a placeholder are its own); with all false it returns
// the placeholders only.
func Placeholders(s string, all bool) []string {
	var out []string
	for s != "" {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		depth, end := 0, -1
		for j := i + 1; j < len(s) && end < 0; j++ {
			switch s[j] {
			case '{':
				depth++
			case '}':
				if depth--; depth == 0 {
					end = j + 1
				}
			}
		}
		if end < 0 {
			break
		}
		if all && i > 0 {
			out = append(out, s[:i])
		}
		out = append(out, s[i:end])
		s = s[end:]
	}
	if all && s != "" {
		out = append(out, s)
	}
	return out
}

// stepPatterns compiles the translations of lang, by checklist and step.
func stepPatterns(lang string) (map[string]map[string][]pattern, error) {
	all, err := BuiltinMessages()
	if err != nil {
		return nil, err
	}
	out := map[string]map[string][]pattern{}
	for checklist, steps := range all {
		out[checklist] = map[string][]pattern{}
		for step, texts := range steps {
			var ps []pattern
			alts := alternatives(append(append([]Text{}, texts...), steps[ScopeStep]...))
			for _, t := range texts {
				if t.In(lang) == "" {
					continue
				}
				p, err := compile(t.En, t.In(lang), alts)
				if err != nil {
					return nil, fmt.Errorf("i18n: %s %s: %w", checklist, step, err)
				}
				ps = append(ps, p)
			}
			sort.SliceStable(ps, func(i, j int) bool { return ps[i].width > ps[j].width })
			out[checklist][step] = ps
		}
	}
	return out, nil
}

// maxMessage bounds the messages translated: a real one is a few hundred
// bytes, a step's failures joined a few KB; a longer one is not a
// checklist's and stays as it is.
const maxMessage = 8 << 10

// Message is text, a message of step in a built-in checklist, in the
// catalogue's language; text itself when no English text of the step (or
// of the engine: pending attestations, steps outside the SAQ…) matches.
func (c *Catalog) Message(checklist, step, text string) string {
	if c.Lang == "en" || text == "" || len(text) > maxMessage {
		return text
	}
	ps := append(append([]pattern{}, c.steps[checklist][step]...), c.steps[checklist][ScopeStep]...)
	if out, ok := c.sequence(ps, text, 2); ok {
		return out
	}
	if out, ok := c.engine(ps, text); ok {
		return out
	}
	return text
}

// sequence translates text as one or more texts of ps joined by
// separators; depth bounds the translation of texts nested in values.
func (c *Catalog) sequence(ps []pattern, text string, depth int) (string, bool) {
	return c.tail(ps, text, 0, depth, map[int]*translated{})
}

// translated is the translation of a message's tail, or that it has none.
type translated struct {
	text string
	ok   bool
}

// tail translates text[at:]; seen remembers the tails tried, so a hostile
// message with many ways to split is matched in polynomial time.
func (c *Catalog) tail(ps []pattern, text string, at, depth int, seen map[int]*translated) (string, bool) {
	if at == len(text) {
		return "", true
	}
	if t, ok := seen[at]; ok {
		return t.text, t.ok
	}
	seen[at] = &translated{} // a tail reached again while being tried has no translation
	rest := text[at:]
	// The shortest first text first: a text that opens with a value could
	// otherwise swallow the failures before it.
	type match struct {
		p pattern
		m []int
	}
	var ms []match
	for _, p := range ps {
		if !strings.HasPrefix(rest, p.prefix) {
			continue
		}
		if m := p.re.FindStringSubmatchIndex(rest); m != nil {
			ms = append(ms, match{p, m})
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].m[1] < ms[j].m[1] })
	for _, x := range ms {
		p, m := x.p, x.m
		after, ok := c.tail(ps, text, at+m[1], depth, seen)
		if !ok {
			continue
		}
		values := map[string]string{}
		for i, name := range p.names {
			if _, dup := values[name]; dup || m[2+2*i] < 0 {
				continue
			}
			v := rest[m[2+2*i]:m[3+2*i]]
			// A value chosen among texts (${c ? "a" : "b"}, a join of
			// reasons) is translated too.
			if depth > 0 && strings.Contains(name, `"`) {
				if tr, ok := c.sequence(ps, v, depth-1); ok {
					v = tr
				}
			}
			values[name] = v
		}
		var out strings.Builder
		for _, part := range Placeholders(p.tr, true) {
			if v, ok := values[part]; ok {
				out.WriteString(v)
			} else {
				out.WriteString(part)
			}
		}
		if sep := len(m) - 2; m[sep] >= 0 {
			out.WriteString(rest[m[sep]:m[sep+1]])
		}
		seen[at] = &translated{out.String() + after, true}
		return seen[at].text, true
	}
	return "", false
}

// verbRE finds the fmt verbs of an engine message.
var verbRE = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// enginePattern is a message the runner writes itself (keys "run.…" of
// the catalogue), compiled to match the English text.
type enginePattern struct {
	re *regexp.Regexp
	tr string // the translation with every verb as %s
}

func enginePatterns(en, msgs map[string]string) ([]enginePattern, error) {
	var keys []string
	for k := range en {
		if strings.HasPrefix(k, "run.") {
			keys = append(keys, k)
		}
	}
	// The most specific first: "attested by %s on %s, %d days ago…"
	// before "attested by %s on %s: %s".
	sort.Slice(keys, func(i, j int) bool {
		li, lj := len(verbRE.ReplaceAllString(en[keys[i]], "")), len(verbRE.ReplaceAllString(en[keys[j]], ""))
		return li > lj || (li == lj && keys[i] < keys[j])
	})
	var out []enginePattern
	for _, k := range keys {
		lits := verbRE.Split(en[k], -1)
		for i := range lits {
			lits[i] = regexp.QuoteMeta(lits[i])
		}
		re, err := regexp.Compile("^" + strings.Join(lits, "(.*?)") + "$")
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", k, err)
		}
		out = append(out, enginePattern{re: re, tr: verbRE.ReplaceAllString(msgs[k], "%s")})
	}
	return out, nil
}

// engine translates a message the runner wrote, and the step's texts in
// it (a pending step's description, the scope's reasons).
func (c *Catalog) engine(ps []pattern, text string) (string, bool) {
	for _, e := range c.run {
		m := e.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		args := make([]any, len(m)-1)
		for i, v := range m[1:] {
			if tr, ok := c.sequence(ps, v, 1); ok && v != "" {
				v = tr
			}
			args[i] = v
		}
		return fmt.Sprintf(e.tr, args...), true
	}
	return "", false
}
