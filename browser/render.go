package browser

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/debugger"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/security"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Options tune one rendering.
type Options struct {
	// Offline blocks every request that leaves loopback; blocked requests
	// are still recorded.
	Offline bool
	// Settle is how long the page must stay quiet (no new request or
	// script) after the load event before it is read; scripts that inject
	// others on a timer are caught within it. 0: 400ms.
	Settle time.Duration
	// MaxSettle bounds the wait for quiet. 0: 3s.
	MaxSettle time.Duration
	// Later is how far the page's timers are run ahead on virtual time
	// once it is quiet, before and after a buyer's input is played: a
	// skimmer that injects itself or polls the card fields a while after
	// load shows within a fraction of it in real time. 0: 30s.
	Later time.Duration
	// Submit also plays the buyer pressing Pay: a submit event on every
	// form, which runs the page's submit handlers (skimmers hook them),
	// then a click on each button, and each element the page listens to
	// clicks on, near the card fields (a form-jacker's own Pay button),
	// links that leave the page excepted. No form is sent and the page is
	// not left: a submission is stopped, a navigation answered with 204
	// No Content, a pop-up recorded as such a navigation and not opened.
	// Set it only where no handler can reach a live shop: offline, or a
	// local built page.
	Submit bool
	// CardField tells the card fields among the page's fields and what
	// each holds: the number gets PlayedCard typed, an expiry a date a few
	// years ahead, a code 123; the other fields get a plain word. nil: no
	// field is a card field, and no request can carry the card.
	CardField func(Field) CardPart
	// MaxScriptBytes caps how much of one script's source is hashed and
	// kept; a larger script is reported with Truncated set. 0: 5 MiB.
	MaxScriptBytes int
	// TrustedHost, when set, is a host whose certificate the caller has
	// verified itself (against a private CA Chromium does not know): the
	// tab then accepts certificates it cannot verify. Set it only offline
	// or for a staging host, since it applies to every host of the tab.
	TrustedHost string
}

// CardPart is what a card field holds.
type CardPart int

// What a card field holds.
const (
	NotCard         CardPart = iota
	CardNumber               // the card number
	CardExpiry               // the expiry date, MM/YY
	CardExpiryMonth          // the expiry's month alone
	CardExpiryYear           // the expiry's year alone
	CardCode                 // the security code (CVC, CVV)
)

// typed is what a buyer types into a field that holds p, "" when p is not
// card data: a published test card, and an expiry and a code a card
// check accepts, so that a skimmer that validates what it steals sends it.
func (p CardPart) typed(f Field, now time.Time) string {
	year := now.Year() + 4
	switch p {
	case CardNumber:
		return PlayedCard
	case CardExpiry:
		return fmt.Sprintf("12/%02d", year%100)
	case CardExpiryMonth:
		return "12"
	case CardExpiryYear:
		if strings.TrimSpace(f.MaxLength) == "2" {
			return fmt.Sprintf("%02d", year%100)
		}
		return fmt.Sprint(year)
	case CardCode:
		return "123"
	}
	return ""
}

// Field is an input of the page as a buyer fills it: what Options.CardField
// decides on.
type Field struct {
	Name         string `json:"name"`
	ID           string `json:"id"`
	Type         string `json:"type"` // an input's type (text when absent), or select, textarea
	Autocomplete string `json:"autocomplete"`
	Placeholder  string `json:"placeholder"`
	AriaLabel    string `json:"aria_label"`
	InputMode    string `json:"inputmode"`
	MaxLength    string `json:"maxlength"`
	Pattern      string `json:"pattern"`
	Label        string `json:"label"` // the text of its <label>
}

// Page is what the browser saw.
type Page struct {
	URL       string      // the main document's final URL
	Status    int         // its HTTP status
	Headers   http.Header // its response headers
	Redirects []string    // every URL the main document went through, the final one last
	HTML      string      // the main frame's DOM after the scripts ran
	Source    []byte      // the main document as received (nil when unreadable)
	Frames    []Frame     // every frame, the main one first
	Scripts   []Script    // every script that ran or was stopped, in order
	Requests  []Request   // every request the page made
	Console   []string    // console errors, uncaught exceptions, browser warnings
	Clicks    int         // elements clicked when Pay was played
	Forms     []Form      // the main frame's forms as read, with the script that built each
}

// Form is a form of the page as read: its action and method attributes as
// written, and the script whose code created the element ("" when the
// HTML parser did; a form the parser made whose action a script changed
// has none).
type Form struct {
	Action, Method string
	BuiltBy        string
}

// Frame is one browsing context.
type Frame struct {
	ID, ParentID string
	URL, Origin  string
	Depth        int // 0: the main frame
	// HTML is the frame's DOM after the scripts ran, when the main frame can
	// read it (same origin); "" otherwise.
	HTML string
}

// Script is one script of the page.
type Script struct {
	URL       string // absolute; for an inline script, the document that holds it
	Inline    bool   // an inline <script>, an injected text, eval or new Function
	Integrity string // the integrity attribute, when the element is still in the DOM
	// InjectedBy is the URL of the script whose code added this one, "" when
	// the HTML itself (the parser) did.
	InjectedBy string
	Frame      string // URL of the frame it belongs to
	Line       int    // 1-based line within its document, for inline scripts
	SHA256     string // "sha256-<base64>" of the source received
	// Text is an inline script's code as received (up to MaxScriptBytes):
	// what a template allowlist entry matches and a baseline diff shows.
	Text      string
	Bytes     int
	Truncated bool
	Executed  bool   // Chromium parsed and ran it
	Blocked   string // why it was not loaded ("offline", "csp", an error), "" when it was
}

// Request is one network request of the page.
type Request struct {
	URL, Method, Type string
	Frame             string
	InjectedBy        string // URL of the script that sent it, "" for the parser
	Status            int
	HasBody           bool
	Blocked           string // "offline", "csp", … ; "" when it went through
	// CarriesCard: the card number played into the page's fields is in
	// its URL or body, as typed or URL- or base64-encoded. Where card data
	// goes is where such requests go.
	CarriesCard bool
}

