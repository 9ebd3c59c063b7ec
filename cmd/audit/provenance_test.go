package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// audit scan's reports name the folder, never a commit: reportFolder finds
// it as provenance does, without running git (a process per scan).
func TestReportFolderRunsNoGit(t *testing.T) {
	repo := t.TempDir()
	sub := filepath.Join(repo, "a", "b")
	require.NoError(t, os.MkdirAll(sub, 0o755))
	require.NoError(t, os.Mkdir(filepath.Join(repo, ".git"), 0o755))
	bin := t.TempDir()
	ran := filepath.Join(bin, "ran")
	const id = "0123456789abcdef0123456789abcdef01234567"
	require.NoError(t, os.WriteFile(filepath.Join(bin, "git"), []byte("#!/bin/sh\n: > '"+ran+"'\necho "+id+"\n"), 0o755))
	t.Setenv("PATH", bin)

	assert.Equal(t, "a/b", reportFolder(sub))
	assert.NoFileExists(t, ran, "reportFolder ran git")
	t.Chdir(sub)
	code, _, stderr := audit(t, "scan", ".", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.NoFileExists(t, ran, "audit scan ran git")

	folder, commit := provenance(sub)
	assert.Equal(t, "a/b", folder)
	assert.Equal(t, id, commit)
	assert.FileExists(t, ran)
}
