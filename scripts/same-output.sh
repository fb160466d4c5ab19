#!/usr/bin/env bash
# Whether two digestpdf binaries give the same PDFs: every sample
# (samples/*.xml, and samples/*.txt but the *.expected.txt references)
# and every tests/data/valid/*.xml, in every style (styles/*.style),
# built by both with a fixed SOURCE_DATE_EPOCH and compared byte for
# byte, with their messages. For changes that must not change the output
# (a refactoring): run the binary of the commit before and the one after.
#
#   scripts/same-output.sh OLD_BINARY NEW_BINARY
#
# Prints each differing or failing build and the counts; exits 1 if any
# PDF differs or either binary fails where the other does not.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 OLD_BINARY NEW_BINARY" >&2; exit 2; }
old=$(realpath "$1"); new=$(realpath "$2")
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1767225600
same=0 differ=0 failed=0
for input in samples/*.xml samples/*.txt tests/data/valid/*.xml; do
    case $input in *.expected.txt) continue ;; esac # a reference, not a digest
    for style in styles/*.style; do
        name=$(basename "$input").$(basename "$style" .style)
        o=0 n=0
        "$old" build "$input" --style "$style" -o "$tmp/old.pdf" >/dev/null 2>"$tmp/old.err" || o=$?
        "$new" build "$input" --style "$style" -o "$tmp/new.pdf" >/dev/null 2>"$tmp/new.err" || n=$?
        if [ $o -ne $n ] || ! cmp -s "$tmp/old.err" "$tmp/new.err"; then
            echo "differs: $name (exit $o vs $n, or other messages)"
            differ=$((differ + 1))
        elif [ $o -ne 0 ]; then
            echo "fails in both: $name (exit $o)"
            failed=$((failed + 1))
        elif cmp -s "$tmp/old.pdf" "$tmp/new.pdf"; then
            same=$((same + 1))
        else
            echo "differs: $name"
            differ=$((differ + 1))
        fi
        rm -f "$tmp/old.pdf" "$tmp/new.pdf"
    done
done
echo "identical: $same, different: $differ, failing in both: $failed"
[ $differ -eq 0 ]
