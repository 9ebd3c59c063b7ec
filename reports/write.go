package reports

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// File is one report of a run, written by WriteFiles.
type File struct {
	Name  string
	Write func(io.Writer) error
}

// partialPrefix names the temp files of systems without unnamed files: a
// run killed while writing leaves them, and the next run into the folder
// removes them.
const partialPrefix = ".audit-partial-"

// WriteFiles writes one run's reports into dir so that the folder never
// holds a torn report, a temp file left by a killed run, or the reports of
// two runs. Every file is first written in full, unnamed where the system
// allows (Linux O_TMPFILE: a kill leaves nothing behind), and synced, so a
// full disk fails here; only then are the files of the known names that
// are there (an earlier run's, of any format) removed, and the new ones
// named. A kill in that last step leaves part of this run's reports, never
// a mix. Runs into the same folder take turns (a lock on the folder).
func WriteFiles(dir string, files []File, known []string) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return fmt.Errorf("lock %s: %w", dir, err)
	}
	defer unlock()
	removeLeftovers(dir, known)
	written := make([]*tempFile, 0, len(files))
	defer func() {
		for _, t := range written {
			t.discard()
		}
	}()
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		t, err := createTemp(dir)
		if err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		written = append(written, t)
		if err := f.Write(t.f); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := t.f.Sync(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	for _, name := range known {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove the earlier run's %s: %w", filepath.Join(dir, name), err)
		}
	}
	for i, t := range written {
		path := filepath.Join(dir, files[i].Name)
		if err := t.commit(path); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}

// tempFile is a report being written: unnamed (name == "") or under a
// partialPrefix name.
type tempFile struct {
	f    *os.File
	name string
	done bool
}

func createNamedTemp(dir string) (*tempFile, error) {
	f, err := os.CreateTemp(dir, partialPrefix+"*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &tempFile{f: f, name: f.Name()}, nil
}

func (t *tempFile) commit(path string) error {
	if t.name == "" {
		if err := linkUnnamed(t.f, path); err != nil {
			return err
		}
		t.done = true
		return t.f.Close()
	}
	if err := t.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(t.name, path); err != nil {
		return err
	}
	t.done = true
	return nil
}

func (t *tempFile) discard() {
	if t.done {
		return
	}
	t.f.Close()
	if t.name != "" {
		os.Remove(t.name)
	}
}

// removeLeftovers removes the temp files of runs killed while writing into
// dir: ours, and those of versions that named them ".audit.json.123456".
// Under the folder's lock, any that exist are a dead run's.
func removeLeftovers(dir string, known []string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, ".") {
			continue
		}
		if strings.HasPrefix(name, partialPrefix) || oldTemp(name, known) {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

func oldTemp(name string, known []string) bool {
	for _, k := range known {
		rest, ok := strings.CutPrefix(name, "."+k+".")
		if ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			return true
		}
	}
	return false
}