// PlayedCard is the number typed into the page's card fields: a
// published test card, so that a skimmer that sends it sends nothing of
// anyone's.
const PlayedCard = "4242424242424242"

// maxPostData bounds the body Chromium reports with each request.
const maxPostData = 64 << 10

// marker names the expressions the probe itself evaluates, so that they
// are never reported as the page's scripts.
const marker = "audit-browser-probe"

// collector gathers the events of one tab.
type collector struct {
	mu       sync.Mutex
	last     time.Time
	requests map[network.RequestID]*Request
	order    []network.RequestID
	docs     []string // main-document URLs, redirects first
	docReq   network.RequestID
	mainID   cdp.FrameID
	status   int
	headers  http.Header
	scripts  []*debugger.EventScriptParsed
	console  []string
	blocked  map[string]string // URL → reason, from the Fetch handler
	paused   chan *fetch.EventRequestPaused
	dialogs  chan *page.EventJavascriptDialogOpening
	done     bool // Render returned: paused is closed
	// frozen: the page is being read; events are ignored from then on, so
	// read uses the fields without the lock (it must not hold it while it
	// sends commands: the read loop that answers them calls on).
	frozen   bool
	firstDoc bool
	// read: the DOM and frames were read; a navigation from then on (a
	// timer run ahead, a handler of the played input) is a request of
	// the page, not a hop of its document.
	read bool
	// navigated: the main frame went to another document after read.
	navigated bool
	// playing: Pay is being played; the main frame must not be left.
	playing bool
	offline bool // the tab's requests are held to loopback
	// clicks: how many elements inputJS clicked.
	clicks int
	// expired is signalled when a virtual time budget is spent.
	expired chan struct{}
	// answered is signalled when a navigation of the page being played
	// was answered.
	answered chan struct{}
}

func (c *collector) touch() { c.last = time.Now() }

// on runs in the tab's read loop: it must return fast and run no command.
func (c *collector) on(ev any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		return
	}
	switch ev := ev.(type) {
	case *fetch.EventRequestPaused:
		c.touch()
		if c.done {
			return
		}
		select {
		case c.paused <- ev:
		default:
			// The handler is gone (the page is over): the request stays
			// paused and dies with the tab.
		}
	case *network.EventRequestWillBeSent:
		c.touch()
		r, ok := c.requests[ev.RequestID]
		if !ok {
			r = &Request{}
			c.requests[ev.RequestID] = r
			c.order = append(c.order, ev.RequestID)
		}
		r.URL, r.Method, r.Type = ev.Request.URL, ev.Request.Method, string(ev.Type)
		r.Frame, r.HasBody = string(ev.FrameID), ev.Request.HasPostData
		r.CarriesCard = carriesCard(ev.Request.URL+ev.Request.URLFragment, ev.Request.PostDataEntries)
		r.InjectedBy = initiatorScript(ev.Initiator)
		if c.read && ev.Type == network.ResourceTypeDocument && ev.FrameID == c.mainID && ev.LoaderID == cdp.LoaderID(ev.RequestID) {
			c.navigated = true
		}
		if !c.read && ev.Type == network.ResourceTypeDocument && (c.mainID == "" || ev.FrameID == c.mainID) && ev.LoaderID == cdp.LoaderID(ev.RequestID) {
			if c.mainID == "" {
				c.mainID = ev.FrameID
			}
			c.docs = append(c.docs, ev.Request.URL)
			c.docReq = ev.RequestID
		}
	case *network.EventResponseReceived:
		c.touch()
		if r, ok := c.requests[ev.RequestID]; ok {
			r.Status = int(ev.Response.Status)
		}
		if ev.Type == network.ResourceTypeDocument && ev.FrameID == c.mainID && !c.firstDoc {
			c.firstDoc = true
			c.status = int(ev.Response.Status)
			c.headers = headers(ev.Response.Headers)
		}
	case *network.EventLoadingFailed:
		c.touch()
		if r, ok := c.requests[ev.RequestID]; ok {
			switch {
			case c.blocked[r.URL] != "":
				r.Blocked = c.blocked[r.URL]
			case ev.BlockedReason == network.BlockedReasonCsp:
				r.Blocked = "csp"
			case ev.BlockedReason != "":
				r.Blocked = string(ev.BlockedReason)
			case ev.Canceled:
			default:
				r.Blocked = ev.ErrorText
			}
		}
	case *network.EventWebSocketCreated:
		// Not a request the Network domain reports, nor one the Fetch
		// handler sees: recorded here, and offline stopped by the proxy.
		c.touch()
		r := &Request{URL: ev.URL, Method: "GET", Type: "WebSocket", InjectedBy: initiatorScript(ev.Initiator)}
		if c.offline && !loopbackURL(ev.URL) {
			r.Blocked = "offline"
		}
		c.requests[ev.RequestID] = r
		c.order = append(c.order, ev.RequestID)
	case *network.EventWebSocketHandshakeResponseReceived:
		if r, ok := c.requests[ev.RequestID]; ok && ev.Response != nil {
			r.Status = int(ev.Response.Status)
		}
	case *network.EventWebSocketFrameSent:
		// A frame the page sends is the request body of a WebSocket.
		c.touch()
		if r, ok := c.requests[ev.RequestID]; ok && ev.Response != nil {
			r.HasBody = true
			r.CarriesCard = r.CarriesCard || carriesCard("", []*network.PostDataEntry{{Bytes: ev.Response.PayloadData}})
		}
	case *network.EventWebSocketFrameError:
		if r, ok := c.requests[ev.RequestID]; ok && r.Blocked == "" && r.Status == 0 {
			r.Blocked = ev.ErrorMessage
		}
	case *page.EventJavascriptDialogOpening:
		// A dialog stops the page's scripts, and every command of the
		// probe, until it is answered: answered at once, and noted.
		c.touch()
		c.console = append(c.console, "dialog: "+string(ev.Type)+"("+firstLine(ev.Message)+")")
		if !c.done {
			select {
			case c.dialogs <- ev:
			default:
			}
		}
	case *emulation.EventVirtualTimeBudgetExpired:
		select {
		case c.expired <- struct{}{}:
		default:
		}
	case *debugger.EventScriptParsed:
		// Before the page's document is requested, scripts are the blank
		// tab's and the driver's own.
		if c.mainID == "" || strings.Contains(ev.URL, marker) {
			return
		}
		// A frame that failed to load (blocked offline, refused) shows
		// Chromium's own error page, whose scripts are not the page's.
		if strings.HasPrefix(ev.URL, "chrome-error:") || strings.HasPrefix(ev.URL, "chrome:") {
			return
		}
		c.touch()
		c.scripts = append(c.scripts, ev)
	case *runtime.EventExceptionThrown:
		c.touch()
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		c.console = append(c.console, fmt.Sprintf("uncaught: %s (%s:%d)", firstLine(msg), d.URL, d.LineNumber+1))
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			if a.Description != "" {
				parts = append(parts, a.Description)
			} else if len(a.Value) > 0 {
				parts = append(parts, strings.Trim(string(a.Value), `"`))
			}
		}
		c.console = append(c.console, "console."+string(ev.Type)+": "+firstLine(strings.Join(parts, " ")))
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning {
			if ev.Entry.Source == cdplog.EntrySourceNetwork && strings.Contains(ev.Entry.Text, "ERR_BLOCKED_BY_CLIENT") {
				return // the offline blocks, reported as requests
			}
			c.console = append(c.console, string(ev.Entry.Source)+": "+firstLine(ev.Entry.Text))
		}
	}
}

