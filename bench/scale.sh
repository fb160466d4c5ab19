#!/usr/bin/env bash
# Scaling benchmark: digests of 1x, 10x and 100x the seed's size, built
# with digestpdf; time per page must stay flat (no quadratic step).
#
#   bench/scale.sh [-n RUNS] [FACTORS...]     (default: -n 5, factors 1 10 100)
#
# 1x is about 55 000 characters of text. The digests repeat the sections
# of samples/briefing-2026-02.xml and -03.xml; every copy gets a counter
# in its section name, article titles and ids, so no two are identical
# (ids stay unique, TOC entries differ). Each size is built RUNS times
# with bench/bench.c (median wall time, peak RSS); pages and bytes come
# from the PDF. CPU time (user + system, one extra run under GNU time) is
# shown too: on a shared machine it is steadier than wall time. The table goes to stdout and into bench/RESULTS.md
# between the scale markers (the rest of that file is left alone).
#
# Environment: DIGESTPDF (default build/digestpdf), CC (default cc),
# BENCH_OUT (keep the digests and PDFs there; default a temporary folder).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=5
if [ "${1:-}" = -n ]; then runs=$2; shift 2; fi
factors=("$@")
[ ${#factors[@]} -gt 0 ] || factors=(1 10 100)
seed_chars=55000
digestpdf=${DIGESTPDF:-$root/build/digestpdf}
bench=$root/build/bench
[ -x "$digestpdf" ] || { echo "scale.sh: $digestpdf not built" >&2; exit 2; }
if [ ! -x "$bench" ] || [ "$root/bench/bench.c" -nt "$bench" ]; then
    mkdir -p "$(dirname "$bench")"
    "${CC:-cc}" -std=c11 -O2 -Wall -Wextra -o "$bench" "$root/bench/bench.c"
fi
out=${BENCH_OUT:-}
if [ -z "$out" ]; then out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi
mkdir -p "$out"
export LC_ALL=C.UTF-8

# The pool: every <section> of both briefings, one file each, with its
# count of text characters (tags and white space left out).
pool=$out/pool
mkdir -p "$pool"
for f in "$root"/samples/briefing-2026-02.xml "$root"/samples/briefing-2026-03.xml; do
    awk -v dir="$pool" -v tag="$(basename "$f" .xml)" '
        /<section / { n++; file = sprintf("%s/%s-%02d.xml", dir, tag, n) }
        file { print > file }
        /<\/section>/ { close(file); file = "" }' "$f"
done
secs=("$pool"/*.xml)
chars=()
for s in "${secs[@]}"; do
    chars+=("$(sed 's/<[^>]*>//g' "$s" | tr -d ' \t\n' | wc -m)")
done

# make_digest FACTOR FILE: sections copied round-robin until the text
# reaches FACTOR x seed_chars.
make_digest() {
    local target=$(( $1 * seed_chars )) file=$2 total=0 c=0 i
    {
        sed -n '1,/<\/meta>/p' "$root/samples/briefing-2026-02.xml"
        while [ $total -lt $target ]; do
            i=$(( c % ${#secs[@]} ))
            c=$(( c + 1 ))
            sed -e "s/ id=\"\\([^\"]*\\)\"/ id=\"\\1-$c\"/g" \
                -e "s/<section name=\"\\([^\"]*\\)\"/<section name=\"\\1 第${c}集\"/" \
                -e "s/<title>/<title>第${c}号 /" "${secs[$i]}"
            total=$(( total + ${chars[$i]} ))
        done
        echo '</digest>'
    } >"$file"
    echo "$total"
}

table=$out/table.md
{
    echo "| size | text chars | median wall ms | peak RSS MB | pages | PDF bytes | ms per page | CPU ms | CPU ms per page |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$table"
for k in "${factors[@]}"; do
    xml=$out/scale-${k}x.xml
    pdf=$out/scale-${k}x.pdf
    nchars=$(make_digest "$k" "$xml")
    "$digestpdf" validate "$xml" || { echo "scale.sh: ${k}x digest is invalid" >&2; exit 1; }
    line=$("$bench" -n "$runs" -- "$digestpdf" build "$xml" -o "$pdf")
    median=$(printf '%s\n' "$line" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')
    rss=$(printf '%s\n' "$line" | sed -n 's/.*peak_rss_kb=\([0-9]*\).*/\1/p')
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
    bytes=$(wc -c <"$pdf" | tr -d ' ')
    cpu=$( { /usr/bin/time -f '%U %S' "$digestpdf" build "$xml" -o "$pdf" 2>&1 >/dev/null; } |
          tail -1 | awk '{ print ($1 + $2) * 1000 }')
    awk -v k="$k" -v c="$nchars" -v m="$median" -v r="$rss" -v p="$pages" -v b="$bytes" -v u="$cpu" 'BEGIN {
        printf "| %sx | %d | %.1f | %.1f | %d | %d | %.2f | %.0f | %.2f |\n", k, c, m, r / 1024, p, b, m / p, u, u / p }' >>"$table"
    echo "${k}x: $line pages=$pages bytes=$bytes" >&2
done
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs)" >>"$table"
cat "$table"

# Replace the table between the markers in bench/RESULTS.md.
results=$root/bench/RESULTS.md
if [ -f "$results" ] && grep -q '<!-- scale:begin -->' "$results"; then
    awk -v t="$table" '
        /<!-- scale:begin -->/ { print; while ((getline l < t) > 0) print l; skip = 1; next }
        /<!-- scale:end -->/ { skip = 0 }
        !skip' "$results" >"$results.tmp" && mv "$results.tmp" "$results"
else
    { echo "# Benchmark results"; echo; echo "<!-- scale:begin -->"; cat "$table"; echo "<!-- scale:end -->"; } >"$results"
fi
