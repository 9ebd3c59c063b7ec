package scan

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDetectMaskedPANs(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // "type brand masked <- raw"
	}{
		{"six and four", "card 411111******1111 ok", []string{"masked_pan visa(notlive) 411111******1111 411111******1111"}},
		{"grouped", "card 4111 11** **** 1111.", []string{"masked_pan visa(notlive) 4111 11** **** 1111 4111 11** **** 1111"}},
		{"last four", "pan=************1111;", []string{"masked_pan (notlive) ************1111 ************1111"}},
		{"bullets", "•••• •••• •••• 4242", []string{"masked_pan (notlive) •••• •••• •••• 4242 •••• •••• •••• 4242"}},
		{"x groups", "XXXX-XXXX-XXXX-1111", []string{"masked_pan (notlive) XXXX-XXXX-XXXX-1111 XXXX-XXXX-XXXX-1111"}},
		{"thirteen visible", "pan=411111111***1111 ok", []string{"masked_pan visa 411111******1111 411111111***1111"}},
		{"eight trailing", "**** **** 1111 1111", []string{"masked_pan  **** **** **** 1111 **** **** 1111 1111"}},
		{"amex 4-6-5", "3782 82**** 10005", []string{"masked_pan amex 3782 82**** *0005 3782 82**** 10005"}},
		{"short is no card", "****1111", nil},
		{"hex literal", "0x0000000000000001", nil},
		{"unknown brand", "999999******1111", nil},
		{"one mask", "4111111111111*11", nil},
		{"cvv after", "4111 11** **** 1111 123", []string{"masked_pan visa(notlive) 4111 11** **** 1111 4111 11** **** 1111"}},
		{"glued", "id411111******1111", nil},
		{"date and time", "2026-11-23 10:00:00 **** 12", nil},
		{"full pan stays a pan", "4539578763621486", []string{"pan visa 453957******1486 4539578763621486"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, detectAll(tt.in))
		})
	}
}

func TestRedactMasksFurther(t *testing.T) {
	assert.Equal(t, "refund 411111******1111 done", Redact("refund 411111111***1111 done"))
	assert.Equal(t, "refund 411111******1111 done", Redact("refund 411111******1111 done"))
}
