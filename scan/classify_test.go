package scan

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// classesBytewise is the definition classify implements.
func classesBytewise(b []byte) window {
	var w window
	for k, c := range b {
		bit := uint64(1) << k
		if isDigit(c) {
			w.digit |= bit
		}
		if isDigit(c) || c == '*' || c == 'x' || c == 'X' || c >= 0x80 {
			w.mask |= bit
		}
		if c >= '1' && c <= '9' {
			w.lead |= bit
		}
	}
	return w
}

func checkClassify(t *testing.T, src []byte) {
	t.Helper()
	n := len(src) / 64
	want := make([]window, n)
	for x := range want {
		want[x] = classesBytewise(src[64*x : 64*x+64])
	}
	impls := classifiers()
	impls["classify"], impls["classifyGo"] = classify, classifyGo
	for name, f := range impls {
		got := make([]window, n)
		f(src[:64*n], got)
		require.Equal(t, want, got, name)
	}
}

func TestClassify(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	checkClassify(t, all)
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		b := make([]byte, 64*r.IntN(8))
		for i := range b {
			b[i] = "0123456789*xX -•a/"[r.IntN(20)]
		}
		checkClassify(t, b)
	}
}

func TestClassesPadsBothEnds(t *testing.T) {
	buf := []byte("4111 1111 1111 1111 and 2026-11-23 *")
	out := make([]window, 3)
	classes(buf, -64+5, out) // a window before buf starts, then buf shifted by 5
	assert.Equal(t, classesBytewise(append(make([]byte, 59), buf[:5]...)), out[0])
	assert.Equal(t, classesBytewise(buf[5:]), out[1])
	assert.Equal(t, window{}, out[2])
}

func FuzzClassify(f *testing.F) {
	f.Add([]byte("4111 1111 1111 1111 ******** XXXX xxxx •••• 2026-11-23T10:00:00Z ~~~~~~~~~"))
	f.Fuzz(func(t *testing.T, b []byte) {
		checkClassify(t, b)
	})
}
