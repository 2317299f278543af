"""The key file beside the database (.secret_key, used when SECRET_KEY is not set): read it, create it once, and stop
the start loudly when it cannot be read or holds no key (a new random key would change every pseudonym)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from settings import SecretKeyError, Settings
from tests.conftest import ROOT, TOKEN


def settings_for(tmp_path) -> Settings:
    return Settings(values={"DATABASE_PATH": str(tmp_path / "bot.db"), "WECHAT_TOKEN": TOKEN})


def test_key_is_created_once_and_kept(tmp_path):
    first = settings_for(tmp_path)
    key_file = tmp_path / ".secret_key"
    assert first.generated_secret and key_file.read_text().strip() == first.SECRET_KEY
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert settings_for(tmp_path).SECRET_KEY == first.SECRET_KEY
    assert not list(tmp_path.glob(".secret_key.*"))  # no temporary file left behind


def test_a_key_file_written_by_older_versions_is_read(tmp_path):
    (tmp_path / ".secret_key").write_text("ab" * 32)  # no newline, as the old code wrote it
    assert settings_for(tmp_path).SECRET_KEY == "ab" * 32


@pytest.mark.parametrize("content", ["", "  \n", "not-a-key", "ab" * 31, "AB" * 32 + "x"])
def test_an_invalid_key_file_stops_the_start(tmp_path, content):
    (tmp_path / ".secret_key").write_text(content)
    with pytest.raises(SecretKeyError, match="密钥文件.*内容无效"):
        settings_for(tmp_path)
    assert (tmp_path / ".secret_key").read_text() == content  # never replaced


def test_an_unreadable_key_file_stops_the_start(tmp_path):
    (tmp_path / ".secret_key").mkdir()  # unreadable as a file, even for root
    with pytest.raises(SecretKeyError, match="无法读取密钥文件"):
        settings_for(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode (the directory case covers it)")
def test_a_key_file_without_read_permission_stops_the_start(tmp_path):
    key_file = tmp_path / ".secret_key"
    key_file.write_text("ab" * 32)
    key_file.chmod(0)
    with pytest.raises(SecretKeyError, match="无法读取密钥文件"):
        settings_for(tmp_path)


def test_a_binary_key_file_stops_the_start(tmp_path):
    (tmp_path / ".secret_key").write_bytes(b"\xff\xfe" * 32)
    with pytest.raises(SecretKeyError, match="无法读取密钥文件"):
        settings_for(tmp_path)


def test_an_explicit_secret_key_ignores_the_file(tmp_path):
    (tmp_path / ".secret_key").write_text("garbage")
    s = Settings(values={"DATABASE_PATH": str(tmp_path / "bot.db"), "SECRET_KEY": "set-by-the-operator"})
    assert s.SECRET_KEY == "set-by-the-operator" and not s.generated_secret


def test_serve_refuses_to_start_with_a_broken_key_file(tmp_path):
    (tmp_path / ".secret_key").write_text("truncated")
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DATABASE_PATH=str(tmp_path / "bot.db"), WECHAT_TOKEN=TOKEN)
    proc = subprocess.run(
        [sys.executable, "bot.py", "serve", "--port", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "密钥文件" in proc.stderr and "内容无效" in proc.stderr and "SECRET_KEY" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "bot.db").exists()  # stopped before touching the database
