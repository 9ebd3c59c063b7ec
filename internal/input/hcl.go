package input

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// CheckHCL reports src nested too deep for the HCL parser, whose recursion
// would overflow the stack, or holding more tokens than a syntax tree may
// take, as a diagnostic at the place that crosses MaxNesting or MaxTokens.
// Every HCL source is checked with it before it is parsed.
func CheckHCL(src []byte, filename string) hcl.Diagnostics {
	return CheckHCLWithin(src, filename, Limits{Nesting: MaxNesting, Tokens: MaxTokens, HeredocLines: MaxHeredocLines})
}

// CheckHCLWithin is CheckHCL with other limits: a fleet file, parsed in
// pieces, has no token limit.
func CheckHCLWithin(src []byte, filename string, lim Limits) hcl.Diagnostics {
	pos, ex := Exceeds(src, lim)
	var summary, detail string
	switch ex {
	case Fits:
		return nil
	case Deep:
		summary = "Nested too deep"
		detail = fmt.Sprintf("Brackets, parentheses, interpolations and operators chained in one expression nest more than %d levels here; no checklist needs that many.", lim.Nesting)
	case Long:
		summary = "Heredoc too long"
		detail = fmt.Sprintf("This heredoc has more than %d lines; the HCL parser joins them one at a time, and no message needs that many.", lim.HeredocLines)
	case Many:
		summary = "File too complex"
		detail = fmt.Sprintf("The file has more than %d tokens (names, values, operators, brackets, line ends) by here; no checklist or profile needs that many.", lim.Tokens)
	}
	at := hcl.Pos{Line: pos.Line, Column: pos.Column, Byte: pos.Byte}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   detail,
		Subject:  &hcl.Range{Filename: filename, Start: at, End: hcl.Pos{Line: at.Line, Column: at.Column + 1, Byte: at.Byte + 1}},
	}}
}
