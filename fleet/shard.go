package fleet

import (
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard is the share of a fleet one process runs: the merchants whose id
// hashes to Index modulo Count. The zero value is the whole fleet.
type Shard struct {
	Index, Count int
}

// maxShards bounds --shard and the Kubernetes index: far beyond any Job's
// completions, low enough that a typo is caught.
const maxShards = 100_000

// ParseShard reads "I/N": shard I (from 0) of N.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q is not I/N (I from 0, e.g. 0/4)", s)
	}
	return NewShard(strings.TrimSpace(i), strings.TrimSpace(n))
}

// NewShard checks an index and a count given as text (flags, environment).
func NewShard(index, count string) (Shard, error) {
	n, err := strconv.Atoi(count)
	if err != nil || n < 1 || n > maxShards {
		return Shard{}, fmt.Errorf("shard count %q is not a number from 1 to %d", count, maxShards)
	}
	i, err := strconv.Atoi(index)
	if err != nil || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard index %q is not a number from 0 to %d", index, n-1)
	}
	return Shard{Index: i, Count: n}, nil
}

// Environment variables a Kubernetes Indexed Job sets (the index) and the
// manifest sets (the count), so pods need no --shard flag.
const (
	EnvIndex = "JOB_COMPLETION_INDEX"
	EnvCount = "AUDIT_SHARDS"
)

// ShardFromEnv picks the shard from --shard, else from JOB_COMPLETION_INDEX
// with the count from --shards or AUDIT_SHARDS; without any, the whole
// fleet. getenv is os.Getenv in production.
func ShardFromEnv(flag string, count int, getenv func(string) string) (Shard, error) {
	if flag != "" {
		if count != 0 {
			return Shard{}, errors.New("give --shard I/N or --shards N, not both")
		}
		return ParseShard(flag)
	}
	index := getenv(EnvIndex)
	n := getenv(EnvCount)
	if count != 0 {
		n = strconv.Itoa(count)
	}
	switch {
	case index == "" && count != 0:
		return Shard{}, fmt.Errorf("--shards %d needs the index from %s (set by a Kubernetes Indexed Job) or --shard I/N", count, EnvIndex)
	case index == "":
		return Shard{}, nil
	case n == "":
		// Running the whole fleet in every pod would audit each merchant N times.
		return Shard{}, fmt.Errorf("%s=%s is set but not the shard count: give --shards N or %s (the Job's completions)", EnvIndex, index, EnvCount)
	}
	s, err := NewShard(index, n)
	if err != nil {
		return Shard{}, fmt.Errorf("%s/%s: %w", EnvIndex, EnvCount, err)
	}
	return s, nil
}

// Includes reports whether the merchant id belongs to the shard. FNV-1a is
// stable across versions, platforms and file orders.
func (s Shard) Includes(id string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	return h.Sum64()%uint64(s.Count) == uint64(s.Index)
}

// String is the I/N form.
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, max(s.Count, 1)) }

// Select returns the merchants of the shard, in file order.
func (s Shard) Select(ms []Merchant) []Merchant {
	var out []Merchant
	for _, m := range ms {
		if s.Includes(m.ID) {
			out = append(out, m)
		}
	}
	return out
}
