<?php
require __DIR__ . '/assert.inc.php';
PQM\configure(test_db());

$accounts = PQM\action('account.list', CLI, []);
check(count($accounts) === 5 && $accounts[0]['name'] === 'Acme Print Co', 'account.list returns rows as arrays');
$acme = $accounts[0]['id'];
check(is_int($acme) && $accounts[0]['orders'] === 18, 'ids and counts are ints');

$new = PQM\action('account.create', CLI, ['name' => 'Delta Signs', 'consolidated' => '0']);
check($new['kind'] === 'customer' && $new['portal_enabled'] === true, 'account.create with WP-CLI style strings');
$link = PQM\action('account.add_user', CLI, ['account_id' => (string) $new['id'], 'user_id' => '999', 'role' => 'approver']);
check($link['role'] === 'approver', 'account.add_user');

$order = PQM\action('order.create', CLI, ['account_id' => $new['id'], 'title' => 'Shop sign <b>bold</b>', 'promised' => '2027-01-15', 'note' => "Line 1\nLine 2", 'internal_note' => 'secret']);
check(preg_match('/^PQ-\d+$/', $order['reference']) === 1 && $order['promised'] === '2027-01-15', 'order.create assigns a reference');
$set = PQM\action('order.set_status', CLI, ['reference' => $order['reference'], 'status' => 'quality_check']);
check($set['status'] === 'quality_check' && $set['customer_status'] === 'Received', 'hidden status keeps the customer label');

$mine = PQM\render_panel(['user_id' => 999, 'caps' => ['pqm_view_panel']], ['order' => $order['reference']], CTX);
check($mine['status'] === 200 && str_contains($mine['html'], 'Shop sign &lt;b&gt;bold&lt;/b&gt;') && !str_contains($mine['html'], '<b>'), 'user text is escaped, never HTML: ' . substr($mine['html'], 0, 400));
check(!str_contains($mine['html'], 'secret') && !str_contains($mine['html'], 'Quality check'), 'internal note and hidden status stay hidden');

$verdict = PQM\action('access.check', CLI, ['user_id' => user('bob'), 'caps' => ['pqm_view_panel'], 'reference' => $order['reference']]);
check($verdict['allowed'] === false && str_contains($verdict['reason'], 'outside'), 'access.check explains a denial');
$statuses = PQM\action('status.list', CLI, []);
check(count($statuses) === 10 && $statuses[0]['key'] === 'received', 'status.list');
echo "OK\n";
