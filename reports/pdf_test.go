package reports

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/audit-tool/audit/outcome"
)

// pdfFixture has every status, accented text, a current and an expired
// waiver, an attestation and a PCI DSS scope.
func pdfFixture() *Result {
	steps := []Step{
		{
			ID: "amazon-pay.payout_bank_account", Checklist: "amazon-pay", Severity: Critical, Status: Fail,
			Title:    "A payout bank account is registered",
			Message:  "The IBAN of Café Étoile SARL fails its checksum",
			Evidence: []Evidence{{Source: "merchant.hcl", Line: 7, Detail: "iban FR14 2004 1010 0505 0001 3M02 607"}},
			Tags:     []string{"finance"},
		},
		{
			ID: "amazon-pay.live_keys", Checklist: "amazon-pay", Severity: Critical, Status: Fail,
			Title:      "Live keys are configured",
			Message:    "The public key id is a sandbox one",
			Evidence:   []Evidence{{Source: "config/.env.production", Line: 3, Detail: "AMAZON_PAY_PUBLIC_KEY_ID=SANDBOX-AHX…(sha256:1f2e3d4c)"}},
			References: []string{"https://developer.amazon.com/docs/amazon-pay-checkout/get-set-up-for-integration.html"},
			Tags:       []string{"security", "engineering"},
		},
		{
			ID: "amazon-pay.ipn_endpoint", Checklist: "amazon-pay", Severity: High, Status: Error,
			Title:    "The IPN endpoint accepts signed notifications",
			Message:  "dial tcp 127.0.0.1:9: connect: connection refused",
			Evidence: []Evidence{{Source: "https://127.0.0.1:9/amazon-pay/ipn"}},
			Tags:     []string{"operations", "engineering"},
		},
		{
			ID: "amazon-pay.production_transaction_validated", Checklist: "amazon-pay", Severity: High, Status: Pending,
			Title:   "A production transaction was validated in Seller Central",
			Message: "No attestation yet",
			Manual:  true,
			Tags:    []string{"operations"},
		},
		{
			ID: "amazon-pay.logo", Checklist: "amazon-pay", Severity: Medium, Status: Pass,
			Title:    "Die Größe des Logos passt",
			Evidence: []Evidence{{Source: "assets/logo.png", Detail: "512×512 PNG"}},
		},
		{
			ID: "amazon-pay.sandbox_tests_passed", Checklist: "amazon-pay", Severity: High, Status: Pass,
			Title:  "Sandbox tests passed",
			Manual: true,
			Attestation: &Attestation{
				By: "Jürgen Größe", Date: "2026-11-20",
				Evidence: "Testbestellungen 1001–1012 in der Filiale Zürich geprüft",
			},
		},
		{
			ID: "pci-dss.hsts", Checklist: "pci-dss", Severity: Medium, Status: Waived,
			Title:   "Strict-Transport-Security is sent",
			Message: "No Strict-Transport-Security header on https://127.0.0.1:8443/checkout",
			Waiver:  &Waiver{Reason: "HSTS ships with the CDN migration", ApprovedBy: "CISO", Expires: "2026-12-31", Ticket: "SEC-42"},
		},
		{
			ID: "pci-dss.tpsp_attestation_current", Checklist: "pci-dss", Severity: High, Status: Fail,
			Title:   "Service providers' AOCs are current",
			Message: "The amazon-pay AOC is dated 2025-03-01, more than a year ago",
			Waiver:  &Waiver{Reason: "Waiting for the 2026 AOC", ApprovedBy: "Hélène Dubois", Expires: "2026-10-31", Expired: true},
			Tags:    []string{"legal"},
		},
		{
			ID: "pci-dss.no_stored_pan", Checklist: "pci-dss", Severity: Critical, Status: Fail,
			Title:   "No card number is stored",
			Message: "Card numbers found in application logs",
			Evidence: []Evidence{
				{Source: "logs/app.log", Line: 1042, Detail: "visa 411111******1111"},
				{Source: "logs/app.log", Line: 2077, Detail: "mastercard 555555******4444"},
			},
			References: []string{"PCI DSS v4.0.1 3.3.1", "PCI DSS v4.0.1 3.4.1"},
			Tags:       []string{"security"},
		},
		{
			ID: "pci-dss.content_security_policy", Checklist: "pci-dss", Severity: Medium, Status: Skip,
			Title:   "A Content-Security-Policy restricts scripts",
			Message: "offline",
		},
		{
			ID: "pci-dss.script_inventory", Checklist: "pci-dss", Severity: Medium, Status: Fail,
			Title:   "Every payment page script is inventoried",
			Message: "2 scripts are not in script_allowlist",
		},
		{
			ID: "stripe.payouts_enabled", Checklist: "stripe", Severity: Critical, Status: Fail,
			Title:   "Payouts are enabled on the Stripe account",
			Message: "payouts_enabled is false",
		},
	}
	r := &Result{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "audit", Version: "0.1.0"},
		RunID:         "01JDQ3Z7K8M9N0P1Q2R3S4T5V6",
		StartedAt:     time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC),
		FinishedAt:    time.Date(2026, 11, 23, 10, 0, 2, 0, time.UTC),
		FailOn:        High,
		Scope:         &Scope{SAQ: "A-EP", Reasons: []string{"card fields are built by a script on the merchant origin"}},
		Merchant:      "Café Étoile SARL",
		Folder:        "shops/cafe-etoile",
		Commit:        "5f3c1a9e0b7d4c2a8e6f1b3d5c7a9e0f2b4d6c8a",
		Checklists: []Checked{
			{Name: "amazon-pay", Title: "Amazon Pay go-live readiness", Source: "builtin"},
			{Name: "pci-dss", Title: "PCI DSS v4.0.1", Source: "builtin"},
			{Name: "stripe", Title: "Stripe go-live readiness", Source: "checklists/stripe.hcl"},
		},
		Steps: steps,
	}
	r.Decide()
	return r
}

