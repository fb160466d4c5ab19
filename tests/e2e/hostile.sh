#!/usr/bin/env bash
# End to end: hostile inputs. Each run is bounded in time and memory and
# must end in either a clear refusal (exit 1, "FILE:LINE: error:" or
# "FILE: error:", no PDF left) or a correct PDF (exit 0, pdfinfo accepts
# it). Never a crash, a hang or a sanitizer report.
#
# Bounds per run: 20 s of CPU (100 s for sanitizer builds, which run 3-5x
# slower) through ulimit -t, so a runaway computation fails however busy
# the machine is; 6 times that in wall time, so a run that waits (a hang:
# no CPU used) fails too; and ulimit -v 2 GB of virtual memory (not for
# sanitizer builds: ASan reserves terabytes of address space up front).
#
# Committed inputs and their expected outcome: tests/hostile/EXPECTED.
# Big inputs are generated here into a temporary folder and removed:
# a 200 MB digest (over the 64 MB input cap), 100 000-deep nesting,
# a 5 MB paragraph (over the 4 MB paragraph cap), a digest that would need
# more than 20 000 pages, 10 000-character unbreakable words, a 300-column
# table, images that are not what their extension says.
set -euo pipefail
. "$(dirname "$0")/common.bash"
tmp=$t

limit=20
vmem="ulimit -v 2097152"
cpu() { ulimit -t "$limit"; }
if [[ $bin == *asan* || $bin == *fuzz* ]] || nm "$bin" 2>/dev/null | grep -q __asan_init; then
    limit=100
    vmem=:
fi

# run NAME INPUT [ARGS...]: builds INPUT into $tmp/NAME.pdf; sets rc, msg.
run() {
    local name=$1 input=$2
    shift 2
    rm -f "$tmp/$name.pdf"
    set +e
    msg=$( ($vmem; cpu; exec timeout "$((limit * 6))" "$bin" build "$input" -o "$tmp/$name.pdf" "$@") 2>&1 >/dev/null)
    rc=$?
    set -e
    [ $rc -ne 124 ] || fail "$name: no result within $((limit * 6)) s"
    [ $rc -ne 152 ] || fail "$name: more than ${limit} s of CPU (SIGXCPU)"
    [ $rc -lt 128 ] || fail "$name: killed by signal $((rc - 128)): $msg"
    if grep -qE "runtime error|Sanitizer|AddressSanitizer" <<<"$msg"; then
        fail "$name: sanitizer report: $msg"
    fi
}

# want_error NAME FILE LINE FRAG: a clear refusal naming FILE (and LINE).
want_error() {
    local name=$1 file=$2 line=$3 frag=$4 want first
    [ $rc -eq 1 ] || fail "$name: exit $rc, want 1 ($msg)"
    [ ! -e "$tmp/$name.pdf" ] || fail "$name: a PDF was left behind"
    first=$(grep -m1 "error:" <<<"$msg" || true)
    if [ "$line" = '*' ]; then
        # any line of FILE, or FILE alone
        case $first in "$file:"*) ;; *) fail "$name: first error '$first', want '$file:…'" ;; esac
        return 0
    fi
    if [ "$line" -gt 0 ]; then want="$file:$line: error:"; else want="$file: error:"; fi
    case $first in "$want"*) ;; *) fail "$name: first error '$first', want '$want…'" ;; esac
    grep -qiF -- "$frag" <<<"$first" || fail "$name: '$first' lacks '$frag'"
}

# want_pdf NAME: a PDF that poppler reads, and no error on the way.
want_pdf() {
    local name=$1
    [ $rc -eq 0 ] || fail "$name: exit $rc, want 0 ($msg)"
    pdfinfo "$tmp/$name.pdf" >/dev/null 2>&1 || fail "$name: pdfinfo refuses the PDF"
    ! grep -q "error:" <<<"$msg" || fail "$name: error on a good build: $msg"
    ! grep -q "not valid UTF-8" <<<"$msg" || fail "$name: broken text: $msg"
}

n=0
while IFS=$'\t' read -r file outcome line frag; do
    case $file in ''|'#'*) continue ;; esac
    input=$root/tests/hostile/$file
    if [[ $file == *.style ]]; then
        run "$file" "$root/tests/data/valid/minimal.xml" --style "$input"
    else
        run "$file" "$input"
    fi
    case $outcome in
        error) want_error "$file" "$input" "$line" "$frag" ;;
        pdf) want_pdf "$file" ;;
        any) if [ $rc -eq 0 ]; then want_pdf "$file"; else want_error "$file" "$input" '*' ''; fi ;;
        *) fail "EXPECTED: unknown outcome '$outcome' for $file" ;;
    esac
    n=$((n + 1))
