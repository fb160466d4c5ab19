#!/usr/bin/env bash
# Build the libFuzzer harnesses (clang, ASan+UBSan) and run each for a
# bounded time, one process at a time (the machine is shared).
#
#   scripts/fuzz.sh [SECONDS] [HARNESS...]
#
# SECONDS per harness (default 60). HARNESS: xml_read, style, text_import,
# build, build_style, image (default: all). The working corpus lives in build-fuzz/corpus/NAME
# and is seeded from our samples, test data and styles on every run, so
# nothing is duplicated in the tree. Crashes, leaks and timeouts go to
# build-fuzz/findings/ as NAME-crash-*, NAME-leak-*, NAME-timeout-*: turn
# each into a regression input under tests/hostile/. Not part of ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
secs=${1:-60}
shift || true
case "$secs" in ''|*[!0-9]*) echo "fuzz.sh: bad seconds '$secs'" >&2; exit 2 ;; esac
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(xml_read style text_import build build_style image)

build=$root/build-fuzz
CC=clang cmake -S . -B "$build" -DDP_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j 2 --target $(printf 'fuzz_%s ' "${harnesses[@]}") >/dev/null

# Seed files per harness (globs that match nothing are skipped).
seeds() {
    shopt -s nullglob globstar
    case $1 in
        xml_read) printf '%s\n' samples/*.xml tests/data/**/*.xml tests/hostile/*.xml ;;
        style|build_style) printf '%s\n' styles/*.style tests/hostile/*.style ;;
        text_import) printf '%s\n' samples/*.txt tests/data/**/*.txt tests/hostile/*.txt ;;
        build) printf '%s\n' samples/*.xml tests/data/valid/*.xml samples/*.txt ;;
        image) printf '%s\n' samples/figures/* tests/hostile/images/*.png tests/hostile/images/*.jpg ;;
    esac
}
dict() {
    case $1 in
        xml_read|build) echo "-dict=$root/tests/fuzz/xml.dict" ;;
        style|build_style) echo "-dict=$root/tests/fuzz/style.dict" ;;
        image) echo "-dict=$root/tests/fuzz/image.dict" ;;
    esac
}

mkdir -p "$build/findings"
total=0
printf '%-12s %10s %8s %8s %s\n' harness execs exec/s corpus findings >"$build/fuzz-summary.txt"
for h in "${harnesses[@]}"; do
    corpus=$build/corpus/$h
    mkdir -p "$corpus"
    # Seeds larger than 1 MB only slow the mutator down.
    seeds "$h" | while read -r f; do
        [ "$(wc -c <"$f")" -le 1048576 ] && cp -f "$f" "$corpus/seed-$(echo "$f" | tr / _)"
    done
    log=$build/fuzz-$h.log
    before=$(find "$build/findings" -name "$h-*" | wc -l)
    echo "== fuzz_$h for ${secs}s (log: $log)"
    # -timeout: one input taking 25 s is a finding (a hang);
    # -rss_limit_mb: 2 GB is a finding (memory blow-up).
    set +e
    # shellcheck disable=SC2046
    "$build/fuzz/fuzz_$h" "$corpus" $(dict "$h") -max_total_time="$secs" \
        -timeout=25 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$build/findings/$h-" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    after=$(find "$build/findings" -name "$h-*" | wc -l)
    found=$((after - before))
    total=$((total + found))
    ncorpus=$(find "$corpus" -type f | wc -l)
    printf '%-12s %10s %8s %8s %s\n' "$h" "${execs:-?}" "${rate:-?}" "$ncorpus" \
        "$found (exit $rc)" | tee -a "$build/fuzz-summary.txt"
    if [ "$found" -gt 0 ]; then
        grep -m3 -E "ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error" "$log" || true
    fi
done
echo
cat "$build/fuzz-summary.txt"
[ "$total" -eq 0 ]
