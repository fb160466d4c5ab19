#!/usr/bin/env bash
# End to end: text and layout that must not lose or misplace content,
# checked in what poppler extracts and where it finds it.
set -euo pipefail
. "$(dirname "$0")/common.bash"
tmp=$t

head_xml='<?xml version="1.0" encoding="UTF-8"?>\n<digest version="1">\n<meta><title>T</title><published>2026-02-01</published></meta>\n'
open_art='<section name="庁">\n<article><title>記事</title>\n'
end_art='</article>\n</section>\n</digest>\n'


# Each missing character extracts as itself, not as the document's first
# missing character (both share the replacement mark's glyph).
build mg "$root/tests/data/valid/missing-glyph.xml"
[ $rc -eq 0 ] || fail "missing-glyph: exit $rc: $msg"
for mode in -raw ''; do
    txt=$(pdftotext $mode "$tmp/mg.pdf" - | tr -d ' \n')
    grep -qF '記号🧪は化学分析、ༀは参考表記' <<<"$txt" || fail "missing-glyph ($mode): $txt"
done

# A letter with 10 000 combining marks keeps its letter and every mark.
marks=$(printf '%10000s' '' | sed 's/ /\xcc\x81/g')
printf "$head_xml$open_art<p>前 xa%sz 後</p>\n$end_art" "$marks" >"$tmp/marks.xml"
build marks "$tmp/marks.xml"
[ $rc -eq 0 ] || fail "marks: exit $rc: $msg"
txt=$(pdftotext "$tmp/marks.pdf" - | grep '前')
[ "$(grep -o $'\xcc\x81' <<<"$txt" | wc -l)" -eq 10000 ] || fail "marks: combining marks lost"
grep -q "xa"$'\xcc\x81' <<<"$txt" || fail "marks: the base letter lost: ${txt:0:20}"

# A table cell taller than a page: the row continues on the next pages
# (under the repeated header row), every line is kept, none is drawn
# past the bottom margin, and the rows and text after it follow.
{ printf "$head_xml$open_art<p>前</p><table><row header=\"true\"><cell>項目</cell><cell>内容</cell></row>\n<row><cell>長い</cell><cell>"
  for i in $(seq 400); do printf '行%d<br/>' "$i"; done
  printf "</cell></row>\n<row><cell>次</cell><cell>最後の行</cell></row></table><p>後の段落</p>\n$end_art"; } >"$tmp/tall.xml"
build tall "$tmp/tall.xml"
[ $rc -eq 0 ] || fail "tall cell: exit $rc: $msg"
got=$(pdftotext "$tmp/tall.pdf" - | tr -d ' ' | grep -o '行[0-9][0-9]*' | sort -u | wc -l)
[ "$got" -eq 400 ] || fail "tall cell: $got of 400 lines kept"
pdftotext "$tmp/tall.pdf" - | grep -q '最後の行' || fail "tall cell: the next row lost"
pdftotext "$tmp/tall.pdf" - | grep -q '後の段落' || fail "tall cell: the text after the table lost"
heads=$(pdftotext "$tmp/tall.pdf" - | grep -c '^項目$' || true)
pages=$(pdfinfo "$tmp/tall.pdf" | awk '/^Pages:/ {print $2}')
[ "$heads" -ge $((pages - 3)) ] || fail "tall cell: header row on $heads of $pages pages"
# (the bottom margin is 20 mm: 785 pt down an A4 page; below is the footer)
lowest=$(pdftotext -bbox "$tmp/tall.pdf" - | grep -v '>[0-9/ivx]*</word>' |
         awk -F'"' '/<word/ { if ($8 + 0 > m) m = $8 + 0 } END { print int(m) }')
[ "$lowest" -le 786 ] || fail "tall cell: text at y=$lowest, in the footer"

