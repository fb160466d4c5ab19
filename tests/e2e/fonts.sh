#!/usr/bin/env bash
# End to end: fonts named by family (fontconfig) and CFF-outline OpenType.
# Every sample in the shipped Noto CJK style embeds its fonts as CFF
# CIDFonts (CID Type 0C, embedded, subset, ToUnicode) and its text comes
# back out; a family that is not installed or a face a collection does
# not have is an error naming the style line; rare kanji in headings come
# from the sans fallback. Needs fonts-noto-cjk (scripts/setup.sh).
set -euo pipefail
. "$(dirname "$0")/common.bash"
tmp=$t


checked=0
for src in "$root"/samples/*.xml "$root"/samples/*.txt; do
  case $src in *.expected.txt) continue ;; esac
  name=$(basename "$src")
  build "$name" "$src" --style noto
  [ $rc -eq 0 ] || fail "$name: exit $rc: $msg"
  pdf="$tmp/$name.pdf"
  fonts=$(pdffonts "$pdf" | tail -n +3)
  grep -q '+NotoSerifCJKjp-Regular ' <<<"$fonts" || fail "$name: no Noto Serif CJK JP: $fonts"
  grep -q '+NotoSansCJKjp-Bold ' <<<"$fonts" || fail "$name: no Noto Sans CJK JP Bold: $fonts"
  while read -r line; do
    flags=$(awk '{print $(NF-4), $(NF-3), $(NF-2)}' <<<"$line")
    [ "$flags" = "yes yes yes" ] || fail "$name: not embedded+subset+unicode: $line"
    case $line in
      *Noto*) grep -q 'CID Type 0C ' <<<"$line" || fail "$name: Noto not CID Type 0C: $line" ;;
    esac
  done <<<"$fonts"
  # titles of the source come back out of the PDF
  text=$(pdftotext -raw "$pdf" - | squash)
  case $src in
    *.xml) grep -o '<title>[^<]*</title>' "$src" | sed -e 's/<[^>]*>//g' -e 's/&amp;/\&/g' \
             -e 's/[[:space:]]//g' -e 's/　//g' | grep -v '^$' | sed -n 1,20p > "$tmp/titles" ;;
    *) grep -v '^[[:space:]]*$' "$src" | sed -n 1,2p | sed -e 's/[[:space:]]//g' -e 's/　//g' > "$tmp/titles" ;;
  esac
  while read -r title; do
    grep -qF -- "$title" <<<"$text" || fail "$name: text not found in the PDF: $title"
  done <"$tmp/titles"
  checked=$((checked + 1))
done
[ "$checked" -ge 3 ] || fail "fewer than three samples"

xml="$root/samples/briefing-2026-02.xml"
# a family fontconfig does not have: the style's line, the closest names,
# no PDF
printf 'body.size = 10pt\nfont.body = Noto Serif CJK XX\n' >"$tmp/bad.style"
build bad "$xml" --style "$tmp/bad.style"
[ $rc -eq 1 ] || fail "unknown family: exit $rc"
grep -qF "$tmp/bad.style:2: error: font.body: no installed font family \"Noto Serif CJK XX\"; closest installed: \"Noto Serif CJK JP\"" <<<"$msg" ||
  fail "unknown family: $msg"
[ ! -e "$tmp/bad.pdf" ] || fail "unknown family: a PDF was written"

# a face the collection does not have
printf 'font.heading = /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc#42\n' >"$tmp/index.style"
build index "$xml" --style "$tmp/index.style"
[ $rc -eq 1 ] || fail "bad index: exit $rc"
grep -qF "NotoSansCJK-Bold.ttc#42: the file has 10 faces (#0 to #9), not #42" <<<"$msg" ||
  fail "bad index: $msg"
[ ! -e "$tmp/index.pdf" ] || fail "bad index: a PDF was written"

# 𠮷 (in no IPAex font) in a Gothic heading from the sans fallback, in
# Mincho text from the serif one
cat >"$tmp/yoshi.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<digest version="1">
<meta><title>T</title><published>2026-02-01</published></meta>
<section name="庁">
<article><title>株式会社𠮷田商会</title>
<p>本文の𠮷田です。</p>
</article>
</section>
</digest>
EOF
printf 'cover = false\ntoc = false\nfont.fallback.sans = Noto Sans CJK JP\nfont.fallback.serif = Noto Serif CJK JP\n' \
  >"$tmp/yoshi.style"
build yoshi "$tmp/yoshi.xml" --style "$tmp/yoshi.style"
[ $rc -eq 0 ] || fail "yoshi: exit $rc: $msg"
fonts=$(pdffonts "$tmp/yoshi.pdf")
grep -q '+NotoSansCJKjp-Regular ' <<<"$fonts" || fail "yoshi: heading not from the sans fallback: $fonts"
grep -q '+NotoSerifCJKjp-Regular ' <<<"$fonts" || fail "yoshi: body not from the serif fallback: $fonts"
grep -q 'IPAmj' <<<"$fonts" && fail "yoshi: IPAmj used: $fonts"
text=$(pdftotext -raw "$tmp/yoshi.pdf" - | squash)
grep -qF '株式会社𠮷田商会' <<<"$text" || fail "yoshi: heading text"
echo "fonts: $checked samples in the Noto style, family and index errors, fallback by role"

# under a size limit the Noto style falls back to one face, still CFF
build max "$xml" --style noto --max-size 240KB -v
[ $rc -eq 0 ] || fail "max-size: exit $rc: $msg"
grep -q "headings set in the body font" <<<"$msg" || fail "max-size: $msg"
fonts=$(pdffonts "$tmp/max.pdf" | tail -n +3)
[ "$(wc -l <<<"$fonts")" -eq 1 ] && grep -q '+NotoSerifCJKjp-Regular *CID Type 0C .*yes yes yes' <<<"$fonts" ||
  fail "max-size: $fonts"
echo "fonts: --max-size keeps one CFF face"
