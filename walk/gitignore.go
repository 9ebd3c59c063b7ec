package walk

import (
	"bufio"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// maxIgnoreFile bounds a .gitignore read.
const maxIgnoreFile = 1 << 20

// ignores is the chain of .gitignore files in force in a folder, the
// deepest last. It only informs (File.Ignored): nothing is skipped for it.
type ignores struct {
	parent *ignores
	dir    string // slash path relative to Base of the .gitignore's folder
	rules  []ignoreRule
}

type ignoreRule struct {
	glob     string
	negate   bool
	dirOnly  bool
	anchored bool // holds a slash: matched against the path below dir
}

// load returns ign extended with the .gitignore of folder p (rel below
// Base), or ign itself when there is none.
func (ign *ignores) load(p, rel string) *ignores {
	f, err := os.Open(filepath.Join(p, ".gitignore"))
	if err != nil {
		return ign
	}
	defer f.Close()
	var rules []ignoreRule
	sc := bufio.NewScanner(io.LimitReader(f, maxIgnoreFile))
	for sc.Scan() {
		if r, ok := parseIgnore(sc.Text()); ok {
			rules = append(rules, r)
		}
	}
	if len(rules) == 0 {
		return ign
	}
	return &ignores{parent: ign, dir: rel, rules: rules}
}

func parseIgnore(line string) (ignoreRule, bool) {
	line = strings.TrimRight(line, " \r")
	if line == "" || strings.HasPrefix(line, "#") {
		return ignoreRule{}, false
	}
	var r ignoreRule
	if strings.HasPrefix(line, "!") {
		r.negate, line = true, line[1:]
	}
	line = strings.TrimPrefix(line, `\`)
	if strings.HasSuffix(line, "/") {
		r.dirOnly, line = true, strings.TrimRight(line, "/")
	}
	r.anchored = strings.Contains(line, "/")
	r.glob = strings.TrimPrefix(line, "/")
	if r.glob == "" || !doublestar.ValidatePattern(r.glob) {
		return ignoreRule{}, false
	}
	return r, true
}

// match reports whether the file rel (slash path below Base) is ignored:
// it, or a folder above it, matches a rule and no later rule negates it.
func (ign *ignores) match(rel string) bool {
	if ign == nil {
		return false
	}
	var chain []*ignores
	for i := ign; i != nil; i = i.parent {
		chain = append(chain, i)
	}
	segs := strings.Split(rel, "/")
	for k := 1; k <= len(segs); k++ { // each folder above the file, then the file
		prefix := strings.Join(segs[:k], "/")
		isDir := k < len(segs)
		ignored := false
		for c := len(chain) - 1; c >= 0; c-- {
			g := chain[c]
			below, ok := strings.CutPrefix(prefix, g.dir+"/")
			if g.dir == "" || g.dir == "." {
				below, ok = prefix, true
			}
			if !ok {
				continue
			}
			for _, r := range g.rules {
				if r.dirOnly && !isDir {
					continue
				}
				target := path.Base(below)
				if r.anchored {
					target = below
				}
				if m, _ := doublestar.Match(r.glob, target); m {
					ignored = !r.negate
				}
			}
		}
		if ignored {
			return true
		}
	}
	return false
}

// Ignored reports whether a .gitignore between base and file's folder
// ignores file: the file is a runtime one that git does not track. For
// probes that list files their own way; Walk sets File.Ignored itself.
func Ignored(base, file string) bool {
	base, err := filepath.Abs(base)
	if err != nil {
		return false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	rel = filepath.ToSlash(rel)
	var ign *ignores
	dir, dirRel := base, "."
	ign = ign.load(dir, dirRel)
	segs := strings.Split(rel, "/")
	for _, s := range segs[:len(segs)-1] {
		dir = filepath.Join(dir, s)
		if dirRel == "." {
			dirRel = s
		} else {
			dirRel += "/" + s
		}
		ign = ign.load(dir, dirRel)
	}
	return ign.match(rel)
}
