#!/usr/bin/env bash
# End to end: compile every sample digest and check the PDF with
# poppler's tools: pages, embedded subset fonts with ToUnicode, and the
# text coming back out of the PDF.
set -euo pipefail
. "$(dirname "$0")/common.bash"
out=$t

# text of a file or PDF with all whitespace removed

# pdftotext -raw output without the running header and footer, which
# come last on each page and would split a paragraph that continues on
# the next page: the lines among the last three of a page that end two
# or more pages' text
no_chrome() {
  awk 'BEGIN { RS = "\f" }
       { page[NR] = $0; n = split($0, l, "\n"); k = 0
         for (i = n; i >= 1 && k < 3; i--) if (l[i] != "") { tail[NR, ++k] = l[i]; seen[l[i]]++ } }
       END { for (p = 1; p <= NR; p++) {
               n = split(page[p], l, "\n"); k = 0
               for (i = n; i >= 1 && k < 3; i--) if (l[i] != "") { k++; if (seen[l[i]] >= 2 || l[i] ~ /^[0-9ivxlc]+ \/ [0-9]+$/) l[i] = "" }
               for (i = 1; i <= n; i++) print l[i] } }'
}

checked=0
for xml in "$root"/samples/*.xml; do
  name=$(basename "$xml" .xml)
  pdf="$out/$name.pdf"
  "$bin" build "$xml" -o "$pdf" 2>"$out/log" || fail "$name: build failed: $(cat "$out/log")"
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  [ "$pages" -ge 2 ] || fail "$name: only $pages pages"
  pdfinfo "$pdf" | grep -q "^Page size: *595.* x 841.* pts (A4)" || fail "$name: not A4"
  # every font embedded, subset, with ToUnicode
  pdffonts "$pdf" | tail -n +3 | while read -r line; do
    set -- $line
    n=$#
    emb=${!n}; emb=$(echo "$line" | awk '{print $(NF-4), $(NF-3), $(NF-2)}')
    [ "$emb" = "yes yes yes" ] || fail "$name: font not embedded+subset+unicode: $line"
  done
  # both reading orders: squeezed punctuation overlaps glyph boxes, which
  # splits lines differently in each of poppler's modes
  { pdftotext -raw "$pdf" - | no_chrome | squash; echo; pdftotext "$pdf" - | squash; } > "$out/text"
  # every plain title and list item of the source comes back out
  grep -o '<title>[^<]*</title>\|<item>[^<]*</item>' "$xml" |
    sed -e 's/<[^>]*>//g' -e 's/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g' \
        -e 's/[[:space:]]//g' -e 's/　//g' | grep -v '^$' > "$out/pieces" || true
  missing=$(awk 'NR == FNR { text = text $0; next } index(text, $0) == 0 { print; exit }' \
              "$out/text" "$out/pieces")
  [ -z "$missing" ] || fail "$name: text not found in PDF: $missing"
  [ -s "$out/pieces" ] || fail "$name: no titles or items found in the source"
  checked=$((checked + 1))
done
[ "$checked" -ge 2 ] || fail "fewer than two samples"

# the archived text sample builds directly too
for txt in "$root"/samples/*.txt; do
  case $txt in *.expected.txt) continue ;; esac
  "$bin" build "$txt" -o "$out/archive.pdf" 2>"$out/log" || fail "$(basename "$txt"): $(cat "$out/log")"
done
echo "samples: $checked digests compiled and checked"
