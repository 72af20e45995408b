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

	/**
	 * Shows one account: its settings, the accounts under it and its logins.
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : Account id.
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
	 *     $ wp pqm account get 1
	 *     $ wp pqm account get 3 --format=json
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function get( $args, $assoc_args ) {
		$id      = $args[0];
		$account = $this->run(
			static function () use ( $id ) {
				return PQM_Staff_Commands::account_get( $id );
			}
		);
		$format = isset( $assoc_args['format'] ) ? $assoc_args['format'] : 'table';
		if ( 'table' !== $format ) {
			WP_CLI::print_value( $account, array( 'format' => $format ) );
			return;
		}
		$logins = $account['logins'];
		unset( $account['logins'], $account['children'] );
		$this->print_items( array(), array( $account ), array( 'id', 'name', 'kind', 'parent', 'portal_enabled', 'logins', 'orders' ) );
		$this->print_items( array(), $logins, array( 'user_id', 'user_login', 'display_name', 'user_email', 'role', 'enabled' ) );
	}

	/**
	 * Changes an account: name, parent, portal access.
	 *
	 * Switching portal access off takes effect on the logins' next page view.
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : Account id.
	 *
	 * [--name=<name>]
	 * : New name.
	 *
	 * [--parent=<id>]
	 * : Id of a consolidated account; empty (--parent=) for none.
	 *
	 * [--portal=<state>]
	 * : Portal access for the account's logins.
	 * ---
	 * options:
	 *   - on
	 *   - off
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm account update 1 --portal=off
	 *     Success: Updated account 1: Acme Print Co (portal off).
	 *
	 *     $ wp pqm account update 4 --name="Northwind East Ltd" --parent=
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function update( $args, $assoc_args ) {
		$id     = $args[0];
		$fields = array();
		if ( isset( $assoc_args['name'] ) ) {
			$fields['name'] = (string) $assoc_args['name'];
		}
		if ( array_key_exists( 'parent', $assoc_args ) ) {
			$fields['parent'] = true === $assoc_args['parent'] ? '' : (string) $assoc_args['parent'];
		}
		if ( isset( $assoc_args['portal'] ) ) {
			if ( ! in_array( $assoc_args['portal'], array( 'on', 'off' ), true ) ) {
				WP_CLI::error( __( '--portal must be on or off.', 'pqm-client-panel' ) );
			}
			$fields['portal_enabled'] = 'on' === $assoc_args['portal'];
		}
		$row = $this->run(
			static function () use ( $id, $fields ) {
				return PQM_Staff_Commands::account_update( $id, $fields );
			}
		);
		WP_CLI::success(
			sprintf(
				/* translators: 1: id, 2: name, 3: on/off */
				__( 'Updated account %1$s: %2$s (portal %3$s).', 'pqm-client-panel' ),
				$row['id'],
				$row['name'],
				$row['portal_enabled'] ? 'on' : 'off'
			)
		);
	}

	/**
	 * Deletes an account that has no orders and no accounts under it.
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : Account id.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm account delete 6
	 *     Success: Deleted account 6: Old Customer.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options (none).
	 */
	public function delete( $args, $assoc_args ) {
		$id  = $args[0];
		$row = $this->run(
			static function () use ( $id ) {
				return PQM_Staff_Commands::account_delete( $id );
			}
		);
		/* translators: 1: id, 2: name */
		WP_CLI::success( sprintf( __( 'Deleted account %1$s: %2$s.', 'pqm-client-panel' ), $row['id'], $row['name'] ) );
	}

	/**
	 * Removes a login from an account (the WordPress user is kept).
	 *
	 * ## OPTIONS
	 *
	 * <account-id>
	 * : Account id.
	 *
	 * <user>
	 * : User login, e-mail address or id.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm account remove-user 1 amy
	 *     Success: Removed amy from account 1.
	 *
	 * @subcommand remove-user
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options (none).
	 */
	public function remove_user( $args, $assoc_args ) {
		list( $account_id, $user ) = $args;
		$this->run(
			static function () use ( $account_id, $user ) {
				return PQM_Staff_Commands::account_remove_user( $account_id, $user );
			}
		);
		/* translators: 1: user, 2: account id */
		WP_CLI::success( sprintf( __( 'Removed %1$s from account %2$s.', 'pqm-client-panel' ), $user, $account_id ) );
	}

	/**
	 * Switches one login's portal access on or off, or changes its portal role.
	 *
	 * ## OPTIONS
	 *
	 * <account-id>
	 * : Account id.
	 *
	 * <user>
	 * : User login, e-mail address or id.
	 *
	 * [--access=<state>]
	 * : Portal access of this login for this account.
	 * ---
	 * options:
	 *   - on
	 *   - off
	 * ---
	 *
	 * [--role=<portal-role>]
	 * : viewer or approver.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm account set-user 1 amy --access=off
	 *     Success: amy on account 1: viewer, access off.
	 *
	 * @subcommand set-user
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function set_user( $args, $assoc_args ) {
		list( $account_id, $user ) = $args;
		$enabled                   = null;
		if ( isset( $assoc_args['access'] ) ) {
			if ( ! in_array( $assoc_args['access'], array( 'on', 'off' ), true ) ) {
				WP_CLI::error( __( '--access must be on or off.', 'pqm-client-panel' ) );
			}
			$enabled = 'on' === $assoc_args['access'];
		}
		$role = isset( $assoc_args['role'] ) ? (string) $assoc_args['role'] : null;
		if ( null === $enabled && null === $role ) {
			WP_CLI::error( __( 'Nothing to change: give --access=on|off or --role=viewer|approver.', 'pqm-client-panel' ) );
		}
		$row = $this->run(
			static function () use ( $account_id, $user, $enabled, $role ) {
				return PQM_Staff_Commands::account_set_user( $account_id, $user, $enabled, $role );
			}
		);
		/* translators: 1: user, 2: account id, 3: role, 4: on/off */
		WP_CLI::success( sprintf( __( '%1$s on account %2$s: %3$s, access %4$s.', 'pqm-client-panel' ), $user, $account_id, $row['role'], $row['enabled'] ? 'on' : 'off' ) );
	}

	/**
	 * Invites a new login by e-mail: creates the WordPress user with the
	 * "PQM Customer" role, links it to the account and sends WordPress's own
	 * e-mail with the link to set a password.
	 *
	 * ## OPTIONS
	 *
	 * <account-id>
	 * : Account id.
	 *
	 * <email>
	 * : E-mail address of the new login.
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
	 * [--name=<display-name>]
	 * : Display name.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm account invite 1 jo@acme.example --role=approver --name="Jo Smith"
	 *     Success: Invited jo@acme.example as jo (user 12) to account 1 (Acme Print Co); the set-password e-mail was sent.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function invite( $args, $assoc_args ) {
		list( $account_id, $email ) = $args;
		$role                       = isset( $assoc_args['role'] ) ? (string) $assoc_args['role'] : 'viewer';
		$name                       = isset( $assoc_args['name'] ) ? (string) $assoc_args['name'] : '';
		$r                          = $this->run(
			static function () use ( $account_id, $email, $role, $name ) {
				return PQM_Staff_Commands::account_invite( $account_id, $email, $role, $name );
			}
		);
		if ( ! $r['mail_sent'] ) {
			WP_CLI::warning( __( 'The e-mail could not be sent (see the mail log); the user can use "Lost your password?" on the login page.', 'pqm-client-panel' ) );
		}
		WP_CLI::success(
			sprintf(
				/* translators: 1: email, 2: login, 3: user id, 4: account id, 5: account name */
				__( 'Invited %1$s as %2$s (user %3$s) to account %4$s (%5$s).', 'pqm-client-panel' ),
				$r['email'],
				$r['user_login'],
				$r['user_id'],
				$r['account_id'],
				$r['account']
			)
		);
	}
}