done <"$root/tests/hostile/EXPECTED"
[ $n -ge 40 ] || fail "only $n committed hostile inputs checked"

# Nothing is drawn in the last 20 pt of an A4 page (the footer sits above
# that): the fuzz_build find drew a paragraph down to the page edge.
lowest=$(pdftotext -bbox "$tmp/fuzz-space-at-bottom.xml.pdf" - |
         awk -F'"' '/<word/ { if ($8 + 0 > m) m = $8 + 0 } END { print int(m) }')
[ "$lowest" -lt 822 ] || fail "fuzz-space-at-bottom.xml: text at y=$lowest, past the bottom margin"

# Every line of the all-wrong style is reported, not just the first.
run style-all "$root/tests/data/valid/minimal.xml" --style "$root/tests/hostile/every-key-wrong.style"
errs=$(grep -c "every-key-wrong.style:[0-9]*: error:" <<<"$msg" || true)
[ "$errs" -ge 27 ] || fail "every-key-wrong.style: only $errs errors reported"

# ---- generated inputs ----
# STR repeated N times without newlines / cut at N bytes. yes dies of
# SIGPIPE when head has enough, which pipefail would count as failure.
rep() { { yes "$1" || true; } | head -n "$2" | tr -d '\n'; }
repb() { { yes "$1" || true; } | head -c "$2"; }
head_xml='<?xml version="1.0" encoding="UTF-8"?>\n<digest version="1">\n<meta><title>T</title><published>2026-02-01</published></meta>\n'
open_art='<section name="庁">\n<article><title>記事</title>\n'
end_art='</article>\n</section>\n</digest>\n'

# 200 MB (over the 64 MB cap): refused after reading 64 MB, quickly.
big=$tmp/big.xml
{ printf "$head_xml$open_art"; repb '<p>大きな入力の段落です。This line repeats.</p>' 200000000; printf "\n$end_art"; } >"$big"
start=$(date +%s)
run big "$big"
want_error big "$big" 0 "64 MB limit"
[ $(( $(date +%s) - start )) -le 10 ] || fail "big: the size cap took over 10 s"
rm -f "$big"

# 100 000 nested lists: refused by the parser's depth limit.
deep=$tmp/deep.xml
{ printf "$head_xml$open_art"; rep '<list><item>' 100000; printf x;
  rep '</item></list>' 100000; printf "\n$end_art"; } >"$deep"
run deep "$deep"
want_error deep "$deep" 6 "depth"

# 100 000 nested <em> inside one paragraph.
deepem=$tmp/deep-em.xml
{ printf "$head_xml$open_art<p>"; rep '<em>' 100000; printf x;
  rep '</em>' 100000; printf "</p>\n$end_art"; } >"$deepem"
run deepem "$deepem"
want_error deepem "$deepem" 6 "depth"

# A paragraph over the 4 MB cap (91 000 x 54 bytes).
para=$tmp/para.xml
{ printf "$head_xml$open_art<p>"; rep '段落の途中で改行しない長い文章です。' 91000;
  printf "</p>\n$end_art"; } >"$para"
run para "$para"
want_error para "$para" 6 "paragraph longer"

# One line per <br/>: more than the 20 000-page cap.
pages=$tmp/pages.xml
{ printf "$head_xml$open_art<p>x"; rep '<br/>x' 1000000;
  printf "</p>\n$end_art"; } >"$pages"
run pages "$pages"
want_error pages "$pages" 0 "20000 pages"

# 10 000-character words (Latin letters, a URL) are broken at the margin
# and every character survives.
word=$tmp/word.xml
{ printf "$head_xml$open_art<p>"; rep q 10000; printf "</p>\n<p>https://example.org/";
  rep z 10000; printf "</p>\n$end_art"; } >"$word"
run word "$word"
want_pdf word
[ "$(pdftotext "$tmp/word.pdf" - | tr -cd q | wc -c)" -eq 10000 ] || fail "word: q's lost"
[ "$(pdftotext "$tmp/word.pdf" - | tr -cd z | wc -c)" -eq 10000 ] || fail "word: z's lost"

# A table of 300 columns, far wider than the page: every cell is drawn.
wide=$tmp/wide.xml
{ printf "$head_xml$open_art<table><row header=\"true\">"; for i in $(seq 300); do printf '<cell>列%d</cell>' "$i"; done
  printf '</row><row>'; for i in $(seq 300); do printf '<cell>値%d は長めの文章です</cell>' "$i"; done
  printf "</row></table>\n$end_art"; } >"$wide"
