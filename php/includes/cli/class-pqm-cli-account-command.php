<?php
/**
 * `wp pqm account …`.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Manages customer accounts and the logins linked to them.
 */
class PQM_CLI_Account_Command extends PQM_CLI_Command {

	/**
	 * Default columns of `wp pqm account list`.
	 */
	const LIST_FIELDS = array( 'id', 'name', 'kind', 'parent_id', 'portal_enabled', 'logins', 'orders' );

	/**
	 * Creates a customer account or a consolidated account.
	 *
	 * A consolidated account groups several customer accounts: a login linked
	 * to it sees the orders of all of them.
	 *
	 * ## OPTIONS
	 *
	 * <name>
	 * : Account name, e.g. the customer's company name.
	 *
	 * [--consolidated]
	 * : Create a consolidated (group) account instead of a customer account.
	 *
	 * [--parent=<id>]
	 * : Id of the consolidated account this customer account belongs to.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm account create "Northwind Group" --consolidated
	 *     Success: Created account 3: Northwind Group (consolidated).
	 *
	 *     $ wp pqm account create "Northwind East" --parent=3
	 *     Success: Created account 4: Northwind East (customer).
	 *
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function create( $args, $assoc_args ) {
		$name         = $args[0];
		$consolidated = (bool) WP_CLI\Utils\get_flag_value( $assoc_args, 'consolidated', false );
		$parent       = isset( $assoc_args['parent'] ) ? $assoc_args['parent'] : null;

		$row = $this->run(
			static function () use ( $name, $consolidated, $parent ) {
				return PQM_Commands::account_create( $name, $consolidated, $parent );
			}
		);

		WP_CLI::success(
			sprintf(
				/* translators: 1: account id, 2: account name, 3: account kind */
				__( 'Created account %1$s: %2$s (%3$s).', 'pqm-client-panel' ),
				isset( $row['id'] ) ? $row['id'] : '?',
				isset( $row['name'] ) ? $row['name'] : $name,
				isset( $row['kind'] ) ? $row['kind'] : ( $consolidated ? 'consolidated' : 'customer' )
			)
		);
	}

	/**
	 * Lists customer and consolidated accounts.
	 *
	 * ## OPTIONS
	 *
	 * [--fields=<fields>]
	 * : Limit the output to specific fields. Default: id,name,kind,parent_id,portal_enabled,logins,orders.
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
	 * ## AVAILABLE FIELDS
	 *
	 * * id
	 * * name
	 * * kind (customer or consolidated)
	 * * parent_id
	 * * portal_enabled
	 * * logins
	 * * orders
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm account list
	 *     +----+-------------------------+--------------+-----------+----------------+--------+--------+
	 *     | id | name                    | kind         | parent_id | portal_enabled | logins | orders |
	 *     +----+-------------------------+--------------+-----------+----------------+--------+--------+
	 *     | 1  | Acme Print Co           | customer     |           | yes            | 2      | 18     |
	 *     +----+-------------------------+--------------+-----------+----------------+--------+--------+
	 *
	 *     $ wp pqm account list --format=json --fields=id,name
	 *     [{"id":1,"name":"Acme Print Co"}]
	 *
	 * @subcommand list
	 *
	 * @param array $args       Positional arguments (none).
	 * @param array $assoc_args Options.
	 */
	public function list_( $args, $assoc_args ) {
		$rows = $this->run( array( 'PQM_Commands', 'account_list' ) );
		$this->print_items( $assoc_args, $rows, self::LIST_FIELDS );
	}

	/**
	 * Links a WordPress user to an account, with a portal role.
	 *
	 * A user who cannot see the client panel yet also gets the WordPress role
	 * "PQM Customer" (added to the roles they already have).
	 *
	 * ## OPTIONS
	 *
	 * <account-id>
	 * : Id of the customer or consolidated account.
	 *
	 * <user>
	 * : User login, e-mail address or id.
	 *
	 * [--role=<portal-role>]
	 * : What the login may do in the portal.
	 * ---
	 * default: viewer
	 * options:
	 *   - viewer
	 *   - approver
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm account add-user 1 alice --role=approver
	 *     Success: Linked alice (user 2) to account 1 as approver.
	 *
	 *     $ wp pqm account add-user 1 amy@example.com
	 *     Success: Linked amy (user 3) to account 1 as viewer.
	 *
	 * @subcommand add-user
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function add_user( $args, $assoc_args ) {
		list( $account_id, $user ) = $args;
		$role                      = isset( $assoc_args['role'] ) ? (string) $assoc_args['role'] : 'viewer';

		$link = $this->run(
			static function () use ( $account_id, $user, $role ) {
				return PQM_Commands::account_add_user( $account_id, $user, $role );
			}
		);

		if ( ! empty( $link['wp_role_added'] ) ) {
			WP_CLI::log(
				sprintf(
					/* translators: %s: user login */
					__( 'Gave %s the "PQM Customer" role so they can see the client panel.', 'pqm-client-panel' ),
					$link['user_login']
				)
			);
		}
		WP_CLI::success(
			sprintf(
				/* translators: 1: user login, 2: user id, 3: account id, 4: portal role */
				__( 'Linked %1$s (user %2$s) to account %3$s as %4$s.', 'pqm-client-panel' ),
				$link['user_login'],
				isset( $link['user_id'] ) ? $link['user_id'] : '?',
				isset( $link['account_id'] ) ? $link['account_id'] : $account_id,
				isset( $link['role'] ) ? $link['role'] : $role
			)
		);
	}
}
