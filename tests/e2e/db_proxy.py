#!/usr/bin/env python3
"""A tiny TCP proxy used by the e2e suite to simulate a database outage.

The test site's wp-config points the Rust extension at PQM_DB_HOST
127.0.0.1:3307; this proxy forwards that port to MariaDB on 3306.  Stopping
it (which also drops every established connection, so pooled connections in
php-fpm workers die too) is a DB outage; starting it again is the recovery.

Usage:
    db_proxy.py start  --listen 127.0.0.1:3307 --target 127.0.0.1:3306 --pidfile /tmp/pqm-db-proxy.pid
    db_proxy.py stop   --pidfile /tmp/pqm-db-proxy.pid
    db_proxy.py status --pidfile /tmp/pqm-db-proxy.pid
    db_proxy.py freeze --pidfile ...   stop moving bytes, keep every connection open
                                       (a hung database: only timeouts end a request)
    db_proxy.py thaw   --pidfile ...   move bytes again
    db_proxy.py run    --listen ... --target ...      (foreground, for debugging)

`start --frozen` starts already frozen (a "black hole": connections are
accepted, nothing ever answers).

Exit codes: 0 ok / running, 1 error, 3 "status": not running.
Only the Python standard library is used, so scripts/ can call it without the
test venv.
"""
from __future__ import annotations

import argparse
import asyncio
import errno
import os
import signal
import socket
import sys
import time

DEFAULT_PIDFILE = "/tmp/pqm-db-proxy.pid"


def parse_hostport(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}")
    return host.strip("[]"), int(port)


# --------------------------------------------------------------------------
# The proxy itself
# --------------------------------------------------------------------------

async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, flowing: asyncio.Event) -> None:
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            await flowing.wait()
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError, asyncio.CancelledError):
        pass
    finally:
        try:
            if writer.can_write_eof():
                writer.write_eof()
        except (OSError, RuntimeError):
            pass


