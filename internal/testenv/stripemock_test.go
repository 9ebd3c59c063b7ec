package testenv

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStripeMockBinary(t *testing.T) {
	empty := t.TempDir()
	gopath := t.TempDir()
	bin := filepath.Join(gopath, "bin", "stripe-mock")
	require.NoError(t, os.MkdirAll(filepath.Dir(bin), 0o755))

	t.Setenv("PATH", empty)
	t.Setenv("HOME", empty)
	t.Setenv("GOPATH", filepath.Join(empty, "a")+string(filepath.ListSeparator)+gopath)

	_, err := stripeMockBinary()
	require.Error(t, err, "nothing installed yet")
	assert.Contains(t, err.Error(), filepath.Join(gopath, "bin"))

	require.NoError(t, os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o644))
	_, err = stripeMockBinary()
	require.Error(t, err, "not executable")

	require.NoError(t, os.Chmod(bin, 0o755))
	got, err := stripeMockBinary()
	require.NoError(t, err)
	assert.Equal(t, bin, got)
}

func TestReadStripeMockStart(t *testing.T) {
	tests := []struct {
		name, out, addr string
	}{
		{"listening", "stripe-mock master\nRouting to 419 path(s)\nListening for HTTP at address: 127.0.0.1:41234\nListening for HTTPS at address: 127.0.0.1:41235\n", "127.0.0.1:41234"},
		{"exited early", "stripe-mock master\nerror: bind: address already in use\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := readStripeMockStart(strings.NewReader(tt.out))
			assert.Equal(t, tt.addr, s.addr)
			assert.Contains(t, s.log, "stripe-mock master")
		})
	}
}

func TestStripeMock(t *testing.T) {
	base := StripeMock(t)
	assert.True(t, strings.HasPrefix(base, "http://127.0.0.1:"), base)

	req, err := http.NewRequest(http.MethodGet, base+"/v1/account", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer sk_"+"test_123")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	var acct struct {
		Object string `json:"object"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&acct))
	assert.Equal(t, "account", acct.Object)
}
