package reports

import (
	"bytes"
	"crypto/sha256"
	_ "embed" // the report's fonts ship inside the binary
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/jung-kurt/gofpdf"

	"github.com/audit-tool/audit/outcome"
)

// DejaVu Sans (fonts-dejavu-core, licence in fonts/LICENSE) is embedded
// because the core PDF fonts are Latin-1 only and merchants' names, messages
// and evidence are French, German and more.
var (
	//go:embed fonts/DejaVuSans.ttf
	dejaVuSans []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuSansBold []byte
)

// Page geometry in millimetres (A4 portrait).
const (
	pdfFont      = "DejaVu"
	marginSide   = 15.0
	marginTop    = 20.0
	marginBottom = 22.0
	lineH        = 4.6
)

// rgb is a colour as 0xRRGGBB, so the palette can be constants.
type rgb uint32

func (c rgb) parts() (r, g, b int) { return int(c >> 16 & 0xff), int(c >> 8 & 0xff), int(c & 0xff) }

const (
	colorText   rgb = 0x212121
	colorMuted  rgb = 0x6e6e6e
	colorRule   rgb = 0xc8c8c8
	colorWhite  rgb = 0xffffff
	colorGreen  rgb = 0x2e7d32
	colorRed    rgb = 0xc62828
	colorAmber  rgb = 0xf59e0b
	colorPurple rgb = 0x7b1fa2
	colorBlue   rgb = 0x1565c0
	colorGrey   rgb = 0x757575
)

func statusColor(s Status) rgb {
	switch s {
	case Pass:
		return colorGreen
	case Fail:
		return colorRed
	case Error:
		return colorPurple
	case Waived:
		return colorBlue
	case Pending:
		return colorAmber
	default:
		return colorGrey
	}
}

