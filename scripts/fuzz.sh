#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME (default 10s) each, then prints each
# target's executions and their average rate. reports.FuzzPDF is slow on
# purpose (a whole document a run); FuzzPDFText and FuzzPDFLayout fuzz its
# text and layout paths fast. checklist.FuzzLoad goes through the whole
# loader, files on disk included (about 800/s); FuzzChecklist fuzzes the
# same inputs' parsing and decoding in memory. Minimising a new input is
# bounded by count (100 runs), not time, so that the rate printed is the
# exploration's: the fuzzer does not count minimising runs.
set -euo pipefail
cd "$(dirname "$0")/.."
time="${FUZZTIME:-10s}"
summary=()
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | awk '{print $2}' | sort -u); do
    echo "== $pkg $target ($time)"
    out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$time" -fuzzminimizetime 100x "$pkg" 2>&1) || { echo "$out"; exit 1; }
    echo "$out" | tail -3
    # The average over the run: the fuzzer's last report is the rate of
    # its last three seconds, often 0/sec while it minimises an input.
    rate=$(echo "$out" | grep -o 'elapsed: [0-9]*s, execs: [0-9]*' | tail -1 |
      awk '{s=$2+0; n=$4+0; if (s > 0) printf "%d execs in %ds (%d/s)", n, s, n/s}' || true)
    summary+=("${pkg#github.com/audit-tool/audit/} $target: ${rate:-no report}")
  done
done
printf '%s\n' "" "execs per target (load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)):" "${summary[@]}"
