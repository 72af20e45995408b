<?php
// Benchmark of the messages feature inside the extension (docs/benchmarks.md).
// Run by scripts/bench-messages with: php -n -d extension=<pqm.so> bench/messages.php
// Env PQM_BENCH_DB: JSON for PQM\configure(); the database is seeded by the script.
$db = json_decode(getenv('PQM_BENCH_DB'), true);
PQM\configure($db);
$cli = ['user_id' => 0, 'caps' => ['pqm_manage_orders', 'pqm_manage_accounts', 'pqm_manage_settings'], 'cli' => true];
$alice = ['user_id' => (int) getenv('PQM_BENCH_ALICE'), 'caps' => ['pqm_view_panel']];
$ctx = ['base_url' => 'http://shop.test/client-panel/', 'site_name' => 'Shop',
    'messages' => ['post_url' => 'http://shop.test/wp-admin/admin-post.php', 'nonce' => 'n', 'client_token' => 't']];

function bench(string $label, int $n, callable $f): void {
    $f(); $f(); // warm: connection, template registry
    $t = [];
    for ($i = 0; $i < $n; $i++) {
        $s = hrtime(true);
        $f();
        $t[] = (hrtime(true) - $s) / 1e6;
    }
    sort($t);
    $p = fn($q) => $t[min(count($t) - 1, (int) floor($q * count($t)))];
    printf("%-58s n=%-5d p50 %7.3f ms   p99 %7.3f ms   max %7.3f ms\n", $label, $n, $p(0.50), $p(0.99), end($t));
}

$ref = getenv('PQM_BENCH_THREAD_REF');
$page = PQM\render_panel($alice, ['order' => $ref], $ctx);
$count = substr_count($page['html'], 'class="pqm-message ');
if ($count < 500) { fwrite(STDERR, "thread $ref has $count messages, expected 500\n"); exit(1); }
bench("panel: order detail with a $count-message thread", 300, fn() => PQM\render_panel($alice, ['order' => $ref], $ctx));
bench('panel: order list (unread counts + notifications)', 300, fn() => PQM\render_panel($alice, [], $ctx));
bench('staff: message.thread (500 messages, receipts)', 300, fn() => PQM\action('message.list', $cli, ['reference' => $ref]));

$total = PQM\action('message.inbox', $cli, []);
printf("inbox: %d threads\n", $total['total']);
bench('staff inbox: page 1 (unanswered first)', 200, fn() => PQM\action('message.inbox', $cli, ['page' => 1]));
bench('staff inbox: page 500', 200, fn() => PQM\action('message.inbox', $cli, ['page' => 500]));
bench('staff inbox: unread only', 200, fn() => PQM\action('message.inbox', $cli, ['unread' => true]));
bench('staff inbox: one account', 200, fn() => PQM\action('message.inbox', $cli, ['account_id' => (int) getenv('PQM_BENCH_ACCOUNT')]));
bench('staff inbox: full-text search "invoice"', 100, fn() => PQM\action('message.inbox', $cli, ['search' => 'invoice']));
bench('customer post (insert + thread summary, one transaction)', 200, function () use ($alice, $ref) {
    static $i = 0;
    $i++;
    PQM\action('message.post', $alice, ['reference' => $ref, 'body' => "bench $i", 'rate_limit' => 1000000]);
});
