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
	// unseen are the scripts whose content could not be compared, in this
	// run or in the record: the step cannot pass on them.
	unseen []baseline.Change
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
	kept := 0 // bytes of inline code kept
	for _, sc := range s.scripts {
		rec := baseline.Script{Key: sc.url, SHA256: sc.hash(), Integrity: sc.integrity, Blocked: sc.blocked}
		if rec.SHA256 == "" && rec.Blocked == "" {
			rec.Blocked = "not read"
		}
		if sc.inline {
			rec.Key, rec.Attrs = "inline:"+sc.hash(), sc.attrs
			if len(sc.body) <= baseline.MaxText && kept+len(sc.body) <= baseline.MaxPageText {
				rec.Text = string(sc.body)
				kept += len(sc.body)
			}
		}
		p.Scripts = append(p.Scripts, rec)
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
		// A record without a script's hash cannot tell a later change
		// of it: this run is no evidence for that script either.
		for _, sc := range s.scripts {
			if sc.inline || sc.hash() != "" || sc.blocked == "csp" {
				continue
			}
			if sc.authorised && sc.entryAt > 0 && allow[sc.entryAt-1].dynamic {
				continue
			}
			why := sc.blocked
			if why == "" {
				why = "not read"
			}
			t.unseen = append(t.unseen, baseline.Change{Kind: "script_unseen", Item: sc.url,
				Detail: "not received (" + why + "): the record keeps no hash of it"})
		}
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
	entry := func(sc pageScript) (allowEntry, bool) {
		if !sc.authorised || sc.entryAt == 0 {
			return allowEntry{}, false
		}
		return allow[sc.entryAt-1], true
	}
	changes := baseline.Diff(old, cur)
	paired := s.pairInline(changes, old, byKey, entry)
	for i, c := range changes {
		if paired[i] == skipChange {
			continue
		}
		pc := pageChange{Change: c}
		sc, known := byKey[c.Item]
		e, listed := entry(sc)
		switch c.Kind {
		case "script_added":
			pc.authorised, pc.reason = known && sc.authorised, sc.reason
		case "script_changed":
			pc.authorised = known && listed && e.dynamic
			if pc.authorised {
				pc.reason = fmt.Sprintf("%s (allowlist: dynamic)", sc.reason)
			}
		case "script_removed", "header_added":
			// Less on the page, or a new header, cannot skim: reported,
			// not held against the page.
			pc.authorised, pc.reason = true, "nothing added to the page"
		case "script_unseen":
			// Its content may change anyway: nothing to compare.
			if !(known && listed && e.dynamic) {
				t.unseen = append(t.unseen, c)
				continue
			}
			pc.authorised, pc.reason = true, fmt.Sprintf("%s (allowlist: dynamic)", sc.reason)
		}
		if p, ok := paired[i]; ok {
			pc = p
		}
		t.changes = append(t.changes, pc)
	}
	return t, nil
}

// skipChange marks a change folded into another by pairInline.
var skipChange = pageChange{Change: baseline.Change{Kind: "-"}}

// pairInline finds the inline scripts whose code changed: a new inline
// script that an allowlist entry names by attribute or by code, and an
// inline script of the record the same entry names. Each pair is one
// script_changed with the diff of the code, in place of the added script;
// the removed one is skipped. The change is authorised when the entry says
// dynamic = true, or gives the code with its variable parts (then the
// change is in those parts); otherwise it fails like any changed script.
// An unlisted inline script with an id is paired by its id, unauthorised.
func (s *pageScan) pairInline(changes []baseline.Change, old baseline.Page, byKey map[string]pageScript, entry func(pageScript) (allowEntry, bool)) map[int]pageChange {
	out := map[int]pageChange{}
	recorded := map[string]baseline.Script{}
	for _, o := range old.Scripts {
		recorded[o.Key] = o
	}
	removed := map[int]baseline.Script{}
	var order []int
	for i, c := range changes {
		if c.Kind == "script_removed" && strings.HasPrefix(c.Item, "inline:") {
			removed[i] = recorded[c.Item]
			order = append(order, i)
		}
	}
	for i, c := range changes {
		if c.Kind != "script_added" || !strings.HasPrefix(c.Item, "inline:") {
			continue
		}
		sc := byKey[c.Item]
		e, ok := entry(sc)
		if !ok || !e.inline {
			// Unlisted, but named by its id: still one script whose
			// code changed, shown with its diff (and not authorised).
			id := sc.attrs["id"]
			if sc.authorised || id == "" {
				continue
			}
			e = allowEntry{raw: "inline#" + id, inline: true, sel: &inlineSelector{attr: "id", value: id}}
		}
		for _, j := range order {
			o, left := removed[j]
			if !left || !e.matches(pageScript{inline: true, attrs: o.Attrs, body: []byte(o.Text), sum: o.SHA256}, "") {
				continue
			}
			delete(removed, j)
			out[j] = skipChange
			item := e.raw
			if sc.line > 0 {
				item = fmt.Sprintf("%s (line %d)", e.raw, sc.line)
			}
			detail := o.SHA256 + " → " + sc.hash()
			if o.Text != "" {
				detail = textDiff(o.Text, string(sc.body)) + " (" + detail + ")"
			}
			pc := pageChange{Change: baseline.Change{Kind: "script_changed", Item: item, Detail: detail}}
			switch {
			case e.tmpl != nil:
				pc.authorised, pc.reason = true, e.reason+" (allowlist: its declared variable parts)"
			case e.dynamic:
				pc.authorised, pc.reason = true, e.reason+" (allowlist: dynamic)"
			}
			out[i] = pc
			break
		}
	}
	return out
}

func (t pageTrack) val() cty.Value {
	changes := make([]cty.Value, len(t.changes))
	for i, c := range t.changes {
		changes[i] = cty.ObjectVal(map[string]cty.Value{
			"kind": cty.StringVal(c.Kind), "item": cty.StringVal(c.Item), "detail": cty.StringVal(c.Detail),
			"authorised": cty.BoolVal(c.authorised), "reason": cty.StringVal(c.reason),
		})
	}
	unseen := make([]cty.Value, len(t.unseen))
	for i, c := range t.unseen {
		unseen[i] = cty.ObjectVal(map[string]cty.Value{"item": cty.StringVal(c.Item), "detail": cty.StringVal(c.Detail)})
	}
	return cty.ObjectVal(map[string]cty.Value{
		"tracked": cty.BoolVal(t.tracked), "recorded": cty.BoolVal(t.recorded),
		"file": cty.StringVal(t.file), "since": cty.StringVal(t.since),
		"changes": ListOf(pageChangeType, changes),
		"unseen":  ListOf(pageUnseenType, unseen),
	})
}
