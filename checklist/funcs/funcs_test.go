package funcs

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

var testNow = time.Date(2026, 11, 23, 22, 30, 0, 0, time.FixedZone("CET", 3600))

// eval evaluates src as a checklist would: parsed by HCL, with the domain
// functions and vars as var.*.
func eval(t *testing.T, opt Options, src string, vars map[string]cty.Value) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.hcl", hcl.InitialPos)
	require.False(t, diags.HasErrors(), diags.Error())
	ctx := &hcl.EvalContext{
		Functions: Domain(opt),
		Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)},
	}
	return expr.Value(ctx)
}

func evalBool(t *testing.T, src string) bool {
	t.Helper()
	v, diags := eval(t, Options{Now: func() time.Time { return testNow }}, src, nil)
	require.False(t, diags.HasErrors(), diags.Error())
	require.Equal(t, cty.Bool, v.Type())
	return v.True()
}

func TestIBAN(t *testing.T) {
	tests := []struct {
		iban    string
		valid   bool
		country string
	}{
		{"FR1420041010050500013M02606", true, "FR"},
		{"FR14 2004 1010 0505 0001 3M02 606", true, "FR"},
		{"DE89370400440532013000", true, "DE"},
		{"de89 3704 0044 0532 0130 00", true, "DE"}, // lower case is accepted
		{"GB82WEST12345698765432", true, "GB"},
		{"GB29NWBK60161331926819", true, "GB"},
		{"NO9386011117947", true, "NO"},                   // shortest
		{"LC55HEMM000100010012001200023015", true, "LC"},  // 32
		{"RU0304452522540817810538091310419", true, "RU"}, // longest
		{"MT84MALT011000012345MTLCAST001S", true, "MT"},   // letters in the account
		{"BR1800360305000010009795493C1", true, "BR"},     // 1a1c at the end
		{"MU17BOMM0101101030300200000MUR", true, "MU"},    // currency suffix
		{"DE89370400440532013001", false, ""},             // checksum
		{"DE8937040044053201300", false, ""},              // too short
		{"DE893704004405320130000", false, ""},            // too long
		{"FR802004101005050001", false, ""},               // checksum right, length wrong
		{"DE0537040044053201300A", false, ""},             // checksum right, letter where n
		{"GB55WEST1234569876543A", false, ""},             // same for GB
		{"DE01370400440532013032", false, ""},             // 01 ≡ 98 mod 97, never issued
		{"DE98370400440532013032", true, "DE"},            // … the issued one
		{"XX89370400440532013000", false, ""},             // not a registry country
		{"GF1420041010050500013M02606", false, ""},        // French Guiana banks use FR
		{"DE89-3704-0044-0532-0130-00", false, ""},        // only spaces are separators
		{"", false, ""},
		{"DE", false, ""},
		{"DE8!370400440532013000", false, ""},
		{"GB82WEſT12345698765432", false, ""}, // ſ upper-cases to S in Unicode
	}
	for _, tt := range tests {
		t.Run(tt.iban, func(t *testing.T) {
			assert.Equal(t, tt.valid, IBANValid(tt.iban))
			assert.Equal(t, tt.country, IBANCountry(tt.iban))
			assert.Equal(t, tt.valid, evalBool(t, `iban_valid("`+tt.iban+`")`))
		})
	}
}

