#!/usr/bin/env bash
# End to end: PDF/A-2u by default, read back with poppler and qpdf. The
# XMP packet says pdfaid part 2 conformance U and agrees with the Info
# dictionary (dates as the same instant, time zone kept); the catalog has
# /Lang and an sRGB output intent; the trailer's /ID stays the same across
# builds; qpdf finds nothing wrong. --pdf-standard none / a-2b / ua-1 on
# build and batch.
set -euo pipefail
bin=$1
root=$2
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
unset SOURCE_DATE_EPOCH
run() { set +e; "$@"; rc=$?; set -e; }

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

# XMP: pdfaid, title as a language alternative, no PDF/UA claim
pdfinfo -meta "$t/a.pdf" >"$t/xmp"
grep -q '<pdfaid:part>2</pdfaid:part>' "$t/xmp" || fail "no pdfaid:part"
grep -q '<pdfaid:conformance>U</pdfaid:conformance>' "$t/xmp" || fail "no conformance U"
! grep -q pdfuaid "$t/xmp" || fail "claims PDF/UA"
title=$(pdfinfo -enc UTF-8 "$t/a.pdf" | sed -n 's/^Title: *//p')
[ -n "$title" ] || fail "no Info title"
grep -qF "<rdf:li xml:lang=\"x-default\">$title</rdf:li><rdf:li xml:lang=\"ja\">$title</rdf:li>" \
  "$t/xmp" || fail "dc:title is not the Info title in x-default and ja"

# the catalog: /Lang, an output intent with an RGB profile
catalog=$(qpdf --show-object="$(sed -n 's/.*\/Root \([0-9]*\) 0 R.*/\1/p' <<<"$trailer")" "$t/a.pdf")
grep -q '/Lang (ja)' <<<"$catalog" || fail "no /Lang: $catalog"
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

# --pdf-standard none: the plain PDF; a-2b: conformance B
"$bin" build "$src" -o "$t/n.pdf" --pdf-standard none
! pdfinfo -meta "$t/n.pdf" | grep -q pdfaid || fail "none has pdfaid"
! qpdf --show-object=trailer "$t/n.pdf" | grep -q '/ID' || fail "none has an /ID"
"$bin" build "$src" -o "$t/2b.pdf" --pdf-standard a-2b
pdfinfo -meta "$t/2b.pdf" | grep -q '<pdfaid:conformance>B</pdfaid:conformance>' || fail "a-2b"
size_a=$(stat -c %s "$t/a.pdf")
size_n=$(stat -c %s "$t/n.pdf")
[ $((size_a * 100)) -le $((size_n * 110)) ] || fail "PDF/A costs more than 10%: $size_a vs $size_n"

# PDF/UA is refused until the structure tree exists; bad lists too (exit 2)
for bad in ua-1 ua-1,a-2u a-2u,a-2b a-3u; do
  run "$bin" build "$src" -o "$t/u.pdf" --pdf-standard "$bad"
  [ $rc -eq 2 ] || fail "--pdf-standard $bad: exit $rc"
  [ ! -e "$t/u.pdf" ] || fail "--pdf-standard $bad wrote a PDF"
done
msg=$("$bin" build "$src" -o "$t/u.pdf" --pdf-standard ua-1 2>&1 || true)
grep -q "PDF/UA output (ua-1) is not available yet" <<<"$msg" || fail "ua-1 message: $msg"

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
run "$bin" batch "$t/in" -o "$t/out" --pdf-standard ua-1
[ $rc -eq 2 ] || fail "batch --pdf-standard ua-1: exit $rc"
echo "pdfa: ok"
