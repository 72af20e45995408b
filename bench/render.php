<?php
/**
 * Time spent inside the extension rendering the client panel, in one PHP
 * process (scripts/bench). Env: PQM_BENCH_DB (JSON for PQM\configure),
 * PQM_BENCH_USER (a user linked to the 50-order account), PQM_BENCH_N.
 * The context carries the real translation map (PQM_Strings) like a page does.
 */
define('ABSPATH', __DIR__);
function __($s, $d = null) { return $s; }
require dirname(__DIR__) . '/php/includes/class-pqm-strings.php';

PQM\configure(json_decode(getenv('PQM_BENCH_DB'), true));
$n = (int) (getenv('PQM_BENCH_N') ?: 1000);
$principal = ['user_id' => (int) getenv('PQM_BENCH_USER'), 'caps' => ['pqm_view_panel']];
$context = [
    'base_url' => 'http://shop.test/client-panel/', 'login_url' => 'http://shop.test/wp-login.php',
    'contact' => 'the shop at office@shop.test', 'site_name' => 'Shop', 'date_format' => 'F j, Y',
    'time_format' => 'g:i a', 'utc_offset' => 3600, 'template_dirs' => [], 'strings' => PQM_Strings::all(),
];

function timed(int $n, callable $f): array {
    for ($i = 0; $i < 50; $i++) { $f(); }          // warm: connection, statement cache, templates
    $t = [];
    for ($i = 0; $i < $n; $i++) {
        $s = hrtime(true);
        $f();
        $t[] = (hrtime(true) - $s) / 1e6;
    }
    sort($t);
    return ['p50_ms' => round($t[intdiv($n, 2)], 3), 'p99_ms' => round($t[(int) floor($n * 0.99)], 3), 'max_ms' => round(end($t), 3)];
}

$conn_before = PQM\connection_id();
$list = PQM\render_panel($principal, [], $context);
$rows = preg_match_all('/data-ref=/', $list['html']);
$out = [
    // No database: a CPU-speed baseline to compare runs on a machine whose speed varies.
    'baseline_logged_out' => timed($n, fn() => PQM\render_panel(['user_id' => 0, 'caps' => []], [], $context)),
    'list_first_page' => timed($n, fn() => PQM\render_panel($principal, [], $context)) + ['rows' => $rows],
    'list_all_page3' => timed($n, fn() => PQM\render_panel($principal, ['view' => 'all', 'page' => '3'], $context)),
    'detail' => timed($n, fn() => PQM\render_panel($principal, ['order' => 'BX-7'], $context)),
    'not_found' => timed($n, fn() => PQM\render_panel($principal, ['order' => 'BX-999999999'], $context)),
    'same_connection' => PQM\connection_id() === $conn_before,
    'peak_memory_mb' => round(memory_get_peak_usage(true) / 1048576, 1),
];
echo json_encode($out, JSON_PRETTY_PRINT), "\n";
