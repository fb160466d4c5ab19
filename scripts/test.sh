#!/usr/bin/env bash
# README command 2: install what is missing, build, and run the whole
# test suite twice: a normal build, then under AddressSanitizer and
# UndefinedBehaviorSanitizer; in between the static analysis
# (scripts/lint.sh), and at the end the two-thread writer under
# ThreadSanitizer (ctest label tsan).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
jobs=$(nproc)

echo "== build (RelWithDebInfo) =="
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDP_TESTS=ON >/dev/null
cmake --build build -j "$jobs" >/dev/null
(cd build && ctest --output-on-failure -j "$jobs")

echo "== static analysis (cppcheck, clang-tidy) =="
scripts/lint.sh build

echo "== build with ASan + UBSan =="
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDP_SANITIZE=ON -DDP_TESTS=ON >/dev/null
cmake --build build-asan -j "$jobs" >/dev/null
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j "$jobs" -LE package)

echo "== ThreadSanitizer: the samples through the two-thread writer =="
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDP_TSAN=ON -DDP_TESTS=ON >/dev/null
cmake --build build-tsan -j "$jobs" --target test_threads >/dev/null
(cd build-tsan && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -L tsan)
