package lexer

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// strs lists the string tokens' values, "!" marking interpolated ones.
func strs(toks []Token) []string {
	var out []string
	for _, t := range toks {
		if t.Kind == String {
			v := t.Text
			if t.Interp {
				v += "!"
			}
			out = append(out, v)
		}
	}
	return out
}

func idents(toks []Token) string {
	var out []string
	for _, t := range toks {
		if t.Kind == Ident || t.Kind == Symbol {
			out = append(out, t.Text)
		}
	}
	return strings.Join(out, " ")
}

func TestTokenizeStringsAndComments(t *testing.T) {
	tests := []struct {
		lang    Lang
		src     string
		strings []string
		idents  string
	}{
		{JS, "const a = 'x\\'y' // sandbox: true\n/* environment: 'test' */ b = \"\\u00e9\\x41\\n\"", []string{"x'y", "éA\n"}, "const a b"},
		{JS, "t = `live ${env === 'test' ? `a${b}` : \"c\"} end`; u = `plain`", []string{"live  end!", "plain"}, "t u"},
		{JS, "x = a / b / c; r = /['\"]/g; s = 'after'", []string{"after"}, "x a b c r s"},
		{JS, "<!-- sandbox: true -->\nconst ok = 1", nil, "const ok"},
		{PHP, "<html>'not code'</html><?php\n$c = ['sandbox' => true]; # comment 'x'\n// 'y'\n?>\n<p>'html'</p><?= \"v$x\" ?>", []string{"sandbox", "v$x!"}, "$c true"},
		{PHP, "<?php $a = 'it\\'s \\n raw'; $b = \"tab\\t\";", []string{"it's \\n raw", "tab\t"}, "$a $b"},
		{PHP, "<?php\n$h = <<<EOT\n    live\n      mode\n    EOT;\n$n = <<<'NOW'\n$raw\nNOW;\n$x = 1;", []string{"live\n  mode", "$raw"}, "$h $n $x"},
		{Java, "String s = \"\"\"\n  a \"b\"\n  \"\"\"; char c = 'x'; // Environment.LIVE\nEnvironment.TEST", []string{"\n  a \"b\"\n  ", "x"}, "String s char c Environment TEST"},
		{CSharp, "var a = @\"C:\\path \"\"q\"\"\"; var b = $\"{env} x {{y}}\"; var c = \"\"\"raw \\n\"\"\";\n#region r\nvar d = $@\"{x}\";", []string{"C:\\path \"q\"", " x {y}!", "raw \\n", "!"}, "var a var b var c var d"},
		{Python, "a = 'x'  # sandbox = True\nb = r'\\d' + f\"{env}s\" + b'by' + '''tri\nple''' + f'{{lit}}'", []string{"x", "\\d", "s!", "by", "tri\nple", "{lit}"}, "a b"},
		{Ruby, "a = :sandbox # :live\nb = { environment: :test, 'x' => \"v#{y}\" }\nc = %w(a b) ; d = ?z\n=begin\nsandbox: true\n=end\ne = 'q\\n'", []string{"x", "v!", "a b", "z", "q\\n"}, "a sandbox b environment test c d e"},
		{Ruby, "x = <<~EOS.strip\n  body #{1}\nEOS\ny = 2 << 3\nok = empty? && save!", []string{"  body #{1}!"}, "x strip y ok empty? save!"},
		{Go, "s := `raw\\n` // c\nr := 'x'\nt := \"a\\tb\"", []string{"raw\\n", "x", "a\tb"}, "s r t"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang)+" "+strings.SplitN(tt.src, "\n", 2)[0], func(t *testing.T) {
			toks, err := Tokenize(tt.lang, []byte(tt.src))
			require.NoError(t, err)
			assert.Equal(t, tt.strings, strs(toks))
			assert.Equal(t, tt.idents, idents(toks))
		})
	}
}

func TestTokenPositions(t *testing.T) {
	src := "// head\nconst cfg = {\n  environment: \"test\",\n};"
	toks, err := Tokenize(JS, []byte(src))
	require.NoError(t, err)
	var env Token
	for _, tok := range toks {
		if tok.Kind == String {
			env = tok
		}
	}
	assert.Equal(t, Token{Kind: String, Text: "test", Off: strings.Index(src, `"test"`), Line: 3, Col: 16}, env)
}

