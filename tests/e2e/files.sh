#!/usr/bin/env bash
# End to end: special files and output paths — FIFOs and devices named
# as inputs or fonts fail at once, outputs never replace what is not a
# regular file, symbolic links are written through, "-" is stdout.
set -euo pipefail
. "$(dirname "$0")/common.bash"
min=$root/tests/data/valid/minimal.xml
cd "$t"

# ---- inputs that are not regular files: refused at once ----------------
printf '# fonts\nfont.body = /dev/zero\n' > zero.style
run timeout 20 "$bin" build "$min" -o z.pdf --style zero.style 2>err
[ $rc -eq 1 ] || fail "font.body = /dev/zero: exit $rc"
grep -q "^zero.style:2: error: font.body: .*not a regular file" err || fail "/dev/zero font: $(cat err)"
mkfifo font.fifo
printf 'font.fallback = %s/font.fifo\n' "$t" > fifo.style
run timeout 20 "$bin" build "$min" -o z.pdf --style fifo.style 2>err
[ $rc -eq 1 ] || fail "FIFO font: exit $rc (124 is a hang)"
grep -q "^fifo.style:1: error: font.fallback: .*not a regular file" err || fail "FIFO font: $(cat err)"
mkfifo in.xml style.fifo
run timeout 20 "$bin" build in.xml -o z.pdf 2>err
[ $rc -eq 1 ] && grep -q "^in.xml: error: .*not a regular file" err || fail "FIFO input: $rc $(cat err)"
run timeout 20 "$bin" validate in.xml 2>err
[ $rc -eq 1 ] || fail "validate FIFO: exit $rc"
run timeout 20 "$bin" build "$min" -o z.pdf --style style.fifo 2>err
[ $rc -eq 1 ] && grep -q "not a regular file" err || fail "FIFO style: $rc $(cat err)"
[ ! -e z.pdf ] || fail "a PDF was written"
# a FIFO among the installed styles does not hang `styles`
mkdir st
cp "$root"/styles/*.style st/
mkfifo st/zz.style
run env DIGESTPDF_STYLES="$t/st" timeout 20 "$bin" styles >out
[ $rc -eq 0 ] && grep -q "default" out || fail "styles with a FIFO: exit $rc"
# standard input stays allowed for the digest
"$bin" import - -o stdin.xml < "$root/tests/data/import/basic.txt" || fail "import from stdin"
grep -q "<digest" stdin.xml || fail "import from stdin: no digest"

# ---- outputs ------------------------------------------------------------
# a device of our own as root (a broken build must not replace the real
# /dev/null); without root /dev/null cannot be replaced anyway
dev=/dev/null
if [ "$(id -u)" = 0 ] && mknod "$t/dev.null" c 1 3 2>/dev/null; then dev=$t/dev.null; fi
run "$bin" build "$min" -o "$dev" 2>err
[ $rc -eq 1 ] && [ -c "$dev" ] || fail "-o $dev: exit $rc"
grep -q "^$dev: error: cannot write output: not a regular file" err || fail "$dev: $(cat err)"
mkfifo out.fifo
run timeout 20 "$bin" build "$min" -o out.fifo 2>err
[ $rc -eq 1 ] && [ -p out.fifo ] || fail "-o FIFO: exit $rc"
mkdir outdir.pdf
run "$bin" build "$min" -o outdir.pdf 2>err
[ $rc -eq 1 ] && [ -d outdir.pdf ] || fail "-o folder: exit $rc"
# a symbolic link: its target is written, the link kept
mkdir real
echo old > real/target.pdf
ln -s real/target.pdf link.pdf
"$bin" build "$min" -o link.pdf || fail "build through a link"
[ -L link.pdf ] || fail "the link was replaced"
[ "$(head -c 5 real/target.pdf)" = "%PDF-" ] || fail "the target was not written"
[ -z "$(find . -name '*.tmp')" ] || fail "temporary files left"
ln -s nowhere.pdf dangling.pdf
run "$bin" build "$min" -o dangling.pdf 2>err
[ $rc -eq 1 ] && [ ! -e nowhere.pdf ] || fail "dangling link: exit $rc"
# "-" is standard output
"$bin" build "$min" -o - > stdout.pdf || fail "-o -"
[ ! -e ./- ] || fail "-o - wrote a file named -"
pdfinfo stdout.pdf >/dev/null || fail "-o - is not a PDF"
cmp -s stdout.pdf real/target.pdf || fail "-o - differs from a file"
# the umask decides the mode of a finished output
(umask 077 && "$bin" build "$min" -o private.pdf) || fail "umask 077"
[ "$(stat -c %a private.pdf)" = 600 ] || fail "umask 077: mode $(stat -c %a private.pdf)"
(umask 022 && "$bin" build "$min" -o public.pdf) || fail "umask 022"
[ "$(stat -c %a public.pdf)" = 644 ] || fail "umask 022: mode $(stat -c %a public.pdf)"

# import: the old fixed temporary name, planted as a link, is not followed
txt=$root/tests/data/import/basic.txt
echo precious > victim
ln -s victim out.xml.tmp
"$bin" import "$txt" -o out.xml || fail "import"
[ "$(cat victim)" = precious ] || fail "import wrote through a planted link"
grep -q "<digest" out.xml || fail "import: no digest"
run "$bin" import "$txt" -o "$dev" 2>err
[ $rc -eq 1 ] && [ -c "$dev" ] || fail "import -o $dev: exit $rc"
echo "files: all checks passed"
