// Package lexer splits the source code of the languages payment
// integrations are written in (JavaScript and TypeScript, PHP, Java and
// Groovy/Kotlin, C#, Python, Ruby, Go) into tokens: identifiers, decoded
// string literals, numbers and punctuation, with the line and column of
// each, and without comments. It knows each language's strings and
// comments, not its grammar: enough to read settings written as code
// (Settings) and to match rules against code with its comments blanked
// out (Blank), so a commented-out `sandbox: true` decides nothing.
package lexer

import (
	"bytes"
	"fmt"
	"path"
	"strings"
)

// Lang is a source language.
type Lang string

// The languages the lexer knows.
const (
	JS     Lang = "js" // JavaScript, TypeScript, JSON with comments
	PHP    Lang = "php"
	Java   Lang = "java" // also Kotlin, Groovy and Gradle scripts
	CSharp Lang = "csharp"
	Python Lang = "python"
	Ruby   Lang = "ruby"
	Go     Lang = "go"
)

// langByExt maps file extensions to languages.
var langByExt = map[string]Lang{
	".js": JS, ".mjs": JS, ".cjs": JS, ".jsx": JS, ".ts": JS, ".tsx": JS, ".mts": JS, ".cts": JS,
	".vue": JS, ".svelte": JS,
	".php": PHP, ".phtml": PHP, ".inc": PHP,
	".java": Java, ".kt": Java, ".kts": Java, ".groovy": Java, ".gradle": Java, ".scala": Java,
	".cs": CSharp, ".csx": CSharp,
	".py": Python, ".pyw": Python,
	".rb": Ruby, ".rake": Ruby, ".gemspec": Ruby, ".ru": Ruby,
	".go": Go,
}

// ForFile tells a file's language from its name; ok is false for files
// that are not source code of a known language.
func ForFile(name string) (Lang, bool) {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	switch base {
	case "gemfile", "rakefile", "podfile", "fastfile":
		return Ruby, true
	}
	l, ok := langByExt[path.Ext(base)]
	return l, ok
}

// Kind is the sort of a token.
type Kind uint8

// Token kinds.
const (
	Ident  Kind = iota + 1 // names and keywords; PHP's $var keeps its $
	String                 // a string or character literal; Text is its decoded value
	Number                 // as written
	Symbol                 // a Ruby symbol (:sandbox); Text without the colon
	Punct                  // an operator or bracket
	Regex                  // a JavaScript regular expression literal, as written
)

func (k Kind) String() string {
	switch k {
	case Ident:
		return "ident"
	case String:
		return "string"
	case Number:
		return "number"
	case Symbol:
		return "symbol"
	case Punct:
		return "punct"
	case Regex:
		return "regex"
	}
	return "invalid"
}

// Token is one token of a source file.
type Token struct {
	Kind Kind
	// Text is the token as written, except for strings and symbols: their
	// value, escapes decoded.
	Text string
	// Interp marks a string whose value is only known at run time
	// (template literals with ${…}, "…$var…", f-strings, #{…}).
	Interp bool
	// Off is the byte offset of the token's start; Line and Col are
	// 1-based, Col counting bytes.
	Off, Line, Col int
}

// MaxDepth bounds the nesting of template literals and string
// interpolations, so hostile input cannot exhaust the stack.
const MaxDepth = 256

// Error is a lexical error at a position: an unterminated string or
// comment. The tokens before it are still returned.
type Error struct {
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Tokenize splits src into tokens, dropping blanks and comments. On a
// lexical error it returns the tokens before the error and the error.
func Tokenize(lang Lang, src []byte) ([]Token, error) {
	s := newScanner(lang, src)
	err := s.run()
	s.position()
	return s.toks, err
}

// Blank returns a copy of src whose comments are replaced by spaces, line
// breaks kept, so offsets, lines and columns are those of src. Text after
// a lexical error is kept as it is.
func Blank(lang Lang, src []byte) []byte {
	s := newScanner(lang, src)
	_ = s.run() // what was read is blanked; the rest is kept
	out := bytes.Clone(src)
	for _, c := range s.comments {
		for i := c[0]; i < c[1]; i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = ' '
			}
		}
	}
	return out
}

