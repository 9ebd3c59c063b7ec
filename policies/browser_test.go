package policies_test

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/websocket"

	"github.com/audit-tool/audit/browser"
	"github.com/audit-tool/audit/internal/runner"
	"github.com/audit-tool/audit/probes"
	"github.com/audit-tool/audit/reports"
)

// testBrowser is the one Chromium this package's tests share.
var testBrowser probes.Renderer

func TestMain(m *testing.M) {
	path := browser.Find()
	if path == "" {
		fmt.Fprintln(os.Stderr, "the policy tests render pages in Chromium: run scripts/setup.sh")
		os.Exit(1)
	}
	b := browser.New(path)
	testBrowser = b
	code := m.Run()
	if err := b.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "closing the browser:", err)
	}
	os.Exit(code)
}

func TestBuiltCardFormScope(t *testing.T) {
	tests := []struct {
		page, saq, reason string
	}{
		{"merchant_bundle.html", "D", `card fields post to the merchant's own origin (form action "/api/orders/pay"`},
		{"provider_bundle.html", "A-EP", "posted straight to https://secure.checkout.com/direct-post"},
		// A web component's closed shadow root: outerHTML never shows it.
		{"shadow_bundle.html", "D", `card fields post to the merchant's own origin (form action "/kasse/zahlung"`},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			res, steps := audit(t, nil, "checkout_page=built/"+tt.page, `source_dirs=["built"]`)
			require.NotNil(t, res.Scope)
			assert.Equal(t, tt.saq, res.Scope.SAQ, res.Scope.Reasons)
			assert.Contains(t, res.Scope.Reasons[0], tt.reason)
			assert.Equal(t, reports.Pass, steps["saq_scope"].Status, steps["saq_scope"].Message)
			assert.Equal(t, reports.Fail, steps["no_card_fields_on_merchant_page"].Status)

			// Read statically, the same page cannot be placed: its form
			// exists only once the bundle ran.
			res, steps = auditWith(t, runner.Options{Engine: "static"}, "checkout_page=built/"+tt.page, `source_dirs=["built"]`)
			assert.Equal(t, "undetermined", res.Scope.SAQ)
			assert.Contains(t, res.Scope.Reasons[0], "read statically")
			assert.Equal(t, reports.Skip, steps["saq_scope"].Status, "never a pass, never SAQ A")
			assert.True(t, steps["saq_scope"].Unchecked)
			assert.NotEqual(t, reports.Go, res.Verdict)
		})
	}
}

// TestUnroutedCardFields: card inputs outside any form, sent by the
// merchant's own code when the buyer pays, may go to the merchant (D) or
// a provider (A-EP): where Pay, once pressed, shows it, that decides;
// otherwise the scope is undetermined, never A-EP by default.
func TestUnroutedCardFields(t *testing.T) {
	res, steps := audit(t, nil, "checkout_page=built/unrouted_bundle.html", `source_dirs=["built"]`)
	assert.Equal(t, "D", res.Scope.SAQ, res.Scope.Reasons)
	assert.Contains(t, res.Scope.Reasons[0], "sent to the merchant's own origin (POST /api/charge, by /assets/unrouted_bundle.js)",
		"the Pay button beside the fields was clicked")
	assert.Equal(t, reports.Pass, steps["saq_scope"].Status, steps["saq_scope"].Message)

	// The button that sends them sits away from the card fields: it is
	// not pressed, and nothing shows where they go.
	res, steps = audit(t, nil, "checkout_page=built/unrouted_far.html", `source_dirs=["built"]`)
	assert.Equal(t, "undetermined", res.Scope.SAQ, res.Scope.Reasons)
	require.NotEmpty(t, res.Scope.Reasons)
	assert.Contains(t, res.Scope.Reasons[0], "no form sends them (they are outside any form)")
	assert.Equal(t, reports.Skip, steps["saq_scope"].Status, "never a pass: %s", steps["saq_scope"].Message)
	assert.True(t, steps["saq_scope"].Unchecked)
	assert.NotEqual(t, reports.Go, res.Verdict)

	res, _ = audit(t, nil, "checkout_page=built/unrouted_far.html", `source_dirs=["built"]`,
		`script_allowlist=[{ script = "/assets/unrouted_far.js", reason = "checkout" }]`)
	assert.Equal(t, "undetermined", res.Scope.SAQ, "an allowlist entry says nothing of where card data goes")
}

