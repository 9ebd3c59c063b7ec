package lexer

import (
	"strconv"
	"strings"
)

// Setting is a value written as code: an object literal's or an array's
// entry (`environment: "test"`, `'sandbox' => true`), a keyword argument
// (`Client(environment="test")`), an assignment (`$config['sandbox'] =
// true`, `Environment = Environment.Sandbox`), a PHP define() or a
// setter call (`setEnvironment(Environment.TEST)`).
type Setting struct {
	// Key is the dotted path of the value: the names of the enclosing
	// entries, "config.sandbox", list elements numbered ("currencies.0").
	Key string
	// Value is a string's value, a number as written, a keyword (true,
	// null, None, nil) or a constant as written ("Environment.TEST",
	// "\Adyen\Environment::TEST"); a Ruby symbol without its colon.
	Value string
	// Kind is the value's token kind: String, Number, Symbol or Ident (a
	// keyword or a constant).
	Kind Kind
	// Call is the callee of the innermost call or constructor the value is
	// an argument of, as written ("AdyenCheckout", "new Client",
	// "paypal.configure"), or "".
	Call string
	// Off, Line and Col are the value's position.
	Off, Line, Col int
}

// maxFrames bounds the bracket stack; deeper brackets are counted, not
// kept, so hostile nesting costs no memory.
const maxFrames = 4096

type frame struct {
	open   string // "{", "[", "(" or "array(" (a PHP array() call)
	path   string
	call   string // for "(" frames: the callee
	index  int    // the element being read, for lists
	atElem bool   // the next token starts an element
}

type settingsWalker struct {
	lang     Lang
	toks     []Token
	at       int // the token being read
	stack    []frame
	overflow int
	out      []Setting
	// pending is the path the next container takes: the key whose value
	// it is.
	pending    string
	hasPending bool
}

// Settings lists the literal values toks (from Tokenize) assigns to
// names, in token order. Values computed at run time (calls, operators,
// interpolated strings) are not listed; containers contribute the paths
// of their entries.
func Settings(lang Lang, toks []Token) []Setting {
	w := &settingsWalker{lang: lang, toks: toks, stack: []frame{{open: "", atElem: true}}}
	for i := 0; i < len(toks); i++ {
		i = w.step(i)
	}
	return w.out
}

func (w *settingsWalker) top() *frame { return &w.stack[len(w.stack)-1] }

func (w *settingsWalker) tok(i int) *Token {
	if i >= 0 && i < len(w.toks) {
		return &w.toks[i]
	}
	return nil
}

func (w *settingsWalker) isPunct(i int, p string) bool {
	t := w.tok(i)
	return t != nil && t.Kind == Punct && t.Text == p
}

func (w *settingsWalker) push(open string) {
	if len(w.stack) >= maxFrames {
		w.overflow++
		return
	}
	f := w.top()
	path := f.path
	switch {
	case w.hasPending:
		path = w.pending
	case f.open == "[" || f.open == "array(":
		path = join(f.path, strconv.Itoa(f.index))
	}
	w.hasPending = false
	call := f.call
	if open == "(" {
		call = w.callee(w.at - 1)
	}
	w.stack = append(w.stack, frame{open: open, path: path, call: call, atElem: true})
}

// isSep: a separator of a qualified name.
func (w *settingsWalker) isSep(i int) bool {
	p := w.tok(i)
	return p != nil && p.Kind == Punct && (p.Text == "." || p.Text == "::" || p.Text == "->" || p.Text == "?." || p.Text == "\\")
}

// callee reads the name called by the "(" after i, backwards: `new
// Client`, `paypal.core.SandboxEnvironment`, `Adyen::Client.new`; "" for
// a parenthesised expression.
func (w *settingsWalker) callee(i int) string {
	end := i
	for {
		t := w.tok(i)
		if t == nil || t.Kind != Ident || t.Text == "new" && !w.isSep(i-1) {
			break // the keyword; Ruby's Client.new is a method
		}
		i--
		if w.isSep(i) {
			i--
			continue
		}
		break
	}
	if i == end {
		return ""
	}
	var b strings.Builder
	if n := w.tok(i); n != nil && n.Kind == Ident && n.Text == "new" {
		b.WriteString("new ")
	}
	for j := i + 1; j <= end; j++ {
		b.WriteString(w.toks[j].Text)
	}
	return b.String()
}

