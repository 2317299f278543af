#!/usr/bin/env bash
# Regenerate the lock files (exact versions and sha256 hashes of every package, dependencies included) from the
# loose requirements: requirements.lock for run.sh, requirements-dev.lock (tests, benchmarks, browser) for test.sh.
#   ./lock.sh                      keep the locked versions, add what the requirements files newly ask for
#   ./lock.sh --upgrade            newest versions the requirements files allow
#   ./lock.sh --upgrade-package flask
# Needs uv (pip install uv). Then run ./test.sh and commit the requirements*.txt and *.lock files together.
set -euo pipefail
cd "$(dirname "$0")"
UV=${UV:-uv}
compile() {  # output file, input files...
  local out=$1; shift
  local keep=()
  [[ -f $out && " $* " != *" --upgrade "* ]] && keep=(-c "$out.pins")
  [[ -f $out ]] && grep -E '^[A-Za-z0-9_.-]+==' "$out" | sed 's/ \\$//' > "$out.pins" || : > "$out.pins"
  "$UV" pip compile "$@" "${keep[@]}" --generate-hashes --universal --python-version 3.11 --annotation-style line \
    --custom-compile-command ./lock.sh -q -o "$out.new"
  sed -i 's/-c [^ ,]*\.pins, //; s/, -c [^ ,]*\.pins//; s/ *# via -c [^ ,]*\.pins$//' "$out.new"
  mv "$out.new" "$out"
  rm -f "$out.pins"
}
compile requirements.lock requirements.txt "$@"
compile requirements-dev.lock requirements-dev.txt requirements-browser.txt "$@"
