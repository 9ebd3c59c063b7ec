package reports

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMarkdownUnderCmarkGFM renders the report with cmark-gfm, GitHub's
// Markdown engine (scripts/setup.sh installs it): no escape shows as a
// backslash, the table is a table, every step's block is there, and a
// waiver is told once per place.
func TestMarkdownUnderCmarkGFM(t *testing.T) {
	bin, err := exec.LookPath("cmark-gfm")
	require.NoError(t, err, "cmark-gfm is missing: run scripts/setup.sh")
	r := fixture()
	md := render(t, func(b *bytes.Buffer) error { return Markdown(b, r, Options{}) })
	cmd := exec.Command(bin, "--extension", "table", "--extension", "autolink", "--unsafe")
	cmd.Stdin = bytes.NewReader(md)
	html, err := cmd.Output()
	require.NoError(t, err)
	out := string(html)

	assert.NotContains(t, out, `\`, "no literal backslash: every escape was understood")
	assert.Contains(t, out, "<table>")
	assert.Contains(t, out, "<td><code>amazon-pay.production_endpoints</code></td>")
	assert.Contains(t, out, "<summary><code>amazon-pay.sandbox_tests_passed</code> pending: Sandbox tests passed</summary>")
	assert.Contains(t, out, "<td>no Content-Security-Policy on &lt;script&gt; tags (waiver expired 2026-10-31: it no longer waives this step)</td>")
	for _, s := range r.Steps {
		if s.Status != Pass {
			assert.Equal(t, 1, strings.Count(out, "<summary><code>"+s.ID+"</code>"), s.ID)
		}
	}
	// The table row and the details block each say it once.
	assert.Equal(t, 2, strings.Count(out, "HSTS ships with the CDN migration (Größe)"))
}
