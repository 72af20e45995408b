<?php
/**
 * Runs PHP code inside a bootstrapped WordPress site, without WP-CLI:
 *
 *   php scripts/wp/eval.php HOST 'return PQM_Commands::demo_seed();'
 *   echo 'return PQM\version();' | php scripts/wp/eval.php 127.0.0.1 -
 *
 * HOST picks /etc/wordpress/config-HOST.php (127.0.0.1 = demo, localhost = test).
 * Output of the code goes to stdout; a returned value other than null is
 * printed as JSON. An uncaught exception prints to stderr and exits 1.
 */
require __DIR__ . '/bootstrap.php';

if ($argc < 3) {
    fwrite(STDERR, "usage: php {$argv[0]} HOST 'php code' | -\n");
    exit(2);
}
$pqm_eval_code = $argv[2] === '-' ? stream_get_contents(STDIN) : $argv[2];
$pqm_eval_code = preg_replace('/^\s*<\?php/', '', $pqm_eval_code);

pqm_wp_prepare($argv[1]);
require_once PQM_WP_LOAD;

try {
    $pqm_eval_result = eval($pqm_eval_code);
} catch (\Throwable $e) {
    fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . "\n");
    exit(1);
}
if ($pqm_eval_result !== null) {
    echo json_encode($pqm_eval_result, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
}