func TestTokenizeErrorsAndRecovery(t *testing.T) {
	// An apostrophe in JSX text is not a string: the rest of the file is
	// still read, and the error says where it began.
	toks, err := Tokenize(JS, []byte("const p = <p>Don't</p>;\nconst env = 'live';"))
	var le *Error
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 1, le.Line)
	assert.Equal(t, 17, le.Col)
	assert.Contains(t, strs(toks), "live")

	for _, tc := range []struct {
		lang Lang
		src  string
		msg  string
	}{
		{JS, "a = /* open", "1:5: unterminated comment"},
		{JS, "a = `open ${x}", "1:5: unterminated template literal"},
		{PHP, "<?php $a = \"open", "1:12: unterminated string"},
		{Python, "a = '''open", "1:5: unterminated string"},
		{Ruby, "=begin\nopen", "1:1: unterminated =begin comment"},
		{PHP, "<?php $a = <<<EOT\nno end", "1:12: unterminated heredoc"},
	} {
		_, err := Tokenize(tc.lang, []byte(tc.src))
		require.Error(t, err, tc.src)
		assert.Equal(t, tc.msg, err.Error(), tc.src)
	}
}

func TestBlank(t *testing.T) {
	src := "a = 1 // sandbox: true\n/* x\n y */ b = '// kept'\n"
	got := Blank(JS, []byte(src))
	assert.Equal(t, "a = 1                 \n    \n      b = '// kept'\n", string(got))
	assert.Equal(t, "a = 1\n      \n    ", string(Blank(Ruby, []byte("a = 1\n=begin\n=end"))))
	assert.Equal(t, "x = 1       \ny", string(Blank(Python, []byte("x = 1 # note\ny"))))
}

func TestForFile(t *testing.T) {
	for name, want := range map[string]Lang{
		"src/app.ts": JS, "a/B.JAVA": Java, "build.gradle": Java, "Program.cs": CSharp, "config.php": PHP,
		"settings.py": Python, "Gemfile": Ruby, "config/initializers/pay.rb": Ruby, "main.go": Go, `C:\x\y.mjs`: JS,
	} {
		l, ok := ForFile(name)
		assert.True(t, ok, name)
		assert.Equal(t, want, l, name)
	}
	_, ok := ForFile("README.md")
	assert.False(t, ok)
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"a = 'x' // c", "<?php $a = ['k' => <<<E\nv\nE];", "t = `${`${x}`}`", "x = %w(a b) <<~E\nb\nE", "@\"\"\"q\"", "r'\\'"} {
		f.Add(s, uint8(0))
	}
	langs := []Lang{JS, PHP, Java, CSharp, Python, Ruby, Go}
	f.Fuzz(func(t *testing.T, src string, l uint8) {
		lang := langs[int(l)%len(langs)]
		toks, _ := Tokenize(lang, []byte(src))
		prev := -1
		for _, tok := range toks {
			if tok.Off <= prev || tok.Off >= len(src) {
				t.Fatalf("%s: token %+v out of order after %d in %q", lang, tok, prev, src)
			}
			if tok.Line < 1 || tok.Col < 1 {
				t.Fatalf("%s: bad position %+v", lang, tok)
			}
			prev = tok.Off
		}
		b := Blank(lang, []byte(src))
		if len(b) != len(src) || bytes.Count(b, []byte("\n")) != strings.Count(src, "\n") {
			t.Fatalf("%s: Blank changed the layout of %q: %q", lang, src, b)
		}
		_ = Settings(lang, toks)
	})
}

func ExampleSettings() {
	src := []byte(`<?php
return [
    'amazon_pay' => [
        'sandbox'    => true, // 'sandbox' => false
        'region'     => 'eu',
        'currencies' => ['EUR', 'CHF'],
    ],
];
define('AMAZON_PAY_ENV', "live");`)
	toks, _ := Tokenize(PHP, src)
	for _, s := range Settings(PHP, toks) {
		fmt.Printf("%d %s = %s\n", s.Line, s.Key, s.Value)
	}
	// Output:
	// 4 amazon_pay.sandbox = true
	// 5 amazon_pay.region = eu
	// 6 amazon_pay.currencies.0 = EUR
	// 6 amazon_pay.currencies.1 = CHF
	// 9 AMAZON_PAY_ENV = live
}
