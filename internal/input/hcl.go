package input

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// CheckHCL reports src nested too deep for the HCL parser, whose recursion
// would overflow the stack, as a diagnostic at the level that crosses
// MaxNesting. Every HCL source is checked with it before it is parsed.
func CheckHCL(src []byte, filename string) hcl.Diagnostics {
	pos, deep := TooDeep(src, MaxNesting)
	if !deep {
		return nil
	}
	at := hcl.Pos{Line: pos.Line, Column: pos.Column, Byte: pos.Byte}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Nested too deep",
		Detail:   fmt.Sprintf("Brackets, parentheses and interpolations nest more than %d levels here; no checklist needs that many.", MaxNesting),
		Subject:  &hcl.Range{Filename: filename, Start: at, End: hcl.Pos{Line: at.Line, Column: at.Column + 1, Byte: at.Byte + 1}},
	}}
}
