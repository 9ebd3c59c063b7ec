package probes

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/pack"
)

// pageMaxScripts bounds how many of the page's own external scripts are
// read: a checkout page loads a handful, a hostile one thousands.
const pageMaxScripts = 32

// pageJSCall is a wanted call found on the page or in one of its scripts.
type pageJSCall struct {
	jsCallFound
	file string // the script's src; "" for the page itself
}

// pageUnread is a script whose calls could not be seen.
type pageUnread struct{ src, reason string }

// pageWanted lists the calls every pack asks for.
func pageWanted(set *pack.Set) []jsWanted {
	var w []jsWanted
	for _, p := range set.Packs() {
		for _, c := range p.JSCalls {
			w = append(w, jsWanted{provider: p.Name, name: c.Name, callee: c.Callee, options: c.Options})
		}
	}
	return w
}

// pageIsJS: scripts without a type, or of a JavaScript MIME type or
// module; JSON-LD, templates and the like hold no calls.
func pageIsJS(typ string) bool {
	t := strings.ToLower(strings.TrimSpace(typ))
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "", "module", "text/javascript", "application/javascript", "application/ecmascript", "text/ecmascript":
		return true
	}
	return false
}

// readScript adds the wanted calls of one script.
func (s *pageScan) readScript(wanted []jsWanted, file string, sc jsScript) {
	calls, err := jsFindCalls(sc, wanted)
	if err != nil {
		where := file
		if where == "" {
			where = "the page"
		}
		s.unread = append(s.unread, pageUnread{src: file, reason: fmt.Sprintf("%s line %d: %s", where, err.line, err.msg)})
		return
	}
	for _, c := range calls {
		s.jsCalls = append(s.jsCalls, pageJSCall{jsCallFound: c, file: file})
	}
}

// readExternal reads the page's same-origin external scripts (a theme or
// plugin ships its button code that way) and adds their calls. A local
// page's scripts are files relative to it; a served page's are fetched
// from its origin.
func (s *pageScan) readExternal(ctx context.Context, env *Env, wanted []jsWanted, pageFile string, final *url.URL, timeout time.Duration, maxBytes int64) {
	if len(wanted) == 0 {
		return
	}
	seen := map[string]bool{}
	n := 0
	for _, sc := range s.scripts {
		if sc.inline || !sc.sameOrigin || !pageIsJS(sc.typ) || seen[sc.src] || strings.TrimSpace(sc.src) == "" {
			continue
		}
		seen[sc.src] = true
		if n++; n > pageMaxScripts {
			s.unread = append(s.unread, pageUnread{src: sc.src, reason: fmt.Sprintf("more than %d same-origin scripts: not read", pageMaxScripts)})
			continue
		}
		var body []byte
		var err error
		if final == nil {
			body, err = pageScriptFile(env, pageFile, sc.src, maxBytes)
		} else {
			body, err = pageScriptURL(ctx, env, final, sc.src, timeout, maxBytes)
		}
		if err != nil {
			s.unread = append(s.unread, pageUnread{src: sc.src, reason: err.Error()})
			continue
		}
		s.readScript(wanted, sc.src, jsScript{src: string(body), line: 1})
	}
	sort.SliceStable(s.jsCalls, func(i, j int) bool { return s.jsCalls[i].file == "" && s.jsCalls[j].file != "" })
}

