package probes

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// jsMaxDepth bounds nesting so a hostile page cannot exhaust the stack.
const jsMaxDepth = 64

// jsKind is the sort of a parsed JavaScript literal.
type jsKind int

const (
	jsNull jsKind = iota
	jsBool
	jsNumber
	jsString
	jsObject
	jsArray
	// jsRaw is an expression the parser does not evaluate (a variable, a
	// call, a concatenation): its source text is kept instead.
	jsRaw
)

// jsValue is a JavaScript literal as written in a page: enough of the
// language to read an options object like amazon.Pay.renderButton's.
type jsValue struct {
	kind   jsKind
	text   string // string contents, number literal, or raw source
	b      bool
	keys   []string // object keys in source order, each once
	fields map[string]jsValue
	items  []jsValue
	at     int // offset of the value in the parsed source
}

// field returns an object's field, or a null value.
func (v jsValue) field(name string) jsValue {
	if v.kind != jsObject {
		return jsValue{}
	}
	return v.fields[name]
}

// str returns a string literal's contents, or "" for anything else.
func (v jsValue) str() string {
	if v.kind != jsString {
		return ""
	}
	return v.text
}

// cty converts the value for the facts. Arrays become tuples because their
// elements need not share a type; raw expressions become their source text.
func (v jsValue) cty() cty.Value {
	switch v.kind {
	case jsBool:
		return cty.BoolVal(v.b)
	case jsNumber:
		if n, err := cty.ParseNumberVal(v.text); err == nil {
			return n
		}
		return cty.StringVal(v.text) // hex, octal, BigInt: keep as written
	case jsString, jsRaw:
		return cty.StringVal(v.text)
	case jsObject:
		attrs := make(map[string]cty.Value, len(v.keys))
		for _, k := range v.keys {
			attrs[k] = v.fields[k].cty()
		}
		return cty.ObjectVal(attrs)
	case jsArray:
		if len(v.items) == 0 {
			return cty.EmptyTupleVal
		}
		items := make([]cty.Value, len(v.items))
		for i, it := range v.items {
			items[i] = it.cty()
		}
		return cty.TupleVal(items)
	default:
		return cty.NullVal(cty.DynamicPseudoType)
	}
}

var errJSEnd = errors.New("unexpected end of input")

// jsParser reads JavaScript literals from src.
type jsParser struct {
	src   string
	pos   int
	depth int
}

// parseJSObject parses the object literal at the start of src (after
// blanks and comments) and returns it with the number of bytes consumed.
func parseJSObject(src string) (jsValue, int, error) {
	p := &jsParser{src: src}
	p.skip()
	if p.pos >= len(p.src) || p.src[p.pos] != '{' {
		return jsValue{}, p.pos, fmt.Errorf("offset %d: want an object literal", p.pos)
	}
	// Parsed as an object even if an expression follows (`{…}.x`): the
	// caller wants the literal where it starts.
	p.depth++
	v, err := p.object()
	return v, p.pos, err
}

// skip moves past blanks and comments.
func (p *jsParser) skip() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			p.pos++
		case strings.HasPrefix(p.src[p.pos:], "//"):
			end := strings.IndexByte(p.src[p.pos:], '\n')
			if end < 0 {
				p.pos = len(p.src)
				return
			}
			p.pos += end + 1
		case strings.HasPrefix(p.src[p.pos:], "/*"):
			end := strings.Index(p.src[p.pos+2:], "*/")
			if end < 0 {
				p.pos = len(p.src)
				return
			}
			p.pos += end + 4
		default:
			return
		}
	}
}

// value parses one value. A literal followed by more expression (`'a' + b`,
// `{…}.x`) is re-read as a raw expression.
func (p *jsParser) value() (jsValue, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > jsMaxDepth {
		return jsValue{}, fmt.Errorf("offset %d: nested deeper than %d", p.pos, jsMaxDepth)
	}
	p.skip()
	start := p.pos
	v, literal, err := p.primary()
	if err != nil {
		return jsValue{}, err
	}
	p.skip()
	if literal && p.atValueEnd() {
		v.at = start
		return v, nil
	}
	p.pos = start
	v, err = p.raw()
	v.at = start
	return v, err
}

