package probes

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/audit-tool/audit/pack"
	"github.com/audit-tool/audit/scan"
	"github.com/audit-tool/audit/walk"
)

// Limits of the errors probe: a log file larger than errorsMaxFile is
// reported as not read; a line longer than errorsMaxLine is cut; a sample
// line is quoted up to errorsSampleLen bytes.
const (
	errorsMaxFile   = 256 << 20
	errorsMaxLine   = 64 << 10
	errorsSampleLen = 200
)

var (
	logErrorType = cty.Object(map[string]cty.Type{
		"code": cty.String, "category": cty.String, "count": cty.Number,
		// first_seen and last_seen are RFC 3339 times read from the lines
		// ("" when no line of the code carries a time); first and last
		// are where the code was met first and last.
		"first_seen": cty.String, "last_seen": cty.String,
		"first": Location, "last": Location,
		"sample": cty.String, // the first line, masked and cut
	})
	errorsFacts = cty.Object(map[string]cty.Type{
		"errors":   cty.List(logErrorType),
		"total":    cty.Number,
		"coverage": CoverageType,
	})
)

// Errors counts a provider's error codes (the pack's log_error blocks) in
// log files: how often each appears, when first and last, and a masked
// sample line, for the periodic audit ("check your system's logs first").
type Errors struct{}

// Name implements Kind.
func (Errors) Name() string { return "errors" }

// Doc implements Kind.
func (Errors) Doc() string {
	return "Log files: the provider's error codes (signature failures, invalid parameters, timeouts, declines) counted, with first and last seen and a masked sample line."
}

// Spec implements Kind.
func (Errors) Spec() hcldec.Spec {
	return providerDirsSpec()
}

// Facts implements Kind. errors are by first appearance.
func (Errors) Facts() cty.Type { return errorsFacts }

// Validate implements Validator.
func (Errors) Validate(env *Env, cfg cty.Value) hcl.Diagnostics {
	return validateProviderDirs("errors", env, cfg)
}

type logErrorCount struct {
	rule        *pack.LogError
	count       int
	first, last time.Time
	firstAt     sourceAt
	lastAt      sourceAt
	sample      string
	order       int
}

// Run implements Kind.
func (Errors) Run(ctx context.Context, env *Env, cfg cty.Value) (cty.Value, error) {
	name := cfgString(cfg, "provider")
	p, ok := env.PackSet().Lookup(name)
	if !ok {
		return cty.NilVal, fmt.Errorf("errors: provider %q has no pack", name)
	}
	var roots []string
	for _, d := range scanStrings(cfg, "dirs") {
		roots = append(roots, env.Path(d))
	}
	if len(roots) == 0 {
		return cty.NilVal, errors.New("errors: dirs: at least one folder is required")
	}
	var cov Coverage
	counts := map[*pack.LogError]*logErrorCount{}
	seen := map[string]bool{}
	skips, err := walk.Walk(ctx, roots, walk.Options{Base: env.BaseDir, Exclude: Excludes(cfg.GetAttr("exclude")), MaxSize: errorsMaxFile}, func(f walk.File) error {
		abs, err := filepath.Abs(f.Path)
		if err != nil {
			return err
		}
		if seen[abs] {
			return nil
		}
		seen[abs] = true
		rel := env.Rel(f.Path)
		fh, _, err := env.Scope.Open(f.Path)
		if err != nil {
			cov.NotRead = append(cov.NotRead, CoverageItem{File: rel, Reason: walk.Reason(err)})
			return nil
		}
		defer fh.Close()
		n, err := countLogErrors(p.LogErrors, rel, bufio.NewReaderSize(fh, 64<<10), counts)
		cov.BytesRead += n
		if err != nil {
			cov.NotRead = append(cov.NotRead, CoverageItem{File: rel, Reason: walk.Reason(err)})
			return nil
		}
		cov.FilesRead++
		return ctx.Err()
	})
	if err != nil {
		return cty.NilVal, fmt.Errorf("errors: %w", err)
	}
	for _, s := range skips {
		item := CoverageItem{File: env.Rel(filepath.FromSlash(s.Name)), Pattern: s.Pattern, Reason: s.Reason}
		if s.Gap {
			cov.NotRead = append(cov.NotRead, item)
		} else {
			cov.Excluded = append(cov.Excluded, item)
		}
	}
	list := make([]*logErrorCount, 0, len(counts))
	total := 0
	for _, c := range counts {
		list = append(list, c)
		total += c.count
	}
	sort.Slice(list, func(i, j int) bool { return list[i].order < list[j].order })
	vals := make([]cty.Value, len(list))
	stamp := func(t time.Time) cty.Value {
		if t.IsZero() {
			return cty.StringVal("")
		}
		return cty.StringVal(t.UTC().Format(time.RFC3339))
	}
	for i, c := range list {
		vals[i] = cty.ObjectVal(map[string]cty.Value{
			"code": cty.StringVal(c.rule.Code), "category": cty.StringVal(c.rule.Category),
			"count": cty.NumberIntVal(int64(c.count)), "first_seen": stamp(c.first), "last_seen": stamp(c.last),
			"first": LocationVal(c.firstAt.file, c.firstAt.line), "last": LocationVal(c.lastAt.file, c.lastAt.line),
			"sample": cty.StringVal(c.sample),
		})
	}
	return cty.ObjectVal(map[string]cty.Value{
		"errors":   ListOf(logErrorType, vals),
		"total":    cty.NumberIntVal(int64(total)),
		"coverage": cov.Value(),
	}), nil
}