func (w *settingsWalker) pop(close string) {
	if w.overflow > 0 {
		w.overflow--
		return
	}
	want := map[string]string{"}": "{", "]": "[", ")": "("}[close]
	// A stray closer (code the lexer misread) pops to its opener, if any.
	for n := len(w.stack) - 1; n > 0; n-- {
		o := w.stack[n].open
		if o == want || want == "(" && o == "array(" || want == "[" && o == "index" {
			w.stack = w.stack[:n]
			return
		}
	}
}

// step handles the token at i and returns the index of the last token it
// consumed.
func (w *settingsWalker) step(i int) int {
	w.at = i
	t := &w.toks[i]
	f := w.top()
	atElem := f.atElem
	f.atElem = false
	if t.Kind == Punct {
		switch t.Text {
		case "{", "(":
			w.push(t.Text)
			return i
		case "[":
			// After a name or a closing bracket, [ is a subscript, not a list.
			if p := w.tok(i - 1); p != nil && p.Line == t.Line && (p.Kind == Ident || p.Kind == Punct && (p.Text == "]" || p.Text == ")")) {
				w.push("index")
			} else {
				w.push("[")
			}
			return i
		case "}", "]", ")":
			w.pop(t.Text)
			w.hasPending = false
			return i
		case ",":
			f.index++
			f.atElem = true
			w.hasPending = false
			return i
		case ";":
			f.atElem = true
			w.hasPending = false
			return i
		case "=", ":=", "??=", "||=":
			if key, ok := w.lvalue(i - 1); ok {
				return w.value(i+1, join(w.keyPrefix(), key))
			}
			return i
		case ":":
			if w.colonKey(i) {
				return w.value(i+1, join(f.path, w.keyName(i-1)))
			}
			return i
		case "=>":
			if (w.lang == PHP || w.lang == Ruby) && w.isKey(i-1) {
				return w.value(i+1, join(f.path, w.keyName(i-1)))
			}
			return i
		}
		return i
	}
	if t.Kind == Ident {
		switch {
		case w.lang == PHP && strings.EqualFold(t.Text, "array") && w.isPunct(i+1, "("):
			w.push("array(")
			return i + 1
		case w.lang == PHP && strings.EqualFold(t.Text, "define") && w.isPunct(i+1, "(") &&
			w.tok(i+2) != nil && w.tok(i+2).Kind == String && !w.tok(i+2).Interp && w.isPunct(i+3, ","):
			return w.value(i+4, w.tok(i+2).Text)
		case len(t.Text) > 3 && strings.HasPrefix(t.Text, "set") && t.Text[3] >= 'A' && t.Text[3] <= 'Z' && w.isPunct(i+1, "("):
			if end, v, ok := w.literal(i + 2); ok && w.isPunct(end+1, ")") {
				name := strings.ToLower(t.Text[3:4]) + t.Text[4:]
				w.add(join(w.receiver(i-1), name), v)
				return end + 1
			}
		}
	}
	// A bare element of a list (['EUR', 'CHF']), or a constant passed as
	// an argument (new Client(key, Environment.TEST)): numbered.
	if atElem && !w.isSeparator(i+1) {
		list := f.open == "[" || f.open == "array("
		if end, v, ok := w.literal(i); ok && w.ends(end) && (list || f.open == "(" && v.Kind == Ident && v.Value != t.Text) {
			w.add(join(f.path, strconv.Itoa(f.index)), v)
			return end
		}
	}
	return i
}

// keyPrefix is the path an assignment inside a container extends: C#
// object initializers, keyword arguments.
func (w *settingsWalker) keyPrefix() string {
	if len(w.stack) == 1 {
		return ""
	}
	return w.top().path
}

func (w *settingsWalker) isSeparator(i int) bool {
	t := w.tok(i)
	if t == nil || t.Kind != Punct {
		return false
	}
	switch t.Text {
	case ":", "=>", "=", ":=":
		return true
	}
	return false
}

