package probes

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"time"

	"github.com/zclconf/go-cty/cty"
)

// Certificate is the fact type of the certificate a TLS server presents.
// Its validity is a fact, never a probe error: an expired or untrusted
// certificate must fail a step, not leave it undecided.
var Certificate = cty.Object(map[string]cty.Type{
	"subject":        cty.String,
	"issuer":         cty.String,
	"dns_names":      cty.List(cty.String),
	"not_before":     cty.String, // RFC 3339, UTC
	"not_after":      cty.String,
	"days_remaining": cty.Number, // whole days from Env.Time(); negative once expired
	"key_type":       cty.String, // RSA, ECDSA, Ed25519
	"key_bits":       cty.Number,
	"verified":       cty.Bool, // chain to a system root, valid now, for the host
	"verify_error":   cty.String,
	"hostname_ok":    cty.Bool,
	"self_signed":    cty.Bool,
})

// chainEntry is one certificate of the chain the server sent.
var chainEntry = cty.Object(map[string]cty.Type{
	"subject":   cty.String,
	"issuer":    cty.String,
	"not_after": cty.String,
})

// certificateVal describes the leaf certificate of state as a client that
// asked for host at env.Time() would judge it. Roots are env.RootCAs, else
// the system pool, which honours SSL_CERT_FILE and SSL_CERT_DIR.
func certificateVal(env *Env, state *tls.ConnectionState, host string) (cty.Value, error) {
	if len(state.PeerCertificates) == 0 {
		return cty.NilVal, errors.New("the server sent no certificate")
	}
	leaf := state.PeerCertificates[0]
	now := env.Time()

	intermediates := x509.NewCertPool()
	for _, c := range state.PeerCertificates[1:] {
		intermediates.AddCert(c)
	}
	verifyError := ""
	if _, err := leaf.Verify(x509.VerifyOptions{
		DNSName:       host,
		Intermediates: intermediates,
		CurrentTime:   now,
		Roots:         env.RootCAs,
	}); err != nil {
		verifyError = err.Error()
	}
	keyType, keyBits := publicKeySize(leaf.PublicKey)
	// Only the signature is checked: a self-signed leaf is rarely marked as
	// a CA, so CheckSignatureFrom would refuse it.
	selfSigned := bytes.Equal(leaf.RawSubject, leaf.RawIssuer) &&
		leaf.CheckSignature(leaf.SignatureAlgorithm, leaf.RawTBSCertificate, leaf.Signature) == nil

	return cty.ObjectVal(map[string]cty.Value{
		"subject":        cty.StringVal(leaf.Subject.String()),
		"issuer":         cty.StringVal(leaf.Issuer.String()),
		"dns_names":      Strings(leaf.DNSNames),
		"not_before":     cty.StringVal(leaf.NotBefore.UTC().Format(time.RFC3339)),
		"not_after":      cty.StringVal(leaf.NotAfter.UTC().Format(time.RFC3339)),
		"days_remaining": cty.NumberIntVal(int64(math.Floor(leaf.NotAfter.Sub(now).Hours() / 24))),
		"key_type":       cty.StringVal(keyType),
		"key_bits":       cty.NumberIntVal(int64(keyBits)),
		"verified":       cty.BoolVal(verifyError == ""),
		"verify_error":   cty.StringVal(verifyError),
		"hostname_ok":    cty.BoolVal(leaf.VerifyHostname(host) == nil),
		"self_signed":    cty.BoolVal(selfSigned),
	}), nil
}

// chainVal lists the certificates the server sent, leaf first.
func chainVal(state *tls.ConnectionState) cty.Value {
	vals := make([]cty.Value, len(state.PeerCertificates))
	for i, c := range state.PeerCertificates {
		vals[i] = cty.ObjectVal(map[string]cty.Value{
			"subject":   cty.StringVal(c.Subject.String()),
			"issuer":    cty.StringVal(c.Issuer.String()),
			"not_after": cty.StringVal(c.NotAfter.UTC().Format(time.RFC3339)),
		})
	}
	return ListOf(chainEntry, vals)
}

func publicKeySize(pub any) (string, int) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		return "ECDSA", k.Curve.Params().BitSize
	case ed25519.PublicKey:
		return "Ed25519", 256
	default:
		return "unknown", 0
	}
}
