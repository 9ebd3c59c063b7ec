package manifest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// maxDepth bounds nesting in JSON and XML files.
const maxDepth = 256

// jsonValue is a scalar of a JSON document at its path.
type jsonValue struct {
	path  []string
	value string
	line  int
}

// jsonScalars lists the scalars of a JSON document with their paths (array
// elements numbered) and lines.
func jsonScalars(data []byte) ([]jsonValue, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out []jsonValue
	lineAt := func() int { return 1 + bytes.Count(data[:dec.InputOffset()], []byte("\n")) }
	var walk func(path []string, depth int) error
	walk = func(path []string, depth int) error {
		if depth > maxDepth {
			return errors.New("nested too deeply")
		}
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		d, ok := tok.(json.Delim)
		if !ok {
			v := ""
			switch t := tok.(type) {
			case string:
				v = t
			case json.Number:
				v = t.String()
			case bool:
				v = strconv.FormatBool(t)
			}
			out = append(out, jsonValue{path: path, value: v, line: lineAt()})
			return nil
		}
		for i := 0; dec.More(); i++ {
			key := strconv.Itoa(i)
			if d == '{' {
				k, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ = k.(string)
			}
			if err := walk(append(path[:len(path):len(path)], key), depth+1); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	}
	if err := walk(nil, 0); err != nil {
		return nil, fmt.Errorf("line %d: %w", lineAt(), err)
	}
	return out, nil
}

// npmLock reads package-lock.json: "packages" (lockfile v2, v3) or
// "dependencies" (v1, nested).
func npmLock(data []byte) ([]Package, error) {
	vals, err := jsonScalars(data)
	if err != nil {
		return nil, err
	}
	var out []Package
	for _, v := range vals {
		n := len(v.path)
		if n < 3 || v.path[n-1] != "version" {
			continue
		}
		switch {
		case v.path[0] == "packages" && n == 3 && v.path[1] != "":
			name := v.path[1]
			i := strings.LastIndex(name, "node_modules/")
			if i < 0 || i+len("node_modules/") == len(name) {
				continue // a workspace folder, not a package
			}
			name = name[i+len("node_modules/"):]
			out = append(out, Package{Ecosystem: NPM, Name: name, Version: v.value, Locked: true, Line: v.line})
		case v.path[0] == "dependencies" && n%2 == 1 && v.path[n-3] == "dependencies" && v.path[n-2] != "":
			out = append(out, Package{Ecosystem: NPM, Name: v.path[n-2], Version: v.value, Locked: true, Line: v.line})
		}
	}
	return out, nil
}

// npmManifest reads the ranges package.json requires.
func npmManifest(data []byte) ([]Package, error) {
	return jsonRequires(data, NPM, "dependencies", "devDependencies", "optionalDependencies", "peerDependencies")
}

// composerManifest reads the constraints composer.json requires.
func composerManifest(data []byte) ([]Package, error) {
	return jsonRequires(data, Composer, "require", "require-dev")
}

func jsonRequires(data []byte, eco string, sections ...string) ([]Package, error) {
	vals, err := jsonScalars(data)
	if err != nil {
		return nil, err
	}
	var out []Package
	for _, v := range vals {
		if len(v.path) == 2 && slices.Contains(sections, v.path[0]) && v.path[1] != "" {
			out = append(out, Package{Ecosystem: eco, Name: v.path[1], Version: v.value, Line: v.line})
		}
	}
	return out, nil
}

// composerLock reads composer.lock's packages and packages-dev.
func composerLock(data []byte) ([]Package, error) {
	vals, err := jsonScalars(data)
	if err != nil {
		return nil, err
	}
	type entry struct {
		name, version string
		line          int
	}
	entries := map[string]*entry{}
	var order []string
	for _, v := range vals {
		if len(v.path) != 3 || v.path[0] != "packages" && v.path[0] != "packages-dev" {
			continue
		}
		id := v.path[0] + "/" + v.path[1]
		e, ok := entries[id]
		if !ok {
			e = &entry{}
			entries[id] = e
			order = append(order, id)
		}
		switch v.path[2] {
		case "name":
			e.name = v.value
		case "version":
			e.version, e.line = v.value, v.line
		}
	}
	var out []Package
	for _, id := range order {
		if e := entries[id]; e.name != "" && e.version != "" {
			out = append(out, Package{Ecosystem: Composer, Name: e.name, Version: e.version, Locked: true, Line: e.line})
		}
	}
	return out, nil
}

// pipfileLock reads Pipfile.lock's default and develop sections.
func pipfileLock(data []byte) ([]Package, error) {
	vals, err := jsonScalars(data)
	if err != nil {
		return nil, err
	}
	var out []Package
	for _, v := range vals {
		if len(v.path) == 3 && (v.path[0] == "default" || v.path[0] == "develop") && v.path[1] != "" && v.path[2] == "version" {
			out = append(out, Package{Ecosystem: PyPI, Name: normalizePyPI(v.path[1]), Version: strings.TrimLeft(v.value, "="), Locked: true, Line: v.line})
		}
	}
	return out, nil
}

// nugetLock reads packages.lock.json: dependencies by target framework.
func nugetLock(data []byte) ([]Package, error) {
	vals, err := jsonScalars(data)
	if err != nil {
		return nil, err
	}
	var out []Package
	seen := map[string]bool{}
	for _, v := range vals {
		if len(v.path) == 4 && v.path[0] == "dependencies" && v.path[2] != "" && v.path[3] == "resolved" {
			if key := v.path[2] + "@" + v.value; !seen[key] { // the same package under each framework
				seen[key] = true
				out = append(out, Package{Ecosystem: NuGet, Name: v.path[2], Version: v.value, Locked: true, Line: v.line})
			}
		}
	}
	return out, nil
}

// lines calls fn with each line of data and its number.
func lines(data []byte, fn func(n int, line string)) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), len(data)+1)
	for n := 1; sc.Scan(); n++ {
		fn(n, sc.Text())
	}
}

