// Package policies holds the PCI DSS v4.0.1 scope rules as a built-in
// checklist, written in HCL so a QSA can read exactly what is decided.
package policies

import (
	"embed"
	"io/fs"
)

//go:embed *.hcl titles.json messages.json
var files embed.FS

// Builtins is the embedded policy checklists (pci-dss).
func Builtins() fs.FS { return files }
