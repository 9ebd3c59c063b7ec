// Package pairs finds where any of a set of two-byte sequences occurs in
// text. The provider packs' credential rules are found from such anchors
// (two bytes of each literal prefix: "k_" of sk_live_, "KI" of AKIA): one
// pass for all of them, instead of one search per anchor stopping at every
// 'k' or 'A' of ordinary text, is most of what a scan for secrets costs.
package pairs

import "bytes"

// Set is a set of byte pairs; it is read-only once built, so one Set
// serves any number of goroutines.
type Set struct {
	member [1 << 16 / 64]uint64 // bit a<<8|b: the pair ab is in the set
	firsts []byte               // the distinct first bytes (the portable search)
	// Nibble tables of the vector search: bit k of lo0[a&15] & hi0[a>>4]
	// & lo1[b&15] & hi1[b>>4] is set for every pair ab of bucket k (and for
	// a few others when buckets are shared: they are checked on member).
	tables [4][32]byte
	vector bool // the vector search runs (the processor has it)
}

// New is the set of the given pairs.
func New(pairs [][2]byte) *Set {
	s := &Set{vector: hasVector()}
	bucket := map[byte]uint{} // pairs with the same first byte share a bucket
	for _, p := range pairs {
		a, b := p[0], p[1]
		s.member[(uint(a)<<8|uint(b))/64] |= 1 << ((uint(a)<<8 | uint(b)) % 64)
		k, ok := bucket[a]
		if !ok {
			k = uint(len(s.firsts)) % 8
			bucket[a] = k
			s.firsts = append(s.firsts, a)
		}
		for _, lane := range []int{0, 16} { // VPSHUFB looks up within each 16-byte lane
			s.tables[0][lane+int(a&15)] |= 1 << k
			s.tables[1][lane+int(a>>4)] |= 1 << k
			s.tables[2][lane+int(b&15)] |= 1 << k
			s.tables[3][lane+int(b>>4)] |= 1 << k
		}
	}
	return s
}

// Has reports whether ab is a pair of s.
func (s *Set) Has(a, b byte) bool {
	i := uint(a)<<8 | uint(b)
	return s.member[i/64]>>(i%64)&1 != 0
}

// Index returns the first offset i of text where text[i] and text[i+1]
// are a pair of s, or -1.
func (s *Set) Index(text []byte) int {
	if s.vector {
		return s.vectorIndex(text)
	}
	return s.portableIndex(text)
}

// portableIndex is Index by one bytes.IndexByte search per first byte
// (vectorised on every platform Go supports), each up to the nearest pair
// found so far: a text is searched once per first byte over a caller's
// successive calls.
func (s *Set) portableIndex(text []byte) int {
	best := len(text) - 1 // a pair starts before the last byte
	if best <= 0 {
		return -1
	}
	for _, c := range s.firsts {
		for from := 0; from < best; {
			q := bytes.IndexByte(text[from:best], c)
			if q < 0 {
				break
			}
			q += from
			if s.Has(c, text[q+1]) {
				best = q
				break
			}
			from = q + 1
		}
	}
	if best == len(text)-1 {
		return -1
	}
	return best
}
