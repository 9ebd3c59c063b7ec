package probes

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/browser"
)

// BenchmarkPageEngines reads one built checkout page (a bundle that renders
// its card form, as policies/testdata/built has) with each engine. The
// browser engine's figure is per page with Chromium already running, as in
// a run with several pages; the process start is reported once.
func BenchmarkPageEngines(b *testing.B) {
	dir := b.TempDir()
	page := `<!doctype html><html><head><script src="/assets/app.js" defer></script></head><body><div id="root"></div>
<form action="/pay" method="post"><input name="email"></form></body></html>`
	app := `document.getElementById('root').innerHTML = '<form action="/api/pay" method="post"><input name="number" autocomplete="cc-number"><input name="cvc"></form>';`
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "checkout.html"), []byte(page), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "assets", "app.js"), []byte(app), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg := func(engine string) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{
			"source": cty.StringVal("checkout.html"), "timeout": cty.StringVal("20s"),
			"max_bytes": cty.NumberIntVal(5 << 20), "engine": cty.StringVal(engine),
			"script_allowlist": cty.EmptyTupleVal, "track_changes": cty.False,
		})
	}
	run := func(b *testing.B, env *Env, engine string) {
		b.ReportAllocs()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		for b.Loop() {
			if _, err := (Page{}).Run(context.Background(), env, cfg(engine)); err != nil {
				b.Fatal(err)
			}
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapSys)/(1<<20), "heap-MiB")
	}
	b.Run("static", func(b *testing.B) { run(b, &Env{BaseDir: dir, Offline: true}, engineStatic) })
	path := browser.Find()
	if path == "" {
		b.Log("no Chromium: the browser engine is not measured")
		return
	}
	br := browser.New(path)
	defer br.Close()
	env := &Env{BaseDir: dir, Offline: true, Browser: br}
	start := time.Now()
	if _, err := (Page{}).Run(context.Background(), env, cfg(engineBrowser)); err != nil {
		b.Fatal(err)
	}
	b.Logf("first page, Chromium start included: %s", time.Since(start))
	b.Run("browser", func(b *testing.B) { run(b, env, engineBrowser) })
}
