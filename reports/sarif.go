package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// SARIF 2.1.0 (OASIS): the subset code-scanning dashboards read.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	// sarifSrcRoot is the base relative evidence paths resolve against.
	sarifSrcRoot = "%SRCROOT%"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	Results     []sarifResult     `json:"results"`
	Properties  *sarifRunProps    `json:"properties,omitempty"`
}

type sarifRunProps struct {
	Verdict Verdict  `json:"verdict"`
	FailOn  Severity `json:"fail_on"`
	SAQ     string   `json:"saq,omitempty"`
	// RunID ties the file to the run's other reports. Not
	// automationDetails.id: code scanning takes that for a category, and a
	// new category each run would never close an alert.
	RunID string `json:"run_id,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name    string      `json:"name"`
	Version string      `json:"version,omitempty"`
	Rules   []sarifRule `json:"rules"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool   `json:"executionSuccessful"`
	StartTimeUTC        string `json:"startTimeUtc,omitempty"`
	EndTimeUTC          string `json:"endTimeUtc,omitempty"`
	// ToolExecutionNotifications say what a scan could not read.
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string    `json:"level"`
	Message sarifText `json:"message"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifText    `json:"shortDescription"`
	FullDescription      sarifText    `json:"fullDescription"`
	Help                 sarifText    `json:"help"`
	HelpURI              string       `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
	Properties           sarifRuleBag `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleBag struct {
	Tags     []string `json:"tags"`
	Severity Severity `json:"severity"`
	// SecuritySeverity is GitHub code scanning's 0-10 score: over 9
	// critical, 7 high, 4 medium, else low.
	SecuritySeverity string `json:"security-severity"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
	// PartialFingerprints let code scanning follow a result across runs
	// and line moves: the rule, the file and what was found, not the line.
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          *sarifResultBag    `json:"properties,omitempty"`
}

