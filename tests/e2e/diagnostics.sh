#!/usr/bin/env bash
# End to end: --diagnostic-format json. Every line the program writes to
# standard error is then one JSON object {"file","line","column","severity",
# "message"}, for every command, usage errors included; the default stays
# FILE:LINE: severity: message. Control characters from input stay escaped.
set -euo pipefail
. "$(dirname "$0")/common.bash"
tmp=$t

# check_json FILE WANT_FILE WANT_LINE WANT_SEVERITY: every line is an
# object with the five keys; the first has the file, line and severity.
check_json() {
  python3 - "$@" <<'PY' || fail "not JSON lines: $(cat "$1")"
import json, sys
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
assert lines, 'nothing written'
objs = [json.loads(l) for l in lines]
for o in objs:
    assert set(o) == {'file', 'line', 'column', 'severity', 'message'}, o
    assert o['severity'] in ('error', 'warning', 'note'), o
    assert isinstance(o['line'], int) and o['column'] is None, o
first = objs[0]
want_file = None if sys.argv[2] == '-' else sys.argv[2]
assert first['file'] == want_file, (first, want_file)
assert first['line'] == int(sys.argv[3]), first
assert first['severity'] == sys.argv[4], first
PY
}

# A schema error: the line of the element.
bad=$root/tests/data/invalid/unknown-element.xml
[ -f "$bad" ] || fail "tests/data/invalid/unknown-element.xml is missing"
want_line=$(awk -F'\t' -v n="$(basename "$bad")" '$1 == n {print $2}' "$root/tests/data/invalid/EXPECTED")
set +e
"$bin" build "$bad" -o "$tmp/x.pdf" --diagnostic-format json 2>"$tmp/e1"; rc=$?
set -e
[ $rc -eq 1 ] || fail "build: exit $rc"
check_json "$tmp/e1" "$bad" "$want_line" error
"$bin" build "$bad" -o "$tmp/x.pdf" 2>"$tmp/h1" && fail "build of an invalid digest succeeded"
grep -q "^$bad:$want_line: error: " "$tmp/h1" || fail "human format changed: $(cat "$tmp/h1")"

# The same for validate (the option anywhere on the line) and summary.
set +e
"$bin" --diagnostic-format=json validate "$bad" 2>"$tmp/e2"; rc=$?
set -e
[ $rc -eq 1 ] || fail "validate: exit $rc"
check_json "$tmp/e2" "$bad" "$want_line" error
set +e
"$bin" summary "$bad" --diagnostic-format json >/dev/null 2>"$tmp/e3"
set -e
check_json "$tmp/e3" "$bad" "$want_line" error

# Usage errors are objects with no file.
set +e
"$bin" build --diagnostic-format json --max-size nan x.xml -o y.pdf 2>"$tmp/e4"; rc=$?
set -e
[ $rc -eq 2 ] || fail "usage error: exit $rc"
check_json "$tmp/e4" - 0 error
set +e
"$bin" mail x.xml --from nobody --to a@example.org -o m.eml --diagnostic-format json 2>"$tmp/e5"; rc=$?
set -e
[ $rc -eq 2 ] || fail "mail usage error: exit $rc"
check_json "$tmp/e5" - 0 error
set +e
"$bin" build x.xml -o y.pdf --diagnostic-format yaml 2>"$tmp/e6"; rc=$?
set -e
[ $rc -eq 2 ] || fail "unknown diagnostic format: exit $rc"

# A batch: the failed file's first error and the summary, as objects.
mkdir "$tmp/in"
cp "$root/samples/briefing-2026-02.xml" "$bad" "$tmp/in/"
set +e
"$bin" batch "$tmp/in" -o "$tmp/out" -j 1 --diagnostic-format json 2>"$tmp/e8"; rc=$?
set -e
[ $rc -eq 1 ] || fail "batch with a bad file: exit $rc"
check_json "$tmp/e8" "$tmp/in/$(basename "$bad")" "$want_line" error

# A file name with an escape sequence and a bidi override: escaped in
# both formats, never written raw.
evil=$tmp/$'ev\e[31mil\u202e.xml'
cp "$bad" "$evil"
set +e
"$bin" build "$evil" -o "$tmp/x.pdf" --diagnostic-format json 2>"$tmp/e7"
"$bin" build "$evil" -o "$tmp/x.pdf" 2>"$tmp/h7"
set -e
for f in "$tmp/e7" "$tmp/h7"; do
  ! grep -q $'\e' "$f" || fail "a raw ESC reached the terminal ($f)"
  ! grep -q $'\u202e' "$f" || fail "a raw bidi override reached the terminal ($f)"
done
python3 -c '
import json, sys
o = json.loads(open(sys.argv[1]).readline())
assert o["file"].endswith("ev\x1b[31mil\u202e.xml"), o
' "$tmp/e7" || fail "the JSON file name does not decode to the real name"
echo "diagnostics: ok"
