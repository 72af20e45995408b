<?php
/**
 * `wp pqm migrate`.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Creates or upgrades the PQM database tables.
 */
class PQM_CLI_Migrate_Command extends PQM_CLI_Command {

	/**
	 * Creates or upgrades the PQM database tables.
	 *
	 * Applies every migration that has not run yet, in order, and records it
	 * in the {prefix}pqm_migrations table. Safe to run at any time; the plugin
	 * also runs it on activation and after an update.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Render the list of applied migrations in a particular format.
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
	 *     # First run on a new site.
	 *     $ wp pqm migrate
	 *     +---------+----------------+
	 *     | version | name           |
	 *     +---------+----------------+
	 *     | 1       | initial_schema |
	 *     +---------+----------------+
	 *     Success: Applied 1 migration(s). Schema version: 1.
	 *
	 *     # Nothing to do.
	 *     $ wp pqm migrate
	 *     Success: The database is up to date. Schema version: 1.
	 *
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 */
	public function __invoke( $args, $assoc_args ) {
		$applied = $this->run( array( 'PQM_Commands', 'migrate' ) );
		$version = $this->run( array( 'PQM_Commands', 'schema_version' ) );

		if ( ! $applied ) {
			WP_CLI::success(
				/* translators: %d: schema version */
				sprintf( __( 'The database is up to date. Schema version: %d.', 'pqm-client-panel' ), $version )
			);
			return;
		}
		$this->print_items( $assoc_args, $applied, array( 'version', 'name' ) );
		WP_CLI::success(
			/* translators: 1: number of migrations, 2: schema version */
			sprintf( __( 'Applied %1$d migration(s). Schema version: %2$d.', 'pqm-client-panel' ), count( $applied ), $version )
		);
	}
}
