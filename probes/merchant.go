package probes

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/internal/input"
)

var (
	payoutAccountFacts = cty.Object(map[string]cty.Type{
		"present": cty.Bool, "iban": cty.String, "holder": cty.String, "bic": cty.String,
		"sort_code": cty.String, "routing_number": cty.String, "bank_code": cty.String,
		"branch_code": cty.String, "account_type": cty.String, "account_number": cty.String,
	})
	cardOnFileFacts = cty.Object(map[string]cty.Type{
		"present": cty.Bool, "brand": cty.String, "last4": cty.String, "expires": cty.String,
	})
	supportFacts = cty.Object(map[string]cty.Type{
		"present": cty.Bool, "email": cty.String, "phone": cty.String, "url": cty.String,
	})
	sellerCentralUserFacts = cty.Object(map[string]cty.Type{
		"email": cty.String, "roles": cty.List(cty.String),
	})
	serviceProviderFacts = cty.Object(map[string]cty.Type{
		"name": cty.String, "aoc_date": cty.String,
	})
	merchantFacts = cty.Object(map[string]cty.Type{
		"file":                 cty.String,
		"legal_name":           cty.String,
		"country":              cty.String,
		"tax_id":               cty.String,
		"tax_id_verified":      cty.Bool,
		"logo":                 cty.String,
		"business_email":       cty.String,
		"payout_account":       payoutAccountFacts,
		"card_on_file":         cardOnFileFacts,
		"support":              supportFacts,
		"seller_central_users": cty.List(sellerCentralUserFacts),
		"service_providers":    cty.List(serviceProviderFacts),
		"locations":            cty.Map(Location),
	})
)

// The merchant profile as gohcl decodes it; the tags are the contract of
// DESIGN.md "Merchant profile". Absent optional values decode to "".
type (
	merchantFile struct {
		Merchant merchantProfile `hcl:"merchant,block"`
	}
	merchantProfile struct {
		LegalName          string              `hcl:"legal_name"`
		Country            string              `hcl:"country"`
		TaxID              string              `hcl:"tax_id,optional"`
		TaxIDVerified      bool                `hcl:"tax_id_verified,optional"`
		Logo               string              `hcl:"logo,optional"`
		BusinessEmail      string              `hcl:"business_email,optional"`
		PayoutAccount      *payoutAccount      `hcl:"payout_account,block"`
		CardOnFile         *cardOnFile         `hcl:"card_on_file,block"`
		Support            *support            `hcl:"support,block"`
		SellerCentralUsers []sellerCentralUser `hcl:"seller_central_user,block"`
		ServiceProviders   []serviceProvider   `hcl:"service_provider,block"`
	}
	// payoutAccount takes one of the country forms: an IBAN, a UK sort
	// code, a US ABA routing number or a Japanese bank and branch code,
	// each with its account number (the payout_account_problem function
	// judges which form a country needs).
	payoutAccount struct {
		IBAN          string `hcl:"iban,optional"`
		Holder        string `hcl:"holder,optional"`
		BIC           string `hcl:"bic,optional"`
		SortCode      string `hcl:"sort_code,optional"`
		RoutingNumber string `hcl:"routing_number,optional"`
		BankCode      string `hcl:"bank_code,optional"`
		BranchCode    string `hcl:"branch_code,optional"`
		AccountType   string `hcl:"account_type,optional"`
		AccountNumber string `hcl:"account_number,optional"`
	}
	cardOnFile struct {
		Brand   string `hcl:"brand,optional"`
		Last4   string `hcl:"last4,optional"`
		Expires string `hcl:"expires,optional"`
	}
	support struct {
		Email string `hcl:"email,optional"`
		Phone string `hcl:"phone,optional"`
		URL   string `hcl:"url,optional"`
	}
	sellerCentralUser struct {
		Email string   `hcl:"email"`
		Roles []string `hcl:"roles,optional"`
	}
	serviceProvider struct {
		Name    string `hcl:"name,label"`
		AOCDate string `hcl:"aoc_date,optional"`
	}
)

