package probes

import (
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/walk"
)

// Coverage is what a probe that reads files read, and what it did not:
// every probe that reads a tree returns it as its "coverage" fact, and the
// runner turns a step that would pass on such a probe into an error while
// NotRead is not empty (a step passes only on positive evidence).
type Coverage struct {
	FilesRead int64
	BytesRead int64
	NotRead   []CoverageItem // could not be read: unreadable, unsupported, encrypted, over a budget, a link out of the tree
	Excluded  []CoverageItem // left out on purpose, with the user's reason
}

// CoverageItem is one path not read and why.
type CoverageItem struct {
	File, Pattern, Reason string
}

var (
	coverageItem = cty.Object(map[string]cty.Type{"file": cty.String, "reason": cty.String})
	excludedItem = cty.Object(map[string]cty.Type{"file": cty.String, "pattern": cty.String, "reason": cty.String})
	// CoverageType is the type of the "coverage" fact.
	CoverageType = cty.Object(map[string]cty.Type{
		"complete":   cty.Bool,
		"files_read": cty.Number,
		"bytes_read": cty.Number,
		"not_read":   cty.List(coverageItem),
		"excluded":   cty.List(excludedItem),
	})
	// ExcludeType is one element of a probe's exclude list.
	ExcludeType = cty.Object(map[string]cty.Type{"pattern": cty.String, "reason": cty.String})
)

// Value is the coverage as a fact.
func (c Coverage) Value() cty.Value {
	var notRead, excluded []cty.Value
	for _, n := range c.NotRead {
		notRead = append(notRead, cty.ObjectVal(map[string]cty.Value{"file": cty.StringVal(n.File), "reason": cty.StringVal(n.Reason)}))
	}
	for _, e := range c.Excluded {
		excluded = append(excluded, cty.ObjectVal(map[string]cty.Value{
			"file": cty.StringVal(e.File), "pattern": cty.StringVal(e.Pattern), "reason": cty.StringVal(e.Reason),
		}))
	}
	return cty.ObjectVal(map[string]cty.Value{
		"complete":   cty.BoolVal(len(c.NotRead) == 0),
		"files_read": cty.NumberIntVal(c.FilesRead),
		"bytes_read": cty.NumberIntVal(c.BytesRead),
		"not_read":   ListOf(coverageItem, notRead),
		"excluded":   ListOf(excludedItem, excluded),
	})
}

// Excludes reads a list of {pattern, reason} objects (an exclude
// attribute); a missing reason reads as "no reason given", which reports
// show as they show the others.
func Excludes(v cty.Value) []walk.Exclude {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	var out []walk.Exclude
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() || !e.IsWhollyKnown() {
			continue
		}
		ex := walk.Exclude{Reason: "no reason given"}
		if p := e.GetAttr("pattern"); !p.IsNull() {
			ex.Pattern = p.AsString()
		}
		if r := e.GetAttr("reason"); !r.IsNull() && r.AsString() != "" {
			ex.Reason = r.AsString()
		}
		out = append(out, ex)
	}
	return out
}

// CoverageOf reads the coverage fact of a probe's facts, if it has one.
func CoverageOf(facts cty.Value) (Coverage, bool) {
	if facts.IsNull() || !facts.IsWhollyKnown() || !facts.Type().IsObjectType() || !facts.Type().HasAttribute("coverage") {
		return Coverage{}, false
	}
	v := facts.GetAttr("coverage")
	if v.IsNull() || !v.Type().Equals(CoverageType) {
		return Coverage{}, false
	}
	var c Coverage
	for it := v.GetAttr("not_read").ElementIterator(); it.Next(); {
		_, e := it.Element()
		c.NotRead = append(c.NotRead, CoverageItem{File: e.GetAttr("file").AsString(), Reason: e.GetAttr("reason").AsString()})
	}
	for it := v.GetAttr("excluded").ElementIterator(); it.Next(); {
		_, e := it.Element()
		c.Excluded = append(c.Excluded, CoverageItem{
			File: e.GetAttr("file").AsString(), Pattern: e.GetAttr("pattern").AsString(), Reason: e.GetAttr("reason").AsString(),
		})
	}
	bf := v.GetAttr("files_read").AsBigFloat()
	c.FilesRead, _ = bf.Int64()
	bb := v.GetAttr("bytes_read").AsBigFloat()
	c.BytesRead, _ = bb.Int64()
	return c, true
}

// providerDirsSpec is the settings of kinds that read folders for one
// provider's pack rules (errors, packages).
func providerDirsSpec() hcldec.Spec {
	return &hcldec.ObjectSpec{
		"dirs":     &hcldec.AttrSpec{Name: "dirs", Type: cty.List(cty.String), Required: true},
		"provider": &hcldec.AttrSpec{Name: "provider", Type: cty.String, Required: true},
		"exclude":  &hcldec.AttrSpec{Name: "exclude", Type: cty.List(ExcludeType)},
	}
}

// validateProviderDirs checks providerDirsSpec settings: an unknown provider
// or a malformed exclude is the checklist author's mistake.
func validateProviderDirs(kind string, env *Env, cfg cty.Value) hcl.Diagnostics {
	if !cfg.IsWhollyKnown() {
		return nil
	}
	var errs []error
	if p := cfg.GetAttr("provider"); p.IsNull() {
		errs = append(errs, errors.New("provider is null"))
	} else if _, ok := env.PackSet().Lookup(p.AsString()); !ok {
		errs = append(errs, fmt.Errorf("provider %q has no pack", p.AsString()))
	}
	if err := walk.Validate(Excludes(cfg.GetAttr("exclude"))); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return configDiag(kind, err)
	}
	return nil
}
