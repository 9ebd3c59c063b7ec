package browser

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/websocket"
)

// shared is the one Chromium of this test package.
var shared *Browser

func TestMain(m *testing.M) {
	path := Find()
	if path == "" {
		fmt.Fprintln(os.Stderr, "browser tests need Chromium: run scripts/setup.sh")
		os.Exit(1)
	}
	shared = New(path)
	code := m.Run()
	if err := shared.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "closing the browser:", err)
	}
	os.Exit(code)
}

func render(t *testing.T, dir, page string, opt Options) *Page {
	t.Helper()
	srv, err := Serve(dir)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p, err := shared.Render(ctx, srv.URL+page, opt)
	require.NoError(t, err)
	return p
}

func TestRenderInjectedScriptOffline(t *testing.T) {
	p := render(t, "testdata/inject", "/checkout.html", Options{Offline: true})
	var skim *Script
	for i, s := range p.Scripts {
		if strings.Contains(s.URL, "skimmer.attacker.example") {
			skim = &p.Scripts[i]
		}
	}
	require.NotNil(t, skim, "the injected script is recorded although it was blocked")
	assert.Equal(t, "offline", skim.Blocked)
	assert.True(t, strings.HasSuffix(skim.InjectedBy, "/app.js"), skim.InjectedBy)
	assert.False(t, skim.Executed)
	assert.Empty(t, skim.SHA256, "nothing was received, so nothing is hashed")

	var app, inline *Script
	for i, s := range p.Scripts {
		switch {
		case strings.HasSuffix(s.URL, "/app.js"):
			app = &p.Scripts[i]
		case s.Inline:
			inline = &p.Scripts[i]
		}
	}
	require.NotNil(t, app)
	assert.True(t, app.Executed)
	assert.Empty(t, app.InjectedBy, "the HTML loads app.js")
	assert.Regexp(t, `^sha256-[A-Za-z0-9+/]{43}=$`, app.SHA256)
	require.NotNil(t, inline)
	// The CSP hash of the inline text: what a 'sha256-…' source must say.
	assert.Equal(t, "sha256-9sfL2301fWUNeX8AMuj2vrMXnkF1/gwjJ7ap3qNu0rw=", inline.SHA256)
	assert.Equal(t, 8, inline.Line)

	var beacon *Request
	for i, r := range p.Requests {
		if strings.Contains(r.URL, "collect.attacker.example") {
			beacon = &p.Requests[i]
		}
	}
	require.NotNil(t, beacon, "the blocked POST is recorded")
	assert.Equal(t, "offline", beacon.Blocked)
	assert.Equal(t, "POST", beacon.Method)

	// The card form exists only after app.js ran.
	assert.Contains(t, p.HTML, `autocomplete="cc-number"`)
	require.Len(t, p.Frames, 2)
	assert.Equal(t, 1, p.Frames[1].Depth)
	assert.Contains(t, p.Frames[1].HTML, `name="cardnumber"`, "same-origin frame DOM is read")
	assert.Contains(t, p.Console, "console.error: inline says hello")
}

// TestRenderBlockedFrame: a frame that cannot load shows Chromium's own
// error page, whose scripts are the browser's, not the page's.
// TestRenderLaterAndOnInput: a skimmer that loads twenty seconds after
// load, and one that waits for a typed card number, are both recorded —
// without twenty seconds of real time (the timers run on virtual time).
func TestRenderLaterAndOnInput(t *testing.T) {
	start := time.Now()
	p := render(t, "testdata/later", "/checkout.html", Options{Offline: true, CardField: cardByName})
	took := time.Since(start)
	scripts := map[string]Script{}
	for _, s := range p.Scripts {
		scripts[s.URL] = s
	}
	late, ok := scripts["https://late.attacker.example/payload.js"]
	if assert.True(t, ok, "the script a timer loads 20 s after load is recorded: %v", p.Scripts) {
		assert.Equal(t, "offline", late.Blocked)
		assert.True(t, strings.HasSuffix(late.InjectedBy, "/app.js"), late.InjectedBy)
	}
	typed, ok := scripts["https://typed.attacker.example/more.js"]
	if assert.True(t, ok, "the script loaded once a card number is typed is recorded") {
		assert.True(t, strings.HasSuffix(typed.InjectedBy, "/app.js"), typed.InjectedBy)
	}
	var beacon bool
	for _, r := range p.Requests {
		beacon = beacon || r.URL == "https://typed.attacker.example/c" && r.Blocked == "offline" && r.CarriesCard
		if r.URL == "https://late.attacker.example/payload.js" {
			assert.False(t, r.CarriesCard)
		}
	}
	assert.True(t, beacon, "the typed number's beacon is recorded, blocked offline: %v", p.Requests)
	// The page as loaded is what is read: the played input leaves no value
	// in the DOM that is judged, and no hop is added to the document.
	assert.Equal(t, []string{p.URL}, p.Redirects)
	assert.NotContains(t, p.HTML, "4242424242424242")
	t.Logf("rendered in %s", took)
}

