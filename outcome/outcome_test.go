package outcome

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDecideEveryStatusAndThreshold checks the verdict of a run holding one
// step, for every status, severity, threshold and unchecked flag, with and
// without --allow-unchecked.
func TestDecideEveryStatusAndThreshold(t *testing.T) {
	thresholds := []Severity{Critical, High, Medium, Low, Never}
	for _, status := range Statuses() {
		for _, sev := range Severities() {
			for _, failOn := range thresholds {
				for _, unchecked := range []bool{false, true} {
					for _, allow := range []bool{false, true} {
						want := Go
						if sev.AtLeast(failOn) && failOn != Never {
							switch {
							case status == Fail || status == Pending:
								want = NoGo
							case status == Error:
								want = Undetermined
							case status == Skip && unchecked && !allow:
								want = Undetermined
							}
						}
						p := Policy{FailOn: failOn, AllowUnchecked: allow}
						sum, got := p.Decide([]Item{{Status: status, Severity: sev, Unchecked: unchecked}})
						assert.Equal(t, want, got, "%s %s unchecked=%v --fail-on %s allow=%v", status, sev, unchecked, failOn, allow)
						assert.Equal(t, 1, sum.Total)
						assert.Equal(t, 1, sum.Count(status))
					}
				}
			}
		}
	}
}

func TestDecideFailureOutranksUndecided(t *testing.T) {
	items := []Item{
		{Status: Error, Severity: Critical},
		{Status: Fail, Severity: High},
		{Status: Waived, Severity: Critical, Unchecked: true},
		{Status: Skip, Severity: Critical},
		{Status: Skip, Severity: Critical, Unchecked: true},
	}
	p := Policy{FailOn: High}
	sum, v := p.Decide(items)
	assert.Equal(t, NoGo, v)
	assert.Equal(t, Summary{Total: 5, Fail: 1, Error: 1, Waived: 1, Skip: 2, Unchecked: 2}, sum)
	_, v = p.Decide(items[:1])
	assert.Equal(t, Undetermined, v)
	_, v = p.Decide(items[4:])
	assert.Equal(t, Undetermined, v, "an unchecked critical step leaves the verdict open")
	_, v = Policy{FailOn: High, AllowUnchecked: true}.Decide(items[4:])
	assert.Equal(t, Go, v, "--allow-unchecked")
	_, v = Policy{FailOn: Low}.Decide(items[2:4])
	assert.Equal(t, Go, v, "waived and plain skipped steps never block")
}

func TestEffect(t *testing.T) {
	p := Policy{FailOn: High}
	assert.Equal(t, Blocks, p.Effect(Item{Severity: Critical, Status: Pending}))
	assert.Equal(t, Undecided, p.Effect(Item{Severity: High, Status: Skip, Unchecked: true}))
	assert.Equal(t, None, p.Effect(Item{Severity: Medium, Status: Fail}))
	assert.Equal(t, None, p.Effect(Item{Severity: High, Status: Skip}))
}

func TestExitCodes(t *testing.T) {
	assert.Equal(t, ExitGo, Go.ExitCode())
	assert.Equal(t, ExitNoGo, NoGo.ExitCode())
	assert.Equal(t, ExitUndetermined, Undetermined.ExitCode())
	assert.Equal(t, []int{0, 1, 2, 3, 4}, []int{ExitGo, ExitNoGo, ExitUsage, ExitUndetermined, ExitNotWritten}, "contract")
}

func TestParseThreshold(t *testing.T) {
	for _, ok := range []string{"critical", "high", "medium", "low", "never"} {
		_, err := ParseThreshold(ok)
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"info", "urgent", ""} {
		_, err := ParseThreshold(bad)
		assert.Error(t, err, bad)
	}
}

func TestParseSeverity(t *testing.T) {
	for _, s := range Severities() {
		got, err := ParseSeverity(string(s))
		assert.NoError(t, err)
		assert.Equal(t, s, got)
	}
	for _, bad := range []string{"never", "urgent", ""} {
		_, err := ParseSeverity(bad)
		assert.Error(t, err, bad)
	}
}

func TestScan(t *testing.T) {
	assert.Equal(t, Go, Scan(0, 0))
	assert.Equal(t, NoGo, Scan(1, 3), "a live finding outranks what was not read")
	assert.Equal(t, Undetermined, Scan(0, 1))
}

func TestWorst(t *testing.T) {
	assert.Equal(t, Go, Worst())
	assert.Equal(t, Go, Worst(Go, Go))
	assert.Equal(t, Undetermined, Worst(Go, Undetermined, Go))
	assert.Equal(t, NoGo, Worst(Undetermined, NoGo, Go))
	assert.Equal(t, Undetermined, Worst(Go, "MAYBE"), "an unknown verdict is not GO")
	assert.True(t, NoGo.Worse(Undetermined))
	assert.False(t, Go.Worse(Go))
}
