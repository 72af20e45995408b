<?php
require __DIR__ . '/assert.inc.php';

throws(fn() => PQM\configure(['host' => 'localhost', 'user' => 'u', 'name' => 'wp', 'prefix' => 'wp_; DROP']), 'PQM\ConfigException', 'bad table prefix', 'prefix');
throws(fn() => PQM\configure(['host' => 'db:notaport', 'user' => 'u', 'name' => 'wp']), 'PQM\ConfigException', 'bad DB_HOST port', 'port');
PQM\configure(test_db());
throws(fn() => PQM\render_panel(['user_id' => 'seven', 'caps' => []], [], CTX), 'PQM\InvalidInputException', 'non-numeric user id');
throws(fn() => PQM\action('order.drop_all', CLI, []), 'PQM\InvalidInputException', 'unknown action', 'unknown action');
throws(fn() => PQM\action('order.create', CLI, ['account_id' => 'x', 'title' => 'T']), 'PQM\InvalidInputException', 'bad account id', 'order.create');
throws(fn() => PQM\action('order.list', customer('alice'), []), 'PQM\AccessDeniedException', 'customer calling a staff action', 'pqm_manage_orders');
throws(fn() => PQM\action('order.set_status', CLI, ['reference' => 'PQ-0000', 'status' => 'ready']), 'PQM\NotFoundException', 'unknown order');

// Odd panel parameters fall back to sane defaults instead of failing.
foreach ([['page' => '-5'], ['page' => 'abc'], ['view' => 'bogus'], ['account' => '1 OR 1=1'], ['page' => 99999]] as $q) {
    $out = PQM\render_panel(customer('alice'), $q, CTX);
    check($out['status'] === 200 && str_contains($out['html'], 'pqm-order-list'), 'odd query ' . json_encode($q) . ' shows the list');
}
// Hostile references are simply not found.
foreach (["PQ-1005\0", str_repeat('A', 5000), "<script>alert(1)</script>", "PQ-1020' OR '1'='1"] as $ref) {
    $out = PQM\render_panel(customer('alice'), ['order' => $ref], CTX);
    check($out['status'] === 404 && !str_contains($out['html'], '<script>'), 'hostile reference is not found: ' . substr(json_encode($ref), 0, 30));
}
echo "OK\n";
