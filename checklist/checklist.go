// Package checklist turns HCL into the model a run executes: checklist files
// (variables, probes, locals, steps with assert blocks) and integration files
// (use, attest, waiver). Decoding keeps partial results and reports every
// problem as a diagnostic with its source range, as Terraform's configs do.
package checklist

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/outcome"
)

// Checklist is one decoded checklist file.
type Checklist struct {
	Name        string
	Title       string
	Description string
	// File is the path it was read from, or "builtin:NAME".
	File      string
	Variables []*Variable
	Probes    []*Probe
	Locals    []*Local
	Steps     []*Step
	Scope     *Scope
	// Includes are the fragments the file includes (include "NAME" {}),
	// merged in by the loader; Fragment is set when the file is itself a
	// fragment (fragment "NAME" {}).
	Includes  []*Include
	Fragment  bool
	DeclRange hcl.Range
}

// Include is an include block: the variables, probes, locals and steps of
// a shared fragment become the checklist's own. A fragment's variables are
// its inputs: the including checklist's use blocks and --var set them.
type Include struct {
	Name      string
	Inputs    hcl.Attributes // constant values for the fragment's input blocks
	DeclRange hcl.Range
}

// Variable is an input of a checklist, set by a use block or --var.
type Variable struct {
	Name        string
	Type        cty.Type
	Default     cty.Value // cty.NilVal: required
	Description string
	Validations []*Validation
	DeclRange   hcl.Range
	// Block, when set, lets a use block give the list's entries as blocks
	// of that type too: script "LABEL" { reason = "…" } is the object
	// { script = "LABEL", reason = "…" }.
	Block string
}

// Required reports whether the variable has no default.
func (v *Variable) Required() bool { return v.Default == cty.NilVal }

// Validation is a condition a variable's value must meet.
type Validation struct {
	Condition    hcl.Expression
	ErrorMessage hcl.Expression
	DeclRange    hcl.Range
}

// Probe is a probe block: declared once, referenced by any number of steps
// as probe.KIND.NAME.
type Probe struct {
	Kind string
	Name string
	// Enabled (a bool over var.*; nil: true) turns the probe off when an
	// optional input is absent; its facts are then null.
	Enabled   hcl.Expression
	Config    hcl.Body
	DeclRange hcl.Range
	KindRange hcl.Range
}

// Addr is "KIND.NAME".
func (p *Probe) Addr() string { return p.Kind + "." + p.Name }

// Local is a named expression over variables and probe facts.
type Local struct {
	Name      string
	Expr      hcl.Expression
	DeclRange hcl.Range
}

// Step is one go-live item or PCI DSS rule.
type Step struct {
	Name        string
	Title       string
	Description string
	Severity    outcome.Severity
	Tags        []string
	References  []string
	When        hcl.Expression // nil: always
	SkipReason  string
	// Checkable (nil: always) says whether the step can be checked in this
	// run at all: false makes it skip + unchecked with UncheckedReason (a
	// local file has no TLS or headers), which unlike a false when can
	// leave the verdict UNDETERMINED.
	Checkable       hcl.Expression
	UncheckedReason string
	Manual          bool
	// Attestable lets an attest block close an automated step: the
	// evidence is a signed statement (a provider's written confirmation)
	// instead of what the probes saw.
	Attestable bool
	// AttestationMaxAge, in days (0: no limit), is how old an attestation
	// may be: an ASV scan attested 100 days ago is no quarterly scan.
	AttestationMaxAge int
	// SAQs are the PCI DSS questionnaires the step belongs to (empty: any);
	// outside the determined one it is skipped ("not in SAQ A").
	SAQs        []string
	PassMessage hcl.Expression // nil: no message on pass
	Evidence    hcl.Expression // nil: none beyond the asserts'
	Asserts     []*Assert
	DeclRange   hcl.Range
}

// Assert is a condition over facts with the message shown when it is false.
type Assert struct {
	Condition hcl.Expression
	Message   hcl.Expression
	Evidence  hcl.Expression // nil: none
	DeclRange hcl.Range
}

