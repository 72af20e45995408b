<?php
/**
 * `wp pqm status …`.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Manages order statuses: internal key and label, the label customers see,
 * whether they see it, whether it closes the order, and the order of the list.
 */
class PQM_CLI_Status_Command extends PQM_CLI_Command {

	/**
	 * Lists the statuses.
	 *
	 * ## OPTIONS
	 *
	 * [--fields=<fields>]
	 * : Limit the output to specific fields. Default: key,internal_label,customer_label,customer_visible,closed,sort_order.
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
	 *     $ wp pqm status list
	 *     $ wp pqm status list --format=json --fields=key,customer_label
	 *
	 * @subcommand list
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 */
	public function list_( $args, $assoc_args ) {
		$rows = $this->run( array( 'PQM_Staff_Commands', 'status_list' ) );
		$this->print_items( $assoc_args, $rows, array( 'key', 'internal_label', 'customer_label', 'customer_visible', 'closed', 'sort_order' ) );
	}

	/**
	 * Creates or changes a status. Changing --visible updates the status
	 * every affected order shows its customer (the last status of its history
	 * that customers see).
	 *
	 * ## OPTIONS
	 *
	 * <key>
	 * : Status key (a-z, 0-9, _), e.g. proof_sent.
	 *
	 * [--internal-label=<label>]
	 * : What staff see. Required for a new status.
	 *
	 * [--customer-label=<label>]
	 * : What customers see (default: the internal label).
	 *
	 * [--visible=<yes|no>]
	 * : Whether customers see this status.
	 *
	 * [--closed=<yes|no>]
	 * : Whether the status closes the order (moves it to "completed").
	 *
	 * [--order=<n>]
	 * : Position in lists.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm status set quality_check --visible=yes --customer-label="Quality check"
	 *     Success: Saved status quality_check; 5 orders now show a different status to their customer.
	 *
	 *     $ wp pqm status set proof_sent --internal-label="Proof sent" --customer-label="Proof ready for you" --order=25
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function set( $args, $assoc_args ) {
		$key    = $args[0];
		$fields = $assoc_args;
		foreach ( array( 'visible', 'closed' ) as $flag ) {
			if ( isset( $fields[ $flag ] ) && ! in_array( strtolower( (string) $fields[ $flag ] ), array( 'yes', 'no', '1', '0', 'true', 'false' ), true ) ) {
				/* translators: %s: option name */
				WP_CLI::error( sprintf( __( '--%s must be yes or no.', 'pqm-client-panel' ), $flag ) );
			}
		}
		$r = $this->run(
			static function () use ( $key, $fields ) {
				return PQM_Staff_Commands::status_set( $key, $fields );
			}
		);
		WP_CLI::success(
			sprintf(
				/* translators: 1: key, 2: number */
				__( 'Saved status %1$s; %2$d orders now show a different status to their customer.', 'pqm-client-panel' ),
				$r['key'],
				$r['orders_recomputed']
			)
		);
	}
}
