#!/usr/bin/env bash
# End to end: `digestpdf batch` — mixed good and bad inputs, a crashing
# worker, the JSON Lines report, incremental runs, kill -9 and re-run,
# SIGTERM, -j 1 vs -j 4 byte for byte, and shards (also via GNU parallel).
set -euo pipefail
. "$(dirname "$0")/common.bash"
unset SOURCE_DATE_EPOCH DP_BATCH_TEST_CRASH

# status_of REPORT FILE-SUFFIX: the status of the line whose path ends so
status_of() {
  grep -F "\"path\":\"$t/" "$1" | grep -F "$2\",\"output\"" |
    sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'
}
count() { grep -c "\"status\":\"$2\"" "$1" || true; }
# every PDF under DIR opens in poppler
pdfs_ok() {
  [ -d "$1" ] || return 0 # (a batch killed before it made its folder)
  find "$1" -name '*.pdf' -print0 | while IFS= read -r -d '' f; do
    pdfinfo "$f" >/dev/null 2>&1 || fail "not a complete PDF: $f"
  done
}
# the relative paths of the PDFs under DIR, sorted
pdf_set() { (cd "$1" && find . -name '*.pdf' | LC_ALL=C sort); }
same_pdfs() {
  [ "$(pdf_set "$1")" = "$(pdf_set "$2")" ] || fail "$3: different PDF sets"
  while IFS= read -r f; do
    cmp -s "$1/$f" "$2/$f" || fail "$3: $f differs"
  done < <(pdf_set "$1")
}

# ---- bad usage and a batch that cannot run: exit 2 --------------------
mkdir -p "$t/empty"
run "$bin" batch "$t/nope" -o "$t/o" 2>/dev/null; [ $rc -eq 2 ] || fail "missing input: $rc"
run "$bin" batch "$t/empty" 2>/dev/null; [ $rc -eq 2 ] || fail "no -o: $rc"
run "$bin" batch "$t/empty" -o "$t/o" -j 0 2>/dev/null; [ $rc -eq 2 ] || fail "-j 0: $rc"
run "$bin" batch "$t/empty" -o "$t/o" --shard 4/3 2>/dev/null; [ $rc -eq 2 ] || fail "--shard 4/3: $rc"
run "$bin" batch "$t/empty" -o "$t/o" --bogus 2>/dev/null; [ $rc -eq 2 ] || fail "unknown option: $rc"
touch "$t/afile"
run "$bin" batch "$t/empty" -o "$t/afile/out" 2>/dev/null; [ $rc -eq 2 ] || fail "unwritable output: $rc"
printf 'page.size = A3\n' > "$t/bad.style"
run "$bin" batch "$t/empty" -o "$t/o" --style "$t/bad.style" 2>/dev/null
[ $rc -eq 2 ] || fail "invalid style: $rc"
"$bin" batch "$t/empty" -o "$t/o" || fail "an empty folder is a success"

