// Package fleet runs the audit of many merchants: it reads the fleet file
// that lists them, picks a shard's share by a stable hash of the merchant id,
// and runs each merchant isolated, so one that fails, hangs or panics is an
// error row and never stops the others.
package fleet

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/audit-tool/audit/internal/input"
)

// maxFileSize bounds the fleet file read: 10,000 merchants take about
// 1 MiB, so 100,000 fit with room to spare.
const maxFileSize = 64 << 20

// File is a parsed fleet file.
type File struct {
	Path      string
	Dir       string // the folder merchant paths are relative to
	Merchants []Merchant
}

// Merchant is one merchant block.
type Merchant struct {
	ID string
	// Dir is the merchant's folder (holding its audit.hcl), resolved
	// against the fleet file's folder.
	Dir string
	// Vars are values for the --checklist checklists of a fleet run, in
	// the merchant's name order.
	Vars  map[string]cty.Value
	Tags  []string
	Owner string
	// DeclRange is the merchant block's header, for diagnostics.
	DeclRange hcl.Range
	// PathRange is the path attribute's value, for diagnostics.
	PathRange hcl.Range
}

// VarNames returns the names of m.Vars, sorted.
func (m Merchant) VarNames() []string {
	names := make([]string, 0, len(m.Vars))
	for n := range m.Vars {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// idPattern keeps merchant ids usable as file names, label values and
// database keys alike.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$`)

var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "merchant", LabelNames: []string{"id"}}},
}

var merchantSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "path", Required: true},
		{Name: "vars"},
		{Name: "tags"},
		{Name: "owner"},
	},
}

// Load reads and parses the fleet file at path. Diagnostics point at
// file:line:col.
func Load(path string) (*File, hcl.Diagnostics) {
	src, err := input.ReadFile(path, maxFileSize)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read fleet file", Detail: err.Error() + "."}}
	}
	return Parse(path, src)
}

// CheckFolders reports merchants whose folder is missing or not a folder.
// `audit validate` makes them errors; a fleet run makes each an error row
// and audits the others.
func (f *File) CheckFolders() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, m := range f.Merchants {
		info, err := os.Stat(m.Dir)
		switch {
		case err != nil:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Merchant folder not found",
				Detail:  fmt.Sprintf("Merchant %q: %s: %s.", m.ID, m.Dir, unwrap(err)),
				Subject: m.PathRange.Ptr(),
			})
		case !info.IsDir():
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Merchant path is not a folder",
				Detail:  fmt.Sprintf("Merchant %q: %s is a file; path names the folder that holds its audit.hcl.", m.ID, m.Dir),
				Subject: m.PathRange.Ptr(),
			})
		}
	}
	return diags
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// IsFleetFile reports whether src's first segment parses as HCL with at
// least one merchant block and no other top-level block, so `audit validate` can tell a fleet
// file from an integration or checklist file.
func IsFleetFile(filename string, src []byte) bool {
	// The first segment says: a whole 4 MiB file of 25,000 merchants is a
	// syntax tree of 700 MB.
	src = src[:segments(src, segmentSize)[0].end]
	if input.CheckHCL(src, filename).HasErrors() {
		return false
	}
	f, diags := hclparse.NewParser().ParseHCL(src, filename)
	if f == nil || diags.HasErrors() {
		return false
	}
	content, _, _ := f.Body.PartialContent(fileSchema)
	return content != nil && len(content.Blocks) > 0
}

// Parse decodes a fleet file's source. Only constants are allowed: a fleet
// file is data.
//
// A fleet of 100,000 merchants is a 10 MB file whose syntax tree would
// take over a gigabyte at once, in every shard's pod. So the file is parsed
// in segments of whole merchant blocks, each decoded and its tree dropped
// before the next: see segments. When a segment does not parse alone the
// file is parsed whole, so diagnostics are always those of the whole file.
func Parse(filename string, src []byte) (*File, hcl.Diagnostics) {
	if diags := input.CheckHCLWithin(src, filename, fleetLimits); diags.HasErrors() {
		return nil, diags
	}
	if f, diags, ok := parse(filename, src, segments(src, segmentSize)); ok {
		return f, diags
	}
	f, diags, _ := parse(filename, src, []segment{{pos: hcl.InitialPos, end: len(src)}})
	return f, diags
}

// fleetLimits leave tokens out: a fleet file of 100,000 merchants has
// millions, and is parsed in segments rather than as one tree.
var fleetLimits = input.Limits{Nesting: input.MaxNesting, HeredocLines: input.MaxHeredocLines}

// segmentSize is the source parsed at once: its tree is about 30 MB.
const segmentSize = 256 << 10

// segment is a piece of the source that starts at pos and ends before end.
type segment struct {
	pos hcl.Pos
	end int
}

// segments cuts src before lines that start a merchant block, into pieces
// of at least size bytes. A cut inside a heredoc, comment or open brace
// leaves the piece before it unterminated, so it fails to parse and Parse
// falls back to the whole file.
func segments(src []byte, size int) []segment {
	var out []segment
	start := hcl.InitialPos
	line := 1
	for off := 0; off < len(src); {
		nl := bytes.IndexByte(src[off:], '\n')
		if nl < 0 {
			break
		}
		off += nl + 1
		line++
		if off-start.Byte >= size && bytes.HasPrefix(src[off:], []byte("merchant")) {
			out = append(out, segment{pos: start, end: off})
			start = hcl.Pos{Line: line, Column: 1, Byte: off}
		}
	}
	return append(out, segment{pos: start, end: len(src)})
}

