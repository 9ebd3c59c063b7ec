package main

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/spf13/cobra"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/fleet"
	"github.com/audit-tool/audit/internal/input"
	"github.com/audit-tool/audit/reports/i18n"
)

func newValidateCmd(a *app) *cobra.Command {
	var format, langName string
	cmd := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check checklists and integration files without running any probe",
		Long: `Parse and check checklist files, integration files (audit.hcl) or folders holding
one: syntax, unknown or misspelt attributes and variables, references to undeclared
probes, variables or locals, facts a probe kind does not have, types, duplicates,
attestations and waivers for unknown steps, and the merchant profile.

Diagnostics start with file:line:col: error: summary, then the source and the
detail (text, on stderr). --format json writes them to stdout with their ranges
(the shape of terraform validate -json); --format github as GitHub Actions
annotations. --lang translates the lines saying what is valid; diagnostics
stay in English (they are HCL's). Exit 0 when all are valid, 2 otherwise.`,
		Example: "  audit validate examples/amazon-pay-shop\n  audit validate my-checklist.hcl\n  audit validate . --format json",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := reportFormat(format, "text", "json", "github"); err != nil {
				return err
			}
			lang, err := parseLang(langName)
			if err != nil {
				return err
			}
			words, err := i18n.Load(lang)
			if err != nil {
				return err
			}
			l, err := a.loader()
			if err != nil {
				return err
			}
			var all hcl.Diagnostics
			var validated []validatedFile
			for _, path := range args {
				// Telling the kind of file apart parses it: under the
				// deadline, with the load.
				type kind struct {
					fleet bool
					req   checklist.Request
					err   error
				}
				k, err := withDeadline(loadTimeout, func() kind {
					if isFleetPath(path) {
						return kind{fleet: true}
					}
					req, err := validateRequest(path)
					return kind{req: req, err: err}
				})
				if err != nil {
					return err
				}
				if k.fleet {
					diags, err := a.validateFleet(l, path, words)
					if err != nil {
						return err
					}
					all = append(all, diags...)
					continue
				}
				if k.err != nil {
					return usageErr("%w", k.err)
				}
				plan, diags, err := a.load(l, k.req, loadTimeout)
				if err != nil {
					return err
				}
				all = append(all, diags...)
				vf := validatedFile{Path: path, Valid: !diags.HasErrors()}
				if vf.Valid {
					vf.Checklists = len(plan.Instances)
					for _, inst := range plan.Instances {
						vf.Steps += len(inst.Checklist.Steps)
					}
					if format == "text" {
						fmt.Fprintln(a.stdout, words.T("validate.valid", path, vf.Checklists, vf.Steps))
					}
				}
				validated = append(validated, vf)
			}
			all = uniqueDiagnostics(all)
			switch format {
			case "json":
				if err := writeJSON(a.stdout, diagnosticsJSON(all, l.Parser.Files(), validated)); err != nil {
					return err
				}
				return diagnosticsErr(all)
			case "github":
				if err := githubDiagnostics(a.stdout, all); err != nil {
					return err
				}
			}
			return a.report(l, all)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text (stderr), json (stdout, with ranges) or github (workflow annotations on stdout, text on stderr)")
	langFlag(cmd.Flags(), &langName)
	return cmd
}

// validateRequest decides whether path is an integration file (use blocks)
// or a checklist file (a checklist block) and loads it accordingly.
func validateRequest(path string) (checklist.Request, error) {
	file, found, err := integrationFile(path)
	if err != nil {
		return checklist.Request{}, err
	}
	if !found {
		return checklist.Request{}, fmt.Errorf("%s has no audit.hcl", path)
	}
	if isChecklistFile(file) {
		return checklist.Request{Checklists: []string{file}, WorkDir: ".", Partial: true}, nil
	}
	return checklist.Request{Integration: file}, nil
}

func isChecklistFile(file string) bool {
	src, err := input.ReadFile(file, input.MaxHCL)
	if err != nil || input.CheckHCL(src, file) != nil {
		return false // loading it as an integration file reports why
	}
	f, diags := hclparse.NewParser().ParseHCL(src, file)
	if diags.HasErrors() && f == nil {
		return false
	}
	content, _, _ := f.Body.PartialContent(&hcl.BodySchema{
		Blocks: []hcl.BlockHeaderSchema{{Type: "checklist", LabelNames: []string{"name"}}},
	})
	return content != nil && len(content.Blocks) > 0
}

// isFleetPath reports whether path is a fleet file (merchant blocks).
func isFleetPath(path string) bool {
	src, err := input.ReadFile(path, input.MaxHCL)
	return err == nil && fleet.IsFleetFile(path, src)
}

// validateFleet checks a fleet file and the audit.hcl of every merchant.
func (a *app) validateFleet(l *checklist.Loader, path string, words *i18n.Catalog) (hcl.Diagnostics, error) {
	file, diags := fleet.Load(path)
	if file == nil || diags.HasErrors() {
		return diags, nil
	}
	if ds := file.CheckFolders(); ds.HasErrors() {
		return append(diags, ds...), nil
	}
	valid, bare := 0, 0
	for _, m := range file.Merchants {
		integration, found, err := integrationFile(m.Dir)
		switch {
		case err != nil:
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read merchant folder",
				Detail: fmt.Sprintf("Merchant %q: %s.", m.ID, err), Subject: m.PathRange.Ptr()})
			continue
		case !found:
			bare++ // valid with `audit fleet run --checklist NAME`
			continue
		}
		_, ds, err := a.load(l, checklist.Request{Integration: integration}, loadTimeout)
		if err != nil {
			return nil, err
		}
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			valid++
		}
	}
	fmt.Fprint(a.stdout, words.T("validate.fleet", path, len(file.Merchants), valid))
	if bare > 0 {
		fmt.Fprint(a.stdout, words.T("validate.fleet.bare", bare))
	}
	fmt.Fprintln(a.stdout)
	return diags, nil
}