// atValueEnd reports whether a value may end here.
func (p *jsParser) atValueEnd() bool {
	if p.pos >= len(p.src) {
		return true
	}
	switch p.src[p.pos] {
	case ',', '}', ']', ')', ';':
		return true
	}
	return false
}

// primary parses a literal; literal is false when what starts here is not
// one (an identifier, a call), and the caller reads a raw expression.
func (p *jsParser) primary() (v jsValue, literal bool, err error) {
	if p.pos >= len(p.src) {
		return jsValue{}, false, errJSEnd
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		v, err = p.object()
		return v, err == nil, err
	case c == '[':
		v, err = p.array()
		return v, err == nil, err
	case c == '"' || c == '\'' || c == '`':
		s, ok, err := p.str()
		if err != nil {
			return jsValue{}, false, err
		}
		return jsValue{kind: jsString, text: s}, ok, nil
	case c == '-' || c == '+' || c == '.' || isJSDigit(c):
		n := p.number()
		return jsValue{kind: jsNumber, text: n}, n != "", nil
	case isJSIdentStart(c):
		switch id := p.ident(); id {
		case "true", "false":
			return jsValue{kind: jsBool, b: id == "true"}, true, nil
		case "null", "undefined":
			return jsValue{kind: jsNull}, true, nil
		}
		return jsValue{}, false, nil
	}
	return jsValue{}, false, nil
}

func (p *jsParser) object() (jsValue, error) {
	p.pos++ // {
	obj := jsValue{kind: jsObject, fields: map[string]jsValue{}}
	for {
		p.skip()
		if p.pos >= len(p.src) {
			return jsValue{}, errJSEnd
		}
		if p.src[p.pos] == '}' {
			p.pos++
			return obj, nil
		}
		key, err := p.key()
		if err != nil {
			return jsValue{}, err
		}
		p.skip()
		var val jsValue
		switch {
		case p.pos < len(p.src) && p.src[p.pos] == ':':
			p.pos++
			if val, err = p.value(); err != nil {
				return jsValue{}, err
			}
		case p.atValueEnd():
			// Shorthand property `{ merchantId }`: a variable.
			val = jsValue{kind: jsRaw, text: key}
		default:
			return jsValue{}, fmt.Errorf("offset %d: want ':' after key %q", p.pos, key)
		}
		if _, dup := obj.fields[key]; !dup {
			obj.keys = append(obj.keys, key)
		}
		obj.fields[key] = val // the last one wins, as in JavaScript
		p.skip()
		if p.pos >= len(p.src) {
			return jsValue{}, errJSEnd
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case '}':
		default:
			return jsValue{}, fmt.Errorf("offset %d: want ',' or '}' in object", p.pos)
		}
	}
}

// key reads a property name: quoted, an identifier, a number, or a spread
// or computed key kept as its source text.
func (p *jsParser) key() (string, error) {
	c := p.src[p.pos]
	switch {
	case c == '"' || c == '\'':
		s, _, err := p.str()
		return s, err
	case isJSIdentStart(c):
		return p.ident(), nil
	case isJSDigit(c):
		if n := p.number(); n != "" {
			return n, nil
		}
	case c == '[': // computed: [expr]
		p.pos++
		v, err := p.raw()
		if err != nil {
			return "", err
		}
		if p.pos >= len(p.src) || p.src[p.pos] != ']' {
			return "", fmt.Errorf("offset %d: want ']' after computed key", p.pos)
		}
		p.pos++
		return "[" + v.text + "]", nil
	case strings.HasPrefix(p.src[p.pos:], "..."): // spread: kept as a raw entry
		v, err := p.raw()
		return v.text, err
	}
	return "", fmt.Errorf("offset %d: want a property name", p.pos)
}

