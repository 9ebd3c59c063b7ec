package manifest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func render(pkgs []Package) []string {
	var out []string
	for _, p := range pkgs {
		lock := ""
		if !p.Locked {
			lock = " (range)"
		}
		out = append(out, fmt.Sprintf("%d %s %s %s%s", p.Line, p.Ecosystem, p.Name, p.Version, lock))
	}
	return out
}

func TestParsers(t *testing.T) {
	tests := []struct {
		file  string
		parse func([]byte) ([]Package, error)
		want  []string
	}{
		{"package-lock.json", npmLock, []string{"7 npm @adyen/api-library 17.3.0", "11 npm paypal-rest-sdk 1.8.1", "13 npm stripe 8.222.0"}},
		{"package-lock-v1.json", npmLock, []string{"5 npm stripe 8.222.0", "7 npm qs 6.11.0"}},
		{"yarn.lock", yarnLock, []string{"6 npm @adyen/adyen-web 5.53.2", "12 npm react-stripe-elements 6.1.2"}},
		{"yarn-berry.lock", yarnLock, []string{"5 npm @paypal/checkout-server-sdk 1.0.3"}},
		{"pnpm-lock.yaml", pnpmLock, []string{"12 npm @stripe/stripe-js 2.4.0", "15 npm stripe 14.25.0"}},
		{"composer.lock", composerLock, []string{"6 composer amzn/amazon-pay-api-sdk-php 2.6.1", "11 composer paypal/rest-api-sdk-php 1.14.0", "15 composer phpunit/phpunit 9.6.0"}},
		{"composer.json", composerManifest, []string{"3 composer php >=7.4 (range)", "4 composer amzn/amazon-pay-sdk-php ^3.7 (range)"}},
		{"requirements.txt", requirements, []string{"2 pypi adyen 12.0.0", "3 pypi stripe >=7.0 (range)", "4 pypi paypalrestsdk 1.13.3", "7 pypi flask 3.0.0"}},
		{"poetry.lock", poetryLock, []string{"5 pypi adyen 12.0.0", "11 pypi stripe 9.1.0"}},
		{"Pipfile.lock", pipfileLock, []string{"4 pypi paypal-checkout-serversdk 1.0.1"}},
		{"pyproject.toml", pyproject, []string{"6 pypi flask >=3.0 (range)", "7 pypi paypal-server-sdk 0.6.0", "10 pypi stripe ~=9.1 (range)",
			"14 pypi adyen ^12.0 (range)", "15 pypi requests 2.32.3 (range)", "18 pypi pytest ^8.0 (range)"}},
		{"Gemfile.lock", gemfileLock, []string{"4 gem adyen-ruby-api-library 7.0.0", "6 gem nokogiri 1.15.5", "7 gem paypal-sdk-rest 1.7.4"}},
		{"pom.xml", pom, []string{"10 maven com.adyen:adyen-java-api-library 25.1.0", "15 maven com.paypal.sdk:rest-api-sdk 1.14.0"}},
		{"pom-bom.xml", pom, []string{
			"14 maven com.paypal.sdk:paypal-sdk-bom 1.0.0", "21 maven com.stripe:stripe-java 26.1.0",
			"14 maven com.paypal.sdk:paypal-server-sdk 1.0.0", "6 maven com.example.shop:shop-common 3.4.1",
			"40 maven com.adyen:adyen-java-api-library  (range)", "45 maven com.example.shop:shop-api 3.4.1",
		}},
		{"gradle/libs.versions.toml", versionCatalog, []string{
			"8 maven com.stripe:stripe-java 24.21.0", "9 maven com.adyen:adyen-java-api-library 29.1.0",
			"10 maven com.paypal.sdk:paypal-server-sdk 1.0.0", "11 maven software.amazon.pay:amazon-pay-api-sdk-java 2.6.4",
			"12 maven com.google.guava:guava [32,33) (range)", "13 maven com.braintreepayments.gateway:braintree-java  (range)",
		}},
		{"build.gradle", gradle, []string{"2 maven com.stripe:stripe-java 24.0.0", "3 maven com.amazon.pay:amazon-pay-api-sdk-java 2.6.4"}},
		{"gradle.lockfile", gradleLock, []string{"2 maven com.stripe:stripe-java 24.0.0"}},
		{"Shop.csproj", csproj, []string{"3 nuget Adyen 19.0.0", "5 nuget PayPalCheckoutSdk 1.0.4"}},
		{"packages.lock.json", nugetLock, []string{"5 nuget Stripe.net 43.0.0"}},
		{"packages.config", nugetPackagesConfig, []string{"3 nuget PayPal 1.9.1"}},
		{"go.mod", goMod, []string{"5 go github.com/stripe/stripe-go/v76 v76.25.0", "8 go github.com/adyen/adyen-go-api-library/v9 v9.1.0", "9 go golang.org/x/text v0.14.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			require.NoError(t, err)
			got, err := tt.parse(data)
			require.NoError(t, err)
			assert.Equal(t, tt.want, render(got))
		})
	}
}

