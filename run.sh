#!/usr/bin/env bash
# Start the bot on the embedded default (SQLite file under ./data, shipped FAQ, no LLM needed).
# Installs what it needs into .venv on first run, from requirements.lock (exact versions, sha256-checked).
# Extra arguments go to `bot.py serve`.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本")'
# A venv cut short (an interrupted first run) has python but no pip: make it again.
if ! .venv/bin/python -m pip --version >/dev/null 2>&1; then rm -rf .venv; "$PY" -m venv .venv; fi
if ! .venv/bin/python -c 'import wechatpy, flask, rjieba, sqlite_utils, gunicorn' 2>/dev/null \
   || [[ requirements.lock -nt .venv/.installed ]]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
  touch .venv/.installed
fi
exec .venv/bin/python bot.py serve "$@"