# ---- mixed folder: good, invalid, unreadable, crashing ----------------
m=$t/mixed
mkdir -p "$m/valid" "$m/invalid" "$m/odd" "$m/.hidden"
cp "$root"/tests/data/valid/*.xml "$m/valid/"
cp "$root"/tests/data/invalid/*.xml "$m/invalid/"
cp "$root/tests/data/valid/minimal.xml" "$m/odd/crashme.xml"
cp "$root/tests/data/valid/minimal.xml" "$m/odd/we\"ird\\name.xml"
cp "$root/tests/data/valid/minimal.xml" "$m/.hidden/skipped.xml"
printf 'not a digest\n' > "$m/odd/notes.expected.txt"
ln -s "$t/does-not-exist.xml" "$m/odd/dangling.xml"
mkdir "$m/odd/folder.xml"
cp "$root/tests/data/valid/minimal.xml" "$m/odd/folder.xml/inside.xml"
mkfifo "$m/odd/fifo.xml"
nvalid=$(ls "$root"/tests/data/valid/*.xml | wc -l)
ninvalid=$(ls "$root"/tests/data/invalid/*.xml | wc -l)
# (a FIFO named *.xml must not hang the batch)
run env DP_BATCH_TEST_CRASH=crashme timeout 120 "$bin" batch "$m" -o "$t/mo" -j 2 \
  --report "$t/mixed.jsonl" 2>"$t/mixed.err"
[ $rc -eq 1 ] || fail "mixed: exit $rc, want 1"
[ "$(status_of "$t/mixed.jsonl" odd/crashme.xml)" = crashed ] || fail "crashme not crashed"
[ ! -e "$t/mo/odd/crashme.pdf" ] || fail "a crashed file left a PDF"
[ "$(status_of "$t/mixed.jsonl" odd/dangling.xml)" = failed ] || fail "dangling symlink"
[ "$(status_of "$t/mixed.jsonl" odd/folder.xml/inside.xml)" = ok ] || fail "folder named x.xml not walked"
[ "$(status_of "$t/mixed.jsonl" odd/fifo.xml)" = failed ] || fail "FIFO named x.xml"
grep -q 'fifo.xml: error: .*not a regular file' "$t/mixed.err" || fail "FIFO message"
[ "$(status_of "$t/mixed.jsonl" valid/minimal.xml)" = ok ] || fail "minimal.xml not ok"
lines=$(wc -l < "$t/mixed.jsonl")
want=$((nvalid + ninvalid + 5))
[ "$lines" -eq "$want" ] || fail "report has $lines lines, want $want"
[ "$(count "$t/mixed.jsonl" ok)" -eq $((nvalid + 2)) ] || fail "ok count"
[ "$(count "$t/mixed.jsonl" failed)" -eq $((ninvalid + 2)) ] || fail "failed count"
for f in "$root"/tests/data/invalid/*.xml; do
  n=$(basename "$f")
  [ "$(status_of "$t/mixed.jsonl" "invalid/$n")" = failed ] || fail "$n not failed"
  [ ! -e "$t/mo/invalid/${n%.xml}.pdf" ] || fail "$n left a PDF"
done
[ "$(find "$t/mo" -name '*.pdf' | wc -l)" -eq $((nvalid + 2)) ] || fail "PDF count"
pdfs_ok "$t/mo"
grep -q "crashme.xml: error: the worker crashed" "$t/mixed.err" || fail "crash not on stderr"
# the report: one JSON object per line with every key, strings escaped
while IFS= read -r l; do
  case $l in '{"path":"'*'}') ;; *) fail "not a JSON object: $l" ;; esac
  for k in path output status pages bytes ms warnings error; do
    grep -q "\"$k\":" <<<"$l" || fail "key $k missing: $l"
  done
done < "$t/mixed.jsonl"
grep -qF 'we\"ird\\name.xml' "$t/mixed.jsonl" || fail "JSON escaping of a file name"
grep -q '"error":null' "$t/mixed.jsonl" || fail "null error"
grep -q '"error":".*invalid/malformed.xml:[0-9]*: error:' "$t/mixed.jsonl" || fail "error text"
! grep -q 'skipped.xml\|expected' "$t/mixed.jsonl" || fail "hidden or expected file converted"

# ---- incremental ------------------------------------------------------
g=$t/good
mkdir -p "$g/a/b"
cp "$root"/tests/data/valid/minimal.xml "$g/one.xml"
cp "$root"/tests/data/valid/mixed.xml "$g/a/two.xml"
cp "$root"/tests/data/valid/non-bmp.xml "$g/a/b/three.xml"
"$bin" batch "$g" -o "$t/go" --report "$t/r1.jsonl" || fail "good run"
[ "$(count "$t/r1.jsonl" ok)" -eq 3 ] || fail "first run: not 3 ok"
"$bin" batch "$g" -o "$t/go" --report "$t/r2.jsonl" || fail "second run"
[ "$(count "$t/r2.jsonl" skipped)" -eq 3 ] || fail "second run: not all skipped"
sleep 0.01; touch "$g/a/two.xml"
"$bin" batch "$g" -o "$t/go" --report "$t/r3.jsonl" || fail "after touch"
[ "$(count "$t/r3.jsonl" skipped)" -eq 3 ] || fail "touched input rebuilt"
printf '\n<!-- changed -->\n' >> "$g/a/two.xml"
"$bin" batch "$g" -o "$t/go" --report "$t/r4.jsonl" || fail "after change"
[ "$(count "$t/r4.jsonl" ok)" -eq 1 ] && [ "$(status_of "$t/r4.jsonl" a/two.xml)" = ok ] ||
  fail "changed input: $(cat "$t/r4.jsonl")"
rm "$t/go/one.pdf"
"$bin" batch "$g" -o "$t/go" --report "$t/r5.jsonl" || fail "after rm"
[ "$(status_of "$t/r5.jsonl" one.xml)" = ok ] && [ "$(count "$t/r5.jsonl" ok)" -eq 1 ] ||
  fail "a deleted PDF was not rebuilt"
SOURCE_DATE_EPOCH=1700000000 "$bin" batch "$g" -o "$t/go" --report "$t/r6.jsonl" || fail "epoch"
[ "$(count "$t/r6.jsonl" ok)" -eq 3 ] || fail "SOURCE_DATE_EPOCH change did not rebuild"
"$bin" batch "$g" -o "$t/go" --force --report "$t/r7.jsonl" || fail "--force"
[ "$(count "$t/r7.jsonl" ok)" -eq 3 ] || fail "--force did not rebuild all"
cp "$root/styles/default.style" "$t/copy.style"
"$bin" batch "$g" -o "$t/go" --style "$t/copy.style" --report "$t/r8.jsonl" || fail "style"
printf '\n# edited\n' >> "$t/copy.style"
"$bin" batch "$g" -o "$t/go" --style "$t/copy.style" --report "$t/r9.jsonl" || fail "style 2"
[ "$(count "$t/r8.jsonl" ok)" -eq 3 ] && [ "$(count "$t/r9.jsonl" ok)" -eq 3 ] ||
  fail "a style change did not rebuild"

# ---- many copies: kill -9 and re-run, SIGTERM -------------------------
k=$t/many
for d in x y; do
  mkdir -p "$k/$d"
  # full-size digests, so that the kills below land mid-batch
  for i in $(seq 10); do cp "$root/samples/briefing-2026-02.xml" "$k/$d/n$i.xml"; done
done
"$bin" batch "$k" -o "$t/k1" -j 4 || fail "-j 4"
[ "$(pdf_set "$t/k1" | wc -l)" -eq 20 ] || fail "20 PDFs expected"

"$bin" batch "$k" -o "$t/kk" -j 2 2>/dev/null &
pid=$!
sleep 0.3
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
sleep 0.2 # the workers die with the batch
pdfs_ok "$t/kk"
missing=()
while IFS= read -r f; do
  [ -e "$t/kk/$f" ] || missing+=("${f#./}")
done < <(pdf_set "$t/k1")
echo "batch: kill -9 left $((20 - ${#missing[@]})) of 20 PDFs"
"$bin" batch "$k" -o "$t/kk" -j 2 --report "$t/rk.jsonl" || fail "re-run after kill"
rebuilt=$(sed -n 's/.*"output":"[^"]*\/kk\/\([^"]*\)","status":"ok".*/\1/p' "$t/rk.jsonl" | LC_ALL=C sort)
want=$(printf '%s\n' "${missing[@]}" | sed '/^$/d' | LC_ALL=C sort)
[ "$rebuilt" = "$want" ] || fail "re-run converted [$rebuilt], missing were [$want]"
same_pdfs "$t/k1" "$t/kk" "after kill and re-run"
left=$(find "$t/kk" -name '*.tmp')
[ -z "$left" ] || fail "temporary files left after the re-run: $left"

