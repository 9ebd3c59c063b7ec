package reports

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHasCJK(t *testing.T) {
	for s, want := range map[string]bool{
		"株式会社テスト":          true,
		"ひらがな":             true,
		"한국어":              true,
		"Café Étoile SARL": false,
		"Größe — “x” €":    false,
		"Shop（東京）":         true,
		"ＡＢＣ":              true, // full-width forms
		"":                 false,
	} {
		assert.Equal(t, want, hasCJK(s), s)
	}
}

// cjkFixture is the PDF fixture of a Japanese merchant, with a Japanese
// waiver reason and message.
func cjkFixture() *Result {
	r := pdfFixture()
	r.Merchant = "株式会社テスト"
	r.Steps[0].Message = "ロゴがありません: upload it"
	return r
}

// installedCJKFont is the default font the test machine has: setup.sh
// installs fonts-ipafont-gothic.
func installedCJKFont(t *testing.T) string {
	t.Helper()
	for _, f := range DefaultCJKFonts() {
		if _, err := os.Stat(f); err == nil {
			return f
		}
	}
	require.FailNow(t, "no CJK font: run scripts/setup.sh (fonts-ipafont-gothic)")
	return ""
}

// TestPDFDrawsCJK: a Japanese merchant name is drawn with the CJK font
// (pdftotext reads it back, pdffonts lists the font), the Latin text stays
// in DejaVu, and nobody is warned.
func TestPDFDrawsCJK(t *testing.T) {
	font := installedCJKFont(t)
	var warnings []string
	var buf bytes.Buffer
	require.NoError(t, PDF(&buf, cjkFixture(), Options{CJKFonts: []string{font}, Warn: func(m string) { warnings = append(warnings, m) }}))
	assert.Empty(t, warnings)
	text, _ := pdfText(t, buf.Bytes())
	assert.Contains(t, text, "株式会社テスト")
	assert.Contains(t, text, "ロゴがありません: upload it")
	assert.Contains(t, text, "Go-live readiness report")

	file := filepath.Join(t.TempDir(), "audit.pdf")
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))
	fonts, err := exec.Command(popplerTool(t, "pdffonts"), file).Output()
	require.NoError(t, err)
	assert.Contains(t, string(fonts), "utf8dejavu ")
	assert.Contains(t, string(fonts), "utf8cjk ", "the CJK font is embedded")

	// Only documents with CJK text pay for the font.
	var latin bytes.Buffer
	require.NoError(t, PDF(&latin, pdfFixture(), Options{CJKFonts: []string{font}}))
	require.NoError(t, os.WriteFile(file, latin.Bytes(), 0o644))
	fonts, err = exec.Command(popplerTool(t, "pdffonts"), file).Output()
	require.NoError(t, err)
	assert.NotContains(t, string(fonts), "utf8cjk")
}

// TestPDFWithoutCJKFont: with no CJK font the PDF is still written, and
// the warning says what could not be drawn and how to fix it.
func TestPDFWithoutCJKFont(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "not-a-font.ttf")
	require.NoError(t, os.WriteFile(bad, []byte("not a font"), 0o644))
	for name, fonts := range map[string][]string{
		"missing":  {filepath.Join(t.TempDir(), "absent.ttf")},
		"not TTF":  {bad},
		"no fonts": {},
		"OpenType": {"testdata/otto.otf"},
	} {
		t.Run(name, func(t *testing.T) {
			var warnings []string
			var buf bytes.Buffer
			require.NoError(t, PDF(&buf, cjkFixture(), Options{CJKFonts: fonts, Warn: func(m string) { warnings = append(warnings, m) }}))
			require.Len(t, warnings, 1)
			assert.Contains(t, warnings[0], "empty boxes")
			assert.Contains(t, warnings[0], "fonts-ipafont-gothic")
			for _, f := range fonts {
				assert.Contains(t, warnings[0], f)
			}
			text, pages := pdfText(t, buf.Bytes())
			assert.Greater(t, pages, 1)
			assert.Contains(t, text, "Go-live readiness report")
		})
	}
}

// TestPDFCJKFallbackCost keeps the price of the fallback in view: the
// document embeds a subset of the font, not the 6 MB file.
func TestPDFCJKFallbackCost(t *testing.T) {
	font := installedCJKFont(t)
	var latin, cjk bytes.Buffer
	start := time.Now()
	require.NoError(t, PDF(&latin, pdfFixture(), Options{}))
	mid := time.Now()
	require.NoError(t, PDF(&cjk, cjkFixture(), Options{CJKFonts: []string{font}}))
	t.Logf("Latin PDF %d bytes in %s; Japanese PDF %d bytes (+%d) in %s", latin.Len(), mid.Sub(start), cjk.Len(), cjk.Len()-latin.Len(), time.Since(mid))
	assert.Less(t, cjk.Len()-latin.Len(), 200<<10, "a subset of the font, not all of it")
}
