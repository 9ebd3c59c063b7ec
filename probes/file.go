package probes

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
)

// maxMatchText caps a matching line in the facts: minified files have
// megabyte lines, and a report only needs to show where the match is.
const maxMatchText = 200

var fileMatch = cty.Object(map[string]cty.Type{
	"file": cty.String,
	"line": cty.Number,
	"text": cty.String,
})

var fileFacts = cty.Object(map[string]cty.Type{
	"path":    cty.String,
	"exists":  cty.Bool,
	"size":    cty.Number,
	"sha256":  cty.String,
	"mode":    cty.String, // permission bits in octal, "0644"
	"matches": cty.Map(cty.List(fileMatch)),
})

// File describes one file: whether it exists, its size, digest and
// permissions, and the lines matching named regular expressions. A missing
// file is a fact (exists = false) because "this file must not exist" and
// "this file must exist" are both checklist items.
type File struct{}

// Name implements Kind.
func (File) Name() string { return "file" }

// Doc implements Kind.
func (File) Doc() string {
	return "Checks a file: existence, size, SHA-256, permissions and lines matching regular expressions."
}

// Spec implements Kind.
func (File) Spec() hcldec.Spec {
	return &hcldec.ObjectSpec{
		"path":     &hcldec.AttrSpec{Name: "path", Type: cty.String, Required: true},
		"patterns": &hcldec.AttrSpec{Name: "patterns", Type: cty.Map(cty.String)},
	}
}

// Facts implements Kind.
func (File) Facts() cty.Type { return fileFacts }

// Validate implements Validator: a pattern that does not compile is the
// checklist author's mistake.
func (File) Validate(_ *Env, cfg cty.Value) hcl.Diagnostics {
	if !cfg.IsWhollyKnown() {
		return nil
	}
	_, err := compilePatterns(cfg.GetAttr("patterns"))
	if cfgString(cfg, "path") == "" {
		err = errors.Join(errors.New("path is empty"), err)
	}
	if err != nil {
		return configDiag("file", err)
	}
	return nil
}

type namedPattern struct {
	name string
	re   *regexp.Regexp
}

// compilePatterns compiles the patterns in name order, so errors and
// results are deterministic.
func compilePatterns(v cty.Value) ([]namedPattern, error) {
	if v.IsNull() {
		return nil, nil
	}
	var pats []namedPattern
	var errs []error
	for it := v.ElementIterator(); it.Next(); {
		k, src := it.Element()
		re, err := regexp.Compile(src.AsString())
		if err != nil {
			errs = append(errs, fmt.Errorf("patterns[%q]: %w", k.AsString(), err))
			continue
		}
		pats = append(pats, namedPattern{name: k.AsString(), re: re})
	}
	sort.Slice(pats, func(i, j int) bool { return pats[i].name < pats[j].name })
	return pats, errors.Join(errs...)
}

// Run implements Kind.
func (File) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	pats, err := compilePatterns(cfg.GetAttr("patterns"))
	if err != nil {
		return cty.NilVal, err
	}
	name := cfgString(cfg, "path")
	if name == "" {
		return cty.NilVal, errors.New("file probe: path is empty")
	}
	path := env.Path(name)
	rel := env.Rel(path)
	matches := make([][]cty.Value, len(pats))

	f, info, err := env.Scope.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileVal(rel, false, 0, "", "", pats, matches), nil
	}
	if err != nil {
		return cty.NilVal, fmt.Errorf("file probe: %w", err)
	}
	defer f.Close()

	// One pass: the digest sees every byte while the lines are matched.
	digest := sha256.New()
	r := bufio.NewReader(io.TeeReader(f, digest))
	for line := 1; ; line++ {
		if err := ctx.Err(); err != nil {
			return cty.NilVal, fmt.Errorf("file probe: %w", err)
		}
		text, err := r.ReadString('\n')
		if text != "" {
			for i, p := range pats {
				if p.re.MatchString(text) {
					matches[i] = append(matches[i], cty.ObjectVal(map[string]cty.Value{
						"file": cty.StringVal(rel),
						"line": cty.NumberIntVal(int64(line)),
						"text": cty.StringVal(capRunes(strings.TrimSpace(text), maxMatchText)),
					}))
				}
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return cty.NilVal, fmt.Errorf("file probe: reading %s: %w", rel, err)
		}
	}
	return fileVal(rel, true, info.Size(), hex.EncodeToString(digest.Sum(nil)),
		fmt.Sprintf("%04o", info.Mode().Perm()), pats, matches), nil
}

func fileVal(rel string, exists bool, size int64, sum, mode string, pats []namedPattern, matches [][]cty.Value) cty.Value {
	m := cty.MapValEmpty(cty.List(fileMatch))
	if len(pats) > 0 {
		byName := make(map[string]cty.Value, len(pats))
		for i, p := range pats {
			byName[p.name] = ListOf(fileMatch, matches[i])
		}
		m = cty.MapVal(byName)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"path":    cty.StringVal(rel),
		"exists":  cty.BoolVal(exists),
		"size":    cty.NumberIntVal(size),
		"sha256":  cty.StringVal(sum),
		"mode":    cty.StringVal(mode),
		"matches": m,
	})
}

// capRunes shortens s to at most n runes without splitting a character.
func capRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
