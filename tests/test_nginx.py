"""The shipped deployment: Debian's nginx running deploy/nginx.conf (only ports, certificate and log paths changed)
in front of `bot.py serve`, with WeChat's traffic over HTTPS, slow clients included; and deploy/pufa.service.

./test.sh installs nginx when it runs as root with apt-get (as in CI); there this test fails rather than skips
when nginx is missing."""

from __future__ import annotations

import configparser
import datetime
import http.client
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import ROOT, LiveServer, free_port
from tests.fake_wechat import FakeWeChat, HttpTransport, new_msg_id
from tests.slow_clients import dripping, timed_answers

QUESTION = "包工头跑路了 工钱找谁要"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
UNIT = ROOT / "deploy" / "pufa.service"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if found:
        return found
    if os.environ.get("CI") or os.geteuid() == 0:
        pytest.fail("nginx is not installed: ./test.sh installs it as root (apt-get install nginx)")
    pytest.skip("nginx is not installed (apt-get install nginx; ./test.sh does it when run as root)")


def self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bot.example.gov.cn")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    crt, pem = directory / "pufa.crt", directory / "pufa.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return crt, pem


def site_config(directory: Path, http_port: int, https_port: int, app_port: int) -> str:
    """deploy/nginx.conf with this machine's ports and paths; every replacement must match exactly as often as
    expected, so the test always runs the shipped file and notices when it changes shape."""
    crt, key = self_signed(directory)
    text = NGINX_CONF.read_text(encoding="utf-8")
    replacements = [
        ("listen 80;", f"listen 127.0.0.1:{http_port};", 1),
        ("listen [::]:80;", "", 1),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", 1),
        ("listen [::]:443 ssl http2;", "", 1),
        ("/etc/nginx/ssl/pufa.crt", str(crt), 1),
        ("/etc/nginx/ssl/pufa.key", str(key), 1),
        ("/var/log/nginx/pufa.access.log", str(directory / "access.log"), 2),
        ("/var/log/nginx/pufa.error.log", str(directory / "error.log"), 1),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};", 1),
    ]
    for old, new, count in replacements:
        assert text.count(old) == count, f"deploy/nginx.conf: expected {count} × {old!r}"
        text = text.replace(old, new)
    return text


