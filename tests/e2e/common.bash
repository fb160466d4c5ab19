# What every end-to-end script starts with; sourced after
# `set -euo pipefail`, with the program as $1 and the source tree as $2.
# (Not *.sh: the scripts that run as tests are those.)
bin=$1
root=$2
# a folder of the script's own, gone when it exits
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# run CMD...: sets rc without tripping set -e
run() { set +e; "$@"; rc=$?; set -e; }
# text without white space (pdftotext puts breaks where lines end)
squash() { tr -d ' \t\n\r\f\v' | sed 's/　//g'; }
