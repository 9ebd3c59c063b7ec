#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME (default 10s) each, then prints each
# target's executions per second (the fuzzer's last report).
set -euo pipefail
cd "$(dirname "$0")/.."
time="${FUZZTIME:-10s}"
summary=()
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | awk '{print $2}' | sort -u); do
    echo "== $pkg $target ($time)"
    out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$time" -fuzzminimizetime 5s "$pkg" 2>&1) || { echo "$out"; exit 1; }
    echo "$out" | tail -3
    rate=$(echo "$out" | grep -o 'execs: [0-9]* ([0-9]*/sec)' | tail -1 || true)
    summary+=("${pkg#github.com/audit-tool/audit/} $target: ${rate:-no report}")
  done
done
printf '%s\n' "" "execs per target (load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)):" "${summary[@]}"