// sriFailed reports whether Chromium refused u for its integrity
// attribute; it says so only on the console.
func (c *collector) sriFailed(u string) bool {
	for _, m := range c.console {
		if strings.Contains(m, "'integrity' attribute") && strings.Contains(m, "'"+u+"'") {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// initiatorScript is the URL of the script that caused a request, "" when
// the HTML parser did.
func initiatorScript(in *network.Initiator) string {
	if in == nil || in.Type != network.InitiatorTypeScript {
		return ""
	}
	for st := in.Stack; st != nil; st = st.Parent {
		for _, f := range st.CallFrames {
			if f.URL != "" && !strings.Contains(f.URL, marker) {
				return f.URL
			}
		}
	}
	return in.URL
}

func headers(h network.Headers) http.Header {
	out := http.Header{}
	for k, v := range h {
		s, _ := v.(string)
		// The protocol joins repeated headers with a newline.
		for _, line := range strings.Split(s, "\n") {
			out.Add(k, line)
		}
	}
	return out
}

// loopbackURL reports whether u may be fetched offline.
func loopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob", "about":
		return true
	}
	host := strings.TrimSuffix(strings.Trim(u.Hostname(), "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Render loads rawURL in a fresh browser context and reads the page. ctx's
// deadline bounds the whole rendering; the tab is closed on return.
func (b *Browser) Render(ctx context.Context, rawURL string, opt Options) (*Page, error) {
	if opt.Settle <= 0 {
		opt.Settle = 400 * time.Millisecond
	}
	if opt.MaxSettle <= 0 {
		opt.MaxSettle = 3 * time.Second
	}
	if opt.Later <= 0 {
		opt.Later = 30 * time.Second
	}
	if opt.MaxScriptBytes <= 0 {
		opt.MaxScriptBytes = 5 << 20
	}
	if opt.Offline && !loopbackURL(rawURL) {
		return nil, fmt.Errorf("browser: %s is not on loopback and the run is offline", rawURL)
	}
	if err := b.start(); err != nil {
		return nil, err
	}
	c := &collector{
		requests: map[network.RequestID]*Request{}, blocked: map[string]string{},
		paused: make(chan *fetch.EventRequestPaused, 256), last: time.Now(), expired: make(chan struct{}, 1),
		answered: make(chan struct{}, 1), offline: opt.Offline,
		dialogs: make(chan *page.EventJavascriptDialogOpening, 16),
	}
	var offline []chromedp.CreateBrowserContextOption
	if opt.Offline {
		// Loopback bypasses a proxy; the rest meets the dead end, whether
		// the Fetch handler sees it or not (WebSockets, workers).
		offline = append(offline, func(p *target.CreateBrowserContextParams) { p.ProxyServer = "http://" + b.deadEnd.addr })
	}
	base, closeTab := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext(offline...), chromedp.WithListener(c.on))
	defer closeTab()
	// The first Do opens the tab, which lives as long as base (so it is
	// not given ctx); ctx still bounds the wait for it.
	opened := make(chan error, 1)
	go func() { opened <- chromedp.Do(base) }()
	select {
	case err := <-opened:
		if err != nil {
			return nil, fmt.Errorf("browser: open tab: %w", err)
		}
	case <-ctx.Done():
		// Closing the tab's context ends the pending Do; it is not
		// waited for, a wedged browser must not hold the run.
		closeTab()
		return nil, fmt.Errorf("browser: open tab: %w", ctx.Err())
	}
	tab, cancel := mergeDeadline(base, ctx)
	defer cancel()
	pausedDone, dialogsDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(pausedDone)
		b.handlePaused(tab, c, opt.Offline)
	}()
	go func() {
		defer close(dialogsDone)
		answerDialogs(tab, c.dialogs)
	}()
	defer func() { <-pausedDone; <-dialogsDone }()
	defer func() {
		c.mu.Lock()
		c.done = true
		close(c.paused)
		close(c.dialogs)
		c.mu.Unlock()
	}()

	setup := []func() error{
		func() error {
			_, err := chromedp.Call(tab, network.Enable, network.EnableParams{MaxPostDataSize: new(int64(maxPostData))})
			return err
		},
		func() error {
			_, err := chromedp.Call(tab, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
			return err
		},
		func() error { _, err := chromedp.Call(tab, debugger.Enable, debugger.EnableParams{}); return err },
		// Async stacks name the script behind a setTimeout or a promise
		// that injects another.
		func() error {
			_, err := chromedp.Call(tab, debugger.SetAsyncCallStackDepth, debugger.SetAsyncCallStackDepthParams{MaxDepth: 16})
			return err
		},
		func() error { _, err := chromedp.Call(tab, cdplog.Enable, cdp.Empty{}); return err },
		// Which script created each form element (a form-jacker's).
		func() error { _, err := chromedp.Call(tab, dom.Enable, dom.EnableParams{}); return err },
		func() error {
			_, err := chromedp.Call(tab, dom.SetNodeStackTracesEnabled, dom.SetNodeStackTracesEnabledParams{Enable: true})
			return err
		},
		func() error {
			_, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hooksJS})
			return err
		},
	}
	if opt.TrustedHost != "" {
		setup = append(setup, func() error {
			_, err := chromedp.Call(tab, security.SetIgnoreCertificateErrors, security.SetIgnoreCertificateErrorsParams{Ignore: true})
			return err
		})
	}
	// Offline every request is paused, to hold back what leaves loopback;
	// where Pay is played, documents are, to keep the page from being left.
	if opt.Offline || opt.Submit {
		pattern := &fetch.RequestPattern{URLPattern: "*"}
		if !opt.Offline {
			pattern.ResourceType = network.ResourceTypeDocument
		}
		setup = append(setup, func() error {
			_, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{pattern}})
			return err
		})
	}
	for _, f := range setup {
		if err := f(); err != nil {
			return nil, fmt.Errorf("browser: set up tab: %w", err)
		}
	}

	if err := chromedp.Do(tab, chromedp.Navigate(rawURL)); err != nil {
		return nil, fmt.Errorf("browser: load %s: %w", rawURL, err)
	}
	if err := settle(tab, c, opt); err != nil {
		return nil, fmt.Errorf("browser: %s did not settle: %w", rawURL, err)
	}
	dom, err := readDOM(tab, c)
	if err != nil {
		return nil, err
	}
	// What the buyer meets is the page once its timers ran (a form-jacker
	// swaps the provider's iframe for its own form a moment after load),
	// unless they took it to another document: then the page as loaded.
	if err := later(tab, c, opt); err != nil {
		return nil, fmt.Errorf("browser: %s: %w", rawURL, err)
	}
	c.mu.Lock()
	navigated := c.navigated
	c.mu.Unlock()
	if !navigated {
		if dom, err = readDOM(tab, c); err != nil {
			return nil, err
		}
	}
	if err := play(tab, c, opt); err != nil {
		return nil, fmt.Errorf("browser: %s: %w", rawURL, err)
	}
	return b.read(tab, c, opt, dom)
}

