#!/usr/bin/env bash
# Fleet scale benchmark: generated merchant folders (internal/fleetgen),
# audited offline by the real binary into SQLite and into PostgreSQL, with 1,
# 2 and 4 shard processes at once. Prints one line per run: wall time,
# merchants/s, CPU seconds and CPU ms per merchant (what the machine's load
# does not change), and the peak RSS of the largest process.
#
#   bench/fleet.sh                 # 1,000 and 10,000 merchants
#   bench/fleet.sh 1000            # sizes of your choice
#   SHARDS="1 4" PARALLEL=4 bench/fleet.sh 1000
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
shards=(${SHARDS:-1 2 4})
parallel=${PARALLEL:-4}
command -v /usr/bin/time >/dev/null || { echo "fleet.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }

work=$(mktemp -d /tmp/audit-fleet-bench.XXXXXX)
chmod 755 "$work"
pg_in=""
cleanup() {
  [ -n "$pg_in" ] && exec {pg_in}>&- || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/audit" ./cmd/audit
go build -o "$work/fleetgen" ./bench/fleetgen
go build -o "$work/pgserver" ./bench/pgserver

# PostgreSQL lives as long as the pipe to its stdin stays open.
mkfifo "$work/pg.in"
"$work/pgserver" <"$work/pg.in" >"$work/pg.url" 2>"$work/pg.err" &
exec {pg_in}>"$work/pg.in"
for _ in $(seq 100); do [ -s "$work/pg.url" ] && break; sleep 0.1; done
pg_url=$(cat "$work/pg.url")
[ -n "$pg_url" ] || { cat "$work/pg.err" >&2; exit 1; }

printf '%-7s %-9s %-6s %9s %12s %8s %13s %9s\n' merchants store shards wall_s merchants/s cpu_s cpu_ms/merch peak_MB
# run N STORE SHARDS URL: all shard processes at once, measured together.
run() {
  local n=$1 kind=$2 k=$3 url=$4 id="bench-$1-$2-$3-$RANDOM"
  local start end pids=() i
  start=$(date +%s.%N)
  for ((i = 0; i < k; i++)); do
    /usr/bin/time -f "%U %S %M" -o "$work/time.$i" \
      "$work/audit" fleet run "$work/f$n/fleet.hcl" --offline --store "$url" --fleet-run "$id" \
      --shard "$i/$k" --parallel "$parallel" >/dev/null 2>"$work/err.$i" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  end=$(date +%s.%N)
  # Exit 1/3 are verdicts (generated fleets hold NO-GO merchants); anything
  # else, or a Go panic, is a failed run.
  if grep -l "panic\|could not be stored" "$work"/err.* >/dev/null 2>&1; then cat "$work"/err.* >&2; exit 1; fi
  awk -v n="$n" -v kind="$kind" -v k="$k" -v wall="$(echo "$end - $start" | bc)" '
    /^Command/ { next }
    { cpu += $1 + $2; if ($3 + 0 > rss) rss = $3 + 0 }
    END { printf "%-7d %-9s %-6d %9.1f %12.1f %8.1f %13.1f %9.1f\n", n, kind, k, wall, n / wall, cpu, 1000 * cpu / n, rss / 1024 }' "$work"/time.*
  rm -f "$work"/time.* "$work"/err.*
}

for n in "${sizes[@]}"; do
  "$work/fleetgen" "$work/f$n" "$n" >/dev/null
  run "$n" sqlite 1 "sqlite://$work/f$n/audit-fleet.db"
  for k in "${shards[@]}"; do
    run "$n" postgres "$k" "$pg_url"
  done
  /usr/bin/time -f "report: %e s wall, %U+%S s CPU, %M KB peak" \
    "$work/audit" fleet report --store "$pg_url" --format json >/dev/null 2>"$work/report.err" || true
  echo "  $n merchants, $(tail -1 "$work/report.err")"
done
