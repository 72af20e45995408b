<?php
/**
 * `wp pqm order …`.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Manages orders.
 */
class PQM_CLI_Order_Command extends PQM_CLI_Command {

	/**
	 * Default columns of `wp pqm order list` (those the rows have).
	 */
	const LIST_FIELDS = array(
		'reference',
		'title',
		'account_id',
		'account',
		'account_name',
		'status',
		'status_key',
		'visible_status_key',
		'promised',
		'expected',
		'created_at',
	);

	/**
	 * Creates an order for a customer account.
	 *
	 * ## OPTIONS
	 *
	 * --account=<id>
	 * : Id of the customer account the order belongs to.
	 *
	 * --title=<title>
	 * : Title the customer sees, e.g. "500 flyers A5".
	 *
	 * [--reference=<reference>]
	 * : Order reference, e.g. PQ-1046. Default: the next free reference.
	 *
	 * [--status=<key>]
	 * : Status key (see docs/demo-data.md), e.g. received or on_press. Default: received.
	 *
	 * [--promised=<date>]
	 * : Date promised to the customer, YYYY-MM-DD.
	 *
	 * [--expected=<date>]
	 * : Expected completion date, YYYY-MM-DD.
	 *
	 * [--note=<note>]
	 * : Note the customer sees.
	 *
	 * [--internal-note=<note>]
	 * : Internal note; never shown to the customer.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm order create --account=1 --title="500 flyers A5" --promised=2026-03-20
	 *     Success: Created order PQ-1046: 500 flyers A5.
	 *
	 *     $ wp pqm order create --account=1 --title="Banner" --reference=PQ-2000 --status=prepress --note="Proof follows tomorrow." --internal-note="Check ink stock"
	 *     Success: Created order PQ-2000: Banner.
	 *
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 */
	public function create( $args, $assoc_args ) {
		$row = $this->run(
			static function () use ( $assoc_args ) {
				return PQM_Commands::order_create( $assoc_args );
			}
		);

		WP_CLI::success(
			sprintf(
				/* translators: 1: order reference, 2: order title */
				__( 'Created order %1$s: %2$s.', 'pqm-client-panel' ),
				isset( $row['reference'] ) ? $row['reference'] : '?',
				isset( $row['title'] ) ? $row['title'] : $assoc_args['title']
			)
		);
	}

	/**
	 * Lists orders, newest first.
	 *
	 * ## OPTIONS
	 *
	 * [--account=<id>]
	 * : Only orders of this account (a consolidated account includes its members).
	 *
	 * [--fields=<fields>]
	 * : Limit the output to specific fields.
	 *
	 * [--format=<format>]
	 * : Render output in a particular format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - csv
	 *   - json
	 *   - yaml
	 *   - count
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm order list --account=1 --fields=reference,title,status
	 *     +-----------+----------------+----------+
	 *     | reference | title          | status   |
	 *     +-----------+----------------+----------+
	 *     | PQ-1018   | Business cards | on_press |
	 *     +-----------+----------------+----------+
	 *
	 *     $ wp pqm order list --format=count
	 *     45
	 *
	 * @subcommand list
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 */
	public function list_( $args, $assoc_args ) {
		$account = isset( $assoc_args['account'] ) ? $assoc_args['account'] : null;
		$rows    = $this->run(
			static function () use ( $account ) {
				return PQM_Commands::order_list( $account );
			}
		);
		$this->print_items( $assoc_args, $rows, self::LIST_FIELDS );
	}

	/**
	 * Changes the status of an order.
	 *
	 * If the new status is one customers do not see, they keep seeing the
	 * last customer-visible status.
	 *
	 * ## OPTIONS
	 *
	 * <ref>
	 * : Order reference, e.g. PQ-1001.
	 *
	 * <key>
	 * : Status key, e.g. on_press, ready, completed.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm order set-status PQ-1001 ready
	 *     Success: PQ-1001 now has status "ready".
	 *
	 * @subcommand set-status
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options (none).
	 */
	public function set_status( $args, $assoc_args ) {
		list( $reference, $status ) = $args;

		$row = $this->run(
			static function () use ( $reference, $status ) {
				return PQM_Commands::order_set_status( $reference, $status );
			}
		);

		WP_CLI::success(
			sprintf(
				/* translators: 1: order reference, 2: status key */
				__( '%1$s now has status "%2$s".', 'pqm-client-panel' ),
				isset( $row['reference'] ) ? $row['reference'] : $reference,
				$status
			)
		);
	}
}
