package probes

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/baseline"
	"github.com/audit-tool/audit/pack"
)

func inlineEntry(attrs map[string]cty.Value) cty.Value {
	if _, ok := attrs["reason"]; !ok {
		attrs["reason"] = cty.StringVal("per-request state")
	}
	return cty.ObjectVal(attrs)
}

func TestInlineEntriesRefused(t *testing.T) {
	tests := []struct {
		name  string
		entry map[string]cty.Value
		want  string
	}{
		{"which inline script", map[string]cty.Value{"script": cty.StringVal("inline")}, "say which inline script"},
		{"a bad id", map[string]cty.Value{"script": cty.StringVal("inline#a b")}, "name an inline script as inline#ID"},
		{"a bad attribute", map[string]cty.Value{"script": cty.StringVal("inline[class=x]")}, "name an inline script as inline#ID"},
		{"an undeclared part", map[string]cty.Value{"script": cty.StringVal("inline"), "code": cty.StringVal("x = '{{t}}';")}, "{{t}} is not declared in parts"},
		{"an unused part", map[string]cty.Value{
			"script": cty.StringVal("inline"), "code": cty.StringVal("x = '{{t}}';"),
			"parts": cty.ObjectVal(map[string]cty.Value{"t": cty.StringVal("[0-9]+"), "u": cty.StringVal("[0-9]+")}),
		}, "part u is not used in code"},
		{"a bad pattern", map[string]cty.Value{
			"script": cty.StringVal("inline"), "code": cty.StringVal("x = '{{t}}';"),
			"parts": cty.ObjectVal(map[string]cty.Value{"t": cty.StringVal("[0-9")}),
		}, "part t: error parsing regexp"},
		{"parts without code", map[string]cty.Value{
			"script": cty.StringVal("inline#s"), "parts": cty.ObjectVal(map[string]cty.Value{"t": cty.StringVal("x")}),
		}, "give code too"},
		{"code on an external script", map[string]cty.Value{"script": cty.StringVal("/assets/app.js"), "code": cty.StringVal("x()")}, "code is for inline scripts"},
		{"code and dynamic", map[string]cty.Value{
			"script": cty.StringVal("inline#s"), "code": cty.StringVal("x()"), "dynamic": cty.True,
		}, "dynamic = true would accept any code"},
		{"integrity on inline", map[string]cty.Value{"script": cty.StringVal("inline#s"), "integrity": cty.StringVal("sha384-x")}, "no integrity attribute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseAllowlist(cty.TupleVal([]cty.Value{inlineEntry(tt.entry)}))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "entry 0")
		})
	}
}

