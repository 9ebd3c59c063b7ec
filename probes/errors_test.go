package probes

import (
	"bufio"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/pack"
)

func renderErrors(v cty.Value) []string {
	var out []string
	for it := v.GetAttr("errors").ElementIterator(); it.Next(); {
		_, e := it.Element()
		n, _ := e.GetAttr("count").AsBigFloat().Int64()
		loc := func(name string) string {
			l := e.GetAttr(name)
			line, _ := l.GetAttr("line").AsBigFloat().Int64()
			return fmt.Sprintf("%s:%d", l.GetAttr("file").AsString(), line)
		}
		out = append(out, fmt.Sprintf("%s %s ×%d %s..%s %s %s", e.GetAttr("code").AsString(), e.GetAttr("category").AsString(), n,
			e.GetAttr("first_seen").AsString(), e.GetAttr("last_seen").AsString(), loc("first"), loc("last")))
	}
	return out
}

func TestErrorsInLogs(t *testing.T) {
	v, err := kindRun(t, Errors{}, &Env{BaseDir: "testdata/errors"}, `
dirs     = ["logs", "logs/old"]
provider = "amazon-pay"`)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"InvalidRequestSignature signature ×3 2026-11-19T23:59:59Z..2026-11-22T08:30:00Z logs/app.log:2 logs/old/access.log:1",
		"SoftDeclined decline ×1 2026-11-21T08:15:00Z..2026-11-21T08:15:00Z logs/app.log:3 logs/app.log:3",
		"InvalidParameterValue invalid_parameter ×1 .. logs/app.log:5 logs/app.log:5",
	}, renderErrors(v), "logs/old is read once although under two dirs")
	assert.EqualValues(t, 5, pageInt(t, v.GetAttr("total")))

	var samples []string
	for it := v.GetAttr("errors").ElementIterator(); it.Next(); {
		_, e := it.Element()
		samples = append(samples, e.GetAttr("sample").AsString())
	}
	all := strings.Join(samples, "\n")
	assert.NotContains(t, all, "4111111111111111", "card numbers are masked in samples")
	assert.Contains(t, all, "411111******1111")
	cov, ok := CoverageOf(v)
	require.True(t, ok)
	assert.EqualValues(t, 2, cov.FilesRead)
}

func TestLogTime(t *testing.T) {
	for line, want := range map[string]string{
		"2026-11-20T10:00:02Z x":                         "2026-11-20T10:00:02Z",
		"2026-11-21 08:15:00,123 WARN":                   "2026-11-21T08:15:00Z",
		"[2026-11-22T09:30:00+01:00] ERROR":              "2026-11-22T08:30:00Z",
		`1.2.3.4 - - [19/Nov/2026:23:59:59 +0000] "GET"`: "2026-11-19T23:59:59Z",
		"plain line": "",
	} {
		got := logTime(line)
		if want == "" {
			assert.True(t, got.IsZero(), line)
			continue
		}
		assert.Equal(t, want, got.UTC().Format("2006-01-02T15:04:05Z07:00"), line)
	}
}

func FuzzCountLogErrors(f *testing.F) {
	f.Add("2026-11-20T10:00:02Z InvalidRequestSignature\nSoftDeclined\r\n")
	f.Add("[19/Nov/2026:23:59:59 +0000] HardDeclined 4111111111111111")
	rules := (&Env{}).PackSet()
	p, _ := rules.Lookup("amazon-pay")
	f.Fuzz(func(t *testing.T, data string) {
		counts := map[*pack.LogError]*logErrorCount{}
		_, err := countLogErrors(p.LogErrors, "f", bufio.NewReader(strings.NewReader(data)), counts)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range counts {
			if c.count < 1 || c.firstAt.line < 1 || c.lastAt.line < c.firstAt.line || len(c.sample) > errorsSampleLen+len("…") {
				t.Fatalf("bad count %+v", c)
			}
		}
	})
}
