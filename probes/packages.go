package probes

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/manifest"
	"github.com/audit-tool/audit/pack"
	"github.com/audit-tool/audit/walk"
)

// packagesMaxFile caps one lockfile; a larger one is reported, not read.
const packagesMaxFile = 32 << 20

// dependencyDirs hold installed packages, each with its own manifest:
// the project's lockfiles say what is installed there.
var dependencyDirs = []walk.Exclude{
	{Pattern: "node_modules", Reason: "installed dependencies; the project's lockfiles list them"},
	{Pattern: "vendor", Reason: "installed dependencies; the project's lockfiles list them"},
	{Pattern: ".git", Reason: "version control data"},
}

var (
	packageType = cty.Object(map[string]cty.Type{
		"ecosystem": cty.String, "name": cty.String, "version": cty.String, "locked": cty.Bool,
		"minimum": cty.String, "deprecated": cty.String, "docs": cty.String,
		// outdated: the installed version is older than minimum.
		// unknown: minimum is set but the version installed cannot be
		// told (a range without a lockfile, an unparsable version).
		"outdated": cty.Bool, "unknown": cty.Bool,
		// pins_api_version: "yes" when the installed library sends the API
		// version it was released with (the pack's pins_api_version), "no"
		// when it predates that, "unknown" when the version cannot be
		// told, "" when the pack says nothing.
		"pins_api_version": cty.String,
		"file":             cty.String, "line": cty.Number,
	})
	packagesFacts = cty.Object(map[string]cty.Type{
		"packages": cty.List(packageType),
		"files":    cty.List(cty.String),
		"coverage": CoverageType,
	})
)

// Packages reads the lockfiles and manifests under dirs (npm, Yarn, pnpm,
// Composer, pip, Poetry, Pipenv, Bundler, Maven, Gradle, NuGet, Go) and
// lists the provider's SDKs and plugins its pack names, each with the
// version installed and the line that says so, compared with the pack's
// minimum supported version and deprecations.
type Packages struct{}

// Name implements Kind.
func (Packages) Name() string { return "packages" }

// Doc implements Kind.
func (Packages) Doc() string {
	return "Lockfiles and manifests (npm, Yarn, pnpm, Composer, pip, Poetry, Pipenv, Bundler, Maven, Gradle, NuGet, Go): the provider's SDKs and plugins with their versions, against the pack's minimum versions and deprecations."
}

// Spec implements Kind.
func (Packages) Spec() hcldec.Spec {
	return providerDirsSpec()
}

// Facts implements Kind. files are the lockfiles and manifests read.
func (Packages) Facts() cty.Type { return packagesFacts }

// Validate implements Validator: an unknown provider or a malformed
// exclude is the checklist author's mistake.
func (Packages) Validate(env *Env, cfg cty.Value) hcl.Diagnostics {
	return validateProviderDirs("packages", env, cfg)
}

