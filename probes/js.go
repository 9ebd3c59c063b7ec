package probes

import (
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/token"
	"github.com/zclconf/go-cty/cty"
)

// The page's JavaScript is read with goja's parser (github.com/dop251/goja/parser),
// chosen over tdewolff/parse/v2/js because its AST keeps every node's
// offset, which file:line evidence needs, and it is the parser of a
// complete, maintained engine. Nothing is executed: option values are
// folded when the code alone fixes them, and are undecided otherwise.

// jsMaxDepth bounds nesting and variable chains, so a hostile page cannot
// exhaust the stack.
const jsMaxDepth = 64

// jsKind is the sort of a value read from the code.
type jsKind int

const (
	jsNull jsKind = iota // null and undefined
	jsBool
	jsNumber
	jsString
	jsObject
	jsArray
	// jsRaw is a value the code does not fix (window.X, a call, a
	// spread): it cannot be decided before the page runs. text holds its
	// source.
	jsRaw
)

// jsValue is a JavaScript value as far as the code decides it.
type jsValue struct {
	kind   jsKind
	text   string // string contents, number as written, or raw source
	b      bool
	num    float64
	keys   []string // object keys in source order, each once
	fields map[string]jsValue
	items  []jsValue
	// open: a spread the code does not resolve may set any key not set
	// after it, so such keys are undecided.
	open bool
	line int // line of the value, in its file (or the page)
}

// field returns an object's field: a null value when absent, a raw one
// when absent from an open object.
func (v jsValue) field(name string) jsValue {
	if v.kind == jsRaw {
		return jsValue{kind: jsRaw, text: v.text + "." + name, line: v.line}
	}
	if v.kind != jsObject {
		return jsValue{}
	}
	f, ok := v.fields[name]
	if !ok && v.open {
		return jsValue{kind: jsRaw, text: "..." + name, line: v.line}
	}
	return f
}

// str returns a string's contents, or "" for anything else.
func (v jsValue) str() string {
	if v.kind != jsString {
		return ""
	}
	return v.text
}

// truth is v in a boolean context; known is false for a raw value.
func (v jsValue) truth() (value, known bool) {
	switch v.kind {
	case jsBool:
		return v.b, true
	case jsNull:
		return false, true
	case jsString:
		return v.text != "", true
	case jsNumber:
		return v.num != 0 && !math.IsNaN(v.num), true
	case jsObject, jsArray:
		return true, true
	}
	return false, false
}

