package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/internal/runner"
)

// traceProbe is --verbose: one stderr line per probe run.
func (a *app) traceProbe(p runner.ProbeTrace) {
	line := fmt.Sprintf("probe %s in %s: %d ms", p.Probe, orDot(p.Dir), p.Elapsed.Milliseconds())
	if p.Err != nil {
		line += ", " + firstLineOf(p.Err.Error())
	} else if what := probeRead(p.Facts); what != "" {
		line += ", " + what
	}
	// One write a line: probes finish on their own goroutines.
	_, _ = io.WriteString(a.stderr, line+"\n")
}

// probeRead says what a probe's facts show it read or fetched: the files
// of its coverage, the URL it fetched, the files it parsed.
func probeRead(facts cty.Value) string {
	if facts == cty.NilVal || !facts.IsKnown() || facts.IsNull() || !facts.Type().IsObjectType() {
		return ""
	}
	var parts []string
	attr := func(name string) cty.Value {
		if !facts.Type().HasAttribute(name) {
			return cty.NilVal
		}
		v := facts.GetAttr(name)
		if !v.IsKnown() || v.IsNull() {
			return cty.NilVal
		}
		return v
	}
	if u := attr("url"); u != cty.NilVal && u.Type() == cty.String && u.AsString() != "" {
		parts = append(parts, "fetched "+u.AsString())
	}
	if c := attr("coverage"); c != cty.NilVal && c.Type().IsObjectType() && c.Type().HasAttribute("files_read") {
		if n := c.GetAttr("files_read"); n.IsKnown() && !n.IsNull() && n.Type() == cty.Number {
			parts = append(parts, "read "+n.AsBigFloat().Text('f', 0)+" file(s)")
		}
	}
	if f := attr("files"); f != cty.NilVal && (f.Type().IsListType() || f.Type().IsTupleType()) {
		parts = append(parts, fmt.Sprintf("parsed %d file(s)", f.LengthInt()))
	}
	return strings.Join(parts, ", ")
}

func orDot(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
