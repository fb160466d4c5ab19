#!/usr/bin/env bash
# End to end: the front matter (cover, title block, contents) and the
# words the layout draws, which come from the style.
set -euo pipefail
bin=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
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

echo "front: all checks passed"