run wide "$wide"
want_pdf wide
[ "$(pdftotext "$tmp/wide.pdf" - | grep -o '列' | wc -l)" -eq 300 ] || fail "wide: header cells lost"

# Images that are not what their extension says, and one that is missing.
printf 'GIF89a this is not a PNG\n' >"$tmp/fake.png"
head -c 4096 /dev/urandom >"$tmp/fake.jpg"
printf '\x89PNG\r\n\x1a\n' >"$tmp/truncated.png"
img=$tmp/img.xml
printf "$head_xml$open_art"'<figure src="fake.png"><caption>x</caption></figure>\n<figure src="fake.jpg"/>\n<figure src="truncated.png"/>\n<figure src="missing.png"/>\n'"$end_art" >"$img"
run img "$img"
if [ $rc -eq 0 ]; then want_pdf img; else want_error img "$img" 6 "fake.png"; fi

# Archived text: 200 MB (over the input cap, before any import), one
# line of 1 MB, and 50 000 articles of one line each. Until the importer
# lands these are refused; afterwards each must give a PDF or an error.
bigtxt=$tmp/big.txt
repb '見本行政ダイジェスト 長い行の繰り返し\n' 200000000 >"$bigtxt"
run bigtxt "$bigtxt"
want_error bigtxt "$bigtxt" 0 "64 MB limit"
rm -f "$bigtxt"
line1m=$tmp/line.txt
{ printf '見本行政ダイジェスト\n\n【題名】\n\n2026.01.13\n\n~NEW~\nサンプル庁 記事\n  • '; rep 'あ' 333333; printf '\n'; } >"$line1m"
run line1m "$line1m"
if [ $rc -eq 0 ]; then want_pdf line1m; else want_error line1m "$line1m" '*' ''; fi
many=$tmp/many.txt
{ printf '見本行政ダイジェスト\n\n【題名】\n\n2026.01.13\n\n'; rep '~NEW~\nサンプル庁 記事\n  • 本文\n\n' 50000 | sed 's/\\n/\n/g'; } >"$many"
run many "$many"
if [ $rc -eq 0 ]; then want_pdf many; else want_error many "$many" '*' ''; fi

# Odd paths: a directory and endless devices as input; the input itself
# (directly or through a symlink) or the style as output must be refused
# and left untouched.
run dir "$tmp"
want_error dir "$tmp" 0 "a folder"
run zero /dev/zero
want_error zero /dev/zero 0 "not a regular file"
cp "$root/tests/data/valid/minimal.xml" "$tmp/self.xml"
ln -s self.xml "$tmp/link.xml"
printf 'toc = true\n' >"$tmp/self.style"
for target in self.xml link.xml self.style; do
    set +e
    msg=$( ($vmem; cpu; exec timeout "$((limit * 6))" "$bin" build "$tmp/self.xml" -o "$tmp/$target" --style "$tmp/self.style") 2>&1)
    rc=$?
    set -e
    [ $rc -eq 1 ] || fail "output $target over the input: exit $rc"
    grep -q "^$tmp/$target: error: the output is the input" <<<"$msg" || fail "output $target: $msg"
done
cmp -s "$tmp/self.xml" "$root/tests/data/valid/minimal.xml" || fail "the input was overwritten"
grep -q '^toc = true$' "$tmp/self.style" || fail "the style was overwritten"

# A truncated digest: every prefix length class of a real sample
# (mid-tag, mid-character, mid-attribute) is refused cleanly.
sample=$root/samples/briefing-2026-02.xml
size=$(wc -c <"$sample")
for cut in 1 100 1001 4097 $((size / 2)) $((size - 3)); do
    head -c "$cut" "$sample" >"$tmp/cut.xml"
    run "cut$cut" "$tmp/cut.xml"
    [ $rc -eq 1 ] || fail "cut at $cut: exit $rc"
    # the first line, without a pipe into head: printf would die of SIGPIPE
    # when head left early, and pipefail would count that as a failure
    grep -q "^$tmp/cut.xml:[0-9]*: error:" <<<"${msg%%$'\n'*}" || fail "cut at $cut: $msg"
    [ ! -e "$tmp/cut$cut.pdf" ] || fail "cut at $cut: PDF left behind"
done

# ---- figures: one file however spelled, the root folder, special files ----
img_xml() { # FILE FIGURE-SRC...: a digest whose figures (captioned) start on line 6
    local out=$1
    shift
    { printf "$head_xml$open_art"
      for src in "$@"; do printf '<figure src="%s" width="20mm"><caption>図</caption></figure>\n' "$src"; done
      printf "$end_art"; } >"$out"
}
mkdir -p "$tmp/fig/a/b" "$tmp/fig/sub"
cp "$root/tests/hostile/images/interlaced-rgba16.png" "$tmp/fig/f.png"
cp "$root/tests/hostile/images/plain.png" "$tmp/secret.png"