// TestInlineEntriesMatch reads a page statically and authorises its
// inline scripts by attribute and by code with variable parts.
func TestInlineEntriesMatch(t *testing.T) {
	const page = `<!doctype html><html><body>
<script id="state">window.csrf = "0123456789abcdef";</script>
<script data-role="cart">window.cart = {n: 3};</script>
<script data-role="other">window.other = 1;</script>
<script>
  window.order = 1042; window.at = "2026-12-01T10:00:00Z";
</script>
<script>window.order = 1043; fetch("https://x.example/c");</script>
<script>window.order = 1044; window.at = "x\"; fetch(\"//x.example\"); \"";</script>
<script>window.untouched = true;</script>
</body></html>`
	tests := []struct {
		name  string
		entry map[string]cty.Value
		want  []bool // per inline script, in page order
	}{
		{"by id", map[string]cty.Value{"script": cty.StringVal("inline#state"), "dynamic": cty.True},
			[]bool{true, false, false, false, false, false, false}},
		{"by a data attribute's value", map[string]cty.Value{"script": cty.StringVal(`inline[data-role="cart"]`)},
			[]bool{false, true, false, false, false, false, false}},
		{"by a data attribute on two scripts: neither", map[string]cty.Value{"script": cty.StringVal("inline[data-role]"), "dynamic": cty.True},
			[]bool{false, false, false, false, false, false, false}},
		{"by code with variable parts", map[string]cty.Value{
			"script": cty.StringVal("inline"),
			"code":   cty.StringVal(`window.order = {{order}}; window.at = "{{at}}";`),
			"parts":  cty.ObjectVal(map[string]cty.Value{"order": cty.StringVal("[0-9]{1,10}"), "at": cty.StringVal(".*")}),
		}, []bool{false, false, false, true, false, false, false}},
		{"by id and code", map[string]cty.Value{
			"script": cty.StringVal("inline#state"),
			"code":   cty.StringVal(`window.csrf = "{{t}}";`),
			"parts":  cty.ObjectVal(map[string]cty.Value{"t": cty.StringVal("[0-9a-f]{16}")}),
		}, []bool{true, false, false, false, false, false, false}},
		{"by code that does not fit", map[string]cty.Value{
			"script": cty.StringVal("inline#state"),
			"code":   cty.StringVal(`window.csrf = "{{t}}";`),
			"parts":  cty.ObjectVal(map[string]cty.Value{"t": cty.StringVal("[0-9]{16}")}),
		}, []bool{false, false, false, false, false, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allow, err := parseAllowlist(cty.TupleVal([]cty.Value{inlineEntry(tt.entry)}))
			require.NoError(t, err)
			s, err := scanPage(pack.Builtin(), []byte(page), nil)
			require.NoError(t, err)
			final := &url.URL{Scheme: "https", Host: "shop.example", Path: "/checkout"}
			s.authorise(allow, final)
			var got []bool
			for _, sc := range s.scripts {
				if sc.inline {
					got = append(got, sc.authorised)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestInlineChangePaired: with an entry naming the inline script, its new
// code is one script_changed with the diff, not a new script; unlisted,
// an inline script with an id is paired too but stays unauthorised.
func TestInlineChangePaired(t *testing.T) {
	page := func(token, other string) *pageScan {
		s, err := scanPage(pack.Builtin(), []byte(`<html><body><script id="state">window.csrf = "`+token+`";</script>
<script id="misc">`+other+`</script></body></html>`), nil)
		require.NoError(t, err)
		return s
	}
	allow, err := parseAllowlist(cty.TupleVal([]cty.Value{inlineEntry(map[string]cty.Value{
		"script": cty.StringVal("inline#state"), "dynamic": cty.True,
	})}))
	require.NoError(t, err)
	final := &url.URL{Scheme: "https", Host: "shop.example", Path: "/checkout"}
	store := &memBaselines{}
	env := &Env{Baselines: store, Now: func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) }}
	first := page("aaaa1111", "window.x = 1;")
	first.authorise(allow, final)
	tr, err := first.track(t.Context(), env, "p", pageFetch{}, allow)
	require.NoError(t, err)
	require.True(t, tr.recorded)

	next := page("bbbb2222", "window.x = 2; fetch('//x.example');")
	next.authorise(allow, final)
	tr, err = next.track(t.Context(), env, "p", pageFetch{}, allow)
	require.NoError(t, err)
	require.Len(t, tr.changes, 2, "%+v", tr.changes)
	st := tr.changes[0]
	assert.Equal(t, "script_changed", st.Kind)
	assert.Equal(t, "inline#state (line 1)", st.Item)
	assert.Contains(t, st.Detail, `window.csrf = "[aaaa1111 → bbbb2222]";`)
	assert.True(t, st.authorised)
	assert.Contains(t, st.reason, "(allowlist: dynamic)")
	misc := tr.changes[1]
	assert.Equal(t, "script_changed", misc.Kind)
	assert.Equal(t, "inline#misc (line 2)", misc.Item)
	assert.Contains(t, misc.Detail, "window.x = [1 → 2; fetch('//x.example')];")
	assert.False(t, misc.authorised)
}

func TestTextDiff(t *testing.T) {
	tests := []struct{ old, cur, want string }{
		{"a = 1;", "a = 1;", "no change in the code"},
		{`x = {csrf: "ab12", n: 7};`, `x = {csrf: "cd34", n: 8};`, `x = {csrf: "[ab12 → cd34]", n: 7}; … …srf: "ab12", n: [7 → 8]};`},
		{"f();", "f(); g();", "f();[ →  g();]"},
		{"window.cart = {total: 42};\nrender();", "render();", "[window.cart = {total: 42};  → ]render();"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, textDiff(tt.old, tt.cur), "%q → %q", tt.old, tt.cur)
	}
}

// memBaselines keeps records in memory.
type memBaselines struct{ pages map[string]baseline.Page }

func (m *memBaselines) Page(_ context.Context, source string) (baseline.Page, bool, error) {
	p, ok := m.pages[source]
	return p, ok, nil
}

func (m *memBaselines) Record(_ context.Context, source string, p baseline.Page) error {
	if m.pages == nil {
		m.pages = map[string]baseline.Page{}
	}
	m.pages[source] = p
	return nil
}

func (m *memBaselines) String() string { return "memory" }

// TestRecordTextBounded: a page that runs many large inline scripts keeps
// the code of as many as fit in baseline.MaxPageText, the rest by hash:
// the record stays readable by baseline.Load.
func TestRecordTextBounded(t *testing.T) {
	s := &pageScan{}
	for i := range 40 {
		body := strings.Repeat(string(rune('a'+i%26)), 60<<10)
		s.scripts = append(s.scripts, pageScript{inline: true, body: []byte(body)})
	}
	s.scripts = append(s.scripts, pageScript{inline: true, body: make([]byte, baseline.MaxText+1)})
	rec := s.record(pageFetch{})
	require.Len(t, rec.Scripts, 41)
	kept, total := 0, 0
	for _, sc := range rec.Scripts {
		assert.NotEmpty(t, sc.SHA256, "every script keeps its hash")
		if sc.Text != "" {
			kept++
			total += len(sc.Text)
		}
	}
	assert.Equal(t, baseline.MaxPageText/(60<<10), kept)
	assert.LessOrEqual(t, total, baseline.MaxPageText)
	assert.Empty(t, rec.Scripts[40].Text, "longer than MaxText: by hash only")
}
