package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// JUnit XML is no formal standard; each testsuite element is valid against
// Maven Surefire's 3.0 schema (what Jenkins, GitLab and GitHub reporters
// read): one testsuite per checklist with the run in its properties, one
// testcase per step, the step's details in system-out.
type junitSuites struct {
	XMLName   xml.Name     `xml:"testsuites"`
	Name      string       `xml:"name,attr"`
	Tests     int          `xml:"tests,attr"`
	Failures  int          `xml:"failures,attr"`
	Errors    int          `xml:"errors,attr"`
	Skipped   int          `xml:"skipped,attr"`
	Time      string       `xml:"time,attr"`
	Timestamp string       `xml:"timestamp,attr"`
	Suites    []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitOutcome `xml:"failure,omitempty"`
	Error     *junitOutcome `xml:"error,omitempty"`
	Skipped   *junitOutcome `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitOutcome struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// JUnit writes r as JUnit XML for CI test reporters: fail and pending are
// failures, error is an error, skip and waived are skipped.
func JUnit(w io.Writer, r *Result, _ Options) error {
	en, err := loadWords("en") // a machine format: English, whatever --lang says
	if err != nil {
		return err
	}
	doc := junitSuites{Name: "audit", Timestamp: junitTime(r)}
	index := map[string]int{}
	var total int64
	var suiteMS []int64
	for _, s := range r.Steps {
		i, ok := index[s.Checklist]
		if !ok {
			i = len(doc.Suites)
			index[s.Checklist] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: s.Checklist, Properties: junitRun(r)})
			suiteMS = append(suiteMS, 0)
		}
		suiteMS[i] += s.DurationMS
		suite := &doc.Suites[i]
		c := junitTestCase(en, s)
		suite.Cases = append(suite.Cases, c)
		suite.Tests++
		switch {
		case c.Failure != nil:
			suite.Failures++
		case c.Error != nil:
			suite.Errors++
		case c.Skipped != nil:
			suite.Skipped++
		}
		total += s.DurationMS
	}
	for i := range doc.Suites {
		suite := &doc.Suites[i]
		suite.Time = seconds(suiteMS[i])
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Errors += suite.Errors
		doc.Skipped += suite.Skipped
	}
	doc.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	return nil
}

// junitRun is what every suite says of the run, as properties.
func junitRun(r *Result) []junitProperty {
	props := []junitProperty{{Name: "verdict", Value: string(r.Verdict)}, {Name: "fail_on", Value: string(r.FailOn)}}
	if ts := junitTime(r); ts != "" {
		props = append(props, junitProperty{Name: "started_at", Value: ts})
	}
	if r.RunID != "" {
		props = append(props, junitProperty{Name: "run_id", Value: r.RunID})
	}
	return props
}

// junitTestCase is a step: fail and pending are failures (of type fail or
// pending, so a reporter can tell them apart), error an error, skip and
// waived skipped.
func junitTestCase(en words, s Step) junitCase {
	c := junitCase{Name: s.ID, Classname: s.Checklist, Time: seconds(s.DurationMS)}
	details := junitDetails(s)
	outcome := &junitOutcome{Message: en.stepMessage(s), Type: string(s.Status), Text: details}
	switch s.Status {
	case Fail, Pending:
		c.Failure = outcome
		return c
	case Error:
		c.Error = outcome
		return c
	case Skip, Waived:
		msg := en.stepMessage(s)
		if s.Unchecked {
			msg = "unchecked: " + msg
		}
		c.Skipped = &junitOutcome{Message: msg}
	}
	c.SystemOut = details
	return c
}

// junitDetails is the step's title, severity, status, signed statements,
// evidence and references as plain text lines.
func junitDetails(s Step) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\nseverity: %s\nstatus: %s\n", s.Title, s.Severity, s.Label())
	if w := s.Waiver; w != nil {
		fmt.Fprintf(&b, "waiver: approved by %s, expires %s, expired %t\n", w.ApprovedBy, w.Expires, w.Expired)
	}
	if a := s.Attestation; a != nil {
		fmt.Fprintf(&b, "attestation: by %s on %s\n", a.By, a.Date)
	}
	for _, e := range s.Evidence {
		b.WriteString("evidence: " + location(e))
		if e.Detail != "" {
			b.WriteString(" — " + e.Detail)
		}
		b.WriteByte('\n')
	}
	for _, ref := range s.References {
		b.WriteString("reference: " + ref + "\n")
	}
	return b.String()
}

// junitTime is the run's start in the JUnit schema's zone-less form, in UTC.
func junitTime(r *Result) string {
	if r.StartedAt.IsZero() {
		return ""
	}
	return r.StartedAt.UTC().Format("2006-01-02T15:04:05")
}

func seconds(ms int64) string { return strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64) }
