package reports

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// FleetPDF renders a fleet report as the document a compliance team files:
// the fleet verdict and totals, the SAQ distribution, the most failing
// steps, the regressions, the expiring waivers and every merchant that is
// not GO, then all merchants. It shares the run report's fonts, palette and
// drawing helpers; each page's footer carries the fleet run and the sha256
// of the report JSON. The same report always gives the same bytes.
func FleetPDF(w io.Writer, rep *FleetReport, opt Options) error {
	var js bytes.Buffer
	if err := FleetJSON(&js, rep, opt); err != nil {
		return fmt.Errorf("fleet pdf: hash report: %w", err)
	}
	sum := sha256.Sum256(js.Bytes())
	w8, err := loadWords(opt.Lang)
	if err != nil {
		return err
	}
	d := newFleetDoc(rep, w8, hex.EncodeToString(sum[:]))
	d.pdf.fallback(js.Bytes(), opt)
	d.cover()
	d.failingSteps()
	d.regressions()
	d.waivers()
	d.merchants()
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("fleet pdf: %w", err)
	}
	return nil
}

type fleetDoc struct {
	*pdfDoc
	rep    *FleetReport
	digest string
}

func newFleetDoc(rep *FleetReport, w8 words, digest string) *fleetDoc {
	pdf := &pen{Fpdf: gofpdf.New("P", "mm", "A4", "")}
	d := &fleetDoc{pdfDoc: &pdfDoc{pdf: pdf, w: w8, r: &Result{Verdict: rep.Verdict(), RunID: rep.FleetRun}}, rep: rep, digest: digest}
	stamp := time.Unix(0, 0).UTC()
	if !rep.GeneratedAt.IsZero() {
		stamp = rep.GeneratedAt.UTC()
	}
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetCatalogSort(true)
	pdf.AddUTF8FontFromBytes(pdfFont, "", dejaVuSans)
	pdf.AddUTF8FontFromBytes(pdfFont, "B", dejaVuSansBold)
	pdf.SetTitle(clean(d.title()), true)
	pdf.SetSubject(w8.t("fleet.pdf.subject"), true)
	pdf.SetCreator("audit", true)
	pdf.SetMargins(marginSide, marginTop, marginSide)
	pdf.SetAutoPageBreak(true, marginBottom)
	pdf.AliasNbPages("{nb}")
	pdf.SetHeaderFunc(d.header)
	pdf.SetFooterFunc(d.footer)
	return d
}

func (d *fleetDoc) title() string { return d.w.t("fleet.pdf.title", d.rep.FleetRun) }

func (d *fleetDoc) header() {
	if d.pdf.PageNo() == 1 {
		return
	}
	p := d.pdf
	d.font("", 8, colorMuted)
	p.SetXY(marginSide, 9)
	p.CellFormat(0, 5, d.fit(d.title(), 140), "", 0, "L", false, 0, "")
	p.SetXY(marginSide, 9)
	d.font("B", 8, verdictColor(d.rep.Verdict()))
	p.CellFormat(0, 5, string(d.rep.Verdict()), "", 0, "R", false, 0, "")
	d.rule(15)
	p.SetXY(marginSide, marginTop)
}

func (d *fleetDoc) footer() {
	p := d.pdf
	_, pageH := p.GetPageSize()
	d.rule(pageH - 16)
	d.font("", 7, colorMuted)
	p.SetXY(marginSide, pageH-15)
	p.CellFormat(0, 4, d.fit(d.w.t("fleet.pdf.run", d.rep.FleetRun), 140), "", 0, "L", false, 0, "")
	p.SetXY(marginSide, pageH-15)
	p.CellFormat(0, 4, d.w.t("pdf.page", p.PageNo(), "{nb}"), "", 0, "R", false, 0, "")
	p.SetXY(marginSide, pageH-11)
	p.CellFormat(0, 4, d.w.t("fleet.pdf.digest", d.digest), "", 0, "L", false, 0, "")
}

