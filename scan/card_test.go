package scan

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBrandLengths: the table is what brand says, over every four-digit
// prefix and length.
func TestBrandLengths(t *testing.T) {
	var want [100]lengthSet
	d := []byte("0000000000000000000")
	for p4 := range 10000 {
		d[0], d[1], d[2], d[3] = byte('0'+p4/1000), byte('0'+p4/100%10), byte('0'+p4/10%10), byte('0'+p4%10)
		for n := minPAN; n <= maxPAN; n++ {
			if brand(d[:n]) != "" {
				want[p4/100] |= 1 << (n - minPAN)
			}
		}
	}
	if want != brandLengths {
		var b strings.Builder
		for i, v := range want {
			fmt.Fprintf(&b, "0x%02x, ", uint8(v))
			if i%10 == 9 {
				b.WriteString("\n")
			}
		}
		t.Fatalf("brandLengths is not what brand says; it should read:\n%s", b.String())
	}
}

// validPAN's length table drops only what brand and Luhn drop: on random
// numbers of every prefix and length, and on every brand's ranges.
func TestBrandLengthsDropNoCard(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	reference := func(d []byte) string {
		if !luhn(d) {
			return ""
		}
		return brand(d)
	}
	var d [maxPAN]byte
	cards := 0
	for range 200000 {
		n := minPAN + r.IntN(maxPAN-minPAN+1)
		for i := range n {
			d[i] = byte('0' + r.IntN(10))
		}
		if r.IntN(2) == 0 { // a known brand's prefix, made Luhn-valid: most draws pass
			pre := []string{"4", "51", "2221", "2720", "34", "37", "6011", "644", "65", "62", "300", "3095", "36", "38", "3528", "3589", "50", "5018", "6304", "6759", "2200", "9792", "60", "81", "508", "1", "7", "0"}[r.IntN(28)]
			copy(d[:], pre)
			for c := byte('0'); c <= '9'; c++ {
				if d[n-1] = c; luhn(d[:n]) {
					break
				}
			}
		}
		want := reference(d[:n])
		require.Equal(t, want, validPAN(d[:n]), "%s", d[:n])
		if want != "" {
			cards++
		}
	}
	assert.Greater(t, cards, 30000, "the draws hold many cards")
	assert.Empty(t, validPAN([]byte("915429589919248221")), "an 18-digit build id: no brand issues 18 digits starting 91")
	assert.Equal(t, Visa, validPAN([]byte("4111111111111111")))
	assert.Empty(t, validPAN([]byte("41111111111111111111")), "longer than any card")
}