// Merchant reads the merchant profile: legal entity, payout account, card
// on file, support contacts, Seller Central users and service providers,
// the account settings no probe can read from the provider.
type Merchant struct{}

// Name implements Kind.
func (Merchant) Name() string { return "merchant" }

// Doc implements Kind.
func (Merchant) Doc() string {
	return "Reads the merchant profile (merchant.hcl): legal entity, tax id, payout account, card on file, logo, support contacts, Seller Central users, service providers."
}

// Spec implements Kind.
func (Merchant) Spec() hcldec.Spec {
	return &hcldec.ObjectSpec{
		"file": &hcldec.AttrSpec{Name: "file", Type: cty.String, Required: true},
	}
}

// Facts implements Kind. Every attribute is always present (absent blocks
// have present = false and "" fields) so checklists never meet a null.
// locations maps "legal_name", "payout_account", "payout_account.iban",
// "service_provider.amazon-pay", … to where the profile says it; a
// repeated block's later instances are "seller_central_user.1", ….
func (Merchant) Facts() cty.Type { return merchantFacts }

// Validate implements Validator: a malformed profile is a configuration
// error reported at load time with file:line:col.
func (Merchant) Validate(env *Env, cfg cty.Value) hcl.Diagnostics {
	if !cfg.IsWhollyKnown() {
		return nil
	}
	if cfg.GetAttr("file").IsNull() {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid merchant probe", Detail: "file is null: name the merchant profile."}}
	}
	file := env.Path(cfg.GetAttr("file").AsString())
	m, locs, diags := loadMerchant(env.Scope, file)
	if diags.HasErrors() {
		return diags
	}
	return append(diags, checkLogoPath(env, file, m.Logo, locs["logo"])...)
}

// checkLogoPath refuses a logo file the checklists would read (image_info)
// outside the integration's folder or in host state: the profile is data
// from the merchant, not a way to read the runner's files. Without an
// integration (--checklist) the profile itself was the user's choice, but
// the logo it names is still its data: it must resolve in the working
// folder (where --checklist paths resolve) or beside the profile.
func checkLogoPath(env *Env, profile, logo string, at hcl.Range) hcl.Diagnostics {
	if logo == "" || strings.Contains(logo, "://") {
		return nil
	}
	path := env.Path(logo)
	err := input.CheckHost(path)
	if err == nil && env.Scope != nil {
		err = env.Scope.Check(path)
	} else if err == nil {
		dir := filepath.Dir(profile)
		if err = input.NewScope(env.BaseDir, dir).Check(path); err != nil {
			err = fmt.Errorf("it resolves to %s, neither below the working folder %s nor below the profile's %s", input.RealPath(path), input.RealPath(env.BaseDir), input.RealPath(dir))
		}
	}
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unusable logo path", Detail: fmt.Sprintf("logo %q: %s.", logo, err), Subject: at.Ptr()}}
}

// Run implements Kind.
func (Merchant) Run(_ context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	path := env.Path(cfg.GetAttr("file").AsString())
	m, locs, diags := loadMerchant(env.Scope, path)
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("merchant probe: %w", diags)
	}
	return merchantVal(env.Rel(path), m, locs), nil
}

func loadMerchant(scope *input.Scope, path string) (merchantProfile, map[string]hcl.Range, hcl.Diagnostics) {
	src, err := scope.ReadFile(path, input.MaxHCL)
	if err != nil {
		return merchantProfile{}, nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unreadable merchant profile",
			Detail:   err.Error(),
		}}
	}
	return parseMerchant(src, path)
}

