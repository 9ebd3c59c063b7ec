package scan

// classify sets out[x] to the classes of src[64x:64x+64]; len(src) is
// 64*len(out). In SSE2, which every amd64 processor has: 16 bytes an
// instruction where Go code takes a dozen for 8.
//
//go:noescape
func classify(src []byte, out []window)
