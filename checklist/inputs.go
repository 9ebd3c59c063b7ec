package checklist

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/internal/input"
	"github.com/audit-tool/audit/probes"
)

// checkInputs checks, before anything runs, every local file and folder a
// probe will read: it exists (unless the probe reports absence itself), it
// is a regular file or a folder as expected, and it is not host state
// (/proc, /sys, /dev). The diagnostic points at the use-block attribute
// that named the path when there is one, else at the probe block.
//
// With a scope (an audit.hcl's use block), every path must also resolve,
// through links, inside the integration's folder or a folder it allows.
func checkInputs(kind probes.Kind, cfg cty.Value, env *probes.Env, vars map[string]cty.Value, attrs hcl.Attributes, probeRange hcl.Range, scope *input.Scope) hcl.Diagnostics {
	in, ok := kind.(probes.Inputter)
	if !ok {
		return nil
	}
	var diags hcl.Diagnostics
	for _, i := range in.Inputs(cfg) {
		summary := "Unusable input path"
		err := checkInput(env.Path(i.Path), i)
		if err == nil {
			summary, err = "Input path outside the integration", unwrapPathErr(scope.Check(env.Path(i.Path)))
		}
		if err != nil {
			subject, name := inputSubject(i.Path, vars, attrs, probeRange)
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  summary,
				Detail:   fmt.Sprintf("%s%q: %s.", name, i.Path, err),
				Subject:  subject.Ptr(),
			})
		}
	}
	return diags
}

// scope is in's containment: its folder and allow_paths_outside.
func (in *Integration) scope() *input.Scope {
	allowed := make([]string, len(in.AllowOutside))
	for i, a := range in.AllowOutside {
		if !filepath.IsAbs(a) {
			a = filepath.Join(in.Dir, a)
		}
		allowed[i] = a
	}
	return input.NewScope(in.Dir, allowed...)
}

func checkInput(path string, i probes.Input) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && i.Optional:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("no such file or folder")
	case err != nil:
		return unwrapPathErr(err)
	case i.Dir && info.IsDir():
		_, err = input.Check(path + "/.") // host state, through links too
		if err != nil && !errors.Is(err, input.ErrNotRegular) {
			return unwrapPathErr(err)
		}
		return nil
	}
	if _, err := input.Check(path); err != nil {
		return unwrapPathErr(err)
	}
	return nil
}

// inputSubject finds the use-block attribute whose value holds path, and
// names the variable for the message.
func inputSubject(path string, vars map[string]cty.Value, attrs hcl.Attributes, fallback hcl.Range) (hcl.Range, string) {
	for _, name := range slices.Sorted(maps.Keys(vars)) {
		if !holds(vars[name], path) {
			continue
		}
		if a, ok := attrs[name]; ok {
			return a.Expr.Range(), name + " "
		}
		return fallback, name + " "
	}
	return fallback, ""
}

func holds(v cty.Value, s string) bool {
	if !v.IsWhollyKnown() || v.IsNull() {
		return false
	}
	switch {
	case v.Type() == cty.String:
		return v.AsString() == s
	case v.CanIterateElements():
		for it := v.ElementIterator(); it.Next(); {
			if _, e := it.Element(); holds(e, s) {
				return true
			}
		}
	}
	return false
}
