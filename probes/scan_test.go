package probes

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/audit-tool/audit/walk"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zclconf/go-cty/cty"
)

func scanCfg(paths []string, exclude ...string) cty.Value {
	ex := cty.NullVal(cty.List(ExcludeType))
	var items []cty.Value
	for _, p := range exclude {
		items = append(items, cty.ObjectVal(map[string]cty.Value{"pattern": cty.StringVal(p), "reason": cty.StringVal("old rotation")}))
	}
	if len(items) > 0 {
		ex = cty.ListVal(items)
	}
	return cty.ObjectVal(map[string]cty.Value{"paths": Strings(paths), "exclude": ex})
}

func TestScanProbe(t *testing.T) {
	base := t.TempDir()
	files := map[string]string{
		"src/config.php":      "<?php $key = 'sk_live_51HqLyjWDarjtT1zdp7dcXcHf';\n$test = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';\n",
		"logs/app.log":        "2026-11-20 declined 4539578763621486\n2026-11-20 ok 4242 4242 4242 4242\n",
		"keys/amazon-pay.pem": "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAu5JZ0Xk2Lq8VwN3tYp7RfA1cD4eH6gJ9mK0nQ2sT5vW8yZ1bC3\n-----END RSA PRIVATE KEY-----\n",
		"logs/old/skip.log":   "4539578763621486\n",
	}
	for name, body := range files {
		p := filepath.Join(base, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	env := &Env{BaseDir: base}
	k := Scan{}
	require.Empty(t, k.Validate(env, scanCfg([]string{"src"})))
	cfg := scanCfg([]string{"src", "logs", "keys"}, "old")
	got, err := k.Run(context.Background(), env, cfg)
	require.NoError(t, err)
	require.True(t, got.Type().Equals(k.Facts()), "facts conform to Facts()")

	assert.Equal(t, int64(3), scanInt(got.GetAttr("files_scanned")))
	live := got.GetAttr("live_pans").AsValueSlice()
	require.Len(t, live, 1)
	assert.Equal(t, cty.ObjectVal(map[string]cty.Value{
		"brand": cty.StringVal("visa"), "masked": cty.StringVal("453957******1486"), "test_card": cty.False,
		"file": cty.StringVal("logs/app.log"), "line": cty.NumberIntVal(1), "column": cty.NumberIntVal(21),
	}), live[0])
	assert.Equal(t, 2, got.GetAttr("pans").LengthInt())
	assert.Equal(t, 1, got.GetAttr("test_pans").LengthInt())
	assert.Equal(t, 3, got.GetAttr("secrets").LengthInt())
	liveSecrets := got.GetAttr("live_secrets").AsValueSlice()
	require.Len(t, liveSecrets, 2)
	assert.Equal(t, "keys/amazon-pay.pem", liveSecrets[0].GetAttr("file").AsString())
	assert.Equal(t, "src/config.php", liveSecrets[1].GetAttr("file").AsString())
	assert.Equal(t, "stripe_live_secret_key", liveSecrets[1].GetAttr("kind").AsString())
	keys := got.GetAttr("private_keys").AsValueSlice()
	require.Len(t, keys, 1)
	assert.Equal(t, "rsa_private_key", keys[0].GetAttr("kind").AsString())
	assert.NotContains(t, got.GoString(), "4539578763621486")
	assert.NotContains(t, got.GoString(), "51HqLyjWDarjtT1zdp7dcXcHf")
	assert.Equal(t, 0, got.GetAttr("skipped").LengthInt())
	cov, ok := CoverageOf(got)
	require.True(t, ok)
	assert.Empty(t, cov.NotRead)
	assert.Equal(t, []CoverageItem{{File: "logs/old", Pattern: "old", Reason: "old rotation"}}, cov.Excluded)
	assert.True(t, got.GetAttr("coverage").GetAttr("complete").True())
}

// What cannot be read is in the coverage fact, so no step can pass on it.
func TestScanProbeCoverage(t *testing.T) {
	base := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(base, "logs"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(base, "logs", "a.log"), []byte("ok\n"), 0o644))
	require.NoError(t, syscall.Mkfifo(filepath.Join(base, "logs", "pipe"), 0o644))
	require.NoError(t, os.Symlink("/etc/hostname", filepath.Join(base, "logs", "out")))
	got, err := Scan{}.Run(context.Background(), &Env{BaseDir: base}, scanCfg([]string{"logs"}))
	require.NoError(t, err)
	cov := got.GetAttr("coverage")
	assert.False(t, cov.GetAttr("complete").True())
	c, _ := CoverageOf(got)
	assert.Equal(t, []CoverageItem{
		{File: "logs/out", Reason: walk.ReasonLinkOut},
		{File: "logs/pipe", Reason: walk.ReasonFIFO},
	}, c.NotRead)
}

func TestScanProbeErrors(t *testing.T) {
	env := &Env{BaseDir: t.TempDir()}
	k := Scan{}
	_, err := k.Run(context.Background(), env, scanCfg([]string{"missing"}))
	assert.ErrorIs(t, err, os.ErrNotExist, "a path that is not there cannot be declared clean")
	assert.NotEmpty(t, k.Validate(env, scanCfg([]string{"."}, "[bad")))
	assert.NotEmpty(t, k.Validate(env, cty.ObjectVal(map[string]cty.Value{
		"paths": cty.ListValEmpty(cty.String), "exclude": cty.NullVal(cty.List(ExcludeType)),
	})))
}

func scanInt(v cty.Value) int64 {
	n, _ := v.AsBigFloat().Int64()
	return n
}