// play runs what the page does on a buyer's input, so that the scripts
// and requests it causes are recorded: the input is played on every field
// (in the main frame and the frames it can reach: focus, keys, a value,
// change, blur — skimmers wait for these), and the page's timers run
// ahead again. Only with opt.Submit is Pay pressed (submit events, then
// clicks near the card fields): an audit of a live shop must not place
// orders.
func play(tab context.Context, c *collector, opt Options) error {
	fields, err := chromedp.Run(tab, chromedp.Evaluate[[]Field](fieldsJS))
	if err != nil {
		return fmt.Errorf("list the fields: %w", err)
	}
	typed := make([]string, len(fields))
	for i, f := range fields {
		if opt.CardField != nil {
			typed[i] = opt.CardField(f).typed(f, time.Now())
		}
	}
	arg, err := json.Marshal(typed)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.playing = opt.Submit
	c.mu.Unlock()
	var played struct {
		Clicks int `json:"clicks"`
	}
	raw, err := chromedp.Run(tab, chromedp.Evaluate[json.RawMessage](fmt.Sprintf(inputJS, arg, opt.Submit)))
	if err != nil {
		return fmt.Errorf("play input: %w", err)
	}
	if err := json.Unmarshal(raw, &played); err != nil {
		return fmt.Errorf("play input: %w", err)
	}
	for i := range played.Clicks {
		navigates, err := chromedp.Run(tab, chromedp.Evaluate[bool](fmt.Sprintf(clickJS, i)))
		if err != nil {
			return fmt.Errorf("play a click: %w", err)
		}
		// The next click would cancel the navigation this one started
		// before it is recorded: wait until the Fetch handler answered it.
		if navigates {
			wait := time.NewTimer(time.Second)
			select {
			case <-c.answered:
			case <-wait.C:
			case <-tab.Done():
			}
			wait.Stop()
		}
	}
	c.mu.Lock()
	c.clicks = played.Clicks
	c.mu.Unlock()
	if err := later(tab, c, opt); err != nil {
		return err
	}
	return settle(tab, c, opt)
}

// later lets opt.Later of the page's time pass on virtual time, which
// Chromium fast-forwards while no request is pending; it waits at most
// half of opt.MaxSettle in real time (a page that keeps a request open
// holds virtual time still), then returns the page to real time.
func later(tab context.Context, c *collector, opt Options) error {
	budget := float64(opt.Later.Milliseconds())
	if _, err := chromedp.Call(tab, emulation.SetVirtualTimePolicy, emulation.SetVirtualTimePolicyParams{
		Policy: emulation.VirtualTimePolicyPauseIfNetworkFetchesPending, Budget: &budget,
	}); err != nil {
		return fmt.Errorf("virtual time: %w", err)
	}
	wait := time.NewTimer(opt.MaxSettle / 2)
	defer wait.Stop()
	select {
	case <-c.expired:
	case <-wait.C:
	case <-tab.Done():
		return tab.Err()
	}
	if _, err := chromedp.Call(tab, emulation.SetVirtualTimePolicy, emulation.SetVirtualTimePolicyParams{Policy: emulation.VirtualTimePolicyAdvance}); err != nil {
		return fmt.Errorf("virtual time: %w", err)
	}
	return nil
}

