package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/checklist"
	"github.com/audit-tool/audit/reports"
	"github.com/audit-tool/audit/survey"
)

// pciChecklist is the PCI DSS policy init adds when it finds a payment page.
const pciChecklist = "pci-dss"

func newInitCmd(a *app) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Look at a repository and write a starting audit.hcl",
		Long: `Look at DIR (default: the current folder) and write DIR/audit.hcl: a use block
for each payment provider it integrates (found from the provider packs: SDK
packages in package.json, composer.json, pom.xml, build.gradle, requirements.txt,
pyproject.toml, Gemfile, *.csproj and go.mod; provider hosts, credential formats
and mode switches in .env files, configuration, sources and pages) with the
configuration files, source, dependency and log folders it found, and pci-dss
for the built payment page it found (public/, dist/, build/, *.html with a
provider's script or checkout in its name). Every other variable is written
as a comment with its default; steps closed by attestations are listed.

A checklist that reads a merchant profile (merchant_file) gets a starting
merchant.hcl when there is none, with placeholders its steps fail on until
they are filled in. An existing audit.hcl is kept unless --force. The file
written passes audit validate.`,
		Example: "  audit init\n  audit init ../shop && audit run ../shop",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return a.initRepo(cmd.Context(), dir, force)
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing audit.hcl")
	return cmd
}

func (a *app) initRepo(ctx context.Context, dir string, force bool) error {
	if st, err := os.Stat(dir); err != nil {
		return usageErr("%s: %w", dir, unwrap(err))
	} else if !st.IsDir() {
		return usageErr("%s is not a folder: init writes DIR/audit.hcl", dir)
	}
	target := filepath.Join(dir, "audit.hcl")
	if _, err := os.Lstat(target); err == nil && !force {
		return usageErr("%s exists: give --force to overwrite it", target)
	}
	l, err := a.loader()
	if err != nil {
		return err
	}
	s, err := survey.Dir(ctx, dir, l.Packs, 0)
	if err != nil {
		return usageErr("%s: %w", dir, err)
	}
	known := map[string]bool{}
	for _, n := range l.Library.Names() {
		known[n] = true
	}
	var uses []useBlock
	for _, p := range s.Providers {
		if known[p.Name] {
			uses = append(uses, useBlock{name: p.Name, why: p.Evidence})
		}
	}
	if len(uses) == 0 && len(s.Pages) == 0 {
		return usageErr("%s: no payment provider (SDK, host, key or setting the packs know) and no payment page found in %d file(s); nothing written: name checklists with audit run --checklist (see audit list)", dir, s.Files)
	}
	uses = append(uses, useBlock{name: pciChecklist, disabled: len(s.Pages) == 0})
	for i := range uses {
		plan, diags := l.Load(checklist.Request{Checklists: []string{uses[i].name}, WorkDir: ".", Partial: true})
		if diags.HasErrors() || len(plan.Instances) == 0 {
			_ = a.report(l, diags)
			return usageErr("built-in checklist %s is broken", uses[i].name)
		}
		uses[i].inst = plan.Instances[0]
	}

	var merchant string // the merchant profile to start, if a checklist needs one
	for _, u := range uses {
		if f := u.missingMerchantFile(dir); f != "" && !u.disabled {
			merchant = f
		}
	}
	text := initFile(s, uses)
	if err := os.WriteFile(target, text, 0o644); err != nil {
		return usageErr("%w", err)
	}
	if merchant != "" {
		path := filepath.Join(dir, filepath.FromSlash(merchant))
		if err := os.WriteFile(path, []byte(merchantSkeleton), 0o644); err != nil {
			return usageErr("%w", err)
		}
		a.note("wrote %s: a starting merchant profile; fill it in (its steps fail until then)", path)
	}
	// What was written must load: init is where a user starts.
	plan, diags, err := a.load(l, checklist.Request{Integration: target, WorkDir: "."}, loadTimeout)
	if err != nil {
		return err
	}
	if err := a.report(l, diags); err != nil {
		return fmt.Errorf("%s was written but does not validate: %w", target, err)
	}
	a.summarize(s, uses, target, plan)
	return nil
}

// note writes a line on stderr unless --quiet.
func (a *app) note(format string, args ...any) {
	if !a.quiet {
		fmt.Fprintf(a.stderr, format+"\n", args...)
	}
}

func (a *app) summarize(s *survey.Survey, uses []useBlock, target string, plan *checklist.Plan) {
	for _, u := range uses {
		if u.disabled {
			a.note("%s: no built payment page found (an .html file with a provider's script, or checkout/payment in its name): its use block is a comment; set checkout_page and uncomment it", u.name)
			continue
		}
		var why []string
		for _, e := range u.why {
			why = append(why, e.String())
		}
		if len(why) > 0 {
			a.note("%s: %s", u.name, strings.Join(why, "; "))
		}
	}
	if len(s.Pages) > 0 {
		a.note("checkout_page: %s (%s)", s.Pages[0].File, strings.Join(s.Pages[0].Reason, ", "))
	}
	if s.Truncated {
		a.note("stopped after %d files: paths beyond those may be missing", s.Limit)
	}
	steps := 0
	for _, in := range plan.Instances {
		steps += len(in.Checklist.Steps)
	}
	a.note("wrote %s: %d checklist(s), %d step(s); review it, then: audit run %s", target, len(plan.Instances), steps, filepath.Dir(target))
}

// useBlock is one checklist the file uses, and why.
type useBlock struct {
	name     string
	why      []survey.Evidence
	disabled bool // written as a comment: a required value was not found
	inst     *checklist.Instance
}