# Links: only the schemes of link.schemes (http https mailto by default)
# become link actions; any other href, an empty one or one over the cap
# is drawn as text with a warning naming its line; non-ASCII is
# percent-encoded in the URI.
long=$(printf '%70000s' '' | tr ' ' x)
printf "$head_xml$open_art"'<p><a href="javascript:alert(1)">JS</a> <a href="file:///etc/passwd">F</a></p>
<p><a href="launch:calc">L</a> <a href="data:text/html,x">D</a> <a href="">空</a></p>
<p><a href="https://例え.jp/パス?q=値">日本語</a> <a href="mailto:a@example.org">M</a> <a href="ftp://example.org/f">FTP</a></p>
<p><a href="https://example.org/%s">長い</a> http://example.com/bare です。</p>\n'"$end_art" "$long" >"$tmp/links.xml"
build links "$tmp/links.xml"
[ $rc -eq 0 ] || fail "links: exit $rc: $msg"
urls=$(pdfinfo -url "$tmp/links.pdf" | awk 'NR > 1 { print $3 }')
want='https://%E4%BE%8B%E3%81%88.jp/%E3%83%91%E3%82%B9?q=%E5%80%A4
mailto:a@example.org
http://example.com/bare'
[ "$urls" = "$want" ] || fail "links: link actions [$urls]"
for w in '6: warning: link scheme "javascript:"' '6: warning: link scheme "file:"' \
         '7: warning: link scheme "launch:"' '7: warning: link scheme "data:"' \
         '7: warning: link with an empty href' '8: warning: link scheme "ftp:"' \
         '9: warning: link href of 70020 bytes'; do
    grep -qF "$tmp/links.xml:$w" <<<"$msg" || fail "links: no '$w' in: $msg"
done
pdftotext "$tmp/links.pdf" - | tr -d ' \n' | grep -qF 'JSFLD空日本語MFTP長い' || fail "links: link text lost"
# a style widens the list
printf 'link.schemes = http https mailto ftp\n' >"$tmp/ftp.style"
build links2 "$tmp/links.xml" --style "$tmp/ftp.style"
pdfinfo -url "$tmp/links2.pdf" | grep -q '^ *[0-9]* *Annotation *ftp://example.org/f$' || fail "links: ftp not widened"

# One-line labels fit their box: a 41-character issuing body as section
# heading, contents entry, cover table row, running header and footer,
# series, subtitle and publisher, with the cover and with the title block.
N='国立研究開発法人新エネルギー・産業技術総合開発機構（NEDO）技術戦略研究センター'
cat >"$tmp/nedo.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<digest version="1"><meta><series>$N $N</series><title>$N の発表</title><subtitle>$N $N</subtitle>
<published>2026-02-01</published><publisher>$N</publisher></meta>
<section name="$N"><article><title>$N 記事</title><p>本文。</p></article></section>
<section name="$N $N $N"><article><title>記事二</title><p>本文。</p></article></section>
</digest>
EOF
printf 'cover = false\nfooter.center = {section} {page}\n' >"$tmp/nocover.style"
for style in "" "$tmp/nocover.style"; do
    build nedo "$tmp/nedo.xml" ${style:+--style "$style"}
    [ $rc -eq 0 ] || fail "labels ($style): exit $rc: $msg"
    # the text area ends 20 mm from the right edge of A4 (538.6 pt)
    right=$(pdftotext -bbox "$tmp/nedo.pdf" - |
            awk -F'"' '/<word/ { if ($6 + 0 > m) m = $6 + 0 } END { print int(m) }')
    [ "$right" -le 539 ] || fail "labels ($style): text reaches x=$right, past the margin"
    # every name is whole in the headings, the contents and on the cover
    names=$(pdftotext "$tmp/nedo.pdf" - | tr -d ' \n' | grep -o "$N" | wc -l)
    [ "$names" -ge 14 ] || fail "labels ($style): only $names whole names"
    pdftotext "$tmp/nedo.pdf" - | grep -q '…' || fail "labels ($style): no shortened header"
done

