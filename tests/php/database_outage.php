<?php
require __DIR__ . '/assert.inc.php';

$db = test_db();
PQM\configure($db);
$before = PQM\render_panel(customer('alice'), [], CTX);
check($before['status'] === 200, 'works while the database is up');

// Nothing listens on port 9: the worker gets a DatabaseException within the
// connect timeout, and the friendly view still renders (it needs no DB).
PQM\configure(['host' => '127.0.0.1:9', 'connect_timeout_ms' => 1000] + $db);
$t = microtime(true);
$e = throws(fn() => PQM\render_panel(customer('alice'), [], CTX), 'PQM\DatabaseException', 'database unreachable');
check(microtime(true) - $t < 6, 'failure is bounded by the timeout');
$friendly = PQM\render_error(CTX, 'unavailable');
check(str_contains($friendly, 'pqm-error') && !str_contains($friendly, '127.0.0.1') && !preg_match('/mysql|sql|rust|panic/i', $friendly), 'friendly message without technical detail');

// Back: the same worker recovers on the next call.
PQM\configure($db);
$after = PQM\render_panel(customer('alice'), [], CTX);
check($after['status'] === 200 && str_contains($after['html'], 'data-ref="PQ-1018"'), 'recovers without a restart');
echo "OK\n";
