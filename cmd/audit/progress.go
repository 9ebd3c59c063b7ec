package main

import (
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressBar is a bar of total steps (-1: unknown, a spinner) on stderr
// when stderr is a terminal, else nil: logs, CI output and pipes get no
// progress bytes. --quiet turns it off, and so do --verbose and --debug,
// whose lines are the progress.
func (a *app) progressBar(total int64, what string, opts ...progressbar.Option) *progressbar.ProgressBar {
	rw, ok := a.stderr.(redactWriter)
	if !ok || !isTerminal(rw.w) || total == 0 || a.quiet || a.verbose || a.debug {
		return nil
	}
	return progressbar.NewOptions64(total, append([]progressbar.Option{
		progressbar.OptionSetWriter(rw.w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionClearOnFinish(),
	}, opts...)...)
}

// probeProgress drives a bar of the probes a run starts, cleared once the
// last one is done so the report that follows starts on a clean line.
func (a *app) probeProgress() func(done, total int) {
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		switch {
		case done == 0:
			bar = a.progressBar(int64(total), "probes", progressbar.OptionShowCount())
		case bar != nil:
			_ = bar.Set(done)
			if done == total {
				_ = bar.Finish()
			}
		}
	}
}
