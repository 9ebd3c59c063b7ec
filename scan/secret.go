package scan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Secret kinds.
const (
	StripeLiveSecretKey     = "stripe_live_secret_key"
	StripeLiveRestrictedKey = "stripe_live_restricted_key"
	StripeTestSecretKey     = "stripe_test_secret_key"
	StripeTestRestrictedKey = "stripe_test_restricted_key"
	PayPalLiveAccessToken   = "paypal_live_access_token"
	PayPalSandboxToken      = "paypal_sandbox_access_token"
	AdyenAPIKey             = "adyen_api_key"
	RSAPrivateKey           = "rsa_private_key"
	ECPrivateKey            = "ec_private_key"
	DSAPrivateKey           = "dsa_private_key"
	PKCS8PrivateKey         = "pkcs8_private_key"
	EncryptedPrivateKey     = "encrypted_private_key"
	OpenSSHPrivateKey       = "openssh_private_key"
	PGPPrivateKey           = "pgp_private_key"
	PrivateKey              = "private_key" // any other PEM "… PRIVATE KEY"
)

// IsPrivateKey reports whether a secret kind is a PEM private key.
func IsPrivateKey(kind string) bool {
	return strings.HasSuffix(kind, "private_key")
}

// pemLimit bounds how far a PEM block is followed (an RSA-8192 key is
// about 6.5 KiB); chunk overlap must exceed it so blocks never straddle.
const pemLimit = 16 << 10

// maxToken bounds token secrets (Stripe keys are at most a few hundred bytes).
const maxToken = 512

// scanSecrets reports the secrets starting in [from, to) of buf. Markers
// are found with bytes.Index and IndexByte, which are vectorised: three
// passes over a chunk cost little next to the card scan.
func scanSecrets(buf []byte, from, to int, emit func(hit)) {
	underscored(buf, from, to, emit)
	pem(buf, from, to, emit)
	adyen(buf, from, to, emit)
}

// underscored finds the secrets marked by an underscore in one pass:
// Stripe keys and PayPal access tokens.
func underscored(buf []byte, from, to int, emit func(hit)) {
	for p := indexByteFrom(buf, from, '_'); p >= 0 && p < to+len("access"); p = indexByteFrom(buf, p+1, '_') {
		if p+1 >= len(buf) || (buf[p+1] != 'l' && buf[p+1] != 't') {
			continue // most underscores: snake_case names
		}
		rest := buf[p:]
		switch {
		case bytes.HasPrefix(rest, []byte("_live_")):
			stripe(buf, from, to, p, true, emit)
		case bytes.HasPrefix(rest, []byte("_test_")):
			stripe(buf, from, to, p, false, emit)
		case bytes.HasPrefix(rest, []byte("_token$")):
			paypal(buf, from, to, p-len("access"), emit)
		}
	}
}

// stripe reports an sk_live_/rk_live_ (or _test_) key whose marker is at
// p: at least 16 letters and digits follow, not all the same (a
// placeholder).
func stripe(buf []byte, from, to, p int, live bool, emit func(hit)) {
	start := p - 2
	if start < from || start >= to || (buf[start] != 's' && buf[start] != 'r') || buf[start+1] != 'k' ||
		(start > 0 && isAlnum(buf[start-1])) {
		return
	}
	body := p + len("_live_")
	end := body
	for end < len(buf) && end-start < maxToken && isAlnum(buf[end]) {
		end++
	}
	if end-body < 16 || sameByte(buf[body:end]) {
		return
	}
	var kind string
	switch {
	case buf[start] == 's' && live:
		kind = StripeLiveSecretKey
	case live:
		kind = StripeLiveRestrictedKey
	case buf[start] == 's':
		kind = StripeTestSecretKey
	default:
		kind = StripeTestRestrictedKey
	}
	emit(secretHit(buf, start, body, end, kind, live))
}

