package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/checklist"
)

func newListCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the built-in checklists (variables, step ids) and the probe kinds (facts)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			l, err := a.loader()
			if err != nil {
				return err
			}
			w := a.stdout
			fmt.Fprintln(w, "BUILT-IN CHECKLISTS")
			for _, name := range l.Library.Names() {
				plan, diags := l.Load(checklist.Request{Checklists: []string{name}, WorkDir: ".", Partial: true})
				if diags.HasErrors() || len(plan.Instances) == 0 {
					_ = a.report(l, diags)
					return usageErr("built-in checklist %s is broken", name)
				}
				c := plan.Instances[0].Checklist
				fmt.Fprintf(w, "\n%s — %s\n", c.Name, c.Title)
				if c.Description != "" {
					fmt.Fprintf(w, "  %s\n", oneLine(c.Description))
				}
				fmt.Fprintln(w, "  variables:")
				for _, v := range c.Variables {
					def := "required"
					if !v.Required() {
						def = "default " + showValue(v.Default)
					}
					fmt.Fprintf(w, "    %-20s %-14s %s\n", v.Name, v.Type.FriendlyName(), def)
					if v.Description != "" {
						fmt.Fprintf(w, "    %-20s %s\n", "", oneLine(v.Description))
					}
				}
				fmt.Fprintln(w, "  steps:")
				for _, s := range c.Steps {
					kind := ""
					if s.Manual {
						kind = " (attested)"
					}
					fmt.Fprintf(w, "    %-48s %-8s %s%s\n", c.Name+"."+s.Name, s.Severity, s.Title, kind)
				}
			}
			fmt.Fprintln(w, "\nPROBE KINDS")
			for _, name := range a.registry.Names() {
				k, _ := a.registry.Lookup(name)
				fmt.Fprintf(w, "\n%s — %s\n  facts:\n", name, k.Doc())
				for _, line := range factLines(k.Facts(), "    ") {
					fmt.Fprintln(w, line)
				}
			}
			return nil
		},
	}
}

// factLines shows a facts type one attribute a line, nested objects indented.
func factLines(ty cty.Type, indent string) []string {
	if !ty.IsObjectType() {
		return []string{indent + ty.FriendlyName()}
	}
	attrs := ty.AttributeTypes()
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	var lines []string
	for _, n := range names {
		at := attrs[n]
		if at.IsObjectType() {
			lines = append(lines, indent+n+":")
			lines = append(lines, factLines(at, indent+"  ")...)
			continue
		}
		// A list or map of objects: show the element's attributes too.
		if at.IsCollectionType() && at.ElementType().IsObjectType() {
			lines = append(lines, fmt.Sprintf("%s%-22s %s, each:", indent, n, at.FriendlyNameForConstraint()))
			lines = append(lines, factLines(at.ElementType(), indent+"    ")...)
			continue
		}
		lines = append(lines, fmt.Sprintf("%s%-22s %s", indent, n, at.FriendlyNameForConstraint()))
	}
	return lines
}

// showValue writes a default as HCL, as the user would write it.
func showValue(v cty.Value) string {
	return string(hclwrite.TokensForValue(v).Bytes())
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
