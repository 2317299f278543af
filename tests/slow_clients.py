"""Slow clients for the tests of the server and of nginx in front of it: connections that send a request a byte
every 2 s (half stuck in the headers, half in a 1000-byte body), and real messages timed while they are open."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def dripping(connect: Callable[[], socket.socket], target: str, n: int = 50) -> Iterator[list[socket.socket]]:
    """`n` open connections sending a POST to `target` a byte every 2 s while the block runs; they stay open after."""
    slow: list[socket.socket] = []
    head = f"POST {target} HTTP/1.1\r\nHost: x\r\n"
    for i in range(n):
        s = connect()
        # odd: headers complete, then a body of 1000 bytes; even: slow headers
        s.sendall((head + "Content-Length: 1000\r\n\r\n<" if i % 2 else head + "X-Slow: ").encode())
        slow.append(s)
    stop = threading.Event()

    def drip() -> None:
        while not stop.wait(2.0):
            for s in slow:
                try:
                    s.send(b"a")
                except OSError:
                    pass

    dripper = threading.Thread(target=drip, daemon=True)
    dripper.start()
    try:
        yield slow
    finally:
        stop.set()
        dripper.join()


def timed_answers(say: Callable[[], str], reference: str, seconds: float, pause: float) -> list[float]:
    """Send a real message every `pause` s for `seconds`; each must get `reference`. The latencies, in seconds."""
    latencies = []
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        t = time.monotonic()
        assert say() == reference
        latencies.append(time.monotonic() - t)
        time.sleep(pause)
    return latencies