// fieldsJS lists the fields a buyer fills, in the main frame and the
// frames it can reach, shadow roots included, and keeps them (under a
// symbol of the probe's) for inputJS.
const fieldsJS = `(() => {
  const skip = new Set(['hidden', 'submit', 'button', 'image', 'reset', 'file', 'checkbox', 'radio', 'range', 'color']);
` + shadowQueryJS + `
  const kept = [];
  const out = [];
  const text = (el) => (el && el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 200);
  const walk = (doc, depth) => {
    for (const el of all(doc, 'input, textarea, select')) {
      const type = el.tagName === 'INPUT' ? (el.getAttribute('type') || 'text').toLowerCase() : el.tagName.toLowerCase();
      if (skip.has(type) || el.disabled) continue;
      const a = (n) => el.getAttribute(n) || '';
      kept.push(el);
      out.push({name: a('name'), id: a('id'), type, autocomplete: a('autocomplete'), placeholder: a('placeholder'),
        aria_label: a('aria-label'), inputmode: a('inputmode'), maxlength: a('maxlength'), pattern: a('pattern'),
        label: text((el.labels && el.labels[0]) || el.closest('label'))});
    }
    for (const f of all(doc, 'iframe, frame')) {
      let d = null;
      try { d = f.contentDocument; } catch (e) {}
      if (d && depth < 8) walk(d, depth + 1);
    }
  };
  walk(document, 0);
  Object.defineProperty(window, Symbol.for('` + marker + `-fields'), {value: kept, configurable: true});
  return out;
})()
//# sourceURL=` + marker

// inputJS plays a buyer's input on the fields fieldsJS kept: focus, keys,
// a value, change, blur — in the card fields what CardPart.typed says
// (PlayedCard in the number, a published test card: a skimmer that sends
// it sends nothing of anyone's), a plain word in the others, so that what the page sends of a name or an address is
// never taken for card data. Then, with submit, Pay: a submit event on
// each form (dispatched, it runs the handlers but the form sends
// nothing), then a click on each button, role=button, onclick element
// and element the page listens to clicks on that sits near a card field
// (within six ancestors, below <body>), so that a form-jacker's own Pay
// button runs — a link that leaves the page is never clicked, emptied
// fields are filled again before each click, and hooksJS stops the
// submissions and pop-ups the clicks start.
const inputJS = `((cards, submit) => {
  const kept = window[Symbol.for('` + marker + `-fields')] || [];
  const value = (el, i) => cards[i] || (el.type === 'email' ? 'audit@example.invalid' : 'Audit');
  const fill = (el, i) => { if (el.tagName !== 'SELECT' && !el.value) el.value = value(el, i); };
  let n = 0;
  kept.forEach((el, i) => {
    try {
      el.focus();
      for (const k of ['keydown', 'keypress', 'keyup']) el.dispatchEvent(new KeyboardEvent(k, {bubbles: true, key: '4'}));
      fill(el, i);
      el.dispatchEvent(new Event('input', {bubbles: true}));
      el.dispatchEvent(new Event('change', {bubbles: true}));
      el.blur();
      n++;
    } catch (e) {}
  });
  if (!submit) return {fields: n, clicks: 0};
  const state = (doc) => { try { return doc.defaultView[Symbol.for('` + marker + `-play')]; } catch (e) { return null; } };
  const docs = new Set([document]);
  kept.forEach((el) => docs.add(el.ownerDocument));
  for (const d of docs) { const st = state(d); if (st) st.playing = true; }
  const forms = new Set(kept.map((el) => el.form).filter(Boolean));
  for (const f of document.querySelectorAll('form')) forms.add(f);
  for (const f of forms) {
    try { f.dispatchEvent(new Event('submit', {bubbles: true, cancelable: true})); } catch (e) {}
  }
` + shadowQueryJS + `
  const up = (node) => node.parentNode || node.host || null;
  const around = new Set();
  kept.forEach((el, i) => { if (cards[i]) for (let a = el; a; a = up(a)) around.add(a); });
  const near = (el) => {
    for (let a = el, d = 0; a && d < 7; a = up(a), d++) {
      if (a.nodeType !== 1 || a.localName === 'body' || a.localName === 'html') return false;
      if (around.has(a)) return true;
    }
    return false;
  };
  const leaves = (el) => {
    const a = el.closest && el.closest('a[href], area[href]');
    if (!a) return false;
    const h = a.getAttribute('href').trim();
    return !(h === '' || h.startsWith('#') || /^javascript:/i.test(h));
  };
  const seen = new Set();
  const clicks = [];
  const consider = (el) => {
    if (seen.has(el) || clicks.length >= 24) return;
    seen.add(el);
    if (el.isConnected && !el.disabled && String(el.type).toLowerCase() !== 'reset' && !leaves(el) && near(el)) clicks.push(el);
  };
  for (const d of docs) {
    all(d, 'button, input[type=submit], input[type=button], input[type=image], [role=button], [onclick], a').forEach(consider);
    const st = state(d);
    if (st) st.clickable.forEach(consider);
  }
  const top = state(document);
  if (top) top.clicks = clicks.map((el) => () => {
    kept.forEach(fill);
    const w = el.ownerDocument.defaultView;
    const o = {bubbles: true, cancelable: true, composed: true, view: w};
    for (const k of ['pointerdown', 'mousedown', 'pointerup', 'mouseup']) el.dispatchEvent(new (k[0] === 'p' ? w.PointerEvent : w.MouseEvent)(k, o));
    el.click();
  });
  return {fields: n, clicks: top ? clicks.length : 0};
})(%s, %v)
//# sourceURL=` + marker

