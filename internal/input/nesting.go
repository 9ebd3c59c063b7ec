package input

import "bytes"

// MaxNesting is the deepest nesting an HCL file may have: brackets,
// braces, parentheses and template interpolations, and the operators
// chained in one expression (1+1+…+1, !!…!x, a ? b : c ? …), which build a
// tree as deep as the chain. The HCL parser and evaluator recurse per
// level, and 100,000 levels overflow the stack; real checklists stay under
// twenty.
const MaxNesting = 200

// MaxTokens is how many tokens (names, numbers, strings, operators,
// brackets, line ends) an HCL file may have. A syntax tree takes about 400
// bytes a token: a 4 MiB file of 300,000 short attributes took 700 MB to
// parse. The largest built-in checklist has under 7,000.
const MaxTokens = 100_000

// Pos is a place in a file: 1-based line and column (in bytes), 0-based
// byte offset.
type Pos struct{ Line, Column, Byte int }

// MaxHeredocLines is the longest heredoc an HCL file may have. The HCL
// parser joins a heredoc's lines one at a time, each join copying all the
// lines before it: a 4 MB message of 70,000 lines took 30 s to parse.
const MaxHeredocLines = 1000

// Limits are what Exceeds checks; 0 leaves a limit out.
type Limits struct{ Nesting, Tokens, HeredocLines int }

// Excess is the limit a source crosses.
type Excess int

const (
	Fits Excess = iota
	Deep        // nested deeper than Limits.Nesting
	Many        // more tokens than Limits.Tokens
	Long        // a heredoc of more lines than Limits.HeredocLines
)

// TooDeep returns where src, HCL or JSON, nests deeper than limit levels,
// and false when it does not. It only counts: quoted strings, comments and
// heredocs are skipped except for their ${ and %{ interpolations, which
// nest.
func TooDeep(src []byte, limit int) (Pos, bool) {
	pos, ex := Exceeds(src, Limits{Nesting: limit})
	return pos, ex == Deep
}

// Exceeds returns where src first crosses one of lim, and which, in one
// pass that allocates only the nesting stack.
func Exceeds(src []byte, lim Limits) (Pos, Excess) {
	l := lexer{src: src, line: 1, lineStart: 0, lim: lim}
	return l.run()
}

type lexer struct {
	src       []byte
	i         int
	line      int
	lineStart int
	lim       Limits
	tokens    int
}

func (l *lexer) pos() Pos { return Pos{Line: l.line, Column: l.i - l.lineStart + 1, Byte: l.i} }

func (l *lexer) newline() {
	l.line++
	l.lineStart = l.i + 1
}

// startLine moves to the line that starts at l.i when the byte before
// ended one that was not counted yet: a line end belongs to the line it
// ends, for the place of a token limit crossed on it.
func (l *lexer) startLine() {
	if l.i > 0 && l.src[l.i-1] == '\n' && l.lineStart < l.i {
		l.line++
		l.lineStart = l.i
	}
}

// token counts one token and reports whether that is one too many.
func (l *lexer) token() bool {
	l.tokens++
	return l.lim.Tokens > 0 && l.tokens > l.lim.Tokens
}

// level is an open bracket, interpolation, string or heredoc, with the
// operators chained in it since its last separator.
type level struct {
	kind  byte   // ( [ { code, $ interpolation, " quoted string, < heredoc
	id    []byte // a heredoc's closing name
	ops   int
	lines int // a heredoc's
}

