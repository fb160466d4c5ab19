#!/usr/bin/env bash
# End to end: the command line — help, version, usage errors, and bad
# input refused with FILE:LINE, exit status 1 and no PDF left behind.
set -euo pipefail
. "$(dirname "$0")/common.bash"
out=$t

"$bin" --help | grep -q "usage: digestpdf" || fail "--help"
"$bin" --version | grep -q "^digestpdf [0-9]" || fail "--version"
set +e
"$bin" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no arguments should exit 2"
"$bin" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown command should exit 2"
"$bin" build x.xml >/dev/null 2>&1; [ $? -eq 2 ] || fail "build without -o should exit 2"
set -e

n=0
while IFS=$'\t' read -r name line frag; do
  [ -n "$name" ] || continue
  input="$root/tests/data/invalid/$name"
  pdf="$out/$name.pdf"
  set +e
  msg=$("$bin" build "$input" -o "$pdf" 2>&1 >/dev/null)
  rc=$?
  set -e
  [ $rc -eq 1 ] || fail "$name: exit $rc, want 1"
  [ ! -e "$pdf" ] || fail "$name: a PDF was left behind"
  if [ "$line" -gt 0 ]; then want="$input:$line: error:"; else want="$input: error:"; fi
  first=${msg%%$'\n'*} # (no pipe into head: SIGPIPE under pipefail)
  case $first in "$want"*) ;; *) fail "$name: first line '$first', want '$want…'" ;; esac
  grep -qiF -- "$frag" <<<"$first" || fail "$name: '$first' lacks '$frag'"
  n=$((n + 1))
done < "$root/tests/data/invalid/EXPECTED"
[ $n -ge 11 ] || fail "only $n invalid inputs checked"

# an unwritable output path
set +e
msg=$("$bin" build "$root/tests/data/valid/minimal.xml" -o /nonexistent-dir/x.pdf 2>&1)
rc=$?
set -e
[ $rc -eq 1 ] || fail "unwritable output: exit $rc"
grep -q "^/nonexistent-dir/x.pdf: error:" <<<"$msg" || fail "unwritable output: $msg"

# a missing font named in a style
printf 'font.body = /nonexistent/font.ttf\n' > "$out/bad.style"
set +e
msg=$("$bin" build "$root/tests/data/valid/minimal.xml" -o "$out/f.pdf" --style "$out/bad.style" 2>&1)
rc=$?
set -e
[ $rc -eq 1 ] && [ ! -e "$out/f.pdf" ] || fail "missing font: exit $rc"
grep -q "/nonexistent/font.ttf" <<<"$msg" || fail "missing font message: $msg"

# valid odd inputs: warnings, never failures or dropped text
"$bin" build "$root/tests/data/valid/missing-glyph.xml" -o "$out/g.pdf" 2>"$out/log" || fail "missing glyph failed"
grep -q "missing-glyph.xml:[0-9]*: warning: no font has U+1F9EA" "$out/log" || fail "no warning for U+1F9EA"
"$bin" build "$root/tests/data/valid/long-token.xml" -o "$out/l.pdf" || fail "long token"
"$bin" validate "$root/tests/data/valid/minimal.xml" || fail "validate"
echo "cli: $n invalid inputs refused cleanly"