"$bin" batch "$k" -o "$t/kt" -j 2 2>/dev/null &
pid=$!
sleep 0.3
kill -TERM $pid 2>/dev/null || true # (a fast machine may have finished)
run wait $pid
[ $rc -eq 143 ] || [ $rc -eq 0 ] || fail "SIGTERM: exit $rc, want 143"
pdfs_ok "$t/kt"
[ -z "$(find "$t/kt" -name '*.tmp')" ] || fail "SIGTERM left temporary files"

# ---- -j 1 vs -j 4 byte for byte, shards ---------------------------------
"$bin" batch "$m/valid" -o "$t/s0" -j 1 || fail "-j 1"
"$bin" batch "$m/valid" -o "$t/s4" -j 4 || fail "-j 4"
same_pdfs "$t/s0" "$t/s4" "-j 1 vs -j 4"
for s in 1 2 3; do
  "$bin" batch "$m/valid" -o "$t/s3" --shard $s/3 &
done
wait
same_pdfs "$t/s0" "$t/s3" "shards 1..3/3 run at once"
"$bin" batch "$m/valid" -o "$t/s3" --shard 2/3 --report "$t/rs.jsonl" || fail "shard re-run"
[ "$(count "$t/rs.jsonl" ok)" -eq 0 ] && [ "$(wc -l < "$t/rs.jsonl")" -eq $(( (nvalid + 1) / 3 )) ] ||
  fail "shard 2/3 re-run: $(cat "$t/rs.jsonl")"
