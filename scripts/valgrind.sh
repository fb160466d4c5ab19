#!/usr/bin/env bash
# Memcheck: the unit tests (ctest label "unit") and a build of every sample
# under valgrind --leak-check=full --error-exitcode=1. Uses a plain build
# (no sanitizers: valgrind and ASan do not mix).
#
#   scripts/valgrind.sh [BUILD_DIR]      (default: build-valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${1:-build-valgrind}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDP_SANITIZE=OFF -DDP_TESTS=ON >/dev/null
cmake --build "$build" -j 2 >/dev/null

vg=(valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1
    --suppressions="$root/scripts/valgrind.supp")

echo "== unit tests under valgrind"
# Run the test programs directly, so valgrind's exit code is the result.
status=0
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    # the linebreak conformance run is long under valgrind but still bounded
    # Batch workers are forked children that leave with _exit holding the
    # parent's memory by design; valgrind counts that as a leak and turns
    # the worker's exit status into a failure. test_batch runs under
    # ASan+UBSan in scripts/test.sh instead.
    if [ "$(basename "$t")" = test_batch ]; then
        echo "skip test_batch (forking workers; checked under ASan)"
        continue
    fi
    if (cd "$build/tests" && CMOCKA_MESSAGE_OUTPUT=stdout "${vg[@]}" "./$(basename "$t")") \
        >"$build/vg-$(basename "$t").log" 2>&1; then
        echo "ok   $(basename "$t")"
    else
        echo "FAIL $(basename "$t") (see $build/vg-$(basename "$t").log)"
        status=1
    fi
done

echo "== samples under valgrind"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in samples/*.xml samples/*.txt tests/data/valid/*.xml; do
    case $f in *.expected.txt) continue ;; esac
    name=$(basename "$f")
    set +e
    "${vg[@]}" --log-file="$out/vg.log" "$build/digestpdf" build "$f" -o "$out/$name.pdf" 2>"$out/err"
    rc=$?
    set -e
    # exit 1 without a valgrind report is an input error (e.g. an archive
    # while the importer is missing), not a memory error
    if [ -s "$out/vg.log" ]; then
        echo "FAIL $name"; cat "$out/vg.log"; status=1
    elif [ $rc -ne 0 ]; then
        echo "ok   $name (refused: $(head -1 "$out/err"))"
    else
        echo "ok   $name"
    fi
done
exit $status
