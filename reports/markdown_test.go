package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarkdownEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a | b", `a \| b`},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"line\nbreak\r\n", "line break"},
		{"[link](javascript:x) *bold* _it_ `code`", "\\[link\\](javascript:x) \\*bold\\* \\_it\\_ \\`code\\`"},
		{"Café Étoile", "Café Étoile"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, mdText(tt.in), tt.in)
	}
}

func TestMarkdownAllPassed(t *testing.T) {
	r := fixture()
	r.Steps = r.Steps[1:3]
	r.Decide()
	out := string(render(t, func(b *bytes.Buffer) error { return Markdown(b, r, Options{}) }))
	assert.Contains(t, out, "## audit: **GO**")
	assert.Contains(t, out, "Every step passed.")
	assert.NotContains(t, out, "<details>")
}

// A report larger than the limit is cut between whole blocks, with a note.
func TestMarkdownTruncates(t *testing.T) {
	r := manyResult(2000)
	en, err := loadWords("en")
	require.NoError(t, err)
	full := render(t, func(b *bytes.Buffer) error { return markdownWithin(b, r, en, 1<<30) })
	require.NotContains(t, string(full), "truncated")

	for _, limit := range []int{4 << 10, 64 << 10, len(full) - 1} {
		out := string(render(t, func(b *bytes.Buffer) error { return markdownWithin(b, r, en, limit) }))
		assert.LessOrEqual(t, len(out), limit)
		assert.Contains(t, out, "_Report truncated")
		assert.Equal(t, strings.Count(out, "<details>"), strings.Count(out, "</details>"), "no block is cut in half")
		assert.True(t, strings.HasSuffix(out, "audit.json._\n"))
	}
	big := manyResult(20000)
	out := render(t, func(b *bytes.Buffer) error { return Markdown(b, big, Options{}) })
	assert.LessOrEqual(t, len(out), markdownLimit)
}
