<?php
/**
 * `wp pqm demo …`.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Demo data for trying the portal out.
 */
class PQM_CLI_Demo_Command extends PQM_CLI_Command {

	/**
	 * Creates the demo logins, accounts, 45 orders and the Client Panel page.
	 *
	 * Creates (or reuses) the WordPress users alice, amy, bob, carol, dave
	 * (role "PQM Customer") and manager (role "PQM Manager"), all with the
	 * password pqm-demo-2026, then the accounts, orders, tasks and status
	 * history of docs/demo-data.md, and a published page /client-panel/
	 * holding [pqm_client_panel]. Running it twice is safe: nothing is
	 * duplicated and passwords of existing users are not changed.
	 *
	 * Meant for test and staging sites.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Render the list of demo users in a particular format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - csv
	 *   - json
	 *   - yaml
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm demo seed
	 *     +---------+----+--------------+---------+
	 *     | login   | id | role         | status  |
	 *     +---------+----+--------------+---------+
	 *     | alice   | 2  | pqm_customer | created |
	 *     ...
	 *     Success: Demo data ready. Client panel: https://example.com/client-panel/
	 *
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 */
	public function seed( $args, $assoc_args ) {
		$summary = $this->run( array( 'PQM_Commands', 'demo_seed' ) );

		$this->print_items( $assoc_args, $summary['users'], array( 'login', 'id', 'role', 'status' ) );

		$format = isset( $assoc_args['format'] ) ? $assoc_args['format'] : 'table';
		if ( 'table' === $format && is_array( $summary['seed'] ) ) {
			foreach ( $summary['seed'] as $key => $value ) {
				WP_CLI::log( sprintf( '%s: %s', $key, is_scalar( $value ) ? (string) $value : wp_json_encode( $value ) ) );
			}
		}

		WP_CLI::success(
			sprintf(
				/* translators: %s: URL of the client panel page */
				__( 'Demo data ready. Client panel: %s', 'pqm-client-panel' ),
				$summary['page_url']
			)
		);
	}

	/**
	 * Removes the demo accounts with their orders, tasks, history and login
	 * links, then seeds the demo data again (docs/demo-data.md). Accounts
	 * and orders that are not demo data are kept.
	 *
	 * ## OPTIONS
	 *
	 * [--yes]
	 * : Do not ask for confirmation.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm demo reset --yes
	 *     Success: Removed 5 demo accounts and 45 orders; demo data seeded again.
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 */
	public function reset( $args, $assoc_args ) {
		WP_CLI::confirm( __( 'Delete the demo accounts and their orders, then seed them again?', 'pqm-client-panel' ), $assoc_args );
		$r = $this->run( array( 'PQM_Staff_Commands', 'demo_reset' ) );
		WP_CLI::success(
			sprintf(
				/* translators: 1: accounts, 2: orders */
				__( 'Removed %1$d demo accounts and %2$d orders; demo data seeded again.', 'pqm-client-panel' ),
				$r['reset']['accounts_deleted'],
				$r['reset']['orders_deleted']
			)
		);
	}
}
