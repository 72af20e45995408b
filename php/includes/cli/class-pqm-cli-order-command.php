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
	 * Lists orders (newest first unless sorted otherwise), with the same
	 * search and filters as the wp-admin order list. A search always covers
	 * every order here (the wp-admin list may answer from the most recent
	 * ones when searching them all would be slow).
	 *
	 * ## OPTIONS
	 *
	 * [--search=<text>]
	 * : Reference prefix, words of the title, or part of the account name.
	 *
	 * [--status=<key>]
	 * : Only orders with this internal status.
	 *
	 * [--account=<id>]
	 * : Only orders of this account (a consolidated account includes its members).
	 *
	 * [--department=<name>]
	 * : Only orders with a task in this department.
	 *
	 * [--from=<date>]
	 * : Created on or after YYYY-MM-DD.
	 *
	 * [--to=<date>]
	 * : Created on or before YYYY-MM-DD.
	 *
	 * [--overdue]
	 * : Only open orders whose promised date has passed.
	 *
	 * [--state=<state>]
	 * : open, closed or all (default all).
	 *
	 * [--orderby=<column>]
	 * : created (default), reference, promised, status or title.
	 *
	 * [--order=<direction>]
	 * : asc or desc.
	 *
	 * [--page=<n>]
	 * : Page number (default 1).
	 *
	 * [--per-page=<n>]
	 * : Orders per page (default 100, at most 1000).
	 *
	 * [--fields=<fields>]
	 * : Limit the output to specific fields. Default: reference,title,account,status,customer_status,promised,expected,created_at.
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
	 *     $ wp pqm order list --search=posters --status=on_press --format=json
	 *     $ wp pqm order list --overdue --format=count
	 *
	 * @subcommand list
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 */
	public function list_( $args, $assoc_args ) {
		$filters = $assoc_args;
		if ( ! isset( $filters['per-page'] ) ) {
			$filters['per-page'] = 'count' === ( isset( $assoc_args['format'] ) ? $assoc_args['format'] : '' ) ? '1000' : '100';
		}
		unset( $filters['format'], $filters['fields'] );
		// Scripts get the whole answer, however long a search takes (the
		// wp-admin list answers from the newest orders when it would be slow).
		$filters['complete'] = true;
		if ( isset( $filters['overdue'] ) ) {
			$filters['overdue'] = (bool) WP_CLI\Utils\get_flag_value( $assoc_args, 'overdue', false );
		}
		$result = $this->run(
			static function () use ( $filters ) {
				return PQM_Staff_Commands::order_search( $filters );
			}
		);
		if ( 'count' === ( isset( $assoc_args['format'] ) ? $assoc_args['format'] : '' ) ) {
			WP_CLI::line( (string) $result['total'] . ( $result['total_capped'] ? '+' : '' ) );
			return;
		}
		$this->print_items( $assoc_args, $result['items'], array( 'reference', 'title', 'account', 'status', 'customer_status', 'promised', 'expected', 'created_at' ) );
		if ( $result['pages'] > 1 && 'table' === ( isset( $assoc_args['format'] ) ? $assoc_args['format'] : 'table' ) ) {
			/* translators: 1: page, 2: pages, 3: total */
			WP_CLI::log( sprintf( __( 'Page %1$d of %2$d (%3$s orders); use --page=<n>.', 'pqm-client-panel' ), $result['page'], $result['pages'], $result['total'] . ( $result['total_capped'] ? '+' : '' ) ) );
		}
	}

	/**
	 * Shows one order with its internal fields, tasks and status history.
	 *
	 * ## OPTIONS
	 *
	 * <ref>
	 * : Order reference, e.g. PQ-1001.
	 *
	 * [--format=<format>]
	 * : Render output in a particular format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - yaml
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm order get PQ-1001
	 *     $ wp pqm order get PQ-1001 --format=json
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function get( $args, $assoc_args ) {
		$reference = $args[0];
		$order     = $this->run(
			static function () use ( $reference ) {
				return PQM_Staff_Commands::order_get( $reference );
			}
		);
		$format = isset( $assoc_args['format'] ) ? $assoc_args['format'] : 'table';
		if ( 'table' !== $format ) {
			WP_CLI::print_value( $order, array( 'format' => $format ) );
			return;
		}
		$tasks   = $order['tasks'];
		$history = $order['history'];
		unset( $order['tasks'], $order['history'] );
		$rows = array();
		foreach ( $order as $key => $value ) {
			$rows[] = array(
				'field' => $key,
				'value' => is_bool( $value ) ? ( $value ? 'yes' : 'no' ) : ( is_scalar( $value ) ? (string) $value : '' ),
			);
		}
		WP_CLI\Utils\format_items( 'table', $rows, array( 'field', 'value' ) );
		$this->print_items( array(), $tasks, array( 'id', 'name', 'department', 'assignee_user_id', 'status', 'milestone', 'milestone_label' ) );
		$this->print_items( array(), $history, array( 'changed_at', 'status', 'status_label', 'customer_visible', 'customer_label' ) );
	}

	/**
	 * Changes an order. Only the options given change; an empty value
	 * (e.g. --promised=) clears a date or note.
	 *
	 * ## OPTIONS
	 *
	 * <ref>
	 * : Order reference.
	 *
	 * [--title=<title>]
	 * : Title.
	 *
	 * [--promised=<date>]
	 * : Promised date, YYYY-MM-DD.
	 *
	 * [--expected=<date>]
	 * : Expected completion, YYYY-MM-DD.
	 *
	 * [--note=<text>]
	 * : Note the customer sees.
	 *
	 * [--internal-note=<text>]
	 * : Note for staff only.
	 *
	 * [--delivery=<method>]
	 * : pickup, delivery or empty.
	 *
	 * [--delivery-info=<text>]
	 * : Pickup / delivery details the customer sees.
	 *
	 * [--account=<id>]
	 * : Move the order to another customer account.
	 *
	 * [--status=<key>]
	 * : New status (recorded in the history).
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm order update PQ-1001 --promised=2026-04-02 --note="Ready after Easter"
	 *     Success: Updated PQ-1001.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function update( $args, $assoc_args ) {
		$reference = $args[0];
		$fields    = array();
		foreach ( $assoc_args as $key => $value ) {
			$fields[ $key ] = true === $value ? '' : $value;
		}
		$this->run(
			static function () use ( $reference, $fields ) {
				return PQM_Staff_Commands::order_update( $reference, $fields );
			}
		);
		/* translators: %s: reference */
		WP_CLI::success( sprintf( __( 'Updated %s.', 'pqm-client-panel' ), $reference ) );
	}

	/**
	 * Deletes an order with its tasks and status history.
	 *
	 * ## OPTIONS
	 *
	 * <ref>
	 * : Order reference.
	 *
	 * [--yes]
	 * : Do not ask for confirmation.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm order delete PQ-1001 --yes
	 *     Success: Deleted PQ-1001.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function delete( $args, $assoc_args ) {
		$reference = $args[0];
		/* translators: %s: reference */
		WP_CLI::confirm( sprintf( __( 'Delete order %s, its tasks and history?', 'pqm-client-panel' ), $reference ), $assoc_args );
		$this->run(
			static function () use ( $reference ) {
				return PQM_Staff_Commands::order_delete( $reference );
			}
		);
		/* translators: %s: reference */
		WP_CLI::success( sprintf( __( 'Deleted %s.', 'pqm-client-panel' ), $reference ) );
	}

	/**
	 * Changes the status of one or more orders.
	 *
	 * If the new status is one customers do not see, they keep seeing the
	 * last customer-visible status.
	 *
	 * ## OPTIONS
	 *
	 * <ref>...
	 * : Order reference(s), e.g. PQ-1001, followed by the status key as the last argument.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm order set-status PQ-1001 ready
	 *     Success: PQ-1001 now has status "ready".
	 *
	 *     $ wp pqm order set-status PQ-1001 PQ-1002 PQ-1003 shipped
	 *     Success: 3 orders now have status "shipped".
	 *
	 * @subcommand set-status
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options (none).
	 */
	public function set_status( $args, $assoc_args ) {
		if ( count( $args ) < 2 ) {
			WP_CLI::error( __( 'Give at least one order reference and the status key: wp pqm order set-status <ref>... <key>', 'pqm-client-panel' ) );
		}
		$status = array_pop( $args );
		if ( 1 === count( $args ) ) {
			$reference = $args[0];
			$row       = $this->run(
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
			return;
		}
		$refs = $args;
		$r    = $this->run(
			static function () use ( $refs, $status ) {
				return PQM_Staff_Commands::order_bulk_status( $refs, $status );
			}
		);
		if ( $r['missing'] ) {
			/* translators: %s: references */
			WP_CLI::error( sprintf( __( 'No such order(s): %s (the others were changed).', 'pqm-client-panel' ), implode( ', ', $r['missing'] ) ) );
		}
		/* translators: 1: count, 2: status key */
		WP_CLI::success( sprintf( __( '%1$d orders now have status "%2$s".', 'pqm-client-panel' ), count( $r['changed'] ), $status ) );
	}
}