func (d *fleetDoc) cover() {
	p, rep := d.pdf, d.rep
	p.AddPage()
	d.font("B", 20, colorText)
	p.MultiCell(0, 10, clean(d.title()), "", "L", false)
	p.Ln(4)

	const boxH = 30.0
	pageW, _ := p.GetPageSize()
	x, y, w := marginSide, p.GetY(), pageW-2*marginSide
	v := rep.Verdict()
	ink := colorWhite
	if v == Undetermined {
		ink = colorText
	}
	p.SetFillColor(verdictColor(v).parts())
	p.Rect(x, y, w, boxH, "F")
	p.SetXY(x, y+5)
	d.font("B", 30, ink)
	p.CellFormat(w, 14, string(v), "", 2, "C", false, 0, "")
	d.font("", 11, ink)
	p.CellFormat(w, 6, d.fit(d.w.t("fleet.pdf.totals", d.w.n("merchants", len(rep.Merchants)), totalsLine(d.w, rep)), w-12), "", 2, "C", false, 0, "")
	p.SetXY(marginSide, y+boxH+6)

	labels := []string{"fleet.pdf.fleet_run", "fleet.pdf.previous", "fleet.pdf.generated"}
	d.font("B", 10, colorMuted)
	d.keyW = 32
	for _, k := range labels {
		d.keyW = max(d.keyW, p.GetStringWidth(d.w.t(k))+3)
	}
	d.keyValue(d.w.t(labels[0]), rep.FleetRun)
	d.keyValue(d.w.t(labels[1]), orDash(rep.PreviousFleetRun))
	d.keyValue(d.w.t(labels[2]), rep.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC"))
	p.Ln(3)

	// One bar per verdict, scaled to the fleet.
	d.subheading(d.w.t("fleet.pdf.verdicts"))
	total := max(len(rep.Merchants), 1)
	for _, v := range []Verdict{Go, NoGo, Undetermined} {
		d.countBar(string(v), rep.Totals[v], total, verdictColor(v))
	}
	p.Ln(3)
	d.subheading(d.w.t("fleet.pdf.saq"))
	for _, name := range slices.Sorted(maps.Keys(rep.SAQ)) {
		d.countBar("SAQ "+name, rep.SAQ[name], total, colorBlue)
	}
}

// countBar draws "label  ████ n" with the bar's length n/total of the width.
func (d *fleetDoc) countBar(label string, n, total int, c rgb) {
	const labelW, countW = 40.0, 18.0
	p := d.pdf
	pageW, _ := p.GetPageSize()
	barW := pageW - 2*marginSide - labelW - countW
	d.ensureSpace(7)
	y := p.GetY()
	d.font("", 9, colorText)
	p.CellFormat(labelW, 6, d.fit(label, labelW-2), "", 0, "L", false, 0, "")
	if n > 0 {
		p.SetFillColor(c.parts())
		p.Rect(marginSide+labelW, y+1, max(barW*float64(n)/float64(total), 0.8), 4, "F")
	}
	p.SetXY(marginSide+labelW+barW, y)
	p.CellFormat(countW, 6, fmt.Sprint(n), "", 1, "R", false, 0, "")
}

func (d *fleetDoc) failingSteps() {
	if len(d.rep.FailingSteps) == 0 {
		return
	}
	d.pdf.AddPage()
	d.heading(d.w.t("fleet.md.most_failing"))
	rows := [][]string{}
	for _, fs := range d.rep.FailingSteps[:min(3*fleetTop, len(d.rep.FailingSteps))] {
		rows = append(rows, []string{fmt.Sprint(fs.Merchants), fs.ID, d.w.severity(fs.Severity), fs.Title})
	}
	d.table([]string{d.w.t("fleet.col.merchants"), d.w.t("col.step"), d.w.t("col.severity"), d.w.t("col.title")}, []float64{20, 62, 18, 80}, rows, nil)
}

func (d *fleetDoc) regressions() {
	if d.rep.PreviousFleetRun == "" {
		return
	}
	d.ensureSpace(30)
	d.pdf.Ln(4)
	d.heading(d.w.t("fleet.md.regressed", d.rep.PreviousFleetRun, len(d.rep.Regressed)))
	for _, r := range d.rep.Regressed {
		d.bullet(fmt.Sprintf("%s: %s → %s %s", r.Merchant, r.OldVerdict, r.NewVerdict, strings.Join(r.Steps, ", ")))
	}
}

func (d *fleetDoc) waivers() {
	if len(d.rep.ExpiringWaivers) == 0 {
		return
	}
	d.ensureSpace(30)
	d.pdf.Ln(4)
	d.heading(d.w.t("fleet.md.expiring"))
	rows := [][]string{}
	for _, e := range d.rep.ExpiringWaivers {
		rows = append(rows, []string{e.Merchant, e.ID, e.ApprovedBy, d.w.t("fleet.pdf.days_left", e.Expires, e.DaysLeft)})
	}
	d.table([]string{d.w.t("fleet.col.merchant"), d.w.t("col.step"), d.w.t("pdf.approved_by"), d.w.t("fleet.col.expires")}, []float64{40, 62, 42, 36}, rows, nil)
}

func (d *fleetDoc) merchants() {
	d.pdf.AddPage()
	d.heading(d.w.t("fleet.col.merchants"))
	rows := [][]string{}
	var colors []rgb
	for _, m := range d.rep.Merchants {
		note := m.Error
		if note == "" {
			note = d.w.t("fleet.pdf.note", d.w.count(Fail, m.Summary.Fail), d.w.count(Error, m.Summary.Error), d.w.count(Pending, m.Summary.Pending), m.Summary.Total)
		}
		rows = append(rows, []string{m.ID, string(m.Verdict), dash(m.SAQ), note})
		colors = append(colors, verdictColor(m.Verdict))
	}
	d.table([]string{d.w.t("fleet.col.merchant"), d.w.t("fleet.col.verdict"), d.w.t("fleet.col.saq"), d.w.t("fleet.col.steps")}, []float64{55, 28, 17, 80}, rows, colors)
}

// table draws single-line rows (cut to fit), repeating the header on each
// new page; colors, when given, ink each row's second column.
func (d *fleetDoc) table(header []string, widths []float64, rows [][]string, colors []rgb) {
	p := d.pdf
	const rowH = 5.5
	head := func() {
		d.font("B", 8, colorMuted)
		for i, h := range header {
			p.CellFormat(widths[i], rowH, h, "B", 0, "L", false, 0, "")
		}
		p.Ln(rowH)
	}
	head()
	for r, row := range rows {
		if _, pageH := p.GetPageSize(); p.GetY()+rowH > pageH-marginBottom {
			p.AddPage()
			head()
		}
		for i, cell := range row {
			ink := colorText
			if i == 1 && colors != nil {
				ink = colors[r]
			}
			d.font("", 8, ink)
			p.CellFormat(widths[i], rowH, d.fit(cell, widths[i]-1.5), "", 0, "L", false, 0, "")
		}
		p.Ln(rowH)
	}
}
