package probes

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/scan"
	"github.com/audit-tool/audit/walk"
)

// scanPAN and scanSecret are the fact types of one masked finding.
var (
	scanPAN = cty.Object(map[string]cty.Type{
		"brand": cty.String, "masked": cty.String, "test_card": cty.Bool,
		"file": cty.String, "line": cty.Number, "column": cty.Number,
	})
	scanSecret = cty.Object(map[string]cty.Type{
		"kind": cty.String, "masked": cty.String, "live": cty.Bool,
		"file": cty.String, "line": cty.Number, "column": cty.Number,
	})
	// scanMasked is a partly masked card number; masked shows at most 6+4.
	scanMasked = cty.Object(map[string]cty.Type{
		"brand": cty.String, "masked": cty.String, "compliant": cty.Bool,
		"visible_first": cty.Number, "visible_last": cty.Number,
		"file": cty.String, "line": cty.Number, "column": cty.Number,
	})
	// scanSAD is sensitive authentication data: kind track1, track2 or cvv.
	scanSAD = cty.Object(map[string]cty.Type{
		"kind": cty.String, "brand": cty.String, "masked": cty.String, "live": cty.Bool,
		"file": cty.String, "line": cty.Number, "column": cty.Number,
	})
	scanSkipped = cty.Object(map[string]cty.Type{"file": cty.String, "reason": cty.String})
	scanFacts   = cty.Object(map[string]cty.Type{
		"coverage":      CoverageType,
		"files_scanned": cty.Number,
		"bytes_scanned": cty.Number,
		"pans":          cty.List(scanPAN), // every card number, test ones too
		"live_pans":     cty.List(scanPAN), // real card numbers: PCI DSS 3.2 / 3.5
		"test_pans":     cty.List(scanPAN),
		"secrets":       cty.List(scanSecret), // every secret, test-mode keys too
		"live_secrets":  cty.List(scanSecret),
		"private_keys":  cty.List(scanSecret), // PEM private keys (Amazon Pay's among them)
		"skipped":       cty.List(scanSkipped),
		"masked_pans":   cty.List(scanMasked), // PCI DSS 3.4.1: compliant when 6+4 at most show
		"sad":           cty.List(scanSAD),    // PCI DSS 3.3.1: track data, CVVs next to a card number
		"live_sad":      cty.List(scanSAD),    // of real cards
	})
)

// Scan looks for card numbers and secrets in files and folders, as
// `audit scan` does. Facts carry only masked values.
type Scan struct{}

// Name implements Kind.
func (Scan) Name() string { return "scan" }

// Doc implements Kind.
func (Scan) Doc() string {
	return "Scans files and folders (archives, compressed files, office documents, PDFs, UTF-16 text, binaries) for card numbers and secrets; reports them masked, and what it could not read."
}

// Spec implements Kind.
func (Scan) Spec() hcldec.Spec {
	return &hcldec.ObjectSpec{
		"paths":   &hcldec.AttrSpec{Name: "paths", Type: cty.List(cty.String), Required: true},
		"exclude": &hcldec.AttrSpec{Name: "exclude", Type: cty.List(ExcludeType)},
	}
}

// Facts implements Kind.
func (Scan) Facts() cty.Type { return scanFacts }

// Validate implements Validator: an empty path list or a malformed
// exclude glob is the checklist author's mistake.
func (Scan) Validate(_ *Env, cfg cty.Value) hcl.Diagnostics {
	if !cfg.IsWhollyKnown() {
		return nil
	}
	var errs []error
	if len(scanStrings(cfg, "paths")) == 0 {
		errs = append(errs, errors.New("paths is empty"))
	}
	if err := walk.Validate(Excludes(cfg.GetAttr("exclude"))); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return configDiag("scan", err)
	}
	return nil
}

