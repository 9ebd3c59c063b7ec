package probes

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/pack"
)

// acmePacks is a provider pack with a minimum version, for the tests.
func acmePacks(t *testing.T) *pack.Set {
	t.Helper()
	set, diags := pack.Load(fstest.MapFS{"acme/pack.hcl": {Data: []byte(`
provider "acme" { title = "Acme Pay" }
sdk "npm" "@acme/pay" {
  minimum = "2.0.0"
  docs    = "https://acme.example/sdk"
}
sdk "pypi" "Acme_Pay" { minimum = "3.0.0" }
sdk "gem" "acme-pay" { minimum = "3.0.0" }
sdk "npm" "paypal-rest-sdk" { deprecated = "use the server SDK" }
`)}}, "test")
	require.False(t, diags.HasErrors(), diags.Error())
	return set
}

func renderPackages(v cty.Value) []string {
	var out []string
	for it := v.GetAttr("packages").ElementIterator(); it.Next(); {
		_, p := it.Element()
		line, _ := p.GetAttr("line").AsBigFloat().Int64()
		flags := ""
		for _, f := range []string{"locked", "outdated", "unknown"} {
			if p.GetAttr(f).True() {
				flags += " " + f
			}
		}
		if d := p.GetAttr("deprecated").AsString(); d != "" {
			flags += " deprecated"
		}
		out = append(out, fmt.Sprintf("%s:%d %s %s %s%s", p.GetAttr("file").AsString(), line,
			p.GetAttr("ecosystem").AsString(), p.GetAttr("name").AsString(), p.GetAttr("version").AsString(), flags))
	}
	return out
}

func TestPackages(t *testing.T) {
	env := &Env{BaseDir: "testdata/packages", Packs: acmePacks(t)}
	v, err := kindRun(t, Packages{}, env, `
dirs     = ["."]
provider = "acme"`)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"api/Gemfile.lock:3 gem acme-pay 3.2.0 locked",
		"api/requirements.txt:1 pypi acme-pay >=3.0 unknown",
		"web/package-lock.json:6 npm @acme/pay 1.9.4 locked outdated",
		"web/package-lock.json:7 npm paypal-rest-sdk 1.8.1 locked deprecated",
	}, renderPackages(v), "package.json's ranges give way to the lockfile; node_modules is not read")

	cov, ok := CoverageOf(v)
	require.True(t, ok)
	require.Len(t, cov.NotRead, 1, "the broken lockfile hides what is installed")
	assert.Equal(t, "broken/composer.lock", cov.NotRead[0].File)
	assert.EqualValues(t, 4, cov.FilesRead)
	assert.Equal(t, "node_modules", cov.Excluded[0].File)
}

func TestPackagesValidate(t *testing.T) {
	env := &Env{BaseDir: "testdata/packages", Packs: acmePacks(t)}
	diags := Packages{}.Validate(env, kindCfg(t, Packages{}, `
dirs     = ["."]
provider = "stripe"`))
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags.Error(), `provider "stripe" has no pack`)
	assert.Empty(t, Packages{}.Validate(&Env{}, kindCfg(t, Packages{}, `
dirs     = ["."]
provider = "stripe"`)), "the built-in packs know stripe")
}
