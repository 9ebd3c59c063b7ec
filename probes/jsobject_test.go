package probes

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

func TestJSObject(t *testing.T) {
	tests := []struct {
		name, src string
		want      cty.Value
		consumed  int // 0: the whole input
	}{
		{"empty", "{}", cty.EmptyObjectVal, 0},
		{"quotes and unquoted keys", `{a: 'x', "b": "y", 'c': 1, $d_1: -2.5e3}`, cty.ObjectVal(map[string]cty.Value{
			"a": cty.StringVal("x"), "b": cty.StringVal("y"), "c": cty.NumberIntVal(1), "$d_1": cty.NumberFloatVal(-2500),
		}), 0},
		{"trailing commas, comments, nesting", "{ // options\n a: [1, 'two', {b: null,},], /* c */ c: {d: true, e: false,}, }",
			cty.ObjectVal(map[string]cty.Value{
				"a": cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.StringVal("two"),
					cty.ObjectVal(map[string]cty.Value{"b": cty.NullVal(cty.DynamicPseudoType)})}),
				"c": cty.ObjectVal(map[string]cty.Value{"d": cty.True, "e": cty.False}),
			}), 0},
		{"escapes", `{s: 'it\'s \"x\" \u00e9\x41\u{1F600}\n'}`, cty.ObjectVal(map[string]cty.Value{
			"s": cty.StringVal("it's \"x\" éA😀\n"),
		}), 0},
		{"expressions stay raw", "{a: cfg.id, b: 'x' + y, c: f({q: 1}, [2]), d: `t${v}`, e: () => { return 1; }, f: -x}",
			cty.ObjectVal(map[string]cty.Value{
				"a": cty.StringVal("cfg.id"), "b": cty.StringVal("'x' + y"), "c": cty.StringVal("f({q: 1}, [2])"),
				"d": cty.StringVal("`t${v}`"), "e": cty.StringVal("() => { return 1; }"), "f": cty.StringVal("-x"),
			}), 0},
		{"template without substitution", "{a: `plain`}", cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("plain")}), 0},
		{"shorthand, spread, computed", "{merchantId, ...base, [k]: 1}", cty.ObjectVal(map[string]cty.Value{
			"merchantId": cty.StringVal("merchantId"), "...base": cty.StringVal("...base"), "[k]": cty.NumberIntVal(1),
		}), 0},
		{"last duplicate wins", "{a: 1, a: 2}", cty.ObjectVal(map[string]cty.Value{"a": cty.NumberIntVal(2)}), 0},
		{"hex kept as written", "{n: 0x1F, m: 10_000}", cty.ObjectVal(map[string]cty.Value{
			"n": cty.StringVal("0x1F"), "m": cty.NumberIntVal(10000),
		}), 0},
		{"stops after the object", "{a: 1}); more()", cty.ObjectVal(map[string]cty.Value{"a": cty.NumberIntVal(1)}), 6},
		{"undefined and holes", "{u: undefined, h: [1,,2]}", cty.ObjectVal(map[string]cty.Value{
			"u": cty.NullVal(cty.DynamicPseudoType),
			"h": cty.TupleVal([]cty.Value{cty.NumberIntVal(1), cty.NullVal(cty.DynamicPseudoType), cty.NumberIntVal(2)}),
		}), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, n, err := parseJSObject(tt.src)
			require.NoError(t, err)
			got := v.cty()
			assert.True(t, got.RawEquals(tt.want), "got %s", got.GoString())
			want := tt.consumed
			if want == 0 {
				want = len(tt.src)
			}
			assert.Equal(t, want, n)
		})
	}
}

func TestJSObjectErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"not an object", "opts", "want an object literal"},
		{"unterminated", "{a: 1", "unexpected end"},
		{"unterminated string", "{a: 'x}", "unexpected end"},
		{"newline in string", "{a: 'x\n'}", "newline in string"},
		{"missing colon", "{a 1}", "want ':'"},
		{"bracket mismatch", "{a: [1}", "want ',' or ']'"},
		{"stray bracket", "{a: 1]", "want ',' or '}'"},
		{"unbalanced", "{a: f(]}", "unbalanced"},
		{"too deep", "{a:" + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}", "nested deeper"},
		{"bad key", "{: 1}", "want a property name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := parseJSObject(tt.src)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func FuzzJSObject(f *testing.F) {
	for _, s := range []string{
		"{}", `{a: 'x', "b": [1, 2, {c: null}], d: f(1), e: ` + "`t${x}`" + `}`,
		"{a: 0x1F, b: -1.5e-3, /* c */ d: true, // e\n}", "{...x, [k]: v, s}", `{s: '\u{1F600}\x4'}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		v, n, err := parseJSObject(src)
		require.True(t, n >= 0 && n <= len(src), "consumed %d of %d", n, len(src))
		if err != nil {
			return
		}
		require.Equal(t, jsObject, v.kind)
		got := v.cty() // must not panic
		require.True(t, got.Type().IsObjectType())
		// Parsing what was consumed again gives the same value.
		again, m, err := parseJSObject(src[:n])
		require.NoError(t, err)
		require.Equal(t, n, m)
		require.True(t, again.cty().RawEquals(got))
		for _, k := range v.keys {
			v.fields[k].truth() // must not panic
		}
	})
}

func TestJSTruth(t *testing.T) {
	tests := []struct {
		src          string
		value, known bool
	}{
		{"true", true, true}, {"false", false, true},
		{"Boolean(1)", true, true}, {"Boolean(0)", false, true}, {"Boolean('')", false, true},
		{"Boolean('0')", true, true}, {"Boolean()", false, true}, {"!0", true, true}, {"!!1", true, true},
		{"!1", false, true}, {"(1)", true, true}, {"0x0", false, true}, {"1.5", true, true},
		{"undefined", false, true}, {"null", false, true}, {"'false'", true, true},
		{"isSandbox", false, false}, {"Boolean(<!--{$smarty.env.AMAZONPAY_SANDBOX|h}-->)", false, false},
		{"env === 'sandbox'", false, false}, {"(a) && (b)", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			v, _, err := parseJSObject("{sandbox: " + tt.src + "}")
			require.NoError(t, err)
			value, known := v.field("sandbox").truth()
			assert.Equal(t, tt.known, known)
			if known {
				assert.Equal(t, tt.value, value)
			}
		})
	}
}
