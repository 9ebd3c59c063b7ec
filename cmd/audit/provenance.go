package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// provenance names dir for reports: relative to its git repository's root
// when it is in one (what code scanning and annotations resolve paths
// against), else relative to the working folder; and the commit checked
// out, when git can tell.
func provenance(dir string) (folder, commit string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return filepath.ToSlash(dir), ""
	}
	base := ""
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			base = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if base == "" {
		if wd, err := os.Getwd(); err == nil {
			base = wd
		}
	} else {
		commit = gitCommit(abs)
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(dir), commit
	}
	if rel == "." {
		rel = ""
	}
	return filepath.ToSlash(rel), commit
}

var commitID = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)

// gitCommit asks git for HEAD in dir; "" when git is missing or says
// nothing usable.
func gitCommit(dir string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "--verify", "-q", "HEAD")
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
	out, err := cmd.Output()
	if id := strings.TrimSpace(string(out)); err == nil && commitID.MatchString(id) {
		return id
	}
	return ""
}
