<?php
/**
 * `wp pqm doctor`.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Checks the installation end to end and says how to fix each failure.
 */
class PQM_CLI_Doctor_Command extends PQM_CLI_Command {

	/**
	 * Checks the installation: the PHP extension (loaded, right version),
	 * the database as the extension reaches it with the wp-config.php
	 * credentials, the schema version, the client panel page (present and
	 * published) and, once files exist, that file storage is not reachable
	 * from the web. Exits 1 when a check fails.
	 *
	 * ## OPTIONS
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
	 *     $ wp pqm doctor
	 *     +--------------+--------+------------------------------------------+-----+
	 *     | check        | status | message                                  | fix |
	 *     +--------------+--------+------------------------------------------+-----+
	 *     | extension    | ok     | pqm 0.1.0 is loaded.                     |     |
	 *     …
	 *     Success: Everything is in order.
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 */
	public function __invoke( $args, $assoc_args ) {
		$checks = PQM_Staff_Commands::doctor();
		$this->print_items( $assoc_args, $checks, array( 'check', 'status', 'message', 'fix' ) );
		$failed = array_filter(
			$checks,
			static function ( $c ) {
				return 'fail' === $c['status'];
			}
		);
		if ( $failed ) {
			/* translators: %d: number of failed checks */
			WP_CLI::error( sprintf( _n( '%d check failed; see "fix" above.', '%d checks failed; see "fix" above.', count( $failed ), 'pqm-client-panel' ), count( $failed ) ) );
		}
		WP_CLI::success( __( 'Everything is in order.', 'pqm-client-panel' ) );
	}
}
