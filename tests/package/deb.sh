#!/usr/bin/env bash
# The Debian packages: dpkg-buildpackage builds digestpdf, libdigestpdf0 and
# libdigestpdf-dev from a copy of the source tree; lintian finds no error;
# the packages unpacked into a scratch root (dpkg -x) build every sample in
# every style with the installed program, and the example client builds
# against the unpacked -dev package through pkg-config.
set -euo pipefail
# the installed program must find its styles by itself
unset DIGESTPDF_STYLES XDG_CONFIG_HOME
src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# One version: debian/changelog must carry the one in digestpdf.h.
version=$(sed -n 's/^#define DP_VERSION_STRING "\(.*\)"/\1/p' "$src/include/digestpdf.h")
deb_version=$(sed -n '1s/^digestpdf (\([^)-]*\).*/\1/p' "$src/debian/changelog")
[ "$version" = "$deb_version" ] || fail "debian/changelog has $deb_version, digestpdf.h $version"

mkdir "$tmp/digestpdf-$version"
(cd "$src" && tar --exclude='./build*' --exclude=./out --exclude=./.git -cf - .) |
  (cd "$tmp/digestpdf-$version" && tar -xf -)
dpkg-checkbuilddeps "$tmp/digestpdf-$version/debian/control" || fail "build dependencies missing"
(cd "$tmp/digestpdf-$version" && DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b >"$tmp/build.log" 2>&1) ||
  { tail -30 "$tmp/build.log" >&2; fail "dpkg-buildpackage"; }
arch=$(dpkg --print-architecture)
for p in digestpdf libdigestpdf0 libdigestpdf-dev; do
  [ -f "$tmp/${p}_${version}_$arch.deb" ] || fail "no package $p"
done
lint=$(lintian --fail-on error --suppress-tags-from-file /dev/null "$tmp"/*.changes 2>&1) ||
  fail "lintian: $lint"
! grep -q "^E:" <<<"$lint" || fail "lintian errors: $lint"
echo "lintian: $(grep -c '^W:' <<<"$lint" || true) warnings, no errors"

depends=$(dpkg-deb -f "$tmp/digestpdf_${version}_$arch.deb" Depends)
grep -q "fonts-ipaexfont-mincho" <<<"$depends" || fail "digestpdf does not depend on its fonts: $depends"

root=$tmp/root
for p in digestpdf libdigestpdf0 libdigestpdf-dev; do
  dpkg -x "$tmp/${p}_${version}_$arch.deb" "$root"
done
prog=$root/usr/bin/digestpdf
listed=$(cd / && "$prog" styles)
grep -q "Styles in $root/usr/share/digestpdf/styles" <<<"$listed" || fail "styles: $listed"
for style in "$root"/usr/share/digestpdf/styles/*.style; do
  name=$(basename "$style" .style)
  for sample in "$src"/samples/*.xml "$src"/samples/*.txt; do
    [[ $sample == *.expected.txt ]] && continue
    out=$tmp/$name-$(basename "$sample").pdf
    (cd / && "$prog" build "$sample" -o "$out" --style "$name") 2>>"$tmp/samples.log" ||
      { cat "$tmp/samples.log" >&2; fail "$name: $sample"; }
    pdfinfo "$out" >/dev/null || fail "$name: $sample: not a PDF"
  done
done

libdir=$(dirname "$(find "$root/usr/lib" -name libdigestpdf.so.0 | head -1)")
export PKG_CONFIG_PATH=$libdir/pkgconfig
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror "$src/examples/minimal.c" $(pkg-config --cflags --libs digestpdf) \
   -o "$tmp/minimal" || fail "example against the -dev package"
LD_LIBRARY_PATH=$libdir "$tmp/minimal" "$src/samples/briefing-2026-02.xml" "$tmp/min.pdf" >/dev/null ||
  fail "example run"
echo "deb: ok ($(ls "$tmp"/*.deb | wc -l) packages)"
