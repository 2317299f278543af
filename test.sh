#!/usr/bin/env bash
# Run the whole test suite. Installs what it needs into .venv from requirements-dev.lock (exact versions,
# sha256-checked, playwright included), and, when run as root with apt-get (as in CI), Debian's chromium for the
# browser tests and nginx for the deployment test (tests/test_nginx.py; without it, that test fails as root).
# CI (.ci/run) sets PUFA_REQUIRE_BROWSER=1: then the browser tests must run. A failed install stops the run here,
# and a browser still missing fails those tests instead of skipping them (tests/test_console_browser.py).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
REQUIRE_BROWSER=${PUFA_REQUIRE_BROWSER:-0}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本")'
# A venv cut short (an interrupted first run) has python but no pip: make it again.
if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then rm -rf .venv; "$PY" -m venv .venv; fi
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements-dev.lock
missing=()
command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
install_packages() {
  # RUNLEVEL=1: the package does not start its own nginx (the tests run theirs on free ports)
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq "${missing[@]}" >/dev/null
}
if (( ${#missing[@]} )) && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  if [[ $REQUIRE_BROWSER == 1 ]]; then
    install_packages
  else
    (install_packages) || echo "提示：未能安装 ${missing[*]}，相关测试将跳过或失败。"
  fi
fi
if [[ $REQUIRE_BROWSER == 1 ]] && ! command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1; then
  echo "PUFA_REQUIRE_BROWSER=1，但没有 chromium（以 root 运行并有 apt-get 时会自动安装）。" >&2
  exit 1
fi
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest -q -rs "$@"