// pem finds "-----BEGIN … PRIVATE KEY-----" and follows the block to its
// END line, or, when there is none within pemLimit, over the base64 lines
// that follow.
func pem(buf []byte, from, to int, emit func(hit)) {
	const begin, marker = "-----BEGIN ", "PRIVATE KEY"
	// "PRIVATE KEY" is rarer than "-----" (dates, rules, diffs): find it,
	// then its BEGIN on the same line.
	for q := indexFrom(buf, from, marker); q >= 0; q = indexFrom(buf, q+1, marker) {
		p := bytes.LastIndex(buf[max(0, q-64):q], []byte(begin))
		if p < 0 {
			continue
		}
		p += max(0, q-64)
		if p >= to {
			return
		}
		if p < from {
			continue
		}
		ls := p + len(begin)
		le := indexFrom(buf[:min(len(buf), q+64)], q, "-----")
		if le < 0 || bytes.IndexByte(buf[ls:le], '\n') >= 0 {
			continue
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
		emit(secretHit(buf, p, hdrEnd, end, kind, true))
		q = end - 1 // the END line holds the marker too
	}
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

// paypal reports a Braintree/PayPal access token at p:
// access_token$production$<16 [0-9a-z]>$<32 hex>.
func paypal(buf []byte, from, to, p int, emit func(hit)) {
	const marker = "access_token$"
	if p < from || p >= to || !bytes.HasPrefix(buf[p:], []byte(marker)) || (p > 0 && isAlnum(buf[p-1])) {
		return
	}
	rest := buf[p+len(marker):]
	var env string
	switch {
	case bytes.HasPrefix(rest, []byte("production$")):
		env = "production$"
	case bytes.HasPrefix(rest, []byte("sandbox$")):
		env = "sandbox$"
	default:
		return
	}
	body := p + len(marker) + len(env)
	end, ok := tokenTail(buf, body)
	if !ok {
		return
	}
	if env == "production$" {
		emit(secretHit(buf, p, body, end, PayPalLiveAccessToken, true))
	} else {
		emit(secretHit(buf, p, body, end, PayPalSandboxToken, false))
	}
}

// tokenTail matches <16 [0-9a-z]>$<32 hex> at buf[i:].
func tokenTail(buf []byte, i int) (int, bool) {
	if i+16+1+32 > len(buf) {
		return 0, false
	}
	for _, c := range buf[i : i+16] {
		if !isDigit(c) && (c < 'a' || c > 'z') {
			return 0, false
		}
	}
	if buf[i+16] != '$' {
		return 0, false
	}
	for _, c := range buf[i+17 : i+49] {
		if !isDigit(c) && (c < 'a' || c > 'f') {
			return 0, false
		}
	}
	return i + 49, true
}

// adyen finds Adyen API keys: "AQE", base64 with padding, then "-" and
// more parts ("AQE…==-…=-…"). Their format does not say test or live, so
// they count as live.
func adyen(buf []byte, from, to int, emit func(hit)) {
	const marker = "AQE"
	for p := indexFrom(buf, from, marker); p >= 0 && p < to; p = indexFrom(buf, p+1, marker) {
		if p > 0 && isB64(buf[p-1]) {
			continue
		}
		q := p + len(marker)
		for q < len(buf) && q-p < maxToken && isB64(buf[q]) {
			q++
		}
		if q-p < 40 || q >= len(buf) || buf[q] != '=' {
			continue
		}
		for q < len(buf) && buf[q] == '=' {
			q++
		}
		if q+1 >= len(buf) || buf[q] != '-' || !isB64(buf[q+1]) {
			continue
		}
		end := q
		for end < len(buf) && end-p < maxToken && buf[end] > ' ' && buf[end] != '"' && buf[end] != '\'' && buf[end] != '`' {
			end++
		}
		emit(secretHit(buf, p, p+len(marker), end, AdyenAPIKey, true))
	}
}

func isB64(c byte) bool { return isAlnum(c) || c == '+' || c == '/' }

func sameByte(b []byte) bool {
	for _, c := range b {
		if c != b[0] {
			return false
		}
	}
	return true
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
// hash lets two reports be compared without either holding the secret.
func MaskSecret(s string) string {
	var prefix string
	for _, p := range []string{
		"sk_live_", "rk_live_", "sk_test_", "rk_test_", "access_token$production$",
		"access_token$sandbox$", "AQE",
	} {
		if strings.HasPrefix(s, p) {
			prefix = p
			break
		}
	}
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
