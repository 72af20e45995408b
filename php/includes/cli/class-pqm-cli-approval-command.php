<?php
/**
 * `wp pqm approval …`.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Approval requests and the tamper-evident sign-off record.
 */
class PQM_CLI_Approval_Command extends PQM_CLI_Command {

	/**
	 * Asks the customer to approve a file version (or the order itself).
	 *
	 * The approvers of the order's account get an e-mail with a signed link.
	 *
	 * ## OPTIONS
	 *
	 * <order-ref>
	 * : Order reference.
	 *
	 * [--file=<id>]
	 * : File id: the approval is on its newest version shared with the customer.
	 *
	 * [--message=<message>]
	 * : Message to the customer.
	 *
	 * [--due=<date>]
	 * : Answer wanted by, YYYY-MM-DD.
	 *
	 * [--no-email]
	 * : Do not e-mail the approvers.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm approval request PQ-1001 --file=3 --message="Please check the phone number" --due=2026-03-01
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function request( $args, $assoc_args ) {
		$row = $this->run(
			static function () use ( $args, $assoc_args ) {
				return PQM_File_Commands::approval_request(
					$args[0],
					isset( $assoc_args['file'] ) ? $assoc_args['file'] : '',
					isset( $assoc_args['message'] ) ? $assoc_args['message'] : '',
					isset( $assoc_args['due'] ) ? $assoc_args['due'] : '',
					! isset( $assoc_args['email'] ) || false !== $assoc_args['email']
				);
			}
		);
		WP_CLI::success( sprintf( 'Approval %d requested on %s (receipt %s); %d e-mail(s) sent.', $row['id'], $row['order'], $row['request_receipt'], $row['emails_sent'] ) );
	}

	/**
	 * Recomputes the sign-off hash chain and reports the first broken entry.
	 *
	 * ## OPTIONS
	 *
	 * [<order-ref>]
	 * : Only this order's chain (default: every order).
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm approval verify
	 *     Success: 2 order(s), 2000 entries: the approval record is intact.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function verify( $args, $assoc_args ) {
		$r = $this->run(
			static function () use ( $args ) {
				return PQM_File_Commands::approval_verify( isset( $args[0] ) ? $args[0] : '' );
			}
		);
		if ( $r['ok'] ) {
			WP_CLI::success( sprintf( '%d order(s), %d entries: the approval record is intact.', $r['orders'], $r['entries'] ) );
			return;
		}
		$b = $r['first_broken'];
		WP_CLI::error( sprintf( 'The approval record of %s is broken at entry %d (id %d): %s', $b['order'], $b['seq'], $b['entry_id'], $b['reason'] ) );
	}

	/**
	 * Lists the approvals of an order.
	 *
	 * ## OPTIONS
	 *
	 * <order-ref>
	 * : Order reference.
	 *
	 * [--format=<format>]
	 * : table, csv, json, yaml. Default: table.
	 *
	 * @subcommand list
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function list_( $args, $assoc_args ) {
		$rows = $this->run(
			static function () use ( $args ) {
				return PQM_File_Commands::approval_list( $args[0] );
			}
		);
		$this->print_items( $assoc_args, $rows, array( 'id', 'order', 'file_title', 'file_version', 'status', 'due', 'requested_at', 'decided_by', 'decided_at', 'comment', 'decision_receipt' ) );
	}
}
