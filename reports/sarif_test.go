package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/scan"
)

// sarifSchema2_1_0 compiles testdata/sarif-schema-2.1.0.json: the OASIS
// SARIF 2.1.0 Committee Specification schema (oasis-tcs/sarif-spec,
// Documents/CommitteeSpecifications/2.1.0), kept byte for byte.
//
// The one edit, made here and not in the file: the OASIS Standard renamed
// suppression.state to suppression.status (SARIF 2.1.0 §3.35.3), which is
// what GitHub code scanning and every current consumer read.
func sarifSchema2_1_0(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	props := doc.(map[string]any)["definitions"].(map[string]any)["suppression"].(map[string]any)["properties"].(map[string]any)
	require.Contains(t, props, "state", "schema file changed: revisit the status rename")
	props["status"] = props["state"]
	delete(props, "state")

	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource("sarif-schema-2.1.0.json", doc))
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	require.NoError(t, err)
	return sch
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	sch := sarifSchema2_1_0(t)
	empty := fixture()
	empty.Steps, empty.Scope = nil, nil
	zero := &Result{SchemaVersion: SchemaVersion, Verdict: Go, FailOn: High}
	for name, r := range map[string]*Result{"fixture": fixture(), "no steps": empty, "zero": zero, "many": manyResult(300)} {
		t.Run(name, func(t *testing.T) {
			out := render(t, func(b *bytes.Buffer) error { return SARIF(b, r, Options{}) })
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
			require.NoError(t, err)
			assert.NoError(t, sch.Validate(inst))
		})
	}
}

