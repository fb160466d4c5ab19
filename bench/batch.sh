#!/usr/bin/env bash
# Benchmark `digestpdf batch`: digests per second at -j 1 and -j 2.
#
#   bench/batch.sh [-c COPIES] [-n RUNS] [-a ARGS] [-b BASELINE [-B ARGS]] [SEED.xml]
#
# Makes COPIES (default 200) copies of a seed-sized digest (default:
# ../shared/seeds/digest-2026-01-05.xml beside the project when present,
# else samples/briefing-2026-02.xml), then runs
#   digestpdf batch IN -o OUT -j J --force ARGS
# RUNS times (default 1) for J = 1 and 2 under bench/bench.c, and prints the
# median wall time, digests per second, the speed-up of -j 2, and peak RSS.
# Peak RSS is ru_maxrss from wait4, which on Linux is the largest of the
# batch process and its workers (one process, not their sum).
#
# With -b, a second binary (an older build, say) runs the same batches,
# its runs alternating with ours so that both see the same load; -B gives
# its own extra arguments (an older binary may lack an option given with
# -a). The last lines are our rate over the baseline's at each -j.
#
# Environment: DIGESTPDF (default build/digestpdf), CC (default cc).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
copies=200
runs=1
seed=
args=
base=
base_args=
while [ "$#" -gt 0 ]; do
    case "$1" in
        -c) copies=$2; shift 2 ;;
        -n) runs=$2; shift 2 ;;
        -a) args=$2; shift 2 ;;
        -b) base=$2; shift 2 ;;
        -B) base_args=$2; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
for b in "$digestpdf" ${base:+"$base"}; do
    if [ ! -x "$b" ]; then
        echo "batch.sh: $b not found (build it first, or set DIGESTPDF)" >&2
        exit 2
    fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${CC:-cc}" -std=c11 -O2 -Wall -Wextra -o "$work/bench" "$root/bench/bench.c"
mkdir -p "$work/in"
for i in $(seq -w 1 "$copies"); do
    cp "$seed" "$work/in/digest-$i.xml"
done

# the binaries measured: ours, then the baseline's
names=(new)
bins=("$digestpdf")
extra=("$args")
if [ -n "$base" ]; then
    names+=(baseline)
    bins+=("$base")
    extra+=("$base_args")
fi

echo "seed: $seed ($(wc -c < "$seed" | tr -d ' ') bytes), $copies copies, $(nproc) cores"
# a first run of each fills the page cache with the fonts and makes the folders
for k in "${!bins[@]}"; do
    # shellcheck disable=SC2086 # the extra arguments are words
    "${bins[$k]}" batch "$work/in" -o "$work/out$k" -j 2 ${extra[$k]} >/dev/null 2>&1 || {
        echo "batch.sh: the warm-up batch of ${bins[$k]} failed" >&2
        exit 1
    }
done

# one timed run: prints "ms kb"
one() {
    local k=$1 j=$2 line
    # shellcheck disable=SC2086
    line=$("$work/bench" -n 1 -- "${bins[$k]}" batch "$work/in" -o "$work/out$k" \
        -j "$j" --force ${extra[$k]})
    printf '%s %s\n' "$(printf '%s\n' "$line" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')" \
        "$(printf '%s\n' "$line" | sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p')"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A rate
printf '%-9s %-6s %12s %12s %12s\n' binary jobs median_s digests/s peak_rss_MB
for j in 1 2; do
    declare -A ms=() kb=()
    for _ in $(seq "$runs"); do
        for k in "${!bins[@]}"; do
            read -r m r < <(one "$k" "$j")
            ms[$k]="${ms[$k]:-} $m"
            [ "${kb[$k]:-0}" -ge "$r" ] || kb[$k]=$r
        done
    done
    for k in "${!bins[@]}"; do
        # shellcheck disable=SC2086 # the times are words
        med=$(printf "%s\n" ${ms[$k]} | median)
        rate[$k,$j]=$(awk -v n="$copies" -v ms="$med" 'BEGIN { printf "%.2f", n / (ms / 1000) }')
        awk -v b="${names[$k]}" -v j="$j" -v ms="$med" -v r="${rate[$k,$j]}" -v kb="${kb[$k]}" \
            'BEGIN { printf "%-9s %-6s %12.2f %12s %12.1f\n", b, "-j" j, ms / 1000, r, kb / 1024 }'
    done
done
for k in "${!bins[@]}"; do
    awk -v b="${names[$k]}" -v a="${rate[$k,1]}" -v c="${rate[$k,2]}" \
        'BEGIN { printf "%s speed-up -j2/-j1: %.2fx\n", b, c / a }'
done
if [ -n "$base" ]; then
    for j in 1 2; do
        awk -v j="$j" -v a="${rate[0,$j]}" -v b="${rate[1,$j]}" \
            'BEGIN { printf "new/baseline at -j%s: %.2fx\n", j, a / b }'
    done
fi