type scanner struct {
	lang     Lang
	src      []byte
	pos      int
	toks     []Token
	comments [][2]int
	// skips are heredoc bodies already read, to jump over when the main
	// loop reaches them: start → end.
	skips map[int]int
	// unterminated remembers heredoc ids and %-literal closers already
	// searched to the end in vain, so hostile input stays linear.
	unterminated map[string]bool
}

func newScanner(lang Lang, src []byte) *scanner {
	return &scanner{lang: lang, src: src}
}

// position fills in Line and Col from the offsets, in one pass.
func (s *scanner) position() {
	line, lineStart, at := 1, 0, 0
	for i := range s.toks {
		off := s.toks[i].Off
		for ; at < off && at < len(s.src); at++ {
			if s.src[at] == '\n' {
				line++
				lineStart = at + 1
			}
		}
		s.toks[i].Line, s.toks[i].Col = line, off-lineStart+1
	}
}

// lexErr is an error at an offset; run turns the first into an *Error
// (counting lines for every error would be quadratic).
type lexErr struct {
	off int
	msg string
}

func (e *lexErr) Error() string { return e.msg }

func (s *scanner) fail(off int, msg string) error { return &lexErr{off: off, msg: msg} }

func (s *scanner) errorAt(e *lexErr) *Error {
	line, col := 1, 1
	for i := 0; i < e.off && i < len(s.src); i++ {
		if s.src[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return &Error{Line: line, Col: col, Msg: e.msg}
}

func (s *scanner) peek(k int) byte {
	if s.pos+k < len(s.src) {
		return s.src[s.pos+k]
	}
	return 0
}

func (s *scanner) hasPrefix(p string) bool {
	return bytes.HasPrefix(s.src[s.pos:], []byte(p))
}

func (s *scanner) emit(kind Kind, start int, text string) {
	s.toks = append(s.toks, Token{Kind: kind, Text: text, Off: start})
}

func (s *scanner) emitString(start int, value string, interp bool) {
	s.toks = append(s.toks, Token{Kind: String, Text: value, Interp: interp, Off: start})
}

func (s *scanner) last() *Token {
	if len(s.toks) == 0 {
		return nil
	}
	return &s.toks[len(s.toks)-1]
}

// lineComment skips to the end of the line.
func (s *scanner) lineComment() {
	start := s.pos
	end := bytes.IndexByte(s.src[s.pos:], '\n')
	if end < 0 {
		s.pos = len(s.src)
	} else {
		s.pos += end
	}
	// PHP ends a // or # comment at ?> too.
	if s.lang == PHP {
		if i := bytes.Index(s.src[start:s.pos], []byte("?>")); i >= 0 {
			s.pos = start + i
		}
	}
	s.comments = append(s.comments, [2]int{start, s.pos})
}

// blockComment skips a comment from open to close.
func (s *scanner) blockComment(open, close string) error {
	start := s.pos
	end := bytes.Index(s.src[s.pos+len(open):], []byte(close))
	if end < 0 {
		s.pos = len(s.src)
		s.comments = append(s.comments, [2]int{start, s.pos})
		return s.fail(start, "unterminated comment")
	}
	s.pos += len(open) + end + len(close)
	s.comments = append(s.comments, [2]int{start, s.pos})
	return nil
}

// run scans the whole input. A string that does not end is taken as a
// lone quote and scanning goes on after it (a JSX text's apostrophe must
// not hide the rest of the file); the first such error is returned.
func (s *scanner) run() error {
	var first error
	if s.lang == PHP {
		s.phpHTML()
	}
	if s.hasPrefix("#!") {
		s.lineComment()
	}
	for s.pos < len(s.src) {
		if end, ok := s.skips[s.pos]; ok {
			s.pos = end
			continue
		}
		c := s.src[s.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			s.pos++
			continue
		case c == 0xEF && s.hasPrefix("\uFEFF"):
			s.pos += 3
			continue
		}
		start := s.pos
		if err := s.next(c); err != nil {
			if le, ok := err.(*lexErr); ok && first == nil {
				first = s.errorAt(le)
			}
			if s.pos < len(s.src) || !s.inComment(start) {
				s.pos = start + 1
				s.emit(Punct, start, string(s.src[start]))
			}
		}
	}
	return first
}

// inComment reports whether the last comment recorded starts at start:
// an unterminated comment has consumed the rest of the input.
func (s *scanner) inComment(start int) bool {
	return len(s.comments) > 0 && s.comments[len(s.comments)-1][0] == start
}

// next reads one token (or comment) starting with c.
func (s *scanner) next(c byte) error {
	done, err := s.langSpecific(c)
	if err != nil || done {
		return err
	}
	switch {
	case c == '/' && s.peek(1) == '/' && s.lang != Python && s.lang != Ruby:
		s.lineComment()
	case c == '/' && s.peek(1) == '*' && s.lang != Python && s.lang != Ruby:
		return s.blockComment("/*", "*/")
	case c == '"' || c == '\'':
		return s.quoted(c)
	case isDigit(c) || c == '.' && isDigit(s.peek(1)):
		s.number()
	case isIdentStart(c):
		return s.ident()
	default:
		s.punct()
	}
	return nil
}

// langSpecific handles what only some languages have; done reports that
// it consumed something.
func (s *scanner) langSpecific(c byte) (done bool, err error) {
	switch s.lang {
	case JS:
		switch {
		case c == '`':
			return true, s.template()
		case c == '/' && s.peek(1) != '/' && s.peek(1) != '*' && s.regexAllowed():
			return true, s.regex()
		case c == '<' && s.hasPrefix("<!--"): // HTML comments in .vue templates
			return true, s.blockComment("<!--", "-->")
		}
	case PHP:
		switch {
		case c == '#' && s.peek(1) != '[':
			s.lineComment()
			return true, nil
		case c == '?' && s.peek(1) == '>':
			s.pos += 2
			s.emit(Punct, s.pos-2, ";") // ?> ends a statement
			s.phpHTML()
			return true, nil
		case c == '<' && s.hasPrefix("<<<"):
			return s.phpHeredoc()
		case c == '$' && isIdentStart(s.peek(1)):
			start := s.pos
			s.pos++
			s.identBytes()
			s.emit(Ident, start, string(s.src[start:s.pos]))
			return true, nil
		}
	case Python:
		switch {
		case c == '#':
			s.lineComment()
			return true, nil
		case (c == '"' || c == '\'') && s.peek(1) == c && s.peek(2) == c:
			return true, s.triple(s.pos, string([]byte{c, c, c}), false, false)
		}
	case Ruby:
		return s.ruby(c)
	case CSharp:
		switch {
		case c == '"' && s.hasPrefix(`"""`):
			return true, s.triple(s.pos, `"""`, true, false)
		case c == '@' && s.peek(1) == '"', c == '@' && s.peek(1) == '$' && s.peek(2) == '"',
			c == '$' && s.peek(1) == '@' && s.peek(2) == '"':
			return true, s.verbatim()
		case c == '$' && s.peek(1) == '"':
			start := s.pos
			s.pos++
			return true, s.quotedFrom(start, '"', true)
		case c == '$' && s.hasPrefix(`$"""`):
			start := s.pos
			s.pos++
			return true, s.triple(start, `"""`, true, true)
		case c == '#' && s.atLineStart(): // #region, #if: preprocessor lines
			s.lineComment()
			return true, nil
		}
	case Java:
		switch {
		case c == '"' && s.hasPrefix(`"""`):
			return true, s.triple(s.pos, `"""`, false, false)
		case c == '\'' && s.hasPrefix(`'''`): // Groovy
			return true, s.triple(s.pos, `'''`, true, false)
		}
	case Go:
		if c == '`' {
			start := s.pos
			end := bytes.IndexByte(s.src[s.pos+1:], '`')
			if end < 0 {
				s.pos = len(s.src)
				return true, s.fail(start, "unterminated raw string")
			}
			s.pos += end + 2
			s.emitString(start, string(s.src[start+1:s.pos-1]), false)
			return true, nil
		}
	}
	return false, nil
}

// ruby handles Ruby's comments, symbols, instance variables, %-literals,
// heredocs, character and regular expression literals.
func (s *scanner) ruby(c byte) (bool, error) {
	switch {
	case c == '#':
		s.lineComment()
	case c == '=' && s.hasPrefix("=begin") && s.atLineStart():
		start := s.pos
		i := bytes.Index(s.src[s.pos:], []byte("\n=end"))
		if i < 0 {
			s.pos = len(s.src)
			s.comments = append(s.comments, [2]int{start, s.pos})
			return true, s.fail(start, "unterminated =begin comment")
		}
		s.pos += i + len("\n=end")
		for s.pos < len(s.src) && s.src[s.pos] != '\n' {
			s.pos++
		}
		s.comments = append(s.comments, [2]int{start, s.pos})
	case c == ':' && (s.peek(1) == '"' || s.peek(1) == '\'') && s.regexAllowed():
		start := s.pos
		s.pos++
		if err := s.quotedFrom(start, s.src[s.pos], false); err != nil {
			return true, err
		}
		s.last().Kind = Symbol
	case c == ':' && isIdentStart(s.peek(1)) && (s.pos == 0 || !isIdentPart(s.src[s.pos-1])) && s.peek(1) != '$':
		start := s.pos
		s.pos++
		s.identBytes()
		if n := s.peek(0); n == '?' || n == '!' {
			s.pos++
		}
		s.emit(Symbol, start, string(s.src[start+1:s.pos]))
	case c == '@':
		start := s.pos
		s.pos++
		if s.peek(0) == '@' {
			s.pos++
		}
		s.identBytes()
		s.emit(Ident, start, string(s.src[start:s.pos]))
	case c == '%' && s.regexAllowed():
		return s.rubyPercent()
	case c == '<' && s.hasPrefix("<<") && s.regexAllowed():
		return s.rubyHeredoc()
	case c == '/' && s.regexAllowed() && s.peek(1) != ' ' && s.peek(1) != '=':
		return true, s.regex()
	case c == '?' && isIdentPart(s.peek(1)) && !isIdentPart(s.peek(2)) && s.regexAllowed():
		s.emitString(s.pos, string(s.src[s.pos+1]), false) // ?a, a character
		s.pos += 2
	default:
		return false, nil
	}
	return true, nil
}

// rubyPercent reads %q(…), %Q[…], %w{…}, %i<…>, %r|…| and %(…).
func (s *scanner) rubyPercent() (bool, error) {
	start := s.pos
	p := s.pos + 1
	kind := byte('Q')
	if p < len(s.src) && strings.IndexByte("qQwWiIrsx", s.src[p]) >= 0 {
		kind = s.src[p]
		p++
	}
	if p >= len(s.src) {
		return false, nil
	}
	open := s.src[p]
	if isIdentPart(open) || open == ' ' || open == '\n' || open == '\t' || open == '=' {
		return false, nil // modulo
	}
	close := map[byte]byte{'(': ')', '[': ']', '{': '}', '<': '>'}[open]
	if close == 0 {
		close = open
	}
	if s.unterminated["%"+string(close)] {
		return false, nil
	}
	depth := 1
	var b strings.Builder
	for i := p + 1; i < len(s.src); i++ {
		c := s.src[i]
		switch {
		case c == '\\' && i+1 < len(s.src):
			i++
			b.WriteByte(s.src[i])
			continue
		case c == close:
			depth--
			if depth == 0 {
				s.pos = i + 1
				if kind == 'r' {
					s.emit(Regex, start, string(s.src[start:s.pos]))
				} else {
					s.emitString(start, b.String(), kind == 'Q' && strings.Contains(b.String(), "#{"))
				}
				return true, nil
			}
		case c == open && close != open:
			depth++
		}
		b.WriteByte(c)
	}
	s.remember("%" + string(close))
	return true, s.fail(start, "unterminated %-literal")
}

// rubyHeredoc reads <<~ID, <<-ID, <<ID and their quoted forms: the body
// starts on the next line, the rest of this line is still code.
func (s *scanner) rubyHeredoc() (bool, error) {
	start := s.pos
	p := s.pos + 2
	if p < len(s.src) && (s.src[p] == '~' || s.src[p] == '-') {
		p++
	}
	id, quote, p, ok := s.heredocID(p)
	if !ok || quote == 0 && strings.ToUpper(id) != id {
		return false, nil // a << b
	}
	nl := bytes.IndexByte(s.src[p:], '\n')
	if nl < 0 {
		return false, nil
	}
	bodyStart := p + nl + 1
	body, end, ok := s.heredoc(bodyStart, id)
	if !ok {
		return true, s.fail(start, "unterminated heredoc")
	}
	if s.skips == nil {
		s.skips = map[int]int{}
	}
	s.skips[bodyStart] = end
	s.pos = p
	s.emitString(start, body, quote != '\'' && strings.Contains(body, "#{"))
	return true, nil
}

func (s *scanner) atLineStart() bool {
	for i := s.pos - 1; i >= 0; i-- {
		switch s.src[i] {
		case ' ', '\t':
			continue
		case '\n':
			return true
		default:
			return false
		}
	}
	return true
}

// phpHTML skips inline HTML up to the next <?php or <?= tag.
func (s *scanner) phpHTML() {
	i := bytes.Index(s.src[s.pos:], []byte("<?"))
	if i < 0 {
		s.pos = len(s.src)
		return
	}
	s.pos += i + 2
	switch {
	case len(s.src)-s.pos >= 3 && strings.EqualFold(string(s.src[s.pos:s.pos+3]), "php"):
		s.pos += 3
	case s.peek(0) == '=':
		s.pos++
	}
}

// phpHeredoc reads <<<ID … ID, <<<"ID" … ID and the nowdoc <<<'ID' … ID.
func (s *scanner) phpHeredoc() (bool, error) {
	start := s.pos
	p := s.pos + 3
	for p < len(s.src) && (s.src[p] == ' ' || s.src[p] == '\t') {
		p++
	}
	id, quote, p, ok := s.heredocID(p)
	if !ok {
		return false, nil // "<<<" is not a heredoc: let punct read "<<"
	}
	nl := bytes.IndexByte(s.src[p:], '\n')
	if nl < 0 {
		s.pos = len(s.src)
		return true, s.fail(start, "unterminated heredoc")
	}
	bodyStart := p + nl + 1
	body, end, ok := s.heredoc(bodyStart, id)
	if !ok {
		return true, s.fail(start, "unterminated heredoc")
	}
	s.pos = end
	s.emitString(start, body, quote != '\'' && strings.Contains(body, "$"))
	return true, nil
}

// heredocID reads a heredoc's identifier at p, bare or quoted ('ID' or
// "ID"), as Ruby and PHP write it: the id, its quote (0 when bare) and
// the offset after it; ok is false when no well-formed id is there.
func (s *scanner) heredocID(p int) (id string, quote byte, end int, ok bool) {
	if p < len(s.src) && (s.src[p] == '\'' || s.src[p] == '"') {
		quote = s.src[p]
		p++
	}
	start := p
	for p < len(s.src) && isIdentPart(s.src[p]) {
		p++
	}
	id = string(s.src[start:p])
	if id == "" {
		return "", 0, p, false
	}
	if quote != 0 {
		if p >= len(s.src) || s.src[p] != quote {
			return "", 0, p, false
		}
		p++
	}
	return id, quote, p, true
}

// heredoc finds a heredoc's body, remembering ids that never end.
func (s *scanner) heredoc(start int, id string) (string, int, bool) {
	if s.unterminated["<<"+id] {
		return "", 0, false
	}
	body, end, ok := heredocBody(s.src, start, id)
	if !ok {
		s.remember("<<" + id)
	}
	return body, end, ok
}

func (s *scanner) remember(key string) {
	if s.unterminated == nil {
		s.unterminated = map[string]bool{}
	}
	s.unterminated[key] = true
}

// heredocBody finds the line holding only id (indented, followed by a
// non-identifier byte) from start on; the body is the lines before it,
// with the closing line's indentation removed from each.
func heredocBody(src []byte, start int, id string) (body string, end int, ok bool) {
	for ls := start; ls <= len(src); {
		le := bytes.IndexByte(src[ls:], '\n')
		lineEnd := len(src)
		if le >= 0 {
			lineEnd = ls + le
		}
		line := src[ls:lineEnd]
		trimmed := bytes.TrimLeft(line, " \t")
		if bytes.HasPrefix(trimmed, []byte(id)) && (len(trimmed) == len(id) || !isIdentPart(trimmed[len(id)])) {
			indent := string(line[:len(line)-len(trimmed)])
			lines := strings.Split(string(src[start:max(start, ls-1)]), "\n")
			if ls == start {
				lines = nil
			}
			for i, l := range lines {
				lines[i] = strings.TrimPrefix(strings.TrimSuffix(l, "\r"), indent)
			}
			return strings.Join(lines, "\n"), ls + len(line) - len(trimmed) + len(id), true
		}
		if le < 0 {
			return "", 0, false
		}
		ls = lineEnd + 1
	}
	return "", 0, false
}

// regexAllowed: a / starts a regular expression where an operand is
// expected, not after a value.
func (s *scanner) regexAllowed() bool {
	t := s.last()
	if t == nil {
		return true
	}
	switch t.Kind {
	case Number, String, Regex:
		return false
	case Ident:
		switch t.Text {
		case "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await":
			return true
		}
		return false
	case Punct:
		return t.Text != ")" && t.Text != "]" && t.Text != "}"
	}
	return true
}

// maxRegex bounds the search for a regular expression's end, so a line of
// divisions stays linear.
const maxRegex = 4096

func (s *scanner) regex() error {
	start := s.pos
	s.pos++
	inClass := false
	for s.pos < len(s.src) && s.pos-start < maxRegex {
		c := s.src[s.pos]
		switch {
		case c == '\\':
			s.pos += 2
			continue
		case c == '\n':
			// Not a regex after all (a division on a line we misread):
			// take the slash as punctuation.
			s.pos = start + 1
			s.emit(Punct, start, "/")
			return nil
		case c == '[':
			inClass = true
		case c == ']':
			inClass = false
		case c == '/' && !inClass:
			s.pos++
			for s.pos < len(s.src) && isIdentPart(s.src[s.pos]) {
				s.pos++
			}
			s.emit(Regex, start, string(s.src[start:s.pos]))
			return nil
		}
		s.pos++
	}
	s.pos = start + 1
	s.emit(Punct, start, "/")
	return nil
}

// template reads a JavaScript template literal; substitutions are skipped
// over, strings and nested templates in them included.
func (s *scanner) template() error {
	start := s.pos
	if s.unterminated["`"] {
		return s.fail(start, "unterminated template literal")
	}
	s.pos++
	var b strings.Builder
	interp := false
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '`':
			s.pos++
			s.emitString(start, b.String(), interp)
			return nil
		case c == '\\':
			s.escape(&b)
		case c == '$' && s.peek(1) == '{':
			interp = true
			s.pos += 2
			if err := s.skipBraces(1); err != nil {
				return err
			}
		default:
			b.WriteByte(c)
			s.pos++
		}
	}
	s.remember("`")
	return s.fail(start, "unterminated template literal")
}