// Scope is the PCI DSS questionnaire determination a checklist reports.
type Scope struct {
	SAQ     hcl.Expression
	Reasons hcl.Expression
	// Step names the step that reports the determination: when the SAQ is
	// "undetermined" it cannot pass.
	Step      string
	DeclRange hcl.Range
}

// validSAQ reports whether q names a PCI DSS v4.0.1 self-assessment
// questionnaire.
func validSAQ(q string) bool {
	switch q {
	case "A", "A-EP", "B", "B-IP", "C", "C-VT", "D", "P2PE":
		return true
	}
	return false
}

// decodeChecklist decodes a parsed checklist file, already rewritten by
// linearConditionals. It returns what it could decode even when there are
// errors. It only reads the syntax tree: built-in files are shared by
// concurrent loads.
func decodeChecklist(file *hcl.File, filename string) (*Checklist, hcl.Diagnostics) {
	c := &Checklist{File: filename}
	content, diags := file.Body.Content(checklistFileSchema)
	if content == nil {
		return c, diags
	}
	c.DeclRange = content.MissingItemRange

	variables := map[string]*Variable{}
	probesSeen := map[string]*Probe{}
	localsSeen := map[string]*Local{}
	steps := map[string]*Step{}
	var header *hcl.Block

	for _, block := range content.Blocks {
		c.Fragment = c.Fragment || block.Type == "fragment"
	}
	for _, block := range content.Blocks {
		switch block.Type {
		case "checklist":
			if header != nil {
				diags = append(diags, duplicate("checklist block", "", header.DefRange, block.DefRange))
				continue
			}
			header = block
			c.Name = block.Labels[0]
			c.DeclRange = block.DefRange
			diags = append(diags, validName("checklist", block.Labels[0], block.LabelRanges[0])...)
			bc, ds := block.Body.Content(checklistBlockSchema)
			diags = append(diags, ds...)
			diags = append(diags, staticString(bc.Attributes["title"], &c.Title)...)
			diags = append(diags, staticString(bc.Attributes["description"], &c.Description)...)

		case "fragment":
			if header != nil {
				diags = append(diags, duplicate("checklist block", "", header.DefRange, block.DefRange))
				continue
			}
			header = block
			c.Name, c.Fragment, c.DeclRange = block.Labels[0], true, block.DefRange
			bc, ds := block.Body.Content(fragmentBlockSchema)
			diags = append(diags, ds...)
			diags = append(diags, staticString(bc.Attributes["description"], &c.Description)...)

		case "include":
			attrs, ds := block.Body.JustAttributes()
			diags = append(diags, ds...)
			c.Includes = append(c.Includes, &Include{Name: block.Labels[0], Inputs: attrs, DeclRange: block.DefRange})

		case "input":
			if !c.Fragment {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Input outside a fragment",
					Detail:   "input blocks declare what a fragment's include block gives; a checklist declares variables.",
					Subject:  block.DefRange.Ptr(),
				})
			}

		case "variable":
			v, ds := decodeVariable(block)
			diags = append(diags, ds...)
			if prev, dup := variables[v.Name]; dup {
				diags = append(diags, duplicate("variable", v.Name, prev.DeclRange, v.DeclRange))
				continue
			}
			variables[v.Name] = v
			c.Variables = append(c.Variables, v)

		case "probe":
			meta, rest, ds := block.Body.PartialContent(probeMetaSchema)
			diags = append(diags, ds...)
			p := &Probe{
				Kind: block.Labels[0], Name: block.Labels[1], Config: rest,
				DeclRange: block.DefRange, KindRange: block.LabelRanges[0],
			}
			if a := meta.Attributes["enabled"]; a != nil {
				p.Enabled = a.Expr
			}
			diags = append(diags, validName("probe", p.Name, block.LabelRanges[1])...)
			if prev, dup := probesSeen[p.Addr()]; dup {
				diags = append(diags, duplicate("probe", p.Addr(), prev.DeclRange, p.DeclRange))
				continue
			}
			probesSeen[p.Addr()] = p
			c.Probes = append(c.Probes, p)

		case "locals":
			attrs, ds := block.Body.JustAttributes()
			diags = append(diags, ds...)
			for _, name := range sortedAttrNames(attrs) {
				a := attrs[name]
				l := &Local{Name: a.Name, Expr: a.Expr, DeclRange: a.Range}
				if prev, dup := localsSeen[l.Name]; dup {
					diags = append(diags, duplicate("local value", l.Name, prev.DeclRange, l.DeclRange))
					continue
				}
				localsSeen[l.Name] = l
				c.Locals = append(c.Locals, l)
			}

		case "step":
			s, ds := decodeStep(block)
			diags = append(diags, ds...)
			if prev, dup := steps[s.Name]; dup {
				diags = append(diags, duplicate("step", s.Name, prev.DeclRange, s.DeclRange))
				continue
			}
			steps[s.Name] = s
			c.Steps = append(c.Steps, s)

		case "scope":
			if c.Scope != nil {
				diags = append(diags, duplicate("scope block", "", c.Scope.DeclRange, block.DefRange))
				continue
			}
			bc, ds := block.Body.Content(scopeBlockSchema)
			diags = append(diags, ds...)
			c.Scope = &Scope{DeclRange: block.DefRange}
			if a := bc.Attributes["saq"]; a != nil {
				c.Scope.SAQ = a.Expr
			}
			if a := bc.Attributes["reasons"]; a != nil {
				c.Scope.Reasons = a.Expr
			}
			diags = append(diags, staticString(bc.Attributes["step"], &c.Scope.Step)...)
		}
	}
	if c.Scope != nil && c.Scope.Step != "" && steps[c.Scope.Step] == nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "Unknown step in scope block",
			Detail: fmt.Sprintf("The scope block's step = %q names no step of this checklist.", c.Scope.Step), Subject: c.Scope.DeclRange.Ptr(),
		})
	}
	if header == nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing checklist block",
			Detail:   `A checklist file starts with checklist "NAME" { title = "…" }; the name is what step ids and use blocks refer to.`,
			Subject:  content.MissingItemRange.Ptr(),
		})
	}
	return c, diags
}

