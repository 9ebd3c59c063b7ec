package checklist

import (
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Integration is a merchant's audit.hcl: which checklists to use with which
// values, plus attestations and waivers.
type Integration struct {
	File    string
	Dir     string // relative paths in the file resolve here
	Uses    []*Use
	Attests []*Attest
	Waivers []*Waiver
	// MaxWaiverMonths is how far ahead a waiver may expire.
	MaxWaiverMonths int
	maxWaiverRange  *hcl.Range
	// AllowOutside are folders outside Dir (as written, relative to Dir)
	// whose files the use blocks may name.
	AllowOutside []string
}

// defaultMaxWaiverMonths: an exception is reviewed at least once a year.
const defaultMaxWaiverMonths = 12

// Use selects a checklist, built-in by name or a file by path, and sets its
// variables.
type Use struct {
	Ref   string // the label: a built-in name or a path ending in .hcl
	Attrs hcl.Attributes
	// Blocks are list entries written as blocks (a variable's block type).
	Blocks     hcl.Blocks
	DeclRange  hcl.Range
	LabelRange hcl.Range
	// elems is where each entry of a list variable was written, when the
	// use block wrote them one by one: diagnostics about an entry point
	// there.
	elems map[string][]hcl.Range
}

// attrs is u's attributes; none for a run without audit.hcl.
func (u *Use) attrs() hcl.Attributes {
	if u == nil {
		return nil
	}
	return u.Attrs
}

// useBody splits a use block's body: attributes set variables, blocks add
// entries to list variables that take them.
func useBody(body hcl.Body) (hcl.Attributes, hcl.Blocks, hcl.Diagnostics) {
	sb, ok := body.(*hclsyntax.Body)
	if !ok || len(sb.Blocks) == 0 {
		attrs, diags := body.JustAttributes()
		return attrs, nil, diags
	}
	only := *sb
	only.Blocks = nil
	attrs, diags := only.JustAttributes()
	blocks := make(hcl.Blocks, len(sb.Blocks))
	for i, b := range sb.Blocks {
		blocks[i] = b.AsHCLBlock()
	}
	return attrs, blocks, diags
}

// Attest is a signed statement that closes a manual step.
type Attest struct {
	StepID    string
	By        string
	Date      time.Time
	Evidence  string
	DeclRange hcl.Range
	dateRange hcl.Range
}

// Waiver is an accountable exception for a failing step.
type Waiver struct {
	StepID     string
	Reason     string
	ApprovedBy string
	Expires    time.Time // the last day it waives
	Ticket     string
	DeclRange  hcl.Range
	expRange   hcl.Range
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
	in := &Integration{File: filename, Dir: filepath.Dir(filename), MaxWaiverMonths: defaultMaxWaiverMonths}
	content, diags := file.Body.Content(integrationFileSchema)
	if content == nil {
		return in, diags
	}
	if a := content.Attributes["max_waiver_months"]; a != nil {
		v, ds := staticValue(a, cty.Number)
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			n, acc := v.AsBigFloat().Int64()
			if acc != big.Exact || n < 1 || n > 120 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError, Summary: "Invalid max_waiver_months",
					Detail: "max_waiver_months is a whole number of months, 1 to 120.", Subject: a.Expr.Range().Ptr(),
				})
			} else {
				in.MaxWaiverMonths, in.maxWaiverRange = int(n), a.Expr.Range().Ptr()
			}
		}
	}
	if a := content.Attributes["allow_paths_outside"]; a != nil {
		v, ds := staticValue(a, cty.List(cty.String))
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				if e.IsNull() || strings.TrimSpace(e.AsString()) == "" {
					diags = append(diags, &hcl.Diagnostic{
						Severity: hcl.DiagError, Summary: "Invalid allow_paths_outside",
						Detail: "allow_paths_outside lists folders (relative to audit.hcl, or absolute); an entry is empty.", Subject: a.Expr.Range().Ptr(),
					})
					continue
				}
				in.AllowOutside = append(in.AllowOutside, e.AsString())
			}
		}
	}
	uses := map[string]*Use{}
	attests := map[string]*Attest{}
	waivers := map[string]*Waiver{}
	for _, block := range content.Blocks {
		switch block.Type {
		case "use":
			attrs, blocks, ds := useBody(block.Body)
			diags = append(diags, ds...)
			u := &Use{Ref: block.Labels[0], Attrs: attrs, Blocks: blocks, DeclRange: block.DefRange, LabelRange: block.LabelRanges[0]}
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
			diags = append(diags, required(bc.Attributes, "by", a.By, "who attests")...)
			diags = append(diags, required(bc.Attributes, "evidence", a.Evidence, "what shows it")...)
			if at := bc.Attributes["date"]; at != nil {
				a.dateRange = at.Expr.Range()
			}
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
			diags = append(diags, required(bc.Attributes, "approved_by", w.ApprovedBy, "who accepts the risk")...)
			diags = append(diags, required(bc.Attributes, "reason", w.Reason, "why it is accepted")...)
			if at := bc.Attributes["expires"]; at != nil {
				w.expRange = at.Expr.Range()
			}
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

// required reports an attribute present but blank: an accountable
// exception names who and why.
func required(attrs hcl.Attributes, name, val, what string) hcl.Diagnostics {
	a := attrs[name]
	if a == nil || strings.TrimSpace(val) != "" {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError, Summary: "Empty " + name,
		Detail: fmt.Sprintf("%s must say %s; an empty value is no accountability.", name, what), Subject: a.Expr.Range().Ptr(),
	}}
}

// checkDates checks waivers and attestations against the run's day: an
// attestation is of something that happened, so not dated in the future,
// and a waiver expires within MaxWaiverMonths (a waiver "until 9999" is a
// silent pass).
func (in *Integration) checkDates(now time.Time) hcl.Diagnostics {
	var diags hcl.Diagnostics
	today := dayOf(now)
	for _, a := range in.Attests {
		if !a.Date.IsZero() && a.Date.After(today) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Attestation dated in the future",
				Detail: fmt.Sprintf("%s is after today (%s): attest what was done, on the day it was.", a.Date.Format(dateLayout), today.Format(dateLayout)), Subject: a.dateRange.Ptr(),
			})
		}
	}
	limit := today.AddDate(0, in.MaxWaiverMonths, 0)
	for _, w := range in.Waivers {
		if !w.Expires.IsZero() && w.Expires.After(limit) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Waiver expires too far ahead",
				Detail: fmt.Sprintf("%s is more than %d months after today (%s); review exceptions at least that often, or raise max_waiver_months in this file.",
					w.Expires.Format(dateLayout), in.MaxWaiverMonths, today.Format(dateLayout)), Subject: w.expRange.Ptr(),
			})
		}
	}
	return diags
}