func (p *jsParser) array() (jsValue, error) {
	p.pos++ // [
	arr := jsValue{kind: jsArray}
	for {
		p.skip()
		if p.pos >= len(p.src) {
			return jsValue{}, errJSEnd
		}
		switch p.src[p.pos] {
		case ']':
			p.pos++
			return arr, nil
		case ',': // a hole: [1,,2]
			p.pos++
			arr.items = append(arr.items, jsValue{})
			continue
		}
		v, err := p.value()
		if err != nil {
			return jsValue{}, err
		}
		arr.items = append(arr.items, v)
		p.skip()
		if p.pos >= len(p.src) {
			return jsValue{}, errJSEnd
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case ']':
		default:
			return jsValue{}, fmt.Errorf("offset %d: want ',' or ']' in array", p.pos)
		}
	}
}

// str reads a quoted string. ok is false for a template literal with a
// substitution, whose value is not known until run time.
func (p *jsParser) str() (s string, ok bool, err error) {
	quote := p.src[p.pos]
	p.pos++
	ok = true
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == quote:
			p.pos++
			return b.String(), ok, nil
		case c == '\\':
			p.escape(&b)
			continue
		case quote == '`' && strings.HasPrefix(p.src[p.pos:], "${"):
			ok = false
		case c == '\n' && quote != '`':
			return "", false, fmt.Errorf("offset %d: newline in string", p.pos)
		}
		b.WriteByte(c)
		p.pos++
	}
	return "", false, errJSEnd
}

// escape decodes the escape sequence at p.pos into b.
func (p *jsParser) escape(b *strings.Builder) {
	p.pos++ // backslash
	if p.pos >= len(p.src) {
		return
	}
	c := p.src[p.pos]
	p.pos++
	switch c {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'v':
		b.WriteByte('\v')
	case '0':
		b.WriteByte(0)
	case '\n': // line continuation
	case 'x':
		if r, ok := p.hex(2); ok {
			b.WriteRune(r)
			return
		}
		b.WriteByte('x')
	case 'u':
		if strings.HasPrefix(p.src[p.pos:], "{") {
			if end := strings.IndexByte(p.src[p.pos:], '}'); end > 1 && end <= 7 {
				save := p.pos
				p.pos++
				if r, ok := p.hex(end - 1); ok {
					p.pos++ // }
					b.WriteRune(r)
					return
				}
				p.pos = save
			}
		} else if r, ok := p.hex(4); ok {
			b.WriteRune(r)
			return
		}
		b.WriteByte('u')
	default:
		b.WriteByte(c)
	}
}

// hex reads n hex digits as a rune.
func (p *jsParser) hex(n int) (rune, bool) {
	if p.pos+n > len(p.src) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(p.src[p.pos : p.pos+n]) {
		var d byte
		switch {
		case isJSDigit(c):
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	p.pos += n
	return r, true
}

// number reads a numeric literal as written, or "" if there is none.
func (p *jsParser) number() string {
	start := p.pos
	if p.pos < len(p.src) && (p.src[p.pos] == '-' || p.src[p.pos] == '+') {
		p.pos++
	}
	digits := p.pos
	// A digit, or a dot and a digit, must come first: `-x` and `...x` are
	// expressions.
	if rest := p.src[p.pos:]; rest == "" || !(isJSDigit(rest[0]) || (len(rest) > 1 && rest[0] == '.' && isJSDigit(rest[1]))) {
		p.pos = start
		return ""
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if isJSIdentPart(c) || c == '.' ||
			((c == '-' || c == '+') && (p.src[p.pos-1] == 'e' || p.src[p.pos-1] == 'E')) {
			p.pos++
			continue
		}
		break
	}
	if p.pos == digits {
		p.pos = start
		return ""
	}
	return strings.TrimPrefix(strings.ReplaceAll(p.src[start:p.pos], "_", ""), "+")
}

func (p *jsParser) ident() string {
	start := p.pos
	for p.pos < len(p.src) && isJSIdentPart(p.src[p.pos]) {
		p.pos++
	}
	return p.src[start:p.pos]
}

// raw reads an expression up to the ',', '}', ']' or ')' that ends it at
// its own nesting level, skipping over strings and comments.
func (p *jsParser) raw() (jsValue, error) {
	start := p.pos
	var stack []byte
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"' || c == '\'' || c == '`':
			if _, _, err := p.str(); err != nil {
				return jsValue{}, err
			}
			continue
		case strings.HasPrefix(p.src[p.pos:], "//") || strings.HasPrefix(p.src[p.pos:], "/*"):
			p.skip()
			continue
		case c == '(' || c == '[' || c == '{':
			stack = append(stack, c)
		case c == ')' || c == ']' || c == '}':
			if len(stack) == 0 {
				return p.rawValue(start)
			}
			if open := stack[len(stack)-1]; open != jsOpener(c) {
				return jsValue{}, fmt.Errorf("offset %d: unbalanced %q", p.pos, c)
			}
			stack = stack[:len(stack)-1]
		case (c == ',' || c == ';') && len(stack) == 0:
			return p.rawValue(start)
		}
		p.pos++
	}
	if len(stack) > 0 {
		return jsValue{}, errJSEnd
	}
	return p.rawValue(start)
}

