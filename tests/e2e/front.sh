#!/usr/bin/env bash
# End to end: the front matter (cover, title block, contents) and the
# words the layout draws, which come from the style.
set -euo pipefail
. "$(dirname "$0")/common.bash"
tmp=$t
en=$root/tests/golden/in/english.style

# The English test style sets every label the default style documents.
while read -r key; do
    grep -q "^$key = " "$en" || fail "english.style does not set $key"
done < <(sed -n 's/^\(label\.[a-z.]*\) = .*/\1/p' "$root/styles/default.style")

# With it, the front matter and the badges are in English: no Japanese
# label is left (the digest's own text stays Japanese).
"$bin" build "$root/samples/showcase.xml" -o "$tmp/en.pdf" --style "$en" 2>"$tmp/err" ||
    fail "english build: $(cat "$tmp/err")"
txt=$(pdftotext "$tmp/en.pdf" -)
for word in Contents Summary Issued Updated Publisher "Issuing body" "Just in" \
            "3 (2 new) in 2 issuing bodies"; do
    grep -qF "$word" <<<"$txt" || fail "english: \"$word\" is missing"
done
for word in 目次 概要 発行日 更新日 掲載記事 発行機関 うち新着 NEW; do
    ! grep -qF "$word" <<<"$txt" || fail "english: \"$word\" is still drawn"
done
# the title block (no cover) joins its items with the style's label.join,
# whose spaces the quotes keep
{ cat "$en"; echo "cover = false"; } >"$tmp/en-block.style"
"$bin" build "$root/samples/showcase.xml" -o "$tmp/en-block.pdf" --style "$tmp/en-block.style" \
    2>"$tmp/err" || fail "english title block: $(cat "$tmp/err")"
txt=$(pdftotext -layout "$tmp/en-block.pdf" - | tr -s ' ')
grep -qF "Issued 2026-03-02 · Updated 2026-02-27 · Articles 3 (2 new) · Publisher" <<<"$txt" ||
    fail "english title block: $(grep -F Issued <<<"$txt")"

# A label with a field it does not take, or a brace left open, is an
# error naming the style file and line, and no PDF is written.
printf 'label.count = {articles} ({fresh} new)\nlabel.contents = {articles}\nlabel.count.cover = {bodies\n' >"$tmp/bad.style"
set +e
msg=$("$bin" build "$root/samples/showcase.xml" -o "$tmp/bad.pdf" --style "$tmp/bad.style" 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] || fail "bad labels: exit 0"
[ ! -e "$tmp/bad.pdf" ] || fail "bad labels: a PDF was written"
for line in 1 2 3; do
    grep -q "bad.style:$line: error: label\." <<<"$msg" || fail "bad labels: no error for line $line: $msg"
done
grep -q "its fields are {articles} {new}" <<<"$msg" || fail "bad labels: fields not named: $msg"

# The cover (tests/golden/in/cover.xml: every article new).
"$bin" build "$root/tests/golden/in/cover.xml" -o "$tmp/cover.pdf" 2>"$tmp/err" ||
    fail "cover: $(cat "$tmp/err")"
