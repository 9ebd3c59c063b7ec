package manifest

import (
	"maps"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// pyproject reads pyproject.toml: PEP 621 [project] dependencies and
// optional-dependencies (requirement strings), and Poetry's
// [tool.poetry.dependencies] and group dependencies (name = version or
// { version = … }). Each package's line is the first that names it.
func pyproject(data []byte) ([]Package, error) {
	var doc struct {
		Project struct {
			Dependencies         []string            `toml:"dependencies"`
			OptionalDependencies map[string][]string `toml:"optional-dependencies"`
		} `toml:"project"`
		Tool struct {
			Poetry struct {
				Dependencies    map[string]any `toml:"dependencies"`
				DevDependencies map[string]any `toml:"dev-dependencies"`
				Group           map[string]struct {
					Dependencies map[string]any `toml:"dependencies"`
				} `toml:"group"`
			} `toml:"poetry"`
		} `toml:"tool"`
	}
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var out []Package
	reqs := append([]string{}, doc.Project.Dependencies...)
	for _, extra := range slices.Sorted(maps.Keys(doc.Project.OptionalDependencies)) {
		reqs = append(reqs, doc.Project.OptionalDependencies[extra]...)
	}
	for _, r := range reqs {
		m := requirementLine.FindStringSubmatch(r)
		if m == nil || strings.Contains(r, "://") {
			continue
		}
		p := Package{Ecosystem: PyPI, Name: normalizePyPI(m[1]), Version: m[2] + m[3], Line: lineNaming(data, `"`+r)}
		if m[2] == "==" || m[2] == "===" {
			p.Version, p.Locked = m[3], true
		}
		out = append(out, p)
	}
	poetry := []map[string]any{doc.Tool.Poetry.Dependencies, doc.Tool.Poetry.DevDependencies}
	for _, g := range slices.Sorted(maps.Keys(doc.Tool.Poetry.Group)) {
		poetry = append(poetry, doc.Tool.Poetry.Group[g].Dependencies)
	}
	for _, deps := range poetry {
		for _, name := range slices.Sorted(maps.Keys(deps)) {
			if strings.EqualFold(name, "python") {
				continue // the interpreter, not a package
			}
			version := ""
			switch v := deps[name].(type) {
			case string:
				version = v
			case map[string]any:
				version, _ = v["version"].(string)
			}
			out = append(out, Package{Ecosystem: PyPI, Name: normalizePyPI(name), Version: version, Line: lineNaming(data, name)})
		}
	}
	return out, nil
}

// lineNaming is the first line (from 1) holding s, 0 when none does.
func lineNaming(data []byte, s string) int {
	found := 0
	lines(data, func(i int, line string) {
		if found == 0 && strings.Contains(line, s) {
			found = i
		}
	})
	return found
}
