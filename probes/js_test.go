package probes

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

var jsTestWanted = []jsWanted{
	{provider: "p", name: "button", callee: "amazon.Pay.renderButton", options: 1},
	{provider: "p", name: "init", callee: "amazon.Pay.initCheckout", options: 0},
}

// TestJSSandbox is every way issue 13 lists of writing the button's
// sandbox option, and what the reader must make of it.
func TestJSSandbox(t *testing.T) {
	const undecided = "undecided"
	cases := []struct {
		name, src string
		want      string // "true", "false", undecided, or "none" (no call read)
	}{
		{"literal true", `amazon.Pay.renderButton('#b', {sandbox: true});`, "true"},
		{"literal false", `amazon.Pay.renderButton('#b', {sandbox: false});`, "false"},
		{"commented-out call loses", "// amazon.Pay.renderButton('#b', {sandbox: true});\namazon.Pay.renderButton('#b', {sandbox: false});", "false"},
		{"block comment", "/* amazon.Pay.renderButton('#b', {sandbox:true}) */", "none"},
		{"minified !0", `amazon.Pay.renderButton("#b",{sandbox:!0,merchantId:"A1"})`, "true"},
		{"!!1", `amazon.Pay.renderButton("#b",{sandbox:!!1})`, "true"},
		{"number 1", `amazon.Pay.renderButton("#b",{sandbox:1})`, "true"},
		{"number 0", `amazon.Pay.renderButton("#b",{sandbox:0})`, "false"},
		{"string 'true'", `amazon.Pay.renderButton("#b",{sandbox:'true'})`, "true"},
		{"string 'false' is truthy", `amazon.Pay.renderButton("#b",{sandbox:'false'})`, "true"},
		{"empty string", `amazon.Pay.renderButton("#b",{sandbox:''})`, "false"},
		{"parenthesised", `amazon.Pay.renderButton("#b",{sandbox:(true)})`, "true"},
		{"!false", `amazon.Pay.renderButton("#b",{sandbox:!false})`, "true"},
		{"!1", `amazon.Pay.renderButton("#b",{sandbox:!1})`, "false"},
		{"Boolean(1)", `amazon.Pay.renderButton("#b",{sandbox:Boolean(1)})`, "true"},
		{"Boolean(0)", `amazon.Pay.renderButton("#b",{sandbox:Boolean(0)})`, "false"},
		{"void 0", `amazon.Pay.renderButton("#b",{sandbox:void 0})`, "false"},
		{"constant ternary", `amazon.Pay.renderButton("#b",{sandbox: 1 ? true : false})`, "true"},
		{"options in a const", "const opts = {merchantId: 'A1', sandbox: true};\namazon.Pay.renderButton('#b', opts);", "true"},
		{"flag in a var", "var isSandbox = !0;\namazon.Pay.renderButton('#b', {sandbox: isSandbox});", "true"},
		{"shorthand property", "let sandbox = false;\namazon.Pay.renderButton('#b', {sandbox});", "false"},
		{"reassigned variable", "var s = false; s = window.flag;\namazon.Pay.renderButton('#b', {sandbox: s});", undecided},
		{"window.X", `amazon.Pay.renderButton("#b",{sandbox: window.APAY_SANDBOX})`, undecided},
		{"a call", `amazon.Pay.renderButton("#b",{sandbox: isSandbox()})`, undecided},
		{"unknown variable", `amazon.Pay.renderButton("#b",{sandbox: cfg.sandbox})`, undecided},
		{"spread may set it", `amazon.Pay.renderButton("#b",{...window.apayConfig, merchantId: "A1"})`, undecided},
		{"spread before, literal after", `amazon.Pay.renderButton("#b",{...window.apayConfig, sandbox: false})`, "false"},
		{"spread of a known object", "const base = {sandbox: true};\namazon.Pay.renderButton('#b', {...base, merchantId: 'A1'});", "true"},
		{"options object from a call", `amazon.Pay.renderButton("#b", buildOptions())`, undecided},
		{"regex literal does not confuse", "var re = /a,b}/g; var x = \"}\";\namazon.Pay.renderButton('#b', {sandbox: false, note: re.source});", "false"},
		{"window.amazon", `window.amazon.Pay.renderButton("#b",{sandbox:true})`, "true"},
		{"initCheckout options first", `amazon.Pay.initCheckout({sandbox: true})`, "true"},
		{"template literal", "amazon.Pay.renderButton(`#b`, {sandbox: `true`})", "true"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			calls, jerr := jsFindCalls(jsScript{src: tc.src, line: 1}, jsTestWanted)
			require.Nil(t, jerr)
			if tc.want == "none" {
				assert.Empty(t, calls)
				return
			}
			require.NotEmpty(t, calls)
			last := calls[len(calls)-1]
			b, known := last.options.field("sandbox").truth()
			switch {
			case tc.want == undecided:
				assert.False(t, known, "sandbox must be undecided, got %v", b)
			default:
				require.True(t, known, "sandbox must be decided")
				assert.Equal(t, tc.want == "true", b)
			}
		})
	}
}

