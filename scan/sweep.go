package scan

import (
	"sync"

	"github.com/audit-tool/audit/internal/pairs"
	"github.com/audit-tool/audit/pack"
)

// sweep finds in one pass over a buffer everything found from two bytes:
// the packs' credentials (at their anchors), PEM private keys ("Y-" of
// "PRIVATE KEY-----") and the group separators the card filter cannot see
// ("&n" of &nbsp;, "&#" of &#160;, "%2" of %2D). One vector search for
// all of them: a search apiece was a pass apiece over memory.
type sweep struct {
	rules *pack.Matcher
	set   *pairs.Set
	reach int // how far past a range its pairs may sit
}

var (
	pemAnchor  = [2]byte{'Y', '-'}
	sepAnchors = [][2]byte{{'&', 'n'}, {'&', '#'}, {'%', '2'}}
)

// sepReach is how far past a range the separator after a first group
// starting in it may end: four digits, then the pair.
const sepReach = 4 + 2

func newSweep(rules *pack.Matcher) *sweep {
	w := &sweep{rules: rules, reach: max(pemReach, sepReach)}
	anchors := append([][2]byte{pemAnchor}, sepAnchors...)
	if rules != nil {
		anchors = append(anchors, rules.Anchors()...)
		w.reach = max(w.reach, rules.Reach())
	}
	w.set = pairs.New(anchors)
	return w
}

// builtinSweep is the built-in packs' sweep, which Redact runs over every
// printed string; bareSweep, a zero detector's, finds no credential.
var (
	builtinSweep = sync.OnceValue(func() *sweep { return newSweep(pack.Builtin().SecretMatcher()) })
	bareSweep    = sync.OnceValue(func() *sweep { return newSweep(nil) })
)

// sweep fills d.spans with the secrets starting in [at.secrets, to) of buf
// and d.seps with the card numbers with hidden separators starting in
// [at.pans, to).
func (d *detector) sweep(buf []byte, at cursor, to int) {
	w := d.sw
	if w == nil {
		w = bareSweep()
	}
	secret := func(h hit) { d.spans.spans = append(d.spans.spans, h) }
	credential := func(m pack.Match) {
		if m.Rule.Secret { // publishable keys, client keys and key ids are public by design
			secret(secretHit(buf, m.Start, m.Start+len(m.Rule.Mask), m.End, m.Rule.Name, m.Rule.Mode != pack.Test))
		}
	}
	sep := func(h hit) { d.seps = append(d.seps, h) }
	from, pans := max(0, min(at.secrets, at.pans)), max(0, at.pans)
	near := buf[:min(len(buf), to+w.reach)]
	nextPEM, nextSep := 0, 0
	for p := from; p < len(near); p++ {
		i := w.set.Index(near[p:])
		if i < 0 {
			return
		}
		p += i
		pair := [2]byte(near[p:])
		if pair == pemAnchor {
			if q := p - len(pemMarker) + 1; q >= nextPEM {
				nextPEM = pemAt(buf, at.secrets, to, q, secret)
			}
		}
		if (pair[0] == '&' || pair[0] == '%') && p >= nextSep && p >= pans+4 {
			for _, a := range sepAnchors {
				if pair == a {
					nextSep = sepPANAt(buf, pans, to, p, d.cards, sep)
				}
			}
		}
		if w.rules != nil {
			w.rules.FindAt(buf, at.secrets, to, p, credential)
		}
	}
}
