"""Console account names and passwords: argon2id hashes (a slow, salted hash), shared by the web and the CLI, and
the password rule: long enough, not common, not trivial, and every refusal says why in Chinese.

Following NIST SP 800-63B (§5.1.1.2): no composition rules (a long sentence is a good password), but passwords
from a list of common ones (console/data/common_passwords.txt), repeats, sequences, keyboard runs, dates, phone
numbers and the user's own name are refused.
"""

from __future__ import annotations

import re
import string
from datetime import date
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

NAME_RE = re.compile(r"^[\w.@-]{2,32}$")  # \w includes Chinese characters
MIN_PASSWORD = 8
MAX_PASSWORD = 256
COMMON_FILE = Path(__file__).resolve().parent / "data" / "common_passwords.txt"
# Rows of the keyboard and its diagonals (1qaz2wsx...), each read both ways by _is_run.
KEYBOARD = (
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
)
_AFFIX = re.compile(r"^[\d\W_]{1,4}|[\d\W_]{1,4}$")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_DATE = re.compile(r"(19|20)\d\d[-./]?(0[1-9]|1[0-2])[-./]?(0[1-9]|[12]\d|3[01])")

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


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_run(text: str) -> bool:
    """Each character one step from the last (12345678, abcdefgh, 87654321) or a stretch of a keyboard row."""
    if len(text) < 3:
        return False
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    if steps in ({1}, {-1}):
        return True
    return any(text in row or text in row[::-1] for row in KEYBOARD)


def _is_repeat(text: str) -> bool:
    """At most two different characters, or a short block said again and again (abcabcab, 12341234)."""
    if len(set(text)) <= 2:
        return True
    return any(text == (text[:n] * (len(text) // n + 1))[: len(text)] for n in range(1, 5) if len(text) >= 2 * n)


def _is_date(text: str) -> bool:
    m = _DATE.fullmatch(text)
    if not m:
        return False
    digits = re.sub(r"\D", "", text)
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return True


def _cores(lowered: str) -> list[str]:
    """The password, and what is left when a few digits or symbols around it are taken away (password123)."""
    out = [lowered]
    core = _AFFIX.sub("", lowered)
    if core != lowered and len(core) >= 4:
        out.append(core)
    return out


def strength_problem(password: str, name: str | None = None) -> str | None:
    """Why `password` is too easy to guess, in Chinese (None when it is fine)."""
    lowered = password.lower()
    squeezed = re.sub(r"\s+", "", lowered)
    if name and len(name) >= 2 and (name.lower() in lowered or name.lower()[::-1] in lowered):
        return "密码不能包含用户名"
    if not squeezed or _is_repeat(squeezed):
        return "密码不能是同一个字符或几个字符的重复（如 aaaaaaaa、12121212）"
    cores = _cores(squeezed)
    if any(_is_run(core) for core in cores):
        return "密码不能是连续的数字、字母或键盘上挨着的键（如 12345678、abcdefgh、qwertyui）"
    if _is_date(squeezed):
        return "密码不要用生日或日期，别人很容易猜到"
    if _MOBILE.fullmatch(squeezed):
        return "密码不要用手机号，别人很容易猜到"
    common = common_passwords()
    if any(core in common for core in cores) or squeezed.strip(string.punctuation) in common:
        return "这个密码太常见（在常用密码表里），很容易被猜到，请换一个"
    return None


def password_problem(password: str, confirm: str | None = None, name: str | None = None) -> str | None:
    """Why `password` can't be used for account `name`, in Chinese (None when it is fine)."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 位"
    if len(password) > MAX_PASSWORD:
        return f"密码不能超过 {MAX_PASSWORD} 位"
    if confirm is not None and password != confirm:
        return "两次输入的密码不一致"
    return strength_problem(password, name)
