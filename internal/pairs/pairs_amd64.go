package pairs

import (
	"math/bits"

	"golang.org/x/sys/cpu"
)

// hasVector is whether the vector search can run: AVX2, 32 offsets a step.
func hasVector() bool { return cpu.X86.HasAVX2 }

// block is how many offsets one step of search judges.
const block = 32

// search returns the offset of the first block of text (32 offsets; it
// reads one byte past them) holding a candidate pair, and which of its
// offsets are candidates (bit k: off+k). When none does before fewer than
// 33 bytes are left, mask is 0 and off is where they start.
//
//go:noescape
func search(text []byte, tables *[4][32]byte) (off int, mask uint32)

// vectorIndex is Index by the vector search over whole blocks, then the
// last bytes one by one.
func (s *Set) vectorIndex(text []byte) int {
	off := 0
	for {
		at, mask := search(text[off:], &s.tables)
		off += at
		if mask == 0 {
			break
		}
		for ; mask != 0; mask &= mask - 1 {
			if i := off + bits.TrailingZeros32(mask); s.Has(text[i], text[i+1]) {
				return i
			}
		}
		off += block
	}
	for i := off; i+1 < len(text); i++ {
		if s.Has(text[i], text[i+1]) {
			return i
		}
	}
	return -1
}