// parse decodes the segments in turn; ok is false when one has syntax
// errors and there is more than one (the caller then parses the whole).
func parse(filename string, src []byte, segs []segment) (*File, hcl.Diagnostics, bool) {
	dir := filepath.Dir(filename)
	f := &File{Path: filename, Dir: dir}
	seen := map[string]hcl.Range{}
	var diags hcl.Diagnostics
	var last hcl.Body
	for _, seg := range segs {
		hf, ds := hclsyntax.ParseConfig(src[seg.pos.Byte:seg.end], filename, seg.pos)
		if ds.HasErrors() && len(segs) > 1 {
			return nil, nil, false
		}
		diags = append(diags, ds...)
		if hf == nil || ds.HasErrors() {
			return nil, diags, true
		}
		last = hf.Body
		diags = append(diags, f.decode(hf.Body, seen)...)
	}
	if len(f.Merchants) == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "No merchant",
			Detail:  `A fleet file lists merchants: merchant "ID" { path = "DIR" }.`,
			Subject: last.MissingItemRange().Ptr(),
		})
	}
	return f, diags, true
}

// decode adds the merchants of one parsed segment; seen holds the ids of
// all segments so far, for duplicates.
func (f *File) decode(body hcl.Body, seen map[string]hcl.Range) hcl.Diagnostics {
	content, diags := body.Content(fileSchema)
	for _, b := range content.Blocks {
		m, ds := decodeMerchant(b, f.Dir)
		diags = append(diags, ds...)
		if m == nil {
			continue
		}
		if prev, dup := seen[m.ID]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Duplicate merchant",
				Detail:  fmt.Sprintf("Merchant %q is already declared at %s.", m.ID, prev),
				Subject: b.LabelRanges[0].Ptr(),
			})
			continue
		}
		seen[m.ID] = b.DefRange
		f.Merchants = append(f.Merchants, *m)
	}
	return diags
}

func decodeMerchant(b *hcl.Block, dir string) (*Merchant, hcl.Diagnostics) {
	id := b.Labels[0]
	if !idPattern.MatchString(id) {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Invalid merchant id",
			Detail:  fmt.Sprintf("Merchant id %q must be 1 to 128 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.", id),
			Subject: b.LabelRanges[0].Ptr(),
		}}
	}
	content, diags := b.Body.Content(merchantSchema)
	m := &Merchant{ID: id, DeclRange: b.DefRange}
	ok := !diags.HasErrors()

	if a, found := content.Attributes["path"]; found {
		var p string
		ds := constant(a, cty.String, func(v cty.Value) { p = v.AsString() })
		diags = append(diags, ds...)
		switch {
		case ds.HasErrors():
			ok = false
		case p == "":
			diags = append(diags, attrErr(a, "Empty merchant path", "path names the merchant's folder, relative to the fleet file."))
			ok = false
		default:
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			m.Dir, m.PathRange = p, a.Expr.Range()
		}
	}
	if a, found := content.Attributes["owner"]; found {
		ds := constant(a, cty.String, func(v cty.Value) { m.Owner = v.AsString() })
		diags, ok = append(diags, ds...), ok && !ds.HasErrors()
	}
	if a, found := content.Attributes["tags"]; found {
		ds := constant(a, cty.List(cty.String), func(v cty.Value) {
			for _, t := range v.AsValueSlice() {
				m.Tags = append(m.Tags, t.AsString())
			}
		})
		diags, ok = append(diags, ds...), ok && !ds.HasErrors()
	}
	if a, found := content.Attributes["vars"]; found {
		ds := constant(a, cty.DynamicPseudoType, func(v cty.Value) {
			if !v.Type().IsObjectType() && !v.Type().IsMapType() {
				return
			}
			m.Vars = map[string]cty.Value{}
			for name, val := range v.AsValueMap() {
				m.Vars[name] = val
			}
		})
		diags, ok = append(diags, ds...), ok && !ds.HasErrors()
		if !ds.HasErrors() && m.Vars == nil {
			diags = append(diags, attrErr(a, "Invalid vars", `vars is an object of variable values: vars = { checkout_page = "dist/checkout.html" }.`))
			ok = false
		}
	}
	if !ok {
		return nil, diags
	}
	return m, diags
}

// constant evaluates a's expression without variables or functions,
// converts it to want and hands a known, non-null value to set.
func constant(a *hcl.Attribute, want cty.Type, set func(cty.Value)) hcl.Diagnostics {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return diags
	}
	if !v.IsWhollyKnown() || v.IsNull() {
		return hcl.Diagnostics{attrErr(a, "Invalid value", fmt.Sprintf("%s must be a constant, not null.", a.Name))}
	}
	if want != cty.DynamicPseudoType {
		cv, err := convert.Convert(v, want)
		if err != nil {
			return hcl.Diagnostics{attrErr(a, "Invalid value", fmt.Sprintf("%s must be %s: %s.", a.Name, want.FriendlyName(), err))}
		}
		v = cv
		if want.IsListType() {
			for _, e := range v.AsValueSlice() {
				if e.IsNull() {
					return hcl.Diagnostics{attrErr(a, "Invalid value", fmt.Sprintf("%s must not hold null.", a.Name))}
				}
			}
		}
	}
	set(v)
	return nil
}

func attrErr(a *hcl.Attribute, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: a.Expr.Range().Ptr()}
}