// TestRenderSubmitHook: a skimmer that waits for the form's submission is
// seen when pressing Pay is played (offline, local pages), and only then.
func TestRenderSubmitHook(t *testing.T) {
	sent := func(p *Page) bool {
		for _, r := range p.Requests {
			if strings.HasPrefix(r.URL, "https://cc.attacker.example/c/") {
				assert.Equal(t, "offline", r.Blocked)
				assert.True(t, r.CarriesCard, "the typed number is in its URL, URL-encoded")
				assert.True(t, strings.HasSuffix(r.InjectedBy, "/lib.js"), r.InjectedBy)
				return true
			}
		}
		return false
	}
	p := render(t, "testdata/submit", "/checkout.html", Options{Offline: true, Submit: true, CardField: cardByName})
	assert.True(t, sent(p), "the submit handler's request is recorded: %v", p.Requests)
	assert.Contains(t, p.Console, "dialog: alert(sent)", "the handler's alert was answered, not left to hang the page")
	assert.Equal(t, []string{p.URL}, p.Redirects, "the form itself was not submitted")
	p = render(t, "testdata/submit", "/checkout.html", Options{Offline: true, CardField: cardByName})
	assert.False(t, sent(p), "without Submit no submit event is played")
}

// TestRenderClicksNearTheCardFields: pressing Pay clicks what a buyer
// may press near the card fields — a form-jacker's own button, an element
// the page listens to — never a link that leaves or a button far away,
// and the page is not left: the form is not sent, a navigation is stopped
// and recorded with the number it carries.
func TestRenderClicksNearTheCardFields(t *testing.T) {
	p := render(t, "testdata/click", "/checkout.html", Options{Offline: true, Submit: true, CardField: cardByName})
	byURL := map[string]Request{}
	for _, r := range p.Requests {
		byURL[r.URL] = r
	}
	skim, ok := byURL["https://clk.attacker.example/k"]
	if assert.True(t, ok, "the Pay button's click handler ran: %v", p.Requests) {
		assert.True(t, skim.CarriesCard, "the number, base64-encoded, is in its body")
		assert.Equal(t, "offline", skim.Blocked)
		assert.True(t, strings.HasSuffix(skim.InjectedBy, "/lib.js"), skim.InjectedBy)
	}
	nav, ok := byURL["https://nav.attacker.example/?d="+PlayedCard]
	if assert.True(t, ok, "the pay-later link's handler took the page away: %v", p.Requests) {
		assert.True(t, nav.CarriesCard)
		assert.Equal(t, "Document", nav.Type)
	}
	pop, ok := byURL["https://pop.attacker.example/w?c="+base64.StdEncoding.EncodeToString([]byte(PlayedCard))]
	if assert.True(t, ok, "the wallet button's pop-up is recorded as a navigation of the page: %v", p.Requests) {
		assert.True(t, pop.CarriesCard)
		assert.Equal(t, "offline", pop.Blocked)
	}
	assert.Contains(t, byURL, "https://log.shop.example/express", "an element with a mousedown listener is pressed, and its timer ran on the page, which was not left")
	for _, u := range []string{"https://log.shop.example/help", "https://log.shop.example/newsletter", "https://log.shop.example/menu"} {
		assert.NotContains(t, byURL, u, "a link that leaves, or a button far from the card fields, is never clicked")
	}
	for _, r := range p.Requests {
		assert.NotContains(t, r.URL, "pay.provider.example", "the form was not sent")
	}
	assert.Equal(t, []string{p.URL}, p.Redirects)
	assert.Equal(t, 4, p.Clicks, "Pay, the express element, the pay-later link and the wallet button")

	p = render(t, "testdata/click", "/checkout.html", Options{Offline: true, CardField: cardByName})
	assert.Zero(t, p.Clicks, "nothing is clicked unless Pay is played")
	for _, r := range p.Requests {
		assert.NotContains(t, r.URL, "attacker.example")
	}
}

