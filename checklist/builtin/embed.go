// Package builtin holds the built-in provider packs, one folder each:
// checklist.hcl (the go-live checklist), pack.hcl (the provider's hosts,
// credential formats, switches and webhook scheme) and shared fragments.
// It only embeds them; package pack reads them.
package builtin

import "embed"

// FS is the provider folders.
//
//go:embed */*.hcl */titles.json */messages.json
var FS embed.FS