var (
	yarnHeader  = regexp.MustCompile(`^"?(@?[^@\s",]+)@`)
	yarnVersion = regexp.MustCompile(`^\s+version:?\s+"?([^"\s]+)"?`)
)

// yarnLock reads yarn.lock, classic (v1) and Berry: an unindented header
// naming the package, then its indented version line.
func yarnLock(data []byte) ([]Package, error) {
	var out []Package
	name := ""
	lines(data, func(n int, line string) {
		if line == "" || line[0] == '#' {
			return
		}
		if line[0] != ' ' {
			name = ""
			if m := yarnHeader.FindStringSubmatch(line); m != nil && strings.HasSuffix(strings.TrimSpace(line), ":") {
				name = m[1]
			}
			return
		}
		if m := yarnVersion.FindStringSubmatch(line); m != nil && name != "" && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "    ") {
			out = append(out, Package{Ecosystem: NPM, Name: name, Version: m[1], Locked: true, Line: n})
			name = ""
		}
	})
	return out, nil
}

// pnpmPackage matches a package key of pnpm-lock.yaml's packages or
// snapshots: /name@1.2.3 (v6+), /name/1.2.3 (v5), 'name@1.2.3' (v9), with
// peer suffixes in parentheses or after _.
var pnpmPackage = regexp.MustCompile(`^  ['"]?/?((?:@[^@/\s'"]+/)?[^@/\s'"()]+)[@/](\d[^:'"()\s_]*)`)

// pnpmLock reads pnpm-lock.yaml's package keys.
func pnpmLock(data []byte) ([]Package, error) {
	var out []Package
	section := ""
	seen := map[string]bool{}
	lines(data, func(n int, line string) {
		if line != "" && line[0] != ' ' {
			section = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line), ":"))
			return
		}
		if section != "packages" && section != "snapshots" {
			return
		}
		if m := pnpmPackage.FindStringSubmatch(line); m != nil {
			if key := m[1] + "@" + m[2]; !seen[key] {
				seen[key] = true
				out = append(out, Package{Ecosystem: NPM, Name: m[1], Version: m[2], Locked: true, Line: n})
			}
		}
	})
	return out, nil
}

var requirementLine = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(===?|~=|>=|<=|!=|>|<)?\s*([^\s;,#]*)`)

// requirements reads requirements.txt: "name==1.2.3" pins, other
// specifiers as ranges; options (-r, -e, --hash) and comments are skipped.
func requirements(data []byte) ([]Package, error) {
	var out []Package
	lines(data, func(n int, line string) {
		s := strings.TrimSpace(line)
		if s == "" || s[0] == '#' || s[0] == '-' || strings.Contains(s, "://") {
			return
		}
		m := requirementLine.FindStringSubmatch(s)
		if m == nil {
			return
		}
		p := Package{Ecosystem: PyPI, Name: normalizePyPI(m[1]), Line: n, Version: m[2] + m[3]}
		if m[2] == "==" || m[2] == "===" {
			p.Version, p.Locked = m[3], true
		}
		out = append(out, p)
	})
	return out, nil
}

// normalizePyPI folds a distribution name as PEP 503 does.
func normalizePyPI(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '.' {
			return '-'
		}
		if r >= 'A' && r <= 'Z' {
			return r - 'A' + 'a'
		}
		return r
	}, name)
}

