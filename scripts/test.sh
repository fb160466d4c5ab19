#!/usr/bin/env bash
# README command 2: install what is missing, build, and run the whole
# test suite twice: a normal build, then under AddressSanitizer and
# UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
jobs=$(nproc)

echo "== build (RelWithDebInfo) =="
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDP_TESTS=ON >/dev/null
cmake --build build -j "$jobs" >/dev/null
(cd build && ctest --output-on-failure -j "$jobs")

echo "== build with ASan + UBSan =="
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDP_SANITIZE=ON -DDP_TESTS=ON >/dev/null
cmake --build build-asan -j "$jobs" >/dev/null
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j "$jobs" -LE package)
