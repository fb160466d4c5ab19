#!/usr/bin/env bash
# Installs the Debian packages digestpdf needs to build, test and run,
# only those that are missing (quick when everything is present).
set -euo pipefail

packages=(
  gcc make cmake pkg-config
  libhpdf-dev libharfbuzz-dev libfontconfig-dev libxml2-dev libdeflate-dev libpng-dev libcmocka-dev
  unicode-data
  fonts-ipaexfont-mincho fonts-ipaexfont-gothic fonts-dejavu-core
  fonts-liberation2 fonts-ipamj-mincho fonts-noto-cjk fonts-cantarell
  poppler-utils qpdf man-db python3
  debhelper lintian dpkg-dev fakeroot
  parallel
  cppcheck clang-tidy
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
