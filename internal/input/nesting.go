package input

import "bytes"

// MaxNesting is the deepest nesting of brackets, braces, parentheses and
// template interpolations an HCL file may have. The HCL parser recurses
// per level, and 100,000 levels overflow the stack; real checklists stay
// under ten.
const MaxNesting = 200

// Pos is a place in a file: 1-based line and column (in bytes), 0-based
// byte offset.
type Pos struct{ Line, Column, Byte int }

// TooDeep returns where src, HCL or JSON, nests deeper than limit levels,
// and false when it does not. It only counts: quoted strings, comments and
// heredocs are skipped except for their ${ and %{ interpolations, which
// nest.
func TooDeep(src []byte, limit int) (Pos, bool) {
	l := lexer{src: src, line: 1, lineStart: 0}
	return l.run(limit)
}

type lexer struct {
	src       []byte
	i         int
	line      int
	lineStart int
}

func (l *lexer) pos() Pos { return Pos{Line: l.line, Column: l.i - l.lineStart + 1, Byte: l.i} }

func (l *lexer) newline() {
	l.line++
	l.lineStart = l.i + 1
}

// run walks src keeping a stack of what each open level is: code ('('
// '[' '{'), a template interpolation inside a string ('$') or a quoted
// string ('"').
func (l *lexer) run(limit int) (Pos, bool) {
	var stack []byte
	push := func(c byte) bool {
		stack = append(stack, c)
		return len(stack) > limit
	}
	inString := func() bool { return len(stack) > 0 && stack[len(stack)-1] == '"' }
	for ; l.i < len(l.src); l.i++ {
		c := l.src[l.i]
		if c == '\n' {
			l.newline()
		}
		if inString() {
			switch {
			case c == '\\':
				l.i++ // an escaped character, never a newline in valid HCL
			case c == '"':
				stack = stack[:len(stack)-1]
			case (c == '$' || c == '%') && l.peek(1) == '{':
				if l.peek(-1) == c { // $${ is a literal
					continue
				}
				p := l.pos()
				l.i++
				if push('$') {
					return p, true
				}
			}
			continue
		}
		switch c {
		case '"':
			if push('"') {
				return l.pos(), true
			}
		case '(', '[', '{':
			if push(c) {
				return l.pos(), true
			}
		case ')', ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case '#':
			l.skipLine()
		case '/':
			switch l.peek(1) {
			case '/':
				l.skipLine()
			case '*':
				l.skipBlockComment()
			}
		case '<':
			if l.peek(1) == '<' {
				if p, deep := l.heredoc(limit - len(stack)); deep {
					return p, true
				}
			}
		}
	}
	return Pos{}, false
}

func (l *lexer) peek(d int) byte {
	if j := l.i + d; j >= 0 && j < len(l.src) {
		return l.src[j]
	}
	return 0
}

// skipLine leaves l.i on the newline ending the comment, so run counts it.
func (l *lexer) skipLine() {
	k := bytes.IndexByte(l.src[l.i:], '\n')
	if k < 0 {
		l.i = len(l.src)
		return
	}
	l.i += k - 1
}

func (l *lexer) skipBlockComment() {
	for l.i += 2; l.i < len(l.src); l.i++ {
		switch {
		case l.src[l.i] == '\n':
			l.newline()
		case l.src[l.i] == '*' && l.peek(1) == '/':
			l.i++
			return
		}
	}
}

// heredoc skips <<ID or <<-ID up to the line holding only ID, counting the
// interpolations of its body, which nest like code (limit levels are left).
func (l *lexer) heredoc(limit int) (Pos, bool) {
	j := l.i + 2
	if j < len(l.src) && l.src[j] == '-' {
		j++
	}
	k := j
	for k < len(l.src) && (isIdent(l.src[k])) {
		k++
	}
	if k == j || k >= len(l.src) || l.src[k] != '\n' {
		return Pos{}, false // a << operator or a malformed heredoc: the parser says so
	}
	id := l.src[j:k]
	l.i = k
	l.newline()
	depth := 0
	for l.i++; l.i < len(l.src); l.i++ {
		c := l.src[l.i]
		if c == '\n' {
			l.newline()
			continue
		}
		if l.i == l.lineStart {
			end := bytes.IndexByte(l.src[l.i:], '\n')
			if end < 0 {
				end = len(l.src) - l.i
			}
			if bytes.Equal(bytes.TrimSpace(l.src[l.i:l.i+end]), id) {
				l.i += end - 1
				return Pos{}, false
			}
		}
		switch {
		case (c == '$' || c == '%') && l.peek(1) == '{' && l.peek(-1) != c:
			depth++
			if depth > limit {
				return l.pos(), true
			}
			l.i++
		case c == '{' || c == '(' || c == '[':
			if depth > 0 {
				depth++
				if depth > limit {
					return l.pos(), true
				}
			}
		case c == '}' || c == ')' || c == ']':
			if depth > 0 {
				depth--
			}
		}
	}
	return Pos{}, false
}

func isIdent(c byte) bool {
	return c == '_' || c == '-' || c-'0' <= 9 || (c|0x20)-'a' <= 'z'-'a'
}
