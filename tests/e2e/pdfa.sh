#!/usr/bin/env bash
# End to end: PDF/UA-1 and PDF/A-2u by default, read back with poppler and
# qpdf. The XMP packet says pdfaid part 2 conformance U and pdfuaid part 1
# (declared in a PDF/A extension schema) and agrees with the Info
# dictionary (dates as the same instant, time zone kept); the catalog has
# /Lang and an sRGB output intent; the trailer's /ID stays the same across
# builds; qpdf finds nothing wrong. --pdf-standard none / a-2b / ua-1 on
# build and batch.
set -euo pipefail
. "$(dirname "$0")/common.bash"
unset SOURCE_DATE_EPOCH

src=$root/samples/briefing-2026-02.xml
"$bin" build "$src" -o "$t/a.pdf"
"$bin" build "$src" -o "$t/b.pdf"
cmp -s "$t/a.pdf" "$t/b.pdf" || fail "two builds differ"
qpdf --check "$t/a.pdf" >"$t/check" 2>&1 || fail "qpdf --check: $(cat "$t/check")"
! grep -q WARNING "$t/check" || fail "qpdf warnings: $(cat "$t/check")"

# the trailer's /ID: two equal parts, stable, and another input gets another
trailer=$(qpdf --show-object=trailer "$t/a.pdf")
id=$(sed -n 's/.*\/ID \[ <\([0-9a-f]*\)> <\([0-9a-f]*\)> \].*/\1 \2/p' <<<"$trailer")
[ -n "$id" ] || fail "no /ID in the trailer: $trailer"
[ "${id% *}" = "${id#* }" ] || fail "the /ID parts differ: $id"
"$bin" build "$root/samples/briefing-2026-03.xml" -o "$t/c.pdf"
grep -qF "<${id% *}>" <(qpdf --show-object=trailer "$t/c.pdf") && fail "another file has the same /ID"

# XMP: pdfaid, pdfuaid and its schema, title as a language alternative
pdfinfo -meta "$t/a.pdf" >"$t/xmp"
grep -q '<pdfaid:part>2</pdfaid:part>' "$t/xmp" || fail "no pdfaid:part"
grep -q '<pdfaid:conformance>U</pdfaid:conformance>' "$t/xmp" || fail "no conformance U"
grep -q '<pdfuaid:part>1</pdfuaid:part>' "$t/xmp" || fail "no pdfuaid:part"
grep -q '<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>' "$t/xmp" ||
  fail "pdfuaid is not declared in an extension schema"
title=$(pdfinfo -enc UTF-8 "$t/a.pdf" | sed -n 's/^Title: *//p')
[ -n "$title" ] || fail "no Info title"
grep -qF "<rdf:li xml:lang=\"x-default\">$title</rdf:li><rdf:li xml:lang=\"ja\">$title</rdf:li>" \
  "$t/xmp" || fail "dc:title is not the Info title in x-default and ja"

# the catalog: /Lang, an output intent with an RGB profile
catalog=$(qpdf --show-object="$(sed -n 's/.*\/Root \([0-9]*\) 0 R.*/\1/p' <<<"$trailer")" "$t/a.pdf")
grep -q '/Lang (ja)' <<<"$catalog" || fail "no /Lang: $catalog"
grep -q '/MarkInfo << /Marked true >>' <<<"$catalog" || fail "no /MarkInfo: $catalog"
grep -q '/StructTreeRoot [0-9]* 0 R' <<<"$catalog" || fail "no structure tree: $catalog"
grep -q '/DisplayDocTitle true' <<<"$catalog" || fail "no DisplayDocTitle: $catalog"
grep -q '/S /GTS_PDFA1' <<<"$catalog" || fail "no PDF/A output intent: $catalog"
prof=$(sed -n 's/.*\/DestOutputProfile \([0-9]*\) 0 R.*/\1/p' <<<"$catalog")
qpdf --show-object="$prof" --filtered-stream-data "$t/a.pdf" >"$t/icc"
[ "$(head -c 24 "$t/icc" | tail -c 12)" = "mntrRGB XYZ " ] || fail "the profile is not an RGB display profile"

# dates: a zone in the digest stays in Info and XMP, as the same instant
sed 's|<published>2026-02-02</published>|<published>2026-02-02+09:00</published>|' \
  "$root/tests/data/valid/minimal.xml" >"$t/zone.xml"
grep -q '+09:00' "$t/zone.xml" || fail "the test input has no zone"
"$bin" build "$t/zone.xml" -o "$t/zone.pdf"
info=$(qpdf --show-object="$(qpdf --show-object=trailer "$t/zone.pdf" |
                             sed -n 's/.*\/Info \([0-9]*\) 0 R.*/\1/p')" "$t/zone.pdf")