// TestCardDataDestinations: where a test card number typed into the page
// goes decides the scope and catches a skimmer.
func TestCardDataDestinations(t *testing.T) {
	// A direct post to the provider, skimmed by a dependency that sends
	// the typed number, base64-encoded, to its own host.
	res, steps := audit(t, nil, "checkout_page=built/provider_skimmed.html", `source_dirs=["built"]`)
	st := steps["card_data_destinations"]
	require.Equal(t, reports.Fail, st.Status, st.Message)
	assert.Contains(t, st.Message, "is sent to metrics.widgets-cdn.example")
	assert.Contains(t, st.Message, "by /assets/skimmed_widgets.js")
	assert.Contains(t, st.Message, "blocked offline")
	assert.Equal(t, "D", res.Scope.SAQ, res.Scope.Reasons)
	assert.NotContains(t, st.Message, "4242424242424242", "the played number is masked like any card number")

	// Unnamed fields the merchant's own submit handler posts to its API:
	// SAQ D, seen because pressing Pay is played offline.
	res, steps = audit(t, nil, "checkout_page=built/merchant_fetch.html", `source_dirs=["built"]`)
	assert.Equal(t, "D", res.Scope.SAQ, res.Scope.Reasons)
	assert.Contains(t, strings.Join(res.Scope.Reasons, "; "), "sent to the merchant's own origin (POST /api/paiement")
	assert.Equal(t, reports.Pass, steps["card_data_destinations"].Status, steps["card_data_destinations"].Message)

	// The provider's direct post alone: A-EP, and the number goes nowhere else.
	res, steps = audit(t, nil, "checkout_page=built/provider_bundle.html", `source_dirs=["built"]`)
	assert.Equal(t, "A-EP", res.Scope.SAQ, res.Scope.Reasons)
	assert.Equal(t, reports.Pass, steps["card_data_destinations"].Status, steps["card_data_destinations"].Message)

	// Statically, scripts that may send it cannot be followed.
	_, steps = auditWith(t, runner.Options{Engine: "static"}, "checkout_page=built/provider_skimmed.html", `source_dirs=["built"]`)
	assert.Equal(t, reports.Error, steps["card_data_destinations"].Status, steps["card_data_destinations"].Message)
}

// TestClickExfiltration: a form-jacker whose own Pay button sends the
// fields from its click handler is seen only because Pay is clicked
// (offline, local pages); a Pay handler that shows a spinner is nothing.
func TestClickExfiltration(t *testing.T) {
	res, steps := audit(t, nil, "checkout_page=built/click_jacked.html", `source_dirs=["built"]`)
	st := steps["card_data_destinations"]
	require.Equal(t, reports.Fail, st.Status, st.Message)
	assert.Contains(t, st.Message, "is sent to api.seatmap-cdn.example, first POST https://api.seatmap-cdn.example/v1/s by /assets/ticket_widgets.js (blocked offline")
	assert.Equal(t, "D", res.Scope.SAQ, res.Scope.Reasons)
	assert.Contains(t, strings.Join(res.Scope.Reasons, "; "), "sent to api.seatmap-cdn.example")

	res, steps = audit(t, nil, "checkout_page=built/spinner.html", `source_dirs=["built"]`)
	st = steps["card_data_destinations"]
	assert.Equal(t, reports.Pass, st.Status, st.Message)
	assert.Contains(t, st.Message, "and Pay pressed (1 element(s) clicked), went out in no request")
	assert.Equal(t, "A-EP", res.Scope.SAQ, res.Scope.Reasons)
}

