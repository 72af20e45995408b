"""Self-checks of the suite's own tools (no site needed)."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from test_privacy import normalise

PROXY = Path(__file__).with_name("db_proxy.py")
pytestmark = pytest.mark.offline


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EchoServer(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()

    @staticmethod
    def _echo(conn):
        with conn:
            while True:
                try:
                    data = conn.recv(4096)
                except OSError:
                    return
                if not data:
                    return
                conn.sendall(data)


def _run(*args):
    return subprocess.run([sys.executable, str(PROXY), *args], capture_output=True, text=True, timeout=30)


def test_db_proxy_start_forward_stop_drops_connections(tmp_path):
    echo = EchoServer()
    echo.start()
    listen = f"127.0.0.1:{_free_port()}"
    pidfile = str(tmp_path / "proxy.pid")
    common = ["--listen", listen, "--target", f"127.0.0.1:{echo.port}", "--pidfile", pidfile]
    try:
        r = _run("start", *common)
        assert r.returncode == 0, r.stderr
        assert _run("status", *common).returncode == 0
        host, port = listen.split(":")
        conn = socket.create_connection((host, int(port)), timeout=3)
        conn.sendall(b"ping")
        assert conn.recv(10) == b"ping"
        assert _run("stop", *common).returncode == 0
        # the established connection is gone too
        conn.settimeout(3)
        try:
            data = conn.recv(10)
            assert data == b"", "connection survived proxy stop"
        except (ConnectionResetError, OSError):
            pass
        conn.close()
        with pytest.raises(OSError):
            socket.create_connection((host, int(port)), timeout=1)
        assert _run("status", *common).returncode == 3
        assert not Path(pidfile).exists()
        # start again: serves again
        assert _run("start", *common).returncode == 0
        with socket.create_connection((host, int(port)), timeout=3) as c2:
            c2.sendall(b"again")
            assert c2.recv(10) == b"again"
        # start while running is a no-op
        assert _run("start", *common).returncode == 0
    finally:
        _run("stop", *common)
        echo.sock.close()


def test_normalise_removes_nonces_only():
    a = ('<a href="/wp-login.php?action=logout&amp;_wpnonce=0123abcd89">x</a>'
         '<input type="hidden" name="_wpnonce" value="a1b2c3d4e5">'
         '<script>var s={"nonce":"ff00ff00ff"};</script><p>PQ-1020 not found</p>')
    b = ('<a href="/wp-login.php?action=logout&amp;_wpnonce=99999abcde">x</a>'
         '<input type="hidden" name="_wpnonce" value="0000011111">'
         '<script>var s={"nonce":"1234567890"};</script><p>PQ-9999 not found</p>')
    assert normalise(a, ["PQ-1020"]) == normalise(b, ["PQ-9999"])
    c = b.replace("not found", "not yours")
    assert normalise(a, ["PQ-1020"]) != normalise(c, ["PQ-9999"])


def test_db_proxy_freeze_holds_bytes_until_thaw(tmp_path):
    echo = EchoServer()
    echo.start()
    listen = f"127.0.0.1:{_free_port()}"
    pidfile = str(tmp_path / "proxy.pid")
    common = ["--listen", listen, "--target", f"127.0.0.1:{echo.port}", "--pidfile", pidfile]
    host, port = listen.split(":")
    try:
        assert _run("start", *common).returncode == 0
        conn = socket.create_connection((host, int(port)), timeout=3)
        conn.sendall(b"a")
        assert conn.recv(10) == b"a"
        assert _run("freeze", *common).returncode == 0
        conn.sendall(b"b")
        conn.settimeout(0.7)
        with pytest.raises(socket.timeout):
            conn.recv(10)
        # a new connection is accepted but gets nothing either
        c2 = socket.create_connection((host, int(port)), timeout=3)
        c2.sendall(b"c")
        c2.settimeout(0.7)
        with pytest.raises(socket.timeout):
            c2.recv(10)
        assert _run("thaw", *common).returncode == 0
        conn.settimeout(3)
        c2.settimeout(3)
        assert conn.recv(10) == b"b"
        assert c2.recv(10) == b"c"
        conn.close()
        c2.close()
        # --frozen: a black hole from the start
        assert _run("stop", *common).returncode == 0
        assert _run("start", "--frozen", *common).returncode == 0
        c3 = socket.create_connection((host, int(port)), timeout=3)
        c3.sendall(b"d")
        c3.settimeout(0.7)
        with pytest.raises(socket.timeout):
            c3.recv(10)
        c3.close()
    finally:
        _run("stop", *common)
        echo.sock.close()
