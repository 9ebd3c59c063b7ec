//go:build !amd64

package pairs

// hasVector is false where there is no vector search: Index merges
// bytes.IndexByte searches instead.
func hasVector() bool { return false }

func (s *Set) vectorIndex(text []byte) int { return s.portableIndex(text) }
