#!/usr/bin/env bash
# Golden tests of the stage dumps: each case in tests/golden/CASES is
# built with `digestpdf build INPUT --dump=KIND` and its text compared
# with tests/golden/NAME.KIND.
#
#   scripts/golden.sh [--bin PATH] [CASE...]            check (exit 1 on any difference)
#   scripts/golden.sh --update [--bin PATH] [CASE...]   write the expected files anew
#                                                       and print what changed, to review
#
# CASE is NAME.KIND (default: every case). The binary defaults to
# build/digestpdf. A case line reads: NAME KIND INPUT [STYLE], INPUT and
# STYLE relative to the repository.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/digestpdf
update=0
only=()
while (($#)); do
  case $1 in
    --update) update=1 ;;
    --bin) bin=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) only+=("$1") ;;
  esac
  shift
done
[ -x "$bin" ] || { echo "golden: no binary at $bin (build first, or --bin PATH)" >&2; exit 2; }
dir=$root/tests/golden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=0 ran=0 changed=0
while read -r name kind input style; do
  case $name in ''|'#'*) continue ;; esac
  case=$name.$kind
  if ((${#only[@]})); then
    keep=0
    for o in "${only[@]}"; do [ "$o" = "$case" ] && keep=1; done
    ((keep)) || continue
  fi
  ran=$((ran + 1))
  args=(build "$root/$input" --dump="$kind")
  [ -n "${style:-}" ] && args+=(--style "$root/$style")
  if ! "$bin" "${args[@]}" >"$tmp/out" 2>"$tmp/err"; then
    echo "FAIL $case: the build failed:" >&2
    cat "$tmp/err" >&2
    failed=$((failed + 1))
    continue
  fi
  want=$dir/$case
  if ((update)); then
    if [ ! -f "$want" ] || ! cmp -s "$want" "$tmp/out"; then
      old=$want
      [ -f "$want" ] || old=/dev/null
      diff -u --label "a/tests/golden/$case" --label "b/tests/golden/$case" \
        "$old" "$tmp/out" || true
      cp "$tmp/out" "$want"
      changed=$((changed + 1))
    fi
  elif [ ! -f "$want" ]; then
    echo "FAIL $case: no expected file (run scripts/golden.sh --update $case)" >&2
    failed=$((failed + 1))
  elif ! cmp -s "$want" "$tmp/out"; then
    echo "FAIL $case: the dump differs from tests/golden/$case:" >&2
    diff -u --label "expected" --label "got" "$want" "$tmp/out" | head -60 >&2 || true
    failed=$((failed + 1))
  fi
done <"$dir/CASES"

if ((ran == 0)); then
  echo "golden: no case matched ${only[*]:-}" >&2
  exit 2
fi
if ((update)); then
  echo "golden: $ran cases, $changed updated; review the diff above" >&2
fi
((failed == 0)) || { echo "golden: $failed of $ran cases failed" >&2; exit 1; }
