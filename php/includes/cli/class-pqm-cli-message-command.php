<?php
/**
 * `wp pqm message …`.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the conversation on an order.
 */
class PQM_CLI_Message_Command extends PQM_CLI_Command {

	/**
	 * Lists the whole thread of an order, internal notes included.
	 *
	 * ## OPTIONS
	 *
	 * <order-ref>
	 * : Order reference, e.g. PQ-1001.
	 *
	 * [--fields=<fields>]
	 * : Columns to show.
	 *
	 * [--format=<format>]
	 * : table (default), csv, json, yaml, count.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm message list PQ-1001
	 *
	 * @subcommand list
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function list_( $args, $assoc_args ) {
		$rows = $this->run(
			static function () use ( $args ) {
				return PQM_Message_Commands::message_list( $args[0] );
			}
		);
		$this->print_items( $assoc_args, $rows, array( 'id', 'created_at', 'author', 'kind', 'visibility', 'body', 'seen_by_customer' ) );
	}

	/**
	 * Adds a staff message (customer-visible by default) or an internal note.
	 *
	 * ## OPTIONS
	 *
	 * <order-ref>
	 * : Order reference, e.g. PQ-1001.
	 *
	 * --body=<text>
	 * : Plain text, up to 5,000 characters.
	 *
	 * [--internal]
	 * : Internal note: never shown to the customer; @login notifies that colleague.
	 *
	 * [--as=<user>]
	 * : Staff user (login, e-mail or id) shown as the author.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm message add PQ-1001 --body="Your proof is ready." --as=manager
	 *     Success: Message 42 added to PQ-1001 (1 e-mail queued).
	 *
	 *     $ wp pqm message add PQ-1001 --body="@manager check the paper stock" --internal
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function add( $args, $assoc_args ) {
		$result = $this->run(
			static function () use ( $args, $assoc_args ) {
				return PQM_Message_Commands::message_add(
					$args[0],
					isset( $assoc_args['body'] ) ? (string) $assoc_args['body'] : '',
					! empty( $assoc_args['internal'] ),
					$assoc_args['as'] ?? null
				);
			}
		);
		WP_CLI::success( sprintf( 'Message %d added to %s (%d e-mail(s) queued).', $result['message_id'], $args[0], count( (array) $result['notified'] ) ) );
	}
}
