# shellcheck shell=bash
# The TCP proxy 127.0.0.1:3307 -> MariaDB 127.0.0.1:3306 that the test site's
# Rust extension connects through (PQM_DB_HOST). Tests stop it to simulate a
# database outage. The proxy itself is tests/e2e/db_proxy.py.

PQM_PROXY_SCRIPT="$PQM_REPO/tests/e2e/db_proxy.py"
# Machine-wide, like the port: whichever checkout started the proxy, the
# next test run finds and controls it.
PQM_PROXY_PIDFILE=/run/pqm-db-proxy.pid
PQM_PROXY_LISTEN="127.0.0.1:3307"
PQM_PROXY_TARGET="127.0.0.1:3306"

proxy_python() {
    if [[ -x $PQM_BUILD/venv/bin/python ]]; then echo "$PQM_BUILD/venv/bin/python"; else echo python3; fi
}

proxy_cmd() {
    "$(proxy_python)" "$PQM_PROXY_SCRIPT" "$1" \
        --listen "$PQM_PROXY_LISTEN" --target "$PQM_PROXY_TARGET" --pidfile "$PQM_PROXY_PIDFILE"
}

proxy_answers() { (exec 3<>"/dev/tcp/${PQM_PROXY_LISTEN%:*}/${PQM_PROXY_LISTEN#*:}") 2>/dev/null; }

start_db_proxy() {
    if [[ ! -f $PQM_PROXY_SCRIPT ]]; then
        warn "tests/e2e/db_proxy.py is missing: the test site's extension has no database (port 3307)"
        return 1
    fi
    mkdir -p "$PQM_RUN"
    if pid_alive "$PQM_PROXY_PIDFILE" && proxy_answers; then
        ok "db proxy already running on $PQM_PROXY_LISTEN"
        return 0
    fi
    proxy_cmd stop >/dev/null 2>&1 || true
    proxy_cmd start
    wait_for "db proxy on $PQM_PROXY_LISTEN" 15 proxy_answers
    ok "db proxy $PQM_PROXY_LISTEN -> $PQM_PROXY_TARGET"
}

stop_db_proxy() {
    if [[ -f $PQM_PROXY_SCRIPT ]]; then proxy_cmd stop || true; fi
}