// poetryLock reads poetry.lock's [[package]] tables.
func poetryLock(data []byte) ([]Package, error) {
	var p unstable.Parser
	p.Reset(data)
	var out []Package
	inPackage := false
	var cur Package
	flush := func() {
		if cur.Name != "" && cur.Version != "" {
			out = append(out, cur)
		}
		cur = Package{Ecosystem: PyPI, Locked: true}
	}
	flush()
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.ArrayTable, unstable.Table:
			flush()
			key := ""
			for it := e.Key(); it.Next(); {
				key += string(it.Node().Data) + "."
			}
			inPackage = e.Kind == unstable.ArrayTable && key == "package."
		case unstable.KeyValue:
			if !inPackage {
				continue
			}
			k := ""
			for it := e.Key(); it.Next(); {
				k += string(it.Node().Data)
			}
			v := e.Value()
			if v.Kind != unstable.String {
				continue
			}
			switch k {
			case "name":
				cur.Name = normalizePyPI(string(v.Data))
			case "version":
				cur.Version = string(v.Data)
				cur.Line = p.Shape(v.Raw).Start.Line
			}
		}
	}
	if err := p.Error(); err != nil {
		return nil, err
	}
	flush()
	return out, nil
}

var gemSpec = regexp.MustCompile(`^    ([A-Za-z0-9][A-Za-z0-9._-]*) \(([^)\s]+)\)`)

// gemfileLock reads the specs of Gemfile.lock's GEM (and GIT, PATH)
// sections: four spaces, the gem, its version in parentheses.
func gemfileLock(data []byte) ([]Package, error) {
	var out []Package
	lines(data, func(n int, line string) {
		if m := gemSpec.FindStringSubmatch(line); m != nil {
			v := m[2]
			if i := strings.IndexByte(v, '-'); i > 0 && !strings.Contains(v[:i], "-") {
				v = v[:i] // 1.15.5-x86_64-linux: the platform is not the version
			}
			out = append(out, Package{Ecosystem: Gem, Name: m[1], Version: v, Locked: true, Line: n})
		}
	})
	return out, nil
}

