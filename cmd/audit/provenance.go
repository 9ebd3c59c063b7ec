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

// provenance names dir for reports (see reportFolder), and gives the
// commit checked out, when git can tell.
func provenance(dir string) (folder, commit string) {
	folder, abs, repo := locate(dir)
	if repo {
		commit = gitCommit(abs)
	}
	return folder, commit
}

// reportFolder names dir for reports: relative to its git repository's
// root when it is in one (what code scanning and annotations resolve
// paths against), else relative to the working folder. It runs no git:
// audit scan's reports name no commit.
func reportFolder(dir string) string {
	folder, _, _ := locate(dir)
	return folder
}

// locate returns reportFolder's name for dir, dir made absolute, and
// whether it is in a git repository.
func locate(dir string) (folder, abs string, repo bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return filepath.ToSlash(dir), "", false
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
	repo = base != ""
	if !repo {
		if wd, err := os.Getwd(); err == nil {
			base = wd
		}
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(dir), abs, repo
	}
	if rel == "." {
		rel = ""
	}
	return filepath.ToSlash(rel), abs, repo
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
