# shellcheck shell=bash
# One WordPress site per host on the shared Debian WordPress install.
# Debian's wp-config.php loads /etc/wordpress/config-<HTTP_HOST without port>.php.

site_config_path()   { echo "$PQM_WP_ETC/config-$1.php"; }
site_salts_path()    { echo "$PQM_WP_ETC/pqm-salts-$1.php"; }
site_admin_pw_path() { echo "$PQM_WP_ETC/pqm-admin-password-$1"; }
site_log_path()      { echo "$PQM_LOG_DIR/pqm-$1.log"; }

# php_quote STRING: a single-quoted PHP string literal.
php_quote() {
    local s=${1//\\/\\\\}
    printf "'%s'" "${s//\'/\\\'}"
}

# Salts are generated once per host and kept, so logins survive a re-run.
ensure_site_salts() {
    local file
    file=$(site_salts_path "$1")
    [[ -s $file ]] && return 0
    log "generating WordPress salts for $1"
    # shellcheck disable=SC2016  # PHP code
    php -r '
        echo "<?php\n// WordPress keys and salts for this host, generated once by scripts/lib/site.sh.\n";
        foreach (["AUTH_KEY","SECURE_AUTH_KEY","LOGGED_IN_KEY","NONCE_KEY",
                  "AUTH_SALT","SECURE_AUTH_SALT","LOGGED_IN_SALT","NONCE_SALT"] as $k) {
            printf("define(%s, %s);\n", var_export($k, true),
                   var_export(rtrim(strtr(base64_encode(random_bytes(48)), "+/", "-_"), "="), true));
        }' | install_file "$file" 0640
    chgrp www-data "$file"
}

# The admin password is random, generated once per host and kept (root only).
ensure_admin_password() {
    local file
    file=$(site_admin_pw_path "$1")
    if [[ ! -s $file ]]; then
        (umask 077 && php -r 'echo bin2hex(random_bytes(9)), "\n";' >"$file")
    fi
    head -n1 "$file"
}

# write_site_config HOST PORT DBNAME DBUSER DBPASS [EXTRA_PHP]
write_site_config() {
    local host=$1 port=$2 db=$3 user=$4 pass=$5 extra=${6:-} url logfile
    url="http://$host:$port"
    logfile=$(site_log_path "$host")
    {
        cat <<PHP
<?php
// WordPress site $url — written by scripts/lib/site.sh (scripts/demo, scripts/test).
// Regenerated on every run: edit the scripts, not this file.
define('DB_NAME', $(php_quote "$db"));
define('DB_USER', $(php_quote "$user"));
define('DB_PASSWORD', $(php_quote "$pass"));
define('DB_HOST', 'localhost');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
\$table_prefix = 'wp_';

define('WP_HOME', '$url');
define('WP_SITEURL', '$url');
define('WP_CONTENT_DIR', '$PQM_WP_CONTENT');
define('WP_CONTENT_URL', '$url/wp-content');

require __DIR__ . '/$(basename "$(site_salts_path "$host")")';

define('WP_DEBUG', false);
define('WP_DEBUG_DISPLAY', false);
define('WP_DEBUG_LOG', '$logfile');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
// Local sites: no calls to wordpress.org (no update checks, fast wp-admin).
define('WP_HTTP_BLOCK_EXTERNAL', true);
// error_log() of web requests lands in the same file even with WP_DEBUG off;
// command-line scripts keep printing to their terminal.
if (PHP_SAPI !== 'cli') {
    ini_set('log_errors', '1');
    ini_set('error_log', '$logfile');
}
PHP
        if [[ -n $extra ]]; then
            printf '\n// Site-specific settings.\n%s\n' "$extra"
        fi
    } | install_file "$(site_config_path "$host")" 0640
    chgrp www-data "$(site_config_path "$host")"
}

prepare_site_dirs() {
    local logfile
    logfile=$(site_log_path "$1")
    mkdir -p "$PQM_LOG_DIR" "$PQM_WP_CONTENT/uploads"
    touch "$logfile"
    chown www-data:www-data "$PQM_LOG_DIR" "$logfile"
    chmod 0664 "$logfile"
    chown -R www-data:www-data "$PQM_WP_CONTENT/uploads"
}

# run_site_install HOST PORT: wp_install, permalinks, theme, plugin, demo seed.
run_site_install() {
    local host=$1 port=$2
    PQM_ADMIN_PASSWORD=$(ensure_admin_password "$host") \
        php "$PQM_REPO/scripts/wp/install-site.php" "$host" "$port"
    # The seed ran as root: give uploads back to the web server.
    chown -R www-data:www-data "$PQM_WP_CONTENT/uploads"
    # File storage (PQM_FILES_DIR, outside the web root): php-fpm writes customer uploads there.
    if [[ -d /var/lib/pqm-client-panel ]]; then chown -R www-data:www-data /var/lib/pqm-client-panel; fi
}

# setup_site HOST PORT DBNAME DBUSER DBPASS [fresh|keep] [EXTRA_PHP]
setup_site() {
    local host=$1 port=$2 db=$3 user=$4 pass=$5 mode=${6:-keep} extra=${7:-}
    log "WordPress site http://$host:$port (database $db${mode:+, $mode})"
    mysql_ensure_db "$db" "$mode"
    mysql_ensure_user "$user" "$pass"
    mysql_grant "ALL PRIVILEGES" "\`$db\`.*" "$user"
    ensure_site_salts "$host"
    write_site_config "$host" "$port" "$db" "$user" "$pass" "$extra"
    prepare_site_dirs "$host"
    if [[ $mode == fresh ]]; then : >"$(site_log_path "$host")"; fi
    run_site_install "$host" "$port"
    ok "site http://$host:$port ready"
}