// missingMerchantFile is the merchant profile the checklist reads by
// default when dir has none: "" when it reads none or it exists.
func (u useBlock) missingMerchantFile(dir string) string {
	for _, v := range u.inst.Checklist.Variables {
		if v.Name != "merchant_file" || v.Required() || v.Default.IsNull() || v.Default.Type() != cty.String {
			continue
		}
		f := v.Default.AsString()
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); errors.Is(err, os.ErrNotExist) {
			return f
		}
	}
	return ""
}

// found are the variable values the survey gives, by the variable names
// the built-in checklists share.
func found(s *survey.Survey) map[string]cty.Value {
	strs := func(list []string) cty.Value {
		if len(list) == 0 {
			return cty.NilVal
		}
		vals := make([]cty.Value, len(list))
		for i, v := range list {
			vals[i] = cty.StringVal(v)
		}
		return cty.ListVal(vals)
	}
	m := map[string]cty.Value{
		"config_files": strs(s.ConfigFiles),
		"source_dirs":  strs(s.SourceDirs),
		"package_dirs": strs(s.PackageDirs),
		"log_dirs":     strs(s.LogDirs),
	}
	if len(s.Pages) > 0 {
		m["checkout_page"] = cty.StringVal(s.Pages[0].File)
	}
	return m
}

// readsNothing reports whether a default leaves a probe nothing to read
// (null or empty): only then does a found value replace it, so a
// default such as pci-dss's source_dirs = ["."] keeps sweeping everything.
func readsNothing(v cty.Value) bool {
	return v.IsNull() || (v.CanIterateElements() && v.LengthInt() == 0)
}

// initFile writes audit.hcl: the use blocks, every other variable as a
// comment with its description and default, then the attested steps.
func initFile(s *survey.Survey, uses []useBlock) []byte {
	var b strings.Builder
	b.WriteString("# Written by audit init from what it found in this folder: a start, not a\n")
	b.WriteString("# verdict. Review every value (audit list NAME describes each), then: audit run\n")
	values := found(s)
	var manual []string
	for _, u := range uses {
		b.WriteString("\n")
		prefix := ""
		if u.disabled {
			prefix = "# "
			b.WriteString("# No built payment page was found: set checkout_page (an https URL or a built\n# HTML file) and uncomment this block for the PCI DSS scope and page checks.\n")
		}
		for _, e := range u.why {
			comment(&b, "", "found: "+e.String())
		}
		fmt.Fprintf(&b, "%suse %q {\n", prefix, u.name)
		for _, v := range u.inst.Checklist.Variables {
			if v.Name == "config_files" && len(s.Templates) > 0 {
				comment(&b, prefix+"  ", "templates of placeholders, left out: "+strings.Join(s.Templates, ", ")+"; list the files that hold the deployed values")
			}
			val, ok := values[v.Name]
			if ok && val != cty.NilVal && (v.Required() || readsNothing(v.Default)) {
				fmt.Fprintf(&b, "%s  %s = %s\n", prefix, v.Name, tokens(val))
				continue
			}
			if v.Required() {
				fmt.Fprintf(&b, "%s  %s = \"\" # required: %s\n", prefix, v.Name, oneLine(v.Description))
				continue
			}
			if v.Description != "" {
				comment(&b, prefix+"  ", oneLine(v.Description))
			}
			fmt.Fprintf(&b, "%s  # %s = %s\n", prefix, v.Name, tokens(v.Default))
		}
		fmt.Fprintf(&b, "%s}\n", prefix)
		if u.disabled {
			continue
		}
		for _, st := range u.inst.Checklist.Steps {
			if st.Manual {
				manual = append(manual, u.inst.StepID(st)+": "+st.Title)
			}
		}
	}
	if len(manual) > 0 {
		b.WriteString("\n# Steps no probe can see stay pending until attested:\n")
		for _, m := range manual {
			comment(&b, "", "  "+m)
		}
		b.WriteString("# attest \"STEP_ID\" {\n#   by       = \"who checked\"\n#   date     = \"YYYY-MM-DD\"\n#   evidence = \"what was seen, and where\"\n# }\n")
	}
	return hclwrite.Format([]byte(b.String()))
}

// comment writes text as # lines under 100 columns.
func comment(b *strings.Builder, indent, text string) {
	for _, l := range reports.Wrap(text, 98-len(indent)) {
		b.WriteString(indent + "# " + l + "\n")
	}
}

func tokens(v cty.Value) string {
	return string(hclwrite.TokensForValue(v).Bytes())
}

// merchantSkeleton follows the merchant profile contract (DESIGN.md); its
// placeholders validate, and the steps that read them fail.
const merchantSkeleton = `# Written by audit init: the merchant profile the go-live checklist reads.
# Fill it in from the provider's merchant account before the audit; until
# then the steps that read it fail (NO-GO), they never pass.
merchant {
  legal_name = "TODO: the merchant's legal name"
  country    = "XX" # ISO 3166 alpha-2, such as "FR"
  # tax_id          = "FR40303265045"
  # tax_id_verified = true
  # payout_account {
  #   iban   = "FR14 2004 1010 0505 0001 3M02 606"
  #   holder = "Café Étoile SARL"
  # }
  # card_on_file { brand = "visa"  last4 = "4242"  expires = "2027-08" }
  # logo = "assets/logo.png"
  # support { email = "help@shop.example"  phone = "+33 1 42 68 53 00"  url = "https://shop.example/help" }
  # seller_central_user { email = "service@shop.example"  roles = ["customer_service"] }
  # seller_central_user { email = "finance@shop.example"  roles = ["finance"] }
}
`
