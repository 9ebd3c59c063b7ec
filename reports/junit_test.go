package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The JUnit report is well-formed XML whose counts match the steps, even
// when messages hold markup and characters XML 1.0 forbids.
func TestJUnitDecodesBack(t *testing.T) {
	r := fixture()
	r.Steps[0].Message = "bad \x00 byte, <tag> & \"quotes\" ]]> \x1b[31m"
	out := render(t, func(b *bytes.Buffer) error { return JUnit(b, r, Options{}) })

	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "well-formed")
	}

	var got junitSuites
	require.NoError(t, xml.Unmarshal(out, &got))
	assert.Equal(t, 9, got.Tests)
	assert.Equal(t, 4, got.Failures, "3 fail + 1 pending")
	assert.Equal(t, 1, got.Errors)
	assert.Equal(t, 2, got.Skipped, "skip + waived")
	assert.Equal(t, "2026-11-23T10:00:00", got.Timestamp)
	require.Len(t, got.Suites, 2)
	assert.Equal(t, []string{"amazon-pay", "pci-dss"}, []string{got.Suites[0].Name, got.Suites[1].Name})
	assert.Equal(t, "0.004", got.Suites[0].Time)

	tests := []struct {
		suite, cse int
		check      func(t *testing.T, c junitCase)
	}{
		{0, 0, func(t *testing.T, c junitCase) {
			require.NotNil(t, c.Failure)
			assert.Equal(t, "fail", c.Failure.Type)
			assert.Contains(t, c.Failure.Text, "severity: critical\n")
			assert.Equal(t, "amazon-pay", c.Classname)
			assert.Equal(t, "0.003", c.Time)
			assert.Contains(t, c.Failure.Message, "<tag> & \"quotes\"")
			assert.Contains(t, c.Failure.Text, "config/payments.yaml:12")
		}},
		{0, 1, func(t *testing.T, c junitCase) {
			assert.Nil(t, c.Failure)
			assert.Nil(t, c.Skipped)
			assert.Contains(t, c.SystemOut, "title: Support contacts are filled in for Café Étoile SARL\n")
		}},
		{0, 2, func(t *testing.T, c junitCase) {
			assert.Contains(t, c.SystemOut, "attestation: by Launch manager on 2026-11-20\n")
		}},
		{0, 3, func(t *testing.T, c junitCase) { require.NotNil(t, c.Failure) }},
		{0, 4, func(t *testing.T, c junitCase) {
			require.NotNil(t, c.Skipped)
			assert.Equal(t, "unchecked: offline: probe webhook.ipn needs the network", c.Skipped.Message)
			assert.Contains(t, c.SystemOut, "status: unchecked\n")
		}},
		{1, 0, func(t *testing.T, c junitCase) {
			require.NotNil(t, c.Skipped)
			assert.Contains(t, c.Skipped.Message, "waived by CISO until 2026-12-10")
		}},
		{1, 1, func(t *testing.T, c junitCase) {
			require.NotNil(t, c.Failure)
			assert.Contains(t, c.Failure.Message, "waiver expired 2026-10-31")
		}},
		{1, 2, func(t *testing.T, c junitCase) {
			require.NotNil(t, c.Error)
			assert.Nil(t, c.Failure)
		}},
	}
	for _, tt := range tests {
		c := got.Suites[tt.suite].Cases[tt.cse]
		t.Run(c.Name, func(t *testing.T) { tt.check(t, c) })
	}
}

// TestJUnitSurefireSchema checks every testsuite against Maven Surefire's
// 3.0 schema with xmllint (libxml2-utils, from scripts/setup.sh).
func TestJUnitSurefireSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	require.NoError(t, err, "xmllint is missing: run scripts/setup.sh")
	for name, r := range map[string]*Result{"fixture": fixture(), "many": manyResult(60)} {
		out := render(t, func(b *bytes.Buffer) error { return JUnit(b, r, Options{}) })
		var doc struct {
			Suites []struct {
				Inner []byte     `xml:",innerxml"`
				Attrs []xml.Attr `xml:",any,attr"`
			} `xml:"testsuite"`
		}
		require.NoError(t, xml.Unmarshal(out, &doc))
		require.NotEmpty(t, doc.Suites)
		// Each suite is checked as the file Surefire would write for it.
		for i, s := range doc.Suites {
			var b bytes.Buffer
			b.WriteString(xml.Header + "<testsuite")
			for _, a := range s.Attrs {
				b.WriteString(" " + a.Name.Local + `="`)
				require.NoError(t, xml.EscapeText(&b, []byte(a.Value)))
				b.WriteString(`"`)
			}
			b.WriteString(">")
			b.Write(s.Inner)
			b.WriteString("</testsuite>\n")
			file := filepath.Join(t.TempDir(), fmt.Sprintf("suite-%d.xml", i))
			require.NoError(t, os.WriteFile(file, b.Bytes(), 0o644))
			res, err := exec.Command(xmllint, "--noout", "--schema", "testdata/surefire-test-report-3.0.xsd", file).CombinedOutput()
			assert.NoError(t, err, "%s suite %d: %s", name, i, res)
		}
	}
	pending := string(render(t, func(b *bytes.Buffer) error { return JUnit(b, fixture(), Options{}) }))
	assert.Contains(t, pending, `<failure message="no attestation" type="pending">`, "pending is told apart from a failure")
}