func TestFor(t *testing.T) {
	for name, ok := range map[string]bool{
		"package-lock.json": true, "web/yarn.lock": true, "Gemfile.lock": true, "requirements-prod.txt": true,
		"App/Shop.csproj": true, "go.mod": true, "Pipfile.lock": true, "pyproject.toml": true, "gradle/libs.versions.toml": true, "gradle/deps.versions.toml": true, "README.md": false, "package.json.bak": false,
	} {
		assert.Equal(t, ok, For(name) != nil, name)
	}
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.10.0", "1.9.9", 1}, {"v9.1.0", "9.1.0", 0}, {"2.0", "2.0.0", 0}, {"2.0.0-beta.1", "2.0.0", -1},
		{"4.0.0b1", "4.0.0", -1}, {"17.3.0", "20.0.0", -1}, {"1.2.3.4", "1.2.3", 1}, {"=1.0.1", "1.0.1", 0},
	} {
		got, ok := Compare(tc.a, tc.b)
		require.True(t, ok, tc.a)
		assert.Equal(t, tc.want, got, "%s vs %s", tc.a, tc.b)
	}
	_, ok := Compare("^1.2", "1.0")
	assert.False(t, ok, "a range is no version")
	_, ok = Compare("latest", "1.0")
	assert.False(t, ok)
}

func TestMalformed(t *testing.T) {
	for name, data := range map[string]string{
		"package-lock.json": `{"packages": {`, "composer.lock": `[`, "pom.xml": `<project><dependency>`,
		"Shop.csproj": `<Project><x></Project>`, "poetry.lock": "[[package]\nname =", "pyproject.toml": "[project\n", "libs.versions.toml": "[libraries\n",
	} {
		_, err := For(name)([]byte(data))
		assert.Error(t, err, name)
	}
}

func fuzzParser(f *testing.F, parse func([]byte) ([]Package, error), fixture string, seeds ...string) {
	data, err := os.ReadFile(filepath.Join("testdata", fixture))
	require.NoError(f, err)
	f.Add(data)
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, err := parse(data)
		if err != nil {
			return
		}
		lines := 1
		for _, c := range data {
			if c == '\n' {
				lines++
			}
		}
		for _, p := range pkgs {
			if p.Line < 0 || p.Line > lines+1 || p.Name == "" {
				t.Fatalf("%+v out of the %d lines", p, lines)
			}
		}
	})
}

func FuzzNPMLock(f *testing.F) {
	fuzzParser(f, npmLock, "package-lock.json", `{"dependencies":{"a":{"version":"1"}}}`)
}
func FuzzNPMManifest(f *testing.F) {
	fuzzParser(f, npmManifest, "package-lock.json", `{"dependencies":{"a":"^1"}}`)
}
func FuzzYarnLock(f *testing.F) { fuzzParser(f, yarnLock, "yarn.lock", "a@^1:\n  version \"1\"\n") }
func FuzzPNPMLock(f *testing.F) {
	fuzzParser(f, pnpmLock, "pnpm-lock.yaml", "packages:\n  /a@1.0.0:\n")
}
func FuzzComposerLock(f *testing.F) {
	fuzzParser(f, composerLock, "composer.lock", `{"packages":[{"name":"a/b","version":"1"}]}`)
}
func FuzzComposerJSON(f *testing.F) { fuzzParser(f, composerManifest, "composer.json") }
func FuzzRequirements(f *testing.F) { fuzzParser(f, requirements, "requirements.txt", "a[b]==1 ; c\n") }
func FuzzPoetryLock(f *testing.F)   { fuzzParser(f, poetryLock, "poetry.lock") }
func FuzzPipfileLock(f *testing.F)  { fuzzParser(f, pipfileLock, "Pipfile.lock") }
func FuzzPyproject(f *testing.F) {
	fuzzParser(f, pyproject, "pyproject.toml", "[tool.poetry.dependencies]\na = { version = \"1\" }\n")
}
func FuzzGemfileLock(f *testing.F) { fuzzParser(f, gemfileLock, "Gemfile.lock") }
func FuzzPOM(f *testing.F) {
	fuzzParser(f, pom, "pom.xml", "<project><properties><v>1</v></properties></project>")
}
func FuzzGradle(f *testing.F) { fuzzParser(f, gradle, "build.gradle") }
func FuzzVersionCatalog(f *testing.F) {
	fuzzParser(f, versionCatalog, "gradle/libs.versions.toml", "[libraries]\na = \"g:n:1\"\n", "[libraries]\n\"x\" = { module = 1 }")
}
func FuzzPOMParentBOM(f *testing.F) { fuzzParser(f, pom, "pom-bom.xml") }
func FuzzGradleLock(f *testing.F)   { fuzzParser(f, gradleLock, "gradle.lockfile") }
func FuzzCSProj(f *testing.F)       { fuzzParser(f, csproj, "Shop.csproj") }
func FuzzNuGetLock(f *testing.F)    { fuzzParser(f, nugetLock, "packages.lock.json") }
func FuzzPackagesConfig(f *testing.F) {
	fuzzParser(f, nugetPackagesConfig, "packages.config")
}
func FuzzGoMod(f *testing.F) { fuzzParser(f, goMod, "go.mod", "require (\nx v1\n)\n") }
