-- Bulk benchmark data for PQM Client Panel (scripts/bench). Variables:
--   @accounts  customer accounts to add      @orders  orders in total
-- One extra account, "Bench customer", gets exactly 50 orders; the rest
-- spread evenly over the others. Uses MariaDB's Sequence engine (seq_1_to_N).
SET @first := (SELECT COALESCE(MAX(id), 0) + 1 FROM wp_pqm_accounts);
INSERT INTO wp_pqm_accounts (id, name, kind, portal_enabled, created_at)
  VALUES (@first, 'Bench customer', 'customer', 1, UTC_TIMESTAMP());
SET @sql := CONCAT(
 'INSERT INTO wp_pqm_accounts (name, kind, portal_enabled, created_at) ',
 'SELECT CONCAT(''Bench account '', seq), ''customer'', 1, UTC_TIMESTAMP() FROM seq_1_to_', @accounts - 1);
PREPARE s FROM @sql; EXECUTE s; DEALLOCATE PREPARE s;

-- status cycle: (key, visible key, closed)
SET @sql := CONCAT(
 'INSERT INTO wp_pqm_orders (account_id, reference, title, status_key, visible_status_key, is_closed, ',
 '  promised_date, expected_date, delivery_method, delivery_info, customer_note, internal_note, cost_cents, price_cents, created_at, updated_at) ',
 'SELECT IF(seq <= 50, @first, @first + 1 + (seq % (', @accounts - 1, '))), CONCAT(''BX-'', seq), CONCAT(''Bench order '', seq), ',
 '  ELT(1 + seq % 6, ''received'', ''prepress'', ''credit_hold'', ''on_press'', ''ready'', ''completed''), ',
 '  ELT(1 + seq % 6, ''received'', ''prepress'', ''prepress'', ''on_press'', ''ready'', ''completed''), ',
 '  seq % 6 = 5, CURDATE() + INTERVAL (seq % 30) DAY, CURDATE() + INTERVAL (seq % 28) DAY, ',
 '  IF(seq % 2, ''pickup'', ''delivery''), ''Front desk'', IF(seq % 3, '''', ''Thanks for your order''), ''INTERNAL-ONLY bench'', 1000, 1300, ',
 '  UTC_TIMESTAMP() - INTERVAL seq MINUTE, UTC_TIMESTAMP() FROM seq_1_to_', @orders);
PREPARE s FROM @sql; EXECUTE s; DEALLOCATE PREPARE s;
ANALYZE TABLE wp_pqm_orders, wp_pqm_accounts;
SELECT @first AS bench_account;