// clickJS clicks the i-th element inputJS chose, each in a task of its
// own, and says whether the click started a navigation of the page.
const clickJS = `((i) => {
  const play = window[Symbol.for('` + marker + `-play')];
  play.navigating = false;
  try { play.clicks[i](); } catch (e) {}
  return play.navigating;
})(%d)
//# sourceURL=` + marker

// mergeDeadline returns tab bounded by parent's deadline and cancellation.
func mergeDeadline(tab, parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(tab)
	if d, ok := parent.Deadline(); ok {
		var c2 context.CancelFunc
		ctx, c2 = context.WithDeadline(ctx, d)
		prev := cancel
		cancel = func() { c2(); prev() }
	}
	stop := context.AfterFunc(parent, cancel)
	return ctx, func() { stop(); cancel() }
}

// handlePaused answers the Fetch domain: offline, what leaves loopback is
// failed as blocked by the client; while Pay is played, a navigation of
// the main frame (a form sent, location set by a handler) is answered
// 204 No Content, so that the page stays and nothing is sent — the
// request is still recorded, with the card data it would carry.
func (b *Browser) handlePaused(tab context.Context, c *collector, offline bool) {
	for ev := range c.paused {
		c.mu.Lock()
		leaves := c.playing && ev.ResourceType == network.ResourceTypeDocument && ev.FrameID == c.mainID
		c.mu.Unlock()
		remote := offline && !loopbackURL(ev.Request.URL)
		if !leaves && !remote {
			_, _ = chromedp.Call(tab, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			continue
		}
		reason := "offline"
		if !remote {
			reason = "navigation stopped"
		}
		c.mu.Lock()
		if !c.frozen {
			c.blocked[ev.Request.URL] = reason
		}
		c.mu.Unlock()
		if leaves {
			_, _ = chromedp.Call(tab, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: http.StatusNoContent})
			select {
			case c.answered <- struct{}{}:
			default:
			}
			continue
		}
		_, _ = chromedp.Call(tab, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
	}
}

// carriesCard reports whether a request's URL or body holds PlayedCard:
// as typed, URL-encoded, or inside a base64 token (skimmers encode what
// they send; an XOR or a cipher hides it from this), its groups joined or
// split by spaces or dashes (a page formats the number as the buyer
// types: 4242 4242 4242 4242).
func carriesCard(rawURL string, body []*network.PostDataEntry) bool {
	texts := []string{rawURL}
	for _, e := range body {
		texts = append(texts, string(e.Bytes))
	}
	for _, t := range texts {
		if holdsCard(t) {
			return true
		}
		if u, err := url.QueryUnescape(t); err == nil && u != t && holdsCard(u) {
			return true
		}
	}
	return false
}

func holdsCard(s string) bool {
	if hasPlayedCard(s) {
		return true
	}
	for _, tok := range base64Token.FindAllString(s, 64) {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(tok); err == nil && hasPlayedCard(string(b)) {
				return true
			}
		}
	}
	return false
}

func hasPlayedCard(s string) bool {
	return strings.Contains(s, PlayedCard) || strings.Contains(cardSeparators.Replace(s), PlayedCard)
}

// cardSeparators are what a page puts between a card number's groups.
var cardSeparators = strings.NewReplacer(" ", "", "-", "", "\u00a0", "")

// base64Token is a run long enough to hold the card number encoded.
var base64Token = regexp.MustCompile(`[A-Za-z0-9+/_-]{20,}={0,2}`)

// answerDialogs dismisses every alert, confirm, prompt and beforeunload
// dialog the page opens (a confirm is refused, a page is not left).
func answerDialogs(tab context.Context, dialogs <-chan *page.EventJavascriptDialogOpening) {
	for ev := range dialogs {
		accept := ev.Type == page.DialogTypeAlert
		_, _ = chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
	}
}

