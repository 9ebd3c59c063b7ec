package main

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/policies"
	"github.com/audit-tool/audit/probes"
	"github.com/audit-tool/audit/reports"
)

// listing is `audit list --format json` (schemas/list.schema.json).
type listing struct {
	SchemaVersion int             `json:"schema_version"`
	Checklists    []listChecklist `json:"checklists"`
	Probes        []listProbe     `json:"probes"`
}

type listChecklist struct {
	Name        string         `json:"name"`
	Kind        string         `json:"kind"` // checklist | policy
	Title       string         `json:"title"`
	Description string         `json:"description,omitempty"`
	Variables   []listVariable `json:"variables"`
	Steps       []listStep     `json:"steps"`
	// ProbeKinds are the kinds the checklist's probe blocks use.
	ProbeKinds []string `json:"probe_kinds"`
}

type listVariable struct {
	Name        string          `json:"name"`
	Type        string          `json:"type"` // HCL type syntax: list(string)
	Required    bool            `json:"required"`
	Default     json.RawMessage `json:"default,omitempty"` // absent when required
	Description string          `json:"description,omitempty"`
}

type listStep struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Severity    string   `json:"severity"`
	Manual      bool     `json:"manual"` // closed only by an attest block
	Tags        []string `json:"tags"`
	SAQs        []string `json:"saqs"` // empty: every SAQ
	References  []string `json:"references"`
}

type listProbe struct {
	Kind     string        `json:"kind"`
	Doc      string        `json:"doc"`
	Settings []listSetting `json:"settings"`
	Facts    []listFact    `json:"facts"`
}

type listSetting struct {
	Name     string          `json:"name"`
	Type     string          `json:"type"`
	Required bool            `json:"required"`
	Default  json.RawMessage `json:"default,omitempty"`
}

// listFact is one attribute of a probe's facts; Attributes are an
// object's, or the elements' of a list, set or map of objects.
type listFact struct {
	Name       string     `json:"name"`
	Type       string     `json:"type"`
	Attributes []listFact `json:"attributes,omitempty"`
}

func newListCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list [NAME...]",
		Short: "List the built-in checklists (variables, steps) and the probe kinds (settings, facts)",
		Long: `List the built-in checklists and policies with their variables (type, default,
description) and steps (id, severity, title, tags, SAQs, references), and the
probe kinds with their settings and the facts they produce.

NAME filters: a checklist or policy name shows it and the probe kinds it uses;
a probe kind name shows that kind. --format json writes the same as one JSON
document (schemas/list.schema.json).`,
		Example: "  audit list\n  audit list pci-dss stripe\n  audit list page --format json",
		RunE: func(_ *cobra.Command, names []string) error {
			if err := reportFormat(format, "text", "json"); err != nil {
				return err
			}
			lst, err := a.listing(names)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(lst)
			}
			writeListing(a.stdout, lst, a.width())
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

// listing describes the checklists and probe kinds names selects (all
// without names); an unknown name is a usage error with a suggestion.
func (a *app) listing(names []string) (*listing, error) {
	l, err := a.loader()
	if err != nil {
		return nil, err
	}
	all := l.Library.Names()
	known := map[string]bool{}
	for _, n := range append(append([]string{}, all...), a.registry.Names()...) {
		known[n] = true
	}
	wantChecklist, wantKind := map[string]bool{}, map[string]bool{}
	for _, n := range names {
		if !known[n] {
			hint := didYouMean(n, append(all, a.registry.Names()...))
			if hint == "" {
				hint = " (checklists: " + strings.Join(all, ", ") + "; probe kinds: " + strings.Join(a.registry.Names(), ", ") + ")"
			}
			return nil, usageErr("list: %q is no checklist, policy or probe kind%s", n, hint)
		}
		if _, isKind := a.registry.Lookup(n); isKind {
			wantKind[n] = true
		} else {
			wantChecklist[n] = true
		}
	}
	lst := &listing{SchemaVersion: 1, Checklists: []listChecklist{}, Probes: []listProbe{}}
	for _, name := range all {
		if len(names) > 0 && !wantChecklist[name] {
			continue
		}
		plan, diags := l.Load(checklist.Request{Checklists: []string{name}, WorkDir: ".", Partial: true})
		if diags.HasErrors() || len(plan.Instances) == 0 {
			_ = a.report(l, diags)
			return nil, usageErr("built-in checklist %s is broken", name)
		}
		lc, err := describeChecklist(plan.Instances[0])
		if err != nil {
			return nil, err
		}
		for _, k := range lc.ProbeKinds {
			wantKind[k] = true
		}
		lst.Checklists = append(lst.Checklists, lc)
	}
	for _, name := range a.registry.Names() {
		if len(names) > 0 && !wantKind[name] {
			continue
		}
		k, _ := a.registry.Lookup(name)
		lst.Probes = append(lst.Probes, describeProbe(k))
	}
	return lst, nil
}

