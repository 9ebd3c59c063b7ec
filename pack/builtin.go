package pack

import (
	"fmt"
	"sync"

	"github.com/audit-tool/audit/checklist/builtin"
)

// builtinSet parses the embedded packs once: they are constant data, and
// masking (scan.Redact) needs their credential rules on every printed line.
var builtinSet = sync.OnceValue(func() *Set {
	s, diags := Load(builtin.FS, "builtin")
	if diags.HasErrors() {
		// The embedded packs are tested (TestBuiltinPacks); reaching this
		// is a build that skipped the tests.
		panic(fmt.Sprintf("built-in provider packs: %s", diags.Error()))
	}
	return s
})

// Builtin returns the provider packs embedded in the binary.
func Builtin() *Set { return builtinSet() }
