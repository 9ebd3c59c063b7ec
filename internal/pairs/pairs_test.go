package pairs

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// all is every offset where a pair starts, by successive calls to Index
// (as the credential search makes them).
func all(s *Set, text []byte) []int {
	var out []int
	for off := 0; ; {
		i := s.Index(text[off:])
		if i < 0 {
			return out
		}
		out = append(out, off+i)
		off += i + 1
	}
}

// naive is every offset where a pair starts, by definition.
func naive(pairs [][2]byte, text []byte) []int {
	var out []int
	for i := 0; i+1 < len(text); i++ {
		for _, p := range pairs {
			if text[i] == p[0] && text[i+1] == p[1] {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// engines are the searches a Set may run: both are checked on every
// machine that has the vector one.
func engines(pairs [][2]byte) map[string]*Set {
	portable := New(pairs)
	portable.vector = false
	out := map[string]*Set{"portable": portable}
	if s := New(pairs); s.vector {
		out["vector"] = s
	}
	return out
}

func TestIndex(t *testing.T) {
	anchors := [][2]byte{{'Q', 'E'}, {'K', 'I'}, {'A', 'S'}, {'$', 'p'}, {'$', 's'}, {'k', '_'}, {'w', 'h'}}
	cases := []struct {
		name  string
		pairs [][2]byte
		text  string
		want  []int
	}{
		{"empty text", anchors, "", nil},
		{"one byte", anchors, "k", nil},
		{"a pair is two bytes", anchors, "k_", []int{0}},
		{"first byte alone", anchors, "kkkk kkkk wwww AAAA", nil},
		{"overlapping", [][2]byte{{'a', 'a'}}, "aaaa", []int{0, 1, 2}},
		{"shared first byte", anchors, "x$p$s$q", []int{1, 3}},
		{"at the end of a block", anchors, "0123456789012345678901234567890k_", []int{31}},
		{"across blocks", anchors, "0123456789012345678901234567890123456789012345678901234567890123k_whAKIA", []int{64, 66, 69}},
		{"no pairs", nil, "k_", nil},
		{"high bytes", [][2]byte{{0xe2, 0x80}, {0xff, 0x00}}, "a\u2022b\xff\x00", []int{1, 5}},
		{"nibbles of other pairs", [][2]byte{{0x12, 0x34}, {0x56, 0x78}}, "\x12\x78\x56\x34\x16\x38\x52\x74\x12\x34", []int{8}},
	}
	for _, tc := range cases {
		for name, s := range engines(tc.pairs) {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				assert.Equal(t, tc.want, all(s, []byte(tc.text)))
			})
		}
	}
}

// TestAllAgainstNaive: random texts at every length around the block
// size, random pair sets (more first bytes than buckets too, where the
// vector search gives candidates that are no pairs).
func TestIndexAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for round := range 300 {
		pairs := make([][2]byte, 1+r.IntN(20))
		alphabet := []byte("kK_wAQ$psEIh\x00\xff\x80")
		for i := range pairs {
			pairs[i] = [2]byte{alphabet[r.IntN(len(alphabet))], alphabet[r.IntN(len(alphabet))]}
		}
		text := make([]byte, r.IntN(200))
		for i := range text {
			if r.IntN(4) == 0 {
				text[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				text[i] = byte(r.Uint32())
			}
		}
		want := naive(pairs, text)
		for name, s := range engines(pairs) {
			require.Equal(t, want, all(s, text), "round %d, %s, pairs %q, text %q", round, name, pairs, text)
		}
	}
}

func FuzzIndex(f *testing.F) {
	f.Add([]byte("k_wh"), []byte("sk_live_ whsec_ AKIA"))
	f.Add([]byte("\xff\x00"), []byte("\xff\x00\xff"))
	f.Fuzz(func(t *testing.T, spec, text []byte) {
		var pairs [][2]byte
		for i := 0; i+1 < len(spec) && len(pairs) < 32; i += 2 {
			pairs = append(pairs, [2]byte{spec[i], spec[i+1]})
		}
		want := naive(pairs, text)
		for name, s := range engines(pairs) {
			require.Equal(t, want, all(s, text), name)
		}
	})
}

// BenchmarkIndex: the built-in packs' anchors over text where their first
// bytes are frequent and the pairs rare.
func BenchmarkIndex(b *testing.B) {
	anchors := [][2]byte{{'Q', 'E'}, {'K', 'I'}, {'A', 'S'}, {'$', 'p'}, {'$', 's'}, {'k', '_'}, {'w', 'h'}}
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"work ", "check ", "Attribute ", "key ", "window ", "Kelvin ", "Query ", "$var ", "2026-11-30 ", "amount=1234 "}
	var text []byte
	for len(text) < 8<<20 {
		text = append(text, words[r.IntN(len(words))]...)
	}
	for name, s := range engines(anchors) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				all(s, text)
			}
		})
	}
}