// parseMerchant decodes a profile and checks the values whose format the
// contract fixes. It never evaluates variables or functions: the profile
// is data.
func parseMerchant(src []byte, filename string) (merchantProfile, map[string]hcl.Range, hcl.Diagnostics) {
	if diags := input.CheckHCL(src, filename); diags != nil {
		return merchantProfile{}, nil, diags
	}
	f, diags := hclparse.NewParser().ParseHCL(src, filename)
	if diags.HasErrors() {
		return merchantProfile{}, nil, diags
	}
	if ds := hugeNumbers(f.Body.(*hclsyntax.Body)); ds.HasErrors() {
		return merchantProfile{}, nil, ds
	}
	var doc merchantFile
	if diags = append(diags, gohcl.DecodeBody(f.Body, nil, &doc)...); diags.HasErrors() {
		return merchantProfile{}, nil, sortDiags(diags)
	}
	locs := locateMerchant(f.Body.(*hclsyntax.Body))
	diags = append(diags, checkMerchant(doc.Merchant, locs)...)
	return doc.Merchant, locs, diags
}

// maxNumberExp bounds a number literal's binary exponent: 1e999999 decodes
// into a string field as a million digits, and 1e99999999 takes seconds
// and 100 MB. No profile value comes near 2^4096.
const maxNumberExp = 4096

// hugeNumbers refuses number literals beyond maxNumberExp, before they
// are decoded.
func hugeNumbers(body *hclsyntax.Body) hcl.Diagnostics {
	var diags hcl.Diagnostics
	_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		lit, ok := n.(*hclsyntax.LiteralValueExpr)
		if !ok || lit.Val.Type() != cty.Number || !lit.Val.IsKnown() || lit.Val.IsNull() {
			return nil
		}
		if exp := lit.Val.AsBigFloat().MantExp(nil); exp > maxNumberExp || exp < -maxNumberExp {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Number too large",
				Detail: "A merchant profile holds names, ids and flags: this number is far beyond any of them.", Subject: lit.SrcRange.Ptr()})
		}
		return nil
	})
	return diags
}

// locateMerchant records where each attribute and block of the merchant
// block is, keyed as documented on Facts.
func locateMerchant(body *hclsyntax.Body) map[string]hcl.Range {
	locs := map[string]hcl.Range{}
	for _, b := range body.Blocks {
		if b.Type == "merchant" { // gohcl already rejected a second one
			locs["merchant"] = b.DefRange()
			locateBody(b.Body, "", locs)
		}
	}
	return locs
}

func locateBody(body *hclsyntax.Body, prefix string, locs map[string]hcl.Range) {
	for name, a := range body.Attributes {
		locs[prefix+name] = a.SrcRange
	}
	seen := map[string]int{}
	for _, b := range body.Blocks {
		key := prefix + strings.Join(append([]string{b.Type}, b.Labels...), ".")
		n := seen[key]
		seen[key]++
		if n > 0 {
			key += "." + strconv.Itoa(n)
		}
		locs[key] = b.DefRange()
		locateBody(b.Body, key+".", locs)
	}
}

var (
	countryCode = regexp.MustCompile(`^[A-Z]{2}$`)
	last4Digits = regexp.MustCompile(`^[0-9]{4}$`)
)

func checkMerchant(m merchantProfile, locs map[string]hcl.Range) hcl.Diagnostics {
	var diags hcl.Diagnostics
	bad := func(key, summary, detail string) {
		r := locs[key]
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &r})
	}
	if !countryCode.MatchString(m.Country) {
		bad("country", "Invalid country", `country is an ISO 3166 alpha-2 code in upper case, such as "FR".`)
	}
	if c := m.CardOnFile; c != nil {
		if c.Last4 != "" && !last4Digits.MatchString(c.Last4) {
			// No Subject: the diagnostic writer would print the source line,
			// and a wrong last4 is most often a whole card number.
			r := locs["card_on_file.last4"]
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid last4",
				Detail: fmt.Sprintf("%s:%d:%d: last4 holds the last four digits of the card and nothing else (the value is not shown: it may be a card number).",
					r.Filename, r.Start.Line, r.Start.Column),
			})
		}
		if c.Expires != "" && !isDate(c.Expires, "2006-01", time.DateOnly) {
			bad("card_on_file.expires", "Invalid expiry date", `expires is "YYYY-MM" (as printed on the card) or "YYYY-MM-DD".`)
		}
	}
	seen := map[string]int{}
	for _, p := range m.ServiceProviders {
		key := "service_provider." + p.Name
		if n := seen[p.Name]; n > 0 { // keyed as locateBody does
			key += "." + strconv.Itoa(n)
			bad(key, "Duplicate service_provider block", fmt.Sprintf("service provider %q is already described.", p.Name))
		}
		seen[p.Name]++
		if p.AOCDate != "" && !isDate(p.AOCDate, time.DateOnly) {
			bad(key+".aoc_date", "Invalid aoc_date", `aoc_date is the date of the provider's attestation of compliance, "YYYY-MM-DD".`)
		}
	}
	return diags
}