// TestWebSocketExfiltration: a skimmer that sends the card fields in a
// WebSocket frame to another host (here a real WebSocket server on
// 127.0.0.1, another origin than the page's) fails card_data_destinations
// like a request would.
func TestWebSocketExfiltration(t *testing.T) {
	received := make(chan string, 4)
	srv := httptest.NewServer(websocket.Handler(func(ws *websocket.Conn) {
		var msg string
		for websocket.Message.Receive(ws, &msg) == nil {
			received <- msg
		}
	}))
	defer srv.Close()
	sink := "ws" + strings.TrimPrefix(srv.URL, "http") + "/chat"
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS("testdata/built")))
	page, err := os.ReadFile(filepath.Join(dir, "ws_skimmed.html"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ws_skimmed.html"), bytes.ReplaceAll(page, []byte("{{SINK}}"), []byte(sink)), 0o644))

	res, steps := audit(t, nil, "checkout_page="+filepath.Join(dir, "ws_skimmed.html"), `source_dirs=["built"]`)
	st := steps["card_data_destinations"]
	require.Equal(t, reports.Fail, st.Status, st.Message)
	assert.Contains(t, st.Message, "is sent to 127.0.0.1, first GET "+sink+" by /assets/ws_chat.js")
	assert.Equal(t, "D", res.Scope.SAQ, res.Scope.Reasons)
	select {
	case m := <-received:
		assert.Contains(t, m, `"t":"typing"`, "the server received the frame")
	default:
		t.Fatal("no frame reached the server")
	}

	// Offline, a socket to another host never opens: what it would send
	// cannot be seen, so the step cannot pass.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ws_skimmed.html"), bytes.ReplaceAll(page, []byte("{{SINK}}"), []byte("wss://chat.widgets-cdn.example/ws")), 0o644))
	res, steps = audit(t, nil, "checkout_page="+filepath.Join(dir, "ws_skimmed.html"), `source_dirs=["built"]`)
	st = steps["card_data_destinations"]
	require.Equal(t, reports.Error, st.Status, st.Message)
	assert.Contains(t, st.Message, "opens a WebSocket to chat.widgets-cdn.example (wss://chat.widgets-cdn.example/ws, by /assets/ws_chat.js), held back offline")
	assert.NotEqual(t, reports.Go, res.Verdict)
	// Declared as the merchant's own, the socket is the merchant's business.
	_, steps = audit(t, nil, "checkout_page="+filepath.Join(dir, "ws_skimmed.html"), `source_dirs=["built"]`, `merchant_hosts=["chat.widgets-cdn.example"]`)
	assert.Equal(t, reports.Pass, steps["card_data_destinations"].Status, steps["card_data_destinations"].Message)
}

// TestFormJacking: a card form that the page as received does not have,
// posting to a host neither the merchant's nor a provider's, fails
// card_data_destinations — whether a script built it or re-targeted the
// provider's form — though no request carries the card; the merchant's
// own API host, once declared, does not.
func TestFormJacking(t *testing.T) {
	tests := []struct {
		page, host, by string
	}{
		{"formjack.html", "pay.checkout-secure.example", ", built by /assets/formjack_reviews.js)"},
		// The parser made this one; a script changed where it posts.
		{"action_swap.html", "collect.consent-cdn.example", `(form action "https://collect.consent-cdn.example/p")`},
		{"merchant_api.html", "api.shop.example", ", built by /assets/merchant_api.js)"},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			res, steps := audit(t, nil, "checkout_page=built/"+tt.page, `source_dirs=["built"]`)
			st := steps["card_data_destinations"]
			require.Equal(t, reports.Fail, st.Status, st.Message)
			assert.Contains(t, st.Message, "a card form the page as received does not have — a script built it, or changed where it posts — that posts to "+tt.host)
			assert.Contains(t, st.Message, tt.by)
			assert.Equal(t, "D", res.Scope.SAQ, res.Scope.Reasons)
		})
	}

	res, steps := audit(t, nil, "checkout_page=built/merchant_api.html", `source_dirs=["built"]`, `merchant_hosts=["API.shop.example"]`)
	assert.Equal(t, reports.Pass, steps["card_data_destinations"].Status, steps["card_data_destinations"].Message)
	assert.Equal(t, "D", res.Scope.SAQ)
	assert.Contains(t, res.Scope.Reasons[0], `card fields post to the merchant's own host api.shop.example (form action "https://api.shop.example/v1/payments"`)

	// The same post written in the page as received is an unlisted
	// gateway or the merchant's API as far as the page shows: SAQ D, and
	// no skimmer is claimed.
	res, steps = audit(t, nil, "checkout_page=pages/api_post.html", `source_dirs=["pages"]`)
	assert.Equal(t, reports.Pass, steps["card_data_destinations"].Status, steps["card_data_destinations"].Message)
	assert.Equal(t, "D", res.Scope.SAQ)
	// Statically, nothing can be told built.
	_, steps = auditWith(t, runner.Options{Engine: "static"}, "checkout_page=built/action_swap.html", `source_dirs=["built"]`)
	assert.NotEqual(t, reports.Pass, steps["card_data_destinations"].Status, steps["card_data_destinations"].Message)
}

