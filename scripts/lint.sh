#!/usr/bin/env bash
# Static analysis: cppcheck over src/, then clang-tidy (.clang-tidy) with
# the build's compile_commands.json. Exits 1 on any finding.
#
#   scripts/lint.sh [BUILD_DIR]     (default: build; configured if missing)
#
# Suppressions: scripts/cppcheck-suppressions.txt, and NOLINT comments with
# a reason next to the line for clang-tidy.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -f "$build/compile_commands.json" ] || cmake -S . -B "$build" >/dev/null
# Generated sources (the grammar blob, the line-break table) must exist
# for clang-tidy to follow the includes.
cmake --build "$build" -j 2 --target digestpdf_core >/dev/null

status=0
echo "== cppcheck"
cppcheck --enable=warning,performance,portability --inline-suppr --std=c11 -q \
    -I include -I src --error-exitcode=1 \
    --suppressions-list=scripts/cppcheck-suppressions.txt src/ || status=1

echo "== clang-tidy"
# a few files per process, as many processes as cores: the whole of src/
# in a fraction of the time of one process
out=$(find src -name '*.c' ! -path '*/gen/*' | sort |
      xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet 2>/dev/null || true)
if printf '%s\n' "$out" | grep -q "warning:\|error:"; then
    printf '%s\n' "$out"
    status=1
fi
[ $status -eq 0 ] && echo "lint: clean"
exit $status
