package scan

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// referenceJSON is the finding as encoding/json writes it from the
// struct tags: what AppendJSON must reproduce byte for byte.
func referenceJSON(t testing.TB, f Finding) []byte {
	type pan Finding // without the methods
	var b []byte
	var err error
	if f.Type == TypePAN {
		b, err = json.Marshal(pan(f))
	} else {
		b, err = json.Marshal(struct {
			Type   string `json:"type"`
			Kind   string `json:"kind"`
			Masked string `json:"masked"`
			Live   bool   `json:"live"`
			File   string `json:"file"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		}{f.Type, f.Kind, f.Masked, f.Live, f.File, f.Line, f.Column})
	}
	require.NoError(t, err)
	return b
}

func checkFindingJSON(t testing.TB, f Finding) {
	want := referenceJSON(t, f)
	require.Equal(t, string(want), string(f.AppendJSON([]byte("x"))[1:]), "AppendJSON of %#v", f)
	got, err := json.Marshal(f)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "json.Marshal of %#v", f)
}

func TestFindingJSONIsEncodingJSON(t *testing.T) {
	odd := []string{"", "a\"b", `back\slash`, "<script>&amp;", "tab\there\nnl\r\b\f", "\x00\x1f\x7f", "caf\xc3\xa9 •", "\xff\xfe bad",
		"\xe2\x80\xa8 line sep \u2029", "\xed\xa0\x80 surrogate", "411111******1111", "sk_live_…(sha256:1f2e3d4c)", "a.zip!dir/x y.log", "\xc3"}
	for _, typ := range []string{TypePAN, TypeSecret, TypeSAD} {
		for _, s := range odd {
			checkFindingJSON(t, Finding{Type: typ, Brand: s, Kind: s, Masked: s, File: s, Line: 7, Column: 1 << 40, Live: true})
			checkFindingJSON(t, Finding{Type: typ, Masked: s, File: s, TestCard: true, Line: -1})
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []string{"a", "Z", "0", "*", " ", "\"", "\\", "<", ">", "&", "\n", "\x01", "\x7f", "é", "•", "\u2028", "\u2029", "\xff", "\xe2\x80", "\U0001F600"}
	str := func() string {
		s := ""
		for range r.IntN(12) {
			s += alphabet[r.IntN(len(alphabet))]
		}
		return s
	}
	for range 2000 {
		checkFindingJSON(t, Finding{Type: []string{TypePAN, TypeSecret, TypeSAD, str()}[r.IntN(4)], Brand: str(), Kind: str(), Masked: str(),
			TestCard: r.IntN(2) == 0, Live: r.IntN(2) == 0, File: str(), Line: r.IntN(1 << 20), Column: r.IntN(300)})
	}
}

// appendJSONString reads eight bytes a step: a byte to escape (or
// non-ASCII) at every place of a word is seen.
func TestAppendJSONStringEveryPlace(t *testing.T) {
	for c := range 256 {
		for at := range 18 {
			b := []byte(strings.Repeat("a", 18))
			b[at] = byte(c)
			want, err := json.Marshal(string(b))
			require.NoError(t, err)
			require.Equal(t, string(want), string(appendJSONString(nil, string(b))), "byte %#x at %d", c, at)
		}
	}
}

func FuzzFindingJSON(f *testing.F) {
	f.Add("pan", "visa", "", "411111******1111", "logs/a<b>.log\u2028", 3, 9)
	f.Add("secret", "", "stripe_live_secret_key", "sk_live_…(sha256:1f2e3d4c)", "a\xffb", 1, 1)
	f.Fuzz(func(t *testing.T, typ, brand, kind, masked, file string, line, col int) {
		checkFindingJSON(t, Finding{Type: typ, Brand: brand, Kind: kind, Masked: masked, File: file, Line: line, Column: col, Live: line%2 == 0, TestCard: col%2 == 0})
	})
}
