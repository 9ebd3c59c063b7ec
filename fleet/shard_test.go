package fleet

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseShard(t *testing.T) {
	s, err := ParseShard("2/4")
	require.NoError(t, err)
	assert.Equal(t, Shard{Index: 2, Count: 4}, s)
	assert.Equal(t, "2/4", s.String())
	assert.Equal(t, "0/1", Shard{}.String())
	for _, bad := range []string{"4/4", "-1/4", "1", "a/4", "0/0", "0/x", "1/1000001"} {
		_, err := ParseShard(bad)
		assert.Error(t, err, bad)
	}
}

func TestShardFromEnv(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	tests := []struct {
		name  string
		flag  string
		count int
		env   func(string) string
		want  Shard
		err   string
	}{
		{"nothing: whole fleet", "", 0, env(), Shard{}, ""},
		{"flag", "1/3", 0, env(EnvIndex, "0", EnvCount, "9"), Shard{1, 3}, ""},
		{"indexed job, count from env", "", 0, env(EnvIndex, "3", EnvCount, "8"), Shard{3, 8}, ""},
		{"indexed job, count from flag", "", 8, env(EnvIndex, "7", EnvCount, "2"), Shard{7, 8}, ""},
		{"index without count", "", 0, env(EnvIndex, "3"), Shard{}, "shard count"},
		{"index out of range", "", 0, env(EnvIndex, "8", EnvCount, "8"), Shard{}, "0 to 7"},
		{"count without index", "", 4, env(), Shard{}, "needs the index"},
		{"both flags", "0/2", 2, env(), Shard{}, "not both"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ShardFromEnv(tc.flag, tc.count, tc.env)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, s)
		})
	}
}

// Every merchant lands in exactly one shard, whatever the order, and the
// shards are of similar size.
func TestShardsPartition(t *testing.T) {
	var ms []Merchant
	for i := range 10_000 {
		ms = append(ms, Merchant{ID: fmt.Sprintf("merchant-%05d", i)})
	}
	const n = 4
	owner := map[string]int{}
	for i := range n {
		sel := Shard{Index: i, Count: n}.Select(ms)
		assert.InDelta(t, len(ms)/n, len(sel), float64(len(ms))/n*0.1, "shard %d size", i)
		for _, m := range sel {
			prev, dup := owner[m.ID]
			require.False(t, dup, "%s in shards %d and %d", m.ID, prev, i)
			owner[m.ID] = i
		}
	}
	assert.Len(t, owner, len(ms))

	// Stable: the hash is part of the contract between shard processes of
	// different versions; a changed function would re-split a running fleet.
	assert.True(t, Shard{Index: 0, Count: 4}.Includes("merchant-00000"))
	assert.True(t, Shard{Index: 1, Count: 4}.Includes("cafe-etoile"))
	reversed := make([]Merchant, len(ms))
	for i, m := range ms {
		reversed[len(ms)-1-i] = m
	}
	for i := range n {
		s := Shard{Index: i, Count: n}
		for _, m := range s.Select(reversed) {
			assert.Equal(t, i, owner[m.ID])
		}
	}
}