class Nginx:
    def __init__(self, directory: Path, app_port: int):
        self.dir = directory
        self.http_port, self.https_port = free_port(), free_port()
        (directory / "pufa.conf").write_text(site_config(directory, self.http_port, self.https_port, app_port))
        temp = {name: directory / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        for path in temp.values():
            path.mkdir()
        user = "user root;\n" if os.geteuid() == 0 else ""
        (directory / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {directory}/nginx.pid;\nerror_log {directory}/main-error.log info;\n"
            "events { worker_connections 1024; }\n"
            "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            f"  client_body_temp_path {temp['body']};\n  proxy_temp_path {temp['proxy']};\n"
            f"  fastcgi_temp_path {temp['fastcgi']};\n  uwsgi_temp_path {temp['uwsgi']};\n"
            f"  scgi_temp_path {temp['scgi']};\n  access_log off;\n  include {directory}/pufa.conf;\n}}\n"
        )
        self.binary = nginx_binary()
        self.args = [
            self.binary,
            "-p",
            str(directory),
            "-c",
            str(directory / "nginx.conf"),
            "-e",
            str(directory / "main-error.log"),
        ]
        self.proc: subprocess.Popen | None = None

    def start(self) -> Nginx:
        check = subprocess.run([*self.args, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start: " + (self.dir / "main-error.log").read_text())

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def access_log(self) -> str:
        return (self.dir / "access.log").read_text(encoding="utf-8", errors="replace")


def tls_context() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class HttpsTransport(HttpTransport):
    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=tls_context())


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    app = LiveServer(tmp_path_factory.mktemp("app"), TRUSTED_PROXIES="1", HTTPS="1").start()
    nginx = None
    try:
        nginx = Nginx(tmp_path_factory.mktemp("nginx"), app.port).start()
        yield app, nginx
    finally:
        if nginx is not None:
            nginx.stop()
        app.stop()


def wechat_via(nginx: Nginx) -> FakeWeChat:
    from tests.conftest import TOKEN

    return FakeWeChat(HttpsTransport(f"https://127.0.0.1:{nginx.https_port}"), TOKEN)


def test_wechat_messages_and_retries_through_nginx(deployed):
    app, nginx = deployed
    fake = wechat_via(nginx)
    reference = fake.say(QUESTION)
    assert reference and "12309" in fake.say("你好")
    xml = fake.text(QUESTION, msg_id=new_msg_id())
    assert {fake.send(xml).content for _ in range(3)} == {reference}
    store = app.store()
    assert store.log.count_key("msg:" + xml.split("<MsgId>")[1].split("<")[0]) == 1
    store.close()


def test_fifty_slow_clients_through_nginx(deployed):
    app, nginx = deployed
    fake = wechat_via(nginx)
    reference = fake.say(QUESTION)
    target = "/wechat?" + urllib.parse.urlencode(fake.signed_query())
    ctx = tls_context()

    def connect() -> socket.socket:
        return ctx.wrap_socket(socket.create_connection(("127.0.0.1", nginx.https_port), timeout=10))

    with dripping(connect, target) as slow:
        try:
            latencies = timed_answers(lambda: fake.say(QUESTION), reference, seconds=4, pause=0.2)
        finally:
            for s in slow:
                s.close()
    print(f"\nnginx, 50 slow TLS connections: {len(latencies)} real messages, max {max(latencies) * 1000:.0f} ms")
    assert max(latencies) < 5.0 and len(latencies) >= 8
    assert "Traceback" not in app.log()


def test_nginx_refuses_big_bodies_and_unknown_paths(deployed):
    _, nginx = deployed
    fake = wechat_via(nginx)
    query, _ = fake.wire(fake.text("x"))
    status, _ = fake.transport.post(query, b"<xml>" + b"a" * 70_000 + b"</xml>")
    assert status == 413
    status, _ = fake.transport.request("GET", "/etc/passwd")
    assert status == 404
    status, body = fake.transport.request("GET", "/healthz")
    assert status == 200 and b'"ok"' in body
    status, _ = fake.transport.request("GET", "/admin/")
    assert status in (302, 303)
    conn = http.client.HTTPConnection("127.0.0.1", nginx.http_port, timeout=5)
    conn.request("GET", "/wechat?x=1")
    resp = conn.getresponse()
    assert resp.status == 301 and resp.getheader("Location").startswith("https://")
    conn.close()


def test_access_log_has_no_openid_or_signature(deployed):
    _, nginx = deployed
    fake = wechat_via(nginx)
    fake.say("老板不给工资")
    time.sleep(0.2)
    log = nginx.access_log()
    assert "POST /wechat HTTP/1.1" in log
    assert fake.openid not in log and "openid=" not in log and "signature=" not in log


def test_console_sees_the_real_scheme_through_nginx(deployed):
    _, nginx = deployed
    conn = http.client.HTTPSConnection("127.0.0.1", nginx.https_port, timeout=5, context=tls_context())
    conn.request("GET", "/admin/login")
    resp = conn.getresponse()
    resp.read()
    cookie = resp.getheader("Set-Cookie") or ""
    conn.close()
    assert resp.status == 200
    assert "Secure" in cookie or not cookie  # HTTPS=1 behind the proxy: cookies only over TLS


# the systemd unit


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read(UNIT, encoding="utf-8")
    return parser


def test_systemd_unit_runs_the_server_behind_nginx():
    u = unit()
    service = u["Service"]
    command = shlex.split(service["ExecStart"])
    assert command[:3] == ["/opt/pufa/.venv/bin/python", "bot.py", "serve"]
    args = dict(zip(command[3::2], command[4::2], strict=True))
    assert args == {"--host": "127.0.0.1", "--port": "8000"}
    assert re.search(r"server 127\.0\.0\.1:8000;", NGINX_CONF.read_text())  # nginx points at it
    assert service["Restart"] == "always" and service["User"] == "pufa"
    assert service["EnvironmentFile"] == "/etc/pufa/pufa.env"
    assert service["ReadWritePaths"] == "/var/lib/pufa" and service["StateDirectory"] == "pufa"
    assert int(service["TimeoutStopSec"]) > 10  # longer than gunicorn's graceful_timeout
    assert "StartLimitBurst" in u["Unit"] and u["Install"]["WantedBy"] == "multi-user.target"


def test_systemd_unit_command_is_accepted_by_the_cli():
    from click.testing import CliRunner

    from bot import cli

    command = shlex.split(unit()["Service"]["ExecStart"])
    result = CliRunner().invoke(cli, [*command[2:], "--help"])
    assert result.exit_code == 0 and "--port" in result.output


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_unit_verifies(tmp_path):
    unit_copy = tmp_path / "pufa.service"
    unit_copy.write_text(UNIT.read_text(encoding="utf-8").replace("/etc/pufa/pufa.env", "-/etc/pufa/pufa.env"))
    out = subprocess.run(["systemd-analyze", "verify", str(unit_copy)], capture_output=True, text=True)
    problems = [line for line in out.stderr.splitlines() if "pufa.service" in line and "/opt/pufa" not in line]
    assert not problems, out.stderr
