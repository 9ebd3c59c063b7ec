package scan

import "encoding/binary"

// window holds the byte classes of 64 bytes as bitmaps, bit k standing for
// byte k: the card scanner judges 64 positions at once with word
// operations on them.
type window struct {
	digit uint64 // 0-9
	mask  uint64 // digits and what masked numbers are made of: *, X, x, and every byte of a non-ASCII character such as •
	lead  uint64 // 1-9, the first digit of every card brand (UATP 1, Mir 2, … RuPay 8, Troy 9)
}

// SWAR constants: every byte of a word at once (Bit Twiddling Hacks,
// "Determine if a word has a byte between m and n", the exact variant).
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
	low7  = 0x7f7f7f7f7f7f7f7f
)

// rangeMask has the high bit set in exactly the bytes of w in [lo, hi]
// (ASCII bounds).
func rangeMask(w uint64, lo, hi byte) uint64 {
	m, n := uint64(lo)-1, uint64(hi)+1 // exclusive bounds
	x := w & low7
	return (ones*(127+n) - x) & ^w & (x + ones*(127-m)) & highs
}

// equalMask has the high bit set in exactly the bytes of w equal to c.
func equalMask(w uint64, c byte) uint64 {
	t := w ^ ones*uint64(c)
	return ^((t&low7 + low7) | t) & highs
}

// gather packs the high bits of the eight bytes of m into a byte.
func gather(m uint64) uint64 { return (m >> 7) * 0x0102040810204080 >> 56 }

// classifyGo is classify in portable Go; classify uses vector
// instructions where it can.
func classifyGo(src []byte, out []window) {
	for x := range out {
		b := src[64*x : 64*x+64 : 64*x+64]
		var c window
		for k := 0; k < 64; k += 8 {
			w := binary.LittleEndian.Uint64(b[k : k+8])
			d := rangeMask(w, '0', '9')
			c.digit |= gather(d) << k
			c.mask |= gather(d|equalMask(w, '*')|equalMask(w|ones*0x20, 'x')|w&highs) << k
			c.lead |= gather(rangeMask(w, '1', '9')) << k
		}
		out[x] = c
	}
}

// classes fills out with the windows of the bytes at buf[p:], 64 per
// window; bytes outside buf (p may be negative) belong to no class.
func classes(buf []byte, p int, out []window) {
	first := 0 // windows wholly inside buf: [first, last)
	if p < 0 {
		first = min(len(out), (-p+63)/64)
	}
	last := max(first, min(len(out), (len(buf)-p)/64))
	for x := 0; x < first; x++ {
		out[x] = classesPadded(buf, p+64*x)
	}
	if last > first {
		classify(buf[p+64*first:p+64*last], out[first:last])
	}
	for x := last; x < len(out); x++ {
		out[x] = classesPadded(buf, p+64*x)
	}
}

// classesPadded classifies the 64 bytes at buf[p:] that straddle an end
// of buf.
func classesPadded(buf []byte, p int) window {
	var pad [64]byte
	if p < len(buf) && p+64 > 0 {
		copy(pad[max(0, -p):], buf[max(0, p):min(len(buf), p+64)])
	}
	var w [1]window
	classify(pad[:], w[:])
	return w[0]
}