// countLogErrors reads one log line by line and adds what it finds to
// counts; it returns the bytes read.
func countLogErrors(rules []*pack.LogError, file string, r *bufio.Reader, counts map[*pack.LogError]*logErrorCount) (int64, error) {
	var read int64
	for line := 1; ; line++ {
		text, err := readLogLine(r)
		read += int64(len(text))
		if len(text) > 0 {
			var at time.Time
			parsed := false
			for _, rule := range rules {
				if !rule.Pattern.MatchString(text) {
					continue
				}
				if !parsed {
					at, parsed = logTime(text), true
				}
				c := counts[rule]
				if c == nil {
					c = &logErrorCount{rule: rule, firstAt: sourceAt{file, line}, order: len(counts), sample: logSample(text)}
					counts[rule] = c
				}
				c.count++
				c.lastAt = sourceAt{file, line}
				if !at.IsZero() {
					if c.first.IsZero() || at.Before(c.first) {
						c.first = at
					}
					if at.After(c.last) {
						c.last = at
					}
				}
			}
		}
		if err != nil {
			if errors.Is(err, errLogEOF) {
				return read, nil
			}
			return read, err
		}
	}
}

var errLogEOF = errors.New("end of log")

// readLogLine reads a line without its newline, cut at errorsMaxLine (the
// rest of a longer line is skipped).
func readLogLine(r *bufio.Reader) (string, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf) < errorsMaxLine {
			buf = append(buf, chunk[:min(len(chunk), errorsMaxLine-len(buf))]...)
		}
		switch {
		case err == nil:
			return string(trimEOL(buf)), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(buf) == 0 {
				return "", errLogEOF
			}
			return string(trimEOL(buf)), errLogEOF
		default:
			return string(buf), err
		}
	}
}

func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// logSample is a line as a report may quote it: card numbers and secrets
// masked, cut to errorsSampleLen bytes on a rune boundary.
func logSample(line string) string {
	s := scan.Redact(line)
	if len(s) <= errorsSampleLen {
		return s
	}
	cut := errorsSampleLen
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// logTimes are the timestamps logs start lines with: RFC 3339 (with or
// without a zone, T or blank), and the common log format's [02/Jan/2006:…].
var (
	logISO    = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?`)
	logCommon = regexp.MustCompile(`\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}`)
)

// logTime reads the first timestamp in a line's first 64 bytes, or zero.
func logTime(line string) time.Time {
	head := line[:min(len(line), 64)]
	if m := logISO.FindString(head); m != "" {
		m = strings.ReplaceAll(m, ",", ".")
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
			if t, err := time.Parse(layout, m); err == nil {
				return t
			}
		}
	}
	if m := logCommon.FindString(head); m != "" {
		if t, err := time.Parse("02/Jan/2006:15:04:05 -0700", m); err == nil {
			return t
		}
	}
	return time.Time{}
}