grep -qF "/CreationDate (D:20260202000000+09'00')" <<<"$info" || fail "Info date: $info"
grep -qF "/ModDate (D:20260202000000+09'00')" <<<"$info" || fail "Info ModDate: $info"
pdfinfo -meta "$t/zone.pdf" >"$t/zxmp"
[ "$(grep -c '2026-02-02T00:00:00+09:00' "$t/zxmp")" -eq 2 ] || fail "XMP dates: $(cat "$t/zxmp")"

# --pdf-standard none: the plain PDF; a-2b: conformance B; a-2u alone
# and ua-1 alone claim what they say and nothing else
"$bin" build "$src" -o "$t/n.pdf" --pdf-standard none
! pdfinfo -meta "$t/n.pdf" | grep -q pdfaid || fail "none has pdfaid"
qpdf --qdf "$t/n.pdf" "$t/n.qdf"
! grep -aq 'StructTreeRoot\|/MCID\|/Artifact' "$t/n.qdf" || fail "none is tagged"
"$bin" build "$src" -o "$t/2u.pdf" --pdf-standard a-2u
! pdfinfo -meta "$t/2u.pdf" | grep -q pdfuaid || fail "a-2u claims PDF/UA"
! pdfinfo "$t/2u.pdf" | grep -q '^Tagged: *yes' || fail "a-2u is tagged"
"$bin" build "$src" -o "$t/ua.pdf" --pdf-standard ua-1
pdfinfo -meta "$t/ua.pdf" | grep -q '<pdfuaid:part>1</pdfuaid:part>' || fail "ua-1 has no pdfuaid"
! pdfinfo -meta "$t/ua.pdf" | grep -q 'pdfaid:\|pdfaExtension' || fail "ua-1 claims PDF/A"
pdfinfo "$t/ua.pdf" | grep -q '^Tagged: *yes' || fail "ua-1 is not tagged"
! qpdf --show-object=trailer "$t/n.pdf" | grep -q '/ID' || fail "none has an /ID"
"$bin" build "$src" -o "$t/2b.pdf" --pdf-standard a-2b
pdfinfo -meta "$t/2b.pdf" | grep -q '<pdfaid:conformance>B</pdfaid:conformance>' || fail "a-2b"
size_a=$(stat -c %s "$t/a.pdf")
size_n=$(stat -c %s "$t/n.pdf")
[ $((size_a * 100)) -le $((size_n * 110)) ] || fail "PDF/UA and PDF/A cost more than 10%: $size_a vs $size_n"

# lists that contradict themselves are refused (exit 2), nothing written
for bad in a-2u,a-2b none,ua-1 a-3u ua-2; do
  run "$bin" build "$src" -o "$t/u.pdf" --pdf-standard "$bad"
  [ $rc -eq 2 ] || fail "--pdf-standard $bad: exit $rc"
  [ ! -e "$t/u.pdf" ] || fail "--pdf-standard $bad wrote a PDF"
done

# batch passes the standard on and its manifest records it: a change of
# standard rebuilds
mkdir -p "$t/in"
cp "$root/tests/data/valid/minimal.xml" "$t/in/"
"$bin" batch "$t/in" -o "$t/out" --pdf-standard none
! pdfinfo -meta "$t/out/minimal.pdf" | grep -q pdfaid || fail "batch none has pdfaid"
grep -q "	$("$bin" --version | cut -d' ' -f2) none	" "$t/out/.digestpdf-manifest" ||
  fail "manifest: $(cat "$t/out/.digestpdf-manifest")"
"$bin" batch "$t/in" -o "$t/out" --report "$t/r.jsonl"
grep -q '"status":"ok"' "$t/r.jsonl" || fail "a new standard did not rebuild: $(cat "$t/r.jsonl")"
pdfinfo -meta "$t/out/minimal.pdf" | grep -q '<pdfaid:part>2' || fail "batch default is not PDF/A"
pdfinfo -meta "$t/out/minimal.pdf" | grep -q '<pdfuaid:part>1' || fail "batch default is not PDF/UA"
grep -q "	$("$bin" --version | cut -d' ' -f2) ua-1,a-2u	" "$t/out/.digestpdf-manifest" ||
  fail "manifest: $(cat "$t/out/.digestpdf-manifest")"
run "$bin" batch "$t/in" -o "$t/out" --pdf-standard ua-2
[ $rc -eq 2 ] || fail "batch --pdf-standard ua-2: exit $rc"
echo "pdfa: ok"
