"""Deliveries being handled in this process right now, by message key.

A WeChat retry that lands in the same process while the first delivery is still being handled waits for it
rather than handling the message a second time. Across processes the stored reply decides (see
storage.replies): a delivery that loses the race there replies with the winner's text.
"""

from __future__ import annotations

import threading


class InFlight:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: dict[str, threading.Event] = {}

    def begin(self, key: str) -> threading.Event | None:
        """None when the caller is first for `key` (it must call `end`); else the event set when the first ends."""
        with self._lock:
            event = self._events.get(key)
            if event is None:
                self._events[key] = threading.Event()
            return event

    def end(self, key: str) -> None:
        with self._lock:
            event = self._events.pop(key, None)
        if event is not None:
            event.set()