func TestInjectedScriptOffline(t *testing.T) {
	res, steps := audit(t, nil, "checkout_page=built/injected.html", `source_dirs=["built"]`,
		`script_allowlist=[{ script = "/assets/widgets.js", reason = "form widgets" }]`)
	assert.Equal(t, "A-EP", res.Scope.SAQ, res.Scope.Reasons)
	inv := steps["script_inventory"]
	require.Equal(t, reports.Fail, inv.Status, inv.Message)
	assert.Contains(t, inv.Message, "https://cdn.widgets-analytics.example/v2/collect.js from cdn.widgets-analytics.example")
	assert.Contains(t, inv.Message, "injected by /assets/widgets.js")
	assert.Contains(t, inv.Message, "blocked offline")
	var authorised bool
	for _, e := range inv.Evidence {
		if e.Detail == "authorised: /assets/widgets.js — form widgets" {
			authorised = true
		}
	}
	assert.True(t, authorised, "%v", inv.Evidence)

	// Without the browser the injection cannot be seen, and the run says
	// it cannot decide rather than pass.
	res, steps = auditWith(t, runner.Options{Engine: "static"}, "checkout_page=built/injected.html", `source_dirs=["built"]`,
		`script_allowlist=[{ script = "/assets/widgets.js", reason = "form widgets" }]`)
	assert.Equal(t, "undetermined", res.Scope.SAQ)
	assert.NotEqual(t, reports.Go, res.Verdict)
}

func TestSAQAScriptProtection(t *testing.T) {
	tests := []struct {
		page    string
		allow   string
		want    reports.Status
		message string
	}{
		{"iframe_analytics.html", "[]", reports.Fail, "beside 1 script(s) not authorised with a reason, first https://www.googletagmanager.com/gtm.js?id=GTM-AUDIT1 (third-party)"},
		{"iframe_analytics_weak_csp.html", "[]", reports.Fail, "* allows scripts from any host"},
		{"iframe_analytics_csp.html", "[]", reports.Pass, "An enforced meta CSP limits scripts to 'self' https://checkoutshopper-live.adyen.com"},
		{"iframe_analytics.html", `[{ script = "www.googletagmanager.com", reason = "marketing tags, reviewed in SEC-12", dynamic = true }]`, reports.Pass, "authorised with a reason"},
		// A tag manager cannot be pinned: its entry must say it changes in place.
		{"iframe_analytics.html", `[{ script = "www.googletagmanager.com", reason = "marketing tags, reviewed in SEC-12" }]`, reports.Fail,
			"first https://www.googletagmanager.com/gtm.js?id=GTM-AUDIT1, have no integrity attribute"},
		// The merchant's own scripts count too: a compromised first-party
		// bundle is the usual skimmer.
		{"iframe_first_party.html", "[]", reports.Fail, "beside 1 script(s) not authorised with a reason, first /assets/checkout.js (the merchant's own)"},
		{"iframe_first_party.html", `["/assets/checkout.js"]`, reports.Fail, "beside 1 script(s) not authorised with a reason, first /assets/checkout.js"},
		{"iframe_first_party.html", `[{ script = "/assets/checkout.js", reason = "order total, reviewed in SEC-7" }]`, reports.Pass,
			"the merchant's own included, is authorised with a reason (1 script(s))"},
		{"iframe_first_party_csp.html", "[]", reports.Pass, "An enforced meta CSP limits scripts to 'self' https://checkoutshopper-live.adyen.com"},
		{"../pages/redirect.html", "[]", reports.Pass, "Full redirect"},
	}
	for _, tt := range tests {
		t.Run(tt.page+tt.allow, func(t *testing.T) {
			res, steps := audit(t, nil, "checkout_page=built/"+tt.page, `source_dirs=["built"]`, "script_allowlist="+tt.allow)
			assert.Equal(t, "A", res.Scope.SAQ, res.Scope.Reasons)
			st := steps["saq_a_script_protection"]
			assert.Equal(t, tt.want, st.Status, st.Message)
			assert.Contains(t, st.Message, tt.message)
			// 6.4.3 and 11.6.1 are not SAQ A requirements any more.
			for _, id := range []string{"script_inventory", "page_change_detection", "content_security_policy"} {
				assert.Equal(t, reports.Skip, steps[id].Status, id)
				assert.Contains(t, steps[id].Message, "not in SAQ A", id)
			}
		})
	}
}
