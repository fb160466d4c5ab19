#!/usr/bin/env bash
# Benchmark `digestpdf batch`: digests per second at -j 1 and -j 2.
#
#   bench/batch.sh [-c COPIES] [-n RUNS] [SEED.xml]
#
# Makes COPIES (default 200) copies of a seed-sized digest (default:
# ../shared/seeds/digest-2026-01-05.xml beside the project when present,
# else samples/briefing-2026-02.xml), then runs
#   digestpdf batch IN -o OUT -j J --force
# RUNS times (default 1) for J = 1 and 2 under bench/bench.c, and prints the
# median wall time, digests per second, the speed-up of -j 2, and peak RSS.
# Peak RSS is ru_maxrss from wait4, which on Linux is the largest of the
# batch process and its workers (one process, not their sum).
#
# Environment: DIGESTPDF (default build/digestpdf), CC (default cc).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
copies=200
runs=1
seed=
while [ "$#" -gt 0 ]; do
    case "$1" in
        -c) copies=$2; shift 2 ;;
        -n) runs=$2; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "batch.sh: unknown option '$1'" >&2; exit 2 ;;
        *) seed=$1; shift ;;
    esac
done
case "$copies$runs" in
    *[!0-9]*|'') echo "batch.sh: -c and -n need numbers" >&2; exit 2 ;;
esac
if [ -z "$seed" ]; then
    seed=$root/../shared/seeds/digest-2026-01-05.xml
    [ -f "$seed" ] || seed=$root/samples/briefing-2026-02.xml
fi
[ -f "$seed" ] || { echo "batch.sh: no such file: $seed" >&2; exit 2; }

digestpdf=${DIGESTPDF:-$root/build/digestpdf}
if [ ! -x "$digestpdf" ]; then
    echo "batch.sh: $digestpdf not found (build it first, or set DIGESTPDF)" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${CC:-cc}" -std=c11 -O2 -Wall -Wextra -o "$work/bench" "$root/bench/bench.c"
mkdir -p "$work/in"
for i in $(seq -w 1 "$copies"); do
    cp "$seed" "$work/in/digest-$i.xml"
done

echo "seed: $seed ($(wc -c < "$seed" | tr -d ' ') bytes), $copies copies, $(nproc) cores"
# a first run fills the page cache with the fonts and creates the folders
"$digestpdf" batch "$work/in" -o "$work/out" -j 2 >/dev/null 2>&1 || {
    echo "batch.sh: the warm-up batch failed" >&2
    exit 1
}
printf '%-6s %12s %12s %12s\n' jobs median_s digests/s peak_rss_MB
declare -A rate
for j in 1 2; do
    line=$("$work/bench" -n "$runs" -- "$digestpdf" batch "$work/in" -o "$work/out" \
        -j "$j" --force)
    ms=$(printf '%s\n' "$line" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')
    kb=$(printf '%s\n' "$line" | sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p')
    rate[$j]=$(awk -v n="$copies" -v ms="$ms" 'BEGIN { printf "%.2f", n / (ms / 1000) }')
    awk -v j="$j" -v ms="$ms" -v r="${rate[$j]}" -v kb="$kb" \
        'BEGIN { printf "%-6s %12.2f %12s %12.1f\n", "-j" j, ms / 1000, r, kb / 1024 }'
done
awk -v a="${rate[1]}" -v b="${rate[2]}" 'BEGIN { printf "speed-up -j2/-j1: %.2fx\n", b / a }'
