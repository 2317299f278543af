"""The optional second factor: TOTP (RFC 6238: the six-digit codes of authenticator apps such as Google
Authenticator, Microsoft Authenticator or FreeOTP) through pyotp, enrolled with a QR code (segno) or the secret
typed in, plus one-time recovery codes for a lost phone.

A code is accepted for the current 30-second step and one step either side (clock drift), and each step only once:
the account remembers the last step used (storage.accounts.use_totp_step), so an overheard code cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno

ISSUER = "普法小助手"
STEP_SECONDS = 30
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without mistakes
_SIX_DIGITS = re.compile(r"^\d{6}$")


def new_secret() -> str:
    """A random 160-bit secret in base32 (what authenticator apps take)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """An SVG QR code as a data: URI (allowed by the console's CSP img-src; no file, no outside service)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def clean_code(text: str) -> str:
    return re.sub(r"[\s-]", "", text or "").lower()[:32]


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code `code` is (current, previous or next), or None."""
    code = clean_code(code)
    if not secret or not _SIX_DIGITS.match(code):
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes(n: int = RECOVERY_CODES) -> list[str]:
    """`n` codes like "k7mq-x2pd" (about 39 bits each), shown once, stored only as hashes."""
    out = []
    for _ in range(n):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(8))
        out.append(raw[:4] + "-" + raw[4:])
    return out


def recovery_hash(code: str) -> str:
    """Random codes need no slow hash: SHA-256 of the code without spaces or dashes."""
    return hashlib.sha256(clean_code(code).encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    cleaned = clean_code(code)
    return len(cleaned) == 8 and all(c in _RECOVERY_ALPHABET for c in cleaned)
