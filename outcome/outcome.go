// Package outcome is the one place that says what step results mean for a
// run: severities and --fail-on thresholds, statuses, the summary, which
// steps block or leave the verdict undecided, the verdict and the exit
// codes. The runner, every renderer, `audit report` and cmd use it, so a
// PDF's "blocking items" and the process exit code cannot disagree.
package outcome

import "fmt"

// Severity of a step; thresholds use the same scale plus Never.
type Severity string

// The severities, most severe first.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
	Info     Severity = "info"
	// Never is only a threshold: nothing blocks the run.
	Never Severity = "never"
)

func (s Severity) rank() int {
	switch s {
	case Critical:
		return 5
	case High:
		return 4
	case Medium:
		return 3
	case Low:
		return 2
	case Info:
		return 1
	case Never:
		return 99
	}
	return 0
}

// Severities lists step severities, most severe first.
func Severities() []Severity { return []Severity{Critical, High, Medium, Low, Info} }

// ParseSeverity checks a step severity.
func ParseSeverity(s string) (Severity, error) {
	sev := Severity(s)
	if sev.rank() == 0 || sev == Never {
		return "", fmt.Errorf("severity %q is not one of critical, high, medium, low, info", s)
	}
	return sev, nil
}

// ParseThreshold checks a --fail-on value.
func ParseThreshold(s string) (Severity, error) {
	sev := Severity(s)
	if sev.rank() == 0 || sev == Info {
		return "", fmt.Errorf("--fail-on %q is not one of critical, high, medium, low, never", s)
	}
	return sev, nil
}

// AtLeast reports whether s is at or above threshold t.
func (s Severity) AtLeast(t Severity) bool { return s.rank() >= t.rank() }

// Status of one step.
type Status string

// The step statuses (contract).
const (
	Pass    Status = "pass"
	Fail    Status = "fail"
	Error   Status = "error"
	Skip    Status = "skip"
	Waived  Status = "waived"
	Pending Status = "pending"
)

// Statuses lists every status in summary order.
func Statuses() []Status { return []Status{Pass, Fail, Error, Skip, Waived, Pending} }

// Verdict of a run (contract).
type Verdict string

// The verdicts.
const (
	Go           Verdict = "GO"
	NoGo         Verdict = "NO-GO"
	Undetermined Verdict = "UNDETERMINED"
)

// Process exit codes (contract).
const (
	ExitGo           = 0
	ExitNoGo         = 1
	ExitUsage        = 2
	ExitUndetermined = 3
	// ExitNotWritten: the run finished but a report of it could not be
	// written (disk full, a folder gone); its verdict is on stderr.
	ExitNotWritten = 4
)

// ExitCode is the process exit code for a verdict.
func (v Verdict) ExitCode() int {
	switch v {
	case Go:
		return ExitGo
	case NoGo:
		return ExitNoGo
	default:
		return ExitUndetermined
	}
}

// Summary counts steps by status; Unchecked counts the steps that could not
// be checked in this run (skipped, or waived by an accountable waiver).
type Summary struct {
	Total     int `json:"total"`
	Pass      int `json:"pass"`
	Fail      int `json:"fail"`
	Error     int `json:"error"`
	Skip      int `json:"skip"`
	Waived    int `json:"waived"`
	Pending   int `json:"pending"`
	Unchecked int `json:"unchecked"`
}

// Count returns the number of steps with status st.
func (s Summary) Count(st Status) int {
	switch st {
	case Pass:
		return s.Pass
	case Fail:
		return s.Fail
	case Error:
		return s.Error
	case Skip:
		return s.Skip
	case Waived:
		return s.Waived
	case Pending:
		return s.Pending
	}
	return 0
}

// Item is what the verdict needs of one step.
type Item struct {
	Severity  Severity
	Status    Status
	Unchecked bool
}

// Effect is what one step does to the verdict.
type Effect int

// The effects, weakest first.
const (
	// None: the step does not stand in the way of GO.
	None Effect = iota
	// Undecided: the step is at or above the threshold and errored, or could
	// not be checked here: the verdict is UNDETERMINED unless something blocks.
	Undecided
	// Blocks: the step is at or above the threshold and fails or is pending.
	Blocks
)

// Policy is how a run turns step results into a verdict.
type Policy struct {
	FailOn Severity
	// AllowUnchecked lets steps that could not be checked here pass the
	// gate (pre-deploy CI on built files): they no longer leave it undecided.
	AllowUnchecked bool
}

// Effect says what it does to the verdict.
func (p Policy) Effect(it Item) Effect {
	if !it.Severity.AtLeast(p.FailOn) {
		return None
	}
	switch {
	case it.Status == Fail || it.Status == Pending:
		return Blocks
	case it.Status == Error:
		return Undecided
	case it.Status == Skip && it.Unchecked && !p.AllowUnchecked:
		return Undecided
	}
	return None
}

// Decide computes the summary and the verdict: NO-GO when a step blocks,
// else UNDETERMINED when one is undecided, else GO.
func (p Policy) Decide(items []Item) (Summary, Verdict) {
	var sum Summary
	worst := None
	for _, it := range items {
		sum.Total++
		switch it.Status {
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
		if it.Unchecked {
			sum.Unchecked++
		}
		worst = max(worst, p.Effect(it))
	}
	switch worst {
	case Blocks:
		return sum, NoGo
	case Undecided:
		return sum, Undetermined
	}
	return sum, Go
}

// Scan is the verdict of `audit scan`: NO-GO when a live card number or
// secret was found, else UNDETERMINED when some content could not be read
// (nothing can be said of it), else GO.
func Scan(live, unread int) Verdict {
	switch {
	case live > 0:
		return NoGo
	case unread > 0:
		return Undetermined
	}
	return Go
}

// rank orders verdicts from best to worst; an unknown one counts as
// UNDETERMINED.
func (v Verdict) rank() int {
	switch v {
	case Go:
		return 0
	case NoGo:
		return 2
	}
	return 1
}

// Worse reports whether v is worse than w: GO < UNDETERMINED < NO-GO.
func (v Verdict) Worse(w Verdict) bool { return v.rank() > w.rank() }

// Worst is the verdict of several runs taken together (a fleet): NO-GO when
// one is, else UNDETERMINED when one is, else GO (also for none).
func Worst(vs ...Verdict) Verdict {
	worst := Go
	for _, v := range vs {
		if v.Worse(worst) {
			worst = v
		}
	}
	if worst.rank() == 1 {
		return Undetermined
	}
	return worst
}