type sarifResultBag struct {
	Status        Status `json:"status"`
	Unchecked     bool   `json:"unchecked,omitempty"`
	WaiverExpired string `json:"waiver_expired,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

// SARIF writes r as a SARIF 2.1.0 log: one rule per step, one result per
// step that does not pass (waived ones as suppressed results), located at
// the evidence's file and line where there is one.
func SARIF(w io.Writer, r *Result, _ Options) error {
	en, err := loadWords("en") // a machine format: English, whatever --lang says
	if err != nil {
		return err
	}
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriver{Name: r.Tool.Name, Version: r.Tool.Version, Rules: []sarifRule{}}},
		Results:    []sarifResult{},
		Properties: &sarifRunProps{Verdict: r.Verdict, FailOn: r.FailOn, RunID: r.RunID},
	}
	if run.Tool.Driver.Name == "" {
		run.Tool.Driver.Name = "audit"
	}
	if r.Scope != nil {
		run.Properties.SAQ = r.Scope.SAQ
	}
	if !r.StartedAt.IsZero() {
		run.Invocations = []sarifInvocation{{
			ExecutionSuccessful: true,
			StartTimeUTC:        r.StartedAt.UTC().Format(time.RFC3339),
			EndTimeUTC:          r.FinishedAt.UTC().Format(time.RFC3339),
		}}
	}
	for i, s := range r.Steps {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(s))
		if res, ok := sarifResultOf(en, r, s, i); ok {
			run.Results = append(run.Results, res)
		}
	}
	return writeSARIF(w, run)
}

// writeSARIF writes a log of one run.
func writeSARIF(w io.Writer, run sarifRun) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("sarif report: %w", err)
	}
	return nil
}

func sarifRuleOf(s Step) sarifRule {
	title := orID(s.Title, s.ID)
	full := title
	if s.Description != "" {
		full = title + ". " + s.Description
	}
	rule := sarifRule{
		ID:                   s.ID,
		Name:                 strings.TrimPrefix(s.ID, s.Checklist+"."),
		ShortDescription:     sarifText{Text: title},
		FullDescription:      sarifText{Text: full},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(s.Severity)},
		Properties:           sarifRuleBag{Tags: sarifTags(s), Severity: s.Severity, SecuritySeverity: securitySeverity(s.Severity)},
	}
	text := full + "\n\nSeverity: " + string(s.Severity) + ". Checklist: " + orID(s.Checklist, "-") + "."
	md := mdText(full) + "\n\nSeverity: **" + string(s.Severity) + "**. Checklist: `" + orID(s.Checklist, "-") + "`."
	if len(s.References) > 0 {
		text += "\n\nReferences:\n"
		md += "\n\nReferences:\n"
		for _, ref := range s.References {
			text += "- " + ref + "\n"
			if isWebURL(ref) {
				md += "- <" + autolinkEscaper.Replace(ref) + ">\n"
			} else {
				md += "- " + mdText(ref) + "\n"
			}
			if rule.HelpURI == "" && isWebURL(ref) {
				rule.HelpURI = ref
			}
		}
	}
	rule.Help = sarifText{Text: text, Markdown: md}
	return rule
}

// securitySeverity maps a severity onto code scanning's scale.
func securitySeverity(sev Severity) string {
	switch sev {
	case Critical:
		return "9.5"
	case High:
		return "8.0"
	case Medium:
		return "5.5"
	case Low:
		return "3.0"
	}
	return "0.0"
}

// sarifTags are "security", the rule's checklist, severity and own tags,
// each once, in that order.
func sarifTags(s Step) []string {
	tags := []string{}
	seen := map[string]bool{}
	// "security" makes code scanning apply security-severity.
	for _, t := range append([]string{"security", s.Checklist, string(s.Severity)}, s.Tags...) {
		if t != "" && !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	return tags
}

func sarifResultOf(en words, r *Result, s Step, ruleIndex int) (sarifResult, bool) {
	switch {
	case s.Status == Fail, s.Status == Error, s.Status == Pending, s.Status == Waived, s.Unchecked:
	default:
		return sarifResult{}, false
	}
	res := sarifResult{
		RuleID:     s.ID,
		RuleIndex:  ruleIndex,
		Level:      sarifLevel(s.Severity),
		Message:    sarifText{Text: fmt.Sprintf("%s: %s", s.Label(), orID(en.stepMessage(s), orID(s.Title, s.ID)))},
		Locations:  sarifLocations(r.Folder, stepPlaces(s)),
		Properties: &sarifResultBag{Status: s.Status, Unchecked: s.Unchecked},
	}
	if len(res.Locations) == 0 {
		// No file to point at (a URL, a --checklist run): the run's folder,
		// so that code scanning still shows the result.
		res.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifactOf(r.Folder, "."), Region: sarifRegion{StartLine: 1},
		}}}
	}
	res.PartialFingerprints = map[string]string{"auditStep/v1": fingerprint(s.ID, res.Locations[0].PhysicalLocation.ArtifactLocation.URI)}
	if s.Status == Skip {
		res.Level = "note" // nothing was found wrong: it was not looked at
	}
	if w := s.Waiver; w != nil {
		if w.Expired {
			res.Properties.WaiverExpired = w.Expires
		} else if s.Status == Waived {
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: en.waiverText(*w)}}
		}
	}
	return res, true
}

// stepPlaces are the places to show a step: its evidence in files at a
// line, else where audit.hcl configures it.
func stepPlaces(s Step) []Evidence {
	var out []Evidence
	for _, e := range s.Evidence {
		if e.Line >= 1 && e.Source != "" && !isURL(e.Source) {
			out = append(out, e)
		}
	}
	if len(out) == 0 && s.Location != nil {
		out = append(out, *s.Location)
	}
	return out
}

// fingerprint is a short stable hash of its parts.
func fingerprint(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:8])
}

func sarifLevel(sev Severity) string {
	switch sev {
	case Critical, High:
		return "error"
	case Medium:
		return "warning"
	default:
		return "note"
	}
}

// sarifLocations places evidence in files, relative to the repository
// root: folder (the audited one, from the root) joined with the source.
func sarifLocations(folder string, places []Evidence) []sarifLocation {
	var locs []sarifLocation
	for _, e := range places {
		locs = append(locs, sarifLocation{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifactOf(folder, e.Source),
			Region:           sarifRegion{StartLine: max(e.Line, 1)},
		}})
	}
	return locs
}

// sarifArtifactOf is source (relative to folder, or absolute) as an
// artifact location: under %SRCROOT%, the repository root, when relative.
func sarifArtifactOf(folder, source string) sarifArtifact {
	p := filepath.ToSlash(source)
	if path.IsAbs(p) || filepath.IsAbs(source) {
		return sarifArtifact{URI: (&url.URL{Scheme: "file", Path: p}).String()}
	}
	p = path.Join(filepath.ToSlash(folder), p)
	return sarifArtifact{URI: (&url.URL{Path: p}).String(), URIBaseID: sarifSrcRoot}
}

// isURL tells a URL ("https://shop.example/checkout") from a path, where a
// Windows drive letter is not a scheme.
func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && len(u.Scheme) > 1 && (u.Host != "" || u.Opaque != "")
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func orID(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}
