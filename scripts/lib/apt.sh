# shellcheck shell=bash
# Debian packages. A warm machine (everything installed) runs no apt at all.

# Installed first: PHP (with php-fpm, so that the wordpress package does not
# pull in Apache), the extension's build dependencies, the servers.
PQM_APT_BASE=(
    php8.2-cli php8.2-dev php8.2-fpm php8.2-mysql php8.2-mbstring php8.2-xml
    php8.2-curl php8.2-gd libclang-dev clang nginx mariadb-server
    mariadb-client curl python3-venv
)
# Installed second, once a PHP SAPI is present.
PQM_APT_WORDPRESS=(wordpress wordpress-theme-twentytwentythree)
# Installed last: the headless browser for tests/browser.
PQM_APT_BROWSER=(chromium)

_pqm_apt_updated=0

# apt_missing PKG...: prints the packages that are not installed.
apt_missing() {
    local pkg status
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
        [[ $status == installed ]] || printf '%s\n' "$pkg"
    done
}

# apt_ensure PKG...: installs what is missing (apt-get update once per run).
apt_ensure() {
    local missing
    mapfile -t missing < <(apt_missing "$@")
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ((_pqm_apt_updated == 0)); then
        apt-get update -q
        _pqm_apt_updated=1
    fi
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

setup_packages() {
    log "checking Debian packages"
    apt_ensure "${PQM_APT_BASE[@]}"
    apt_ensure "${PQM_APT_WORDPRESS[@]}"
    apt_ensure "${PQM_APT_BROWSER[@]}"
    ok "packages"
}

# The Rust toolchain comes with the machine (rustup in ~/.cargo).
setup_rust_path() {
    if ! have cargo && [[ -x $HOME/.cargo/bin/cargo ]]; then
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
    have cargo || die "cargo not found: install a Rust toolchain (rustup) first"
}
