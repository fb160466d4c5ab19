#!/usr/bin/env bash
# End to end: `cmake --install` of this build into a scratch prefix, then
# the installed program run from elsewhere (styles found from its own
# location, user styles from XDG_CONFIG_HOME), the example client built
# against the installed library through pkg-config (shared and static)
# and through the CMake package, and the man pages read by man(1).
set -euo pipefail
# the installed program must find its styles by itself
unset DIGESTPDF_STYLES XDG_CONFIG_HOME
bin=$1
src=$(cd "$2" && pwd)
build=$(cd "$(dirname "$bin")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$tmp/usr
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/digestpdf include/digestpdf.h lib/libdigestpdf.so.0 lib/libdigestpdf.so \
         lib/libdigestpdf.a lib/pkgconfig/digestpdf.pc \
         lib/cmake/digestpdf/digestpdfConfig.cmake lib/cmake/digestpdf/digestpdfTargets.cmake \
         share/digestpdf/styles/default.style share/man/man1/digestpdf.1 \
         share/man/man5/digestpdf-style.5 share/man/man5/digest-xml.5 \
         share/bash-completion/completions/digestpdf; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done

# A versioned soname, and nothing exported but the public API.
dynamic=$(objdump -p "$prefix/lib/libdigestpdf.so.0")
grep -q "SONAME *libdigestpdf.so.0" <<<"$dynamic" || fail "soname"
extra=$(nm -D --defined-only "$prefix/lib/libdigestpdf.so.0" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^dp_' || true)
[ -z "$extra" ] || fail "symbols exported beyond the API: $extra"
exported=$(nm -D --defined-only "$prefix/lib/libdigestpdf.so.0")
# every function the header declares is exported, and marked so
declared=$(grep -oE '^(DP_EXTERN )?[a-z_ ]+\*? ?dp_[a-z_]+\(' "$prefix/include/digestpdf.h" |
           grep -oE 'dp_[a-z_]+\(' | tr -d '(' | sort -u)
for f in $declared; do
  grep -q " T $f$" <<<"$exported" || fail "$f is declared in digestpdf.h but not exported (DP_EXTERN?)"
done
[ "$(wc -w <<<"$declared")" -ge 15 ] || fail "found only $(wc -w <<<"$declared") declarations"

# The installed program, run from another folder, finds its own styles.
sample=$src/samples/briefing-2026-02.xml
(cd / && "$prefix/bin/digestpdf" styles) >"$tmp/styles.txt"
grep -q "Styles in $prefix/share/digestpdf/styles" "$tmp/styles.txt" || fail "styles folder: $(cat "$tmp/styles.txt")"
grep -q "^  compact " "$tmp/styles.txt" || fail "compact not listed"
(cd / && "$prefix/bin/digestpdf" build "$sample" -o "$tmp/compact.pdf" --style compact) ||
  fail "installed build --style compact"
[ -s "$tmp/compact.pdf" ] || fail "no PDF"

# A user's style in XDG_CONFIG_HOME is listed first and used by name.
mkdir -p "$tmp/config/digestpdf/styles"
printf '# digestpdf style: mine — a user style\nbody.size = 12pt\n' \
  >"$tmp/config/digestpdf/styles/mine.style"
listed=$(XDG_CONFIG_HOME=$tmp/config "$prefix/bin/digestpdf" styles)
grep -q "^  mine " <<<"$listed" || fail "user style not listed"
XDG_CONFIG_HOME=$tmp/config "$prefix/bin/digestpdf" build "$sample" -o "$tmp/mine.pdf" --style mine ||
  fail "user style not found by name"
set +e
msg=$("$prefix/bin/digestpdf" build "$sample" -o "$tmp/none.pdf" --style no-such-style 2>&1)
rc=$?
set -e
[ $rc -eq 1 ] || fail "unknown style: exit $rc"
grep -q "$prefix/share/digestpdf/styles" <<<"$msg" || fail "unknown style message: $msg"

# The example client through pkg-config: shared, then static.
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror "$src/examples/minimal.c" $(pkg-config --cflags --libs digestpdf) \
   -o "$tmp/minimal" || fail "pkg-config build"
LD_LIBRARY_PATH=$prefix/lib "$tmp/minimal" "$sample" "$tmp/min.pdf" >/dev/null || fail "minimal (shared)"
pdfinfo "$tmp/min.pdf" >/dev/null || fail "minimal wrote no valid PDF"
linked=$(LD_LIBRARY_PATH=$prefix/lib ldd "$tmp/minimal")
grep -q "$prefix/lib/libdigestpdf.so.0" <<<"$linked" || fail "minimal not linked to the installed library"
# shellcheck disable=SC2046
cc -std=c11 "$src/examples/minimal.c" $(pkg-config --cflags digestpdf) "$prefix/lib/libdigestpdf.a" \
   $(pkg-config --static --libs digestpdf | sed 's/-ldigestpdf//') -o "$tmp/minimal-static" ||
  fail "static build"
"$tmp/minimal-static" "$sample" "$tmp/min-static.pdf" >/dev/null || fail "minimal (static)"
cmp -s "$tmp/min.pdf" "$tmp/min-static.pdf" || fail "shared and static builds differ"

# The example client through the CMake package.
cmake -S "$src/examples" -B "$tmp/example" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null ||
  fail "find_package(digestpdf)"
cmake --build "$tmp/example" >/dev/null || fail "CMake package build"
LD_LIBRARY_PATH=$prefix/lib "$tmp/example/minimal" "$sample" "$tmp/min-cmake.pdf" >/dev/null ||
  fail "minimal (CMake package)"

# Man pages: man(1) reads them without a warning.
for page in man1/digestpdf.1 man5/digestpdf-style.5 man5/digest-xml.5; do
  warn=$(man --warnings -l "$prefix/share/man/$page" 2>&1 >/dev/null)
  [ -z "$warn" ] || fail "$page: $warn"
done
page=$(MANWIDTH=80 man -l "$prefix/share/man/man5/digestpdf-style.5" 2>/dev/null)
grep -q "body.size" <<<"$page" || fail "style page lacks the keys"

# Completion: a bash that loads it completes commands and style names.
out=$(PATH=$prefix/bin:$PATH bash -c '
  source "$1"
  COMP_WORDS=(digestpdf bu); COMP_CWORD=1; _digestpdf; echo "${COMPREPLY[*]}"
  COMP_WORDS=(digestpdf build x.xml --style com); COMP_CWORD=4; _digestpdf; echo "${COMPREPLY[*]}"
' _ "$prefix/share/bash-completion/completions/digestpdf")
grep -q "^build$" <<<"$(head -1 <<<"$out")" || fail "completion of commands: $out"
grep -q "compact" <<<"$(tail -1 <<<"$out")" || fail "completion of style names: $out"
echo "install: ok"
