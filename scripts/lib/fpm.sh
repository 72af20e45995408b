# shellcheck shell=bash
# php-fpm: Debian's default pool (www, socket /run/php/php8.2-fpm.sock).

fpm_bin() { echo "/usr/sbin/php-fpm$PQM_PHP_VERSION"; }

fpm_socket_up() { [[ -S $PQM_FPM_SOCK ]]; }

# fpm_restarted OLDPID: a live master other than OLDPID, listening.
fpm_restarted() {
    pid_alive "$PQM_FPM_PID" && [[ $(<"$PQM_FPM_PID") != "$1" ]] && fpm_socket_up
}

# Tweaks on top of Debian's www pool: graceful reloads, enough workers for the
# browser and e2e tests, worker output (Rust panics, error_log) kept in the
# fpm log.
write_fpm_pool_overrides() {
    install_file "/etc/php/$PQM_PHP_VERSION/fpm/pool.d/zz-pqm.conf" <<'CONF'
; PQM Client Panel: overrides for Debian's php-fpm (scripts/lib/fpm.sh)
[global]
; a reload (USR2) lets running requests finish first
process_control_timeout = 10s

[www]
pm = dynamic
pm.max_children = 8
pm.start_servers = 2
pm.min_spare_servers = 1
pm.max_spare_servers = 4
catch_workers_output = yes
decorate_workers_output = no
request_terminate_timeout = 120s
CONF
}

setup_fpm() {
    local pid
    mkdir -p /run/php
    write_fpm_pool_overrides
    "$(fpm_bin)" -t >/dev/null 2>&1 || "$(fpm_bin)" -t || die "php-fpm configuration is invalid"
    if pid_alive "$PQM_FPM_PID"; then
        pid=$(<"$PQM_FPM_PID")
        log "reloading php-fpm (pid $pid) to load the current pqm.so"
        kill -USR2 "$pid"
        # USR2 re-executes the master; daemonized, it comes back with a new
        # pid and rewrites the pid file.
        wait_for "php-fpm to restart" 30 fpm_restarted "$pid"
    else
        rm -f "$PQM_FPM_PID"
        log "starting php-fpm"
        # Not with the run's lock files open (fd 8 site lock, fd 9 setup
        # lock): the daemon would hold the site lock for as long as it runs
        # and every later scripts/test would wait for it forever.
        "$(fpm_bin)" --fpm-config "/etc/php/$PQM_PHP_VERSION/fpm/php-fpm.conf" 8>&- 9>&-
        wait_for "php-fpm socket $PQM_FPM_SOCK" 30 fpm_socket_up
    fi
    wait_for "php-fpm pid file" 10 pid_alive "$PQM_FPM_PID"
    ok "php-fpm running (pid $(<"$PQM_FPM_PID"))"
}