// settle waits until the page has been quiet for opt.Settle, at most
// opt.MaxSettle.
func settle(ctx context.Context, c *collector, opt Options) error {
	deadline := time.Now().Add(opt.MaxSettle)
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		c.mu.Lock()
		quiet := time.Since(c.last)
		c.mu.Unlock()
		if quiet >= opt.Settle || time.Now().After(deadline) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// domJS reads the DOM of the main frame and of every frame it can reach
// (same origin), and the integrity attribute of every script element.
// Shadow roots (open or closed: hooksJS keeps them) are serialised in
// place as declarative <template shadowrootmode> elements, so a card form
// a web component builds is read like any other.
const domJS = `(() => {
  const frames = [];
  const integrity = {};
` + shadowQueryJS + `
  const serialise = (doc) => {
    const h = doc.documentElement;
    if (!h.getHTML) return h.outerHTML;
    const attr = (v) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    const open = '<' + h.localName + [...h.attributes].map((a) => ' ' + a.name + '="' + attr(a.value) + '"').join('') + '>';
    return open + h.getHTML({serializableShadowRoots: true, shadowRoots: roots(doc)}) + '</' + h.localName + '>';
  };
  const walk = (doc, depth) => {
    for (const s of all(doc, 'script[src]')) {
      if (s.integrity) integrity[s.src] = s.integrity;
    }
    for (const f of all(doc, 'iframe, frame')) {
      let d = null;
      try { d = f.contentDocument; } catch (e) {}
      if (d && d.documentElement && depth < 8) {
        frames.push({url: d.URL, html: serialise(d)});
        walk(d, depth + 1);
      }
    }
  };
  walk(document, 0);
  const dt = document.doctype ? '<!DOCTYPE ' + document.doctype.name + '>\n' : '';
  return {html: dt + serialise(document), frames, integrity};
})()
//# sourceURL=` + marker

// shadowQueryJS declares, inside domJS and fieldsJS, roots(doc): the
// shadow roots hooksJS kept in doc's window, and all(doc, sel): the
// elements matching sel in doc and in those roots.
const shadowQueryJS = `  const key = Symbol.for('` + marker + `');
  const roots = (doc) => (doc.defaultView && doc.defaultView[key]) || [];
  const all = (doc, sel) => {
    const out = [...doc.querySelectorAll(sel)];
    for (const r of roots(doc)) out.push(...r.querySelectorAll(sel));
    return out;
  };`

// hooksJS runs in every frame before the page's scripts. It keeps each
// shadow root the page attaches, closed ones too, where domJS and fieldsJS
// find them (a closed root is otherwise out of reach, and a skimmer's form
// can hide in one); it keeps the elements the page listens to clicks on,
// for inputJS to press; and while Pay is played (inputJS sets playing) it
// stops a form's submission once the page's own handlers have run, and
// turns a pop-up into a navigation of the page. What escapes it (a
// submission a handler stops from bubbling, form.submit(), location set)
// is a navigation too, which the Fetch handler answers with 204.
const hooksJS = `(() => {
  const key = Symbol.for('` + marker + `');
  const roots = [];
  Object.defineProperty(window, key, {value: roots});
  const play = {playing: false, navigating: false, clickable: [], clicks: []};
  Object.defineProperty(window, Symbol.for('` + marker + `-play'), {value: play});
  const listen = EventTarget.prototype.addEventListener;
  const stop = (e) => { if (play.playing) e.preventDefault(); };
  listen.call(window, 'submit', stop);
  if (window.navigation) listen.call(window.navigation, 'navigate', (e) => { play.navigating = play.playing && !e.destination.sameDocument; });
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const r = attach.call(this, init);
    roots.push(r);
    listen.call(r, 'submit', stop);
    return r;
  };
  const keep = (el) => { if (el instanceof Element && play.clickable.length < 2048) play.clickable.push(el); };
  const kinds = ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend'];
  EventTarget.prototype.addEventListener = function (type, fn, opts) {
    if (kinds.includes(type)) keep(this);
    return listen.call(this, type, fn, opts);
  };
  for (const k of kinds) {
    const d = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'on' + k);
    if (d && d.set) Object.defineProperty(HTMLElement.prototype, 'on' + k, {...d, set(v) { keep(this); d.set.call(this, v); }});
  }
  // A pop-up is not opened: its address becomes a navigation of the page,
  // which the Fetch handler records (with the card it carries) and stops.
  const open = window.open;
  window.open = function (...args) {
    if (!play.playing) return open.apply(this, args);
    try {
      const u = new URL(String(args[0] || ''), document.baseURI);
      if (u.protocol === 'http:' || u.protocol === 'https:') location.assign(u.href);
    } catch (e) {}
    return null;
  };
})()
//# sourceURL=` + marker

type domResult struct {
	HTML   string `json:"html"`
	Frames []struct {
		URL  string `json:"url"`
		HTML string `json:"html"`
	} `json:"frames"`
	Integrity map[string]string `json:"integrity"`
}

// readDOM reads the DOM and frames of the page, before any input is
// played.
func readDOM(tab context.Context, c *collector) (*loaded, error) {
	var l loaded
	raw, err := chromedp.Run(tab, chromedp.Evaluate[json.RawMessage](domJS))
	if err != nil {
		return nil, fmt.Errorf("browser: read the DOM: %w", err)
	}
	if err := json.Unmarshal(raw, &l.dom); err != nil {
		return nil, fmt.Errorf("browser: read the DOM: %w", err)
	}
	if l.tree, err = chromedp.Call(tab, page.GetFrameTree, cdp.Empty{}); err != nil {
		return nil, fmt.Errorf("browser: frame tree: %w", err)
	}
	if l.forms, err = readForms(tab); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.read = true
	c.mu.Unlock()
	return &l, nil
}

// loaded is the page as read by readDOM.
type loaded struct {
	dom   domResult
	tree  page.GetFrameTreeResult
	forms []Form
}

// formsJS lists the main frame's forms, shadow roots included (32 at
// most: each costs readForms three commands), keeping them for readForms.
const formsJS = `(() => {
` + shadowQueryJS + `
  const forms = all(document, 'form').slice(0, 32);
  Object.defineProperty(window, Symbol.for('` + marker + `-forms'), {value: forms, configurable: true});
  return forms.map((f) => ({action: f.getAttribute('action') || '', method: f.getAttribute('method') || ''}));
})()
//# sourceURL=` + marker

// readForms reads the forms of the main frame and, from the node
// creation stack traces Chromium keeps, the script that created each.
func readForms(tab context.Context) ([]Form, error) {
	var attrs []struct {
		Action string `json:"action"`
		Method string `json:"method"`
	}
	raw, err := chromedp.Run(tab, chromedp.Evaluate[json.RawMessage](formsJS))
	if err != nil {
		return nil, fmt.Errorf("browser: read the forms: %w", err)
	}
	if err := json.Unmarshal(raw, &attrs); err != nil {
		return nil, fmt.Errorf("browser: read the forms: %w", err)
	}
	forms := make([]Form, len(attrs))
	if len(attrs) == 0 {
		return forms, nil
	}
	// Nodes can be named only once the document has been asked for.
	if _, err := chromedp.Call(tab, dom.GetDocument, dom.GetDocumentParams{Depth: new(int64(0))}); err != nil {
		return nil, fmt.Errorf("browser: read the forms: %w", err)
	}
	for i, a := range attrs {
		forms[i] = Form{Action: a.Action, Method: a.Method}
		obj, err := chromedp.Call(tab, runtime.Evaluate, runtime.EvaluateParams{
			Expression: fmt.Sprintf("window[Symbol.for('%s-forms')][%d]\n//# sourceURL=%s", marker, i, marker), ObjectGroup: marker,
		})
		if err != nil || obj.Result == nil || obj.Result.ObjectID == "" {
			continue // the form is gone: no creator to name
		}
		node, err := chromedp.Call(tab, dom.RequestNode, dom.RequestNodeParams{ObjectID: obj.Result.ObjectID})
		if err != nil {
			continue
		}
		st, err := chromedp.Call(tab, dom.GetNodeStackTraces, dom.GetNodeStackTracesParams{NodeID: node.NodeID})
		if err != nil || st.Creation == nil {
			continue
		}
		forms[i].BuiltBy = stackScript(st.Creation)
	}
	_, _ = chromedp.Call(tab, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: marker})
	return forms, nil
}

