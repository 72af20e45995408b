<?php
// Tiny assertion helpers for the extension's PHP tests.
function check($cond, string $what): void {
    if (!$cond) {
        fwrite(STDERR, "FAILED: $what\n");
        exit(1);
    }
    echo "ok - $what\n";
}
function throws(callable $f, string $class, string $what, string $contains = ''): Throwable {
    try {
        $f();
    } catch (Throwable $e) {
        check($e instanceof $class, "$what throws $class (got " . get_class($e) . ': ' . $e->getMessage() . ')');
        if ($contains !== '') {
            check(str_contains($e->getMessage(), $contains), "$what message mentions '$contains'");
        }
        return $e;
    }
    check(false, "$what throws $class");
    exit(1);
}
function test_db(): array {
    return json_decode(getenv('PQM_TEST_DB'), true);
}
function user(string $login): int {
    return json_decode(getenv('PQM_TEST_USERS'), true)[$login];
}
function customer(string $login): array {
    return ['user_id' => user($login), 'caps' => ['pqm_view_panel']];
}
const CLI = ['user_id' => 0, 'caps' => ['pqm_manage_orders', 'pqm_manage_accounts', 'pqm_manage_settings'], 'cli' => true];
const CTX = ['base_url' => 'http://shop.test/client-panel/', 'login_url' => 'http://shop.test/wp-login.php', 'site_name' => 'Shop'];