// pageScriptFile resolves src against the page file's folder. A
// root-relative "/x.js" is looked for in that folder, then in each folder
// above it up to the integration folder: a page at public/checkouts/new.html
// is served from the site root public/.
func pageScriptFile(env *Env, pageFile, src string, maxBytes int64) ([]byte, error) {
	u, err := url.Parse(strings.TrimSpace(src))
	if err != nil || u.Path == "" {
		return nil, fmt.Errorf("script %q: not a file reference", src)
	}
	rel := filepath.FromSlash(path.Clean("/" + u.Path))
	dir := filepath.Dir(env.Path(pageFile))
	first := filepath.Join(dir, rel)
	if !strings.HasPrefix(u.Path, "/") || env.BaseDir == "" {
		return pageReadFile(env.Scope, first, maxBytes)
	}
	base, err := filepath.Abs(env.BaseDir)
	if err != nil {
		return pageReadFile(env.Scope, first, maxBytes)
	}
	for d, _ := filepath.Abs(dir); d != "" && strings.HasPrefix(d, base); d = filepath.Dir(d) {
		if p := filepath.Join(d, rel); pageFileExists(p) {
			return pageReadFile(env.Scope, p, maxBytes)
		}
		if d == base || d == filepath.Dir(d) {
			break
		}
	}
	return pageReadFile(env.Scope, first, maxBytes)
}

func pageFileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func pageScriptURL(ctx context.Context, env *Env, final *url.URL, src string, timeout time.Duration, maxBytes int64) ([]byte, error) {
	ref, err := url.Parse(strings.TrimSpace(src))
	if err != nil {
		return nil, fmt.Errorf("script %q: %w", src, err)
	}
	u := final.ResolveReference(ref)
	if err := env.CheckURL(u); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("script %s: %w", u.Redacted(), err)
	}
	req.Header.Set("User-Agent", "audit (payment page review)")
	resp, err := env.HTTPClient(pageMaxRedirects).Do(req)
	if err != nil {
		return nil, fmt.Errorf("script %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("script %s answered %s", u.Redacted(), resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("script %s: %w", u.Redacted(), err)
	}
	if int64(len(body)) > maxBytes {
		return nil, fmt.Errorf("script %s: larger than max_bytes (%d)", u.Redacted(), maxBytes)
	}
	return body, nil
}

func (s *pageScan) jsCallFacts() cty.Value {
	if len(s.jsCalls) == 0 {
		return cty.EmptyTupleVal
	}
	vals := make([]cty.Value, len(s.jsCalls))
	for i, c := range s.jsCalls {
		truthy, lines := map[string]cty.Value{}, map[string]cty.Value{}
		var undecided []string
		opts := c.options
		options := cty.EmptyObjectVal
		if opts.kind == jsObject {
			options = opts.cty()
			for _, k := range opts.keys {
				f := opts.fields[k]
				lines[k] = cty.NumberIntVal(int64(f.line))
				if b, ok := f.truth(); ok {
					truthy[k] = cty.BoolVal(b)
				} else {
					undecided = append(undecided, k)
				}
			}
			if opts.open {
				undecided = append(undecided, "*")
			}
		} else if opts.kind == jsRaw {
			undecided = append(undecided, "*") // the options object itself is the run's
		}
		vals[i] = cty.ObjectVal(map[string]cty.Value{
			"provider": cty.StringVal(c.want.provider), "call": cty.StringVal(c.want.name),
			"callee": cty.StringVal(c.want.callee), "file": cty.StringVal(c.file),
			"line": cty.NumberIntVal(int64(c.line)), "options": options,
			"options_source": cty.StringVal(map[bool]string{true: opts.text, false: ""}[opts.kind == jsRaw]),
			"truthy":         ctyMap(cty.Bool, truthy), "lines": ctyMap(cty.Number, lines),
			"undecided": Strings(undecided),
		})
	}
	return cty.TupleVal(vals)
}

func ctyMap(t cty.Type, m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.MapValEmpty(t)
	}
	return cty.MapVal(m)
}

func (s *pageScan) unreadFacts() cty.Value {
	t := cty.Object(map[string]cty.Type{"src": cty.String, "reason": cty.String})
	vals := make([]cty.Value, len(s.unread))
	for i, u := range s.unread {
		vals[i] = cty.ObjectVal(map[string]cty.Value{"src": cty.StringVal(u.src), "reason": cty.StringVal(u.reason)})
	}
	return ListOf(t, vals)
}
