package checklist

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Integration is a merchant's audit.hcl: which checklists to use with which
// values, plus attestations and waivers.
type Integration struct {
	File    string
	Dir     string // relative paths in the file resolve here
	Uses    []*Use
	Attests []*Attest
	Waivers []*Waiver
}

// Use selects a checklist, built-in by name or a file by path, and sets its
// variables.
type Use struct {
	Ref        string // the label: a built-in name or a path ending in .hcl
	Attrs      hcl.Attributes
	DeclRange  hcl.Range
	LabelRange hcl.Range
}

// Attest is a signed statement that closes a manual step.
type Attest struct {
	StepID    string
	By        string
	Date      time.Time
	Evidence  string
	DeclRange hcl.Range
}

// Waiver is an accountable exception for a failing step.
type Waiver struct {
	StepID     string
	Reason     string
	ApprovedBy string
	Expires    time.Time // the last day it waives
	Ticket     string
	DeclRange  hcl.Range
}

// Expired reports whether the waiver no longer waives on day now.
func (w *Waiver) Expired(now time.Time) bool {
	return dayOf(now).After(w.Expires)
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

const dateLayout = "2006-01-02"

func decodeIntegration(file *hcl.File, filename string) (*Integration, hcl.Diagnostics) {
	in := &Integration{File: filename, Dir: filepath.Dir(filename)}
	content, diags := file.Body.Content(integrationFileSchema)
	if content == nil {
		return in, diags
	}
	uses := map[string]*Use{}
	attests := map[string]*Attest{}
	waivers := map[string]*Waiver{}
	for _, block := range content.Blocks {
		switch block.Type {
		case "use":
			attrs, ds := block.Body.JustAttributes()
			diags = append(diags, ds...)
			u := &Use{Ref: block.Labels[0], Attrs: attrs, DeclRange: block.DefRange, LabelRange: block.LabelRanges[0]}
			if prev, dup := uses[u.Ref]; dup {
				diags = append(diags, duplicate("use block", u.Ref, prev.DeclRange, u.DeclRange))
				continue
			}
			uses[u.Ref] = u
			in.Uses = append(in.Uses, u)

		case "attest":
			bc, ds := block.Body.Content(attestBlockSchema)
			diags = append(diags, ds...)
			a := &Attest{StepID: block.Labels[0], DeclRange: block.DefRange}
			diags = append(diags, staticString(bc.Attributes["by"], &a.By)...)
			diags = append(diags, staticString(bc.Attributes["evidence"], &a.Evidence)...)
			diags = append(diags, staticDate(bc.Attributes["date"], &a.Date)...)
			if prev, dup := attests[a.StepID]; dup {
				diags = append(diags, duplicate("attestation", a.StepID, prev.DeclRange, a.DeclRange))
				continue
			}
			attests[a.StepID] = a
			in.Attests = append(in.Attests, a)

		case "waiver":
			bc, ds := block.Body.Content(waiverBlockSchema)
			diags = append(diags, ds...)
			w := &Waiver{StepID: block.Labels[0], DeclRange: block.DefRange}
			diags = append(diags, staticString(bc.Attributes["reason"], &w.Reason)...)
			diags = append(diags, staticString(bc.Attributes["approved_by"], &w.ApprovedBy)...)
			diags = append(diags, staticString(bc.Attributes["ticket"], &w.Ticket)...)
			diags = append(diags, staticDate(bc.Attributes["expires"], &w.Expires)...)
			if prev, dup := waivers[w.StepID]; dup {
				diags = append(diags, duplicate("waiver", w.StepID, prev.DeclRange, w.DeclRange))
				continue
			}
			waivers[w.StepID] = w
			in.Waivers = append(in.Waivers, w)
		}
	}
	return in, diags
}

func staticDate(a *hcl.Attribute, dst *time.Time) hcl.Diagnostics {
	var s string
	if a == nil {
		return nil
	}
	diags := staticString(a, &s)
	if diags.HasErrors() {
		return diags
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid date",
			Detail:   fmt.Sprintf("%q is not a date in the form YYYY-MM-DD.", s),
			Subject:  a.Expr.Range().Ptr(),
		})
	}
	*dst = t
	return diags
}
