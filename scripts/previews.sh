#!/usr/bin/env bash
# Renders samples/showcase.xml in every installed style and keeps one
# small PNG per style (the first article page, 60 dpi) in
# samples/previews/, so users can see what each style looks like.
# Needs a build (scripts/demo.sh) and poppler-utils.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p samples/previews
for style in styles/*.style; do
  name=$(basename "${style%.style}")
  build/digestpdf build samples/showcase.xml -o "$out/$name.pdf" --style "$style"
  # the first page after the front matter (labelled 1)
  page=$(pdfinfo "$out/$name.pdf" | awk '/^Pages:/ {print $2}')
  first=1
  for p in $(seq 1 "$page"); do
    if pdftotext -f "$p" -l "$p" "$out/$name.pdf" - | grep -Eq "^1 ?/ ?[0-9]+$"; then first=$p; break; fi
  done
  pdftoppm -r 60 -png -f "$first" -l "$first" -singlefile "$out/$name.pdf" "samples/previews/$name"
  echo "previews: samples/previews/$name.png (page $first)"
done
