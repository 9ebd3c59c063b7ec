package checklist_test

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/policies"
	"github.com/audit-tool/audit/probes"
)

var update = flag.Bool("update", false, "rewrite golden files")

func newLoader(t *testing.T) *checklist.Loader {
	t.Helper()
	lib, err := checklist.NewLibrary(checklist.Builtins(), policies.Builtins())
	require.NoError(t, err)
	return &checklist.Loader{
		Parser:   checklist.NewParser(),
		Library:  lib,
		Registry: probes.Default(),
		Now:      func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) },
	}
}

// TestDiagnosticsGolden checks what `audit validate` prints for each kind of
// mistake: file:line:col, the snippet, summary and detail.
func TestDiagnosticsGolden(t *testing.T) {
	cases := []struct {
		name    string
		req     checklist.Request
		summary []string // summaries that must appear
	}{
		{"syntax_error", checklistReq("syntax_error.hcl"), []string{"Invalid expression"}},
		{"unknown_attribute", checklistReq("unknown_attribute.hcl"), []string{"Unsupported argument"}},
		{"duplicate_step", checklistReq("duplicate_step.hcl"), []string{"Duplicate step"}},
		{"dangling_probe", checklistReq("dangling_probe.hcl"), []string{"Reference to undeclared probe"}},
		{"unknown_kind", checklistReq("unknown_kind.hcl"), []string{"Unknown probe kind"}},
		{"wrong_types", checklistReq("wrong_types.hcl"), []string{"Incorrect attribute value type", "Invalid severity", "Invalid assert condition"}},
		{"misspelt_fact", checklistReq("misspelt_fact.hcl"), []string{"Unsupported attribute"}},
		{"bad_settings", checklistReq("bad_settings.hcl"), []string{"Invalid http probe"}},
		{"include_clash", checklistReq("include_clash.hcl"), []string{"Unknown fragment", "Duplicate variable", "included fragment"}},
		{"unknown_provider", checklistReq("unknown_provider.hcl"), []string{"Reference to an unknown provider pack", "Did you mean provider[\"stripe\"]"}},
		{"when_uses_probe", checklistReq("when_uses_probe.hcl"), []string{"Invalid reference", "Cycle in local values"}},
		{"checkable_wrong", checklistReq("checkable_wrong.hcl"), []string{"checkable is decided before probes run"}},
		{"checkable_type", checklistReq("checkable_type.hcl"), []string{"Invalid checkable condition"}},
		{"allowlist_blocks", checklist.Request{Integration: "testdata/diags/allowlist_blocks/audit.hcl"},
			[]string{"Unsupported block type", "Wrong number of labels", "Duplicate script", "reason is empty", "wildcards are not accepted"}},
		{"misspelt_use", checklist.Request{Integration: "testdata/diags/misspelt_use/audit.hcl"},
			[]string{"Unsupported argument", "Invalid date", "Unknown step in waiver", "Did you mean \"region\""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := newLoader(t)
			_, diags := l.Load(tc.req)
			require.True(t, diags.HasErrors(), "expected errors")
			for _, d := range diags {
				if d.Severity == hcl.DiagError {
					require.NotNil(t, d.Subject, "every error points at the source: %s", d.Summary)
				}
			}
			var buf bytes.Buffer
			require.NoError(t, l.Parser.WriteDiagnostics(&buf, diags, 0, false))
			got := buf.String()
			for _, s := range tc.summary {
				assert.Contains(t, got, s)
			}
			golden := filepath.Join("testdata", "diags", tc.name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./checklist -update")
			assert.Equal(t, string(want), got)
		})
	}
}

// TestUseBlocks: a list variable with a block type takes its entries as
// blocks of the use block too, after those of the attribute, in order.
func TestUseBlocks(t *testing.T) {
	plan, diags := newLoader(t).Load(checklist.Request{Integration: "testdata/use_blocks/audit.hcl"})
	require.False(t, diags.HasErrors(), diags.Error())
	require.Len(t, plan.Instances, 1)
	v := plan.Instances[0].Vars["script_allowlist"]
	require.Equal(t, 3, v.LengthInt())
	got := v.AsValueSlice()
	assert.Equal(t, cty.StringVal("/assets/app.js"), got[0])
	assert.Equal(t, cty.ObjectVal(map[string]cty.Value{
		"script": cty.StringVal("https://js.stripe.com/v3/"), "reason": cty.StringVal("Stripe.js: the card iframe"), "dynamic": cty.True,
	}), got[1])
	assert.Equal(t, "sha384-abc", got[2].GetAttr("integrity").AsString())
}

func checklistReq(file string) checklist.Request {
	return checklist.Request{Checklists: []string{filepath.Join("testdata", "diags", file)}, WorkDir: ".", Partial: true}
}

func TestDuplicateNamesBothLocations(t *testing.T) {
	l := newLoader(t)
	_, diags := l.Load(checklistReq("duplicate_step.hcl"))
	require.Len(t, diags, 1)
	assert.Contains(t, diags[0].Detail, "duplicate_step.hcl:5,1")
	assert.Equal(t, 14, diags[0].Subject.Start.Line)
}

func TestBuiltinsValidate(t *testing.T) {
	l := newLoader(t)
	for _, name := range l.Library.Names() {
		t.Run(name, func(t *testing.T) {
			plan, diags := l.Load(checklist.Request{Checklists: []string{name}, WorkDir: ".", Partial: true})
			var buf bytes.Buffer
			_ = l.Parser.WriteDiagnostics(&buf, diags, 0, false)
			require.False(t, diags.HasErrors(), buf.String())
			require.Len(t, plan.Instances, 1)
			assert.NotEmpty(t, plan.Instances[0].Checklist.Steps)
		})
	}
}

func TestContractedStepIDs(t *testing.T) {
	want := map[string][]string{
		"amazon-pay": {"payout_bank_account", "credit_card_on_file", "tax_id_verified", "seller_central_access", "logo",
			"support_contacts", "production_endpoints", "live_keys", "button_production_mode", "return_urls_https",
			"currency_matches_region", "private_key_protected", "ipn_endpoint", "sandbox_tests_passed",
			"production_transaction_validated"},
		"pci-dss": {"saq_scope", "no_stored_pan", "pan_masking", "no_live_secrets_in_source", "tls_strong",
			"certificate_valid", "hsts", "content_security_policy", "script_inventory",
			"no_card_fields_on_merchant_page", "tpsp_attestation_current", "mfa_for_cde_access", "saq_a_script_protection"},
	}
	l := newLoader(t)
	for name, steps := range want {
		plan, diags := l.Load(checklist.Request{Checklists: []string{name}, WorkDir: ".", Partial: true})
		require.False(t, diags.HasErrors(), diags.Error())
		var got []string
		for _, s := range plan.Instances[0].Checklist.Steps {
			got = append(got, s.Name)
		}
		for _, id := range steps {
			assert.Contains(t, got, id, "%s.%s", name, id)
		}
	}
}

func TestVarFlags(t *testing.T) {
	dir := t.TempDir()
	varFile := filepath.Join(dir, "vars.hcl")
	require.NoError(t, os.WriteFile(varFile, []byte(`source_dirs = ["src", "lib"]`+"\n"), 0o644))
	merchant := "merchant {\n  legal_name = \"Café Étoile SARL\"\n  country = \"FR\"\n}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "merchant.hcl"), []byte(merchant), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.env"), nil, 0o644))
	for _, d := range []string{"src", "lib"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	l := newLoader(t)
	plan, diags := l.Load(checklist.Request{
		Checklists: []string{"amazon-pay"},
		Vars:       []string{"region=jp", "config_files=[\"a.env\"]"},
		VarFiles:   []string{varFile},
		WorkDir:    dir,
	})
	require.False(t, diags.HasErrors(), diags.Error())
	vars := plan.Instances[0].Vars
	assert.Equal(t, cty.StringVal("jp"), vars["region"])
	assert.Equal(t, cty.ListVal([]cty.Value{cty.StringVal("a.env")}), vars["config_files"])
	assert.Equal(t, cty.ListVal([]cty.Value{cty.StringVal("src"), cty.StringVal("lib")}), vars["source_dirs"])

	_, diags = l.Load(checklist.Request{Checklists: []string{"amazon-pay"}, Vars: []string{"region=xx"}, WorkDir: dir})
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags.Error(), "region must be na, eu or jp")

	_, diags = l.Load(checklist.Request{Checklists: []string{"amazon-pay"}, Vars: []string{"regoin=eu"}, WorkDir: dir})
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags.Error(), `undeclared variable`)

	_, diags = l.Load(checklist.Request{Checklists: []string{"amazn-pay"}, WorkDir: dir})
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags.Error(), `Did you mean "amazon-pay"?`)
}

