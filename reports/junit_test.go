package reports

import (
	"bytes"
	"encoding/xml"
	"io"
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
			assert.Equal(t, "critical", c.Failure.Type)
			assert.Equal(t, "amazon-pay", c.Classname)
			assert.Equal(t, "0.003", c.Time)
			assert.Contains(t, c.Failure.Message, "<tag> & \"quotes\"")
			assert.Contains(t, c.Failure.Text, "config/payments.yaml:12")
		}},
		{0, 1, func(t *testing.T, c junitCase) {
			assert.Nil(t, c.Failure)
			assert.Nil(t, c.Skipped)
			assert.Contains(t, c.Properties, junitProperty{Name: "title", Value: "Support contacts are filled in for Café Étoile SARL"})
		}},
		{0, 2, func(t *testing.T, c junitCase) {
			assert.Contains(t, c.Properties, junitProperty{Name: "attestation.by", Value: "Launch manager"})
		}},
		{0, 3, func(t *testing.T, c junitCase) { require.NotNil(t, c.Failure) }},
		{0, 4, func(t *testing.T, c junitCase) {
			require.NotNil(t, c.Skipped)
			assert.Equal(t, "unchecked: offline: probe webhook.ipn needs the network", c.Skipped.Message)
			assert.Contains(t, c.Properties, junitProperty{Name: "unchecked", Value: "true"})
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