words=$(pdftotext -bbox -f 1 -l 1 "$tmp/cover.pdf" - | sed -n 's/.*xMin="\([0-9.]*\)" yMin="\([0-9.]*\)".*yMax="\([0-9.]*\)">\(.*\)<\/word>/\1 \2 \3 \4/p')
# the values after the labels start at one x
xs=$(awk '$4 == "発行日" || $4 == "更新日" || $4 == "掲載記事" || $4 == "発行" { y = $2; want = 1; next }
          want && $2 > y - 1 && $2 < y + 1 { printf "%.2f\n", $1; want = 0 }' <<<"$words" | sort -u)
[ "$(wc -l <<<"$xs")" -eq 1 ] || fail "cover: the values start at different x: $(tr '\n' ' ' <<<"$xs")"
# dates in the style's form, the count said once, no page number
raw=$(pdftotext -raw -f 1 -l 1 "$tmp/cover.pdf" - | tr -d ' \n\f')
# (drawn as 2026年1月6日, the date copies as the source has it)
grep -qF "発行日2026-01-06更新日2026-01-05" <<<"$raw" || fail "cover: the dates do not copy as 2026-01-06: $raw"
dump=$("$bin" build "$root/tests/golden/in/cover.xml" --dump=pages | sed -n '/^page 1$/,/^page 2$/p')
drawn=$(grep -F 'y=529.78' <<<"$dump" | sed -n 's/.*glyphs=[0-9]* "\([^"]*\)".*/\1/p' | tr -d '\n')
[ "$drawn" = "発行日2026年1月6日" ] || fail "cover: the date is drawn as $drawn, not 2026年1月6日"
grep -qF 'glyphs=4 "2026" actual="2026-01-06"' <<<"$dump" || fail "cover: the date has no ActualText"
grep -qF "3件（すべて新着）・3機関" <<<"$raw" || fail "cover: the count does not say all are new: $raw"
grep -q '試験市1$' <<<"$raw" || fail "cover: it does not end in the table (a page number?): $raw"
# the summary and the table stand at the foot: the last row ends near
# the bottom margin (20 mm: 841.89 - 56.69 = 785.2)
last=$(awk '{ if ($3 > m) m = $3 } END { printf "%d", m }' <<<"$words")
[ "$last" -ge 760 ] && [ "$last" -le 786 ] || fail "cover: its last line ends at y=$last, not at the foot"
# every article new: no badges; with some new (showcase), the badges stay
txt=$(pdftotext "$tmp/cover.pdf" -)
! grep -qF NEW <<<"$txt" || fail "cover: NEW badges although every article is new"
"$bin" build "$root/samples/showcase.xml" -o "$tmp/show.pdf" 2>/dev/null
txt=$(pdftotext "$tmp/show.pdf" -)
[ "$(grep -c '^NEW$' <<<"$txt")" -eq 2 ] || fail "showcase: not two NEW badges"
grep -qF "うち新着" <<<"$txt" || fail "showcase: no count of new articles"

# The contents (tests/golden/in/contents.xml): 35 entries would leave a
# body's line and one entry alone on a second page; the page breaks are
# planned so that it holds at least three lines. The body's line has its
# page number; a wrapped entry's second line hangs one character in and
# starts at a phrase (注意喚起, not 意喚起).
"$bin" build "$root/tests/golden/in/contents.xml" -o "$tmp/toc.pdf" 2>"$tmp/err" ||
    fail "contents: $(cat "$tmp/err")"
lines=$(pdftotext -f 3 -l 3 -layout "$tmp/toc.pdf" - | grep -v '^ *見本$\|^ *iii$' | grep -c .)
[ "$lines" -ge 3 ] || fail "contents: its last page holds $lines lines"
pdftotext -f 3 -l 3 -layout "$tmp/toc.pdf" - | grep -q '^架空センター *4$' ||
    fail "contents: the body's line has no page number"
bbox=$(pdftotext -bbox -f 2 -l 2 "$tmp/toc.pdf" -)
a=$(sed -n 's/.*xMin="\([0-9.]*\)".*>長い題名の記事.*/\1/p' <<<"$bbox" | head -1)
c=$(sed -n 's/.*xMin="\([0-9.]*\)".*>注意喚起について（第<.*/\1/p' <<<"$bbox" | head -1)
awk -v a="$a" -v c="$c" 'BEGIN { exit !(a > 0 && c - a > 9.9 && c - a < 10.1) }' ||
    fail "contents: no hanging indent (the first line at $a, the continuation at $c)"

# The executive style: the monthly product. About as many pages as the
# default (within 10%), a cover whose head is an accent band holding the
# series and the issue, and a running head of the series and section.
exe=$root/styles/executive.style
for f in briefing-2026-02 briefing-2026-03; do
    "$bin" build "$root/samples/$f.xml" -o "$tmp/$f-d.pdf" 2>/dev/null
    "$bin" build "$root/samples/$f.xml" -o "$tmp/$f-x.pdf" --style "$exe" 2>/dev/null
    d=$(pdfinfo "$tmp/$f-d.pdf" | awk '/^Pages:/ { print $2 }')
    x=$(pdfinfo "$tmp/$f-x.pdf" | awk '/^Pages:/ { print $2 }')
    [ $((x * 10)) -le $((d * 11)) ] || fail "executive: $f has $x pages, the default $d"
done
dump=$("$bin" build "$root/samples/briefing-2026-02.xml" --dump=pages --style "$exe")
grep -q '^  fill x=0 y=[0-9.]* w=595.28 h=[0-9.]* color=#8C1C13$' <<<"$(sed -n '/^page 1$/,/^page 2$/p' <<<"$dump")" ||
    fail "executive: no accent band on the cover"
band=$(sed -n '/^page 1$/,/^page 2$/p' <<<"$dump" | sed -n 's/.*color=#FFFFFF glyphs=[0-9]* "\([^"]*\)".*/\1/p' | tr -d '\n')
[ "$band" = "見本行政ダイジェスト2026年2月号" ] ||
    fail "executive: no issue on the cover"
head=$(pdftotext -f 5 -l 5 -layout "$tmp/briefing-2026-02-x.pdf" - | head -1)
grep -q '^ *見本行政ダイジェスト  *サンプル庁$' <<<"$head" || fail "executive: the running head is \"$head\""

echo "front: all checks passed"