func TestWaiverExpiry(t *testing.T) {
	w := &checklist.Waiver{Expires: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}
	assert.False(t, w.Expired(time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC)), "valid through its last day")
	assert.True(t, w.Expired(time.Date(2027, 1, 1, 0, 0, 1, 0, time.UTC)))
	assert.False(t, w.Expired(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)))
}

// FuzzLoad feeds arbitrary text to the checklist and integration decoders:
// they must return diagnostics, never panic.
// FuzzChecklist fuzzes what an untrusted checklist meets first, in memory:
// the pre-parse bounds, HCL parsing and decoding. FuzzLoad takes the same
// inputs through the whole loader, files on disk and containment included
// (about 800 runs a second on this machine, against 10k+ here).
func FuzzChecklist(f *testing.F) {
	for _, seed := range []string{"diags/duplicate_step.hcl", "diags/misspelt_use/audit.hcl", "diags/when_uses_probe.hcl"} {
		src, err := os.ReadFile(filepath.Join("testdata", seed))
		require.NoError(f, err)
		f.Add(src)
	}
	f.Add([]byte("checklist \"c\" {\n  title = \"" + strings.Repeat("(", 300) + "\"\n}\nlocals {\n  a = 1+1+1+1+1\n  b = !!!true\n}\n"))
	f.Add([]byte("step \"s\" {\n  title = <<EOT\n${upper(\"x\")}\nEOT\n  severity = \"high\"\n  assert {\n    condition = a ? b : c ? d : e\n    message = \"m\"\n  }\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		c, _ := checklist.NewParser().Checklist("c.hcl", src)
		if c == nil {
			t.Fatal("Checklist returned no checklist: partial results are kept")
		}
	})
}

