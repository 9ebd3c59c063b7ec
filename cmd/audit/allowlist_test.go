package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/audit-tool/audit/outcome"
	"github.com/audit-tool/audit/reports"
)

// TestAllowlistBlocks: audit.hcl gives each authorised script as a block
// with its reason; the inventory step shows the reason, and a bad entry is
// a configuration error at the block's file:line:col before anything runs.
func TestAllowlistBlocks(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"dist/checkout.html": `<!doctype html><html><head><title>Pay</title></head><body>
<script src="/assets/app.js"></script><script src="https://cdn.example.com/chart.js" integrity="sha384-abc"></script></body></html>`,
		"dist/assets/app.js": "void 0;\n",
		"audit.hcl": `use "pci-dss" {
  checkout_page = "dist/checkout.html"
  source_dirs   = ["dist"]

  script "/assets/app.js" {
    reason = "checkout logic, SEC-7"
  }
  script "https://cdn.example.com/chart.js" {
    reason    = "order chart"
    integrity = "sha384-abc"
  }
}
`,
	})
	_, steps := runJSON(t, "run", dir, "--offline", "--engine", "static", "--only", "pci-dss.script_inventory")
	inv := steps["pci-dss.script_inventory"]
	assert.Equal(t, reports.Pass, inv.Status, inv.Message)
	var details []string
	for _, e := range inv.Evidence {
		details = append(details, e.Detail)
	}
	assert.Contains(t, details, "authorised: /assets/app.js — checkout logic, SEC-7")
	assert.Contains(t, details, "authorised, integrity: https://cdn.example.com/chart.js — order chart")

	writeFiles(t, dir, map[string]string{"audit.hcl": `use "pci-dss" {
  checkout_page = "dist/checkout.html"
  source_dirs   = ["dist"]

  script "cdn.example.com:8443" {
    reason = "a port is not a host"
  }
}
`})
	code, _, stderr := audit(t, "validate", dir)
	assert.Equal(t, outcome.ExitUsage, code)
	assert.Contains(t, stderr, "audit.hcl:5:3: error: Invalid page probe")
	assert.Contains(t, stderr, "not a host name")
	code, _, stderr = audit(t, "run", dir, "--offline")
	assert.Equal(t, outcome.ExitUsage, code, "nothing runs: %s", stderr)
	assert.Contains(t, stderr, "audit.hcl:5:3")
}