// skipBraces skips an embedded expression up to its closing brace, depth
// counting the open ones, over strings, comments and nested templates.
func (s *scanner) skipBraces(depth int) error {
	start := s.pos
	nest := 0
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				s.pos++
				return nil
			}
		case c == '\'' || c == '"':
			if err := s.skipQuoted(c); err != nil {
				return err
			}
			continue
		case c == '`' && s.lang == JS:
			// A template inside a substitution: skip it the same way.
			nest++
			if nest > MaxDepth {
				return s.fail(s.pos, "templates nested too deeply")
			}
			s.pos++
			for s.pos < len(s.src) && s.src[s.pos] != '`' {
				if s.src[s.pos] == '\\' {
					s.pos++
				} else if s.src[s.pos] == '$' && s.peek(1) == '{' {
					s.pos += 2
					if err := s.skipBraces(1); err != nil {
						return err
					}
					continue
				}
				s.pos++
			}
			if s.pos >= len(s.src) {
				return s.fail(start, "unterminated template literal")
			}
		}
		s.pos++
	}
	return s.fail(start, "unterminated substitution")
}

// skipQuoted moves past a simple quoted string without decoding it.
func (s *scanner) skipQuoted(q byte) error {
	start := s.pos
	s.pos++
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case '\\':
			s.pos += 2
			continue
		case q:
			s.pos++
			return nil
		case '\n':
			return s.fail(start, "unterminated string")
		}
		s.pos++
	}
	return s.fail(start, "unterminated string")
}