func describeChecklist(in *checklist.Instance) (listChecklist, error) {
	c := in.Checklist
	kind := "checklist"
	if _, err := fs.Stat(policies.Builtins(), c.Name+".hcl"); err == nil {
		kind = "policy"
	}
	lc := listChecklist{Name: c.Name, Kind: kind, Title: c.Title, Description: oneLine(c.Description),
		Variables: []listVariable{}, Steps: []listStep{}, ProbeKinds: []string{}}
	for _, v := range c.Variables {
		lv := listVariable{Name: v.Name, Type: typeexpr.TypeString(v.Type), Required: v.Required(), Description: oneLine(v.Description)}
		if !v.Required() {
			raw, err := valueJSON(v.Default)
			if err != nil {
				return lc, fmt.Errorf("checklist %s, variable %s: %w", c.Name, v.Name, err)
			}
			lv.Default = raw
		}
		lc.Variables = append(lc.Variables, lv)
	}
	for _, s := range c.Steps {
		lc.Steps = append(lc.Steps, listStep{
			ID: in.StepID(s), Title: s.Title, Description: oneLine(s.Description), Severity: string(s.Severity),
			Manual: s.Manual, Tags: orEmpty(s.Tags), SAQs: orEmpty(s.SAQs), References: orEmpty(s.References),
		})
	}
	seen := map[string]bool{}
	for _, p := range in.Probes {
		if !seen[p.Decl.Kind] {
			seen[p.Decl.Kind] = true
			lc.ProbeKinds = append(lc.ProbeKinds, p.Decl.Kind)
		}
	}
	sort.Strings(lc.ProbeKinds)
	return lc, nil
}

func describeProbe(k probes.Kind) listProbe {
	return listProbe{Kind: k.Name(), Doc: oneLine(k.Doc()), Settings: describeSettings(k.Spec()), Facts: describeFacts(k.Facts())}
}

// describeSettings reads a kind's settings from its hcldec spec: an object
// of attributes, each optionally defaulted.
func describeSettings(spec hcldec.Spec) []listSetting {
	var obj hcldec.ObjectSpec
	switch s := spec.(type) {
	case hcldec.ObjectSpec:
		obj = s
	case *hcldec.ObjectSpec:
		obj = *s
	}
	out := []listSetting{}
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		var def cty.Value
		attrSpec := obj[key]
		if d, ok := attrSpec.(*hcldec.DefaultSpec); ok {
			if lit, ok := d.Default.(*hcldec.LiteralSpec); ok {
				def = lit.Value
			}
			attrSpec = d.Primary
		}
		attr, ok := attrSpec.(*hcldec.AttrSpec)
		if !ok {
			continue // every kind declares attributes today; a block would need its own shape
		}
		ls := listSetting{Name: attr.Name, Type: typeexpr.TypeString(attr.Type), Required: attr.Required}
		if def != cty.NilVal {
			ls.Default, _ = valueJSON(def) // literals the kinds declare: always encodable
		}
		out = append(out, ls)
	}
	return out
}

// describeFacts lists a facts type's attributes, nested objects (and
// collections of objects) with their own.
func describeFacts(ty cty.Type) []listFact {
	if !ty.IsObjectType() {
		return []listFact{{Name: "", Type: typeexpr.TypeString(ty)}}
	}
	attrs := ty.AttributeTypes()
	out := make([]listFact, 0, len(attrs))
	for _, n := range sortedAttrNames(attrs) {
		at := attrs[n]
		f := listFact{Name: n, Type: typeexpr.TypeString(at)}
		switch {
		case at.IsObjectType():
			f.Type, f.Attributes = "object", describeFacts(at)
		case at.IsCollectionType() && at.ElementType().IsObjectType():
			f.Type, f.Attributes = collectionName(at)+"(object)", describeFacts(at.ElementType())
		}
		out = append(out, f)
	}
	return out
}

