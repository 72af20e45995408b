# shellcheck shell=bash
# Build the plugin folder (scripts/build-plugin) and install it into WordPress.

PQM_PLUGIN_DEST="$PQM_WP_CONTENT/plugins/pqm-client-panel"

install_plugin() {
    local src new old
    src=$("$PQM_REPO/scripts/build-plugin")
    new="$PQM_WP_CONTENT/plugins/.pqm-client-panel.new"
    old="$PQM_WP_CONTENT/plugins/.pqm-client-panel.old"
    rm -rf "$new" "$old"
    cp -a "$src" "$new"
    chown -R root:root "$new"
    # Swap in place so a request never sees a half-copied plugin.
    if [[ -d $PQM_PLUGIN_DEST ]]; then mv "$PQM_PLUGIN_DEST" "$old"; fi
    mv "$new" "$PQM_PLUGIN_DEST"
    rm -rf "$old"
    ok "plugin installed in $PQM_PLUGIN_DEST"
}

# Must-use helpers of the local sites (each acts only when its site config
# opts in, e.g. PQM_TEST_SMTP on the test site).
install_mu_plugins() {
    local dest="$PQM_WP_CONTENT/mu-plugins" f
    mkdir -p "$dest"
    for f in "$PQM_REPO"/scripts/wp/mu-plugins/*.php; do
        install -m 0644 "$f" "$dest/$(basename "$f")"
    done
    ok "mu-plugins installed in $dest"
}

setup_plugin() {
    install_plugin
    install_mu_plugins
}