// Run implements Kind.
func (Scan) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	var paths []string
	for _, p := range scanStrings(cfg, "paths") {
		paths = append(paths, env.Path(p))
	}
	rep, err := scan.Paths(ctx, paths, scan.Options{Base: env.BaseDir, Exclude: Excludes(cfg.GetAttr("exclude")), Packs: env.PackSet()})
	if err != nil {
		if rep != nil {
			rep.Close()
		}
		return cty.NilVal, fmt.Errorf("scan: %w", err)
	}
	defer rep.Close()
	var pans, livePANs, testPANs, secrets, liveSecrets, keys, skipped, sad, liveSAD []cty.Value
	for f := range rep.Findings() {
		file := cty.StringVal(env.Rel(filepath.FromSlash(f.File)))
		line, col := cty.NumberIntVal(int64(f.Line)), cty.NumberIntVal(int64(f.Column))
		if f.Type == scan.TypeSAD {
			v := cty.ObjectVal(map[string]cty.Value{
				"kind": cty.StringVal(f.Kind), "brand": cty.StringVal(f.Brand), "masked": cty.StringVal(f.Masked), "live": cty.BoolVal(f.Live),
				"file": file, "line": line, "column": col,
			})
			sad = append(sad, v)
			if f.Live {
				liveSAD = append(liveSAD, v)
			}
			continue
		}
		if f.Type == scan.TypePAN {
			v := cty.ObjectVal(map[string]cty.Value{
				"brand": cty.StringVal(f.Brand), "masked": cty.StringVal(f.Masked), "test_card": cty.BoolVal(f.TestCard),
				"file": file, "line": line, "column": col,
			})
			pans = append(pans, v)
			if f.TestCard {
				testPANs = append(testPANs, v)
			} else {
				livePANs = append(livePANs, v)
			}
			continue
		}
		v := cty.ObjectVal(map[string]cty.Value{
			"kind": cty.StringVal(f.Kind), "masked": cty.StringVal(f.Masked), "live": cty.BoolVal(f.Live),
			"file": file, "line": line, "column": col,
		})
		secrets = append(secrets, v)
		if f.Live {
			liveSecrets = append(liveSecrets, v)
		}
		if scan.IsPrivateKey(f.Kind) {
			keys = append(keys, v)
		}
	}
	if err := rep.Err(); err != nil {
		return cty.NilVal, fmt.Errorf("scan: %w", err)
	}
	var masked []cty.Value
	for m := range rep.MaskedPANs() {
		masked = append(masked, cty.ObjectVal(map[string]cty.Value{
			"brand": cty.StringVal(m.Brand), "masked": cty.StringVal(m.Masked), "compliant": cty.BoolVal(m.Compliant),
			"visible_first": cty.NumberIntVal(int64(m.VisibleFirst)), "visible_last": cty.NumberIntVal(int64(m.VisibleLast)),
			"file": cty.StringVal(env.Rel(filepath.FromSlash(m.File))),
			"line": cty.NumberIntVal(int64(m.Line)), "column": cty.NumberIntVal(int64(m.Column)),
		}))
	}
	if err := rep.Err(); err != nil {
		return cty.NilVal, fmt.Errorf("scan: %w", err)
	}
	for _, s := range rep.Skipped {
		skipped = append(skipped, cty.ObjectVal(map[string]cty.Value{
			"file": cty.StringVal(env.Rel(filepath.FromSlash(s.File))), "reason": cty.StringVal(s.Reason),
		}))
	}
	cov := Coverage{FilesRead: rep.FilesScanned, BytesRead: rep.BytesScanned}
	for _, s := range rep.Skipped {
		cov.NotRead = append(cov.NotRead, CoverageItem{File: env.Rel(filepath.FromSlash(s.File)), Reason: s.Reason})
	}
	for _, s := range rep.Excluded {
		cov.Excluded = append(cov.Excluded, CoverageItem{File: env.Rel(filepath.FromSlash(s.File)), Pattern: s.Pattern, Reason: s.Reason})
	}
	return cty.ObjectVal(map[string]cty.Value{
		"coverage":      cov.Value(),
		"files_scanned": cty.NumberIntVal(rep.FilesScanned),
		"bytes_scanned": cty.NumberIntVal(rep.BytesScanned),
		"pans":          ListOf(scanPAN, pans),
		"live_pans":     ListOf(scanPAN, livePANs),
		"test_pans":     ListOf(scanPAN, testPANs),
		"secrets":       ListOf(scanSecret, secrets),
		"live_secrets":  ListOf(scanSecret, liveSecrets),
		"private_keys":  ListOf(scanSecret, keys),
		"skipped":       ListOf(scanSkipped, skipped),
		"masked_pans":   ListOf(scanMasked, masked),
		"sad":           ListOf(scanSAD, sad),
		"live_sad":      ListOf(scanSAD, liveSAD),
	}), nil
}

// scanStrings returns a list(string) attribute, skipping null elements.
func scanStrings(cfg cty.Value, name string) []string {
	v := cfg.GetAttr(name)
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if !e.IsNull() && e.IsKnown() {
			out = append(out, e.AsString())
		}
	}
	return out
}
