// Package manifest reads the packages a project depends on from its
// lockfiles and manifests: npm (package-lock.json, yarn.lock,
// pnpm-lock.yaml, package.json), Composer (composer.lock, composer.json),
// Python (requirements.txt, pyproject.toml, poetry.lock, Pipfile.lock), Ruby
// (Gemfile.lock), Maven (pom.xml, with parent and BOM versions), Gradle
// (build.gradle(.kts), gradle.lockfile, version catalogs), NuGet (*.csproj, packages.lock.json,
// packages.config) and Go (go.mod). Each package comes with the line that
// names its version: the evidence a step quotes.
package manifest

import (
	"path"
	"strconv"
	"strings"
)

// Ecosystems, as provider packs name them.
const (
	NPM      = "npm"
	Composer = "composer"
	PyPI     = "pypi"
	Gem      = "gem"
	Maven    = "maven" // Maven and Gradle: group:artifact
	NuGet    = "nuget"
	GoMod    = "go"
)

// Package is one dependency as a file states it.
type Package struct {
	Ecosystem string
	Name      string
	// Version is the version installed (from a lockfile) or the version or
	// range required (from a manifest, Locked false): "^17.0.0", ">=2.1".
	Version string
	Locked  bool
	Line    int
}

// parsers by file name; the ones keyed by extension are tried after.
var (
	byName = map[string]func([]byte) ([]Package, error){
		"package-lock.json":   npmLock,
		"npm-shrinkwrap.json": npmLock,
		"yarn.lock":           yarnLock,
		"pnpm-lock.yaml":      pnpmLock,
		"package.json":        npmManifest,
		"composer.lock":       composerLock,
		"composer.json":       composerManifest,
		"requirements.txt":    requirements,
		"poetry.lock":         poetryLock,
		"pipfile.lock":        pipfileLock,
		"pyproject.toml":      pyproject,
		"gemfile.lock":        gemfileLock,
		"pom.xml":             pom,
		"build.gradle":        gradle,
		"build.gradle.kts":    gradle,
		"gradle.lockfile":     gradleLock,
		"libs.versions.toml":  versionCatalog,
		"packages.lock.json":  nugetLock,
		"packages.config":     nugetPackagesConfig,
		"go.mod":              goMod,
	}
	byExt = map[string]func([]byte) ([]Package, error){
		".csproj": csproj, ".fsproj": csproj, ".vbproj": csproj,
	}
)

// For returns the parser of a file, by its name: nil when it is no
// manifest or lockfile this package reads.
func For(name string) func([]byte) ([]Package, error) {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	if p, ok := byName[base]; ok {
		return p
	}
	// gradle/deps.versions.toml: another catalog
	if strings.HasSuffix(base, ".versions.toml") {
		return versionCatalog
	}
	// requirements-prod.txt, requirements/base.txt
	if strings.HasPrefix(base, "requirements") && strings.HasSuffix(base, ".txt") {
		return requirements
	}
	return byExt[path.Ext(base)]
}

// Compare orders two versions as package managers do for plain release
// numbers: numeric components left to right ("1.10" > "1.9"), a leading
// "v" or "=" ignored, a pre-release ("2.0.0-beta.1", "4.0.0b1") before its
// release. ok is false when either has no leading number.
func Compare(a, b string) (cmp int, ok bool) {
	na, pa, oka := versionParts(a)
	nb, pb, okb := versionParts(b)
	if !oka || !okb {
		return 0, false
	}
	for i := 0; i < max(len(na), len(nb)); i++ {
		x, y := 0, 0
		if i < len(na) {
			x = na[i]
		}
		if i < len(nb) {
			y = nb[i]
		}
		if x != y {
			if x < y {
				return -1, true
			}
			return 1, true
		}
	}
	switch {
	case pa == pb:
		return 0, true
	case pa == "": // a release after its pre-releases
		return 1, true
	case pb == "":
		return -1, true
	case pa < pb:
		return -1, true
	}
	return 1, true
}

func versionParts(v string) (nums []int, pre string, ok bool) {
	v = strings.TrimLeft(strings.TrimSpace(v), "v=V")
	for len(nums) < 8 {
		i := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		if i == 0 || i > 9 {
			break
		}
		n, _ := strconv.Atoi(v[:i])
		nums = append(nums, n)
		v = v[i:]
		if len(v) < 2 || v[0] != '.' || v[1] < '0' || v[1] > '9' {
			break
		}
		v = v[1:]
	}
	return nums, strings.TrimLeft(v, "-+._"), len(nums) > 0
}
