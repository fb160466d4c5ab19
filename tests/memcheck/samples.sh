#!/usr/bin/env bash
# Memcheck of whole builds: every sample and every valid test digest built
# under valgrind (leaks and errors fail). Registered as the ctest
# "memcheck_samples" (label memcheck) when configured with -DDP_VALGRIND=ON.
#
#   tests/memcheck/samples.sh DIGESTPDF ROOT
set -euo pipefail
bin=$1
root=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
vg=(valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1
    --suppressions="$root/scripts/valgrind.supp")
status=0
for f in "$root"/samples/*.xml "$root"/samples/*.txt "$root"/tests/data/valid/*.xml; do
    case $f in *.expected.txt) continue ;; esac
    name=$(basename "$f")
    set +e
    "${vg[@]}" --log-file="$out/vg.log" "$bin" build "$f" -o "$out/$name.pdf" 2>"$out/err"
    rc=$?
    set -e
    # valgrind 3.19 does not know openat2 (syscall 437): it says so and
    # fails the call, and digestpdf falls back to realpath checks. That
    # notice is not a memory error.
    sed -i '/unhandled amd64-linux syscall: 437/,/bug_reports.html/d' "$out/vg.log"
    # exit 1 without a valgrind report is a refused input, not a memory error
    if [ -s "$out/vg.log" ]; then
        echo "FAIL $name"; cat "$out/vg.log"; status=1
    elif [ $rc -ne 0 ]; then
        echo "ok   $name (refused: $(head -1 "$out/err"))"
    else
        echo "ok   $name"
    fi
done
exit $status
