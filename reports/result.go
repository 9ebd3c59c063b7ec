// Package reports holds the result model of a run and renders it: table,
// JSON, JUnit, SARIF, Markdown, PDF. It knows nothing of HCL, so a stored
// audit.json can be re-rendered without the checklists that produced it.
package reports

import (
	"reflect"
	"time"
)

// SchemaVersion is the version of the result JSON contract.
const SchemaVersion = 1

// Result is one run: the contract of audit.json. Fields beyond the contract
// are additions, never changes.
type Result struct {
	SchemaVersion int       `json:"schema_version"`
	Tool          Tool      `json:"tool"`
	RunID         string    `json:"run_id,omitempty"`
	StartedAt     time.Time `json:"started_at"`
	FinishedAt    time.Time `json:"finished_at"`
	Verdict       Verdict   `json:"verdict"`
	FailOn        Severity  `json:"fail_on"`
	// AllowUnchecked records --allow-unchecked: unchecked steps did not
	// leave the verdict undecided.
	AllowUnchecked bool    `json:"allow_unchecked,omitempty"`
	Summary        Summary `json:"summary"`
	Scope          *Scope  `json:"scope,omitempty"`
	Merchant       string  `json:"merchant,omitempty"`
	// Folder is the audited folder (the one holding audit.hcl), relative
	// to the repository root when it is in one, slash-separated; Commit
	// the repository's commit. Evidence sources are relative to Folder.
	Folder     string    `json:"folder,omitempty"`
	Commit     string    `json:"commit,omitempty"`
	Checklists []Checked `json:"checklists,omitempty"`
	Steps      []Step    `json:"steps"`
}

// Tool names the producer.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Scope is the PCI DSS self-assessment questionnaire that applies.
type Scope struct {
	SAQ     string   `json:"saq"`
	Reasons []string `json:"reasons"`
}

// Checked is one checklist that ran.
type Checked struct {
	Name   string `json:"name"`
	Title  string `json:"title"`
	Source string `json:"source"` // "builtin" or the file it was read from
}

// Step is one checklist item's outcome.
type Step struct {
	ID          string     `json:"id"`
	Checklist   string     `json:"checklist"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Severity    Severity   `json:"severity"`
	Status      Status     `json:"status"`
	Message     string     `json:"message"`
	Evidence    []Evidence `json:"evidence"`
	References  []string   `json:"references"`
	DurationMS  int64      `json:"duration_ms"`
	// Unchecked marks a skip because the step could not be checked in this
	// run (offline, a local file has no TLS or headers, no URL), as opposed
	// to a step that does not apply.
	Unchecked bool     `json:"unchecked,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	Manual    bool     `json:"manual,omitempty"`
	// Location is where audit.hcl configures the step (its waiver or attest
	// block, else the use block of its checklist), relative to Folder: a
	// place to show a step that has no file evidence.
	Location    *Evidence    `json:"location,omitempty"`
	Waiver      *Waiver      `json:"waiver,omitempty"`
	Attestation *Attestation `json:"attestation,omitempty"`
	// Coverage is what the step's file-reading probes read, when they
	// read files: a step passes only when nothing was left unread.
	Coverage *Coverage `json:"coverage,omitempty"`
}

// Coverage lists the paths a step's probes could not read, and those the
// user excluded on purpose (with their reason, shown like a waiver's).
type Coverage struct {
	Complete  bool           `json:"complete"`
	FilesRead int64          `json:"files_read"`
	NotRead   []CoverageItem `json:"not_read"`
	Excluded  []CoverageItem `json:"excluded"`
}

// CoverageItem is one path not read and why.
type CoverageItem struct {
	File    string `json:"file"`
	Pattern string `json:"pattern,omitempty"`
	Reason  string `json:"reason"`
}

// Evidence is where a step saw what it judged.
type Evidence struct {
	Source string `json:"source"`
	Line   int    `json:"line,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// Waiver is an accountable exception for a failing step.
type Waiver struct {
	Reason     string `json:"reason"`
	ApprovedBy string `json:"approved_by"`
	Expires    string `json:"expires"` // YYYY-MM-DD
	Ticket     string `json:"ticket,omitempty"`
	Expired    bool   `json:"expired"`
}

// Attestation is a signed statement that closes a manual step.
type Attestation struct {
	By       string `json:"by"`
	Date     string `json:"date"` // YYYY-MM-DD
	Evidence string `json:"evidence"`
}

// MapText applies f to every string of the result: ids, titles, tags,
// references, messages, evidence, coverage paths, reasons, waivers,
// attestations, the merchant, checklist sources. The run masks card
// numbers and secrets and escapes control characters with it, at this one
// boundary before any format renders, and so does `audit report` for a
// result it did not produce. It walks the fields by reflection, so a field
// added later is masked too without anyone remembering to.
func (r *Result) MapText(f func(string) string) {
	mapStrings(reflect.ValueOf(r).Elem(), f)
}

func mapStrings(v reflect.Value, f func(string) string) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(f(v.String()))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			mapStrings(v.Elem(), f)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			mapStrings(v.Index(i), f)
		}
	case reflect.Map:
		// No map in the model today; a new one is masked value by value.
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			mapStrings(e, f)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				mapStrings(v.Field(i), f)
			}
		}
	}
}