# Long texts are laid out or refused with their line, never blamed on a
# font or failed without a message: a 33 000-character heading, a
# 6 300-character section name, a 5 MB title.
long=$(printf '%33000s' '' | sed 's/ /見/g')
printf "$head_xml$open_art<heading>%s</heading><p>本文</p>\n$end_art" "$long" >"$tmp/heading.xml"
build heading "$tmp/heading.xml"
[ $rc -eq 0 ] || fail "long heading: exit $rc: $msg"
[ "$(pdftotext "$tmp/heading.pdf" - | grep -o '見' | wc -l)" -eq 33000 ] || fail "long heading: text lost"
long=$(printf '%6300s' '' | sed 's/ /名/g')
printf "$head_xml<section name=\"%s\"><article><title>記事</title><p>本文</p>\n$end_art" "$long" >"$tmp/section.xml"
build section "$tmp/section.xml"
[ $rc -eq 0 ] || fail "long section name: exit $rc: $msg"
# the heading and the contents show all of it (the cover table a part)
[ "$(pdftotext "$tmp/section.pdf" - | grep -o '名' | wc -l)" -ge 12600 ] || fail "long section name: text lost"
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<digest version="1">\n<meta><title>'
  printf '%1500000s' '' | sed 's/ /題/g'
  printf "</title><published>2026-02-01</published></meta>\n$open_art<p>x</p>\n$end_art"; } >"$tmp/title.xml"
build title "$tmp/title.xml"
[ $rc -eq 1 ] && [ ! -e "$tmp/title.pdf" ] || fail "5 MB title: exit $rc"
grep -q "^$tmp/title.xml:3: error: title longer than" <<<"$msg" || fail "5 MB title: $msg"

# Bare URLs in text end where the importer ends them (one shared
# detector): a parenthesis the URL opened is kept, a stray % ends it.
printf "$head_xml$open_art"'<p>見よ（https://en.wikipedia.org/wiki/A_(b)）と https://example.org/100%%です。</p>\n'"$end_art" >"$tmp/bare.xml"
build bare "$tmp/bare.xml"
[ $rc -eq 0 ] || fail "bare URLs: exit $rc: $msg"
urls=$(pdfinfo -url "$tmp/bare.pdf" | awk 'NR > 1 { print $3 }')
want='https://en.wikipedia.org/wiki/A_(b)
https://example.org/100'
[ "$urls" = "$want" ] || fail "bare URLs: [$urls]"
printf '見本\n\n【題名】\n\n2026.01.13\n\n~NEW~\nサンプル庁 記事\n  • 見よ https://en.wikipedia.org/wiki/A_(b) と https://example.org/100%%です。\n' >"$tmp/bare.txt"
build baretxt "$tmp/bare.txt"
[ $rc -eq 0 ] || fail "bare URLs (archive): exit $rc: $msg"
[ "$(pdfinfo -url "$tmp/baretxt.pdf" | awk 'NR > 1 { print $3 }')" = "$want" ] || fail "bare URLs (archive) differ"

# A ruby reading wider than the measure is cut, inside the text area.
rt=$(printf '%6300s' '' | sed 's/ /よ/g')
printf "$head_xml$open_art<p><ruby>漢字<rt>%s</rt></ruby>の読み。</p>\n$end_art" "$rt" >"$tmp/ruby.xml"
build ruby "$tmp/ruby.xml"
[ $rc -eq 0 ] || fail "long ruby: exit $rc: $msg"
edges=$(pdftotext -bbox "$tmp/ruby.pdf" - |
        awk -F'"' '/<word/ { if ($6 + 0 > r) r = $6 + 0; if (l == "" || $2 + 0 < l) l = $2 + 0 } END { print int(l), int(r) }')
[ "${edges% *}" -ge 56 ] && [ "${edges#* }" -le 539 ] || fail "long ruby: text from x=${edges% *} to ${edges#* }"

# A paragraph of more than 65 535 styled pieces keeps the style of each:
# the link at its end is still a link.
{ printf "$head_xml$open_art<p>"
  for i in $(seq 7000); do printf '<em>1</em>2<em>3</em>4<em>5</em>6<em>7</em>8<em>9</em>0'; done
  printf '<a href="https://example.org/end">終わり</a></p>\n'"$end_art"; } >"$tmp/spans.xml"
build spans "$tmp/spans.xml"
[ $rc -eq 0 ] || fail "many spans: exit $rc: $msg"
pdfinfo -url "$tmp/spans.pdf" | grep -q 'https://example.org/end$' || fail "many spans: the link is lost"

echo "text: all checks passed"