// isKey: a name, string or number, as object keys are written.
func (w *settingsWalker) isKey(i int) bool {
	t := w.tok(i)
	return t != nil && (t.Kind == Ident || t.Kind == String && !t.Interp || t.Kind == Number || t.Kind == Symbol)
}

func (w *settingsWalker) keyName(i int) string {
	t := w.tok(i)
	return strings.TrimPrefix(t.Text, "$")
}

// colonKey reports whether the ':' at i separates a key from its value:
// inside braces (object literals, dicts, struct literals), in Ruby
// anywhere (keyword arguments), in C# and Python calls (named arguments,
// annotations). Ternaries and case labels are not keys.
func (w *settingsWalker) colonKey(i int) bool {
	if !w.isKey(i-1) || w.colonKeyword(i) != "" {
		return false
	}
	switch w.top().open {
	case "{":
		return true
	case "(":
		return w.lang == Ruby || w.lang == CSharp
	}
	return w.lang == Ruby
}

// colonKeyword names what makes the ':' at i no key separator: a
// ternary's "?", a "case" or "default" label.
func (w *settingsWalker) colonKeyword(i int) string {
	if p := w.tok(i - 2); p != nil && (p.Kind == Punct && p.Text == "?" || p.Kind == Ident && p.Text == "case") {
		return p.Text
	}
	if k := w.tok(i - 1); k != nil && k.Kind == Ident && (k.Text == "default" || k.Text == "case") {
		return k.Text
	}
	return ""
}

// lvalue reads the target of an assignment ending at i, backwards:
// `a.b`, `$config['x']['y']`, `self.env`, `Foo::BAR`; it gives the dotted
// path without $ and @.
func (w *settingsWalker) lvalue(i int) (string, bool) {
	var parts []string
	for {
		t := w.tok(i)
		if t == nil {
			break
		}
		switch {
		case t.Kind == Punct && t.Text == "]":
			k := w.tok(i - 1)
			if k == nil || !w.isPunct(i-2, "[") || k.Kind != String && k.Kind != Number || k.Interp {
				return "", false
			}
			parts = append(parts, k.Text)
			i -= 3
			continue // the subscripted value comes before
		case t.Kind == Ident:
			parts = append(parts, strings.TrimLeft(t.Text, "$@"))
			i--
		default:
			return "", false
		}
		if p := w.tok(i); p != nil && p.Kind == Punct && (p.Text == "." || p.Text == "->" || p.Text == "::" || p.Text == "?.") {
			i--
			continue
		}
		break
	}
	if len(parts) == 0 {
		return "", false
	}
	// `let x: Type = v`, `x: int = 5`: the name is before the colon.
	if w.isPunct(i, ":") && (w.lang == JS || w.lang == Python) && len(parts) == 1 && w.colonKeyword(i) == "" {
		if key, ok := w.lvalue(i - 1); ok {
			return key, true
		}
	}
	// A declaration keyword before the name is not part of it.
	switch parts[len(parts)-1] {
	case "const", "let", "var", "val", "final", "static", "public", "private", "protected", "readonly":
		parts = parts[:len(parts)-1]
	}
	for l, r := 0, len(parts)-1; l < r; l, r = l+1, r-1 {
		parts[l], parts[r] = parts[r], parts[l]
	}
	return strings.Join(parts, "."), len(parts) > 0
}

// receiver is the object a setter is called on: `config.` in
// `config.setEnvironment(…)`, or "" for a bare call.
func (w *settingsWalker) receiver(i int) string {
	if t := w.tok(i); t == nil || t.Kind != Punct || (t.Text != "." && t.Text != "->" && t.Text != "?.") {
		return ""
	}
	key, _ := w.lvalue(i - 1)
	return key
}

