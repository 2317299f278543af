#!/usr/bin/env bash
# Run the whole test suite. Installs what it needs into .venv (and Debian's chromium for the browser tests,
# when run as root with apt-get available; without it those tests skip, and -rs prints why).
# CI (.ci/run) sets PUFA_REQUIRE_BROWSER=1: then the browser tests must run. A failed install stops the run here,
# and a browser still missing fails those tests instead of skipping them (tests/test_console_browser.py).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
REQUIRE_BROWSER=${PUFA_REQUIRE_BROWSER:-0}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本")'
if [[ ! -x .venv/bin/python ]]; then "$PY" -m venv .venv; fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt

install_chromium() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

if [[ -f requirements-browser.txt ]]; then
  if [[ $REQUIRE_BROWSER == 1 ]]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-browser.txt
  else
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-browser.txt \
      || echo "提示：未能安装 playwright，浏览器端到端测试将跳过。"
  fi
  if ! command -v chromium >/dev/null 2>&1 && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    if [[ $REQUIRE_BROWSER == 1 ]]; then
      install_chromium
    else
      (install_chromium) || echo "提示：未能安装 chromium，浏览器端到端测试将跳过。"
    fi
  fi
  if [[ $REQUIRE_BROWSER == 1 ]] && ! command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1; then
    echo "PUFA_REQUIRE_BROWSER=1，但没有 chromium（以 root 运行并有 apt-get 时会自动安装）。" >&2
    exit 1
  fi
fi
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest -q -rs "$@"
