#!/usr/bin/env bash
# Benchmarks `audit scan` on a generated mixed corpus (logs, JSON, SQL,
# source, a .gz, a .zip; card numbers planted in every format, secrets,
# Luhn-failing, over-long, glued and masked decoys):
#   1. checks recall (100%) and false findings (0) against the plant list,
#      and that no table/JSON/SARIF output holds a planted value;
#   2. times `audit scan` beside ripgrep running the bare card regex over the
#      same tree (hot page cache, both on all cores), best of RUNS
#      alternating runs, wall and CPU time, and with hyperfine when installed;
#   3. with CARDS=1000000, peak RSS over a gzip of that many card numbers,
#      in each scan format (findings are streamed: goal < 64 MiB);
#   4. with BIG=4GB, peak RSS scanning one file of that size (split over
#      the cores).
#
# usage: bench/scan.sh [SIZE]   (default 1GB; e.g. 200MB)
# env:   WORK=/tmp/audit-scan-bench  RUNS=3  CARDS=  BIG=  KEEP=1 (keep the corpus)
set -euo pipefail

size=${1:-1GB}
work=${WORK:-/tmp/audit-scan-bench}
runs=${RUNS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=$work/corpus
mkdir -p "$work"

echo "== build"
(cd "$root" && go build -o "$work/audit" ./cmd/audit && go build -o "$work/corpus-tool" ./bench/corpus)

if [[ ! -f $work/corpus.size || $(cat "$work/corpus.size") != "$size" ]]; then
	echo "== generate $size corpus in $corpus"
	rm -rf "$corpus" "$work/corpus.plants.json"
	"$work/corpus-tool" gen -dir "$corpus" -size "$size" -plants "$work/corpus.plants.json"
	echo "$size" >"$work/corpus.size"
fi
bytes=$(du -sb "$corpus" | cut -f1)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')

echo "== check findings against the plants"
cd "$work"
set +e
./audit scan corpus --format table,json,sarif --out "$work/out" >"$work/out.table" 2>"$work/out.stderr"
code=$?
set -e
[[ $code == 1 ]] || { echo "audit scan exited $code, want 1 (live numbers planted)"; cat "$work/out.stderr"; exit 1; }
"$work/corpus-tool" check -plants corpus.plants.json -scan out/scan.json -root corpus \
	out/scan.json out/scan.sarif out.table out.stderr

echo "== speed ($mb MB, $(nproc) cores, $runs alternating runs, hot cache; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
find corpus -type f -print0 | xargs -0 cat >/dev/null # warm the page cache
# Both tools use every core by default: rg one thread per core over the
# files (it stops at the first NUL of a .gz or .zip, audit scans inside),
# audit scan one worker per core, a big file split over them. Runs
# alternate, so a load that comes and goes on the machine weighs on both
# alike; CPU seconds (user + system) are printed too: on a shared machine
# they are the steadier figure.
measure() { # "wall cpu" of "$@", output discarded
	/usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
	tail -1 "$work/time.txt" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}
minof() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b < a) print b; else print a }'; }
ta= tr= ca= cr=
rg=$(command -v rg || true)
for _ in $(seq "$runs"); do
	read -r w c < <(measure ./audit scan corpus --format json)
	ta=$(minof "$ta" "$w") ca=$(minof "$ca" "$c")
	if [[ -n $rg ]]; then
		read -r w c < <(measure "$rg" -c '\b(?:\d[ -]?){13,19}\b' corpus)
		tr=$(minof "$tr" "$w") cr=$(minof "$cr" "$c")
	fi
done
printf "audit scan  %6.3f s wall  %6.2f s CPU  %8.1f MB/s\n" "$ta" "$ca" "$(echo "$mb / $ta" | bc -l)"
if [[ -n $rg ]]; then
	printf "rg          %6.3f s wall  %6.2f s CPU  %8.1f MB/s\n" "$tr" "$cr" "$(echo "$mb / $tr" | bc -l)"
	printf "ratio       %.2f wall, %.2f CPU (audit scan time / rg time; goal <= 0.5, target 0.3)\n" \
		"$(echo "$ta / $tr" | bc -l)" "$(echo "$ca / $cr" | bc -l)"
else
	echo "rg not installed: no comparison"
fi
if command -v hyperfine >/dev/null && [[ -n $rg ]]; then
	hyperfine -N --warmup 1 --runs "$runs" -i "./audit scan corpus --format json" "$rg -c '\b(?:\d[ -]?){13,19}\b' corpus" 2>&1 |
		grep -E 'Time|±|faster' || true
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ -n ${CARDS:-} ]]; then
	echo "== peak RSS: a gzip of $CARDS card numbers, each format"
	awk -v n="$CARDS" 'BEGIN { srand(7); for (i = 0; i < n; i++) {
		d = "453957"; for (k = 0; k < 9; k++) d = d int(rand() * 10)
		s = 0; for (k = 15; k >= 1; k--) { v = substr(d, k, 1) + 0; if ((15 - k) % 2 == 0) { v *= 2; if (v > 9) v -= 9 }; s += v }
		printf "order %d card %s%d paid\n", i, d, (10 - s % 10) % 10 } }' | gzip >"$work/cards.gz"
	for f in json sarif table github; do
		/usr/bin/time -f "$f: %M KB peak RSS, %e s" ./audit scan cards.gz --format "$f" --out "$work/out-cards" 2>&1 >/dev/null | tail -1 || true
	done
	rm -rf "$work/cards.gz" "$work/out-cards"
fi

if [[ -n ${BIG:-} ]]; then
	echo "== peak RSS scanning one $BIG file"
	"$work/corpus-tool" bigfile -out "$work/big.log" -size "$BIG"
	ls -l "$work/big.log" | awk '{ printf "file: %.2f GB\n", $5 / 1073741824 }'
	/usr/bin/time -v ./audit scan big.log --format json 2>&1 >/dev/null | grep -E 'Maximum resident|Elapsed' || true
	rm -f "$work/big.log"
fi

[[ -n ${KEEP:-} ]] || rm -rf "$corpus" "$work/corpus.size" "$work/corpus.plants.json" "$work/out" "$work/out.table" "$work/out.stderr"
