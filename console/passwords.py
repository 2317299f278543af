"""Console account names and passwords: argon2id hashes (a slow, salted hash), shared by the web and the CLI."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

NAME_RE = re.compile(r"^[\w.@-]{2,32}$")  # \w includes Chinese characters
MIN_PASSWORD = 8
MAX_PASSWORD = 256

_hasher = PasswordHasher()
_dummy_hash: str | None = None


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (default cost: ~50 ms, 64 MiB)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; with no hash it still spends the time, so timing does not reveal names."""
    global _dummy_hash
    if not password_hash:
        if _dummy_hash is None:
            _dummy_hash = _hasher.hash("no such account")
        password_hash, password = _dummy_hash, password + "\x00"
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def name_problem(name: str) -> str | None:
    """Why `name` can't be an account name, in Chinese (None when it is fine)."""
    if not NAME_RE.match(name or ""):
        return "用户名为 2–32 个字符，只能用汉字、字母、数字和 . _ @ -"
    return None


def password_problem(password: str, confirm: str | None = None) -> str | None:
    """Why `password` can't be used, in Chinese (None when it is fine)."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 位"
    if len(password) > MAX_PASSWORD:
        return f"密码不能超过 {MAX_PASSWORD} 位"
    if confirm is not None and password != confirm:
        return "两次输入的密码不一致"
    return None
