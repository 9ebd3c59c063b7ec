package scan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/audit-tool/audit/pack"
)

// Secret kinds the scanner itself knows: PEM private keys, whoever issued
// them. Provider credentials (Stripe keys, PayPal tokens, Adyen API keys,
// Amazon access keys…) are the provider packs' rules, named as the packs
// name them.
const (
	RSAPrivateKey       = "rsa_private_key"
	ECPrivateKey        = "ec_private_key"
	DSAPrivateKey       = "dsa_private_key"
	PKCS8PrivateKey     = "pkcs8_private_key"
	EncryptedPrivateKey = "encrypted_private_key"
	OpenSSHPrivateKey   = "openssh_private_key"
	PGPPrivateKey       = "pgp_private_key"
	PrivateKey          = "private_key" // any other PEM "… PRIVATE KEY"
)

// IsPrivateKey reports whether a secret kind is a PEM private key.
func IsPrivateKey(kind string) bool {
	return strings.HasSuffix(kind, "private_key")
}

// pemLimit bounds how far a PEM block is followed (an RSA-8192 key is
// about 6.5 KiB); chunk overlap must exceed it so blocks never straddle.
const pemLimit = 16 << 10

// pemMarker is what every PEM private key's BEGIN line holds; the sweep
// stops at its last letter and the dash after it ("Y-"): "PRIVATE KEY" is
// rarer than "-----" (dates, rules, diffs).
const pemMarker = "PRIVATE KEY"

// pemReach is how far past to the "Y-" of a key whose BEGIN starts before
// to may end: the label sits between BEGIN and the marker, 64 bytes at
// most.
const pemReach = 64 + len(pemMarker) + 1

// pemAt reports the PEM private key whose BEGIN line holds the marker at
// q, if it starts in [from, to), and returns where the next marker may
// be: a key block is followed to its END line (which holds the marker
// too), or, when there is none within pemLimit, over the base64 lines
// that follow.
func pemAt(buf []byte, from, to, q int, emit func(hit)) int {
	const begin = "-----BEGIN "
	if q < 0 || !bytes.HasPrefix(buf[q:], []byte(pemMarker)) {
		return q + 1
	}
	p := bytes.LastIndex(buf[max(0, q-64):q], []byte(begin))
	if p < 0 {
		return q + 1
	}
	p += max(0, q-64)
	if p < from || p >= to {
		return q + 1
	}
	ls := p + len(begin)
	le := indexFrom(buf[:min(len(buf), q+64)], q, "-----")
	if le < 0 || bytes.IndexByte(buf[ls:le], '\n') >= 0 {
		return q + 1
	}
	label := buf[ls:le]
	kind := pemKind(label)
	hdrEnd := le + 5
	limit := min(len(buf), p+pemLimit)
	end := -1
	if e := indexFrom(buf[:limit], hdrEnd, "-----END "); e >= 0 {
		if f := indexFrom(buf[:min(limit, e+9+len(label)+5)], e+9, "-----"); f >= 0 {
			end = f + 5
		}
	}
	if end < 0 {
		end = hdrEnd
		for end < limit && pemBodyByte(buf[end]) && !bytes.HasPrefix(buf[end:], []byte("-----")) {
			end++
		}
	}
	if keyMaterial(buf[hdrEnd:end]) { // else a header in docs or code, "…" for a body: no key
		emit(secretHit(buf, p, hdrEnd, end, kind, true))
	}
	return end
}

// minKeyBody is the fewest base64 characters of a real private key body
// (an Ed25519 PKCS#8 key has 64; RSA and EC far more).
const minKeyBody = 64

// keyMaterial reports whether a PEM body (up to and including its END
// line) holds a key: base64 lines long enough, not a placeholder.
func keyMaterial(body []byte) bool {
	if e := bytes.Index(body, []byte("-----END ")); e >= 0 {
		body = body[:e]
	}
	n, distinct := 0, [256]bool{}
	kinds := 0
	for _, line := range bytes.Split(body, []byte("\n")) {
		line = bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(line), []byte("\\n")))
		if bytes.IndexByte(line, ':') >= 0 { // Proc-Type:, DEK-Info: headers
			continue
		}
		for _, c := range line {
			if isAlnum(c) || c == '+' || c == '/' || c == '=' {
				n++
				if !distinct[c] {
					distinct[c] = true
					kinds++
				}
			}
		}
	}
	return n >= minKeyBody && kinds >= 16
}

func pemKind(label []byte) string {
	switch string(label) {
	case "RSA PRIVATE KEY":
		return RSAPrivateKey
	case "EC PRIVATE KEY":
		return ECPrivateKey
	case "DSA PRIVATE KEY":
		return DSAPrivateKey
	case "PRIVATE KEY":
		return PKCS8PrivateKey
	case "ENCRYPTED PRIVATE KEY":
		return EncryptedPrivateKey
	case "OPENSSH PRIVATE KEY":
		return OpenSSHPrivateKey
	case "PGP PRIVATE KEY BLOCK":
		return PGPPrivateKey
	}
	return PrivateKey
}

// pemBodyByte: base64, whitespace and the "Proc-Type: 4,ENCRYPTED" headers
// of encrypted PEM.
func pemBodyByte(c byte) bool {
	return isAlnum(c) || c == '+' || c == '/' || c == '=' || c == '\n' || c == '\r' ||
		c == ' ' || c == '\t' || c == ':' || c == ',' || c == '-' || c == '\\'
}

// secretHit builds the hit of the secret buf[start:end], shown as its
// public prefix buf[start:prefixEnd] and a hash.
func secretHit(buf []byte, start, prefixEnd, end int, kind string, live bool) hit {
	return hit{
		start: start, end: end, typ: TypeSecret, kind: kind, live: live,
		masked: maskWith(string(buf[start:prefixEnd]), buf[start:end]),
	}
}

// MaskSecret shows a secret as a recognisable prefix and the first eight hex
// digits of the SHA-256 of the whole secret: sk_live_…(sha256:1f2e3d4c). The
// hash lets two reports be compared without either holding the secret. The
// prefix is what the provider pack's rule keeps in clear, a PEM header, or
// three characters.
func MaskSecret(s string) string {
	// Public credentials too: a publishable key masked in a fact still
	// says pk_test_.
	prefix, _ := pack.Builtin().Matcher().MaskPrefix(s)
	if prefix == "" && strings.HasPrefix(s, "-----BEGIN ") {
		if e := strings.Index(s[11:], "-----"); e >= 0 {
			prefix = s[:11+e+5]
		}
	}
	if prefix == "" && len(s) >= 16 {
		prefix = s[:3] // too little to guess the rest from
	}
	return maskWith(prefix, []byte(s))
}

func maskWith(prefix string, secret []byte) string {
	sum := sha256.Sum256(secret)
	return prefix + "…(sha256:" + hex.EncodeToString(sum[:4]) + ")"
}

// MaskAs masks secret keeping prefix in clear: how a finding of a pack
// rule is shown (the rule's mask), packs given at run time included.
func MaskAs(prefix, secret string) string { return maskWith(prefix, []byte(secret)) }