// pom reads pom.xml's dependencies (also in dependencyManagement and
// plugins), resolving ${property}, ${project.version} and
// ${project.parent.version}. A dependency without a version takes it, in
// Maven's order, from this pom's dependencyManagement (listed there
// already), from a BOM imported there with the same groupId (the BOM's
// version line is the evidence), or from the parent when it has the same
// groupId (a module of the same project); otherwise it is listed with no
// version, so no step can take it for a known one.
func pom(data []byte) ([]Package, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	type coord struct {
		group, artifact, version, scope, typ string
		line, versionLine                    int
		managed                              bool
	}
	var (
		stack   []string
		text    strings.Builder
		props   = map[string]string{}
		dep     coord
		parent  coord
		project coord
		deps    []coord
	)
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, errors.New("nested too deeply")
			}
			stack = append(stack, t.Name.Local)
			text.Reset()
			if t.Name.Local == "dependency" || t.Name.Local == "plugin" {
				dep = coord{line: line, managed: slices.Contains(stack, "dependencyManagement")}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			v := strings.TrimSpace(text.String())
			parentEl, grand := "", ""
			if len(stack) >= 2 {
				parentEl = stack[len(stack)-2]
			}
			if len(stack) >= 3 {
				grand = stack[len(stack)-3]
			}
			switch {
			case parentEl == "properties":
				props[t.Name.Local] = v
			case parentEl == "dependency" || parentEl == "plugin":
				switch t.Name.Local {
				case "groupId":
					dep.group = v
				case "artifactId":
					dep.artifact, dep.line = v, line
				case "version":
					dep.version, dep.versionLine = v, line
				case "scope":
					dep.scope = v
				case "type":
					dep.typ = v
				}
			case parentEl == "parent" && grand == "project":
				switch t.Name.Local {
				case "groupId":
					parent.group = v
				case "artifactId":
					parent.artifact = v
				case "version":
					parent.version, parent.versionLine = v, line
				}
			case parentEl == "project":
				switch t.Name.Local {
				case "groupId":
					project.group = v
				case "version":
					project.version, project.versionLine = v, line
				}
			case t.Name.Local == "dependency" || t.Name.Local == "plugin":
				if dep.artifact != "" {
					deps = append(deps, dep)
				}
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			text.Reset()
		}
	}
	if project.group == "" {
		project.group = parent.group
	}
	if project.version == "" {
		project.version, project.versionLine = parent.version, parent.versionLine
	}
	resolve := func(v string) string {
		if !strings.HasPrefix(v, "${") || !strings.HasSuffix(v, "}") {
			return v
		}
		name := v[2 : len(v)-1]
		switch name {
		case "project.version", "pom.version", "version":
			if project.version != "" {
				return project.version
			}
		case "project.parent.version", "parent.version":
			if parent.version != "" {
				return parent.version
			}
		}
		if p, ok := props[name]; ok {
			return p
		}
		return v
	}
	managed := map[string]bool{}
	boms := map[string]coord{}
	for _, d := range deps {
		if d.managed && d.version != "" {
			managed[d.group+":"+d.artifact] = true
			if d.scope == "import" && d.typ == "pom" {
				boms[d.group] = d
			}
		}
	}
	var out []Package
	for _, d := range deps {
		name := d.group + ":" + d.artifact
		switch {
		case d.version != "":
			out = append(out, Package{Ecosystem: Maven, Name: name, Version: resolve(d.version), Locked: true, Line: d.versionLine})
		case d.managed || managed[name]:
			// listed with its managed version
		case boms[d.group].version != "":
			b := boms[d.group]
			out = append(out, Package{Ecosystem: Maven, Name: name, Version: resolve(b.version), Locked: true, Line: b.versionLine})
		case parent.version != "" && d.group == parent.group:
			out = append(out, Package{Ecosystem: Maven, Name: name, Version: resolve(parent.version), Locked: true, Line: parent.versionLine})
		default:
			out = append(out, Package{Ecosystem: Maven, Name: name, Line: d.line})
		}
	}
	return out, nil
}

// versionCatalog reads a Gradle version catalog (gradle/libs.versions.toml):
// each [libraries] entry as "group:name:version", { module = "g:n",
// version = "v" }, { group, name }, version.ref into [versions], or a
// rich version { strictly, require, prefer }. The entry's line is the
// evidence; an entry whose version cannot be told is listed without one.
func versionCatalog(data []byte) ([]Package, error) {
	var cat struct {
		Versions  map[string]any `toml:"versions"`
		Libraries map[string]any `toml:"libraries"`
	}
	if err := toml.Unmarshal(data, &cat); err != nil {
		return nil, err
	}
	rich := func(v any) (string, bool) {
		switch x := v.(type) {
		case string:
			return x, true
		case map[string]any:
			for _, k := range []string{"strictly", "require", "prefer"} {
				if s, ok := x[k].(string); ok {
					return s, true
				}
			}
		}
		return "", false
	}
	keyLines := catalogLines(data)
	var out []Package
	for key, lib := range cat.Libraries {
		var name, version string
		known := false
		switch x := lib.(type) {
		case string:
			parts := strings.Split(x, ":")
			if len(parts) < 2 {
				continue
			}
			name = parts[0] + ":" + parts[1]
			if len(parts) == 3 {
				version, known = parts[2], true
			}
		case map[string]any:
			if m, ok := x["module"].(string); ok {
				name = m
			} else if g, ok := x["group"].(string); ok {
				n, _ := x["name"].(string)
				name = g + ":" + n
			}
			switch v := x["version"].(type) {
			case map[string]any:
				if ref, ok := v["ref"].(string); ok {
					version, known = rich(cat.Versions[ref])
				} else {
					version, known = rich(v)
				}
			default:
				version, known = rich(v)
			}
		}
		if name == "" || strings.Count(name, ":") != 1 {
			continue
		}
		p := Package{Ecosystem: Maven, Name: name, Line: keyLines[key]}
		if known {
			p.Version, p.Locked = version, !strings.ContainsAny(version, "+[]()")
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Line < out[j].Line || out[i].Line == out[j].Line && out[i].Name < out[j].Name
	})
	return out, nil
}