// quoted reads a '…' or "…" literal in the current language's rules.
func (s *scanner) quoted(q byte) error {
	return s.quotedFrom(s.pos, q, false)
}

// quotedFrom reads the literal whose quote is at s.pos (prefixes such as
// C#'s $ start at start). interp forces the interpolation rules of the
// language's interpolated strings.
func (s *scanner) quotedFrom(start int, q byte, interp bool) error {
	open := s.pos
	if s.unterminated[string(q)] {
		return s.fail(open, "unterminated string")
	}
	s.pos++
	var b strings.Builder
	rawPHP := (s.lang == PHP || s.lang == Ruby) && q == '\''
	multiline := s.lang == PHP || s.lang == Ruby
	dynamic := false
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == q:
			s.pos++
			s.emitString(start, b.String(), dynamic)
			return nil
		case c == '\n' && !multiline:
			return s.fail(open, "unterminated string")
		case c == '\\' && rawPHP:
			if n := s.peek(1); n == '\'' || n == '\\' {
				b.WriteByte(n)
				s.pos += 2
			} else {
				b.WriteByte(c)
				s.pos++
			}
		case c == '\\':
			s.escape(&b)
		case interp && (c == '{' || c == '}') && s.peek(1) == c:
			b.WriteByte(c)
			s.pos += 2
		case interp && c == '{':
			dynamic = true
			s.pos++
			if err := s.skipBraces(1); err != nil {
				return err
			}
		case q == '"' && s.lang == PHP && c == '$' && (isIdentStart(s.peek(1)) || s.peek(1) == '{'),
			q == '"' && s.lang == PHP && c == '{' && s.peek(1) == '$':
			dynamic = true
			b.WriteByte(c)
			s.pos++
		case q == '"' && s.lang == Ruby && c == '#' && s.peek(1) == '{':
			dynamic = true
			s.pos += 2
			if err := s.skipBraces(1); err != nil {
				return err
			}
		default:
			b.WriteByte(c)
			s.pos++
		}
	}
	s.remember(string(q)) // every later one would read to the end too
	return s.fail(open, "unterminated string")
}

