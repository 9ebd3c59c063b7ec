package probes

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/audit-tool/audit/browser"
)

// Renderer renders a page as a browser runs it; *browser.Browser is one.
type Renderer interface {
	Render(ctx context.Context, rawURL string, opt browser.Options) (*browser.Page, error)
}

// starter is a renderer that can be launched ahead of its first page.
type starter interface{ Start() error }

// Page engines: what reads the payment page.
const (
	engineAuto    = "auto"    // the browser when one is available, else static
	engineBrowser = "browser" // headless Chromium; an error without it
	engineStatic  = "static"  // the HTML as served or built, no script run
)

// pageEngine picks the engine for this run.
func pageEngine(cfgEngine string, env *Env) (string, error) {
	if (cfgEngine == engineAuto || cfgEngine == "") && env.Engine != "" {
		cfgEngine = env.Engine
	}
	switch cfgEngine {
	case engineAuto, "":
		if env.Browser != nil {
			return engineBrowser, nil
		}
		return engineStatic, nil
	case engineBrowser:
		if env.Browser == nil {
			return "", fmt.Errorf("engine = %q but no Chromium is available: install the Debian package chromium (scripts/setup.sh) or set engine = %q", engineBrowser, engineStatic)
		}
		return engineBrowser, nil
	case engineStatic:
		return engineStatic, nil
	}
	return "", fmt.Errorf("engine %q: want %q, %q or %q", cfgEngine, engineAuto, engineBrowser, engineStatic)
}

