"""A database outage shows a friendly message and recovers by itself.

The test site's wp-config points the extension at PQM_DB_HOST=127.0.0.1:3307,
a TCP proxy (tests/e2e/db_proxy.py) in front of MariaDB on 3306. Stopping the
proxy drops the workers' pooled connections and refuses new ones; starting it
again must bring the orders back without restarting php-fpm.

    PQM_DB_PROXY_PIDFILE  pidfile of the running proxy (default: the first of
                          $PQM_REPO/build/run/db-proxy.pid, /tmp/pqm-db-proxy.pid
                          that names a live process)
    PQM_DB_PROXY_LISTEN   default 127.0.0.1:3307
    PQM_DB_PROXY_TARGET   default 127.0.0.1:3306
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, Client

PROXY = Path(__file__).with_name("db_proxy.py")
LISTEN = os.environ.get("PQM_DB_PROXY_LISTEN", "127.0.0.1:3307")
TARGET = os.environ.get("PQM_DB_PROXY_TARGET", "127.0.0.1:3306")
PIDFILE_CANDIDATES = [p for p in [
    os.environ.get("PQM_DB_PROXY_PIDFILE"),
    str(REPO / "build" / "run" / "db-proxy.pid"),
    "/tmp/pqm-db-proxy.pid",
] if p]

RAW_ERROR_PATTERNS = [
    r"mysql", r"mariadb", r"SQLSTATE", r"\bRust\b", r"panic", r"Connection refused",
    r"Stack trace", r"backtrace", r"Fatal error", r"\bWarning:", r"\.rs:\d+", r"os error \d+",
    r"Exception", r"Can't connect", r"ECONNREFUSED", r"127\.0\.0\.1:\d+",
]


def _hostport(s):
    h, _, p = s.rpartition(":")
    return h, int(p)


def _listening() -> bool:
    try:
        with socket.create_connection(_hostport(LISTEN), timeout=0.5):
            return True
    except OSError:
        return False


def _pid_alive(pidfile: str) -> bool:
    try:
        pid = int(Path(pidfile).read_text().strip())
        os.kill(pid, 0)
        return True
    except (OSError, ValueError):
        return False


def _proxy(cmd: str, pidfile: str) -> None:
    out = subprocess.run([sys.executable, str(PROXY), cmd, "--listen", LISTEN, "--target", TARGET,
                          "--pidfile", pidfile], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, f"db_proxy.py {cmd} failed: {out.stdout}{out.stderr}"


@pytest.fixture
def proxy_pidfile():
    for p in PIDFILE_CANDIDATES:
        if _pid_alive(p):
            pidfile = p
            break
    else:
        if _listening():
            pytest.fail(f"something listens on {LISTEN} but no pidfile among {PIDFILE_CANDIDATES} "
                        "names it: set PQM_DB_PROXY_PIDFILE")
        # nobody runs the proxy (the site cannot work without it): run our own
        pidfile = PIDFILE_CANDIDATES[0]
        _proxy("start", pidfile)
    yield pidfile
    # Put the proxy back up whatever happened.
    if not _listening():
        _proxy("start", pidfile)


FPM_PID = Path(os.environ.get("PQM_FPM_PID", "/run/php/php8.2-fpm.pid"))
FPM_LOG = Path(os.environ.get("PQM_FPM_LOG", "/var/log/php8.2-fpm.log"))


def _fpm_master() -> str | None:
    try:
        return FPM_PID.read_text().strip()
    except OSError:
        return None


def _fpm_crashes() -> int | None:
    """Workers that died on a signal (segfault, abort) according to php-fpm's log."""
    try:
        return FPM_LOG.read_text(errors="replace").count("exited on signal")
    except OSError:
        return None


def _site_header(page):
    """The theme's site header (the first <header> outside the panel)."""
    for h in page.all("header"):
        if h.find_parent(class_="pqm-panel") is None:
            return h
    return None


def _looks_healthy(page) -> bool:
    return page.status == 200 and page.one(".pqm-error") is None and bool(page.order_refs())