// manySteps is a run of n steps with long, wrapping messages and, every
// tenth step, a long evidence list.
func manySteps(n int) *Result {
	r := pdfFixture()
	r.Steps = nil
	statuses := Statuses()
	for i := range n {
		s := Step{
			ID:        fmt.Sprintf("bulk.step_%03d", i),
			Checklist: fmt.Sprintf("bulk-%d", i/50),
			Title:     fmt.Sprintf("Bulk step %03d checks something about the Zürich shop", i),
			Severity:  outcome.Severities()[i%len(outcome.Severities())],
			Status:    statuses[i%len(statuses)],
			Message:   strings.Repeat(fmt.Sprintf("Message %03d wraps over several lines because it is long. ", i), 4),
		}
		if i%10 == 0 {
			for j := range 25 {
				s.Evidence = append(s.Evidence, Evidence{Source: fmt.Sprintf("src/file_%02d.go", j), Line: j + 1, Detail: "a detail long enough to need its own line in the report body"})
			}
		}
		r.Steps = append(r.Steps, s)
	}
	r.Decide()
	return r
}

func renderPDF(t testing.TB, r *Result) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, PDF(&buf, r, Options{}))
	require.True(t, bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")), "output is not a PDF")
	return buf.Bytes()
}

func popplerTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s (poppler-utils) not found: run scripts/setup.sh", name)
	}
	return path
}

// pdfText extracts the text with pdftotext -layout; pages are separated by
// form feeds.
func pdfText(t testing.TB, doc []byte) (text string, pages int) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "audit.pdf")
	require.NoError(t, os.WriteFile(file, doc, 0o644))
	out, err := exec.Command(popplerTool(t, "pdftotext"), "-layout", "-enc", "UTF-8", file, "-").Output()
	require.NoError(t, err, "pdftotext")
	info, err := exec.Command(popplerTool(t, "pdfinfo"), file).Output()
	require.NoError(t, err, "pdfinfo")
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(info)
	require.NotNil(t, m, "pdfinfo gave no page count:\n%s", info)
	pages, err = strconv.Atoi(string(m[1]))
	require.NoError(t, err)
	return string(out), pages
}