if command -v parallel >/dev/null 2>&1; then
  parallel --will-cite "$bin" batch "$m/valid" -o "$t/sp" --shard {}/4 ::: 1 2 3 4 ||
    fail "GNU parallel"
  same_pdfs "$t/s0" "$t/sp" "GNU parallel shards"
else
  echo "batch: GNU parallel not installed, its form not checked"
fi
# ---- the report: checked before anything is written, never an input ----
r=$t/rep
mkdir -p "$r/in"
cp "$root/tests/data/valid/minimal.xml" "$r/in/a.xml"
cp "$r/in/a.xml" "$r/a.orig"
run "$bin" batch "$r/in" -o "$r/out" --report "$r/in/a.xml" 2>"$t/err"
[ $rc -eq 2 ] || fail "report over an input: exit $rc"
cmp -s "$r/in/a.xml" "$r/a.orig" || fail "the report destroyed an input"
grep -q "inside the input folder" "$t/err" || fail "report inside input: $(cat "$t/err")"
[ ! -e "$r/out" ] || fail "a refused batch created its output folder"
run "$bin" batch "$r/in" -o "$r/out" --report "$r/in/x.txt" 2>/dev/null
[ $rc -eq 2 ] && [ ! -e "$r/in/x.txt" ] || fail "report inside the input tree: exit $rc"
ln -s in "$r/inlink"
ln -s in/a.xml "$r/report-link"
run "$bin" batch "$r/in" -o "$r/out" --report "$r/report-link" 2>/dev/null
[ $rc -eq 2 ] || fail "report through a link onto an input: exit $rc"
cmp -s "$r/in/a.xml" "$r/a.orig" || fail "the report, through a link, destroyed an input"
run "$bin" batch "$r/in" -o "$r/out" --report "$r/inlink/y.jsonl" 2>/dev/null
[ $rc -eq 2 ] && [ ! -e "$r/in/y.jsonl" ] || fail "report inside the input through a link: exit $rc"
# a device of our own as root (a broken build must not replace the real
# /dev/null); without root /dev/null cannot be replaced anyway
dev=/dev/null
if [ "$(id -u)" = 0 ] && mknod "$t/dev.null" c 1 3 2>/dev/null; then dev=$t/dev.null; fi
run "$bin" batch "$r/in" -o "$r/out" --report "$dev" 2>/dev/null
[ $rc -eq 2 ] && [ -c "$dev" ] || fail "report on a device: exit $rc"
# a batch refused by the lock touches nothing: not the report, not the PDFs
echo previous > "$r/rep.jsonl"
DP_BATCH_TEST_HANG=a.xml "$bin" batch "$r/in" -o "$r/lk" --timeout 60 \
  --report "$r/first.jsonl" 2>/dev/null &
