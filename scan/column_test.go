package scan

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// fieldAtBytewise is fieldAt one byte at a time, as it was written first:
// the reference of the word-at-a-time fieldAt.
func fieldAtBytewise(line []byte, n int) (int, []byte) {
	for k := 0; k < len(line); k++ {
		if !isAlnum(line[k]) || k > 0 && isAlnum(line[k-1]) {
			continue
		}
		if n > 0 {
			n--
			continue
		}
		e := k
		for e < len(line) && isDigit(line[e]) {
			e++
		}
		if e < len(line) && isAlpha(line[e]) {
			return k, nil
		}
		return k, line[k:e]
	}
	return 0, nil
}

// wordsInBytewise is wordsIn one byte at a time.
func wordsInBytewise(line []byte) int {
	n := 0
	for k := range line {
		if isAlnum(line[k]) && (k == 0 || !isAlnum(line[k-1])) {
			n++
		}
	}
	return n
}

// The word-at-a-time searches give what the byte-at-a-time ones give, on
// lines of every byte (letters and digits either side of every class
// boundary: @ [ ` {, / :, bytes with the high bit set).
func TestWordsFieldsAndNewlines(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	alphabets := []string{
		"a1 ,", "09azAZ@[`{/:\n\t", "x\n", "\x80\xff\xc2\xa0Zz9 ",
	}
	for range 20000 {
		line := make([]byte, r.IntN(80))
		abc := alphabets[r.IntN(len(alphabets))]
		for i := range line {
			if r.IntN(8) == 0 {
				line[i] = byte(r.IntN(256))
			} else {
				line[i] = abc[r.IntN(len(abc))]
			}
		}
		for n := range 12 {
			wk, wv := fieldAtBytewise(line, n)
			gk, gv := fieldAt(line, n)
			require.Equal(t, wk, gk, "%q field %d", line, n)
			require.Equal(t, wv, gv, "%q field %d", line, n)
		}
		require.Equal(t, bytes.LastIndexByte(line, '\n'), lastNewline(line), "%q", line)
		require.Equal(t, wordsInBytewise(line), wordsIn(line), "%q", line)
	}
}