// TestRenderStopsNavigationOnline: a local built page read online is not
// left either when Pay is played: a form's submission, a handler setting
// location and form.submit() reach no server — each navigation is
// answered by the probe and recorded, with the number it would carry.
func TestRenderStopsNavigationOnline(t *testing.T) {
	var hits atomic.Int32
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer sink.Close()
	p := render(t, "testdata/leave", "/checkout.html?sink="+url.QueryEscape(sink.URL), Options{Submit: true, CardField: cardByName})
	stopped := map[string]Request{}
	for _, r := range p.Requests {
		if strings.HasPrefix(r.URL, sink.URL) {
			stopped[strings.TrimPrefix(r.URL, sink.URL)] = r
		}
	}
	assert.Zero(t, hits.Load(), "nothing reached the sink: %v", p.Requests)
	redirect, ok := stopped["/redirect?d="+PlayedCard]
	if assert.True(t, ok, "%v", p.Requests) {
		assert.Equal(t, "navigation stopped", redirect.Blocked)
		assert.True(t, redirect.CarriesCard)
	}
	if submitted, ok := stopped["/submitted"]; assert.True(t, ok, "form.submit() is a navigation: %v", p.Requests) {
		assert.Equal(t, "POST", submitted.Method)
		assert.True(t, submitted.CarriesCard, "the form's body holds the number")
	}
	assert.NotContains(t, stopped, "/form", "the form's own submission is stopped before it is sent")
	assert.Equal(t, []string{p.URL}, p.Redirects)
	assert.Equal(t, 3, p.Clicks)
}

// TestRenderWebSocketFrames: a skimmer that sends the card in a WebSocket
// frame — past a Luhn, expiry and code check, which the played expiry and
// code pass — is seen by the frame it sends to a real server on
// 127.0.0.1; and nothing of the browser's own (autofill) leaves.
func TestRenderWebSocketFrames(t *testing.T) {
	frames := make(chan string, 8)
	srv := httptest.NewServer(websocket.Handler(func(ws *websocket.Conn) {
		for {
			var msg string
			if websocket.Message.Receive(ws, &msg) != nil {
				return
			}
			frames <- msg
		}
	}))
	defer srv.Close()
	sink := "ws" + strings.TrimPrefix(srv.URL, "http") + "/s"
	require.NoError(t, shared.Start())
	hits := shared.deadEnd.hits.Load()
	p := render(t, "testdata/ws", "/checkout.html?sink="+url.QueryEscape(sink), Options{Offline: true, Submit: true, CardField: cardByName})
	var got *Request
	for i, r := range p.Requests {
		if r.URL == sink {
			got = &p.Requests[i]
		}
	}
	require.NotNil(t, got, "the WebSocket is a request of the page: %v", p.Requests)
	assert.Equal(t, "WebSocket", got.Type)
	assert.Equal(t, 101, got.Status)
	assert.True(t, got.CarriesCard, "the frame holds the number as the page formatted it")
	assert.True(t, strings.HasSuffix(got.InjectedBy, "/skim.js"), got.InjectedBy)
	select {
	case f := <-frames:
		assert.Contains(t, f, `"n":"4242 4242 4242 4242"`, "the server received the frame")
		assert.Regexp(t, `"e":"12/\d\d","c":"123"`, f, "an expiry and a code a card check accepts")
	default:
		t.Fatal("the server received no frame")
	}
	assert.Equal(t, hits, shared.deadEnd.hits.Load(), "no connection of the browser's own tried to leave loopback")
}

// TestRenderOfflineHoldsWebSockets: offline, a WebSocket to another host
// is recorded and stopped at the tab's dead-end proxy — the Fetch handler
// never sees WebSockets — so it reaches no resolver and no server.
func TestRenderOfflineHoldsWebSockets(t *testing.T) {
	require.NoError(t, shared.Start())
	hits := shared.deadEnd.hits.Load()
	p := render(t, "testdata/ws", "/checkout.html?sink="+url.QueryEscape("wss://ws.attacker.example/s"), Options{Offline: true, Submit: true, CardField: cardByName})
	var got *Request
	for i, r := range p.Requests {
		if r.URL == "wss://ws.attacker.example/s" {
			got = &p.Requests[i]
		}
	}
	require.NotNil(t, got, "%v", p.Requests)
	assert.Equal(t, "offline", got.Blocked)
	assert.Zero(t, got.Status)
	assert.False(t, got.CarriesCard, "it never opened, so no frame was sent")
	assert.Greater(t, shared.deadEnd.hits.Load(), hits, "the connection went to the dead end")
}

// cardByName stands in for the page probe's card-field rules.
func cardByName(f Field) CardPart {
	switch id := f.Name + f.ID; {
	case strings.Contains(id, "cvv") || strings.Contains(id, "cvc"):
		return CardCode
	case strings.Contains(id, "exp"):
		return CardExpiry
	case f.Autocomplete == "cc-number" || strings.Contains(id, "cc-") || strings.Contains(id, "card"):
		return CardNumber
	}
	return NotCard
}