pid=$!
for _ in $(seq 200); do [ -e "$r/lk/.digestpdf-manifest.journal" ] && break; sleep 0.05; done
sleep 0.5
run "$bin" batch "$r/in" -o "$r/lk" --report "$r/rep.jsonl" 2>"$t/err"
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
[ $rc -eq 2 ] && grep -q "another digestpdf batch" "$t/err" || fail "lock: exit $rc: $(cat "$t/err")"
[ "$(cat "$r/rep.jsonl")" = previous ] || fail "a batch refused by the lock truncated the report"
# the report is complete and replaces the old one only at the end
"$bin" batch "$r/in" -o "$r/out" --report "$r/rep.jsonl" || fail "report run"
[ "$(count "$r/rep.jsonl" ok)" -eq 1 ] && ! grep -q previous "$r/rep.jsonl" || fail "report content"
[ -z "$(find "$r" -name 'rep.jsonl*.tmp')" ] || fail "report temporaries left"

# ---- outputs: devices, FIFOs and links among the PDFs --------------------
o=$t/outs
mkdir -p "$o/in" "$o/out" "$o/elsewhere"
cp "$root/tests/data/valid/minimal.xml" "$o/in/link.xml"
cp "$root/tests/data/valid/minimal.xml" "$o/in/fifo.xml"
echo old > "$o/elsewhere/target.pdf"
ln -s ../elsewhere/target.pdf "$o/out/link.pdf"
mkfifo "$o/out/fifo.pdf" "$o/out/bad.pdf"
printf '<broken' > "$o/in/bad.xml"
cp "$root/tests/data/valid/minimal.xml" "$o/in/self.xml"
ln -s ../in/self.xml "$o/out/self.pdf"
run timeout 120 "$bin" batch "$o/in" -o "$o/out" --report "$t/outs.jsonl" 2>/dev/null
[ $rc -eq 1 ] || fail "outputs: exit $rc"
[ -L "$o/out/link.pdf" ] && pdfinfo "$o/elsewhere/target.pdf" >/dev/null 2>&1 ||
  fail "a PDF at a symbolic link: link replaced or target not written"
[ -p "$o/out/fifo.pdf" ] && [ "$(status_of "$t/outs.jsonl" fifo.xml)" = failed ] ||
  fail "a FIFO at a PDF's path was replaced"
[ -p "$o/out/bad.pdf" ] || fail "a FIFO at an invalid input's PDF path was removed"
cmp -s "$o/in/self.xml" "$root/tests/data/valid/minimal.xml" ||
  fail "a link at a PDF's path let the batch overwrite its input"
[ "$(status_of "$t/outs.jsonl" self.xml)" = failed ] || fail "a PDF linked to its input"

# ---- a full disk during --force keeps the good PDFs ----------------------
f=$t/full
mkdir -p "$f/in"
cp "$root/tests/data/valid/minimal.xml" "$f/in/a.xml"
cp "$root/tests/data/valid/mixed.xml" "$f/in/b.xml"
"$bin" batch "$f/in" -o "$f/out" || fail "full: first run"
cp -r "$f/out" "$f/before"
printf '\n<!-- changed -->\n' >> "$f/in/b.xml"
# RLIMIT_FSIZE: writes past 8 KB fail with EFBIG, as on a full disk
run bash -c 'trap "" XFSZ; ulimit -f 8; exec "$0" batch "$1" -o "$2" --force' \
  "$bin" "$f/in" "$f/out" 2>"$t/err"
