package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// JUnit XML is no formal standard; this follows the shape Jenkins, GitLab
// and GitHub test reporters read: one testsuite per checklist, one testcase
// per step, counts as attributes.
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
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name       string          `xml:"name,attr"`
	Classname  string          `xml:"classname,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Failure    *junitOutcome   `xml:"failure,omitempty"`
	Error      *junitOutcome   `xml:"error,omitempty"`
	Skipped    *junitOutcome   `xml:"skipped,omitempty"`
	SystemOut  string          `xml:"system-out,omitempty"`
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
	doc := junitSuites{Name: "audit", Timestamp: junitTime(r)}
	index := map[string]int{}
	var total int64
	var suiteMS []int64
	for _, s := range r.Steps {
		i, ok := index[s.Checklist]
		if !ok {
			i = len(doc.Suites)
			index[s.Checklist] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: s.Checklist, Timestamp: doc.Timestamp})
			suiteMS = append(suiteMS, 0)
		}
		suiteMS[i] += s.DurationMS
		suite := &doc.Suites[i]
		c := junitTestCase(s)
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

func junitTestCase(s Step) junitCase {
	c := junitCase{
		Name:      s.ID,
		Classname: s.Checklist,
		Time:      seconds(s.DurationMS),
		Properties: []junitProperty{
			{Name: "title", Value: s.Title},
			{Name: "severity", Value: string(s.Severity)},
			{Name: "status", Value: string(s.Status)},
		},
	}
	if s.Unchecked {
		c.Properties = append(c.Properties, junitProperty{Name: "unchecked", Value: "true"})
	}
	if w := s.Waiver; w != nil {
		c.Properties = append(c.Properties,
			junitProperty{Name: "waiver.approved_by", Value: w.ApprovedBy},
			junitProperty{Name: "waiver.expires", Value: w.Expires},
			junitProperty{Name: "waiver.expired", Value: strconv.FormatBool(w.Expired)})
	}
	if a := s.Attestation; a != nil {
		c.Properties = append(c.Properties,
			junitProperty{Name: "attestation.by", Value: a.By},
			junitProperty{Name: "attestation.date", Value: a.Date})
	}
	outcome := &junitOutcome{Message: stepMessage(s), Type: string(s.Severity), Text: junitDetails(s)}
	switch s.Status {
	case Fail, Pending:
		c.Failure = outcome
	case Error:
		c.Error = outcome
	case Skip, Waived:
		msg := stepMessage(s)
		if s.Unchecked {
			msg = "unchecked: " + msg
		}
		c.Skipped = &junitOutcome{Message: msg}
		c.SystemOut = outcome.Text
	default:
		c.SystemOut = outcome.Text
	}
	return c
}

// junitDetails is the evidence and references as plain text lines.
func junitDetails(s Step) string {
	var b strings.Builder
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
