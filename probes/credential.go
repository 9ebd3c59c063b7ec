package probes

import (
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/pack"
)

// Credentialed is a kind that sends a credential taken from the
// environment to a provider's API; --verbose lists what it may read.
type Credentialed interface {
	// CredentialEnv is the provider whose pack rules the credential and
	// the variable cfg names.
	CredentialEnv(cfg cty.Value) (provider, variable string)
}

// Credential is the one rule for a secret read from the environment and
// sent to a provider: only from a variable the pack allows (its env names
// plus the one the probe block names), only a value of the pack's
// credential shape, only over https to the pack's API hosts, or to
// loopback (mock servers in tests). Every probe that sends credentials
// goes through it.
type Credential struct {
	Pack     *pack.Pack
	Variable string // the variable the probe block names
}

// Vars are the variables the credential may be read from: the pack's
// default names, then the probe block's.
func (c Credential) Vars() []string {
	names := c.defaults()
	if c.Variable != "" && !slices.Contains(names, c.Variable) {
		names = append(names, c.Variable)
	}
	return names
}

// defaults are the pack's env names for its credentials.
func (c Credential) defaults() []string {
	var names []string
	for _, cr := range c.Pack.Credentials {
		for _, n := range cr.Env {
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
	}
	return names
}

// Hosts are the pack's API hosts, where the credential may go.
func (c Credential) Hosts() []string {
	var hosts []string
	for _, e := range c.Pack.Endpoints {
		if e.Purpose == "api" {
			hosts = append(hosts, e.Hosts...)
		}
	}
	return hosts
}

// Target refuses a base URL the credential must not go to. It is checked
// before anything is dialled, offline too: a wrong host is a configuration
// error, not something a run could not check.
func (c Credential) Target(attr string, base *url.URL) error {
	host := strings.ToLower(base.Hostname())
	if Loopback(host) {
		return nil
	}
	if base.Scheme != "https" {
		return fmt.Errorf("%s %q: the key is sent over https only (plain http to loopback only); nothing was sent", attr, base.Redacted())
	}
	for _, e := range c.Pack.Endpoints {
		if e.Purpose == "api" && e.MatchHost(host) {
			return nil
		}
	}
	return fmt.Errorf("%s %q: %s is neither a %s API host (%s) nor loopback; nothing was sent", attr, base.Redacted(), host, c.Pack.Title, strings.Join(c.Hosts(), ", "))
}

// Read returns the credential from the environment, refusing an unnamed or
// empty variable and a value that is not of one of
// the pack's env credentials' shapes (a CI token, a database password,
// a key with text appended). Messages name the variable, never its value.
func (c Credential) Read() (string, error) {
	if c.Variable == "" {
		return "", fmt.Errorf("no environment variable named for the %s key (usually %s)", c.Pack.Title, strings.Join(c.defaults(), " or "))
	}
	key := os.Getenv(c.Variable)
	if key == "" {
		return "", fmt.Errorf("environment variable %q holding the %s secret key is empty or unset", c.Variable, c.Pack.Title)
	}
	var shapes []string
	for _, cr := range c.Pack.Credentials {
		if len(cr.Env) == 0 {
			continue
		}
		if loc := cr.Pattern.FindStringIndex(key); loc != nil && loc[0] == 0 && loc[1] == len(key) {
			return key, nil
		}
		shapes = append(shapes, cr.Prefix+"…")
	}
	return "", fmt.Errorf("environment variable %q does not hold a %s secret or restricted key (%s); nothing was sent (the key is usually in %s)",
		c.Variable, c.Pack.Title, strings.Join(shapes, ", "), strings.Join(c.defaults(), " or "))
}
