#!/usr/bin/env bash
# Benchmark digestpdf on sample inputs.
#
#   bench/run.sh [-n N] [--import | --standards] [FILES...]
#
# Build mode (default): for every FILE (default: samples/*.xml) run
#   digestpdf build FILE -o OUT.pdf
# N times (default 15) and print one table row per file: median wall time,
# peak RSS, PDF size and page count (pdfinfo, if installed).
# Import mode (--import): FILES default to samples/*.txt and each run is
#   digestpdf import FILE -o OUT.xml
# and the table shows the XML size instead of pages.
# Standards mode (--standards): every FILE is built with --pdf-standard none,
# a-2u and the default (ua-1,a-2u: tagged), alternating run by run so that
# all see the same machine load; one row each, then the ratios to none.
#
# Environment: DIGESTPDF (default build/digestpdf), CC (default cc),
# BENCH_OUT (scratch directory, default a fresh mktemp -d).
set -euo pipefail

usage() {
    sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
}

root=$(cd "$(dirname "$0")/.." && pwd)
runs=15
mode=build
files=()

while [ "$#" -gt 0 ]; do
    case "$1" in
        -n)
            [ "$#" -ge 2 ] || { echo "run.sh: -n needs a number" >&2; exit 2; }
            runs=$2
            shift 2
            ;;
        --import) mode=import; shift ;;
        --standards) mode=standards; shift ;;
        -h|--help) usage; exit 0 ;;
        --) shift; files+=("$@"); break ;;
        -*) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        *) files+=("$1"); shift ;;
    esac
done

case "$runs" in
    ''|*[!0-9]*) echo "run.sh: bad run count '$runs'" >&2; exit 2 ;;
esac

digestpdf=${DIGESTPDF:-$root/build/digestpdf}
bench=$root/build/bench
cc=${CC:-cc}

if [ ! -x "$bench" ] || [ "$root/bench/bench.c" -nt "$bench" ]; then
    mkdir -p "$root/build"
    "$cc" -std=c11 -O2 -Wall -Wextra -o "$bench" "$root/bench/bench.c"
fi

if [ ! -x "$digestpdf" ] && ! command -v "$digestpdf" >/dev/null 2>&1; then
    echo "run.sh: $digestpdf not found (build it first, or set DIGESTPDF)" >&2
    exit 2
fi

if [ "${#files[@]}" -eq 0 ]; then
    if [ "$mode" != import ]; then
        files=("$root"/samples/*.xml)
    else
        files=("$root"/samples/*.txt)
    fi
fi

outdir=${BENCH_OUT:-}
if [ -z "$outdir" ]; then
    outdir=$(mktemp -d)
    trap 'rm -rf "$outdir"' EXIT
fi
mkdir -p "$outdir"

# median of the numbers on standard input
median() { sort -n | awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2);
    printf "%.1f", NR % 2 ? v[m] : (v[m] + v[m + 1]) / 2 }'; }

if [ "$mode" = standards ]; then
    stds=(none a-2u ua-1,a-2u)
    printf '%-36s %-14s %10s %10s %10s\n' input std median_ms rss_MB pdf_bytes
    status=0
    for f in "${files[@]}"; do
        name=$(basename "$f")
        for std in "${stds[@]}"; do : >"$outdir/t.$std"; : >"$outdir/r.$std"; done
        for ((k = 0; k < runs; k++)); do
            for std in "${stds[@]}"; do
                line=$("$bench" -n 1 -- "$digestpdf" build "$f" -o "$outdir/$std.pdf" \
                       --pdf-standard "$std") || { echo "run.sh: $name ($std) failed" >&2; exit 1; }
                sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p' <<<"$line" >>"$outdir/t.$std"
                sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p' <<<"$line" >>"$outdir/r.$std"
            done
        done
        for std in "${stds[@]}"; do
            printf '%-36s %-14s %10s %10s %10s\n' "$name" "$std" "$(median <"$outdir/t.$std")" \
                "$(sort -n "$outdir/r.$std" | tail -1 | awk '{ printf "%.1f", $1 / 1024 }')" \
                "$(wc -c <"$outdir/$std.pdf" | tr -d ' ')"
        done
        for std in "${stds[@]:1}"; do
            awk -v a="$(median <"$outdir/t.$std")" -v n="$(median <"$outdir/t.none")" \
                -v sa="$(wc -c <"$outdir/$std.pdf")" -v sn="$(wc -c <"$outdir/none.pdf")" \
                -v name="$name" -v std="$std" \
                'BEGIN { printf "%-36s %-14s %9.3fx %10s %9.4fx\n", name, std "/none", a / n, "", sa / sn }'
        done
    done
    exit "$status"
fi

if [ "$mode" = build ]; then
    printf '%-36s %10s %10s %10s %6s\n' input median_ms rss_MB pdf_bytes pages
else
    printf '%-36s %10s %10s %10s\n' input median_ms rss_MB xml_bytes
fi

status=0
for f in "${files[@]}"; do
    case "$f" in
        *.expected.txt) continue ;;
    esac
    if [ ! -f "$f" ]; then
        echo "run.sh: no such file: $f" >&2
        status=1
        continue
    fi
    name=$(basename "$f")
    if [ "$mode" = build ]; then
        out=$outdir/${name%.*}.pdf
        set -- "$digestpdf" build "$f" -o "$out"
    else
        out=$outdir/${name%.*}.xml
        set -- "$digestpdf" import "$f" -o "$out"
    fi
    rm -f "$out"
    if ! line=$("$bench" -n "$runs" -- "$@"); then
        echo "run.sh: $name: command failed: $*" >&2
        status=1
        [ -n "$line" ] || continue
    fi
    median=$(printf '%s\n' "$line" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')
    rss_kb=$(printf '%s\n' "$line" | sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p')
    rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
    bytes=-
    [ -f "$out" ] && bytes=$(wc -c <"$out" | tr -d ' ')
    if [ "$mode" = build ]; then
        pages=-
        if [ -f "$out" ] && command -v pdfinfo >/dev/null 2>&1; then
            pages=$(pdfinfo "$out" 2>/dev/null | awk '/^Pages:/ { print $2 }')
            [ -n "$pages" ] || pages=?
        fi
        printf '%-36s %10s %10s %10s %6s\n' "$name" "$median" "$rss_mb" "$bytes" "$pages"
    else
        printf '%-36s %10s %10s %10s\n' "$name" "$median" "$rss_mb" "$bytes"
    fi
done
exit "$status"