func decodeVariable(block *hcl.Block) (*Variable, hcl.Diagnostics) {
	v := &Variable{Name: block.Labels[0], Type: cty.DynamicPseudoType, DeclRange: block.DefRange}
	diags := validName("variable", v.Name, block.LabelRanges[0])
	content, ds := block.Body.Content(variableBlockSchema)
	diags = append(diags, ds...)
	if a := content.Attributes["type"]; a != nil {
		ty, ds := typeexpr.TypeConstraint(a.Expr)
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			v.Type = ty
		}
	}
	diags = append(diags, staticString(content.Attributes["description"], &v.Description)...)
	if a := content.Attributes["block"]; a != nil {
		diags = append(diags, staticString(a, &v.Block)...)
		if v.Block != "" {
			diags = append(diags, validName("block type", v.Block, a.Expr.Range())...)
		}
	}
	if a := content.Attributes["default"]; a != nil {
		val, ds := a.Expr.Value(nil)
		diags = append(diags, ds...)
		// An unknown value only comes from an expression that failed to parse.
		if !ds.HasErrors() && val.IsWhollyKnown() {
			conv, err := convertTo(val, v.Type)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid default value for variable",
					Detail:   fmt.Sprintf("The default of %q does not fit its type: %s.", v.Name, err),
					Subject:  a.Expr.Range().Ptr(),
				})
			} else {
				v.Default = conv
			}
		}
	}
	for _, b := range content.Blocks {
		vc, ds := b.Body.Content(validationBlockSchema)
		diags = append(diags, ds...)
		val := &Validation{DeclRange: b.DefRange}
		if a := vc.Attributes["condition"]; a != nil {
			val.Condition = a.Expr
		}
		if a := vc.Attributes["error_message"]; a != nil {
			val.ErrorMessage = a.Expr
		}
		if val.Condition != nil && val.ErrorMessage != nil {
			v.Validations = append(v.Validations, val)
		}
	}
	return v, diags
}