// run walks src keeping a stack of what each open level is: code ('('
// '[' '{'), a template interpolation ('$'), a quoted string ('"') or a
// heredoc ('<'). The depth is the levels plus the operators chained in each
// since its last separator (a comma; a line end at the top or in braces,
// where HCL ends an item).
func (l *lexer) run() (Pos, Excess) {
	stack := []level{{kind: '{'}} // the file's body
	depth := 0                    // levels opened plus the operators counted in them
	deep := func() bool { return l.lim.Nesting > 0 && depth > l.lim.Nesting }
	push := func(lv level) bool {
		stack = append(stack, lv)
		depth++
		return deep()
	}
	pop := func() {
		if len(stack) > 1 {
			depth -= 1 + stack[len(stack)-1].ops
			stack = stack[:len(stack)-1]
		}
	}
	separate := func() {
		depth -= stack[len(stack)-1].ops
		stack[len(stack)-1].ops = 0
	}
	op := func() bool {
		stack[len(stack)-1].ops++
		depth++
		return deep()
	}
	ident := false // inside a name or number, where '-' is part of it
	for ; l.i < len(l.src); l.i++ {
		l.startLine()
		c := l.src[l.i]
		if top := stack[len(stack)-1]; top.kind == '"' || top.kind == '<' {
			if top.kind == '<' && l.i == l.lineStart {
				// Each line is a token of its own, and a join.
				stack[len(stack)-1].lines++
				if l.lim.HeredocLines > 0 && stack[len(stack)-1].lines > l.lim.HeredocLines {
					return l.pos(), Long
				}
				if l.token() {
					return l.pos(), Many
				}
			}
			switch {
			case top.kind == '<' && l.i == l.lineStart && l.closesHeredoc(top.id):
				pop()

			case top.kind == '"' && c == '\\':
				l.i++ // an escaped character, never a newline in valid HCL
			case top.kind == '"' && c == '"':
				pop()
				if l.token() {
					return l.pos(), Many
				}
			case (c == '$' || c == '%') && l.peek(1) == '{':
				if l.peek(-1) == c { // $${ is a literal
					continue
				}
				p := l.pos()
				l.i++
				if push(level{kind: '$'}) {
					return p, Deep
				}
				if l.token() {
					return p, Many
				}
			}
			continue
		}
		if isIdent(c) && (ident || c != '-') {
			if !ident && l.token() {
				return l.pos(), Many
			}
			ident = true
			continue
		}
		ident = false
		if c == ' ' || c == '\t' || c == '\r' {
			continue
		}
		if l.token() {
			return l.pos(), Many
		}
		switch c {
		case '"':
			if push(level{kind: '"'}) {
				return l.pos(), Deep
			}
		case '(', '[', '{':
			if push(level{kind: c}) {
				return l.pos(), Deep
			}
		case ')', ']', '}':
			pop()
		case ',':
			separate()
		case '\n':
			if stack[len(stack)-1].kind == '{' {
				separate()
			}
		case '#':
			l.skipLine()
		case '/':
			switch l.peek(1) {
			case '/':
				l.skipLine()
			case '*':
				l.skipBlockComment()
			default:
				if op() {
					return l.pos(), Deep
				}
			}
		case '<':
			if id, end, ok := l.heredocStart(); ok {
				p := l.pos()
				l.i = end - 1 // the line end after the name, next
				if push(level{kind: '<', id: id}) {
					return p, Deep
				}
				continue
			}
			fallthrough
		case '+', '-', '*', '%', '!', '?', ':', '>', '&', '|', '=':
			if c == '=' && l.peek(1) != '=' && l.peek(1) != '>' {
				continue // an assignment, not an operator
			}
			if p := l.peek(1); p == '=' || (p == c && (c == '&' || c == '|')) || (c == '=' && p == '>') {
				l.i++ // one two-character operator
			}
			if op() {
				return l.pos(), Deep
			}
		}
	}
	return Pos{}, Fits
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

// heredocStart reads <<ID or <<-ID ending its line at l.i: the name and
// the offset of the line end. ok is false for a << operator or a malformed
// heredoc, which the parser reports.
func (l *lexer) heredocStart() (id []byte, end int, ok bool) {
	j := l.i + 2
	if l.peek(1) != '<' {
		return nil, 0, false
	}
	if j < len(l.src) && l.src[j] == '-' {
		j++
	}
	k := j
	for k < len(l.src) && isIdent(l.src[k]) {
		k++
	}
	if k == j || k >= len(l.src) || l.src[k] != '\n' {
		return nil, 0, false
	}
	return l.src[j:k], k, true
}

// closesHeredoc reports whether the line at l.i holds only id, and then
// leaves l.i before its line end.
func (l *lexer) closesHeredoc(id []byte) bool {
	end := bytes.IndexByte(l.src[l.i:], '\n')
	if end < 0 {
		end = len(l.src) - l.i
	}
	if !bytes.Equal(bytes.TrimSpace(l.src[l.i:l.i+end]), id) {
		return false
	}
	l.i += end - 1
	return true
}

func isIdent(c byte) bool {
	return c == '_' || c == '-' || c-'0' <= 9 || (c|0x20)-'a' <= 'z'-'a'
}
