package scan

import (
	"bufio"
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Entries read back as written, whether decoded in the reader's buffer or
// piece by piece (long values, an entry across the buffer's end), and a
// spill cut short is an error.
func TestReadEntry(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var want []entry
	var enc []byte
	for i := range 3000 {
		e := entry{
			line: r.IntN(1 << (r.IntN(40) + 1)), column: r.IntN(1 << 20), typ: r.IntN(300), brand: r.IntN(5), kind: r.IntN(200),
			test: r.IntN(2) == 0, live: r.IntN(2) == 0, first: r.IntN(20), last: r.IntN(20),
			masked: strings.Repeat("x", r.IntN(40)),
		}
		if i%50 == 0 {
			e.masked = strings.Repeat("é", r.IntN(600)+quickEntry)
		}
		want = append(want, e)
		enc = appendEntry(enc, e)
	}
	for _, size := range []int{16, 100, 16 << 10} {
		br := bufio.NewReaderSize(bytes.NewReader(enc), size)
		var scratch []byte
		for i, w := range want {
			got, err := readEntry(br, &scratch)
			require.NoError(t, err, "entry %d, buffer %d", i, size)
			require.Equal(t, w, got, "entry %d, buffer %d", i, size)
		}
		_, err := readEntry(br, &scratch)
		assert.Equal(t, io.EOF, err)
	}
	for _, cut := range []int{1, 3, 7, len(enc) - 1} {
		br := bufio.NewReaderSize(bytes.NewReader(enc[:cut]), 16<<10)
		var scratch []byte
		var err error
		for err == nil {
			_, err = readEntry(br, &scratch)
		}
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "cut at %d", cut)
	}
}
