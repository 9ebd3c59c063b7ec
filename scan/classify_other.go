//go:build !amd64

package scan

// classify sets out[x] to the classes of src[64x:64x+64]; len(src) is
// 64*len(out).
func classify(src []byte, out []window) { classifyGo(src, out) }