func sortedAttrNames(attrs map[string]cty.Type) []string {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func collectionName(ty cty.Type) string {
	switch {
	case ty.IsListType():
		return "list"
	case ty.IsSetType():
		return "set"
	default:
		return "map"
	}
}

// valueJSON encodes a default as plain JSON.
func valueJSON(v cty.Value) (json.RawMessage, error) {
	if v.IsNull() {
		return json.RawMessage("null"), nil
	}
	b, err := ctyjson.Marshal(v, v.Type())
	return json.RawMessage(b), err
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeListing prints the listing for people, wrapped to width cells.
func writeListing(w io.Writer, lst *listing, width int) {
	p := &wrapper{w: w, width: width}
	if len(lst.Checklists) > 0 {
		fmt.Fprintln(w, "BUILT-IN CHECKLISTS")
	}
	for _, c := range lst.Checklists {
		fmt.Fprintln(w)
		p.para("", "", c.Name+" — "+c.Title+kindSuffix(c.Kind))
		if c.Description != "" {
			p.para("  ", "  ", c.Description)
		}
		fmt.Fprintln(w, "  variables:")
		for _, v := range c.Variables {
			def := "required"
			if !v.Required {
				def = "default " + showJSON(v.Default)
			}
			p.columns("    ", []string{v.Name, v.Type}, []int{20, 14}, def)
			if v.Description != "" {
				p.para("        ", "        ", v.Description)
			}
		}
		fmt.Fprintln(w, "  steps:")
		idWidth := 0
		for _, s := range c.Steps {
			idWidth = max(idWidth, len(s.ID))
		}
		for _, s := range c.Steps {
			title := s.Title
			if s.Manual {
				title += " (attested)"
			}
			p.columns("    ", []string{s.ID, s.Severity}, []int{idWidth, 8}, title)
			var extra []string
			if len(s.Tags) > 0 {
				extra = append(extra, "tags: "+strings.Join(s.Tags, ", "))
			}
			if len(s.SAQs) > 0 {
				extra = append(extra, "SAQ "+strings.Join(s.SAQs, ", "))
			}
			if len(extra) > 0 {
				p.para("        ", "        ", strings.Join(extra, "; "))
			}
		}
		p.para("  ", "    ", "probe kinds: "+strings.Join(c.ProbeKinds, ", "))
	}
	if len(lst.Probes) > 0 {
		if len(lst.Checklists) > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, "PROBE KINDS")
	}
	for _, k := range lst.Probes {
		fmt.Fprintln(w)
		p.para("", "  ", k.Kind+" — "+k.Doc)
		fmt.Fprintln(w, "  settings:")
		for _, s := range k.Settings {
			def := "optional"
			switch {
			case s.Required:
				def = "required"
			case s.Default != nil:
				def = "default " + showJSON(s.Default)
			}
			p.columns("    ", []string{s.Name, s.Type}, []int{16, 14}, def)
		}
		fmt.Fprintln(w, "  facts:")
		p.facts("    ", k.Facts)
	}
}

func kindSuffix(kind string) string {
	if kind == "policy" {
		return " (policy)"
	}
	return ""
}

// showJSON writes a default as HCL, as the user would write it in a use
// block.
func showJSON(raw json.RawMessage) string {
	ty, err := ctyjson.ImpliedType(raw)
	if err != nil {
		return string(raw)
	}
	v, err := ctyjson.Unmarshal(raw, ty)
	if err != nil {
		return string(raw)
	}
	return string(hclwrite.TokensForValue(v).Bytes())
}

// wrapper writes lines that fit width cells.
type wrapper struct {
	w     io.Writer
	width int
}

// para writes text wrapped, the first line after first, the others after
// indent.
func (p *wrapper) para(first, indent, text string) {
	for i, l := range reports.Wrap(text, p.width-len(indent)) {
		lead := indent
		if i == 0 {
			lead = first
		}
		fmt.Fprintln(p.w, lead+l)
	}
}

// columns writes fixed columns and then text in what is left of the line,
// wrapped under itself; when too little is left, the text goes below.
func (p *wrapper) columns(indent string, cols []string, widths []int, text string) {
	var b strings.Builder
	b.WriteString(indent)
	for i, c := range cols {
		b.WriteString(c)
		if pad := widths[i] - len(c); pad > 0 {
			b.WriteString(strings.Repeat(" ", pad))
		}
		b.WriteByte(' ')
	}
	head := b.String()
	if p.width-len(head) < 24 {
		p.para(indent, indent+"    ", strings.Join(strings.Fields(head), " "))
		p.para(indent+"    ", indent+"    ", text)
		return
	}
	p.para(head, strings.Repeat(" ", len(head)), text)
}

// facts writes the facts one a line, nested attributes indented.
func (p *wrapper) facts(indent string, facts []listFact) {
	for _, f := range facts {
		suffix := ""
		if len(f.Attributes) > 0 {
			suffix = ", each:"
			if f.Type == "object" {
				suffix = ":"
			}
		}
		p.columns(indent, []string{f.Name}, []int{22}, f.Type+suffix)
		if len(f.Attributes) > 0 {
			p.facts(indent+"    ", f.Attributes)
		}
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