// Run implements Kind.
func (Packages) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	name := cfgString(cfg, "provider")
	p, ok := env.PackSet().Lookup(name)
	if !ok {
		return cty.NilVal, fmt.Errorf("packages: provider %q has no pack", name)
	}
	var roots []string
	for _, d := range scanStrings(cfg, "dirs") {
		roots = append(roots, env.Path(d))
	}
	if len(roots) == 0 {
		return cty.NilVal, errors.New("packages: dirs: at least one folder is required")
	}
	var (
		cov   Coverage
		files []cty.Value
		found []foundPackage
		seen  = map[string]bool{}
	)
	exclude := append(Excludes(cfg.GetAttr("exclude")), dependencyDirs...)
	skips, err := walk.Walk(ctx, roots, walk.Options{Base: env.BaseDir, Exclude: exclude, MaxSize: packagesMaxFile}, func(f walk.File) error {
		parse := manifest.For(f.Name)
		if parse == nil {
			return nil
		}
		abs, err := filepath.Abs(f.Path)
		if err != nil {
			return err
		}
		if seen[abs] {
			return nil
		}
		seen[abs] = true
		rel := env.Rel(f.Path)
		data, err := env.Scope.ReadFile(f.Path, packagesMaxFile)
		if err == nil {
			var pkgs []manifest.Package
			if pkgs, err = parse(data); err == nil {
				cov.FilesRead++
				cov.BytesRead += int64(len(data))
				files = append(files, cty.StringVal(rel))
				for _, pkg := range pkgs {
					if sdk, ok := p.SDK(pkg.Ecosystem, pkg.Name); ok {
						found = append(found, foundPackage{pkg: pkg, sdk: sdk, file: rel})
					}
				}
				return ctx.Err()
			}
		}
		// A lockfile that cannot be read or parsed hides what is installed.
		cov.NotRead = append(cov.NotRead, CoverageItem{File: rel, Reason: walk.Reason(err)})
		return ctx.Err()
	})
	if err != nil {
		return cty.NilVal, fmt.Errorf("packages: %w", err)
	}
	for _, s := range skips {
		item := CoverageItem{File: env.Rel(filepath.FromSlash(s.Name)), Pattern: s.Pattern, Reason: s.Reason}
		if s.Gap {
			cov.NotRead = append(cov.NotRead, item)
		} else {
			cov.Excluded = append(cov.Excluded, item)
		}
	}
	found = preferLocked(found)
	vals := make([]cty.Value, len(found))
	for i, f := range found {
		vals[i] = f.value()
	}
	return cty.ObjectVal(map[string]cty.Value{
		"packages": ListOf(packageType, vals),
		"files":    ListOf(cty.String, files),
		"coverage": cov.Value(),
	}), nil
}

type foundPackage struct {
	pkg  manifest.Package
	sdk  *pack.SDK
	file string
}

// preferLocked drops a manifest's range for a package that a lockfile of
// the same folder pins: the lockfile says what is installed.
func preferLocked(found []foundPackage) []foundPackage {
	locked := map[string]bool{}
	key := func(f foundPackage) string { return path.Dir(f.file) + "\x00" + f.sdk.Ecosystem + "\x00" + f.sdk.Name }
	for _, f := range found {
		if f.pkg.Locked {
			locked[key(f)] = true
		}
	}
	out := found[:0]
	for _, f := range found {
		if f.pkg.Locked || !locked[key(f)] {
			out = append(out, f)
		}
	}
	return out
}

func (f foundPackage) value() cty.Value {
	outdated, unknown := false, false
	if f.sdk.Minimum != "" {
		cmp, ok := manifest.Compare(f.pkg.Version, f.sdk.Minimum)
		switch {
		case !f.pkg.Locked || !ok:
			unknown = true
		case cmp < 0:
			outdated = true
		}
	}
	pins := ""
	switch v := f.sdk.PinsAPIVersion; {
	case v == "":
	case v == "any":
		pins = "yes"
	default:
		cmp, ok := manifest.Compare(f.pkg.Version, v)
		switch {
		case !f.pkg.Locked || !ok:
			pins = "unknown"
		case cmp < 0:
			pins = "no"
		default:
			pins = "yes"
		}
	}
	return cty.ObjectVal(map[string]cty.Value{
		"pins_api_version": cty.StringVal(pins),
		"ecosystem":        cty.StringVal(f.pkg.Ecosystem), "name": cty.StringVal(f.pkg.Name),
		"version": cty.StringVal(f.pkg.Version), "locked": cty.BoolVal(f.pkg.Locked),
		"minimum": cty.StringVal(f.sdk.Minimum), "deprecated": cty.StringVal(f.sdk.Deprecated),
		"docs": cty.StringVal(f.sdk.Docs), "outdated": cty.BoolVal(outdated), "unknown": cty.BoolVal(unknown),
		"file": cty.StringVal(f.file), "line": cty.NumberIntVal(int64(f.pkg.Line)),
	})
}
