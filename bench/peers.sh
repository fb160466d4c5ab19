#!/usr/bin/env bash
# digestpdf next to Apache FOP on the same digests.
#
#   bench/peers.sh [-n RUNS] [FILES...]    (default: -n 3, samples/briefing-2026-02.xml)
#
# For FOP the digest is first turned into XSL-FO by our stylesheet
# (bench/peers/digest2fo.xsl, xsltproc; timed separately), then FOP renders
# the FO with the IPAex fonts embedded as subsets (bench/peers/fop.xconf).
# Both are timed with bench/bench.c (median wall time including process
# start, peak RSS of the process tree). Needs the Debian packages fop and
# xsltproc; digestpdf from build/digestpdf (or DIGESTPDF).
#
# Optional third peer, Typst: set TYPST_NODE_PATH to a node_modules folder
# holding @myriaddreamin/typst-ts-node-compiler (npm install it anywhere,
# e.g. /tmp/typst-peer). Typst reads the digest XML itself through
# bench/peers/digest.typ; bench/peers/typst.mjs drives the compiler.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=3
if [ "${1:-}" = -n ]; then runs=$2; shift 2; fi
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$root/samples/briefing-2026-02.xml")
digestpdf=${DIGESTPDF:-$root/build/digestpdf}
bench=$root/build/bench
for tool in fop xsltproc pdfinfo; do
    command -v "$tool" >/dev/null || { echo "peers.sh: $tool is not installed" >&2; exit 2; }
done
[ -x "$digestpdf" ] || { echo "peers.sh: $digestpdf not built" >&2; exit 2; }
if [ ! -x "$bench" ] || [ "$root/bench/bench.c" -nt "$bench" ]; then
    mkdir -p "$(dirname "$bench")"
    "${CC:-cc}" -std=c11 -O2 -Wall -Wextra -o "$bench" "$root/bench/bench.c"
fi
out=${BENCH_OUT:-}
if [ -z "$out" ]; then out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi
mkdir -p "$out"

field() { printf '%s\n' "$2" | sed -n "s/.*$1=\\([0-9.]*\\).*/\\1/p"; }

printf '%-24s %-10s %10s %8s %6s %10s\n' input tool median_ms rss_MB pages pdf_bytes
for f in "${files[@]}"; do
    name=$(basename "$f" .xml)
    fo=$out/$name.fo
    xslt=$("$bench" -n "$runs" -- xsltproc -o "$fo" "$root/bench/peers/digest2fo.xsl" "$f")
    xsltproc -o "$fo" "$root/bench/peers/digest2fo.xsl" "$f"
    dp=$("$bench" -n "$runs" -- "$digestpdf" build "$f" -o "$out/$name.dp.pdf")
    fp=$("$bench" -n "$runs" -- fop -q -c "$root/bench/peers/fop.xconf" -fo "$fo" -pdf "$out/$name.fop.pdf")
    tools=(digestpdf xsltproc fop)
    if [ -n "${TYPST_NODE_PATH:-}" ]; then
        ty=$(NODE_PATH=$TYPST_NODE_PATH "$bench" -n "$runs" -- node "$root/bench/peers/typst.mjs" "$f" "$out/$name.typst.pdf")
        tools+=(typst)
    fi
    for t in "${tools[@]}"; do
        case $t in
            typst) line=$ty; pdf=$out/$name.typst.pdf ;;
            digestpdf) line=$dp; pdf=$out/$name.dp.pdf ;;
            xsltproc) line=$xslt; pdf= ;;
            fop) line=$fp; pdf=$out/$name.fop.pdf ;;
        esac
        pages=-; bytes=-
        if [ -n "$pdf" ]; then
            pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
            bytes=$(wc -c <"$pdf" | tr -d ' ')
        fi
        printf '%-24s %-10s %10s %8.1f %6s %10s\n' "$name" "$t" "$(field median_ms "$line")" \
            "$(awk -v k="$(field peak_rss_kb "$line")" 'BEGIN { print k / 1024 }')" "$pages" "$bytes"
    done
    awk -v a="$(field median_ms "$fp")" -v x="$(field median_ms "$xslt")" -v b="$(field median_ms "$dp")" \
        -v ra="$(field peak_rss_kb "$fp")" -v rb="$(field peak_rss_kb "$dp")" \
        -v sa="$(wc -c <"$out/$name.fop.pdf")" -v sb="$(wc -c <"$out/$name.dp.pdf")" 'BEGIN {
        printf "%-24s ratio FOP(+xsltproc)/digestpdf: time %.1fx, RSS %.1fx, PDF size %.2fx\n",
               "", (a + x) / b, ra / rb, sa / sb }'
    if [ -n "${TYPST_NODE_PATH:-}" ]; then
        awk -v a="$(field median_ms "$ty")" -v b="$(field median_ms "$dp")" \
            -v ra="$(field peak_rss_kb "$ty")" -v rb="$(field peak_rss_kb "$dp")" \
            -v sa="$(wc -c <"$out/$name.typst.pdf")" -v sb="$(wc -c <"$out/$name.dp.pdf")" 'BEGIN {
            printf "%-24s ratio Typst/digestpdf: time %.1fx, RSS %.1fx, PDF size %.2fx\n",
                   "", a / b, ra / rb, sa / sb }'
    fi
done
