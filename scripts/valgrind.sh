#!/usr/bin/env bash
# Memcheck: every unit test and whole builds of the samples under valgrind
# (--leak-check=full, leaks and errors fail), as the ctest label
# "memcheck" of a plain build configured with -DDP_VALGRIND=ON (no
# sanitizers: valgrind and ASan do not mix). test_batch is left to ASan:
# its forked workers leave holding the parent's memory by design.
#
#   scripts/valgrind.sh [BUILD_DIR]      (default: build-valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-valgrind}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDP_SANITIZE=OFF -DDP_TESTS=ON \
      -DDP_VALGRIND=ON >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
cd "$build"
ctest -L memcheck -j "$(nproc)" --output-on-failure
