<?php
// Messages through the extension's PHP API: arrays in, arrays out, typed
// exceptions, internal notes absent from every customer-facing result.
require __DIR__ . '/assert.inc.php';
$db = test_db();
PQM\configure($db);
$ctx = CTX + ['messages' => ['post_url' => 'http://shop.test/wp-admin/admin-post.php', 'nonce' => 'n0nce', 'client_token' => 'tok-1', 'staff_display' => 'team']];
$alice = customer('alice');

$r = PQM\action('message.post', $alice, ['reference' => 'PQ-1017', 'body' => "Hello <b>shop</b>\nhttps://example.com/a?b=1", 'client_token' => 'php-1', 'author_name' => 'Alice']);
check($r['status'] === 'created' && is_int($r['message_id']), 'customer post creates a message');
$again = PQM\action('message.post', $alice, ['reference' => 'PQ-1017', 'body' => 'Hello', 'client_token' => 'php-1']);
check($again['status'] === 'duplicate' && $again['message_id'] === $r['message_id'], 'same client token → the same message');
$long = PQM\action('message.post', $alice, ['reference' => 'PQ-1017', 'body' => str_repeat('é', 5001)]);
check($long['status'] === 'rejected' && $long['reason'] === 'too_long' && $long['chars'] === 5001, 'over-long body is rejected with its length');
throws(fn() => PQM\action('message.post', customer('bob'), ['reference' => 'PQ-1017', 'body' => 'x']), 'PQM\NotFoundException', "bob posting on alice's order");
throws(fn() => PQM\action('message.post', $alice, ['reference' => 'PQ-1017', 'body' => 'x', 'client_token' => 'bad token!']), 'PQM\InvalidInputException', 'malformed client token');

PQM\action('message.staff_post', CLI, ['reference' => 'PQ-1017', 'body' => 'INTERNAL-ONLY note', 'internal' => true, 'author_name' => 'Sam']);
$reply = PQM\action('message.staff_post', CLI, ['reference' => 'PQ-1017', 'body' => 'Reply <script>x</script>', 'author_name' => 'Sam']);
check($reply['status'] === 'created', 'staff reply');
throws(fn() => PQM\action('message.staff_post', $alice, ['reference' => 'PQ-1017', 'body' => 'x']), 'PQM\AccessDeniedException', 'customers cannot post as staff');

$page = PQM\render_panel($alice, ['order' => 'PQ-1017'], $ctx);
$html = $page['html'];
check(!str_contains($html, 'INTERNAL-ONLY'), 'internal note not in the panel');
check(str_contains($html, 'Hello &lt;b&gt;shop&lt;/b&gt;<br>') && str_contains($html, 'rel="nofollow noopener noreferrer"'), 'body escaped, line break and safe link');
check(str_contains($html, 'Reply &lt;script&gt;x&lt;/script&gt;') && !str_contains($html, '<script>x'), 'staff text escaped too');
check(str_contains($html, 'name="pqm_client_token" value="tok-1"') && str_contains($html, 'name="_wpnonce" value="n0nce"'), 'form carries token and nonce');
check(substr_count($html, 'class="pqm-message__author">Shop<') === 1 && !str_contains($html, '>Sam<'), 'staff shown as the team label');

$mails = PQM\action('mail.pending', CLI, ['site_name' => 'Shop', 'panel_url' => 'http://shop.test/client-panel/']);
check(is_array($mails) && count($mails) >= 1, 'mails queued by the reply: ' . count($mails));
foreach ($mails as $m) {
    check(!str_contains($m['body'], 'INTERNAL-ONLY') && !str_contains($m['subject'], 'INTERNAL-ONLY'), "no internal note in the mail to user {$m['user_id']}");
}
check(PQM\action('mail.count', CLI, []) === 0, 'the queue is empty after mail.pending');

$thread = PQM\action('message.thread', CLI, ['reference' => 'PQ-1017']);
check(count($thread['messages']) === 3 && $thread['messages'][1]['internal'] === true, 'staff thread has the note, marked');
$inbox = PQM\action('message.inbox', CLI, ['search' => 'shop']);
check($inbox['total'] >= 1 && $inbox['rows'][0]['reference'] === 'PQ-1017', 'inbox search');

// Database down during a post: a DatabaseException, and nothing stored.
PQM\configure(['host' => '127.0.0.1:9', 'connect_timeout_ms' => 1000] + $db);
throws(fn() => PQM\action('message.post', $alice, ['reference' => 'PQ-1017', 'body' => 'lost?']), 'PQM\DatabaseException', 'post while the database is down');
PQM\configure($db);
$thread = PQM\action('message.thread', CLI, ['reference' => 'PQ-1017']);
check(count($thread['messages']) === 3, 'nothing stored by the failed post');
echo "OK\n";
