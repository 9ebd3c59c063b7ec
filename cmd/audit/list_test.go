package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
)

func listJSON(t *testing.T, args ...string) listing {
	t.Helper()
	code, out, stderr := audit(t, append([]string{"list", "--format", "json"}, args...)...)
	require.Equal(t, outcome.ExitGo, code, stderr)
	var lst listing
	require.NoError(t, json.Unmarshal([]byte(out), &lst), out)
	return lst
}

func checklistNames(lst listing) []string {
	var names []string
	for _, c := range lst.Checklists {
		names = append(names, c.Name)
	}
	return names
}

func probeNames(lst listing) []string {
	var names []string
	for _, p := range lst.Probes {
		names = append(names, p.Kind)
	}
	return names
}

func TestListFilters(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		checklists []string
		probes     []string
	}{
		{"a policy and the kinds it uses", []string{"pci-dss"}, []string{"pci-dss"}, []string{"merchant", "page", "scan", "tls"}},
		{"a probe kind alone", []string{"page"}, nil, []string{"page"}},
		{"two checklists and a kind", []string{"stripe", "adyen", "http"},
			[]string{"adyen", "stripe"}, []string{"config", "errors", "http", "packages", "page", "source", "stripe_account", "webhook"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lst := listJSON(t, tc.args...)
			assert.Equal(t, tc.checklists, checklistNames(lst))
			assert.Equal(t, tc.probes, probeNames(lst))
		})
	}
	all := listJSON(t)
	assert.Equal(t, []string{"adyen", "amazon-pay", "braintree", "paypal", "pci-dss", "stripe"}, checklistNames(all))
	assert.Len(t, all.Probes, len(newApp(nil, nil).registry.Names()), "every probe kind without a filter")
}

func TestListRefusesUnknownNames(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "pci-dds"}, `"pci-dds" is no checklist, policy or probe kind: did you mean "pci-dss"?`},
		{[]string{"list", "stripe", "paage"}, `did you mean "page"?`},
		{[]string{"list", "worldpay-gateway-x"}, "(checklists: adyen, amazon-pay, braintree, paypal, pci-dss, stripe; probe kinds: "},
		{[]string{"list", "--format", "yaml"}, `--format "yaml" is not one of text, json`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, stderr := audit(t, tc.args...)
			assert.Equal(t, outcome.ExitUsage, code)
			assert.Contains(t, stderr, tc.want)
			assert.Empty(t, out)
		})
	}
}

