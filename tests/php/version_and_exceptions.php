<?php
require __DIR__ . '/assert.inc.php';

check(extension_loaded('pqm_client_panel') || function_exists('PQM\version'), 'extension loaded');
check(preg_match('/^\d+\.\d+\.\d+$/', PQM\version()) === 1, 'version is x.y.z: ' . PQM\version());
foreach (['NotFound', 'InvalidInput', 'AccessDenied', 'Database', 'Config'] as $kind) {
    $class = "PQM\\{$kind}Exception";
    check(class_exists($class), "$class exists");
    check(is_subclass_of($class, 'PQM\Exception'), "$class extends PQM\\Exception");
}
check(is_subclass_of('PQM\Exception', 'Exception'), 'PQM\Exception extends \Exception');
check(PQM\latest_schema_version() >= 1, 'latest schema version known');
// Before configure(): a clear configuration error, not a crash.
throws(fn() => PQM\schema_version(), 'PQM\ConfigException', 'schema_version before configure', 'configure');
echo "OK\n";
