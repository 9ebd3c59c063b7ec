package reports

import "github.com/audit-tool/audit/outcome"

// The result model speaks outcome's vocabulary; these names keep renderers
// and callers short. The logic (ranks, thresholds, verdict, exit codes)
// lives only in outcome.
type (
	Severity = outcome.Severity
	Status   = outcome.Status
	Verdict  = outcome.Verdict
	Summary  = outcome.Summary
)

// The severities, statuses and verdicts.
const (
	Critical = outcome.Critical
	High     = outcome.High
	Medium   = outcome.Medium
	Low      = outcome.Low
	Info     = outcome.Info
	Never    = outcome.Never

	Pass    = outcome.Pass
	Fail    = outcome.Fail
	Error   = outcome.Error
	Skip    = outcome.Skip
	Waived  = outcome.Waived
	Pending = outcome.Pending

	Go           = outcome.Go
	NoGo         = outcome.NoGo
	Undetermined = outcome.Undetermined
)

// Statuses lists every status in summary order.
func Statuses() []Status { return outcome.Statuses() }

// Policy is the verdict policy the result was decided under.
func (r *Result) Policy() outcome.Policy {
	return outcome.Policy{FailOn: r.FailOn, AllowUnchecked: r.AllowUnchecked}
}

// Item is what the verdict needs of the step.
func (s Step) Item() outcome.Item {
	return outcome.Item{Severity: s.Severity, Status: s.Status, Unchecked: s.Unchecked}
}

// Decide sets the summary and the verdict from the steps under the result's
// policy.
func (r *Result) Decide() {
	items := make([]outcome.Item, len(r.Steps))
	for i, s := range r.Steps {
		items[i] = s.Item()
	}
	r.Summary, r.Verdict = r.Policy().Decide(items)
}

// Effect is what step s does to the verdict of r.
func (r *Result) Effect(s Step) outcome.Effect { return r.Policy().Effect(s.Item()) }

// Label is the status a person reads: "unchecked" for a step skipped
// because it could not be checked in this run, else the status.
func (s Step) Label() string {
	if s.Status == Skip && s.Unchecked {
		return "unchecked"
	}
	return string(s.Status)
}

// UncheckedSteps are the steps that could not be checked in this run, which
// every format lists.
func (r *Result) UncheckedSteps() []Step {
	var out []Step
	for _, s := range r.Steps {
		if s.Unchecked {
			out = append(out, s)
		}
	}
	return out
}