# twelve spellings of one file: decoded once, embedded once
img_xml "$tmp/fig/twelve.xml" f.png ./f.png ././f.png a/../f.png a/b/../../f.png .//f.png \
    ./a/../f.png a/./../f.png a/b/.././../f.png ./././f.png a/.././f.png "$tmp/fig/f.png"
run twelve "$tmp/fig/twelve.xml"
want_pdf twelve
ids=$(pdfimages -list "$tmp/twelve.pdf" | awk 'NR > 2 { print $11 }' | sort -u | wc -l)
placed=$(pdfimages -list "$tmp/twelve.pdf" | awk 'NR > 2 && $3 == "image"' | wc -l)
[ "$ids" -eq 1 ] && [ "$placed" -eq 12 ] || fail "twelve: $placed placements of $ids objects, want 12 of 1"

# outside the root (the input's folder): ../, an absolute path, a link
# leading out, standard input; the message is the same whether the file
# exists or not
ln -s ../secret.png "$tmp/fig/link.png"
for src in ../secret.png ../no-such.png "$tmp/secret.png" /dev/stdin; do
    img_xml "$tmp/fig/out.xml" plain-text-first.png "$src"
    sed -i 's#<figure src="plain-text-first.png" width="20mm"><caption>図</caption></figure>#<p>本文</p>#' "$tmp/fig/out.xml"
    run out "$tmp/fig/out.xml" </dev/null
    want_error out "$tmp/fig/out.xml" 7 "outside the folder files may be read from"
done
img_xml "$tmp/fig/link.xml" link.png
run link "$tmp/fig/link.xml"
want_error link "$tmp/fig/link.xml" 6 "symbolic link leads outside"
# --root widens it
img_xml "$tmp/fig/wide.xml" ../secret.png link.png
run wide-root "$tmp/fig/wide.xml" --root "$tmp"
want_pdf wide-root
# and narrows it: the input's own folder is outside --root sub/
img_xml "$tmp/fig/narrow.xml" f.png
run narrow-root "$tmp/fig/narrow.xml" --root "$tmp/fig/sub"
want_error narrow-root "$tmp/fig/narrow.xml" 6 "outside the folder"

run no-root "$tmp/fig/narrow.xml" --root "$tmp/fig/none"
want_error no-root "$tmp/fig/none" 0 "not a folder"

# a FIFO and a device inside the root: refused at once, never waited on
mkfifo "$tmp/fig/fifo.png"
img_xml "$tmp/fig/fifo.xml" fifo.png
run fifo "$tmp/fig/fifo.xml"
want_error fifo "$tmp/fig/fifo.xml" 6 "not a regular file"
img_xml "$tmp/fig/dev.xml" /dev/null
run dev "$tmp/fig/dev.xml" --root /
want_error dev "$tmp/fig/dev.xml" 6 "not a regular file"

# a style's logo: from the style's folder only
mkdir -p "$tmp/sty"
printf 'cover = true\ncover.logo = ../secret.png\n' >"$tmp/sty/out.style"
run logo-out "$root/tests/data/valid/minimal.xml" --style "$tmp/sty/out.style"
want_error logo-out "$tmp/sty/../secret.png" 0 "cover logo: outside the folder"
cp "$tmp/secret.png" "$tmp/sty/logo.png"
printf 'cover = true\ncover.logo = logo.png\n' >"$tmp/sty/in.style"
run logo-in "$root/tests/data/valid/minimal.xml" --style "$tmp/sty/in.style"
want_pdf logo-in

# an 800 × 600 RGBA gradient (9 KB of PNG): its colour and alpha are
# compressed, the PDF stays small (libharu stored the alpha raw: 495 KB)
img_xml "$tmp/fig/grad.xml" "$root/tests/hostile/images/gradient-rgba.png"
run grad "$tmp/fig/grad.xml" --root "$root/tests/hostile/images"
want_pdf grad
size=$(wc -c <"$tmp/grad.pdf")
[ "$size" -lt 40000 ] || fail "grad: $size bytes, want under 40 KB"
[ "$(pdfimages -list "$tmp/grad.pdf" | awk 'NR > 2 && $3 == "smask"' | wc -l)" -eq 1 ] ||
    fail "grad: no soft mask"

echo "hostile: $n committed and 37 generated inputs handled (limit ${limit}s)"
