//go:build !amd64

package scan

// classifiers are the vector classifiers this processor can run: none
// but classify's.
func classifiers() map[string]func([]byte, []window) { return map[string]func([]byte, []window){} }