async def _serve(listen: tuple[str, int], target: tuple[str, int], frozen: bool = False) -> None:
    conns: set[asyncio.StreamWriter] = set()
    flowing = asyncio.Event()
    if not frozen:
        flowing.set()

    async def handle(c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        conns.add(c_writer)
        s_writer = None
        try:
            await flowing.wait()  # frozen: hold the client, answer nothing
            try:
                s_reader, s_writer = await asyncio.wait_for(
                    asyncio.open_connection(*target), timeout=5)
            except (OSError, asyncio.TimeoutError):
                return
            conns.add(s_writer)
            t1 = asyncio.ensure_future(_pipe(c_reader, s_writer, flowing))
            t2 = asyncio.ensure_future(_pipe(s_reader, c_writer, flowing))
            # When either side closes, tear the whole connection down.
            done, pending = await asyncio.wait({t1, t2}, return_when=asyncio.FIRST_COMPLETED)
            # give the other direction a moment to flush a final packet
            if pending:
                await asyncio.wait(pending, timeout=1)
            for t in pending:
                t.cancel()
        finally:
            for w in (c_writer, s_writer):
                if w is not None:
                    conns.discard(w)
                    _abort(w)

    server = await asyncio.start_server(handle, listen[0], listen[1], reuse_address=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, flowing.clear)  # freeze
    loop.add_signal_handler(signal.SIGUSR2, flowing.set)    # thaw
    async with server:
        await stop.wait()
        server.close()
        # Drop every established connection hard (RST), like a dead DB host.
        for w in list(conns):
            _abort(w)
        await asyncio.sleep(0)


def _abort(writer: asyncio.StreamWriter) -> None:
    try:
        sock = writer.get_extra_info("socket")
        if sock is not None:
            # SO_LINGER 0 => close sends RST instead of FIN
            import struct
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
    except Exception:  # noqa: BLE001 - best effort teardown
        pass


def run_foreground(listen: tuple[str, int], target: tuple[str, int], frozen: bool = False) -> None:
    asyncio.run(_serve(listen, target, frozen))


# --------------------------------------------------------------------------
# Daemon management
# --------------------------------------------------------------------------

def _read_pid(pidfile: str) -> int | None:
    try:
        with open(pidfile) as fh:
            return int(fh.read().strip() or "0") or None
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as e:
        return e.errno == errno.EPERM
    # a zombie child of ours still answers kill(0); reap if possible
    try:
        wpid, _ = os.waitpid(pid, os.WNOHANG)
        if wpid == pid:
            return False
    except ChildProcessError:
        pass
    try:
        with open(f"/proc/{pid}/stat") as fh:
            if fh.read().split(") ", 1)[1].startswith("Z"):
                return False
    except OSError:
        pass
    return True


def _listening(hostport: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(hostport, timeout=0.5):
            return True
    except OSError:
        return False


def cmd_start(args: argparse.Namespace) -> int:
    pid = _read_pid(args.pidfile)
    if pid and _alive(pid):
        if _listening(args.listen):
            print(f"already running (pid {pid})")
            return 0
    r, w = os.pipe()
    child = os.fork()
    if child == 0:  # first child
        os.close(r)
        os.setsid()
        grandchild = os.fork()
        if grandchild:
            os._exit(0)
        # daemon
        try:
            # bind before reporting, so "start" returning means "listening"
            devnull = os.open(os.devnull, os.O_RDWR)
            logfd = os.open(args.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644) if args.log else devnull
            os.dup2(devnull, 0)
            os.dup2(logfd, 1)
            os.dup2(logfd, 2)
            # Hold none of the caller's descriptors (pipes of a `$(...)`, a
            # flock a setup script keeps on fd 9, ...).
            try:
                maxfd = os.sysconf("SC_OPEN_MAX")
            except (OSError, ValueError):
                maxfd = 1024
            os.closerange(3, w)
            os.closerange(w + 1, max(maxfd, w + 2))
            os.chdir("/")
            with open(args.pidfile + ".tmp", "w") as fh:
                fh.write(str(os.getpid()))
            os.replace(args.pidfile + ".tmp", args.pidfile)
            os.write(w, b"ok")
            os.close(w)
            run_foreground(args.listen, args.target, args.frozen)
        except BaseException as e:  # noqa: BLE001
            try:
                os.write(w, f"error: {e}".encode())
            except OSError:
                pass
            os._exit(1)
        finally:
            try:
                if _read_pid(args.pidfile) == os.getpid():
                    os.unlink(args.pidfile)
            except OSError:
                pass
        os._exit(0)
    os.close(w)
    os.waitpid(child, 0)
    msg = b""
    while True:
        chunk = os.read(r, 4096)
        if not chunk:
            break
        msg += chunk
    os.close(r)
    if not msg.startswith(b"ok"):
        print(f"proxy failed to start: {msg.decode(errors='replace')}", file=sys.stderr)
        return 1
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if _listening(args.listen):
            print(f"started (pid {_read_pid(args.pidfile)}) {args.listen[0]}:{args.listen[1]} -> "
                  f"{args.target[0]}:{args.target[1]}")
            return 0
        pid = _read_pid(args.pidfile)
        if pid is None or not _alive(pid):
            print("proxy exited during start-up (port in use?)", file=sys.stderr)
            return 1
        time.sleep(0.05)
    print("proxy did not start listening in time", file=sys.stderr)
    return 1


def cmd_stop(args: argparse.Namespace) -> int:
    pid = _read_pid(args.pidfile)
    if not pid or not _alive(pid):
        try:
            os.unlink(args.pidfile)
        except OSError:
            pass
        print("not running")
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)  # kernel closes (RSTs) all its sockets
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
    try:
        if _read_pid(args.pidfile) == pid:
            os.unlink(args.pidfile)
    except OSError:
        pass
    if _alive(pid):
        print(f"could not stop pid {pid}", file=sys.stderr)
        return 1
    print(f"stopped (pid {pid})")
    return 0


def _signal_cmd(args: argparse.Namespace, sig: int, what: str) -> int:
    pid = _read_pid(args.pidfile)
    if not pid or not _alive(pid):
        print("not running", file=sys.stderr)
        return 1
    os.kill(pid, sig)
    time.sleep(0.1)  # let the event loop run the handler
    print(f"{what} (pid {pid})")
    return 0


def cmd_freeze(args: argparse.Namespace) -> int:
    return _signal_cmd(args, signal.SIGUSR1, "frozen")


def cmd_thaw(args: argparse.Namespace) -> int:
    return _signal_cmd(args, signal.SIGUSR2, "thawed")


def cmd_status(args: argparse.Namespace) -> int:
    pid = _read_pid(args.pidfile)
    if pid and _alive(pid):
        extra = ""
        if args.listen:
            extra = " listening" if _listening(args.listen) else " NOT listening"
        print(f"running (pid {pid}){extra}")
        return 0
    print("not running")
    return 3


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["start", "stop", "status", "freeze", "thaw", "run"])
    p.add_argument("--listen", type=parse_hostport, default=None, help="HOST:PORT to listen on")
    p.add_argument("--target", type=parse_hostport, default=None, help="HOST:PORT to forward to")
    p.add_argument("--pidfile", default=DEFAULT_PIDFILE)
    p.add_argument("--log", default=None, help="file for the daemon's stderr (default: discard)")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for start/stop")
    p.add_argument("--frozen", action="store_true", help="start frozen (accept, never answer)")
    args = p.parse_args(argv)
    args.pidfile = os.path.abspath(args.pidfile)  # the daemon chdirs to /
    if args.log:
        args.log = os.path.abspath(args.log)
    if args.command in ("start", "run"):
        if args.listen is None or args.target is None:
            p.error(f"{args.command} needs --listen and --target")
    if args.command == "run":
        run_foreground(args.listen, args.target, args.frozen)
        return 0
    return {"start": cmd_start, "stop": cmd_stop, "status": cmd_status,
            "freeze": cmd_freeze, "thaw": cmd_thaw}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