// TestIBANRegistry checks the embedded table against the registry's own
// example IBAN of each country: length, structure and checksum together.
func TestIBANRegistry(t *testing.T) {
	examples := strings.Fields(`AD1200012030200359100100 AE070331234567890123456
		AL47212110090000000235698741 AT611904300234573201 AZ21NABZ00000000137010001944
		BA391290079401028494 BE68539007547034 BG80BNBG96611020345678 BH67BMAG00001299123456
		BI4210000100010000332045181 BR1800360305000010009795493C1 BY13NBRB3600900000002Z00AB00
		CH9300762011623852957 CR05015202001026284066 CY17002001280000001200527600
		CZ6508000000192000145399 DE89370400440532013000 DJ2100010000000154000100186
		DK5000400440116243 DO28BAGR00000001212453611324 EE382200221020145685
		EG380019000500000000263180002 ES9121000418450200051332 FI2112345600000785
		FK88SC123456789012 FO6264600001631634 FR1420041010050500013M02606
		GB29NWBK60161331926819 GE29NB0000000101904917 GI75NWBK000000007099453
		GL8964710001000206 GR1601101250000000012300695 GT82TRAJ01020000001210029690
		HN88CABF00000000000250005469 HR1210010051863000160 HU42117730161111101800000000
		IE29AIBK93115212345678 IL620108000000099999999 IQ98NBIQ850123456789012
		IS140159260076545510730339 IT60X0542811101000000123456 JO94CBJO0010000000000131000302
		KW81CBKU0000000000001234560101 KZ86125KZT5004100100 LB62099900000001001901229114
		LC55HEMM000100010012001200023015 LI21088100002324013AA LT121000011101001000
		LU280019400644750000 LV80BANK0000435195001 LY83002048000020100120361
		MC5811222000010123456789030 MD24AG000225100013104168 ME25505000012345678951
		MK07250120000058984 MN121234123456789123 MR1300020001010000123456753
		MT84MALT011000012345MTLCAST001S MU17BOMM0101101030300200000MUR
		NI45BAPR00000013000003558124 NL91ABNA0417164300 NO9386011117947
		OM810180000001299123456 PK36SCBL0000001123456702 PL61109010140000071219812874
		PS92PALS000000000400123456702 PT50000201231234567890154
		QA58DOHB00001234567890ABCDEFG RO49AAAA1B31007593840000 RS35260005601001611379
		RU0304452522540817810538091310419 SA0380000000608010167519
		SC18SSCB11010000000000001497USD SD2129010501234001 SE4550000000058398257466
		SI56263300012039086 SK3112000000198742637541 SM86U0322509800000000270100
		SO211000001001000100141 ST68000100010051845310112 SV62CENR00000000000000700025
		TL380080012345678910157 TN5910006035183598478831 TR330006100519786457841326
		UA213223130000026007233566001 VA59001123000012345678 VG96VPVG0000012345678901
		XK051212012345678906 YE15CBYE0001018861234567891234`)
	seen := map[string]bool{}
	for _, iban := range examples {
		assert.True(t, IBANValid(iban), iban)
		seen[iban[:2]] = true
	}
	for country := range ibanFormats {
		assert.True(t, seen[country], "no registry example for %s", country)
	}
}

func TestVAT(t *testing.T) {
	tests := []struct {
		vat   string
		valid bool
	}{
		{"FR40303265045", true},
		{"FR 40 303 265 045", true},
		{"fr40303265045", true},
		{"FR41303265045", false}, // key
		{"FR4030326504", false},  // length
		{"FRAB303265045", true},  // alphabetic keys: format only
		{"FRIB303265045", false}, // I and O are never used in keys
		{"DE136695976", true},
		{"DE136695978", false},
		{"DE13669597", false},
		{"GB980780684", true}, // mod 97
		{"GB434031494", true}, // 9755
		{"GB123456782", true},
		{"GB123456783", false},
		{"GB980780684001", true}, // branch suffix
		{"GBGD001", true},
		{"GBGD500", false},
		{"GBHA599", true},
		{"XI980780684", true},
		{"IT00743110157", true},
		{"IT00743110158", false},
		{"IT00000000000", false}, // office code 0
		{"ESA28015865", true},    // CIF, digit control
		{"ESB58378431", true},
		{"ESA2801586A", false}, // A-type CIFs take a digit
		{"ESQ2826000H", true},  // public body: letter control
		{"ES12345678Z", true},  // NIF
		{"ES12345678A", false},
		{"ESX2482300W", true}, // NIE
		{"ESX2482300A", false},
		{"NL004495445B01", true}, // mod 11
		{"NL004495446B01", false},
		{"NL000099998B57", true}, // 2020 mod 97
		{"NL000099998B58", false},
		{"BE0403170701", true},
		{"BE0403.170.701", true},
		{"BE0403170702", false},
		{"BE2403170701", false},
		{"ATU13585627", true},
		{"ATU13585626", false},
		{"AT13585627", false},
		{"DK13585628", true}, // format only
		{"EL094259216", true},
		{"GR094259216", false}, // Greece is EL
		{"IE6388047V", true},
		{"IE1234567WA", true},
		{"PL52612345678", false},
		{"SE556036079301", true},
		{"SE556036079302", false},
		{"CHE123456789", false}, // not EU
		{"ESſ2826000H", false},  // ſ upper-cases to S in Unicode
		{"US123456789", false},
		{"", false},
		{"FR", false},
	}
	for _, tt := range tests {
		t.Run(tt.vat, func(t *testing.T) {
			assert.Equal(t, tt.valid, VATValid(tt.vat))
		})
	}
	assert.True(t, evalBool(t, `vat_valid("FR40303265045")`))
}

