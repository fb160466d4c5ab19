#!/usr/bin/env bash
# build --dump: a stage's text on standard output, no PDF unless -o is
# given too, the same text twice, usage errors for a bad stage.
set -euo pipefail
. "$(dirname "$0")/common.bash"
out=$t
in=$root/samples/showcase.xml

cd "$out"
for kind in model lines pages; do
  "$bin" build "$in" --dump=$kind >"$kind.1" 2>err || fail "--dump=$kind: $(cat err)"
  [ -s "$kind.1" ] || fail "--dump=$kind wrote nothing"
  "$bin" build "$in" --dump $kind >"$kind.2" 2>/dev/null || fail "--dump $kind (two words)"
  cmp -s "$kind.1" "$kind.2" || fail "--dump=$kind differs between two runs"
done
[ -z "$(ls ./*.pdf 2>/dev/null)" ] || fail "a dump alone wrote a PDF"
head -1 model.1 | grep -q '^digest lang="ja" sections=' || fail "model: $(head -1 model.1)"
grep -q '^para line=' lines.1 || fail "lines: no paragraph"
grep -q '^page 1$' pages.1 || fail "pages: no page 1"
# no float noise: numbers have at most two decimals (three for ratios)
! grep -Eq '[0-9]\.[0-9]{3,}' model.1 pages.1 || fail "pages: a number with more than 2 decimals"

# with -o, the PDF too, and the same dump
"$bin" build "$in" --dump=pages -o both.pdf >pages.3 2>err || fail "--dump with -o: $(cat err)"
[ -s both.pdf ] || fail "--dump=pages -o wrote no PDF"
cmp -s pages.1 pages.3 || fail "the dump differs when a PDF is written too"
"$bin" build "$in" -o plain.pdf >stdout 2>/dev/null || fail "plain build"
[ ! -s stdout ] || fail "a plain build wrote to standard output"
cmp -s both.pdf plain.pdf || fail "the PDF differs when a dump is written too"

# usage errors: exit 2, nothing written
set +e
"$bin" build "$in" --dump=glyphs >stdout 2>err; rc=$?
set -e
[ $rc -eq 2 ] || fail "--dump=glyphs: exit $rc, want 2"
grep -q "model, lines or pages" err || fail "--dump=glyphs: $(cat err)"
set +e
"$bin" build "$in" >stdout 2>err; rc=$?
set -e
[ $rc -eq 2 ] || fail "build without -o or --dump: exit $rc, want 2"

# an invalid input: exit 1, no dump
set +e
printf '<digest version="1"><meta>' >bad.xml
"$bin" build bad.xml --dump=model >stdout 2>err; rc=$?
set -e
[ $rc -eq 1 ] || fail "invalid input: exit $rc, want 1"
[ ! -s stdout ] || fail "invalid input: a dump was written"
# a dump that cannot be written fails the build and leaves no PDF
if [ -w /dev/full ]; then
  set +e
  "$bin" build "$in" --dump=pages -o full.pdf >/dev/full 2>err; rc=$?
  set -e
  [ $rc -eq 1 ] || fail "dump to a full device: exit $rc, want 1"
  grep -q "writing the dump failed" err || fail "dump to a full device: $(cat err)"
  [ ! -e full.pdf ] || fail "dump to a full device: the PDF was left behind"
fi
echo "dump: ok"
