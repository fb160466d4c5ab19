#!/usr/bin/env bash
# End to end: `digestpdf watch` builds, rebuilds when the digest or its
# style is saved (also by rename, as editors do), keeps the last good PDF
# when a save is broken, waits for a missing input, and exits 130 on
# SIGINT. Prints how long each rebuild took to appear after the save.
set -euo pipefail
bin=$1
root=$2
tmp=$(mktemp -d)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ ! -f "$tmp/log" ] || cat "$tmp/log" >&2; exit 1; }

# wait_for CMD...: polls CMD every 20 ms for up to 30 s.
wait_for() {
  for _ in $(seq 1500); do "$@" && return 0; sleep 0.02; done
  return 1
}
sum() { md5sum "$tmp/out.pdf" 2>/dev/null | cut -d' ' -f1; }
changed_from() { [ -f "$tmp/out.pdf" ] && [ "$(sum)" != "$1" ]; }
ms() { date +%s%3N; }
has_text() { local t; t=$(pdftotext "$tmp/out.pdf" - 2>/dev/null | tr -d ' \n'); grep -q "$1" <<<"$t"; }

cp "$root/samples/briefing-2026-02.xml" "$tmp/in.xml"
cp "$root/styles/compact.style" "$tmp/my.style"
"$bin" watch "$tmp/in.xml" -o "$tmp/out.pdf" --style "$tmp/my.style" 2>"$tmp/log" &
pid=$!
wait_for test -s "$tmp/out.pdf" || fail "no first build"
wait_for grep -q "built in" "$tmp/log" || fail "no build message"
first=$(sum)

# A save of the digest, in place.
sleep 0.1
t0=$(ms)
sed -i 's/2月前半に公表された情報まとめ/2月前半の公表情報/' "$tmp/in.xml"
wait_for changed_from "$first" || fail "no rebuild after saving the digest"
echo "rebuilt $(( $(ms) - t0 )) ms after the save (in place)"
wait_for has_text "2月前半の公表情報" || fail "new text not in the PDF"
second=$(sum)

# A save by rename, as editors do, of the style.
t0=$(ms)
sed 's/^body.size = .*/body.size = 11pt/' "$tmp/my.style" >"$tmp/my.style.new"
grep -q "^body.size = 11pt" "$tmp/my.style.new" || echo "body.size = 11pt" >>"$tmp/my.style.new"
mv "$tmp/my.style.new" "$tmp/my.style"
wait_for changed_from "$second" || fail "no rebuild after saving the style"
echo "rebuilt $(( $(ms) - t0 )) ms after the save (by rename)"
third=$(sum)

# A save of an image the digest uses (in a folder of its own).
kill -INT "$pid"; wait "$pid" || true; pid=
mkdir -p "$tmp/show/figures"
cp "$root/samples/showcase.xml" "$tmp/show/"
cp "$root/samples/figures/chart.png" "$tmp/show/figures/"
"$bin" watch "$tmp/show/showcase.xml" -o "$tmp/out.pdf" 2>"$tmp/log" &
pid=$!
wait_for grep -q "built in" "$tmp/log" || fail "no first build of the showcase"
before=$(sum)
t0=$(ms)
cp "$root/tests/hostile/images/plain.png" "$tmp/show/figures/chart.png.new"
mv "$tmp/show/figures/chart.png.new" "$tmp/show/figures/chart.png"
wait_for changed_from "$before" || fail "no rebuild after saving a figure"
echo "rebuilt $(( $(ms) - t0 )) ms after saving a figure"
kill -INT "$pid"; wait "$pid" || true; pid=
"$bin" watch "$tmp/in.xml" -o "$tmp/out.pdf" --style "$tmp/my.style" 2>"$tmp/log" &
pid=$!
wait_for grep -q "built in" "$tmp/log" || fail "no build after restarting"
third=$(sum)

# A broken save: errors with FILE:LINE, the last good PDF stays.
cp "$tmp/in.xml" "$tmp/good.xml"
printf '<digest>\n<oops>\n' >"$tmp/in.xml"
wait_for grep -q "in.xml:[0-9]*: error:" "$tmp/log" || fail "no FILE:LINE error for a broken save"
wait_for grep -q "the last good PDF stays" "$tmp/log" || fail "no 'last good PDF' message"
[ "$(sum)" = "$third" ] || fail "the last good PDF was replaced"
cp "$tmp/good.xml" "$tmp/in.xml"
wait_for grep -c "built in" "$tmp/log" >/dev/null
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
pid=
[ $rc -eq 130 ] || fail "Ctrl-C: exit $rc, want 130"

# A missing input: it waits for it, then builds.
rm -f "$tmp/out.pdf"
"$bin" watch "$tmp/later.xml" -o "$tmp/out.pdf" 2>"$tmp/log" &
pid=$!
wait_for grep -q "waiting for $tmp/later.xml to appear" "$tmp/log" || fail "no waiting message"
cp "$tmp/good.xml" "$tmp/later.xml"
wait_for test -s "$tmp/out.pdf" || fail "no build once the input appeared"
kill -TERM "$pid"
set +e
wait "$pid"
rc=$?
pid=
"$bin" watch "$tmp/no/such/dir/x.xml" -o "$tmp/x.pdf" 2>"$tmp/log"
rc2=$?
set -e
[ $rc -eq 143 ] || fail "SIGTERM: exit $rc, want 143"
[ $rc2 -eq 1 ] || fail "a folder that does not exist: exit $rc2, want 1"
grep -q "cannot watch the folder $tmp/no/such/dir" "$tmp/log" || fail "no clear error for a missing folder"
echo "watch: ok"