func TestJSOptionsAndLines(t *testing.T) {
	js := "const payload = JSON.stringify({a: 1});\n" +
		"amazon.Pay.renderButton('#AmazonPayButton', {\n" +
		"  merchantId: 'A2AUDIT',\n" +
		"  ledgerCurrency: 'EUR',\n" +
		"  createCheckoutSessionConfig: {payloadJSON: '{\"x\":1}', signature: window.sig},\n" +
		"  amount: -4.5, list: [1, 'two', null],\n" +
		"  sandbox: true,\n" +
		"});\n"
	calls, jerr := jsFindCalls(jsScript{src: js, line: 10}, jsTestWanted)
	require.Nil(t, jerr)
	require.Len(t, calls, 1)
	c := calls[0]
	assert.Equal(t, 11, c.line)
	assert.Equal(t, 16, c.options.field("sandbox").line)
	assert.Equal(t, "A2AUDIT", c.options.field("merchantId").str())
	got := c.options.cty()
	assert.Equal(t, "window.sig", got.GetAttr("createCheckoutSessionConfig").GetAttr("signature").AsString())
	assert.True(t, got.GetAttr("amount").RawEquals(cty.NumberFloatVal(-4.5)))
	assert.Equal(t, 3, got.GetAttr("list").LengthInt())
	assert.Equal(t, []string{"merchantId", "ledgerCurrency", "createCheckoutSessionConfig", "amount", "list", "sandbox"}, c.options.keys)
}

func TestJSSyntaxError(t *testing.T) {
	_, jerr := jsFindCalls(jsScript{src: "x = 1;\namazon.Pay.renderButton('#b', {sandbox: true", line: 5}, jsTestWanted)
	require.NotNil(t, jerr)
	assert.Equal(t, 6, jerr.line)
	// A script that names no wanted call is not parsed at all.
	calls, jerr := jsFindCalls(jsScript{src: "this is {{ not JavaScript", line: 1}, jsTestWanted)
	assert.Nil(t, jerr)
	assert.Empty(t, calls)
}

func FuzzJS(f *testing.F) {
	for _, s := range []string{
		`amazon.Pay.renderButton('#b', {sandbox: !0, ...x, [k]: 1, a: [1,,2], b: ` + "`t${v}`" + `})`,
		"var o = {sandbox: true}; var o2 = o; amazon.Pay.initCheckout(o2)",
		"amazon.Pay.renderButton('#b', {a: /a,b}/g, b: void 0, c: 1 ? 2 : 3, d: 'x' + 1})",
		"var a = b; var b = a; amazon.Pay.initCheckout({sandbox: a})",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		calls, jerr := jsFindCalls(jsScript{src: src, line: 1}, jsTestWanted)
		if jerr != nil {
			require.GreaterOrEqual(t, jerr.line, 1)
			return
		}
		for _, c := range calls {
			require.GreaterOrEqual(t, c.line, 1)
			_ = c.options.cty() // never panics, whatever the shape
		}
	})
}