// pdfBody drops the running header and footer lines, so text that continues
// on the next page reads as one.
func pdfBody(text string) string {
	var keep []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimLeft(line, "\f")
		if pdfFurniture.MatchString(line) {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

var pdfFurniture = regexp.MustCompile(`^(Run .*Page \d+ of \d+|sha256 of audit.json [0-9a-f]{64}|Go-live readiness report — .*)$`)

// pdfSquash drops all white space, so text that wrapped can be compared whole.
func pdfSquash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// pdfSection returns the text between two headings.
func pdfSection(t *testing.T, text, from, to string) string {
	t.Helper()
	i := strings.Index(text, from)
	require.GreaterOrEqual(t, i, 0, "no %q heading", from)
	j := strings.Index(text[i:], to)
	require.Greater(t, j, 0, "no %q heading after %q", to, from)
	return text[i : i+j]
}

func TestPDFContent(t *testing.T) {
	r := pdfFixture()
	require.Equal(t, NoGo, r.Verdict)
	text, pages := pdfText(t, renderPDF(t, r))

	var js bytes.Buffer
	require.NoError(t, JSON(&js, r, Options{}))
	sum := sha256.Sum256(js.Bytes())
	digest := hex.EncodeToString(sum[:])

	t.Run("cover", func(t *testing.T) {
		cover, _, _ := strings.Cut(text, "\f")
		for _, want := range []string{
			"Go-live readiness report", "Café Étoile SARL", "2026-11-23 10:00:00 UTC",
			"audit 0.1.0", r.RunID, "high and above", "NO-GO",
			"amazon-pay — Amazon Pay go-live readiness (builtin)",
			"stripe — Stripe go-live readiness (checklists/stripe.hcl)",
			"6 steps at or above high fail or are pending.",
			"12 steps: 2 pass, 6 fail, 1 error, 1 skip, 1 waived, 1 pending.",
			"PCI DSS self-assessment: SAQ A-EP.",
		} {
			assert.Contains(t, cover, want)
		}
		assert.Regexp(t, `Folder +shops/cafe-etoile\n`, cover, "the audited folder")
		assert.Regexp(t, `Commit +5f3c1a9e0b7d4c2a8e6f1b3d5c7a9e0f2b4d6c8a\n`, cover)
		assert.Contains(t, cover, "sha256 of audit.json ", "the hash says what it is of")
	})

	t.Run("every step with its details", func(t *testing.T) {
		all := pdfSquash(pdfBody(pdfSection(t, text, "All steps", "Waivers")))
		for _, s := range r.Steps {
			assert.Contains(t, all, pdfSquash(s.ID))
			assert.Contains(t, all, pdfSquash(s.Title))
			assert.Contains(t, all, pdfSquash(s.Message))
			for _, e := range s.Evidence {
				assert.Contains(t, all, pdfSquash(evidenceLine(e)))
			}
			for _, ref := range s.References {
				assert.Contains(t, all, pdfSquash(ref))
			}
		}
		assert.Contains(t, all, pdfSquash("logs/app.log:1042 — visa 411111******1111"))
	})

	t.Run("summary and scope", func(t *testing.T) {
		summary := pdfSection(t, text, "Summary", "Blocking items")
		for _, want := range []string{"Steps by status", "Steps by severity", "SAQ A-EP", "card fields are built by a script on the merchant origin"} {
			assert.Contains(t, summary, want)
		}
		assert.Regexp(t, `(?m)^\s*fail\s+6\s*$`, summary)
		assert.Regexp(t, `(?m)^\s*critical\s+4\s*$`, summary)
	})

	t.Run("blocking items grouped by owner area", func(t *testing.T) {
		blocking := pdfSection(t, text, "Blocking items", "All steps")
		var at []int
		for _, group := range []string{"finance (1)", "legal (1)", "engineering (2)", "security (1)", "operations (1)", "stripe (1)"} {
			i := strings.Index(blocking, group)
			require.GreaterOrEqual(t, i, 0, "no group %q", group)
			at = append(at, i)
		}
		assert.IsIncreasing(t, at, "groups out of order")
		eng := blocking[strings.Index(blocking, "engineering (2)"):strings.Index(blocking, "security (1)")]
		assert.Less(t, strings.Index(eng, "Live keys are configured"), strings.Index(eng, "The IPN endpoint accepts"), "critical before high")
		assert.NotContains(t, blocking, "Every payment page script is inventoried", "medium is below --fail-on high")
		assert.NotContains(t, blocking, "Sandbox tests passed")
	})

	t.Run("waivers and attestations", func(t *testing.T) {
		waivers := pdfSection(t, text, "Waivers", "Attestations")
		assert.Regexp(t, `2026-10-31\s+EXPIRED`, waivers)
		assert.Regexp(t, `2026-12-31\s+\(current\)`, waivers)
		assert.Equal(t, 1, strings.Count(waivers, "EXPIRED"), "only the expired waiver is flagged")
		for _, want := range []string{"Hélène Dubois", "CISO", "SEC-42", "HSTS ships with the CDN migration"} {
			assert.Contains(t, waivers, want)
		}
		attest := pdfSection(t, text, "Attestations", "Sign-off")
		for _, want := range []string{"Jürgen Größe", "2026-11-20", "Testbestellungen 1001–1012 in der Filiale Zürich geprüft"} {
			assert.Contains(t, attest, want)
		}
		signOff := text[strings.Index(text, "Sign-off"):]
		for _, want := range []string{"Prepared by", "Approved by", "Date", "Name and signature"} {
			assert.Contains(t, signOff, want)
		}
	})

	t.Run("footer on every page", func(t *testing.T) {
		assert.GreaterOrEqual(t, pages, 4)
		pageTexts := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
		require.Len(t, pageTexts, pages)
		for i, page := range pageTexts {
			assert.Contains(t, page, fmt.Sprintf("Page %d of %d", i+1, pages))
			assert.Contains(t, page, "Run "+r.RunID)
			m := regexp.MustCompile(`sha256 of audit.json ([0-9a-f]{64})`).FindStringSubmatch(page)
			require.NotNil(t, m, "page %d has no digest", i+1)
			assert.Equal(t, digest, m[1], "page %d", i+1)
		}
	})
}

func TestPDFDeterministic(t *testing.T) {
	tests := []struct {
		name string
		r    func() *Result
		date string
	}{
		{"fixture", pdfFixture, "D:20261123100000"},
		{"no start time", func() *Result { r := pdfFixture(); r.StartedAt = time.Time{}; return r }, "D:19700101000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := renderPDF(t, tt.r())
			for range 3 { // gofpdf ranges over maps: repeat to shake out their order
				assert.True(t, bytes.Equal(first, renderPDF(t, tt.r())), "two renders differ")
			}
			assert.Contains(t, string(first), "/CreationDate ("+tt.date+")")
			assert.Contains(t, string(first), "/ModDate ("+tt.date+")")
		})
	}
	changed := pdfFixture()
	changed.Steps[0].Message += "."
	assert.False(t, bytes.Equal(renderPDF(t, pdfFixture()), renderPDF(t, changed)), "a changed result must change the document")
}

func TestPDFManySteps(t *testing.T) {
	r := manySteps(200)
	text, pages := pdfText(t, renderPDF(t, r))
	assert.Greater(t, pages, 20, "200 steps with long evidence need many pages")
	pageTexts := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	require.Len(t, pageTexts, pages)
	for i, page := range pageTexts {
		assert.Contains(t, page, fmt.Sprintf("Page %d of %d", i+1, pages))
		assert.Regexp(t, `\pL{3,}`, pdfBody(page), "page %d has no content", i+1)
	}
	all := pdfSquash(pdfBody(text))
	for _, s := range r.Steps {
		assert.Contains(t, all, pdfSquash(s.ID))
		assert.Contains(t, all, pdfSquash(s.Message), "message of %s clipped", s.ID)
	}
	assert.Contains(t, all, pdfSquash("src/file_24.go:25 — a detail long enough"))
}

func TestPDFWrapsLongText(t *testing.T) {
	r := pdfFixture()
	long := "https://127.0.0.1:8443/" + strings.Repeat("very-long-path-segment/", 20) + "end"
	r.Steps[0].Message = long
	r.Steps[0].Evidence = append(r.Steps[0].Evidence, Evidence{Source: long, Line: 1, Detail: strings.Repeat("word ", 80)})
	r.Scope.Reasons = append(r.Scope.Reasons, strings.Repeat("Begründung ", 40))
	text, _ := pdfText(t, renderPDF(t, r))
	for _, line := range strings.Split(text, "\n") {
		assert.LessOrEqual(t, len([]rune(line)), 140, "a line runs off the page: %q", line)
	}
	all := pdfSquash(pdfBody(text))
	assert.Contains(t, all, pdfSquash(long))
	assert.Contains(t, all, pdfSquash(strings.Repeat("word ", 80)))
	assert.Contains(t, all, pdfSquash(strings.Repeat("Begründung ", 40)))
}

func TestPDFVerdicts(t *testing.T) {
	tests := []struct {
		name    string
		status  Status
		verdict Verdict
		reason  string
	}{
		{"go", Pass, Go, "Nothing at or above high fails or is pending."},
		{"no-go", Fail, NoGo, "1 step at or above high fails or is pending."},
		{"undetermined", Error, Undetermined, "No blocking failure, but 1 step at or above high could not be decided or checked here."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pdfFixture()
			r.Scope = nil
			r.Steps = []Step{{ID: "x.only", Checklist: "x", Title: "Only step", Severity: High, Status: tt.status}}
			r.Decide()
			require.Equal(t, tt.verdict, r.Verdict)
			text, _ := pdfText(t, renderPDF(t, r))
			cover, _, _ := strings.Cut(text, "\f")
			assert.Contains(t, cover, string(tt.verdict))
			assert.Contains(t, pdfSquash(cover), pdfSquash(tt.reason))
			assert.NotContains(t, text, "PCI DSS scope")
			if tt.verdict == Go {
				assert.Contains(t, text, "None: no step at or above high fails")
			}
			assert.Contains(t, text, "No waivers.")
			assert.Contains(t, text, "No attestations.")
		})
	}
}

