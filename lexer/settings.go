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
	// Choices, when set, are the literal values a conditional chooses
	// between at run time (`env === 'prod' ? 'live' : 'test'`, Python's
	// `'live' if prod else 'test'`); Value is the first. Which one applies
	// cannot be told from the code.
	Choices []string
	// Default: Value is the fallback of a run-time lookup, used when it
	// yields nothing (`env('X', 'sandbox')`, `os.getenv("X", "sandbox")`,
	// `ENV.fetch('X', 'sandbox')`, `process.env.X ?? 'test'`).
	Default bool
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
	// A bare element of a list (['EUR', 'CHF']), a constant passed as an
	// argument (new Client(key, Environment.TEST)) or a string passed to a
	// constructor (new APIContext(id, secret, "sandbox")): numbered.
	if atElem && !w.isSeparator(i+1) {
		list := f.open == "[" || f.open == "array("
		arg := f.open == "(" && (v0(w, i).Kind == Ident && v0(w, i).Value != t.Text || t.Kind == String && w.constructor(f.call))
		if end, v, ok := w.literal(i); ok && w.ends(end) && (list || arg) {
			w.add(join(f.path, strconv.Itoa(f.index)), v)
			return end
		}
	}
	return i
}

// v0 is the literal at i, or a zero Setting.
func v0(w *settingsWalker, i int) Setting {
	_, v, _ := w.literal(i)
	return v
}

// constructor reports whether callee makes an object: `new X` (JS, Java,
// C#, PHP), Ruby's X.new, or a capitalised Python class.
func (w *settingsWalker) constructor(callee string) bool {
	last := callee[strings.LastIndexAny(callee, ".:")+1:]
	switch {
	case strings.HasPrefix(callee, "new "), last == "new" && w.lang == Ruby:
		return true
	case w.lang == Python && last != "" && last[0] >= 'A' && last[0] <= 'Z':
		return true
	}
	return false
}

// maxScan bounds how far a conditional's condition or a fallback's
// lookup is read: longer expressions are not values.
const maxScan = 48

// conditional reads `COND ? A : B` from i (COND up to its "?" on the same
// depth) and Python's `A if COND else B`: both branches literals, the
// whole the value.
func (w *settingsWalker) conditional(i int) (int, Setting, bool) {
	if w.lang == Python {
		end, a, ok := w.literal(i)
		if !ok || !w.isIdent(end+1, "if") {
			return 0, a, false
		}
		j, found := w.scanTo(end+2, func(j int) bool { return w.isIdent(j, "else") })
		if !found {
			return 0, a, false
		}
		e, b, ok := w.literal(j + 1)
		if !ok || !w.ends(e) || !fixed(a) || !fixed(b) {
			return 0, a, false
		}
		a.Choices = []string{a.Value, b.Value}
		return e, a, true
	}
	q, found := w.scanTo(i, func(j int) bool { return w.isPunct(j, "?") && !w.isPunct(j+1, ":") })
	if !found || q == i {
		return 0, Setting{}, false
	}
	ea, a, ok := w.literal(q + 1)
	if !ok || !w.isPunct(ea+1, ":") {
		return 0, a, false
	}
	eb, b, ok := w.literal(ea + 2)
	if !ok || !w.ends(eb) || !fixed(a) || !fixed(b) {
		return 0, a, false
	}
	a.Choices = []string{a.Value, b.Value}
	return eb, a, true
}

// fallback reads a run-time lookup with a literal default from i: `X ??
// 'd'`, `X || 'd'`, `X ?: 'd'`, Python's `X or 'd'`, and lookup calls
// taking the default after the name: env('X', 'd') (Laravel), getenv and
// os.getenv / os.environ.get, ENV.fetch, System.getProperty,
// getOrDefault, config('x', 'd').
func (w *settingsWalker) fallback(i int) (int, Setting, bool) {
	if e, _, ok := w.chain(i); ok && w.isPunct(e+1, "(") && lookupCalls[w.toks[e].Text] {
		n := w.tok(e + 2)
		if n != nil && n.Kind == String && w.isPunct(e+3, ",") {
			if d, v, ok := w.literal(e + 4); ok && w.isPunct(d+1, ")") && w.ends(d+1) {
				v.Default = true
				return d + 1, v, true
			}
		}
	}
	op, found := w.scanTo(i, func(j int) bool {
		t := &w.toks[j]
		return t.Kind == Punct && (t.Text == "??" || t.Text == "||" || t.Text == "?:" || t.Text == "?" && w.isPunct(j+1, ":")) ||
			w.lang == Python && t.Kind == Ident && t.Text == "or"
	})
	if !found || op == i {
		return 0, Setting{}, false
	}
	if w.isPunct(op, "?") {
		op++ // PHP's ?: as two tokens
	}
	e, v, ok := w.literal(op + 1)
	if !ok || !w.ends(e) || !fixed(v) {
		return 0, v, false // `a || b`: a default that is itself a variable is no literal
	}
	v.Default = true
	return e, v, true
}

// lookupCalls are the functions that read configuration at run time and
// take a default after the name.
var lookupCalls = map[string]bool{
	"env": true, "getenv": true, "get": true, "fetch": true, "getProperty": true, "getOrDefault": true,
	"config": true, "GetValue": true, "Getenv": true,
}

// scanTo finds, from i on, the first token match accepts at the depth of
// i, within maxScan tokens and before the value's end (a separator or a
// closing bracket at that depth, a new statement line).
func (w *settingsWalker) scanTo(i int, match func(j int) bool) (int, bool) {
	depth := 0
	for j := i; j < len(w.toks) && j < i+maxScan; j++ {
		t := &w.toks[j]
		if depth == 0 && j > i && match(j) {
			return j, true
		}
		if t.Kind != Punct {
			continue
		}
		switch t.Text {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			if depth == 0 {
				return 0, false
			}
			depth--
		case ",", ";":
			if depth == 0 {
				return 0, false
			}
		}
	}
	return 0, false
}

// fixed: a literal whose value the code states: a string, number or
// symbol, a keyword, or a qualified constant (Environment.TEST), not a
// variable.
func fixed(v Setting) bool {
	if v.Kind != Ident {
		return true
	}
	switch v.Value {
	case "true", "false", "True", "False", "null", "nil", "None":
		return true
	}
	return strings.ContainsAny(v.Value, ".:\\>")
}

func (w *settingsWalker) isIdent(i int, name string) bool {
	t := w.tok(i)
	return t != nil && t.Kind == Ident && t.Text == name
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
	if e, v, ok := w.conditional(i); ok {
		w.add(key, v)
		return e
	}
	if e, v, ok := w.fallback(i); ok {
		w.add(key, v)
		return e
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