// value reads what is assigned at i to key: a literal is recorded; a
// container's entries will be read under key.
func (w *settingsWalker) value(i int, key string) int {
	t := w.tok(i)
	if t == nil {
		return i - 1
	}
	if t.Kind == Punct && (t.Text == "{" || t.Text == "[") {
		w.pending, w.hasPending = key, true
		return i - 1 // the main loop pushes the container
	}
	if t.Kind == Ident && w.lang == PHP && strings.EqualFold(t.Text, "array") && w.isPunct(i+1, "(") {
		w.pending, w.hasPending = key, true
		return i - 1
	}
	end, v, ok := w.literal(i)
	if ok && w.ends(end) {
		w.add(key, v)
		return end
	}
	// A call, `new X(…)`, a Go composite literal `&pkg.Config{…}` or a C#
	// initializer `new Options {…}`: the containers that follow are under
	// key.
	j := i
	if w.isPunct(j, "&") {
		j++
	}
	for n := w.tok(j); n != nil && n.Kind == Ident && (n.Text == "new" || n.Text == "await"); n = w.tok(j) {
		j++
	}
	if e, _, chain := w.chain(j); chain && (w.isPunct(e+1, "(") || w.isPunct(e+1, "{")) {
		w.pending, w.hasPending = key, true
		return e
	}
	return i - 1
}

func (w *settingsWalker) add(key string, v Setting) {
	v.Key, v.Call = key, w.top().call
	w.out = append(w.out, v)
}

// literal reads a literal value starting at i: a string, a number, a
// negative number, a symbol, a keyword or a constant chain.
func (w *settingsWalker) literal(i int) (end int, v Setting, ok bool) {
	t := w.tok(i)
	if t == nil {
		return i, v, false
	}
	v = Setting{Kind: t.Kind, Value: t.Text, Off: t.Off, Line: t.Line, Col: t.Col}
	switch t.Kind {
	case String:
		return i, v, !t.Interp
	case Number, Symbol:
		return i, v, true
	case Punct:
		if t.Text == "-" {
			if n := w.tok(i + 1); n != nil && n.Kind == Number {
				v.Kind, v.Value = Number, "-"+n.Text
				return i + 1, v, true
			}
		}
		if t.Text == "\\" { // a PHP fully qualified name
			if e, text, ok := w.chain(i); ok && !w.isPunct(e+1, "(") {
				v.Kind, v.Value = Ident, text
				return e, v, true
			}
		}
		return i, v, false
	case Ident:
		if e, text, ok := w.chain(i); ok && !w.isPunct(e+1, "(") {
			if w.lang == PHP && strings.HasPrefix(text, "$") {
				return e, v, false // a variable: its value is elsewhere
			}
			v.Value = text
			return e, v, true
		}
	}
	return i, v, false
}

// chain reads Name(.Name)*, with ::, -> and PHP's \ as separators too.
func (w *settingsWalker) chain(i int) (end int, text string, ok bool) {
	var b strings.Builder
	if w.isPunct(i, "\\") {
		b.WriteByte('\\')
		i++
	}
	for {
		t := w.tok(i)
		if t == nil || t.Kind != Ident {
			return i - 1, b.String(), false
		}
		b.WriteString(t.Text)
		sep := w.tok(i + 1)
		next := w.tok(i + 2)
		if sep != nil && sep.Kind == Punct && (sep.Text == "." || sep.Text == "::" || sep.Text == "->" || sep.Text == "\\") &&
			next != nil && next.Kind == Ident && next.Line == t.Line {
			b.WriteString(sep.Text)
			i += 2
			continue
		}
		return i, b.String(), true
	}
}

// ends reports whether a value ending at i is the whole value: what
// follows closes, separates, or starts another line.
func (w *settingsWalker) ends(i int) bool {
	n := w.tok(i + 1)
	if n == nil {
		return true
	}
	if n.Kind == Punct {
		switch n.Text {
		case ",", ";", ")", "]", "}":
			return true
		}
	}
	if w.lang == JS && n.Kind == Ident && (n.Text == "as" || n.Text == "satisfies") {
		return true // a TypeScript assertion does not change the value
	}
	if n.Line > w.toks[i].Line {
		// A continuation line starts with an operator.
		if n.Kind == Punct {
			switch n.Text {
			case ".", "+", "-", "*", "/", "||", "&&", "??", "?", ":", "?.", "->":
				return false
			}
		}
		return true
	}
	return false
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	if key == "" {
		return prefix
	}
	return prefix + "." + key
}
