"""Encryption at rest for the personal data a person entrusts to staff (case registrations, messages for staff,
the OpenID kept for a reply): Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with a key from the setting
DATA_KEY, or derived from SECRET_KEY (HKDF-SHA256) when it is not set. A token that does not decrypt (a changed key,
a damaged row) reads as None rather than crashing the page that shows it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "f1:"  # marks a stored value as encrypted (and with which scheme)


def derive_key(secret: str) -> bytes:
    """A Fernet key derived from a secret string (SECRET_KEY), for one purpose only."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pufa-data-key", info=b"at-rest v1").derive(secret.encode())
    return base64.urlsafe_b64encode(raw)


class DataCipher:
    def __init__(self, data_key: str = "", secret_key: str = ""):
        key = data_key.encode() if data_key else derive_key(secret_key or "")
        self._fernet = Fernet(key)
        self._index_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pufa-blind-index", info=b"v1").derive(key)

    def encrypt(self, text: str | None) -> str | None:
        if text is None:
            return None
        return PREFIX + self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str | None) -> str | None:
        if not token or not token.startswith(PREFIX):
            return None
        try:
            return self._fernet.decrypt(token[len(PREFIX) :].encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError):
            return None

    def encrypt_json(self, value) -> str:
        return self.encrypt(json.dumps(value, ensure_ascii=False))

    def decrypt_json(self, token: str | None, default=None):
        text = self.decrypt(token)
        return default if text is None else json.loads(text)

    def blind_index(self, text: str) -> str:
        """A keyed hash of a value (a phone number) to find equal values without storing them readable."""
        return hmac.new(self._index_key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
