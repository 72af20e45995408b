# shellcheck shell=bash
# Common helpers for the PQM shell scripts. Sourced, never executed.

# $(...) fails the way the command in it fails.
shopt -s inherit_errexit

# Repository root (scripts/lib/.. /..).
PQM_REPO="${PQM_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
PQM_BUILD="$PQM_REPO/build"
PQM_RUN="$PQM_BUILD/run"

# Fixed platform locations (Debian 12 packages).
PQM_PHP_VERSION="8.2"
PQM_WP_CORE="/usr/share/wordpress"
PQM_WP_CONTENT="/var/lib/wordpress/wp-content"
PQM_WP_ETC="/etc/wordpress"
PQM_LOG_DIR="/var/log/wordpress"
PQM_FPM_SOCK="/run/php/php${PQM_PHP_VERSION}-fpm.sock"
PQM_FPM_PID="/run/php/php${PQM_PHP_VERSION}-fpm.pid"

if [[ -t 1 ]]; then
    _pqm_bold=$'\e[1m' _pqm_red=$'\e[31m' _pqm_green=$'\e[32m' _pqm_yellow=$'\e[33m' _pqm_reset=$'\e[0m'
else
    _pqm_bold='' _pqm_red='' _pqm_green='' _pqm_yellow='' _pqm_reset=''
fi

log()  { printf '%s==>%s %s\n' "$_pqm_bold" "$_pqm_reset" "$*" >&2; }
ok()   { printf '%s ok%s %s\n' "$_pqm_green" "$_pqm_reset" "$*" >&2; }
warn() { printf '%swarning:%s %s\n' "$_pqm_yellow" "$_pqm_reset" "$*" >&2; }
die()  { printf '%serror:%s %s\n' "$_pqm_red" "$_pqm_reset" "$*" >&2; exit 1; }

have() { command -v "$1" >/dev/null 2>&1; }

require_root() {
    [[ $EUID -eq 0 ]] || die "this script installs packages and services: run it as root"
}

# install_file DEST [MODE] < content
# Writes stdin to DEST atomically (temp file + mv) and only when the content
# changed. Returns 0 either way; prints whether it changed.
install_file() {
    local dest=$1 mode=${2:-0644} tmp
    mkdir -p "$(dirname "$dest")"
    tmp=$(mktemp "$(dirname "$dest")/.pqm-tmp.XXXXXX")
    cat >"$tmp"
    chmod "$mode" "$tmp"
    if [[ -f $dest ]] && cmp -s "$tmp" "$dest"; then
        rm -f "$tmp"
    else
        mv -f "$tmp" "$dest"
        log "wrote $dest"
    fi
}

# wait_for DESCRIPTION SECONDS COMMAND...: retries COMMAND every 0.5 s.
wait_for() {
    local what=$1 secs=$2 i
    shift 2
    for ((i = 0; i < secs * 2; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.5
    done
    die "timed out after ${secs}s waiting for $what"
}

# pid_alive PIDFILE: true when the file names a running process.
pid_alive() {
    local pid
    [[ -s $1 ]] || return 1
    pid=$(<"$1")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# Serialise setups (scripts/demo and scripts/test may run at the same time).
# Machine-wide: every checkout installs into the same php/nginx/WordPress.
setup_lock() {
    exec 9>/run/lock/pqm-setup.lock
    flock 9
}

setup_unlock() {
    flock -u 9 2>/dev/null || true
}

# One run at a time on this machine (from any checkout) of whatever
# reinstalls the extension and the plugin that the shared sites use
# (scripts/test, scripts/bench).
hold_site_lock() {
    exec 8>/run/lock/pqm-test-site.lock
    if ! flock -n 8; then
        log "another run holds /run/lock/pqm-test-site.lock; waiting"
        flock 8
    fi
}
