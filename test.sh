#!/usr/bin/env bash
# Run the whole test suite. Installs what it needs into .venv (and Debian's chromium for the browser tests,
# when run as root with apt-get available; without it those tests skip with a clear message).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本")'
if [[ ! -x .venv/bin/python ]]; then "$PY" -m venv .venv; fi
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
if [[ -f requirements-browser.txt ]]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-browser.txt || true
  if ! command -v chromium >/dev/null 2>&1 && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "提示：未能安装 chromium，浏览器端到端测试将跳过。"
  fi
fi
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest -q "$@"
