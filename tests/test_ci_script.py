"""test.sh and .ci/run: skips are reported, and in CI the browser tests must run. The scripts run for real (bash)
in a scratch copy whose .venv/bin/python, apt-get and chromium are stand-ins that record what they were asked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FAKE_PYTHON = """#!/bin/bash
if [[ "$*" == *requirements-dev.lock* && "${FAIL_PIP_BROWSER:-0}" == 1 ]]; then exit 1; fi
if [[ "$2" == pytest ]]; then echo "PYTEST $* REQUIRE=${PUFA_REQUIRE_BROWSER:-unset}"; fi
exit 0
"""
FAKE_ROOT = "#!/bin/bash\necho 0\n"  # `id -u`: CI runs as root
FAKE_APT = """#!/bin/bash
echo "apt-get $*" >&2
if [[ "${APT_OK:-0}" != 1 ]]; then exit 100; fi
if [[ "$1" == install ]]; then /bin/ln -sf /bin/true "$(dirname "$0")/chromium"; fi
"""


@pytest.fixture
def scratch(tmp_path):
    """A copy of the two scripts with stand-ins; run(script, **env) -> (exit code, output)."""
    repo, bin_dir = tmp_path / "repo", tmp_path / "bin"
    (repo / ".ci").mkdir(parents=True)
    (repo / ".venv" / "bin").mkdir(parents=True)
    bin_dir.mkdir()
    for name in ("test.sh", ".ci/run", "requirements-browser.txt"):
        shutil.copy2(ROOT / name, repo / name)
    stand_ins = {repo / ".venv/bin/python": FAKE_PYTHON, bin_dir / "apt-get": FAKE_APT, bin_dir / "id": FAKE_ROOT}
    for path, text in stand_ins.items():
        path.write_text(text)
        path.chmod(0o755)
    for tool in ("bash", "dirname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    (bin_dir / "python3").symlink_to(sys.executable)  # the version check

    def run(script: str, **env) -> tuple[int, str]:
        out = subprocess.run(
            ["/bin/bash", script],
            cwd=repo,
            env={"PATH": str(bin_dir), "HOME": str(tmp_path), **env},  # no chromium on this PATH
            capture_output=True,
            text=True,
            timeout=30,
        )
        return out.returncode, out.stdout + out.stderr

    return run


def test_pytest_reports_skip_reasons(scratch):
    code, out = scratch("./test.sh")
    assert code == 0 and "PYTEST -m pytest -q -rs REQUIRE=unset" in out


def test_outside_ci_a_failed_chromium_install_only_warns(scratch):
    code, out = scratch("./test.sh")
    assert code == 0 and "未能安装 chromium" in out and "PYTEST" in out


@pytest.mark.parametrize("env", [{}, {"FAIL_PIP_BROWSER": "1", "APT_OK": "1"}], ids=["apt-fails", "pip-fails"])
def test_in_ci_a_failed_browser_install_fails_the_run(scratch, env):
    code, out = scratch("./.ci/run", **env)
    assert code != 0 and "PYTEST" not in out


def test_in_ci_the_browser_tests_are_required(scratch):
    code, out = scratch("./.ci/run", APT_OK="1")
    assert code == 0 and "PYTEST -m pytest -q -rs REQUIRE=1" in out


def _browser_tests(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "tests/test_console_browser.py"],
        cwd=ROOT,
        env={**os.environ, "CHROMIUM_PATH": "/nonexistent/chromium", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_a_browser_the_tests_skip_with_the_reason():
    out = _browser_tests(PUFA_REQUIRE_BROWSER="0")
    assert out.returncode == 0
    assert "SKIPPED" in out.stdout and "没有 chromium（/nonexistent/chromium）" in out.stdout


def test_when_required_a_missing_browser_fails_instead_of_skipping():
    out = _browser_tests(PUFA_REQUIRE_BROWSER="1")
    assert out.returncode != 0
    assert "skipped" not in out.stdout and "PUFA_REQUIRE_BROWSER=1 但 没有 chromium" in out.stdout