// PDF renders r as the document a launch manager signs and files: a cover
// with the verdict, a summary chart, the blocking items by owner area, every
// step, the waivers and attestations, and a sign-off block. Every page's
// footer carries the run id and the sha256 of the result JSON so a filed copy
// can be matched to its data. The same r always gives the same bytes.
func PDF(w io.Writer, r *Result, opt Options) error {
	var js bytes.Buffer
	if err := JSON(&js, r, opt); err != nil {
		return fmt.Errorf("pdf: hash result: %w", err)
	}
	sum := sha256.Sum256(js.Bytes())
	w8, err := loadWords(opt.Lang)
	if err != nil {
		return err
	}
	d := newPDFDoc(w8.localized(r), w8, hex.EncodeToString(sum[:]))
	d.pdf.fallback(js.Bytes(), opt)
	d.cover()
	d.summary()
	d.blocking()
	d.unchecked()
	d.allSteps()
	d.exceptions()
	d.signOff()
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

type pdfDoc struct {
	pdf    *pen
	r      *Result
	w      words
	digest string
	// keyW is the width of the cover's label column: the longest label
	// in the report's language.
	keyW float64
}

func newPDFDoc(r *Result, w words, digest string) *pdfDoc {
	pdf := &pen{Fpdf: gofpdf.New("P", "mm", "A4", "")}
	d := &pdfDoc{pdf: pdf, r: r, w: w, digest: digest}

	// Determinism: fixed dates (gofpdf falls back to time.Now), sorted
	// catalog objects; gofpdf writes no /ID for unencrypted documents.
	stamp := time.Unix(0, 0).UTC()
	if !r.StartedAt.IsZero() {
		stamp = r.StartedAt.UTC()
	}
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetCatalogSort(true)

	pdf.AddUTF8FontFromBytes(pdfFont, "", dejaVuSans)
	pdf.AddUTF8FontFromBytes(pdfFont, "B", dejaVuSansBold)
	pdf.SetTitle(clean(d.title()), true)
	pdf.SetSubject(d.w.t("pdf.subject"), true)
	pdf.SetCreator(oneLine(r.Tool.Name+" "+r.Tool.Version), true)
	pdf.SetMargins(marginSide, marginTop, marginSide)
	pdf.SetAutoPageBreak(true, marginBottom)
	pdf.AliasNbPages("{nb}")
	pdf.SetHeaderFunc(d.header)
	pdf.SetFooterFunc(d.footer)
	return d
}

func (d *pdfDoc) title() string {
	if d.r.Merchant == "" {
		return d.w.t("pdf.title")
	}
	return d.w.t("pdf.title") + " — " + d.r.Merchant
}

func (d *pdfDoc) header() {
	if d.pdf.PageNo() == 1 {
		return // the cover carries everything the header would
	}
	p := d.pdf
	d.font("", 8, colorMuted)
	p.SetXY(marginSide, 9)
	p.CellFormat(0, 5, d.fit(d.title(), 140), "", 0, "L", false, 0, "")
	p.SetXY(marginSide, 9)
	d.font("B", 8, verdictColor(d.r.Verdict))
	p.CellFormat(0, 5, d.fit(string(d.r.Verdict), 35), "", 0, "R", false, 0, "")
	d.rule(15)
	p.SetXY(marginSide, marginTop)
}

func (d *pdfDoc) footer() {
	p := d.pdf
	_, pageH := p.GetPageSize()
	d.rule(pageH - 16)
	runID := d.r.RunID
	if runID == "" {
		runID = "—"
	}
	d.font("", 7, colorMuted)
	p.SetXY(marginSide, pageH-15)
	p.CellFormat(0, 4, d.fit(d.w.t("pdf.run", runID), 140), "", 0, "L", false, 0, "")
	p.SetXY(marginSide, pageH-15)
	p.CellFormat(0, 4, d.w.t("pdf.page", p.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
	p.SetXY(marginSide, pageH-11)
	p.CellFormat(0, 4, d.w.t("pdf.digest", d.digest), "", 0, "L", false, 0, "")
}

func (d *pdfDoc) cover() {
	p, r := d.pdf, d.r
	p.AddPage()
	d.font("", 10, colorMuted)
	p.CellFormat(0, 6, d.w.t("pdf.kicker"), "", 1, "L", false, 0, "")
	p.Ln(8)
	d.font("B", 22, colorText)
	p.MultiCell(0, 10, d.w.t("pdf.title"), "", "L", false)
	merchant := r.Merchant
	if merchant == "" {
		merchant = d.w.t("pdf.no_merchant")
	}
	d.font("B", 16, colorText)
	p.MultiCell(0, 8, clean(merchant), "", "L", false)
	p.Ln(6)

	date := d.w.t("pdf.unknown")
	if !r.StartedAt.IsZero() {
		date = r.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	var checklists []string
	for _, c := range r.Checklists {
		line := c.Name
		if c.Title != "" {
			line += " — " + c.Title
		}
		if c.Source != "" {
			line += " (" + c.Source + ")"
		}
		checklists = append(checklists, line)
	}
	if len(checklists) == 0 {
		checklists = []string{"—"}
	}
	d.font("B", 10, colorMuted)
	d.keyW = 32
	for _, k := range []string{"pdf.date", "pdf.checklists", "pdf.folder", "pdf.commit", "pdf.tool", "pdf.run_id", "pdf.fail_on"} {
		d.keyW = max(d.keyW, p.GetStringWidth(d.w.t(k))+3)
	}
	d.keyValue(d.w.t("pdf.date"), date)
	d.keyValue(d.w.t("pdf.checklists"), strings.Join(checklists, "\n"))
	folder := orDash(r.Folder)
	if r.Folder == "" && len(r.Steps) > 0 {
		folder = "." // the repository root
	}
	d.keyValue(d.w.t("pdf.folder"), folder)
	if r.Commit != "" {
		d.keyValue(d.w.t("pdf.commit"), r.Commit)
	}
	d.keyValue(d.w.t("pdf.tool"), strings.TrimSpace(r.Tool.Name+" "+r.Tool.Version))
	d.keyValue(d.w.t("pdf.run_id"), orDash(r.RunID))
	d.keyValue(d.w.t("pdf.fail_on"), d.w.t("pdf.and_above", d.w.severity(r.FailOn)))
	p.Ln(10)

	d.verdictBox()
	p.Ln(6)

	counts := d.statusCounts()
	var parts []string
	for _, s := range Statuses() {
		parts = append(parts, d.w.count(s, counts[s]))
	}
	d.font("", 10, colorText)
	p.MultiCell(0, 5.5, d.w.t("pdf.steps", d.w.n("steps", len(r.Steps)), strings.Join(parts, ", ")), "", "L", false)
	if r.Scope != nil {
		p.MultiCell(0, 5.5, d.w.t("pdf.saq", oneLine(r.Scope.SAQ)), "", "L", false)
	}
}

func (d *pdfDoc) verdictBox() {
	p, r := d.pdf, d.r
	const boxH = 42.0
	pageW, _ := p.GetPageSize()
	x, y, w := marginSide, p.GetY(), pageW-2*marginSide
	c := verdictColor(r.Verdict)
	ink := colorWhite
	if r.Verdict == Undetermined {
		ink = colorText // dark on amber reads better than white
	}
	p.SetFillColor(c.parts())
	p.Rect(x, y, w, boxH, "F")
	verdict := string(r.Verdict)
	if verdict == "" {
		verdict = d.w.t("pdf.no_verdict")
	}
	p.SetXY(x, y+6)
	d.font("B", 40, ink)
	p.CellFormat(w, 18, d.fit(verdict, w-12), "", 2, "C", false, 0, "")
	p.SetX(x + 6)
	d.font("", 11, ink)
	p.MultiCell(w-12, 5.5, d.verdictReason(), "", "C", false)
	p.SetXY(marginSide, y+boxH)
}

func verdictColor(v Verdict) rgb {
	switch v {
	case Go:
		return colorGreen
	case NoGo:
		return colorRed
	case Undetermined:
		return colorAmber
	default:
		return colorGrey
	}
}

func (d *pdfDoc) verdictReason() string {
	r := d.r
	var failing, undecided int
	for _, s := range d.blockingSteps() {
		if d.r.Effect(s) == outcome.Undecided {
			undecided++
		} else {
			failing++
		}
	}
	switch r.Verdict {
	case Go:
		return d.w.t("pdf.reason.go", d.w.severity(r.FailOn))
	case NoGo:
		return d.w.n("pdf.reason.nogo", failing, d.w.severity(r.FailOn))
	case Undetermined:
		return d.w.n("pdf.reason.undetermined", undecided, d.w.severity(r.FailOn))
	default:
		return d.w.t("pdf.reason.none")
	}
}

func (d *pdfDoc) summary() {
	p, r := d.pdf, d.r
	p.AddPage()
	d.heading(d.w.t("pdf.summary"))

	counts := d.statusCounts()
	d.subheading(d.w.t("pdf.by_status"))
	maxCount := 1
	for _, s := range Statuses() {
		maxCount = max(maxCount, counts[s])
	}
	for _, s := range Statuses() {
		d.bar(d.w.status(s), []barPart{{statusColor(s), counts[s]}}, counts[s], maxCount)
	}
	p.Ln(4)

	d.subheading(d.w.t("pdf.by_severity"))
	bySev := map[Severity]map[Status]int{}
	for _, s := range r.Steps {
		if bySev[s.Severity] == nil {
			bySev[s.Severity] = map[Status]int{}
		}
		bySev[s.Severity][s.Status]++
	}
	sevs := outcome.Severities()
	for sev := range bySev {
		if !slices.Contains(sevs, sev) {
			sevs = append(sevs, sev) // an unknown severity from a hand-edited result still shows
		}
	}
	maxSev := 1
	for _, sev := range sevs {
		total := 0
		for _, n := range bySev[sev] {
			total += n
		}
		maxSev = max(maxSev, total)
	}
	for _, sev := range sevs {
		var parts []barPart
		total := 0
		for _, st := range Statuses() {
			n := bySev[sev][st]
			total += n
			parts = append(parts, barPart{statusColor(st), n})
		}
		d.bar(d.w.severity(sev), parts, total, maxSev)
	}
	d.legend()

	if r.Scope != nil {
		p.Ln(4)
		d.subheading(d.w.t("pdf.scope"))
		d.font("B", 11, colorText)
		p.MultiCell(0, 6, "SAQ "+oneLine(r.Scope.SAQ), "", "L", false)
		d.font("", 9.5, colorText)
		for _, reason := range r.Scope.Reasons {
			d.bullet(reason)
		}
	}
}

type barPart struct {
	color rgb
	n     int
}

// bar draws one labelled horizontal bar: parts stacked left to right, the
// total printed after it. Bars share a scale so they compare at a glance.
func (d *pdfDoc) bar(label string, parts []barPart, total, scale int) {
	const labelW, maxW, rowH, barH = 28.0, 120.0, 7.0, 4.6
	p := d.pdf
	d.ensureSpace(rowH)
	x, y := marginSide, p.GetY()
	d.font("", 9, colorText)
	p.SetXY(x, y)
	p.CellFormat(labelW, rowH, d.fit(label, labelW-2), "", 0, "L", false, 0, "")
	bx := x + labelW
	for _, part := range parts {
		if part.n == 0 {
			continue
		}
		w := maxW * float64(part.n) / float64(scale)
		p.SetFillColor(part.color.parts())
		p.Rect(bx, y+(rowH-barH)/2, w, barH, "F")
		bx += w
	}
	p.SetXY(bx+2, y)
	p.CellFormat(20, rowH, fmt.Sprint(total), "", 0, "L", false, 0, "")
	p.SetXY(marginSide, y+rowH)
}

func (d *pdfDoc) legend() {
	p := d.pdf
	d.ensureSpace(8)
	y := p.GetY() + 2
	x := marginSide + 28
	d.font("", 8, colorMuted)
	for _, s := range Statuses() {
		c := statusColor(s)
		p.SetFillColor(c.parts())
		p.Rect(x, y+1.2, 3, 3, "F")
		p.SetXY(x+4, y)
		label := d.w.status(s)
		p.CellFormat(p.GetStringWidth(label)+2, 5.4, label, "", 0, "L", false, 0, "")
		x += 4 + p.GetStringWidth(label) + 6
	}
	p.SetXY(marginSide, y+7)
}

// ownerAreas are the teams a blocking item is routed to, in report order.
func ownerAreas() []string {
	return []string{"finance", "legal", "engineering", "security", "operations"}
}

// ownerArea names who must act on a step: the first of ownerAreas (in that
// order) the step is tagged with; an untagged step belongs to the owners of
// its checklist, so the area is the checklist name (e.g. "amazon-pay").
func ownerArea(s Step) string {
	for _, a := range ownerAreas() {
		if slices.Contains(s.Tags, a) {
			return a
		}
	}
	if s.Checklist != "" {
		return s.Checklist
	}
	return "unassigned"
}

// blockingSteps are what stands between the merchant and GO: the steps
// that block the verdict or leave it undecided (outcome decides which).
func (d *pdfDoc) blockingSteps() []Step {
	var out []Step
	for _, s := range d.r.Steps {
		if d.r.Effect(s) != outcome.None {
			out = append(out, s)
		}
	}
	return out
}

func (d *pdfDoc) blocking() {
	p := d.pdf
	p.Ln(6)
	d.ensureSpace(30)
	d.heading(d.w.t("pdf.blocking"))
	steps := d.blockingSteps()
	if len(steps) == 0 {
		d.font("", 10, colorText)
		p.MultiCell(0, 6, d.w.t("pdf.blocking.none", d.w.severity(d.r.FailOn)), "", "L", false)
		return
	}
	groups := map[string][]Step{}
	for _, s := range steps {
		a := ownerArea(s)
		groups[a] = append(groups[a], s)
	}
	var areas []string
	for _, a := range ownerAreas() {
		if groups[a] != nil {
			areas = append(areas, a)
		}
	}
	var rest []string
	for a := range groups {
		if !slices.Contains(ownerAreas(), a) {
			rest = append(rest, a)
		}
	}
	sort.Strings(rest)
	areas = append(areas, rest...)

	for _, a := range areas {
		group := groups[a]
		sort.SliceStable(group, func(i, j int) bool {
			return group[i].Severity.AtLeast(group[j].Severity) && !group[j].Severity.AtLeast(group[i].Severity)
		})
		d.ensureSpace(22)
		d.subheading(fmt.Sprintf("%s (%d)", d.w.word("area", a), len(group)))
		for _, s := range group {
			d.step(s, false)
		}
	}
}

// unchecked lists what this run could not look at, so a signed PDF never
// passes off an unchecked step as checked.
func (d *pdfDoc) unchecked() {
	steps := d.r.UncheckedSteps()
	if len(steps) == 0 {
		return
	}
	p := d.pdf
	p.Ln(4)
	d.ensureSpace(30)
	d.heading(d.w.t("pdf.unchecked"))
	d.font("", 9, colorText)
	p.MultiCell(0, lineH, d.w.n("pdf.unchecked.count", len(steps), d.w.uncheckedNote(d.r)), "", "L", false)
	for _, s := range steps {
		d.bullet(fmt.Sprintf("%s (%s): %s", oneLine(s.ID), d.w.severity(s.Severity), clean(s.Message)))
	}
}

func (d *pdfDoc) allSteps() {
	p := d.pdf
	p.AddPage()
	d.heading(d.w.t("pdf.all_steps"))
	if len(d.r.Steps) == 0 {
		d.font("", 10, colorText)
		p.MultiCell(0, 6, d.w.t("pdf.no_steps"), "", "L", false)
		return
	}
	checklist := "\x00"
	for _, s := range d.r.Steps {
		if s.Checklist != checklist {
			checklist = s.Checklist
			d.ensureSpace(22)
			d.subheading(orDash(checklist))
		}
		d.step(s, true)
	}
}

// step draws one step; full adds evidence, references, waiver and
// attestation (the blocking list stays short and points here).
func (d *pdfDoc) step(s Step, full bool) {
	const badgeH = 5.0
	p := d.pdf
	badgeW := d.badgeWidth()
	d.ensureSpace(18) // keep the badge line with the title
	c := statusColor(s.Status)
	p.SetFillColor(c.parts())
	ink := colorWhite
	if s.Status == Pending {
		ink = colorText
	}
	d.font("B", 7.5, ink)
	p.CellFormat(badgeW, badgeH, d.fit(strings.ToUpper(d.w.label(s)), badgeW-2), "", 0, "C", true, 0, "")
	p.SetX(marginSide + badgeW + 3)
	d.font("B", 8.5, colorText)
	sev := d.fit(d.w.severity(s.Severity), 30)
	p.CellFormat(p.GetStringWidth(sev)+3, badgeH, sev, "", 0, "L", false, 0, "")
	d.font("", 8.5, colorMuted)
	p.MultiCell(0, badgeH, oneLine(s.ID), "", "L", false)
	p.Ln(1)

	d.font("B", 10, colorText)
	p.MultiCell(0, 5, orDash(clean(s.Title)), "", "L", false)
	if s.Message != "" {
		d.font("", 9, colorText)
		p.MultiCell(0, lineH, clean(s.Message), "", "L", false)
	}
	if full {
		if len(s.Evidence) > 0 {
			d.label(d.w.t("pdf.evidence"))
			for _, e := range s.Evidence {
				d.bullet(evidenceLine(e))
			}
		}
		if len(s.References) > 0 {
			d.label(d.w.t("pdf.references"))
			for _, ref := range s.References {
				d.bullet(ref)
			}
		}
		if w := s.Waiver; w != nil {
			d.label(d.w.t("pdf.waiver"))
			d.bullet(d.waiverLine(*w))
		}
		if a := s.Attestation; a != nil {
			d.label(d.w.t("pdf.attestation"))
			d.bullet(fmt.Sprintf("%s, %s: %s", orDash(a.By), orDash(a.Date), orDash(a.Evidence)))
		}
	}
	p.Ln(1.5)
	d.rule(p.GetY())
	p.Ln(2.5)
}

func evidenceLine(e Evidence) string {
	loc := orDash(e.Source)
	if e.Line > 0 {
		loc += fmt.Sprintf(":%d", e.Line)
	}
	if e.Detail == "" {
		return loc
	}
	return loc + " — " + e.Detail
}

func (d *pdfDoc) waiverLine(w Waiver) string {
	state := d.w.t("pdf.state.current")
	if w.Expired {
		state = d.w.t("pdf.state.expired")
	}
	line := d.w.t("pdf.waiver_line", orDash(w.Reason), orDash(w.ApprovedBy), orDash(w.Expires), state)
	if w.Ticket != "" {
		line += d.w.t("pdf.waiver_ticket", w.Ticket)
	}
	return line
}

// exceptions lists the waivers and attestations: the statements people
// signed instead of a probe, which an auditor reviews one by one.
func (d *pdfDoc) exceptions() {
	p, r := d.pdf, d.r
	p.AddPage()
	d.heading(d.w.t("pdf.waivers"))
	n := 0
	for _, s := range r.Steps {
		w := s.Waiver
		if w == nil {
			continue
		}
		n++
		d.ensureSpace(30)
		d.exceptionTitle(s)
		d.field(d.w.t("pdf.reason"), w.Reason, colorText)
		d.field(d.w.t("pdf.approved_by"), w.ApprovedBy, colorText)
		if w.Expired {
			d.field(d.w.t("pdf.until"), d.w.t("pdf.expired", orDash(w.Expires)), colorRed)
		} else {
			d.field(d.w.t("pdf.until"), d.w.t("pdf.current", orDash(w.Expires)), colorText)
		}
		if w.Ticket != "" {
			d.field(d.w.t("pdf.ticket"), w.Ticket, colorText)
		}
		p.Ln(3)
	}
	if n == 0 {
		d.font("", 10, colorText)
		p.MultiCell(0, 6, d.w.t("pdf.no_waivers"), "", "L", false)
	}

	p.Ln(4)
	d.ensureSpace(30)
	d.heading(d.w.t("pdf.attestations"))
	n = 0
	for _, s := range r.Steps {
		a := s.Attestation
		if a == nil {
			continue
		}
		n++
		d.ensureSpace(26)
		d.exceptionTitle(s)
		d.field(d.w.t("pdf.by"), a.By, colorText)
		d.field(d.w.t("pdf.date"), a.Date, colorText)
		d.field(d.w.t("pdf.evidence"), a.Evidence, colorText)
		p.Ln(3)
	}
	if n == 0 {
		d.font("", 10, colorText)
		p.MultiCell(0, 6, d.w.t("pdf.no_attestations"), "", "L", false)
	}
}

func (d *pdfDoc) exceptionTitle(s Step) {
	d.font("B", 9.5, colorText)
	d.pdf.MultiCell(0, 5, oneLine(s.ID)+" — "+orDash(clean(s.Title)), "", "L", false)
}

// field prints "Label  value" with the value wrapping in its own column.
func (d *pdfDoc) field(label, value string, ink rgb) {
	const labelW = 28.0
	p := d.pdf
	d.font("", 9, colorMuted)
	p.SetX(marginSide + 4)
	p.CellFormat(labelW, lineH, label, "", 0, "L", false, 0, "")
	d.font("", 9, ink)
	p.MultiCell(0, lineH, orDash(clean(value)), "", "L", false)
}

func (d *pdfDoc) signOff() {
	p := d.pdf
	p.Ln(6)
	d.ensureSpace(75) // never split the block across pages
	d.heading(d.w.t("pdf.signoff"))
	d.font("", 9, colorMuted)
	p.MultiCell(0, lineH, d.w.t("pdf.signoff.text"), "", "L", false)
	p.Ln(4)
	pageW, _ := p.GetPageSize()
	for i, label := range []string{d.w.t("pdf.prepared_by"), d.w.t("pdf.approved_by"), d.w.t("pdf.date")} {
		y := p.GetY()
		d.font("B", 10, colorText)
		p.CellFormat(32, 8, label, "", 0, "LB", false, 0, "") // sits on the signature line
		p.SetDrawColor(colorText.parts())
		p.SetLineWidth(0.3)
		p.Line(marginSide+34, y+8, pageW-marginSide, y+8)
		p.SetXY(marginSide+34, y+8.5)
		d.font("", 7, colorMuted)
		hint := d.w.t("pdf.signature")
		if i == 2 {
			hint = d.w.t("pdf.date_hint")
		}
		p.CellFormat(0, 3.5, hint, "", 0, "L", false, 0, "")
		p.SetXY(marginSide, y+17)
	}
}

// Drawing helpers.

func (d *pdfDoc) font(style string, size float64, c rgb) {
	d.pdf.SetFont(pdfFont, style, size)
	d.pdf.SetTextColor(c.parts())
}

func (d *pdfDoc) heading(text string) {
	p := d.pdf
	p.Bookmark(text, 0, -1)
	d.font("B", 15, colorText)
	p.MultiCell(0, 8, text, "", "L", false)
	p.Ln(2)
}

func (d *pdfDoc) subheading(text string) {
	p := d.pdf
	d.font("B", 11, colorText)
	p.MultiCell(0, 6.5, clean(text), "", "L", false)
	p.Ln(1)
}

func (d *pdfDoc) label(text string) {
	d.font("B", 8, colorMuted)
	d.pdf.MultiCell(0, 4.4, text, "", "L", false)
}

// bullet prints one wrapped, hanging-indented list item.
func (d *pdfDoc) bullet(text string) {
	p := d.pdf
	d.font("", 9, colorText)
	p.SetX(marginSide + 3)
	// The bullet may trigger the page break, so the text continues from
	// wherever it landed rather than from a remembered y.
	p.CellFormat(4, lineH, "•", "", 0, "L", false, 0, "")
	p.MultiCell(0, lineH, orDash(clean(text)), "", "L", false)
}

func (d *pdfDoc) keyValue(key, value string) {
	p := d.pdf
	d.font("B", 10, colorMuted)
	p.CellFormat(d.keyW, 6, key, "", 0, "L", false, 0, "")
	d.font("", 10, colorText)
	p.MultiCell(0, 6, orDash(clean(value)), "", "L", false)
}

func (d *pdfDoc) rule(y float64) {
	p := d.pdf
	pageW, _ := p.GetPageSize()
	p.SetDrawColor(colorRule.parts())
	p.SetLineWidth(0.2)
	p.Line(marginSide, y, pageW-marginSide, y)
}

// ensureSpace starts a new page unless h millimetres remain above the
// bottom margin, so headings do not dangle at a page's foot.
func (d *pdfDoc) ensureSpace(h float64) {
	_, pageH := d.pdf.GetPageSize()
	if d.pdf.GetY()+h > pageH-marginBottom {
		d.pdf.AddPage()
	}
}

func (d *pdfDoc) statusCounts() map[Status]int {
	counts := map[Status]int{}
	for _, s := range d.r.Steps {
		counts[s.Status]++
	}
	return counts
}

// fit makes s one line no wider than w millimetres in the current font,
// cutting it with an ellipsis: single-line cells do not wrap, and text
// running past them would overprint their neighbours.
func (d *pdfDoc) fit(s string, w float64) string {
	s = oneLine(s)
	if d.pdf.GetStringWidth(s) <= w {
		return s
	}
	room := w - d.pdf.GetStringWidth("…")
	runes := []rune(s)
	for i, r := range runes { // widths add up: gofpdf does not kern
		if room -= d.pdf.GetStringWidth(string(r)); room < 0 {
			return string(runes[:i]) + "…"
		}
	}
	return s
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// clean makes untrusted text safe to typeset: valid UTF-8, tabs as spaces,
// no control characters other than newlines (which MultiCell honours), and
// nothing beyond the Basic Multilingual Plane, which gofpdf's UTF-8 fonts
// cannot index (it fails or panics on an emoji).
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		case r > 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

// oneLine is clean for single-line cells.
func oneLine(s string) string {
	return strings.ReplaceAll(clean(s), "\n", " ")
}

// badgeWidth fits the longest status of the report's language
// ("NICHT BESTANDEN"), 20 mm at least.
func (d *pdfDoc) badgeWidth() float64 {
	d.font("B", 7.5, colorText)
	w := 20.0
	for _, s := range append(Statuses(), "unchecked") {
		w = max(w, d.pdf.GetStringWidth(strings.ToUpper(d.w.status(s)))+3)
	}
	return w
}
