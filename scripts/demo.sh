#!/usr/bin/env bash
# README command 1: install what is missing, build, and compile every
# sample digest in samples/ into out/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
# only the program: the test suite's settings in build/ stay as they are
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target digestpdf >/dev/null

mkdir -p out
status=0
for input in samples/*.xml samples/*.txt; do
  [ -f "$input" ] || continue
  case "$input" in *.expected.txt) continue ;; esac
  name=$(basename "${input%.*}")
  for style in styles/*.style; do
    sname=$(basename "${style%.style}")
    output="out/$name.pdf"
    [ "$sname" = default ] || output="out/$name-$sname.pdf"
    if build/digestpdf build "$input" -o "$output" --style "$style"; then
      echo "demo: $output ($(stat -c %s "$output") bytes)"
    else
      status=1
    fi
  done
done
exit $status
