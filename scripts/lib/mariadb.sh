# shellcheck shell=bash
# MariaDB: root logs in through the unix socket with no password.

mysql_root() { mariadb -uroot --batch --skip-column-names "$@"; }

mariadb_up() { mysql_root -e 'select 1' >/dev/null 2>&1; }

setup_mariadb() {
    if mariadb_up; then
        ok "MariaDB is running"
        return 0
    fi
    if [[ ! -d /var/lib/mysql/mysql ]]; then
        log "initialising /var/lib/mysql"
        mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
    fi
    log "starting MariaDB"
    mkdir -p /run/mysqld
    chown mysql:mysql /run/mysqld
    start-stop-daemon --start --oknodo --background \
        --exec /usr/sbin/mariadbd -- --user=mysql
    wait_for "MariaDB" 60 mariadb_up
    ok "MariaDB started"
}

# sql_quote STRING: a single-quoted SQL string literal.
sql_quote() {
    local s=${1//\\/\\\\}
    printf "'%s'" "${s//\'/\'\'}"
}

# mysql_ensure_user USER PASSWORD: USER@localhost and USER@127.0.0.1.
mysql_ensure_user() {
    local user=$1 pass host
    pass=$(sql_quote "$2")
    for host in localhost 127.0.0.1; do
        mysql_root -e "CREATE USER IF NOT EXISTS '$user'@'$host' IDENTIFIED BY $pass;
                       ALTER USER '$user'@'$host' IDENTIFIED BY $pass;"
    done
}

# mysql_grant PRIVS ON_WHAT USER
mysql_grant() {
    local host
    for host in localhost 127.0.0.1; do
        mysql_root -e "GRANT $1 ON $2 TO '$3'@'$host';"
    done
}

# mysql_ensure_db NAME [fresh]
mysql_ensure_db() {
    local db=$1 fresh=${2:-}
    if [[ $fresh == fresh ]]; then
        log "dropping database $db"
        mysql_root -e "DROP DATABASE IF EXISTS \`$db\`;"
    fi
    mysql_root -e "CREATE DATABASE IF NOT EXISTS \`$db\`
                   CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
}

# The Rust integration tests create and drop databases named pqm_test_*.
PQM_TEST_MYSQL_USER="pqm_test"
PQM_TEST_MYSQL_PASSWORD="pqm_test"
PQM_TEST_MYSQL_URL_DEFAULT="mysql://pqm_test:pqm_test@127.0.0.1:3306/"

setup_test_db_user() {
    mysql_ensure_user "$PQM_TEST_MYSQL_USER" "$PQM_TEST_MYSQL_PASSWORD"
    # shellcheck disable=SC2016  # backticks are SQL quoting
    mysql_grant "ALL PRIVILEGES" '`pqm\_test\_%`.*' "$PQM_TEST_MYSQL_USER"
    ok "MariaDB user $PQM_TEST_MYSQL_USER (databases pqm_test_*)"
}