// TestListJSONDescribesTheRealModel checks what the JSON says against the
// built-in checklists and probe kinds as the rest of the suite knows them.
func TestListJSONDescribesTheRealModel(t *testing.T) {
	lst := listJSON(t)
	byName := map[string]listChecklist{}
	for _, c := range lst.Checklists {
		byName[c.Name] = c
	}
	amazon := byName["amazon-pay"]
	assert.Equal(t, "checklist", amazon.Kind)
	assert.Equal(t, "policy", byName["pci-dss"].Kind)
	vars := map[string]listVariable{}
	for _, v := range amazon.Variables {
		vars[v.Name] = v
	}
	assert.JSONEq(t, `"eu"`, string(vars["region"].Default))
	assert.Equal(t, "string", vars["region"].Type)
	assert.Equal(t, "list(string)", vars["config_files"].Type)
	assert.NotEmpty(t, vars["region"].Description)
	pciVars := map[string]listVariable{}
	for _, v := range byName["pci-dss"].Variables {
		pciVars[v.Name] = v
	}
	assert.True(t, pciVars["checkout_page"].Required)
	assert.Nil(t, pciVars["checkout_page"].Default)

	steps := map[string]listStep{}
	for _, c := range lst.Checklists {
		for _, s := range c.Steps {
			steps[s.ID] = s
		}
	}
	assert.True(t, steps["amazon-pay.production_transaction_validated"].Manual)
	assert.Equal(t, "critical", steps["amazon-pay.production_endpoints"].Severity)
	assert.Contains(t, steps["pci-dss.saq_a_script_protection"].SAQs, "A")
	assert.NotEmpty(t, steps["adyen.webhook_hmac_verified"].Tags)
	assert.NotEmpty(t, steps["amazon-pay.live_keys"].References)

	kinds := map[string]listProbe{}
	for _, p := range lst.Probes {
		kinds[p.Kind] = p
	}
	settings := map[string]listSetting{}
	for _, s := range kinds["page"].Settings {
		settings[s.Name] = s
	}
	assert.True(t, settings["source"].Required)
	assert.JSONEq(t, `"15s"`, string(settings["timeout"].Default))
	assert.JSONEq(t, `5242880`, string(settings["max_bytes"].Default))
	assert.False(t, settings["engine"].Required)
	http := map[string]listSetting{}
	for _, s := range kinds["http"].Settings {
		http[s.Name] = s
	}
	assert.Equal(t, "map(string)", http["headers"].Type)
	assert.Nil(t, http["headers"].Default, "optional, no default")

	facts := map[string]listFact{}
	for _, f := range kinds["page"].Facts {
		facts[f.Name] = f
	}
	require.Contains(t, facts, "csp")
	assert.Equal(t, "object", facts["csp"].Type)
	var cspAttrs []string
	for _, f := range facts["csp"].Attributes {
		cspAttrs = append(cspAttrs, f.Name)
	}
	assert.Contains(t, cspAttrs, "unsafe_inline")
	assert.Equal(t, "list(object)", facts["card_fields"].Type)
}

func TestListJSONMatchesItsSchema(t *testing.T) {
	sch := compileSchema(t, "list.schema.json")
	for _, args := range [][]string{nil, {"pci-dss"}, {"page", "tls"}} {
		code, out, stderr := audit(t, append([]string{"list", "--format", "json"}, args...)...)
		require.Equal(t, outcome.ExitGo, code, stderr)
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
		require.NoError(t, err)
		assert.NoError(t, sch.Validate(doc), "%v", args)
	}
	// Not vacuous: a step without a severity, a required variable with a
	// default and an unknown SAQ each fail it.
	_, out, _ := audit(t, "list", "pci-dss", "--format", "json")
	for _, tc := range []struct{ name, from, to string }{
		{"severity", `"severity": "critical"`, `"severity": "urgent"`},
		{"required with default", `"required": true,`, `"required": true, "default": "x",`},
		{"saq", `"A-EP"`, `"A-XP"`},
	} {
		bad := strings.Replace(out, tc.from, tc.to, 1)
		require.NotEqual(t, out, bad, tc.name)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(bad)))
		require.NoError(t, err)
		assert.Error(t, sch.Validate(doc), tc.name)
	}
}

// TestListTextFitsTheWidth: no line longer than the terminal, at any width,
// and nothing lost (every step id and every fact name is there).
func TestListTextFitsTheWidth(t *testing.T) {
	lst := listJSON(t)
	for _, width := range []string{"60", "80", "120"} {
		t.Run(width, func(t *testing.T) {
			t.Setenv("COLUMNS", width)
			code, out, stderr := audit(t, "list")
			require.Equal(t, outcome.ExitGo, code, stderr)
			widest := 0
			for _, line := range strings.Split(out, "\n") {
				widest = max(widest, runewidth.StringWidth(line))
			}
			cols, err := strconv.Atoi(width)
			require.NoError(t, err)
			assert.LessOrEqual(t, widest, cols)
			joined := strings.Join(strings.Fields(out), " ")
			for _, c := range lst.Checklists {
				for _, s := range c.Steps {
					assert.Contains(t, out, "    "+s.ID+" ")
					assert.Contains(t, joined, s.Title)
				}
				for _, v := range c.Variables {
					assert.Contains(t, joined, v.Description)
				}
			}
			for _, p := range lst.Probes {
				assert.Contains(t, joined, p.Doc)
			}
		})
	}
}
