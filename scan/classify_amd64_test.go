package scan

import "golang.org/x/sys/cpu"

// classifiers are the vector classifiers this processor can run, each
// checked against the definition (classify picks one).
func classifiers() map[string]func([]byte, []window) {
	m := map[string]func([]byte, []window){}
	if cpu.X86.HasAVX2 {
		m["avx2"] = classifyAVX2
	}
	return m
}
