#!/usr/bin/env bash
# Download throughput of a 100 MB file through nginx + php-fpm, with PHP
# streaming and with X-Accel-Redirect, plus the time Rust needs to authorise
# one download, plus the php-fpm worker's peak memory (must not grow with
# the file size). Runs against the TEST site (http://localhost:8081) after
# `scripts/test --setup-only`; results go to stdout (see docs/benchmarks.md).
#   usage: bench/downloads.sh [SIZE_MB]     (as root)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-100}
HOST=localhost
URL=http://localhost:8081
EVAL="php scripts/wp/eval.php $HOST"
SRC=$(mktemp /tmp/pqm-bench-XXXXXX.pdf)
trap 'rm -f "$SRC" /tmp/pqm-bench-cookies' EXIT
{ printf '%%PDF-1.4\n'; head -c $((SIZE_MB * 1048576)) /dev/urandom; } >"$SRC"
ROW=$($EVAL "return PQM_File_Commands::file_add('PQ-1001', '$SRC', 'final', ['title' => 'Bench ${SIZE_MB}MB']);")
FILE_ID=$(echo "$ROW" | python3 -c 'import json,sys; print(json.load(sys.stdin)["file_id"])')
# Log in as alice (PQ-1001 is hers).
curl -s -c /tmp/pqm-bench-cookies -b 'wordpress_test_cookie=WP%20Cookie%20check' -o /dev/null \
    -d 'log=alice&pwd=pqm-demo-2026&testcookie=1&redirect_to=/' "$URL/wp-login.php"
DL="$URL/wp-admin/admin-post.php?action=pqm_download&order=PQ-1001&file=$FILE_ID"
run() {
    local label=$1 i
    for i in 1 2 3; do
        curl -s -b /tmp/pqm-bench-cookies -o /dev/null -w "$label run $i: %{http_code} %{size_download} bytes in %{time_total}s = %{speed_download} B/s\n" "$DL"
    done
}
$EVAL "delete_option('pqm_x_accel_prefix'); return true;" >/dev/null
run "php-stream"
$EVAL "update_option('pqm_x_accel_prefix', '/pqm-protected-files'); return true;" >/dev/null
run "x-accel"
$EVAL "delete_option('pqm_x_accel_prefix'); return true;" >/dev/null
# Authorisation only (the Rust call a download makes), 1000 times in one process.
$EVAL "
\$uid = get_user_by('login', 'alice')->ID;
\$p = ['user_id' => \$uid, 'caps' => ['pqm_view_panel']];
\$args = ['order' => 'PQ-1001', 'file' => $FILE_ID, 'storage' => PQM_Files::storage_dir(), 'secret' => PQM_Files::link_secret()];
PQM_Bridge::configure();
\PQM\action('file.download', \$p, \$args);
\$t = hrtime(true);
for (\$i = 0; \$i < 1000; \$i++) { \PQM\action('file.download', \$p, \$args); }
printf(\"authorise: %.1f µs per download (1000 calls, one worker connection)\n\", (hrtime(true) - \$t) / 1000 / 1000);
"
echo "php-fpm worker peak RSS (VmHWM) after the downloads:"
for pid in $(pgrep -f 'php-fpm: pool'); do grep -H VmHWM "/proc/$pid/status" 2>/dev/null || true; done