[ $rc -eq 1 ] || fail "full disk: exit $rc"
grep -q "a.pdf: error: cannot write output" "$t/err" || fail "full disk: $(cat "$t/err")"
cmp -s "$f/before/a.pdf" "$f/out/a.pdf" || fail "full disk: the good a.pdf was lost"
cmp -s "$f/before/b.pdf" "$f/out/b.pdf" || fail "full disk: the older b.pdf was lost"
[ -z "$(find "$f/out" -name '*.tmp')" ] || fail "full disk: temporaries left"
"$bin" batch "$f/in" -o "$f/out" --report "$t/full.jsonl" || fail "full: after"
[ "$(count "$t/full.jsonl" ok)" -eq 2 ] || fail "full: not rebuilt: $(cat "$t/full.jsonl")"
# an input that became invalid loses its older PDF
printf '<broken' > "$f/in/a.xml"
run "$bin" batch "$f/in" -o "$f/out" 2>/dev/null
[ $rc -eq 1 ] && [ ! -e "$f/out/a.pdf" ] && [ -e "$f/out/b.pdf" ] || fail "invalid input kept its PDF"

# ---- the limit on open files: -j is capped, no file fails ----------------
n=$t/fds
mkdir -p "$n/in"
for i in $(seq 40); do cp "$root/tests/data/valid/minimal.xml" "$n/in/n$i.xml"; done
run bash -c 'ulimit -n 24; exec "$0" batch "$1" -o "$2" -j 30 --report "$3"' \
  "$bin" "$n/in" "$n/out" "$t/fds.jsonl" 2>"$t/err"
[ $rc -eq 0 ] || fail "ulimit -n 24, -j 30: exit $rc: $(head -n 3 "$t/err")"
[ "$(count "$t/fds.jsonl" ok)" -eq 40 ] || fail "ulimit -n 24: not 40 ok"

# ---- the watchdog --------------------------------------------------------
w=$t/slow
mkdir -p "$w/in"
for x in a-hang b c; do cp "$root/tests/data/valid/minimal.xml" "$w/in/$x.xml"; done
run env DP_BATCH_TEST_HANG=a-hang timeout 100 "$bin" batch "$w/in" -o "$w/out" -j 1 \
  --timeout 5 --report "$t/slow.jsonl" 2>"$t/err"
[ $rc -eq 1 ] || fail "timeout: exit $rc (124: the batch hung)"
[ "$(status_of "$t/slow.jsonl" a-hang.xml)" = timeout ] || fail "no timeout status"
[ "$(count "$t/slow.jsonl" ok)" -eq 2 ] || fail "timeout: the batch did not go on"
grep -q "a-hang.xml: error: stopped after 5 s" "$t/err" || fail "timeout message: $(cat "$t/err")"
[ -z "$(find "$w/out" -name '*.tmp')" ] || fail "timeout: temporaries left"
for bad in nan inf -1 0 x; do
  run "$bin" batch "$w/in" -o "$w/out" --timeout $bad 2>/dev/null
  [ $rc -eq 2 ] || fail "--timeout $bad: exit $rc"
done
# ---- the progress bar: the command draws it on a terminal only ----------
g=$t/bar
mkdir -p "$g/in"
for x in a b c; do cp "$root/tests/data/valid/minimal.xml" "$g/in/$x.xml"; done
cp "$root/tests/data/invalid/malformed.xml" "$g/in/d.xml"
run "$bin" batch "$g/in" -o "$g/out1" 2>"$t/err"
[ $rc -eq 1 ] || fail "bar: exit $rc"
! grep -q 'files, ' "$t/err" || fail "a progress bar without a terminal: $(cat "$t/err")"
if command -v script >/dev/null; then
  script -qec "'$bin' batch '$g/in' -o '$g/out2' -j 1" /dev/null > "$t/tty" 2>&1 || true
  tr '\r' '\n' < "$t/tty" > "$t/tty.lines"
  grep -q '^\[####################\] 4/4 files, 1 failed' "$t/tty.lines" ||
    fail "no progress bar on a terminal: $(cat "$t/tty.lines")"
  # the error of d.xml starts a line of its own: the bar was erased first
  grep -q "^.*d.xml:[0-9]*: error: " "$t/tty.lines" || fail "bar: no error line"
  ! grep -q 'left.*d.xml:' "$t/tty.lines" || fail "bar: an error printed over the bar"