func TestOwnerArea(t *testing.T) {
	tests := []struct {
		name string
		step Step
		want string
	}{
		{"known tag", Step{Checklist: "amazon-pay", Tags: []string{"finance"}}, "finance"},
		{"area order beats tag order", Step{Checklist: "amazon-pay", Tags: []string{"operations", "legal"}}, "legal"},
		{"unknown tags ignored", Step{Checklist: "pci-dss", Tags: []string{"tls", "security"}}, "security"},
		{"checklist when untagged", Step{Checklist: "stripe", Tags: []string{"tls"}}, "stripe"},
		{"unassigned", Step{}, "unassigned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ownerArea(tt.step))
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want, line string }{
		{"Größe", "Größe", "Größe"},
		{"a\tb", "a b", "a b"},
		{"a\r\nb", "a\nb", "a b"},
		{"bell\x07 and nul\x00", "bell and nul", "bell and nul"},
		{"bad \xff utf8", "bad \uFFFD utf8", "bad \uFFFD utf8"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, clean(tt.in))
			assert.Equal(t, tt.line, oneLine(tt.in))
		})
	}
}

// FuzzPDF feeds untrusted text (a stored audit.json is re-rendered by
// `audit report`) into every free-text field: rendering must not fail.
// It is the slow target on purpose (tens of runs a second): each run
// writes a whole document, which subsets both embedded fonts. The text and
// layout paths it exercises are fuzzed fast by FuzzPDFText and
// FuzzPDFLayout.
func FuzzPDF(f *testing.F) {
	for _, seed := range []string{"", "Café Étoile SARL", "a\tb\r\n\x00\xff", strings.Repeat("x", 600), "中文 😀 עברית", "{nb} (x) \\ %"} {
		f.Add(seed, seed, "pass")
	}
	f.Fuzz(func(t *testing.T, text, detail, status string) {
		r := pdfFixture()
		r.Merchant = text
		r.RunID = detail
		r.Steps[0].Title = text
		r.Steps[0].Message = detail
		r.Steps[0].Status = Status(status)
		r.Steps[0].Severity = Severity(status)
		r.Steps[0].Tags = []string{text}
		r.Steps[0].Evidence = []Evidence{{Source: text, Line: len(detail), Detail: detail}}
		r.Steps[1].Waiver = &Waiver{Reason: text, ApprovedBy: detail, Expires: text, Expired: len(text)%2 == 0}
		r.Scope.Reasons = []string{text, detail}
		r.Checklists[0].Title = detail
		var buf bytes.Buffer
		require.NoError(t, PDF(&buf, r, Options{}))
		require.True(t, bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")))
	})
}

// FuzzPDFText fuzzes what the PDF does with untrusted text (clean, fit,
// the font's glyph widths, where an emoji once panicked) on one document
// built outside the loop: a whole PDF subsets two fonts each time, which
// bounds FuzzPDF to a few hundred runs a second.
func FuzzPDFText(f *testing.F) {
	for _, seed := range []string{"", "Café Étoile SARL", "a\tb\r\n\x00\xff", strings.Repeat("x", 600), "中文 😀 עברית",
		"{nb} (x) \\ %", "\x1b[2J\u202e", "cc%3D4539148803436467", "\U0010FFFF\uFFFF\xed\xa0\x80"} {
		f.Add(seed, 40.0)
	}
	w, err := loadWords("en")
	require.NoError(f, err)
	d := newPDFDoc(pdfFixture(), w, "")
	d.pdf.AddPage()
	d.font("", 9, colorText)
	f.Fuzz(func(t *testing.T, text string, width float64) {
		c := clean(text)
		if !utf8.ValidString(c) {
			t.Fatalf("clean(%q) = %q: invalid UTF-8", text, c)
		}
		for _, r := range c {
			if (r != '\n' && unicode.IsControl(r)) || r > 0xFFFF {
				t.Fatalf("clean(%q) kept %U", text, r)
			}
		}
		if math.IsNaN(width) || math.IsInf(width, 0) {
			return
		}
		width = math.Mod(math.Abs(width), 300)
		got := d.fit(text, width)
		if strings.Contains(got, "\n") {
			t.Fatalf("fit(%q) is not one line: %q", text, got)
		}
		if w := d.pdf.GetStringWidth(got); w > width && got != "…" && !strings.HasSuffix(got, "…") {
			t.Fatalf("fit(%q, %.1f) = %q is %.1f wide", text, width, got, w)
		}
		if err := d.pdf.Error(); err != nil {
			t.Fatalf("the document broke on %q: %v", text, err)
		}
	})
}

// FuzzPDFLayout lays untrusted steps out (badge, title, message,
// evidence, references, waiver, attestation: line wrapping, page breaks,
// header and footer) on a document built outside the loop, as FuzzPDFText
// does, so it runs thousands of times a second. The document is started
// again every 64 runs, so its pages do not pile up.
func FuzzPDFLayout(f *testing.F) {
	for _, seed := range []string{"", "Café Étoile SARL", "a\tb\r\n\x00\xff", strings.Repeat("x", 600), "中文 😀 עברית",
		"{nb} (x) \\ %", "\x1b[2J\u202e", strings.Repeat("w ", 2000), strings.Repeat("\n", 300), "\U0010FFFF\uFFFF\xed\xa0\x80"} {
		f.Add(seed, seed, "fail", 3)
	}
	w, err := loadWords("en")
	require.NoError(f, err)
	var d *pdfDoc
	runs := 0
	f.Fuzz(func(t *testing.T, text, detail, status string, line int) {
		// Wrapping costs about 40 µs a KiB and a field, and a new document
		// 5 ms (its fonts): long inputs explore nothing more
		// (TestPDFWrapsLongText has the long lines), and one document
		// takes a thousand steps.
		text, detail = text[:min(len(text), 256)], detail[:min(len(detail), 256)]
		if runs%1024 == 0 {
			d = newPDFDoc(pdfFixture(), w, "")
			d.pdf.AddPage()
		}
		runs++
		s := Step{ID: text, Title: text, Message: detail, Status: Status(status), Severity: Severity(status),
			Tags: []string{text}, References: []string{detail},
			Evidence:    []Evidence{{Source: text, Line: line, Detail: detail}},
			Waiver:      &Waiver{Reason: text, ApprovedBy: detail, Expires: text, Ticket: detail, Expired: line%2 == 0},
			Attestation: &Attestation{By: text, Date: detail, Evidence: text}}
		d.step(s, true)
		d.keyValue("Merchant", text) // the label is the catalogue's, the value the input
		d.bullet(detail)
		if err := d.pdf.Error(); err != nil {
			t.Fatalf("the layout broke on %q, %q: %v", text, detail, err)
		}
	})
}

func BenchmarkPDF200Steps(b *testing.B) {
	r := manySteps(200)
	b.ReportAllocs()
	for b.Loop() {
		if err := PDF(&bytes.Buffer{}, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPDFInFrenchAndGerman: --lang changes the chrome and the built-in
// titles of the PDF, accents and all, and nothing else.
func TestPDFInFrenchAndGerman(t *testing.T) {
	tests := []struct {
		lang string
		want []string
	}{
		{"fr", []string{"Rapport de préparation à la mise en production", "Listes de contrôle", "Seuil de blocage",
			"Synthèse", "Points bloquants", "Toutes les étapes", "Dérogations", "Validation", "Préparé par", "Approuvé par",
			"Nom et signature", "AAAA-MM-JJ", "Un compte bancaire de versement est enregistré", "ÉCHEC", "Page 1 sur"}},
		{"de", []string{"Bericht zur Go-live-Bereitschaft", "Checklisten", "Blockierend ab", "Zusammenfassung",
			"Blockierende Punkte", "Alle Schritte", "Ausnahmen", "Bestätigungen", "Freigabe", "Erstellt von",
			"Genehmigt von", "Name und Unterschrift", "JJJJ-MM-TT", "Ein Auszahlungskonto ist hinterlegt",
			"NICHT BESTANDEN", "Seite 1 von"}},
	}
	english, _ := pdfText(t, renderPDF(t, pdfFixture()))
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, PDF(&buf, pdfFixture(), Options{Lang: tt.lang}))
			text, _ := pdfText(t, buf.Bytes())
			squashed := pdfSquash(text)
			for _, w := range tt.want {
				assert.Contains(t, squashed, pdfSquash(w))
			}
			for _, w := range []string{"Go-live readiness report", "Sign-off", "A payout bank account is registered"} {
				assert.Contains(t, english, w)
				assert.NotContains(t, text, w)
			}
			// Only built-in checklists are translated; messages stay as the probes wrote them.
			assert.Contains(t, squashed, pdfSquash("The IBAN of Café Étoile SARL fails its checksum"))
		})
	}
}
