package funcs

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/audit-tool/audit/internal/input"
)

// maxKeyFile bounds a key file read: a PEM RSA key is a few KiB.
const maxKeyFile = 64 << 10

// RSAPublicKey reads the RSA public key of a PEM file: a private key (PKCS
// #1 or #8, its public half is used), a public key (PKIX or PKCS #1) or a
// certificate.
func RSAPublicKey(data []byte) (*rsa.PublicKey, error) {
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, errors.New("no RSA key in PEM form")
		}
		var key any
		var err error
		switch b.Type {
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "PUBLIC KEY":
			key, err = x509.ParsePKIXPublicKey(b.Bytes)
		case "RSA PUBLIC KEY":
			key, err = x509.ParsePKCS1PublicKey(b.Bytes)
		case "CERTIFICATE":
			var c *x509.Certificate
			if c, err = x509.ParseCertificate(b.Bytes); err == nil {
				key = c.PublicKey
			}
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", strings.ToLower(b.Type), err)
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			return &k.PublicKey, nil
		case *rsa.PublicKey:
			return k, nil
		default:
			return nil, fmt.Errorf("%s: not an RSA key", strings.ToLower(b.Type))
		}
	}
}

// PSSVerify reports whether signature (Base64) is an RSASSA-PSS signature
// with SHA-256 (MGF1 SHA-256, any salt length) of message by key.
func PSSVerify(key *rsa.PublicKey, message, signature string) bool {
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(signature))
	if err != nil {
		return false
	}
	h := sha256.Sum256([]byte(message))
	return rsa.VerifyPSS(key, crypto.SHA256, h[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto, Hash: crypto.SHA256}) == nil
}

// pssVerifyFunc is rsa_pss_sha256_verify(key_file, message, signature): the
// key file (relative to baseDir) is read bounded; an unreadable or keyless
// file is an error, so a step cannot pass on it.
func pssVerifyFunc(baseDir string, scope *input.Scope) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "key_file", Type: cty.String}, {Name: "message", Type: cty.String}, {Name: "signature", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			if !filepath.IsAbs(p) && baseDir != "" {
				p = filepath.Join(baseDir, p)
			}
			f, _, err := scope.Open(p)
			if err != nil {
				return cty.UnknownVal(cty.Bool), function.NewArgError(0, err)
			}
			defer f.Close()
			data, err := io.ReadAll(io.LimitReader(f, maxKeyFile))
			if err != nil {
				return cty.UnknownVal(cty.Bool), function.NewArgError(0, err)
			}
			key, err := RSAPublicKey(data)
			if err != nil {
				return cty.UnknownVal(cty.Bool), function.NewArgError(0, fmt.Errorf("%s: %w", args[0].AsString(), err))
			}
			return cty.BoolVal(PSSVerify(key, args[1].AsString(), args[2].AsString())), nil
		},
	})
}

// sha256Func is Terraform's sha256(string): the lowercase hex SHA-256 of
// the string's UTF-8 bytes.
var sha256Func = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		h := sha256.Sum256([]byte(args[0].AsString()))
		return cty.StringVal(hex.EncodeToString(h[:])), nil
	},
})