// The schema check must be able to fail: a log it accepts with a bad level
// would prove nothing.
func TestSARIFSchemaRejectsInvalid(t *testing.T) {
	sch := sarifSchema2_1_0(t)
	out := render(t, func(b *bytes.Buffer) error { return SARIF(b, fixture(), Options{}) })
	var doc map[string]any
	require.NoError(t, json.Unmarshal(out, &doc))
	doc["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)["level"] = "fatal"
	assert.Error(t, sch.Validate(doc))
}

type sarifOut struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID      string `json:"id"`
					HelpURI string `json:"helpUri"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID       string `json:"ruleId"`
			RuleIndex    int    `json:"ruleIndex"`
			Level        string `json:"level"`
			Locations    []sarifLocation
			Suppressions []sarifSuppression
			Properties   sarifResultBag
		} `json:"results"`
	} `json:"runs"`
}

// at is a location in the fixture's folder.
func at(file string, line int) []sarifLocation {
	return []sarifLocation{{PhysicalLocation: sarifPhysical{
		ArtifactLocation: sarifArtifact{URI: "shops/cafe-etoile/" + file, URIBaseID: "%SRCROOT%"}, Region: sarifRegion{StartLine: line}}}}
}

func TestSARIFResults(t *testing.T) {
	r := fixture()
	var got sarifOut
	out := render(t, func(b *bytes.Buffer) error { return SARIF(b, r, Options{}) })
	require.NoError(t, json.Unmarshal(out, &got))
	require.Len(t, got.Runs, 1)
	run := got.Runs[0]
	require.Len(t, run.Tool.Driver.Rules, len(r.Steps), "one rule per step")

	byID := map[string]int{}
	for i, res := range run.Results {
		byID[res.RuleID] = i
		assert.Equal(t, res.RuleID, run.Tool.Driver.Rules[res.RuleIndex].ID)
	}
	for _, id := range []string{"amazon-pay.support_contacts", "amazon-pay.production_transaction_validated"} {
		assert.NotContains(t, byID, id, "passes are no results")
	}
	require.Contains(t, byID, "amazon-pay.ipn_endpoint", "an unchecked step is listed")
	unchecked := run.Results[byID["amazon-pay.ipn_endpoint"]]
	assert.Equal(t, "note", unchecked.Level)
	assert.True(t, unchecked.Properties.Unchecked)
	assert.Contains(t, string(out), `"text": "unchecked: offline: probe webhook.ipn needs the network"`)
	tests := []struct {
		id        string
		level     string
		locations []sarifLocation
		suppress  bool
	}{
		{"amazon-pay.production_endpoints", "error", at("config/payments.yaml", 12), false},
		{"amazon-pay.sandbox_tests_passed", "error", at("audit.hcl", 1), false},
		{"pci-dss.hsts", "warning", at("audit.hcl", 14), true},
		{"pci-dss.content_security_policy", "error", at("public/index.html", 4), false},
		{"pci-dss.tls_strong", "error", at("audit.hcl", 6), false},
		{"pci-dss.no_stored_pan", "note", at("logs/app.log", 1042), false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			require.Contains(t, byID, tt.id)
			res := run.Results[byID[tt.id]]
			assert.Equal(t, tt.level, res.Level)
			assert.Equal(t, tt.locations, res.Locations)
			if tt.suppress {
				require.Len(t, res.Suppressions, 1)
				assert.Equal(t, "external", res.Suppressions[0].Kind)
				assert.Equal(t, "accepted", res.Suppressions[0].Status)
				assert.Contains(t, res.Suppressions[0].Justification, "CDN migration")
			} else {
				assert.Empty(t, res.Suppressions)
			}
		})
	}
	assert.Equal(t, "2026-10-31", run.Results[byID["pci-dss.content_security_policy"]].Properties.WaiverExpired)
	assert.Equal(t, "https://www.w3.org/TR/CSP3/", run.Tool.Driver.Rules[6].HelpURI, "helpUri is the first web reference")
}

func TestSARIFArtifactURIs(t *testing.T) {
	tests := []struct {
		folder, source string
		want           sarifArtifact
	}{
		{"", "src/app.js", sarifArtifact{URI: "src/app.js", URIBaseID: "%SRCROOT%"}},
		{"shops/eu", "src/app.js", sarifArtifact{URI: "shops/eu/src/app.js", URIBaseID: "%SRCROOT%"}},
		{"shops/eu", "../shared/app.js", sarifArtifact{URI: "shops/shared/app.js", URIBaseID: "%SRCROOT%"}},
		{"", "dir with space/Größe.txt", sarifArtifact{URI: "dir%20with%20space/Gr%C3%B6%C3%9Fe.txt", URIBaseID: "%SRCROOT%"}},
		{"shops/eu", "/srv/shop/.env", sarifArtifact{URI: "file:///srv/shop/.env"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, sarifArtifactOf(tt.folder, tt.source), tt.source)
	}
	assert.True(t, isURL("https://shop.example/checkout"))
	assert.False(t, isURL("config/app.yaml"))
	assert.False(t, isURL(`C:\shop\app.yaml`))
}

// manyResult is a run of n failing steps with file evidence.
func manyResult(n int) *Result {
	r := fixture()
	r.Steps = nil
	for i := range n {
		r.Steps = append(r.Steps, Step{
			ID: "bulk.step_" + strconv.Itoa(i), Checklist: "bulk",
			Title: "Step", Severity: outcome.Severities()[i%5], Status: Statuses()[i%6],
			Message:    "message with <html> & | pipes",
			Evidence:   []Evidence{{Source: "src/file.go", Line: i + 1, Detail: "detail"}},
			References: []string{"https://example.com/ref"},
		})
	}
	r.Decide()
	return r
}

// TestSARIFForCodeScanning checks what GitHub code scanning needs of every
// rule and result, for a run and for a scan.
func TestSARIFForCodeScanning(t *testing.T) {
	type doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID              string
						FullDescription *sarifText
						Help            *sarifText
						Properties      map[string]any
					}
				}
			}
			Results []struct {
				RuleID              string
				Locations           []sarifLocation
				PartialFingerprints map[string]string
			}
		}
	}
	scanRep := &scan.Report{FilesScanned: 1}
	scanRep.Add(
		scan.Finding{Type: scan.TypePAN, Brand: scan.Visa, Masked: "453957******1486", Live: true, File: "logs/app.log", Line: 2, Column: 9},
		scan.Finding{Type: scan.TypePAN, Brand: scan.Visa, Masked: "424242******4242", TestCard: true, File: "test/fixtures.js", Line: 1, Column: 1},
	)
	for name, draw := range map[string]func(b *bytes.Buffer) error{
		"run":  func(b *bytes.Buffer) error { return SARIF(b, fixture(), Options{}) },
		"scan": func(b *bytes.Buffer) error { return ScanSARIF(b, scanRep, Options{Folder: "shop", Version: "0.1.0"}) },
	} {
		t.Run(name, func(t *testing.T) {
			var d doc
			require.NoError(t, json.Unmarshal(render(t, draw), &d))
			for _, r := range d.Runs[0].Tool.Driver.Rules {
				require.NotNil(t, r.FullDescription, r.ID)
				assert.NotEmpty(t, r.FullDescription.Text, r.ID)
				require.NotNil(t, r.Help, r.ID)
				assert.NotEmpty(t, r.Help.Markdown, r.ID)
				assert.Regexp(t, `^\d+\.\d$`, r.Properties["security-severity"], r.ID)
				assert.Contains(t, r.Properties["tags"], "security", r.ID)
			}
			require.NotEmpty(t, d.Runs[0].Results)
			for _, res := range d.Runs[0].Results {
				require.NotEmpty(t, res.Locations, res.RuleID)
				loc := res.Locations[0].PhysicalLocation
				assert.Equal(t, "%SRCROOT%", loc.ArtifactLocation.URIBaseID, res.RuleID)
				assert.Positive(t, loc.Region.StartLine, res.RuleID)
				assert.NotEmpty(t, res.PartialFingerprints, res.RuleID)
			}
		})
	}
}
