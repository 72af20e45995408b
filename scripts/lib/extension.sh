# shellcheck shell=bash
# Build the Rust PHP extension and install it as pqm.so for every SAPI.

pqm_ext_dir() { php-config --extension-dir; }
pqm_ext_path() { echo "$(pqm_ext_dir)/pqm.so"; }

build_extension() {
    local target="${CARGO_TARGET_DIR:-$PQM_REPO/target}"
    [[ -f $PQM_REPO/Cargo.toml ]] || die "no Cargo.toml in $PQM_REPO: the Rust crate is missing"
    log "cargo build --release"
    (cd "$PQM_REPO" && cargo build --release)
    PQM_EXT_ARTIFACT="$target/release/libpqm_client_panel.so"
    [[ -f $PQM_EXT_ARTIFACT ]] || die "cargo did not produce $PQM_EXT_ARTIFACT"
}

# Copy to a temp file then rename, so workers that have the old file mapped
# keep running; php-fpm picks up the new one on reload.
install_extension() {
    local dest tmp
    dest=$(pqm_ext_path)
    if [[ -f $dest ]] && cmp -s "$PQM_EXT_ARTIFACT" "$dest"; then
        ok "pqm.so unchanged"
    else
        tmp="$dest.tmp.$$"
        cp "$PQM_EXT_ARTIFACT" "$tmp"
        chmod 0644 "$tmp"
        mv -f "$tmp" "$dest"
        log "installed $dest"
    fi
    install_file "/etc/php/$PQM_PHP_VERSION/mods-available/pqm.ini" <<'INI'
; PQM Client Panel (Rust extension, see README.md)
; priority=30
extension=pqm.so
INI
    phpenmod -v "$PQM_PHP_VERSION" -s cli pqm
    phpenmod -v "$PQM_PHP_VERSION" -s fpm pqm
    if ! php -r 'exit(function_exists("PQM\\version") ? 0 : 1);'; then
        php -m >/dev/null   # shows the load error, if any
        die "php-cli did not load pqm.so (no PQM\\version())"
    fi
    ok "extension PQM $(php -r 'echo PQM\version();') loaded in php-cli"
}

setup_extension() {
    build_extension
    install_extension
}