func TestPhoneValid(t *testing.T) {
	tests := []struct {
		number, region string
		valid          bool
	}{
		{"+33 1 42 68 53 00", "FR", true},
		{"01 42 68 53 00", "FR", true},
		{"01 42 68 53 00", "fr", true},
		{"+33 1 42 68 53 00", "DE", false}, // valid, but French
		{"+49 30 901820", "DE", true},
		{"030 901820", "DE", true},
		{"+44 20 7946 0958", "GB", true},
		{"+33 1 42", "FR", false},
		{"not a number", "FR", false},
		{"", "FR", false},
		{"+33 1 42 68 53 00", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.number+"/"+tt.region, func(t *testing.T) {
			assert.Equal(t, tt.valid, PhoneValid(tt.number, tt.region))
			assert.Equal(t, tt.valid, evalBool(t, `phone_valid("`+tt.number+`", "`+tt.region+`")`))
		})
	}
}

func TestEmailValid(t *testing.T) {
	tests := []struct {
		email string
		valid bool
	}{
		{"aide@cafe-etoile.fr", true},
		{"first.last+tag@mail.example.co.uk", true},
		{"Aide <aide@cafe-etoile.fr>", false},
		{"<aide@cafe-etoile.fr>", false},
		{"aide@localhost", false},
		{"aide@.fr", false},
		{"aide@cafe-etoile.", false},
		{"aide@cafe..fr", false},
		{"aide.cafe-etoile.fr", false},
		{" aide@cafe-etoile.fr", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			assert.Equal(t, tt.valid, EmailValid(tt.email))
		})
	}
	assert.True(t, evalBool(t, `email_valid("aide@cafe-etoile.fr")`))
}

func TestLuhnValid(t *testing.T) {
	tests := []struct {
		s     string
		valid bool
	}{
		{"4111111111111111", true},
		{"4111 1111 1111 1111", true},
		{"4111-1111-1111-1111", true},
		{"4111111111111112", false},
		{"5555555555554444", true},
		{"378282246310005", true},
		{"79927398713", true},
		{"0", false}, // a lone check digit proves nothing
		{"00", true},
		{"4111x111111111111", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			assert.Equal(t, tt.valid, LuhnValid(tt.s))
			assert.Equal(t, tt.valid, evalBool(t, `luhn_valid("`+tt.s+`")`))
		})
	}
}

func TestDaysUntil(t *testing.T) {
	// testNow is 2026-11-23 22:30 CET, i.e. 21:30 UTC: today is the 23rd.
	tests := []struct {
		date string
		want int
	}{
		{"2026-11-23", 0},
		{"2026-11-24", 1},
		{"2026-11-22", -1},
		{"2027-08", 281},                 // 2027-08-31
		{"2026-11", 7},                   // 2026-11-30
		{"2024-02", -998},                // 2024-02-29, leap year
		{"2026-11-24T00:30:00+01:00", 0}, // the 23rd in UTC
		{"2026-12-31T23:00:00Z", 38},
		{"9999-12-31", 2912116},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			got, err := DaysUntil(testNow, tt.date)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)

			v, diags := eval(t, Options{Now: func() time.Time { return testNow }}, `days_until("`+tt.date+`")`, nil)
			require.False(t, diags.HasErrors(), diags.Error())
			assert.True(t, v.Equals(cty.NumberIntVal(int64(tt.want))).True(), v.GoString())
		})
	}

	for _, bad := range []string{"", "23/11/2026", "2026-13-01", "2026-02-30", "2026"} {
		t.Run("invalid "+bad, func(t *testing.T) {
			_, err := DaysUntil(testNow, bad)
			require.Error(t, err)
			_, diags := eval(t, Options{Now: func() time.Time { return testNow }}, `days_until("`+bad+`")`, nil)
			require.True(t, diags.HasErrors())
			assert.Contains(t, diags[0].Detail, "is not a date")
			assert.Equal(t, 1, diags[0].Subject.Start.Line)
		})
	}
}