// render runs the page in the browser. A local file is served from a
// loopback file server rooted at its folder, so it runs with an origin as
// deployed; its references are then reported relative to that root, as the
// static engine reports them.
func (k Page) render(ctx context.Context, env *Env, source string, timeout time.Duration, maxBytes int64) (pageFetch, *pageScan, error) {
	target, local := source, !pageIsURL(source)
	var prefix string // the loopback origin of a local page, stripped from URLs
	if local {
		path := env.Path(source)
		st, err := os.Stat(path)
		if err != nil {
			return pageFetch{}, nil, fmt.Errorf("page: %w", err)
		}
		if !st.Mode().IsRegular() {
			return pageFetch{}, nil, fmt.Errorf("page %s: not a regular file", path)
		}
		if st.Size() > maxBytes {
			return pageFetch{}, nil, fmt.Errorf("page %s: larger than max_bytes (%d)", path, maxBytes)
		}
		srv, err := browser.Serve(filepath.Dir(path), filepath.Base(path))
		if err != nil {
			return pageFetch{}, nil, err
		}
		defer srv.Close()
		prefix = srv.URL
		target = srv.URL + "/" + url.PathEscape(filepath.Base(path))
	} else {
		u, err := url.Parse(source)
		if err != nil || u.Host == "" {
			return pageFetch{}, nil, fmt.Errorf("source %q: not a valid URL", source)
		}
		if err := env.CheckURL(u); err != nil {
			return pageFetch{}, nil, err
		}
	}
	// Chromium's start is not the page's time: launched first, outside the
	// page's deadline (the browser bounds it itself).
	if s, ok := env.Browser.(starter); ok {
		if err := s.Start(); err != nil {
			return pageFetch{}, nil, fmt.Errorf("page %s: %w", source, err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Pressing Pay is played only where no submit handler can reach a
	// live shop.
	opt := browser.Options{Offline: env.Offline, MaxScriptBytes: int(maxBytes), Submit: env.Offline || local, CardField: pageCardInput}
	if !local && env.RootCAs != nil {
		// Chromium knows only the system roots: the page's certificate is
		// verified here against the configured CA, then the tab may
		// accept it.
		host, err := pageVerifyCert(ctx, env, target)
		if err != nil {
			return pageFetch{}, nil, err
		}
		opt.TrustedHost = host
	}
	p, err := env.Browser.Render(ctx, target, opt)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return pageFetch{}, nil, fmt.Errorf("page %s: not rendered within %s: %w", source, timeout, err)
		}
		return pageFetch{}, nil, fmt.Errorf("page %s: %w", source, err)
	}
	if !local && (p.Status < 200 || p.Status > 299) {
		return pageFetch{}, nil, fmt.Errorf("page %s answered HTTP %d", p.URL, p.Status)
	}
	if int64(len(p.HTML)) > maxBytes {
		return pageFetch{}, nil, fmt.Errorf("page %s: rendered DOM larger than max_bytes (%d)", source, maxBytes)
	}

	loc := func(s string) string { return s }
	var base *url.URL
	f := pageFetch{status: p.Status, headers: p.Headers}
	html := p.HTML
	if local {
		// The loopback server's headers are not the merchant's: a local
		// page has none.
		f.status, f.headers = 0, nil
		loc = func(s string) string {
			if strings.HasPrefix(s, prefix+"/") {
				return s[len(prefix):]
			}
			return s
		}
		html = strings.ReplaceAll(html, prefix+"/", "/")
	} else {
		base, err = url.Parse(p.URL)
		if err != nil {
			return pageFetch{}, nil, fmt.Errorf("page %s: final URL %q: %w", source, p.URL, err)
		}
		f.final = base
	}
	for _, r := range p.Redirects {
		f.redirects = append(f.redirects, loc(r))
	}

	scan, err := scanPage(env.PackSet(), []byte(html), base)
	if err != nil {
		return pageFetch{}, nil, fmt.Errorf("%s (rendered): %w", source, err)
	}
	scan.engine, scan.submitPlayed, scan.clicksPlayed = engineBrowser, opt.Submit, p.Clicks
	if p.Source != nil {
		src := p.Source
		if local {
			src = []byte(strings.ReplaceAll(string(src), prefix+"/", "/"))
		}
		if orig, err := scanPage(env.PackSet(), src, base); err == nil {
			scan.sourceLines(orig)
			scan.formsBuiltBy(p.Forms, func(s string) string { return loc(strings.ReplaceAll(s, prefix+"/", "/")) })
		}
	}
	// The DOM of a same-origin frame is the page's too: its card fields
	// and forms count.
	for _, fr := range p.Frames[1:] {
		frURL := loc(fr.URL)
		host, _ := pageResolve(frURL, base, base)
		scan.frames = append(scan.frames, pageFrame{url: frURL, origin: loc(fr.Origin), host: host, depth: fr.Depth, sameOrigin: fr.HTML != ""})
		if fr.HTML == "" {
			continue
		}
		frBase := base
		if !local {
			frBase, _ = url.Parse(fr.URL)
		}
		sub, err := scanPage(env.PackSet(), []byte(strings.ReplaceAll(fr.HTML, prefix+"/", "/")), frBase)
		if err != nil {
			return pageFetch{}, nil, fmt.Errorf("%s (frame %s): %w", source, frURL, err)
		}
		for _, fm := range sub.forms {
			fm.frame = frURL
			scan.forms = append(scan.forms, fm)
		}
		for _, c := range sub.cardFields {
			c.frame = frURL
			scan.cardFields = append(scan.cardFields, c)
		}
	}

	// The elements still in the DOM give an external script its line, the
	// src as written and its type.
	docBase := base
	if local {
		docBase = &url.URL{Path: "/" + filepath.Base(source)}
	}
	elements := map[string]pageScript{}
	inlines := map[string]pageScript{} // by hash: an inline script's attributes
	for _, sc := range scan.scripts {
		if sc.inline {
			if _, dup := inlines[sc.hash()]; !dup {
				inlines[sc.hash()] = sc
			}
			continue
		}
		if ref, err := url.Parse(strings.TrimSpace(sc.src)); err == nil {
			key := docBase.ResolveReference(ref).String()
			if _, dup := elements[key]; !dup {
				elements[key] = sc
			}
		}
	}
	scan.scripts = scan.scripts[:0]
	for _, s := range p.Scripts {
		u := loc(s.URL)
		sc := pageScript{
			src: u, url: u, inline: s.Inline, integrity: s.Integrity, injectedBy: loc(s.InjectedBy),
			frame: loc(s.Frame), executed: s.Executed, blocked: s.Blocked, sum: s.SHA256, received: s.SHA256 != "",
		}
		if s.Inline {
			sc.src, sc.line, sc.sameOrigin, sc.body = "", s.Line, true, []byte(s.Text)
			if el, ok := inlines[s.SHA256]; ok && s.SHA256 != "" {
				sc.attrs = el.attrs
			}
		} else {
			sc.host, sc.sameOrigin = pageResolve(u, base, base)
			// A saved page's own absolute URLs (canonical link, og:url)
			// are the merchant's, as the static reading counts them.
			if local && scan.savedFrom != "" && pageAbsOrigin(u) == scan.savedFrom {
				sc.sameOrigin = true
			}
			sc.on = pageClassify(env.PackSet(), u, base)
			if el, ok := elements[u]; ok {
				sc.src, sc.line, sc.typ, sc.crossorigin = el.src, el.line, el.typ, el.crossorigin
			}
		}
		scan.scripts = append(scan.scripts, sc)
	}
	for _, r := range p.Requests {
		u := loc(r.URL)
		host, same := pageResolve(u, base, base)
		scan.requests = append(scan.requests, pageRequest{
			url: u, host: host, method: r.Method, typ: strings.ToLower(r.Type), sameOrigin: same,
			blocked: r.Blocked, injectedBy: loc(r.InjectedBy), hasBody: r.HasBody, status: r.Status, carriesCard: r.CarriesCard,
		})
	}
	scan.console = p.Console
	return f, scan, nil
}

// formsBuiltBy names, for each form the page as received does not have,
// the script that created its element, as the browser saw it: forms are
// matched by their action and method as written (local is what the
// probe's reading of the DOM shows them as).
func (s *pageScan) formsBuiltBy(forms []browser.Form, local func(string) string) {
	left := append([]browser.Form(nil), forms...)
	for i := range s.forms {
		f := &s.forms[i]
		if !f.built || f.frame != "" {
			continue
		}
		for j, o := range left {
			method := strings.ToLower(strings.TrimSpace(o.Method))
			if method == "" {
				method = "get"
			}
			if local(o.Action) == f.action && method == f.method {
				f.builtBy = local(o.BuiltBy)
				left = append(left[:j], left[j+1:]...)
				break
			}
		}
	}
}

// pageVerifyCert handshakes with the page's host under env's roots and
// returns the host when its certificate verifies.
func pageVerifyCert(ctx context.Context, env *Env, rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("source %q: %w", rawURL, err)
	}
	if !strings.EqualFold(u.Scheme, "https") {
		return "", nil
	}
	port := u.Port()
	if port == "" {
		port = "443"
	}
	raw, err := env.DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return "", fmt.Errorf("page %s: %w", rawURL, err)
	}
	defer raw.Close()
	conn := tls.Client(raw, &tls.Config{ServerName: u.Hostname(), RootCAs: env.RootCAs, MinVersion: tls.VersionTLS12})
	if err := conn.HandshakeContext(ctx); err != nil {
		return "", fmt.Errorf("page %s: %w", rawURL, err)
	}
	return u.Hostname(), nil
}

// pageCardInput applies the card-field rules to a field as the browser
// lists it, so that the test card number is typed where a buyer types
// theirs and nowhere else, and an expiry and a code where they go (a
// skimmer that checks what it steals sends nothing less plausible).
func pageCardInput(f browser.Field) browser.CardPart {
	return pageCardPartOf(pageInput{
		name: f.Name, id: f.ID, typ: f.Type, autocomplete: f.Autocomplete, placeholder: f.Placeholder,
		ariaLabel: f.AriaLabel, inputmode: f.InputMode, maxlength: f.MaxLength, pattern: f.Pattern,
		labelText: strings.Join(strings.Fields(f.Label), " "), label: -1,
	})
}
