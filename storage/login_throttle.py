"""Login throttling that slows an attacker without locking the real user out.

Every attempt (a password or a second-factor code) is counted *before* it is checked, under three keys:

- the account and the address together (someone guessing one account from one place),
- the address alone (one place trying many accounts),
- the account from addresses it has never signed in from (many places guessing one account).

A key allows a few attempts freely, then each further attempt must wait a growing delay (1 s, 2 s, 4 s, ... up to
15 minutes). A claim is one conditional UPSERT per key inside one `BEGIN IMMEDIATE` transaction, so concurrent
attempts cannot all pass a check made before any of them was counted. A success forgets the account-and-address
key and gives back the attempt it claimed on the others; failures are forgotten after a day of quiet.

The real user signing in from an address the account has used before is only counted under the first two keys,
so failures from other addresses never delay them. From a new address they share the third key with the attacker:
a delay, never a lock that anyone can renew.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True)
class Limit:
    free: int  # attempts allowed without waiting
    base: float = 1.0  # seconds to wait after the first attempt beyond `free`; doubles with each further one
    cap: float = 900.0  # the longest wait


PAIR = Limit(free=3)
ADDRESS = Limit(free=10)
ACCOUNT_ELSEWHERE = Limit(free=5)
FORGET_AFTER_SECONDS = 86400  # a key idle this long starts again from zero
KNOWN_ADDRESS_DAYS = 90  # an address the account signed in from within this many days is known-good


def _delay_sql(n: str, limit: Limit) -> str:
    """SQL for the wait after attempt number `n` (an SQL expression) under `limit`."""
    return (
        f"(CASE WHEN {n} <= {limit.free} THEN 0.0"
        f" ELSE min({limit.cap}, {limit.base} * (1 << min({n} - {limit.free} - 1, 30))) END)"
    )


def _claim_sql(limit: Limit) -> str:
    n = f"(CASE WHEN updated < :now - {FORGET_AFTER_SECONDS} THEN 1 ELSE failures + 1 END)"
    return (
        "INSERT INTO login_throttle (key, failures, until, updated)"
        f" VALUES (:key, 1, :now + {_delay_sql('1', limit)}, :now)"
        f" ON CONFLICT(key) DO UPDATE SET failures = {n}, until = :now + {_delay_sql(n, limit)}, updated = :now"
        " WHERE until <= :now RETURNING failures"
    )


def keys(account: str, address: str, known: bool) -> list[tuple[str, Limit]]:
    out = [(f"pair:{account}\n{address}", PAIR), (f"addr:{address}", ADDRESS)]
    if not known:
        out.append((f"acct:{account}", ACCOUNT_ELSEWHERE))
    return out


class LoginThrottle:
    def __init__(self, db: Database):
        self.db = db

    def known_address(self, account: str, address: str) -> bool:
        row = self.db.get().execute(
            "SELECT 1 FROM login_addresses WHERE account = ? AND address = ? AND last_success > ?",
            [account, address, time.time() - KNOWN_ADDRESS_DAYS * 86400],
        )
        return row.fetchone() is not None

    def claim(self, account: str, address: str) -> float:
        """Count one attempt; 0.0 when it may be checked now, else the seconds to wait (nothing is counted)."""
        now = time.time()
        claims = keys(account, address, self.known_address(account, address))
        conn = self.db.get().conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for key, limit in claims:
                if conn.execute(_claim_sql(limit), {"key": key, "now": now}).fetchone() is None:
                    until = conn.execute("SELECT until FROM login_throttle WHERE key = ?", [key]).fetchone()[0]
                    conn.execute("ROLLBACK")
                    return max(1.0, until - now)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return 0.0

    def succeeded(self, account: str, address: str) -> None:
        """Signed in: forget this account-and-address key, give back the attempt claimed on the others, and
        remember the address as known-good. (A right password awaiting its second factor is not a success yet.)"""
        now = time.time()
        refund = [key for key, _ in keys(account, address, self.known_address(account, address))[1:]]
        db = self.db.get()
        with db.atomic():
            db.execute("DELETE FROM login_throttle WHERE key = ?", [f"pair:{account}\n{address}"])
            for key in refund:
                db.execute("UPDATE login_throttle SET failures = max(failures - 1, 0) WHERE key = ?", [key])
            db.execute(
                "INSERT INTO login_addresses (account, address, last_success) VALUES (?, ?, ?)"
                " ON CONFLICT(account, address) DO UPDATE SET last_success = excluded.last_success",
                [account, address, now],
            )

    def failures(self, key: str) -> int:
        row = self.db.get().execute("SELECT failures FROM login_throttle WHERE key = ?", [key]).fetchone()
        return row[0] if row else 0