func TestSemverAtLeast(t *testing.T) {
	tests := []struct {
		version, minimum string
		want             bool
	}{
		{"2.1.0", "2.0.0", true},
		{"v2.1.0", "2.1.0", true},
		{"2.1.0", "v2.1.1", false},
		{"2.10.0", "2.9.0", true}, // numeric, not lexical
		{"2.1.0-beta.1", "2.1.0", false},
		{"2.1.0+build.7", "2.1.0", true},
		{"3", "2.9.9", true},
		{"1.2", "1.2.0", true},
	}
	for _, tt := range tests {
		t.Run(tt.version+">="+tt.minimum, func(t *testing.T) {
			assert.Equal(t, tt.want, evalBool(t, `semver_at_least("`+tt.version+`", "`+tt.minimum+`")`))
		})
	}
	_, diags := eval(t, Options{}, `semver_at_least("latest", "1.0.0")`, nil)
	require.True(t, diags.HasErrors())
	assert.Contains(t, diags[0].Detail, `"latest" is not a semantic version`)
}

func writeImages(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	img := image.NewPaletted(image.Rect(0, 0, 120, 40), color.Palette{color.White, color.Black})
	encoders := map[string]func(*bytes.Buffer) error{
		"logo.png": func(b *bytes.Buffer) error { return png.Encode(b, img) },
		"logo.jpg": func(b *bytes.Buffer) error { return jpeg.Encode(b, img, nil) },
		"logo.gif": func(b *bytes.Buffer) error { return gif.Encode(b, img, nil) },
	}
	for name, enc := range encoders {
		var b bytes.Buffer
		require.NoError(t, enc(&b))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o600))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "logo.svg"), []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), 0o600))
	return dir
}

func TestImageInfo(t *testing.T) {
	dir := writeImages(t)
	for _, tt := range []struct{ file, format string }{
		{"logo.png", "png"}, {"logo.jpg", "jpeg"}, {"logo.gif", "gif"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			st, err := os.Stat(filepath.Join(dir, tt.file))
			require.NoError(t, err)
			v, diags := eval(t, Options{BaseDir: dir}, `image_info("`+tt.file+`")`, nil)
			require.False(t, diags.HasErrors(), diags.Error())
			want := cty.ObjectVal(map[string]cty.Value{
				"format": cty.StringVal(tt.format),
				"width":  cty.NumberIntVal(120),
				"height": cty.NumberIntVal(40),
				"bytes":  cty.NumberIntVal(st.Size()),
			})
			assert.True(t, want.RawEquals(v), v.GoString())
		})
	}
	for _, bad := range []string{"logo.svg", "missing.png"} {
		t.Run(bad, func(t *testing.T) {
			_, diags := eval(t, Options{BaseDir: dir}, `image_info("`+bad+`")`, nil)
			require.True(t, diags.HasErrors())
			assert.Contains(t, diags[0].Detail, bad)
		})
	}
}

