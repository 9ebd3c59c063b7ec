package probes

import (
	"context"
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/baseline"
)

// pageTrack is the 11.6.1 comparison of the page with its baseline.
type pageTrack struct {
	tracked, recorded bool
	file, since       string
	changes           []pageChange
}

type pageChange struct {
	baseline.Change
	authorised bool
	reason     string
}

// record is the page as received, as a baseline keeps it.
func (s *pageScan) record(f pageFetch) baseline.Page {
	p := baseline.Page{Engine: s.engine, Headers: map[string]string{}}
	if f.final != nil {
		p.URL = f.final.Redacted()
	}
	for _, sc := range s.scripts {
		key := sc.url
		if sc.inline {
			key = "inline:" + sc.hash()
		}
		p.Scripts = append(p.Scripts, baseline.Script{Key: key, SHA256: sc.hash(), Integrity: sc.integrity})
	}
	for _, h := range baseline.SecurityHeaders {
		if v := f.headers.Values(h); len(v) > 0 {
			p.Headers[h] = baseline.HeaderValue(h, strings.Join(v, ", "))
		}
	}
	return p
}

// track compares the page with its baseline, or records it when there is
// none yet. A change is authorised when the allowlist covers it: a new
// script that an entry authorises, or a new hash of a script whose entry
// says dynamic = true. Header changes and changed hashes of other scripts
// never are.
func (s *pageScan) track(ctx context.Context, env *Env, source string, f pageFetch, allow []allowEntry) (pageTrack, error) {
	t := pageTrack{tracked: true, file: env.Baselines.String()}
	old, ok, err := env.Baselines.Page(ctx, source)
	if err != nil {
		return t, err
	}
	cur := s.record(f)
	cur.RecordedAt = env.Time().UTC()
	if !ok {
		if err := env.Baselines.Record(ctx, source, cur); err != nil {
			return t, err
		}
		t.recorded = true
		t.since = cur.RecordedAt.Format("2006-01-02T15:04:05Z")
		return t, nil
	}
	t.since = old.RecordedAt.UTC().Format("2006-01-02T15:04:05Z")
	byKey := map[string]pageScript{}
	for _, sc := range s.scripts {
		key := sc.url
		if sc.inline {
			key = "inline:" + sc.hash()
		}
		byKey[key] = sc
	}
	dynamic := map[string]bool{}
	for _, e := range allow {
		dynamic[e.raw] = e.dynamic
	}
	for _, c := range baseline.Diff(old, cur) {
		pc := pageChange{Change: c}
		sc, known := byKey[c.Item]
		switch c.Kind {
		case "script_added":
			pc.authorised, pc.reason = known && sc.authorised, sc.reason
		case "script_changed":
			pc.authorised = known && sc.authorised && dynamic[sc.entry]
			if pc.authorised {
				pc.reason = fmt.Sprintf("%s (allowlist: dynamic)", sc.reason)
			}
		case "script_removed", "header_added":
			// Less on the page, or a new header, cannot skim: reported,
			// not held against the page.
			pc.authorised, pc.reason = true, "nothing added to the page"
		}
		t.changes = append(t.changes, pc)
	}
	return t, nil
}

func (t pageTrack) val() cty.Value {
	changes := make([]cty.Value, len(t.changes))
	for i, c := range t.changes {
		changes[i] = cty.ObjectVal(map[string]cty.Value{
			"kind": cty.StringVal(c.Kind), "item": cty.StringVal(c.Item), "detail": cty.StringVal(c.Detail),
			"authorised": cty.BoolVal(c.authorised), "reason": cty.StringVal(c.reason),
		})
	}
	return cty.ObjectVal(map[string]cty.Value{
		"tracked": cty.BoolVal(t.tracked), "recorded": cty.BoolVal(t.recorded),
		"file": cty.StringVal(t.file), "since": cty.StringVal(t.since),
		"changes": ListOf(pageChangeType, changes),
	})
}
