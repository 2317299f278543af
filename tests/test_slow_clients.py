"""Slow clients cannot starve the webhook: `bot.py serve` alone (no proxy) reads whole requests in its event loop
(pufa.buffering) before a thread sees them. Also the HTTP framing that loop handles: keep-alive, pipelining, chunked
bodies, `Expect: 100-continue`, bodies and headers over the limits, requests that never finish (408)."""

from __future__ import annotations

import socket
import time
import urllib.parse

import pytest

from pufa.framing import Limits, scan
from tests.conftest import LiveServer
from tests.fake_wechat import new_msg_id
from tests.slow_clients import dripping, timed_answers

QUESTION = "包工头跑路了 工钱找谁要"


def connect(server: LiveServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def read_response(sock: socket.socket) -> bytes:
    """One HTTP response (by Content-Length) from `sock`."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def push_request(fake, xml: str, extra_headers: str = "", body: bytes | None = None) -> bytes:
    query, payload = fake.wire(xml)
    payload = payload if body is None else body
    target = "/wechat?" + urllib.parse.urlencode(query)
    head = f"POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n{extra_headers}"
    if "Transfer-Encoding" not in extra_headers:
        head += f"Content-Length: {len(payload)}\r\n"
    return head.encode() + b"\r\n" + payload


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("slow"), REQUEST_READ_TIMEOUT="6").start()
    yield live
    live.stop()


def test_fifty_slow_connections_do_not_starve_real_messages(server):
    fake = server.wechat()
    reference = fake.say(QUESTION)
    target = "/wechat?" + urllib.parse.urlencode(fake.signed_query())
    with dripping(lambda: connect(server), target) as slow:  # while all fifty are open and dripping
        latencies = timed_answers(lambda: fake.say(QUESTION), reference, seconds=5, pause=0.25)
    print(
        f"\n50 slow connections: {len(latencies)} real messages, max {max(latencies) * 1000:.0f} ms, "
        f"mean {sum(latencies) / len(latencies) * 1000:.0f} ms"
    )
    assert max(latencies) < 5.0 and len(latencies) >= 10
    # the server ends each of them after REQUEST_READ_TIMEOUT (6 s here), with 408
    answers = []
    for s in slow:
        s.settimeout(10)
        try:
            answers.append(read_response(s).split(b"\r\n")[0])
        except OSError:
            answers.append(b"")
        s.close()
    assert answers.count(b"HTTP/1.1 408 Request Timeout") == 50
    assert "Traceback" not in server.log()


def test_keep_alive_and_pipelined_requests(server):
    fake = server.wechat()
    reference = fake.say(QUESTION)
    with connect(server) as s:
        for _ in range(3):  # three requests, one connection
            s.sendall(push_request(fake, fake.text(QUESTION, msg_id=new_msg_id())))
            assert reference.encode() in read_response(s)
        # two requests in one packet, the second split across two sends
        second = push_request(fake, fake.text(QUESTION, msg_id=new_msg_id()))
        s.sendall(push_request(fake, fake.text(QUESTION, msg_id=new_msg_id())) + second[:40])
        assert reference.encode() in read_response(s)
        time.sleep(0.3)
        s.sendall(second[40:])
        assert reference.encode() in read_response(s)


def test_chunked_body(server):
    fake = server.wechat()
    query, body = fake.wire(fake.text(QUESTION, msg_id=new_msg_id()))
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i : i + 50]), body[i : i + 50]) for i in range(0, len(body), 50))
    with connect(server) as s:
        s.sendall(push_request(fake, "", "Transfer-Encoding: chunked\r\n", chunks[:30]))
        time.sleep(0.2)  # the rest later: nothing reaches a thread until the last chunk
        s.sendall(chunks[30:] + b"0\r\n\r\n")
        reply = read_response(s)
    assert reply.startswith(b"HTTP/1.1 200") and b"12309" in reply or "工" in reply.decode()


def test_expect_100_continue_is_answered_once(server):
    fake = server.wechat()
    request = push_request(fake, fake.text(QUESTION, msg_id=new_msg_id()), "Expect: 100-continue\r\n")
    head, _, body = request.partition(b"\r\n\r\n")
    with connect(server) as s:
        s.sendall(head + b"\r\n\r\n")
        assert s.recv(1024) == b"HTTP/1.1 100 Continue\r\n\r\n"
        s.sendall(body)
        reply = read_response(s)
    assert reply.startswith(b"HTTP/1.1 200") and b"100 Continue" not in reply


def test_a_body_over_the_limit_is_refused_before_it_is_read(server):
    fake = server.wechat()
    request = push_request(fake, fake.text("x"), body=b"x" * 10)
    request = request.replace(b"Content-Length: 10", b"Content-Length: 10000000")
    with connect(server) as s:
        s.sendall(request)
        assert read_response(s).startswith(b"HTTP/1.1 413")


def test_endless_headers_are_refused(server):
    with connect(server) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\n")
        try:
            for _ in range(80):
                s.sendall(b"X-Filler: " + b"a" * 1000 + b"\r\n")
        except OSError:
            pass
        assert read_response(s).startswith(b"HTTP/1.1 431")


def test_a_client_that_goes_away_mid_request_costs_nothing(server):
    for _ in range(20):
        with connect(server) as s:
            s.sendall(b"POST /wechat HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc")
    assert server.wechat().say("你好")
    assert "Traceback" not in server.log()


@pytest.mark.parametrize(
    "raw,expected",
    [
        (b"GET / HTTP/1.1\r\nHost: x\r\n", None),
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27),
        (b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nab", None),
        (b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET", 41),
        (b"POST / HTTP/1.1\r\nContent-Length: 999999\r\n\r\n", (413, "Content Too Large")),
        (b"POST /admin/faq/import HTTP/1.1\r\nContent-Length: 999999\r\n\r\n", None),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", None),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 60),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n", 68),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20000\r\n", (413, "Content Too Large")),
        (b"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 40),  # gunicorn refuses it in the thread
    ],
)
def test_scan(raw, expected):
    assert scan(bytearray(raw), Limits(body_bytes=65536)) == expected