// sortDiags orders diagnostics by position: gohcl reports attributes in
// map order, and `audit validate` output must not change between runs.
func sortDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	pos := func(d *hcl.Diagnostic) hcl.Pos {
		if d.Subject == nil {
			return hcl.Pos{}
		}
		return d.Subject.Start
	}
	sort.SliceStable(diags, func(i, j int) bool { return pos(diags[i]).Byte < pos(diags[j]).Byte })
	return diags
}

func isDate(s string, layouts ...string) bool {
	for _, l := range layouts {
		if _, err := time.Parse(l, s); err == nil {
			return true
		}
	}
	return false
}

func merchantVal(file string, m merchantProfile, locs map[string]hcl.Range) cty.Value {
	str := cty.StringVal
	payout, card, sup := payoutAccount{}, cardOnFile{}, support{}
	if m.PayoutAccount != nil {
		payout = *m.PayoutAccount
	}
	if m.CardOnFile != nil {
		card = *m.CardOnFile
	}
	if m.Support != nil {
		sup = *m.Support
	}
	users := make([]cty.Value, len(m.SellerCentralUsers))
	for i, u := range m.SellerCentralUsers {
		users[i] = cty.ObjectVal(map[string]cty.Value{"email": str(u.Email), "roles": Strings(u.Roles)})
	}
	providers := make([]cty.Value, len(m.ServiceProviders))
	for i, p := range m.ServiceProviders {
		providers[i] = cty.ObjectVal(map[string]cty.Value{"name": str(p.Name), "aoc_date": str(p.AOCDate)})
	}
	where := make(map[string]cty.Value, len(locs))
	for k, r := range locs {
		where[k] = LocationVal(file, r.Start.Line)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"file":            str(file),
		"legal_name":      str(m.LegalName),
		"country":         str(m.Country),
		"tax_id":          str(m.TaxID),
		"tax_id_verified": cty.BoolVal(m.TaxIDVerified),
		"logo":            str(m.Logo),
		"business_email":  str(m.BusinessEmail),
		"payout_account": cty.ObjectVal(map[string]cty.Value{
			"present": cty.BoolVal(m.PayoutAccount != nil),
			"iban":    str(payout.IBAN), "holder": str(payout.Holder), "bic": str(payout.BIC),
			"sort_code": str(payout.SortCode), "routing_number": str(payout.RoutingNumber),
			"bank_code": str(payout.BankCode), "branch_code": str(payout.BranchCode),
			"account_type": str(payout.AccountType), "account_number": str(payout.AccountNumber),
		}),
		"card_on_file": cty.ObjectVal(map[string]cty.Value{
			"present": cty.BoolVal(m.CardOnFile != nil),
			"brand":   str(card.Brand), "last4": str(card.Last4), "expires": str(card.Expires),
		}),
		"support": cty.ObjectVal(map[string]cty.Value{
			"present": cty.BoolVal(m.Support != nil),
			"email":   str(sup.Email), "phone": str(sup.Phone), "url": str(sup.URL),
		}),
		"seller_central_users": ListOf(sellerCentralUserFacts, users),
		"service_providers":    ListOf(serviceProviderFacts, providers),
		"locations":            cty.MapVal(where), // never empty: "merchant" is always there
	})
}