// TestRenderTypesCardOnlyInCardFields: the test card number goes into the
// card fields alone, so a page that sends the buyer's name or street
// (form analytics, a shipping estimate) is never taken for sending card
// data.
func TestRenderTypesCardOnlyInCardFields(t *testing.T) {
	p := render(t, "testdata/names", "/checkout.html", Options{Offline: true, CardField: cardByName})
	var beacons int
	for _, r := range p.Requests {
		if r.URL == "https://forms.analytics.example/f" {
			beacons++
			assert.False(t, r.CarriesCard, "a delivery field or the card number's length is no card data")
		}
	}
	assert.Equal(t, 3, beacons, "one beacon per field changed: %v", p.Requests)
}

// TestRenderReadsThePageAfterItsTimers: a form that replaces the
// provider's iframe seconds after load is what the buyer meets, and what
// is read.
func TestRenderReadsThePageAfterItsTimers(t *testing.T) {
	p := render(t, "testdata/jack", "/checkout.html", Options{Offline: true, CardField: cardByName})
	assert.Contains(t, p.HTML, `action="https://collect.attacker.example/p"`)
	assert.NotContains(t, p.HTML, "<iframe")
	assert.Equal(t, []string{p.URL}, p.Redirects)
	// The form's element was created by the jacker's code, on its timer.
	require.Len(t, p.Forms, 1, "%+v", p.Forms)
	assert.Equal(t, "https://collect.attacker.example/p", p.Forms[0].Action)
	assert.True(t, strings.HasSuffix(p.Forms[0].BuiltBy, "/jack.js"), p.Forms[0].BuiltBy)
	for _, sc := range p.Scripts {
		assert.NotContains(t, sc.Text, marker, "the probe's own expressions are not the page's scripts")
	}
}

func TestCarriesCard(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(`{"n":"` + PlayedCard + `","cvc":"123"}`))
	tests := []struct {
		url, body string
		want      bool
	}{
		{"https://x.example/c?d=" + PlayedCard, "", true},
		{"https://x.example/c/cc-number%3A" + PlayedCard + "%7C", "", true},
		{"https://x.example/c", `{"card":"` + PlayedCard + `"}`, true},
		{"https://x.example/c", "payload=" + url.QueryEscape(b64), true},
		{"https://x.example/i.gif?" + strings.TrimRight(base64.URLEncoding.EncodeToString([]byte("cc="+PlayedCard)), "="), "", true},
		{"https://x.example/c?d=4242-4242-4242", "", false},
		{"https://x.example/c", `{"cardNumber":"4242 4242 4242 4242","cvv":"123"}`, true},
		{"wss://x.example/s", base64.StdEncoding.EncodeToString([]byte("n=4242-4242-4242-4242")), true},
		{"https://x.example/c?d=4242%204242%204242%204242", "", true},
		{"https://js.stripe.com/v3/", "", false},
		{"https://x.example/c", "aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ=", false},
	}
	for _, tt := range tests {
		var body []*network.PostDataEntry
		if tt.body != "" {
			body = []*network.PostDataEntry{{Bytes: []byte(tt.body)}}
		}
		assert.Equal(t, tt.want, carriesCard(tt.url, body), "%s %s", tt.url, tt.body)
	}
}

func TestRenderBlockedFrame(t *testing.T) {
	p := render(t, "testdata/blockedframe", "/checkout.html", Options{Offline: true})
	for _, s := range p.Scripts {
		assert.NotContains(t, s.URL, "chrome-error:", "%+v", s)
		assert.NotContains(t, s.Frame, "chrome-error:", "%+v", s)
	}
	require.Len(t, p.Scripts, 1, "%+v", p.Scripts)
	assert.True(t, p.Scripts[0].Inline)
	// The post into the frame may cancel the frame's first load before it
	// is requested: one of the two at least is recorded blocked.
	var blocked int
	for _, r := range p.Requests {
		if strings.HasPrefix(r.URL, "https://hosted.provider.example/") && r.Blocked == "offline" {
			blocked++
		}
	}
	assert.Positive(t, blocked, "%+v", p.Requests)
}

func TestRenderIntegrityMismatch(t *testing.T) {
	p := render(t, "testdata/sri", "/checkout.html", Options{Offline: true})
	require.Len(t, p.Scripts, 1)
	assert.False(t, p.Scripts[0].Executed)
	assert.Equal(t, "integrity mismatch", p.Scripts[0].Blocked)
	assert.Equal(t, "sha384-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", p.Scripts[0].Integrity)
}

func TestRenderOfflineRefusesRemotePage(t *testing.T) {
	_, err := shared.Render(context.Background(), "https://shop.example/checkout", Options{Offline: true})
	assert.ErrorContains(t, err, "offline")
}

func TestRenderDeadline(t *testing.T) {
	srv, err := Serve("testdata/inject")
	require.NoError(t, err)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	_, err = shared.Render(ctx, srv.URL+"/checkout.html", Options{Offline: true})
	assert.Error(t, err)
}