// catalogLines finds the line of each [libraries] key of a version
// catalog: a line starting with the key (bare or quoted) and "=".
func catalogLines(data []byte) map[string]int {
	out := map[string]int{}
	section := ""
	lines(data, func(n int, line string) {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") {
			section = strings.Trim(t, "[] \t")
			return
		}
		if section != "libraries" {
			return
		}
		key, _, ok := strings.Cut(t, "=")
		if !ok {
			return
		}
		key = strings.Trim(strings.TrimSpace(key), `"'`)
		if _, seen := out[key]; !seen && key != "" {
			out[key] = n
		}
	})
	return out
}

var gradleDep = regexp.MustCompile(`(?:implementation|api|compile|compileOnly|runtimeOnly|testImplementation|classpath)\s*\(?\s*['"]([\w.-]+):([\w.-]+):([\w.+-]+)['"]`)

// gradle reads "group:artifact:version" dependencies of build.gradle and
// build.gradle.kts; other forms (version catalogs, maps) are not read.
func gradle(data []byte) ([]Package, error) {
	var out []Package
	lines(data, func(n int, line string) {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			return
		}
		for _, m := range gradleDep.FindAllStringSubmatch(line, -1) {
			out = append(out, Package{Ecosystem: Maven, Name: m[1] + ":" + m[2], Version: m[3], Locked: !strings.ContainsAny(m[3], "+[]"), Line: n})
		}
	})
	return out, nil
}

// gradleLock reads gradle.lockfile: group:artifact:version=configurations.
func gradleLock(data []byte) ([]Package, error) {
	var out []Package
	lines(data, func(n int, line string) {
		coord, _, ok := strings.Cut(line, "=")
		parts := strings.Split(coord, ":")
		if !ok || len(parts) != 3 || strings.HasPrefix(line, "#") {
			return
		}
		out = append(out, Package{Ecosystem: Maven, Name: parts[0] + ":" + parts[1], Version: parts[2], Locked: true, Line: n})
	})
	return out, nil
}

// xmlElements calls fn with each start element and its line.
func xmlElements(data []byte, fn func(e xml.StartElement, line int)) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return errors.New("nested too deeply")
			}
			fn(t, line)
		case xml.EndElement:
			depth--
		}
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}

// csproj reads <PackageReference Include="…" Version="…"/>, the version
// also as a child element.
func csproj(data []byte) ([]Package, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var (
		out     []Package
		cur     *Package
		inVer   bool
		depth   int
		version strings.Builder
	)
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return nil, errors.New("nested too deeply")
			}
			switch {
			case t.Name.Local == "PackageReference" && attr(t, "Include") != "":
				cur = &Package{Ecosystem: NuGet, Name: attr(t, "Include"), Version: attr(t, "Version"), Line: line}
			case cur != nil && t.Name.Local == "Version":
				inVer = true
				version.Reset()
				cur.Line = line
			}
		case xml.CharData:
			if inVer {
				version.Write(t)
			}
		case xml.EndElement:
			depth--
			switch {
			case inVer && t.Name.Local == "Version":
				inVer = false
				cur.Version = strings.TrimSpace(version.String())
			case cur != nil && t.Name.Local == "PackageReference":
				cur.Locked = cur.Version != "" && !strings.ContainsAny(cur.Version, "*[]()")
				out = append(out, *cur)
				cur = nil
			}
		}
	}
}

// nugetPackagesConfig reads packages.config: <package id="…" version="…"/>.
func nugetPackagesConfig(data []byte) ([]Package, error) {
	var out []Package
	err := xmlElements(data, func(e xml.StartElement, line int) {
		if e.Name.Local == "package" && attr(e, "id") != "" {
			out = append(out, Package{Ecosystem: NuGet, Name: attr(e, "id"), Version: attr(e, "version"), Locked: true, Line: line})
		}
	})
	return out, err
}

// goMod reads go.mod's require directives, single and in blocks.
func goMod(data []byte) ([]Package, error) {
	var out []Package
	block := false
	lines(data, func(n int, line string) {
		s := strings.TrimSpace(line)
		if i := strings.Index(s, "//"); i >= 0 {
			s = strings.TrimSpace(s[:i])
		}
		switch {
		case s == "require (":
			block = true
			return
		case block && s == ")":
			block = false
			return
		case strings.HasPrefix(s, "require "):
			s = strings.TrimSpace(strings.TrimPrefix(s, "require "))
		case !block:
			return
		}
		if f := strings.Fields(s); len(f) == 2 {
			out = append(out, Package{Ecosystem: GoMod, Name: f[0], Version: f[1], Locked: true, Line: n})
		}
	})
	return out, nil
}