// triple reads a triple-quoted string: Python's (both quotes), Java's
// text blocks, C#'s raw strings (no escapes when raw), Groovy's.
func (s *scanner) triple(start int, delim string, raw, interp bool) error {
	open := s.pos
	if s.unterminated[delim] {
		return s.fail(open, "unterminated string")
	}
	s.pos += len(delim)
	var b strings.Builder
	dynamic := false
	for s.pos < len(s.src) {
		switch c := s.src[s.pos]; {
		case s.hasPrefix(delim):
			s.pos += len(delim)
			s.emitString(start, b.String(), dynamic)
			return nil
		case c == '\\' && !raw:
			s.escape(&b)
		case interp && c == '{':
			dynamic = true
			s.pos++
			if err := s.skipBraces(1); err != nil {
				return err
			}
		default:
			b.WriteByte(c)
			s.pos++
		}
	}
	s.remember(delim)
	return s.fail(open, "unterminated string")
}

// verbatim reads C#'s @"…" ("" is a quote), also $@"…" and @$"…".
func (s *scanner) verbatim() error {
	start := s.pos
	interp := false
	for s.src[s.pos] != '"' {
		interp = interp || s.src[s.pos] == '$'
		s.pos++
	}
	s.pos++
	var b strings.Builder
	dynamic := false
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == '"' && s.peek(1) == '"':
			b.WriteByte('"')
			s.pos += 2
		case c == '"':
			s.pos++
			s.emitString(start, b.String(), dynamic)
			return nil
		case interp && (c == '{' || c == '}') && s.peek(1) == c:
			b.WriteByte(c)
			s.pos += 2
		case interp && c == '{':
			dynamic = true
			s.pos++
			if err := s.skipBraces(1); err != nil {
				return err
			}
		default:
			b.WriteByte(c)
			s.pos++
		}
	}
	return s.fail(start, "unterminated string")
}

