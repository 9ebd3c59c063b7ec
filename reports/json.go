package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/audit-tool/audit/outcome"
)

// JSON writes r as the audit.json contract: two-space indent, a trailing
// newline, fields in struct order, and empty lists as [] so that consumers
// never have to tell null from empty.
func JSON(w io.Writer, r *Result, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Messages quote HTML (<script src=…>); \u003c would only hurt reading.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(withEmptyLists(r)); err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	return nil
}

// withEmptyLists returns a shallow copy of r whose contract lists are never
// nil; r itself is left alone because callers render it several times.
func withEmptyLists(r *Result) *Result {
	out := *r
	out.Steps = make([]Step, len(r.Steps))
	for i, s := range r.Steps {
		if s.Evidence == nil {
			s.Evidence = []Evidence{}
		}
		if s.References == nil {
			s.References = []string{}
		}
		out.Steps[i] = s
	}
	if r.Scope != nil && r.Scope.Reasons == nil {
		scope := *r.Scope
		scope.Reasons = []string{}
		out.Scope = &scope
	}
	return &out
}

// ReadJSON reads a stored audit.json. It checks the schema version and that
// verdict, statuses and severities are ones this version knows, so a
// re-rendered report or its exit code never rests on a value it misreads;
// it recomputes nothing.
func ReadJSON(r io.Reader) (*Result, error) {
	dec := json.NewDecoder(r)
	var res Result
	if err := dec.Decode(&res); err != nil {
		return nil, fmt.Errorf("read result: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("read result: data after the JSON object")
	}
	if res.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("read result: schema_version %d, want %d", res.SchemaVersion, SchemaVersion)
	}
	if !slices.Contains([]Verdict{Go, NoGo, Undetermined}, res.Verdict) {
		return nil, fmt.Errorf("read result: unknown verdict %q", res.Verdict)
	}
	if _, err := outcome.ParseThreshold(string(res.FailOn)); err != nil {
		return nil, fmt.Errorf("read result: fail_on: %w", err)
	}
	for i, s := range res.Steps {
		if !slices.Contains(Statuses(), s.Status) {
			return nil, fmt.Errorf("read result: step %d (%s): unknown status %q", i, s.ID, s.Status)
		}
		if _, err := outcome.ParseSeverity(string(s.Severity)); err != nil {
			return nil, fmt.Errorf("read result: step %d (%s): %w", i, s.ID, err)
		}
	}
	return &res, nil
}
