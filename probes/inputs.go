package probes

import (
	"github.com/zclconf/go-cty/cty"
)

// Input is a file or folder a probe will read, as its configuration names
// it (relative to Env.BaseDir unless absolute).
type Input struct {
	Path string
	// Dir: a folder is expected (and a file accepted: a tree of one).
	Dir bool
	// Optional: absence is a fact the probe reports, not a mistake.
	Optional bool
}

// Inputter is implemented by kinds that read local files. The loader
// checks every input before any probe runs, so a misspelt path is a
// configuration error (exit 2), found by `audit validate`, before a
// webhook receives anything.
type Inputter interface {
	Inputs(cfg cty.Value) []Input
}

// Inputs implements Inputter.
func (Config) Inputs(cfg cty.Value) []Input { return listInputs(cfg, "files", false) }

// Inputs implements Inputter.
func (Merchant) Inputs(cfg cty.Value) []Input { return stringInput(cfg, "file", false, false) }

// Inputs implements Inputter: a file probe reports a missing file as
// exists = false (a private key that must not be there).
func (File) Inputs(cfg cty.Value) []Input { return stringInput(cfg, "path", false, true) }

// Inputs implements Inputter: a local page, not a URL.
func (Page) Inputs(cfg cty.Value) []Input {
	if pageIsURL(cfgString(cfg, "source")) {
		return nil
	}
	return stringInput(cfg, "source", false, false)
}

// Inputs implements Inputter: a local logo, not a URL.
func (Image) Inputs(cfg cty.Value) []Input {
	if pageIsURL(cfgString(cfg, "source")) {
		return nil
	}
	return stringInput(cfg, "source", false, false)
}

// Inputs implements Inputter.
func (Scan) Inputs(cfg cty.Value) []Input { return listInputs(cfg, "paths", true) }

// Inputs implements Inputter.
func (Source) Inputs(cfg cty.Value) []Input { return listInputs(cfg, "dirs", true) }

func stringInput(cfg cty.Value, attr string, dir, optional bool) []Input {
	if s := cfgString(cfg, attr); s != "" {
		return []Input{{Path: s, Dir: dir, Optional: optional}}
	}
	return nil
}

func listInputs(cfg cty.Value, attr string, dir bool) []Input {
	if !cfg.Type().IsObjectType() || !cfg.Type().HasAttribute(attr) {
		return nil
	}
	list := cfg.GetAttr(attr)
	if list.IsNull() || !list.IsKnown() || !list.CanIterateElements() {
		return nil
	}
	var ins []Input
	for it := list.ElementIterator(); it.Next(); {
		_, v := it.Element()
		if v.IsKnown() && !v.IsNull() && v.Type() == cty.String && v.AsString() != "" {
			ins = append(ins, Input{Path: v.AsString(), Dir: dir})
		}
	}
	return ins
}

// Inputs implements Inputter: a log folder that is not there is the
// probe's to report.
func (Errors) Inputs(cfg cty.Value) []Input { return optional(listInputs(cfg, "dirs", true)) }

// Inputs implements Inputter: a folder without lockfiles is the probe's to
// report.
func (Packages) Inputs(cfg cty.Value) []Input { return optional(listInputs(cfg, "dirs", true)) }

func optional(ins []Input) []Input {
	for i := range ins {
		ins[i].Optional = true
	}
	return ins
}