// escape decodes the backslash escape at s.pos into b.
func (s *scanner) escape(b *strings.Builder) {
	s.pos++ // the backslash
	if s.pos >= len(s.src) {
		b.WriteByte('\\')
		return
	}
	c := s.src[s.pos]
	s.pos++
	switch c {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case '0':
		b.WriteByte(0)
	case 'x':
		if r, ok := s.hex(2); ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('x')
		}
	case 'u':
		if s.peek(0) == '{' {
			end := bytes.IndexByte(s.src[s.pos:], '}')
			if end > 1 && end <= 7 {
				if r, ok := parseHex(s.src[s.pos+1 : s.pos+end]); ok {
					b.WriteRune(r)
					s.pos += end + 1
					return
				}
			}
			b.WriteByte('u')
			return
		}
		if r, ok := s.hex(4); ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('u')
		}
	case '\r':
		if s.peek(0) == '\n' { // a line continuation
			s.pos++
		}
	case '\n':
	default:
		b.WriteByte(c)
	}
}

func (s *scanner) hex(n int) (rune, bool) {
	if s.pos+n > len(s.src) {
		return 0, false
	}
	r, ok := parseHex(s.src[s.pos : s.pos+n])
	if ok {
		s.pos += n
	}
	return r, ok
}

func parseHex(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			r = r*16 + rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r*16 + rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r*16 + rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, len(b) > 0
}

