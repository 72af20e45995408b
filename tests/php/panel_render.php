<?php
require __DIR__ . '/assert.inc.php';
PQM\configure(test_db());

$out = PQM\render_panel(['user_id' => 0, 'caps' => []], [], CTX);
check($out['status'] === 200 && str_contains($out['html'], 'pqm-login-link'), 'logged out: login link');
check(!str_contains($out['html'], 'PQ-10'), 'logged out: no orders');

$out = PQM\render_panel(customer('dave'), [], CTX + ['contact' => 'Print Shop <office@shop.test>']);
check(str_contains($out['html'], 'pqm-empty-access'), 'no account: empty state');
check(str_contains($out['html'], 'Print Shop &lt;office@shop.test&gt;'), 'contact text escaped');

$out = PQM\render_panel(customer('alice'), ['view' => 'all'], CTX);
check($out['status'] === 200, 'alice list 200');
preg_match_all('/data-ref="(PQ-\d+)"/', $out['html'], $m);
check($m[1] === ['PQ-1018', 'PQ-1017', 'PQ-1016', 'PQ-1015', 'PQ-1014', 'PQ-1013', 'PQ-1012', 'PQ-1011', 'PQ-1010', 'PQ-1009'], 'alice page 1 newest first: ' . implode(',', $m[1]));
check(str_contains($out['html'], 'rel="next"'), 'pagination offered');
check(!str_contains($out['html'], 'INTERNAL-ONLY'), 'no internal notes in the list');

$own = PQM\render_panel(customer('alice'), ['order' => 'PQ-1005'], CTX);
check($own['status'] === 200 && str_contains($own['html'], 'data-ref="PQ-1005"'), 'own order detail');
check(!str_contains($own['html'], 'INTERNAL-ONLY') && !str_contains($own['html'], 'Prepress check'), 'detail hides internal data and tasks');

$foreign = PQM\render_panel(customer('alice'), ['order' => 'PQ-1020'], CTX);
$missing = PQM\render_panel(customer('alice'), ['order' => 'PQ-9999'], CTX);
check($foreign['status'] === 404 && $missing['status'] === 404, 'foreign and missing are 404');
check($foreign['html'] === $missing['html'], 'foreign and missing bodies are identical');

$carol = PQM\render_panel(customer('carol'), ['view' => 'all'], CTX);
check(str_contains($carol['html'], 'pqm-account-filter') && str_contains($carol['html'], 'Northwind East'), 'consolidated: account filter + names');

// Theme override (WooCommerce-style) wins over the built-in template.
$theme = sys_get_temp_dir() . '/pqm-theme-' . getmypid();
@mkdir($theme);
file_put_contents("$theme/not-found.hbs", "{{!-- pqm-template: not-found version 1.0.0 --}}<div class=\"themed\">{{t \"Order not found\"}}</div>");
$themed = PQM\render_panel(customer('alice'), ['order' => 'PQ-9999'], CTX + ['template_dirs' => [$theme], 'strings' => ['Order not found' => 'Auftrag nicht gefunden']]);
check($themed['html'] === '<div class="themed">Auftrag nicht gefunden</div>', 'theme override + translation: ' . $themed['html']);
unlink("$theme/not-found.hbs");
rmdir($theme);

// One connection for the whole worker.
$id = PQM\connection_id();
for ($i = 0; $i < 20; $i++) {
    PQM\render_panel(customer('bob'), [], CTX);
}
check(PQM\connection_id() === $id, 'the connection is reused across calls');
echo "OK\n";
