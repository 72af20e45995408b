<?php
/**
 * Installs and configures one WordPress site non-interactively:
 *
 *   PQM_ADMIN_PASSWORD=... php scripts/wp/install-site.php HOST PORT [STEP]
 *
 * Steps, each in a fresh PHP process so that WordPress loads the plugin the
 * normal way once it is active:
 *   install  wp_install() unless installed (admin / PQM_ADMIN_PASSWORD)
 *   config   permalinks /%postname%/, theme twentytwentythree, admin password
 *   activate activate pqm-client-panel (roles + migrations run in its hook)
 *   seed     PQM_Commands::migrate() (as `wp pqm migrate`), then
 *            PQM_Commands::demo_seed(): demo users, data, /client-panel/ page
 * Without STEP all four run in order. Safe to run again.
 */
require __DIR__ . '/bootstrap.php';

const PQM_PLUGIN = 'pqm-client-panel/pqm-client-panel.php';
const PQM_STEPS = ['install', 'config', 'activate', 'seed'];

function pqm_admin_password(): string
{
    $pw = getenv('PQM_ADMIN_PASSWORD');
    if ($pw === false || $pw === '') {
        pqm_cli_fail('PQM_ADMIN_PASSWORD is not set');
    }
    return $pw;
}

function pqm_step_install(): void
{
    if (is_blog_installed()) {
        echo "WordPress already installed\n";
        return;
    }
    require_once ABSPATH . 'wp-admin/includes/upgrade.php';
    // No "your new site" e-mail (there is usually no MTA on a dev machine).
    add_filter('pre_wp_mail', '__return_false');
    $result = wp_install('PQM Client Panel demo', 'admin', 'admin@example.test', false, '', pqm_admin_password());
    if (is_wp_error($result)) {
        pqm_cli_fail('wp_install failed: ' . $result->get_error_message());
    }
    echo "WordPress installed (user admin)\n";
}

function pqm_step_config(): void
{
    global $wp_rewrite;
    if (get_option('permalink_structure') !== '/%postname%/') {
        $wp_rewrite->set_permalink_structure('/%postname%/');
    }
    flush_rewrite_rules(false);

    $theme = wp_get_theme('twentytwentythree');
    if ($theme->exists() && get_stylesheet() !== 'twentytwentythree') {
        switch_theme('twentytwentythree');
        echo "theme twentytwentythree activated\n";
    }

    $admin = get_user_by('login', 'admin');
    if ($admin && !wp_check_password(pqm_admin_password(), $admin->user_pass, $admin->ID)) {
        wp_set_password(pqm_admin_password(), $admin->ID);
        echo "admin password reset to the kept one\n";
    }
}

function pqm_step_activate(): void
{
    require_once ABSPATH . 'wp-admin/includes/plugin.php';
    if (!is_file(WP_PLUGIN_DIR . '/' . PQM_PLUGIN)) {
        pqm_cli_fail('plugin not installed: ' . WP_PLUGIN_DIR . '/' . PQM_PLUGIN);
    }
    if (is_plugin_active(PQM_PLUGIN)) {
        echo "plugin already active\n";
        return;
    }
    $result = activate_plugin(PQM_PLUGIN, '', false, false);
    if (is_wp_error($result)) {
        pqm_cli_fail('plugin activation failed: ' . $result->get_error_message());
    }
    echo "plugin activated\n";
}

function pqm_step_seed(): void
{
    if (!class_exists('PQM_Commands')) {
        pqm_cli_fail('class PQM_Commands not found: is the plugin active and loaded?');
    }
    // As `wp pqm migrate`: an already active plugin whose code is newer than
    // its tables (or whose activation could not migrate) catches up here.
    $applied = PQM_Commands::migrate();
    if ($applied) {
        echo 'migrations applied: ', implode(', ', array_map(
            static fn($m) => $m['version'] . ' ' . $m['name'], $applied)), "\n";
    }
    $summary = PQM_Commands::demo_seed();
    echo "demo data:\n", json_encode($summary, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
}

function pqm_run_all(string $host, string $port): void
{
    foreach (PQM_STEPS as $step) {
        $cmd = escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg(__FILE__) . ' '
            . escapeshellarg($host) . ' ' . escapeshellarg($port) . ' ' . escapeshellarg($step);
        passthru($cmd, $rc);
        if ($rc !== 0) {
            pqm_cli_fail("step '$step' failed (exit $rc)", $rc);
        }
    }
}

if ($argc < 3) {
    fwrite(STDERR, "usage: php {$argv[0]} HOST PORT [" . implode('|', PQM_STEPS) . "]\n");
    exit(2);
}
[$host, $port] = [$argv[1], $argv[2]];
$step = $argv[3] ?? null;

if ($step === null) {
    pqm_run_all($host, $port);
    exit(0);
}
if (!in_array($step, PQM_STEPS, true)) {
    pqm_cli_fail("unknown step '$step'", 2);
}
// Only the install step may run before WordPress is installed.
pqm_wp_prepare("$host:$port", $step === 'install');
require_once PQM_WP_LOAD;
try {
    ("pqm_step_$step")();
} catch (\Throwable $e) {
    pqm_cli_fail("$step: " . get_class($e) . ': ' . $e->getMessage()
        . ' in ' . $e->getFile() . ':' . $e->getLine());
}
