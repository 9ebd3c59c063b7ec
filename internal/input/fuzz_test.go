package input

import (
	"strings"
	"testing"
)

// FuzzTooDeep checks that the nesting check reports the first place that
// crosses the limit: the same place on the prefix that ends there, at or
// before it for a lower limit, and never past the end.
func FuzzTooDeep(f *testing.F) {
	for _, seed := range []string{
		strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300),
		`a = "${"${"${x}"}"}"`,
		"a = <<EOT\n${[[[[x]]]]}\nEOT\n",
		"# ((((( a comment\nb = [1]\n",
		"/* [[[[ */ c = \"\\\"(((\" ",
		"x = {a = {b = {c = [ [ [ %{ if true }y%{ endif } ] ] ]}}}",
		"\x00\x1b[2J(((",
		"v = 1e999999999 + 99999999999999999999999999",
		"k = \"sk_live_51HqLyjWDarjtT1zdp7dcXcHf4539148803436467\"",
		"a = " + strings.Repeat("1+", 300) + "1",
		"b = " + strings.Repeat("!", 300) + "x\nc = a-b-c ? d : e ? f : g",
		"d = (1+\n2+\n3)\ne = {\n x = 1+1\n y = 2 }",
		"h = <<-EOT\n  ${1+1+1+1+1+1} %{ if a || b && !c }x%{ endif }\n  EOT\n",
	} {
		f.Add([]byte(seed), uint8(4))
	}
	f.Fuzz(func(t *testing.T, src []byte, limit uint8) {
		l := int(limit%32) + 1
		pos, deep := TooDeep(src, l)
		if !deep {
			if _, deeper := TooDeep(src, l+1); deeper {
				t.Fatalf("deep at %d but not at %d", l+1, l)
			}
			return
		}
		if pos.Byte < 0 || pos.Byte >= len(src) || pos.Line < 1 || pos.Column < 1 {
			t.Fatalf("position %+v outside %d bytes", pos, len(src))
		}
		// +2: the level opens at the end of "${" or "%{".
		if again, ok := TooDeep(src[:min(len(src), pos.Byte+2)], l); !ok || again != pos {
			t.Fatalf("prefix to %+v gives %+v, %v", pos, again, ok)
		}
		if l > 1 {
			if lower, ok := TooDeep(src, l-1); !ok || lower.Byte > pos.Byte {
				t.Fatalf("limit %d at %+v, limit %d at %+v (%v)", l, pos, l-1, lower, ok)
			}
		}
	})
}