func FuzzLoad(f *testing.F) {
	for _, seed := range []string{"diags/duplicate_step.hcl", "diags/misspelt_use/audit.hcl", "diags/when_uses_probe.hcl"} {
		src, err := os.ReadFile(filepath.Join("testdata", seed))
		require.NoError(f, err)
		f.Add(string(src))
	}
	lib, err := checklist.NewLibrary()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, src string) {
		dir := t.TempDir()
		file := filepath.Join(dir, "c.hcl")
		require.NoError(t, os.WriteFile(file, []byte(src), 0o644))
		l := &checklist.Loader{Parser: checklist.NewParser(), Library: lib, Registry: probes.Default(), Now: time.Now}
		_, _ = l.Load(checklist.Request{Checklists: []string{file}, WorkDir: dir, Partial: true})
		in := filepath.Join(dir, "audit.hcl")
		require.NoError(t, os.WriteFile(in, []byte(strings.ReplaceAll(src, "checklist", "use")), 0o644))
		_, _ = l.Load(checklist.Request{Integration: in})
	})
}

// TestBuiltinsFormatted keeps the embedded checklists in canonical HCL
// layout, so a QSA reading them sees what hclwrite would write.
func TestBuiltinsFormatted(t *testing.T) {
	for _, fsys := range []fs.FS{checklist.Builtins(), policies.Builtins()} {
		names, err := fs.Glob(fsys, "*.hcl")
		require.NoError(t, err)
		inPacks, err := fs.Glob(fsys, "*/*.hcl")
		require.NoError(t, err)
		for _, n := range append(names, inPacks...) {
			src, err := fs.ReadFile(fsys, n)
			require.NoError(t, err)
			assert.Equal(t, string(hclwrite.Format(src)), string(src), "%s is not in canonical HCL layout", n)
		}
	}
}

