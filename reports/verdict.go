package reports

import "fmt"

// Severity of a step; FailOn thresholds use the same scale plus "never".
type Severity string

// The severities, most severe first.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
	Info     Severity = "info"
	// Never is only a threshold: nothing fails the run.
	Never Severity = "never"
)

var severityRank = map[Severity]int{Critical: 5, High: 4, Medium: 3, Low: 2, Info: 1, Never: 99}

// Severities lists step severities, most severe first.
func Severities() []Severity { return []Severity{Critical, High, Medium, Low, Info} }

// ParseSeverity checks a step severity.
func ParseSeverity(s string) (Severity, error) {
	sev := Severity(s)
	if _, ok := severityRank[sev]; !ok || sev == Never {
		return "", fmt.Errorf("severity %q is not one of critical, high, medium, low, info", s)
	}
	return sev, nil
}

// ParseThreshold checks a --fail-on value.
func ParseThreshold(s string) (Severity, error) {
	sev := Severity(s)
	if _, ok := severityRank[sev]; !ok || sev == Info {
		return "", fmt.Errorf("--fail-on %q is not one of critical, high, medium, low, never", s)
	}
	return sev, nil
}

// AtLeast reports whether s is at or above threshold t.
func (s Severity) AtLeast(t Severity) bool { return severityRank[s] >= severityRank[t] }

// Decide computes the summary and the verdict: NO-GO when a step at or above
// failOn fails or is pending, else UNDETERMINED when one errored, else GO.
func Decide(steps []Step, failOn Severity) (Summary, Verdict) {
	var sum Summary
	blocking, undecided := false, false
	for _, s := range steps {
		sum.Total++
		switch s.Status {
		case Pass:
			sum.Pass++
		case Fail:
			sum.Fail++
		case Error:
			sum.Error++
		case Skip:
			sum.Skip++
		case Waived:
			sum.Waived++
		case Pending:
			sum.Pending++
		}
		if !s.Severity.AtLeast(failOn) {
			continue
		}
		switch s.Status {
		case Fail, Pending:
			blocking = true
		case Error:
			undecided = true
		}
	}
	switch {
	case blocking:
		return sum, NoGo
	case undecided:
		return sum, Undetermined
	default:
		return sum, Go
	}
}

// ExitCode is the process exit code for a verdict (contract).
func (v Verdict) ExitCode() int {
	switch v {
	case Go:
		return 0
	case NoGo:
		return 1
	default:
		return 3
	}
}