def test_db_outage_friendly_message_and_recovery(proxy_pidfile):
    c = Client("alice")
    c.login()
    ok = c.panel()
    assert _looks_healthy(ok), f"before the outage: HTTP {ok.status}, refs {ok.order_refs()}"
    header_before = _site_header(ok)
    assert header_before is not None, "no <header> on the healthy panel page"
    header_text = header_before.get_text(" ", strip=True)
    baseline_refs = ok.order_refs()
    master_before, crashes_before = _fpm_master(), _fpm_crashes()

    try:
        _proxy("stop", proxy_pidfile)
        assert not _listening(), "proxy still listening after stop"

        # Several requests, so more than one php-fpm worker (each with its own
        # pool) is likely to see the outage.
        for i in range(3):
            t0 = time.monotonic()
            bad = c.panel()
            elapsed = time.monotonic() - t0
            where = f"outage request {i + 1}"
            assert bad.status == 200, f"{where}: HTTP {bad.status} (expected 200 with a friendly message)"
            assert elapsed < 10, f"{where}: took {elapsed:.1f}s — the Rust side needs a DB timeout"
            err = bad.one(".pqm-error")
            assert err is not None, f"{where}: no .pqm-error"
            assert err.get_text(" ", strip=True), f"{where}: .pqm-error is empty"
            hdr = _site_header(bad)
            assert hdr is not None and hdr.get_text(" ", strip=True) == header_text, (
                f"{where}: the site header is not rendered as usual")
            assert bad.order_refs() == [] and "PQ-10" not in bad.html
            for pat in RAW_ERROR_PATTERNS:
                m = re.search(pat, bad.html, re.IGNORECASE if pat.islower() else 0)
                assert not m, (f"{where}: raw error text {pat!r}: "
                               f"…{bad.html[max(0, m.start() - 100):m.end() + 100]!r}…")
        # a detail view fails just as politely
        d = c.panel(order="PQ-1005")
        assert d.status == 200 and d.one(".pqm-error") is not None, f"detail during outage: HTTP {d.status}"
    finally:
        _proxy("start", proxy_pidfile)

    assert _listening()
    deadline = time.monotonic() + 5
    attempts = []
    while True:
        page = c.panel()
        attempts.append(page.status)
        if _looks_healthy(page):
            break
        assert time.monotonic() < deadline, (
            f"orders did not come back within ~5 s after the DB returned (statuses {attempts}, "
            f".pqm-error={page.one('.pqm-error') is not None})")
        time.sleep(0.5)
    assert page.order_refs() == baseline_refs
    # and it stays up across workers
    for _ in range(4):
        assert _looks_healthy(c.panel()), "a later request after recovery failed"
    # no php-fpm restart, no crashed worker
    if master_before is not None:
        assert _fpm_master() == master_before, "php-fpm was restarted during the outage test"
    if crashes_before is not None:
        assert _fpm_crashes() == crashes_before, f"a php-fpm worker died on a signal (see {FPM_LOG})"


# A hung database (packets stop, connections stay open) is worse than a dead
# one: only the Rust side's timeouts end the request (PHP's
# max_execution_time does not count time spent waiting in Rust). The
# extension's defaults are a 3 s connect and a 10 s query timeout
# (src/config.rs); a request may make a couple of calls, so allow 20 s — far
# below nginx's 60 s fastcgi_read_timeout, which would show a raw 504.
HANG_BOUND_S = 20


def _assert_friendly_within(c, bound, where):
    t0 = time.monotonic()
    page = c.panel()
    elapsed = time.monotonic() - t0
    assert elapsed < bound, f"{where}: took {elapsed:.1f}s (bound {bound}s) — DB timeouts too long or missing"
    assert page.status == 200, f"{where}: HTTP {page.status}"
    assert page.one(".pqm-error") is not None, f"{where}: no .pqm-error"
    assert page.order_refs() == []
    for pat in RAW_ERROR_PATTERNS:
        m = re.search(pat, page.html, re.IGNORECASE if pat.islower() else 0)
        assert not m, f"{where}: raw error text {pat!r}"
    return elapsed


def _wait_healthy(c, seconds=5):
    deadline = time.monotonic() + seconds
    while True:
        page = c.panel()
        if _looks_healthy(page):
            return page
        assert time.monotonic() < deadline, f"orders did not come back within ~{seconds} s"
        time.sleep(0.5)


def test_db_hang_ends_in_friendly_message_and_recovers(proxy_pidfile):
    c = Client("alice")
    c.login()
    # Restart the proxy so the running one is this file's version (freeze/thaw).
    _proxy("stop", proxy_pidfile)
    _proxy("start", proxy_pidfile)
    ok = _wait_healthy(c)
    baseline = ok.order_refs()
    for _ in range(3):  # warm pooled connections in several workers
        assert _looks_healthy(c.panel())
    try:
        # 1. established connections stop answering mid-conversation
        _proxy("freeze", proxy_pidfile)
        for i in range(2):
            _assert_friendly_within(c, HANG_BOUND_S, f"frozen DB, request {i + 1}")
        _proxy("thaw", proxy_pidfile)
        assert _wait_healthy(c).order_refs() == baseline
        # 2. a black hole: connections are accepted, nothing ever answers
        _proxy("stop", proxy_pidfile)
        out = subprocess.run([sys.executable, str(PROXY), "start", "--frozen", "--listen", LISTEN,
                              "--target", TARGET, "--pidfile", proxy_pidfile],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        _assert_friendly_within(c, HANG_BOUND_S, "black-hole DB")
    finally:
        _proxy("stop", proxy_pidfile)
        _proxy("start", proxy_pidfile)
    assert _wait_healthy(c).order_refs() == baseline