// stackScript is the URL of the innermost script of st (async parents
// included) that is not the probe's own.
func stackScript(st *runtime.StackTrace) string {
	for ; st != nil; st = st.Parent {
		for _, f := range st.CallFrames {
			if f.URL != "" && !strings.Contains(f.URL, marker) {
				return f.URL
			}
		}
	}
	return ""
}

func (b *Browser) read(tab context.Context, c *collector, opt Options, l *loaded) (*Page, error) {
	c.mu.Lock()
	c.frozen = true
	c.mu.Unlock()
	dom, tree := l.dom, l.tree
	var source []byte
	if body, err := chromedp.Call(tab, network.GetResponseBody, network.GetResponseBodyParams{RequestID: c.docReq}); err == nil {
		source = body.Body
	}

	p := &Page{
		Status: c.status, Headers: c.headers, Redirects: append([]string{}, c.docs...),
		HTML: dom.HTML, Console: append([]string{}, c.console...), Source: source, Clicks: c.clicks,
		Forms: l.forms,
	}
	if p.Headers == nil {
		p.Headers = http.Header{}
	}
	sameOrigin := map[string]string{}
	for _, f := range dom.Frames {
		sameOrigin[f.URL] = f.HTML
	}
	frameURL := map[string]string{}
	var walk func(t *page.FrameTree, depth int)
	walk = func(t *page.FrameTree, depth int) {
		f := t.Frame
		fr := Frame{ID: string(f.ID), ParentID: string(f.ParentID), URL: f.URL, Origin: f.SecurityOrigin, Depth: depth}
		if depth > 0 {
			fr.HTML = sameOrigin[f.URL]
		} else {
			fr.HTML = dom.HTML
		}
		frameURL[fr.ID] = fr.URL
		p.Frames = append(p.Frames, fr)
		for _, ch := range t.ChildFrames {
			walk(ch, depth+1)
		}
	}
	walk(tree.FrameTree, 0)
	p.URL = tree.FrameTree.Frame.URL
	docURLs := map[string]bool{}
	for _, f := range p.Frames {
		docURLs[f.URL] = true
	}

	byURL := map[string]*Request{}
	for _, id := range c.order {
		r := c.requests[id]
		if r.Blocked == "" && c.blocked[r.URL] != "" {
			r.Blocked = c.blocked[r.URL]
		}
		r.Frame = frameURL[r.Frame]
		p.Requests = append(p.Requests, *r)
		if r.Type == string(network.ResourceTypeScript) {
			if _, seen := byURL[r.URL]; !seen {
				byURL[r.URL] = r
			}
		}
	}

	ran := map[string]bool{}
	for _, ev := range c.scripts {
		s := Script{URL: ev.URL, Executed: true, Line: int(ev.StartLine) + 1}
		s.Inline = ev.URL == "" || docURLs[ev.URL]
		if ev.StackTrace != nil {
			for _, f := range ev.StackTrace.CallFrames {
				if f.URL != "" && !strings.Contains(f.URL, marker) {
					s.InjectedBy = f.URL
					break
				}
			}
		}
		if !s.Inline {
			s.Line = 0
			if r := byURL[ev.URL]; r != nil {
				s.InjectedBy, s.Frame = r.InjectedBy, r.Frame
			}
			s.Integrity = dom.Integrity[ev.URL]
			ran[ev.URL] = true
		}
		if s.Frame == "" {
			if ctxFrame := frameOfContext(ev); ctxFrame != "" {
				s.Frame = frameURL[ctxFrame]
			}
		}
		if s.Frame == "" && s.Inline {
			s.Frame = ev.URL
		}
		src, err := chromedp.Call(tab, debugger.GetScriptSource, debugger.GetScriptSourceParams{ScriptID: ev.ScriptID})
		if err != nil {
			// A script whose source cannot be read has no hash: say so
			// rather than hash nothing.
			s.Blocked = "source unreadable: " + err.Error()
		} else {
			body := src.ScriptSource
			s.Bytes = len(body)
			if len(body) > opt.MaxScriptBytes {
				body, s.Truncated = body[:opt.MaxScriptBytes], true
			}
			sum := sha256.Sum256([]byte(body))
			s.SHA256 = "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
			if s.Inline {
				s.Text = body
			}
		}
		p.Scripts = append(p.Scripts, s)
	}
	// Scripts that were requested but never ran: blocked offline, by the
	// CSP, or failed. They are the page's scripts all the same.
	for _, id := range c.order {
		r := c.requests[id]
		if r.Type != string(network.ResourceTypeScript) || ran[r.URL] {
			continue
		}
		ran[r.URL] = true
		reason := r.Blocked
		switch {
		case reason != "":
		case c.sriFailed(r.URL):
			reason = "integrity mismatch"
		default:
			reason = fmt.Sprintf("not run (HTTP %d)", r.Status)
		}
		p.Scripts = append(p.Scripts, Script{
			URL: r.URL, InjectedBy: r.InjectedBy, Frame: r.Frame, Integrity: dom.Integrity[r.URL], Blocked: reason,
		})
	}
	return p, nil
}

// frameOfContext reads the frame id Chromium puts in a script's execution
// context data.
func frameOfContext(ev *debugger.EventScriptParsed) string {
	if len(ev.ExecutionContextAuxData) == 0 {
		return ""
	}
	var aux struct {
		FrameID string `json:"frameId"`
	}
	if err := json.Unmarshal(ev.ExecutionContextAuxData, &aux); err != nil {
		return ""
	}
	return aux.FrameID
}