fi

# ---- a batch (workers forked from a parent that loaded the style, the
# fonts and the grammar once) gives the bytes `digestpdf build` gives -----
v=$t/warm
mkdir -p "$v"
cp -r "$root/samples" "$v/in"
# (-j 1: one worker builds every file, one after another)
for style in "" "$root/styles/compact.style"; do
 for jobs in 1 2; do
  rm -rf "$v/out"
  run env SOURCE_DATE_EPOCH=1700000000 "$bin" batch "$v/in" -o "$v/out" -j $jobs \
    ${style:+--style "$style"} --report "$t/warm.jsonl" 2>"$t/err"
  [ $rc -eq 0 ] || fail "warm batch ($style, -j $jobs): exit $rc: $(head -n 3 "$t/err")"
  n=0
  for in in "$v/in"/*.xml "$v/in"/archive-*[0-9].txt; do
    base=$(basename "$in")
    env SOURCE_DATE_EPOCH=1700000000 "$bin" build "$in" -o "$v/one.pdf" \
      ${style:+--style "$style"} 2>"$t/build-err" || fail "build $base"
    cmp -s "$v/one.pdf" "$v/out/${base%.*}.pdf" ||
      fail "batch and build differ for $base (style: ${style:-default})"
    # the same warnings, counted per file as build prints them
    w=$(grep -c ': warning: ' "$t/build-err" || true)
    grep -F "/$base\",\"output\"" "$t/warm.jsonl" | grep -q "\"warnings\":$w," ||
      fail "batch and build count different warnings for $base"
    n=$((n + 1))
  done
  [ $n -ge 4 ] || fail "warm batch: only $n samples compared"
 done
done

# ---- one worker, file after file: a crash in the middle fails only its
# file (built once more in a fresh worker, then reported), and the files
# after it are built as by themselves -----------------------------------
q=$t/serial
mkdir -p "$q/in"
cp "$root/samples/briefing-2026-02.xml" "$q/in/a.xml"
cp "$root/tests/data/valid/minimal.xml" "$q/in/b-crashme.xml"
cp "$root/tests/data/invalid/malformed.xml" "$q/in/c.xml"
cp "$root/samples/showcase.xml" "$q/in/d.xml"
cp "$root/samples/briefing-2026-02.xml" "$q/in/e.xml"
cp -r "$root/samples/figures" "$q/in/"
run env SOURCE_DATE_EPOCH=1700000000 DP_BATCH_TEST_CRASH=crashme "$bin" batch "$q/in" \
  -o "$q/out" -j 1 --report "$q/r.jsonl" 2>"$q/err"
[ $rc -eq 1 ] || fail "serial: exit $rc, want 1"
for f in a d e; do
  [ "$(status_of "$q/r.jsonl" "/$f.xml")" = ok ] || fail "serial: $f.xml not ok"
done
[ "$(status_of "$q/r.jsonl" /b-crashme.xml)" = crashed ] || fail "serial: crash not reported"
[ "$(status_of "$q/r.jsonl" /c.xml)" = failed ] || fail "serial: invalid not failed"
[ "$(grep -c 'b-crashme.xml: error: the worker crashed' "$q/err")" -eq 1 ] ||
  fail "serial: the crash reported other than once"
for f in a d e; do
  env SOURCE_DATE_EPOCH=1700000000 "$bin" build "$q/in/$f.xml" -o "$q/one.pdf" 2>/dev/null ||
    fail "serial: build $f"
  cmp -s "$q/one.pdf" "$q/out/$f.pdf" || fail "serial: batch and build differ for $f.xml"
done
# a style given by name, as build takes it
rm -rf "$v/named"
run "$bin" batch "$v/in" -o "$v/named" --style compact 2>"$t/err"
[ $rc -eq 0 ] || fail "batch --style compact: exit $rc: $(head -n 3 "$t/err")"

echo "batch: all checks passed"
