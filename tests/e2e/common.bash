# What every end-to-end script starts with; sourced after
# `set -euo pipefail`, with the program as $1 and the source tree as $2.
# (Not *.sh: the scripts that run as tests are those.)
bin=$1
root=$2
# a folder of the script's own, gone when it exits (the trap keeps its
# own copy of the name: a script that reuses t cannot make it remove
# something else)
e2e_dir=$(mktemp -d)
t=$e2e_dir
trap 'rm -rf "$e2e_dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# run CMD...: sets rc without tripping set -e
run() { set +e; "$@"; rc=$?; set -e; }
# text without white space (pdftotext puts breaks where lines end)
squash() { tr -d ' \t\n\r\f\v' | sed 's/　//g'; }
# build NAME INPUT [ARGS...]: sets rc and msg (the program's messages);
# the PDF is NAME.pdf in the script's folder
build() {
    local name=$1 input=$2
    shift 2
    set +e
    msg=$(timeout 120 "$bin" build "$input" -o "$e2e_dir/$name.pdf" "$@" 2>&1 >/dev/null)
    rc=$?
    set -e
}