func (s *scanner) number() {
	start := s.pos
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case isIdentPart(c) && c != '$':
			if (c == 'e' || c == 'E') && (s.peek(1) == '+' || s.peek(1) == '-') && !bytes.ContainsAny(s.src[start:s.pos], "xX") {
				s.pos++
			}
			s.pos++
		case c == '.' && isDigit(s.peek(1)):
			s.pos++
		default:
			s.emit(Number, start, string(s.src[start:s.pos]))
			return
		}
	}
	s.emit(Number, start, string(s.src[start:s.pos]))
}

func (s *scanner) identBytes() {
	for s.pos < len(s.src) && isIdentPart(s.src[s.pos]) {
		s.pos++
	}
}

func (s *scanner) ident() error {
	start := s.pos
	s.identBytes()
	word := string(s.src[start:s.pos])
	q := s.peek(0)
	if q == '"' || q == '\'' {
		switch s.lang {
		case Python:
			if isPyPrefix(word) {
				lower := strings.ToLower(word)
				raw, interp := strings.Contains(lower, "r"), strings.Contains(lower, "f")
				if s.peek(1) == q && s.peek(2) == q {
					return s.triple(start, string([]byte{q, q, q}), raw, interp)
				}
				return s.pyString(start, q, raw, interp)
			}
		case Go, JS, Java, CSharp, PHP, Ruby:
			// b'…' in PHP, u8"…" in C#: prefixes of the following string.
			if (s.lang == PHP && (word == "b" || word == "B")) || (s.lang == CSharp && word == "u8") {
				return s.quotedFrom(start, q, false)
			}
		}
	}
	if s.lang == Ruby && (q == '?' || q == '!') && s.peek(1) != '=' {
		s.pos++ // predicate and bang methods: empty?, save!
		word += string(q)
	}
	s.emit(Ident, start, word)
	return nil
}

