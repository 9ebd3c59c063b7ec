#!/usr/bin/env bash
# Benchmarks `audit scan` on a generated mixed corpus (logs, JSON, SQL,
# source, a .gz, a .zip; card numbers planted in every format, secrets,
# Luhn-failing, over-long, glued and masked decoys):
#   1. checks recall (100%) and false findings (0) against the plant list,
#      and that no table/JSON/SARIF output holds a planted value;
#   2. times `audit scan` beside ripgrep running the bare card regex over the
#      same tree (hot page cache, both on all cores), best of RUNS;
#   3. with BIG=4GB, measures peak RSS scanning one file of that size.
#
# usage: bench/scan.sh [SIZE]   (default 1GB; e.g. 200MB)
# env:   WORK=/tmp/audit-scan-bench  RUNS=3  BIG=  KEEP=1 (keep the corpus)
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

echo "== speed ($mb MB, $(nproc) cores, best of $runs, hot cache)"
find corpus -type f -print0 | xargs -0 cat >/dev/null # warm the page cache
# Both tools use every core by default: rg one thread per core over the
# files (it stops at the first NUL of a .gz or .zip, audit scans inside),
# audit scan one worker per core. Runs alternate, so a load that comes and
# goes on the machine weighs on both alike.
secs() { # wall time in seconds of "$@", output discarded
	local s e
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}
minof() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b < a) print b; else print a }'; }
ta= tr=
rg=$(command -v rg || true)
for _ in $(seq "$runs"); do
	ta=$(minof "$ta" "$(secs ./audit scan corpus --format json)")
	[[ -z $rg ]] || tr=$(minof "$tr" "$(secs "$rg" -c '\b(?:\d[ -]?){13,19}\b' corpus)")
done
printf "audit scan  %6.3f s  %8.1f MB/s\n" "$ta" "$(echo "$mb / $ta" | bc -l)"
if [[ -n $rg ]]; then
	printf "rg          %6.3f s  %8.1f MB/s\n" "$tr" "$(echo "$mb / $tr" | bc -l)"
	printf "ratio       %.2fx (audit scan speed / rg speed; goal >= 2)\n" "$(echo "$tr / $ta" | bc -l)"
else
	echo "rg not installed: no comparison"
fi

if [[ -n ${BIG:-} ]]; then
	echo "== peak RSS scanning one $BIG file"
	"$work/corpus-tool" bigfile -out "$work/big.log" -size "$BIG"
	ls -l "$work/big.log" | awk '{ printf "file: %.2f GB\n", $5 / 1073741824 }'
	/usr/bin/time -v ./audit scan big.log --format json 2>&1 >/dev/null | grep -E 'Maximum resident|Elapsed' || true
	rm -f "$work/big.log"
fi

[[ -n ${KEEP:-} ]] || rm -rf "$corpus" "$work/corpus.size" "$work/corpus.plants.json" "$work/out" "$work/out.table" "$work/out.stderr"
