package reports

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDecideEveryStatusAndThreshold checks the verdict of a run holding one
// step, for every status, severity and --fail-on threshold.
func TestDecideEveryStatusAndThreshold(t *testing.T) {
	thresholds := []Severity{Critical, High, Medium, Low, Never}
	for _, status := range Statuses() {
		for _, sev := range Severities() {
			for _, failOn := range thresholds {
				want := Go
				if sev.AtLeast(failOn) && failOn != Never {
					switch status {
					case Fail, Pending:
						want = NoGo
					case Error:
						want = Undetermined
					}
				}
				sum, got := Decide([]Step{{Status: status, Severity: sev}}, failOn)
				assert.Equal(t, want, got, "%s %s --fail-on %s", status, sev, failOn)
				assert.Equal(t, 1, sum.Total)
			}
		}
	}
}

func TestDecideFailureOutranksError(t *testing.T) {
	steps := []Step{
		{Status: Error, Severity: Critical},
		{Status: Fail, Severity: High},
		{Status: Waived, Severity: Critical},
		{Status: Skip, Severity: Critical},
	}
	sum, v := Decide(steps, High)
	assert.Equal(t, NoGo, v)
	assert.Equal(t, Summary{Total: 4, Fail: 1, Error: 1, Waived: 1, Skip: 1}, sum)
	_, v = Decide(steps[:1], High)
	assert.Equal(t, Undetermined, v)
	_, v = Decide(steps[2:], Low)
	assert.Equal(t, Go, v, "waived and skipped steps never block")
}

func TestExitCodes(t *testing.T) {
	assert.Equal(t, 0, Go.ExitCode())
	assert.Equal(t, 1, NoGo.ExitCode())
	assert.Equal(t, 3, Undetermined.ExitCode())
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
