#!/usr/bin/env bash
# End to end: arguments and diagnostics — every argument of validate and
# import --check is checked, sizes must be sizes, and text from input
# (file names, quoted values) cannot drive the terminal.
set -euo pipefail
. "$(dirname "$0")/common.bash"
min=$root/tests/data/valid/minimal.xml
cd "$t"

# ---- any number of arguments: the last one counts too ------------------
cp "$min" good.xml
printf '<broken' > bad.xml
args=()
for _ in $(seq 4100); do args+=(good.xml); done
run "$bin" validate "${args[@]}" bad.xml 2>err
[ $rc -eq 1 ] || fail "validate with 4100 good files and a bad one: exit $rc"
grep -q "^bad.xml:1: error:" err || fail "the bad file after 4096 was not checked"
cp "$root/tests/data/import/basic.txt" good.txt
cp "$root/tests/data/import/no-date.txt" bad.txt
targs=()
for _ in $(seq 4100); do targs+=(good.txt); done
run "$bin" import --check "${targs[@]}" bad.txt >out 2>err
[ $rc -eq 1 ] || fail "import --check with 4100 good files and a bad one: exit $rc"
[ "$(grep -c '^good.txt: ' out)" -eq 4100 ] || fail "import --check did not list every file"

# ---- --max-size: a size or a usage error naming it ------------------------
for bad in nan NaN inf -inf -1 0 0.5 garbage 2XB 0x10 1e400; do
  run "$bin" build "$min" -o m.pdf --max-size "$bad" 2>err
  [ $rc -eq 2 ] || fail "--max-size $bad: exit $rc"
  grep -qF -- "\"$bad\"" err || fail "--max-size $bad: not named: $(cat err)"
done
[ ! -e m.pdf ] || fail "a PDF was written"
"$bin" build "$min" -o m.pdf --max-size 2MB || fail "--max-size 2MB"

# ---- diagnostics escape controls and bidirectional overrides --------------
esc=$'\033'
name=$'evil\033[31m\u202e\u2066\xc2\x9b.style'
printf 'page.size = \033]0;pwned\007\xc2\x85\xe2\x80\x8f\xd8\x9c\x7f\n' > "$name"
run "$bin" build "$min" -o e.pdf --style "$name" 2>err
[ $rc -eq 1 ] || fail "evil style: exit $rc"
! grep -q "$esc" err || fail "a raw ESC reached the terminal"
! LC_ALL=C grep -qP '\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c|\x7f|\x07' err ||
  fail "a C1 control, DEL, BEL or bidirectional control reached the terminal"
grep -qF 'evil\x1b[31m\u202e\u2066\u009b.style:1: error:' err || fail "file name not escaped: $(cat -v err)"
grep -qF '\x1b]0;pwned\x07\u0085\u200f\u061c\x7f' err || fail "message not escaped: $(cat -v err)"
# readable text stays as it is
mkdir -p 日本語
printf '<broken' > 日本語/壊れた.xml
run "$bin" validate 日本語/壊れた.xml 2>err
grep -q "^日本語/壊れた.xml:1: error:" err || fail "Japanese file name mangled: $(cat err)"

# ---- import: CR-only line ends like LF -----------------------------------
tr '\n' '\r' < good.txt > cr.txt
"$bin" import cr.txt -o cr.xml || fail "CR-only archive"
"$bin" import good.txt -o lf.xml || fail "LF archive"
cmp -s cr.xml lf.xml || fail "CR-only archive imports differently"
echo "args: all checks passed"