func decodeStep(block *hcl.Block) (*Step, hcl.Diagnostics) {
	s := &Step{Name: block.Labels[0], DeclRange: block.DefRange}
	diags := validName("step", s.Name, block.LabelRanges[0])
	content, ds := block.Body.Content(stepBlockSchema)
	diags = append(diags, ds...)
	attr := content.Attributes

	diags = append(diags, staticString(attr["title"], &s.Title)...)
	diags = append(diags, staticString(attr["description"], &s.Description)...)
	diags = append(diags, staticString(attr["skip_reason"], &s.SkipReason)...)
	diags = append(diags, staticString(attr["unchecked_reason"], &s.UncheckedReason)...)
	diags = append(diags, staticStrings(attr["tags"], &s.Tags)...)
	diags = append(diags, staticStrings(attr["references"], &s.References)...)
	diags = append(diags, staticBool(attr["manual"], &s.Manual)...)
	diags = append(diags, staticBool(attr["attestable"], &s.Attestable)...)
	diags = append(diags, staticStrings(attr["saq"], &s.SAQs)...)
	if a := attr["attestation_max_age_days"]; a != nil {
		v, ds := staticValue(a, cty.Number)
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			n, acc := v.AsBigFloat().Int64()
			if acc != big.Exact || n <= 0 {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError, Summary: "Invalid attestation_max_age_days",
					Detail: "attestation_max_age_days is a whole number of days above 0.", Subject: a.Expr.Range().Ptr(),
				})
			} else {
				s.AttestationMaxAge = int(n)
			}
		}
	}
	for _, q := range s.SAQs {
		if !validSAQ(q) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Unknown SAQ",
				Detail: fmt.Sprintf("saq names PCI DSS v4.0.1 questionnaires (A, A-EP, B, B-IP, C, C-VT, D, P2PE); %q is not one.", q), Subject: attr["saq"].Expr.Range().Ptr(),
			})
		}
	}
	if a := attr["severity"]; a != nil {
		var sev string
		ds := staticString(a, &sev)
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			parsed, err := outcome.ParseSeverity(sev)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid severity",
					Detail:   err.Error() + ".",
					Subject:  a.Expr.Range().Ptr(),
				})
			}
			s.Severity = parsed
		}
	}
	if a := attr["when"]; a != nil {
		s.When = a.Expr
	}
	if a := attr["checkable"]; a != nil {
		s.Checkable = a.Expr
	}
	if a := attr["pass_message"]; a != nil {
		s.PassMessage = a.Expr
	}
	if a := attr["evidence"]; a != nil {
		s.Evidence = a.Expr
	}
	for _, b := range content.Blocks {
		ac, ds := b.Body.Content(assertBlockSchema)
		diags = append(diags, ds...)
		as := &Assert{DeclRange: b.DefRange}
		if a := ac.Attributes["condition"]; a != nil {
			as.Condition = a.Expr
		}
		if a := ac.Attributes["message"]; a != nil {
			as.Message = a.Expr
		}
		if a := ac.Attributes["evidence"]; a != nil {
			as.Evidence = a.Expr
		}
		if as.Condition != nil && as.Message != nil {
			s.Asserts = append(s.Asserts, as)
		}
	}
	switch {
	case s.Manual && len(s.Asserts) > 0:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Manual step with assert blocks",
			Detail:   fmt.Sprintf("Step %q is manual: only an attest block closes it, so assert blocks would never be judged. Remove manual = true or the assert blocks.", s.Name),
			Subject:  s.DeclRange.Ptr(),
		})
	case !s.Manual && len(s.Asserts) == 0 && !content.MissingItemRange.Empty():
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Step without assert blocks",
			Detail:   fmt.Sprintf("Step %q judges nothing: give it one or more assert { condition = … message = … } blocks, or manual = true if only an attestation can close it.", s.Name),
			Subject:  s.DeclRange.Ptr(),
		})
	}
	return s, diags
}