func isPyPrefix(w string) bool {
	switch strings.ToLower(w) {
	case "r", "u", "b", "f", "br", "rb", "fr", "rf":
		return true
	}
	return false
}

// pyString reads a single-quoted Python string with its prefix's rules.
func (s *scanner) pyString(start int, q byte, raw, interp bool) error {
	open := s.pos
	s.pos++
	var b strings.Builder
	dynamic := false
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == q:
			s.pos++
			s.emitString(start, b.String(), dynamic)
			return nil
		case c == '\n':
			return s.fail(open, "unterminated string")
		case c == '\\' && raw:
			b.WriteByte(c)
			if s.pos+1 < len(s.src) {
				b.WriteByte(s.src[s.pos+1])
			}
			s.pos += 2
		case c == '\\':
			s.escape(&b)
		case interp && (c == '{' || c == '}') && s.peek(1) == c:
			b.WriteByte(c)
			s.pos += 2
		case interp && c == '{':
			dynamic = true
			s.pos++
			if err := s.skipBraces(1); err != nil {
				return err
			}
		default:
			b.WriteByte(c)
			s.pos++
		}
	}
	return s.fail(open, "unterminated string")
}

// puncts are the multi-byte operators, longest first.
var puncts = []string{
	"<=>", "===", "!==", "**=", "...", "<<=", ">>=", "??=", "?->", "||=", "&&=",
	"=>", "->", "::", ":=", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", "**", "..",
}

func (s *scanner) punct() {
	start := s.pos
	for _, p := range puncts {
		if s.hasPrefix(p) {
			s.pos += len(p)
			s.emit(Punct, start, p)
			return
		}
	}
	s.pos++
	s.emit(Punct, start, string(s.src[start:s.pos]))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$' || c >= 0x80
}

func isIdentPart(c byte) bool { return isIdentStart(c) || isDigit(c) }