// TestFragmentDiagnosticsNameTheInclude: a mistake inside a fragment points
// at the fragment and says which include brought it in.
func TestFragmentDiagnosticsNameTheInclude(t *testing.T) {
	lib, err := checklist.NewLibrary(fstest.MapFS{
		"common/shared.hcl":  {Data: []byte("fragment \"shared\" {}\n\nvariable \"x\" {\n  type    = string\n  default = 1 +\n}\n")},
		"demo/checklist.hcl": {Data: []byte("checklist \"demo\" {\n  title = \"Demo\"\n}\n\ninclude \"shared\" {}\n\nstep \"a\" {\n  title    = \"A\"\n  severity = \"low\"\n  manual   = true\n}\n")},
	})
	require.NoError(t, err)
	l := &checklist.Loader{Parser: checklist.NewParser(), Library: lib, Registry: probes.Default(), Now: time.Now}
	_, diags := l.Load(checklist.Request{Checklists: []string{"demo"}, WorkDir: ".", Partial: true})
	require.True(t, diags.HasErrors())
	d := diags[0]
	assert.Equal(t, "builtin/common/shared.hcl", d.Subject.Filename, "the definition")
	assert.Contains(t, d.Detail, `fragment "shared", included at builtin/demo/checklist.hcl:5,1-17`, "the use")
}

// TestFragmentInputs: an include gives the fragment's inputs; a missing or
// unknown one points at the include and names the definition.
func TestFragmentInputs(t *testing.T) {
	lib, err := checklist.NewLibrary(checklist.Builtins(), fstest.MapFS{
		"demo/checklist.hcl": {Data: []byte("checklist \"demo\" {\n  title = \"Demo\"\n}\n\ninclude \"sdks\" {\n  provider = \"stripe\"\n  titel    = \"Stripe\"\n}\n")},
	})
	require.NoError(t, err)
	l := &checklist.Loader{Parser: checklist.NewParser(), Library: lib, Registry: probes.Default(), Now: time.Now}
	_, diags := l.Load(checklist.Request{Checklists: []string{"demo"}, WorkDir: ".", Partial: true})
	var got []string
	for _, d := range diags {
		got = append(got, fmt.Sprintf("%s:%d %s", d.Subject.Filename, d.Subject.Start.Line, d.Summary))
		if d.Summary == "Missing fragment input" {
			assert.Contains(t, d.Detail, "builtin/common/sdks.hcl:", "the definition")
		}
	}
	assert.ElementsMatch(t, []string{
		"builtin/demo/checklist.hcl:5 Missing fragment input", // title
		"builtin/demo/checklist.hcl:5 Missing fragment input", // references
		"builtin/demo/checklist.hcl:7 Unknown fragment input", // titel
	}, got)

	// Given, they reach static attributes and expressions alike.
	plan, diags := (&checklist.Loader{Parser: checklist.NewParser(), Library: lib, Registry: probes.Default(), Now: time.Now}).Load(
		checklist.Request{Checklists: []string{"stripe"}, WorkDir: ".", Partial: true})
	require.False(t, diags.HasErrors(), diags.Error())
	var title string
	for _, s := range plan.Instances[0].Checklist.Steps {
		if s.Name == "sdks_current" {
			title = s.Title
		}
	}
	assert.Equal(t, "The Stripe SDKs and plugins in use are maintained and recent enough", title)
}