// cty converts v for the facts. Arrays become tuples (their elements need
// not share a type); raw values become their source text.
func (v jsValue) cty() cty.Value {
	switch v.kind {
	case jsBool:
		return cty.BoolVal(v.b)
	case jsNumber:
		if math.IsNaN(v.num) || math.IsInf(v.num, 0) {
			return cty.StringVal(v.text)
		}
		return cty.NumberFloatVal(v.num)
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
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// jsWanted is a call the packs ask for.
type jsWanted struct {
	provider, name, callee string
	options                int
}

// jsCallFound is a call found in a script.
type jsCallFound struct {
	want    jsWanted
	line    int
	options jsValue
}

// jsScript is JavaScript text and where it starts: the page line of an
// inline script's first character (1 for a file of its own).
type jsScript struct {
	src  string
	line int
}

// jsError is a script that could not be parsed although it names a
// wanted call: the call's options cannot be read.
type jsError struct {
	line int
	msg  string
}

// jsReader reads one script.
type jsReader struct {
	sc       jsScript
	lines    newlineIndex
	bindings map[string]ast.Expression
	ambig    map[string]bool
}

// jsFindCalls finds the wanted calls in sc, in source order.
func jsFindCalls(sc jsScript, wanted []jsWanted) ([]jsCallFound, *jsError) {
	var want []jsWanted
	for _, w := range wanted {
		last := w.callee[strings.LastIndexByte(w.callee, '.')+1:]
		if strings.Contains(sc.src, last) {
			want = append(want, w)
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	prog, err := parser.ParseFile(nil, "", sc.src, parser.IgnoreRegExpErrors, parser.WithDisableSourceMaps)
	if err != nil {
		msg := err.Error()
		line := sc.line
		if el, ok := err.(parser.ErrorList); ok && len(el) > 0 {
			line = sc.line + el[0].Position.Line - 1
			msg = el[0].Message
		}
		return nil, &jsError{line: line, msg: msg}
	}
	r := &jsReader{sc: sc, lines: newNewlineIndex([]byte(sc.src)), bindings: map[string]ast.Expression{}, ambig: map[string]bool{}}
	var calls []*ast.CallExpression
	seen := map[ast.Node]bool{} // var declarations are listed twice (hoisted)
	jsWalk(reflect.ValueOf(prog), 0, func(n ast.Node) {
		if seen[n] {
			return
		}
		seen[n] = true
		switch n := n.(type) {
		case *ast.Binding:
			if id, ok := n.Target.(*ast.Identifier); ok {
				r.bind(string(id.Name), n.Initializer)
			}
		case *ast.AssignExpression:
			if id, ok := n.Left.(*ast.Identifier); ok {
				r.ambig[string(id.Name)] = true // reassigned: its value is the run's
			}
		case *ast.CallExpression:
			calls = append(calls, n)
		}
	})
	var found []jsCallFound
	for _, c := range calls {
		name := strings.TrimPrefix(jsDotted(c.Callee), "window.")
		for _, w := range want {
			if name != w.callee {
				continue
			}
			f := jsCallFound{want: w, line: r.line(c)}
			if w.options < len(c.ArgumentList) {
				f.options = r.eval(c.ArgumentList[w.options], 0)
			} else {
				f.options = jsValue{kind: jsNull, line: f.line}
			}
			found = append(found, f)
		}
	}
	return found, nil
}

func (r *jsReader) bind(name string, init ast.Expression) {
	if _, dup := r.bindings[name]; dup || init == nil {
		r.ambig[name] = true
		return
	}
	r.bindings[name] = init
}

func (r *jsReader) line(n ast.Node) int {
	return r.sc.line + r.lines.line(int(n.Idx0())-1) - 1
}

func (r *jsReader) raw(n ast.Node) jsValue {
	from, to := int(n.Idx0())-1, int(n.Idx1())-1
	text := ""
	if from >= 0 && to <= len(r.sc.src) && from <= to {
		text = r.sc.src[from:to]
	}
	return jsValue{kind: jsRaw, text: text, line: r.line(n)}
}

// eval folds expr to a value when the code alone fixes it.
func (r *jsReader) eval(expr ast.Expression, depth int) jsValue {
	if depth > jsMaxDepth || expr == nil {
		return jsValue{kind: jsRaw, text: "…"}
	}
	line := r.line(expr)
	switch e := expr.(type) {
	case *ast.StringLiteral:
		return jsValue{kind: jsString, text: string(e.Value), line: line}
	case *ast.NumberLiteral:
		return jsNum(jsNumberValue(e.Value), e.Literal, line)
	case *ast.BooleanLiteral:
		return jsValue{kind: jsBool, b: e.Value, text: strconv.FormatBool(e.Value), line: line}
	case *ast.NullLiteral:
		return jsValue{kind: jsNull, line: line}
	case *ast.TemplateLiteral:
		if e.Tag != nil {
			return r.raw(e)
		}
		var b strings.Builder
		for i, el := range e.Elements {
			b.WriteString(string(el.Parsed))
			if i < len(e.Expressions) {
				v := r.eval(e.Expressions[i], depth+1)
				s, ok := jsToString(v)
				if !ok {
					return r.raw(e)
				}
				b.WriteString(s)
			}
		}
		return jsValue{kind: jsString, text: b.String(), line: line}
	case *ast.Identifier:
		switch name := string(e.Name); name {
		case "undefined":
			return jsValue{kind: jsNull, line: line}
		case "NaN":
			return jsNum(math.NaN(), name, line)
		case "Infinity":
			return jsNum(math.Inf(1), name, line)
		default:
			if init, ok := r.bindings[name]; ok && !r.ambig[name] {
				v := r.eval(init, depth+1)
				v.line = line
				return v
			}
			return r.raw(e)
		}
	case *ast.ObjectLiteral:
		return r.object(e, depth)
	case *ast.ArrayLiteral:
		v := jsValue{kind: jsArray, line: line}
		for _, it := range e.Value {
			if _, spread := it.(*ast.SpreadElement); spread || it == nil {
				return r.raw(e)
			}
			v.items = append(v.items, r.eval(it, depth+1))
		}
		return v
	case *ast.UnaryExpression:
		v := r.eval(e.Operand, depth+1)
		switch e.Operator {
		case token.NOT:
			if b, ok := v.truth(); ok {
				return jsValue{kind: jsBool, b: !b, text: strconv.FormatBool(!b), line: line}
			}
		case token.MINUS, token.PLUS:
			if v.kind == jsNumber {
				n := v.num
				if e.Operator == token.MINUS {
					n = -n
				}
				return jsNum(n, r.raw(e).text, line)
			}
		case token.VOID:
			return jsValue{kind: jsNull, line: line}
		}
		return r.raw(e)
	case *ast.BinaryExpression:
		return r.binary(e, depth)
	case *ast.ConditionalExpression:
		if b, ok := r.eval(e.Test, depth+1).truth(); ok {
			if b {
				return r.eval(e.Consequent, depth+1)
			}
			return r.eval(e.Alternate, depth+1)
		}
		return r.raw(e)
	case *ast.CallExpression:
		// Boolean(x) is how templates write a flag: Boolean(1), Boolean("").
		if jsDotted(e.Callee) == "Boolean" && len(e.ArgumentList) <= 1 {
			b, ok := false, true
			if len(e.ArgumentList) == 1 {
				b, ok = r.eval(e.ArgumentList[0], depth+1).truth()
			}
			if ok {
				return jsValue{kind: jsBool, b: b, text: strconv.FormatBool(b), line: line}
			}
		}
		return r.raw(e)
	case *ast.SequenceExpression:
		if len(e.Sequence) > 0 {
			return r.eval(e.Sequence[len(e.Sequence)-1], depth+1)
		}
	}
	return r.raw(expr)
}

func (r *jsReader) object(e *ast.ObjectLiteral, depth int) jsValue {
	v := jsValue{kind: jsObject, fields: map[string]jsValue{}, line: r.line(e)}
	set := func(k string, val jsValue) {
		if _, seen := v.fields[k]; !seen {
			v.keys = append(v.keys, k)
		}
		v.fields[k] = val
	}
	for _, p := range e.Value {
		switch p := p.(type) {
		case *ast.PropertyKeyed:
			key, ok := r.key(p.Key, p.Computed, depth)
			if !ok {
				v.open = true // a computed key may be any key
				continue
			}
			if p.Kind != ast.PropertyKindValue {
				set(key, r.raw(p.Value)) // a getter: its value is the run's
				continue
			}
			set(key, r.eval(p.Value, depth+1))
		case *ast.PropertyShort:
			set(string(p.Name.Name), r.eval(&p.Name, depth+1))
		case *ast.SpreadElement:
			inner := r.eval(p.Expression, depth+1)
			if inner.kind == jsObject {
				for _, k := range inner.keys {
					set(k, inner.fields[k])
				}
				v.open = v.open || inner.open
				continue
			}
			// Any key set before the spread may be overridden by it.
			for _, k := range v.keys {
				set(k, jsValue{kind: jsRaw, text: r.raw(p.Expression).text, line: v.fields[k].line})
			}
			v.open = true
		}
	}
	return v
}

func (r *jsReader) key(k ast.Expression, computed bool, depth int) (string, bool) {
	if !computed {
		switch k := k.(type) {
		case *ast.Identifier:
			return string(k.Name), true
		case *ast.StringLiteral:
			return string(k.Value), true
		case *ast.NumberLiteral:
			return strconv.FormatFloat(jsNumberValue(k.Value), 'g', -1, 64), true
		}
	}
	s, ok := jsToString(r.eval(k, depth+1))
	return s, ok
}

func (r *jsReader) binary(e *ast.BinaryExpression, depth int) jsValue {
	a, b := r.eval(e.Left, depth+1), r.eval(e.Right, depth+1)
	line := r.line(e)
	switch e.Operator {
	case token.LOGICAL_AND, token.LOGICAL_OR:
		at, ok := a.truth()
		if !ok {
			return r.raw(e)
		}
		if (e.Operator == token.LOGICAL_AND) == at {
			return b
		}
		return a
	case token.PLUS:
		if a.kind == jsNumber && b.kind == jsNumber {
			return jsNum(a.num+b.num, r.raw(e).text, line)
		}
		if a.kind == jsString || b.kind == jsString {
			as, ok1 := jsToString(a)
			bs, ok2 := jsToString(b)
			if ok1 && ok2 {
				return jsValue{kind: jsString, text: as + bs, line: line}
			}
		}
	case token.STRICT_EQUAL, token.STRICT_NOT_EQUAL:
		if a.kind != jsRaw && b.kind != jsRaw && a.kind != jsObject && a.kind != jsArray && b.kind != jsObject && b.kind != jsArray {
			eq := a.kind == b.kind && a.text == b.text && a.b == b.b && (a.kind != jsNumber || a.num == b.num)
			if e.Operator == token.STRICT_NOT_EQUAL {
				eq = !eq
			}
			return jsValue{kind: jsBool, b: eq, text: strconv.FormatBool(eq), line: line}
		}
	}
	return r.raw(e)
}

func jsNum(n float64, text string, line int) jsValue {
	return jsValue{kind: jsNumber, num: n, text: text, line: line}
}

func jsNumberValue(v any) float64 {
	switch n := v.(type) {
	case int64:
		return float64(n)
	case float64:
		return n
	}
	return math.NaN() // a BigInt literal: never a flag anyone writes
}

// jsToString is String(v) for the values the code fixes.
func jsToString(v jsValue) (string, bool) {
	switch v.kind {
	case jsString:
		return v.text, true
	case jsNumber:
		if math.IsNaN(v.num) || math.IsInf(v.num, 0) {
			return v.text, true
		}
		return strconv.FormatFloat(v.num, 'f', -1, 64), true
	case jsBool:
		return strconv.FormatBool(v.b), true
	}
	return "", false
}

// jsDotted spells a member chain (amazon.Pay.renderButton), "" for
// anything else.
func jsDotted(e ast.Expression) string {
	switch e := e.(type) {
	case *ast.Identifier:
		return string(e.Name)
	case *ast.DotExpression:
		left := jsDotted(e.Left)
		if left == "" {
			return ""
		}
		return left + "." + string(e.Identifier.Name)
	case *ast.OptionalChain:
		return jsDotted(e.Expression)
	case *ast.Optional:
		return jsDotted(e.Expression)
	}
	return ""
}

var jsNodeType = reflect.TypeOf((*ast.Node)(nil)).Elem()

// jsWalk calls fn for every AST node under v. The AST has no visitor, so
// its structs are walked by reflection; depth bounds the recursion.
func jsWalk(v reflect.Value, depth int, fn func(ast.Node)) {
	if depth > 4*jsMaxDepth || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return
		}
		if v.Type().Implements(jsNodeType) && v.Kind() == reflect.Pointer {
			fn(v.Interface().(ast.Node))
		}
		jsWalk(v.Elem(), depth+1, fn)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				jsWalk(v.Field(i), depth+1, fn)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			jsWalk(v.Index(i), depth+1, fn)
		}
	}
}