// TestUnknownAndNull: at validate time probe facts and variables are
// unknown; the functions must type-check and stay unknown. Null strings
// are not valid values.
func TestUnknownAndNull(t *testing.T) {
	opt := Options{BaseDir: t.TempDir(), Now: func() time.Time { return testNow }}
	vars := map[string]cty.Value{
		"s":   cty.UnknownVal(cty.String),
		"dyn": cty.DynamicVal,
		"nul": cty.NullVal(cty.String),
	}
	tests := []struct {
		src  string
		want cty.Value
	}{
		{`iban_valid(var.s)`, cty.UnknownVal(cty.Bool)},
		{`iban_valid(var.dyn)`, cty.UnknownVal(cty.Bool)},
		{`iban_country(var.s)`, cty.UnknownVal(cty.String)},
		{`vat_valid(var.s)`, cty.UnknownVal(cty.Bool)},
		{`phone_valid(var.s, "FR")`, cty.UnknownVal(cty.Bool)},
		{`phone_valid("+33 1 42 68 53 00", var.s)`, cty.UnknownVal(cty.Bool)},
		{`email_valid(var.dyn)`, cty.UnknownVal(cty.Bool)},
		{`luhn_valid(var.s)`, cty.UnknownVal(cty.Bool)},
		{`days_until(var.s)`, cty.UnknownVal(cty.Number)},
		{`semver_at_least(var.s, "1.0.0")`, cty.UnknownVal(cty.Bool)},
		{`image_info(var.s)`, cty.UnknownVal(ImageType)},
		{`image_info(var.dyn).width`, cty.UnknownVal(cty.Number)},
		{`iban_valid(var.nul)`, cty.False},
		{`iban_country(var.nul)`, cty.StringVal("")},
		{`vat_valid(var.nul)`, cty.False},
		{`email_valid(var.nul)`, cty.False},
		{`luhn_valid(var.nul)`, cty.False},
		{`phone_valid(var.nul, "FR")`, cty.False},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			v, diags := eval(t, opt, tt.src, vars)
			require.False(t, diags.HasErrors(), diags.Error())
			if tt.want.IsKnown() {
				assert.True(t, tt.want.RawEquals(v), "got %#v", v)
				return
			}
			assert.False(t, v.IsKnown(), "got %#v", v)
			assert.True(t, tt.want.Type().Equals(v.Type()), "got %#v", v)
		})
	}
	for _, src := range []string{`days_until(var.nul)`, `semver_at_least(var.nul, "1.0.0")`, `image_info(var.nul)`} {
		t.Run(src, func(t *testing.T) {
			_, diags := eval(t, opt, src, vars)
			require.True(t, diags.HasErrors())
			assert.Contains(t, diags[0].Detail, "null")
		})
	}
}

func FuzzIBANValid(f *testing.F) {
	for _, s := range []string{"FR1420041010050500013M02606", "GB82 WEST 1234 5698 7654 32", "XX00", "", "DE8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		valid := IBANValid(s)
		country := IBANCountry(s)
		if valid != (country != "") {
			t.Fatalf("IBANValid(%q)=%v but IBANCountry=%q", s, valid, country)
		}
		if valid && len(normalizeIBAN(s)) != ibanLength(ibanFormats[country]) {
			t.Fatalf("%q valid with the wrong length", s)
		}
		if k := len(s) / 2; IBANValid(s[:k]+" "+s[k:]) != valid {
			t.Fatalf("a space changes the verdict on %q", s)
		}
	})
}

func FuzzVATValid(f *testing.F) {
	for _, s := range []string{"FR40303265045", "ESX2482300W", "NL000099998B57", "GBGD001", "ATU13585627", "ES", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		valid := VATValid(s)
		// Separators and case never change the verdict.
		k := len(s) / 2
		if spaced := s[:k] + " ." + s[k:]; VATValid(spaced) != valid {
			t.Fatalf("VATValid(%q)=%v but VATValid(%q)=%v", s, valid, spaced, !valid)
		}
		if valid && !VATValid(strings.ToLower(s)) {
			t.Fatalf("%q valid but not in lower case", s)
		}
	})
}

func ibanLength(format string) int {
	n, total := 0, 4
	for i := 0; i < len(format); i++ {
		if c := format[i]; c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		} else {
			total += n
			n = 0
		}
	}
	return total
}

func TestIBANTableLengths(t *testing.T) {
	// Spot checks of the registry's published lengths.
	for country, length := range map[string]int{"FR": 27, "DE": 22, "GB": 22, "NO": 15, "RU": 33, "LC": 32, "MT": 31, "NL": 18, "BR": 29} {
		assert.Equal(t, length, ibanLength(ibanFormats[country]), country)
	}
}

func BenchmarkIBANValid(b *testing.B) {
	for b.Loop() {
		IBANValid("FR14 2004 1010 0505 0001 3M02 606")
	}
}

func BenchmarkVATValid(b *testing.B) {
	for b.Loop() {
		VATValid("FR40303265045")
	}
}
