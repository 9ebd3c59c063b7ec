package probes

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/browser"
)

// BenchmarkPageEngines reads one built checkout page (a bundle that renders
// its card form, as policies/testdata/built has) with each engine. The
// browser engine's figure is per page with Chromium already running, as in
// a run with several pages; the process start is reported once. For the
// browser it also reports the peak memory of Chromium's process tree while
// a page renders (sampled after the timed pages, so sampling does not slow
// them): summed RSS (shared pages counted in each process, an upper bound)
// and summed PSS (shared pages divided among their processes).
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
	b.Run("browser", func(b *testing.B) {
		run(b, env, engineBrowser)
		if _, _, ok := treeMemory(); !ok {
			b.Log("no /proc: Chromium's memory is not measured")
			return
		}
		var peakRSS, peakPSS int64
		for range 3 {
			rss, pss := peakWhile(func() {
				if _, err := (Page{}).Run(context.Background(), env, cfg(engineBrowser)); err != nil {
					b.Fatal(err)
				}
			})
			peakRSS, peakPSS = max(peakRSS, rss), max(peakPSS, pss)
		}
		b.ReportMetric(float64(peakRSS)/1024, "chromium-peak-rss-MiB")
		b.ReportMetric(float64(peakPSS)/1024, "chromium-peak-pss-MiB")
	})
}

// peakWhile samples the memory of this process's descendants every 10 ms
// while fn runs and returns the peaks, in KiB.
func peakWhile(fn func()) (rss, pss int64) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			r, p, _ := treeMemory()
			rss, pss = max(rss, r), max(pss, p)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return rss, pss
}

// treeMemory sums the RSS and PSS (KiB) of every descendant of this
// process — Chromium's browser, zygote, renderer and utility processes —
// from /proc; ok is false without /proc.
func treeMemory() (rss, pss int64, ok bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, 0, false
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(f[1]); err == nil {
			children[ppid] = append(children[ppid], pid)
		}
	}
	queue := append([]int{}, children[os.Getpid()]...)
	for len(queue) > 0 {
		pid := queue[0]
		queue = append(queue[1:], children[pid]...)
		r, p := smapsRollup(pid)
		rss, pss = rss+r, pss+p
	}
	return rss, pss, true
}

func smapsRollup(pid int) (rss, pss int64) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return 0, 0 // gone meanwhile
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "Rss" && name != "Pss") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			continue
		}
		if name == "Rss" {
			rss = n
		} else {
			pss = n
		}
	}
	return rss, pss
}
