<?php
/**
 * Loads WordPress from the command line for one of the Debian per-host sites
 * (/etc/wordpress/config-<host>.php), the way a web request for that host would.
 * Shared by install-site.php and eval.php. WP-CLI is not needed.
 *
 * Usage (wp-load.php must be required at file scope, so that WordPress's
 * variables are globals):
 *   require __DIR__ . '/bootstrap.php';
 *   pqm_wp_prepare($host);
 *   require_once PQM_WP_LOAD;
 */

const PQM_WP_LOAD = '/usr/share/wordpress/wp-load.php';

function pqm_cli_fail(string $message, int $code = 1): void
{
    fwrite(STDERR, "error: $message\n");
    exit($code);
}

/**
 * @param string $host   "127.0.0.1", "localhost" or "localhost:8081"
 * @param bool   $installing define WP_INSTALLING (for wp_install on an empty DB)
 */
function pqm_wp_prepare(string $host, bool $installing = false): void
{
    if (PHP_SAPI !== 'cli') {
        pqm_cli_fail('command-line only');
    }
    // Errors once, on stderr (not also through log_errors).
    ini_set('display_errors', 'stderr');
    ini_set('log_errors', '0');
    error_reporting(E_ALL & ~E_DEPRECATED & ~E_STRICT);

    $name = preg_replace('/:.*/', '', $host);
    if (!is_file("/etc/wordpress/config-$name.php")) {
        pqm_cli_fail("no /etc/wordpress/config-$name.php (run scripts/demo or scripts/test first)");
    }
    $port = strpos($host, ':') !== false ? substr($host, strpos($host, ':') + 1) : '80';
    $_SERVER['HTTP_HOST'] = $host;
    $_SERVER['SERVER_NAME'] = $name;
    $_SERVER['SERVER_PORT'] = $port;
    $_SERVER['REQUEST_URI'] = '/';
    $_SERVER['REQUEST_METHOD'] = 'GET';
    $_SERVER['SCRIPT_NAME'] = '/index.php';
    $_SERVER['PHP_SELF'] = '/index.php';
    $_SERVER['REMOTE_ADDR'] = '127.0.0.1';
    $_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';

    if ($installing && !defined('WP_INSTALLING')) {
        define('WP_INSTALLING', true);
    }
}