func (p *jsParser) rawValue(start int) (jsValue, error) {
	text := strings.TrimSpace(p.src[start:p.pos])
	if text == "" {
		return jsValue{}, fmt.Errorf("offset %d: want a value", p.pos)
	}
	return jsValue{kind: jsRaw, text: text}, nil
}

// jsOpener returns the bracket that c closes.
func jsOpener(c byte) byte {
	switch c {
	case ')':
		return '('
	case ']':
		return '['
	}
	return '{'
}

func isJSDigit(c byte) bool { return c >= '0' && c <= '9' }

func isJSIdentStart(c byte) bool {
	return c == '_' || c == '$' || (c|0x20 >= 'a' && c|0x20 <= 'z') || c >= 0x80
}

func isJSIdentPart(c byte) bool { return isJSIdentStart(c) || isJSDigit(c) }

// truth evaluates v as JavaScript would in a boolean context when its value
// is fixed by the text alone: literals, Boolean(<literal>), !<literal>.
// Templates render flags that way (sandbox: Boolean(1), sandbox: !0). known
// is false for anything that depends on run-time values.
func (v jsValue) truth() (value, known bool) {
	switch v.kind {
	case jsBool:
		return v.b, true
	case jsNull:
		return false, true
	case jsString:
		return v.text != "", true
	case jsNumber:
		return jsNumberTruth(v.text)
	case jsObject, jsArray:
		return true, true
	case jsRaw:
		return jsRawTruth(strings.TrimSpace(v.text))
	}
	return false, false
}

func jsNumberTruth(text string) (bool, bool) {
	t := strings.TrimSuffix(strings.ToLower(text), "n")
	if t == "" {
		return false, false
	}
	for _, c := range t {
		if c != '0' && c != '.' && c != 'x' && c != 'o' && c != 'b' && c != '_' && c != '-' && c != '+' {
			return true, true
		}
	}
	return false, true
}

// jsRawTruth evaluates the few spellings of a constant flag: (x), !x,
// Boolean(x), Boolean() and the literals undefined and NaN.
func jsRawTruth(text string) (bool, bool) {
	negate := false
	for depth := 0; depth < jsMaxDepth; depth++ {
		switch {
		case text == "undefined" || text == "NaN" || text == "Boolean()":
			return negate, true
		case strings.HasPrefix(text, "!"):
			negate = !negate
			text = strings.TrimSpace(text[1:])
			continue
		case strings.HasPrefix(text, "(") && strings.HasSuffix(text, ")"):
			text = strings.TrimSpace(text[1 : len(text)-1])
			continue
		case strings.HasPrefix(text, "Boolean(") && strings.HasSuffix(text, ")"):
			text = strings.TrimSpace(text[len("Boolean(") : len(text)-1])
			continue
		}
		p := &jsParser{src: text}
		v, err := p.value()
		if err != nil || p.pos != len(text) || v.kind == jsRaw {
			return false, false
		}
		b, known := v.truth()
		return b != negate, known
	}
	return false, false
}
