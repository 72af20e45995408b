<?php
/**
 * The logic of the staff commands added by the staff workspace (accounts
 * update/delete/remove-user/invite, orders get/update/delete, statuses,
 * demo reset, doctor), as plain static methods: the WP-CLI wrappers
 * (includes/cli/*) and the wp-admin screens (includes/admin/*) call them,
 * and so do the tests (php scripts/wp/eval.php localhost '…').
 *
 * Every method takes an optional principal: WP-CLI passes none (the CLI
 * principal), wp-admin passes PQM_Bridge::principal() so Rust checks the
 * logged-in user's own capabilities. Rules stay in Rust.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Staff command logic.
 */
final class PQM_Staff_Commands {

	/**
	 * Run a Rust action; failures become PQM_Command_Error with a message
	 * for the person who asked.
	 *
	 * @param string     $name      Action name.
	 * @param array      $params    Parameters.
	 * @param array|null $principal Principal; null = the CLI principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array
	 */
	public static function action( $name, array $params, $principal = null ) {
		$principal = null === $principal ? PQM_Bridge::cli_principal() : $principal;
		try {
			$result = PQM_Bridge::call(
				static function () use ( $name, $params, $principal ) {
					return \PQM\action( $name, $principal, $params );
				},
				'action ' . $name
			);
		} catch ( PQM_Command_Error $e ) {
			throw $e;
		} catch ( \Throwable $e ) {
			if ( $e instanceof \PQM\NotFoundException ) {
				throw new PQM_Command_Error( self::not_found_message( $name, $params ), 0, $e );
			}
			if ( PQM_Bridge::is_safe( $e ) ) {
				throw new PQM_Command_Error( $e->getMessage(), 0, $e );
			}
			$detail = $e->getPrevious() ? $e->getPrevious()->getMessage() : '';
			$cli    = ! empty( $principal['cli'] );
			// Infrastructure detail only for the shell user; it is in the log for admins.
			$text = ( $cli && '' !== $detail ) ? $e->getMessage() . ' (' . $detail . ')' : $e->getMessage();
			throw new PQM_Command_Error( $text, 0, $e );
		}
		return is_array( $result ) ? $result : array();
	}

	/**
	 * "No order PQ-9", "No account 12", … for a NotFound outcome.
	 *
	 * @param string $name   Action name.
	 * @param array  $params Parameters.
	 * @return string
	 */
	private static function not_found_message( $name, array $params ) {
		if ( isset( $params['reference'] ) ) {
			/* translators: %s: order reference */
			return sprintf( __( 'There is no order "%s".', 'pqm-client-panel' ), (string) $params['reference'] );
		}
		if ( isset( $params['id'] ) && 0 === strpos( $name, 'account.' ) ) {
			/* translators: %s: account id */
			return sprintf( __( 'There is no account %s.', 'pqm-client-panel' ), (string) $params['id'] );
		}
		if ( isset( $params['id'] ) && 0 === strpos( $name, 'task.' ) ) {
			/* translators: %s: task id */
			return sprintf( __( 'There is no task %s.', 'pqm-client-panel' ), (string) $params['id'] );
		}
		return __( 'Not found.', 'pqm-client-panel' );
	}

	// ------------------------------------------------------------- accounts.

	/**
	 * `wp pqm account update <id> [--name] [--parent] [--portal=on|off]`.
	 *
	 * @param int|string $id     Account id.
	 * @param array      $fields name, parent, portal_enabled.
	 * @param array|null $principal Principal (null = CLI).
	 * @throws PQM_Command_Error On failure.
	 * @return array Account row.
	 */
	public static function account_update( $id, array $fields, $principal = null ) {
		$params = array( 'id' => $id );
		foreach ( array( 'name', 'parent', 'portal_enabled' ) as $key ) {
			if ( array_key_exists( $key, $fields ) && null !== $fields[ $key ] ) {
				$params[ $key ] = is_bool( $fields[ $key ] ) ? $fields[ $key ] : (string) $fields[ $key ];
			}
		}
		if ( 1 === count( $params ) ) {
			throw new PQM_Command_Error( __( 'Nothing to change: give --name, --parent or --portal.', 'pqm-client-panel' ) );
		}
		return self::action( 'account.update', $params, $principal );
	}

	/**
	 * `wp pqm account delete <id>` (refused while it has orders or child accounts).
	 *
	 * @param int|string $id        Account id.
	 * @param array|null $principal Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array The deleted account row.
	 */
	public static function account_delete( $id, $principal = null ) {
		return self::action( 'account.delete', array( 'id' => $id ), $principal );
	}

	/**
	 * `wp pqm account get <id>`: the account, its child accounts and logins (with user names).
	 *
	 * @param int|string $id        Account id.
	 * @param array|null $principal Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array
	 */
	public static function account_get( $id, $principal = null ) {
		$account           = self::action( 'account.get', array( 'id' => $id ), $principal );
		$account['logins'] = self::with_user_names( isset( $account['logins'] ) ? $account['logins'] : array() );
		return $account;
	}

	/**
	 * Every login link (account.links) with user_login / display_name / email added.
	 *
	 * @param array|null $principal Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array
	 */
	public static function account_links( $principal = null ) {
		return self::with_user_names( self::action( 'account.links', array(), $principal ) );
	}

	/**
	 * Add user_login, display_name, user_email to link rows (one users query).
	 *
	 * @param array $rows Rows with user_id.
	 * @return array
	 */
	public static function with_user_names( array $rows ) {
		$ids = array_values( array_unique( array_map( 'intval', wp_list_pluck( $rows, 'user_id' ) ) ) );
		$by  = array();
		if ( $ids ) {
			foreach ( get_users( array( 'include' => $ids ) ) as $u ) {
				$by[ (int) $u->ID ] = $u;
			}
		}
		foreach ( $rows as &$row ) {
			$u                   = isset( $by[ (int) $row['user_id'] ] ) ? $by[ (int) $row['user_id'] ] : null;
			$row['user_login']   = $u ? $u->user_login : '';
			$row['display_name'] = $u ? $u->display_name : __( '(deleted user)', 'pqm-client-panel' );
			$row['user_email']   = $u ? $u->user_email : '';
		}
		return $rows;
	}

	/**
	 * `wp pqm account remove-user <account-id> <user>`.
	 *
	 * @param int|string $account_id Account id.
	 * @param string     $user       Login, e-mail or id.
	 * @param array|null $principal  Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array The removed link.
	 */
	public static function account_remove_user( $account_id, $user, $principal = null ) {
		$wp_user = PQM_Commands::resolve_user( $user );
		return self::action(
			'account.remove_user',
			array(
				'account_id' => $account_id,
				'user_id'    => $wp_user->ID,
			),
			$principal
		);
	}

	/**
	 * `wp pqm account set-user <account-id> <user> [--enabled=…] [--role=…]`:
	 * switch one login's portal access off or on (takes effect on the next request).
	 *
	 * @param int|string  $account_id Account id.
	 * @param string      $user       Login, e-mail or id.
	 * @param bool|null   $enabled    New state, or null to keep.
	 * @param string|null $role       New portal role, or null to keep.
	 * @param array|null  $principal  Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array The link row.
	 */
	public static function account_set_user( $account_id, $user, $enabled = null, $role = null, $principal = null ) {
		$wp_user = PQM_Commands::resolve_user( $user );
		$params  = array(
			'account_id' => $account_id,
			'user_id'    => $wp_user->ID,
		);
		if ( null !== $enabled ) {
			$params['enabled'] = (bool) $enabled;
		}
		if ( null !== $role && '' !== $role ) {
			$params['role'] = (string) $role;
		}
		return self::action( 'account.set_user', $params, $principal );
	}

	/**
	 * `wp pqm account invite <account-id> <email>`: create a WordPress user
	 * with the PQM Customer role, link it to the account and send WordPress's
	 * own "set your password" mail.
	 *
	 * @param int|string $account_id Account id.
	 * @param string     $email      E-mail address of the new login.
	 * @param string     $role       Portal role (viewer|approver).
	 * @param string     $name       Display name (optional).
	 * @param array|null $principal  Principal.
	 * @throws PQM_Command_Error On failure (nothing is left behind).
	 * @return array ['user_id', 'user_login', 'email', 'account_id', 'role', 'mail_sent'].
	 */
	public static function account_invite( $account_id, $email, $role = 'viewer', $name = '', $principal = null ) {
		$email = trim( (string) $email );
		if ( ! is_email( $email ) ) {
			/* translators: %s: what was typed */
			throw new PQM_Command_Error( sprintf( __( '"%s" is not a valid e-mail address.', 'pqm-client-panel' ), $email ) );
		}
		if ( email_exists( $email ) ) {
			/* translators: %s: e-mail address */
			throw new PQM_Command_Error( sprintf( __( 'A WordPress user with the e-mail %s already exists: link that user instead.', 'pqm-client-panel' ), $email ) );
		}
		$role = '' === (string) $role ? 'viewer' : (string) $role;
		if ( ! in_array( $role, array( 'viewer', 'approver' ), true ) ) {
			/* translators: %s: what was typed */
			throw new PQM_Command_Error( sprintf( __( 'Portal role must be viewer or approver, not "%s".', 'pqm-client-panel' ), $role ) );
		}
		// The account must exist (and the caller may manage accounts) before a user is created.
		$account = self::action( 'account.get', array( 'id' => $account_id ), $principal );

		PQM_Roles::add();
		$login = self::unique_login( $email );
		$name  = trim( (string) $name );
		$id    = wp_insert_user(
			array(
				'user_login'   => $login,
				'user_email'   => $email,
				'user_pass'    => wp_generate_password( 24, true, true ),
				'display_name' => '' !== $name ? $name : $login,
				'role'         => PQM_Roles::CUSTOMER,
			)
		);
		if ( is_wp_error( $id ) ) {
			/* translators: %s: error message */
			throw new PQM_Command_Error( sprintf( __( 'Could not create the user: %s', 'pqm-client-panel' ), $id->get_error_message() ) );
		}
		try {
			$link = self::action(
				'account.add_user',
				array(
					'account_id' => $account['id'],
					'user_id'    => $id,
					'role'       => $role,
				),
				$principal
			);
		} catch ( PQM_Command_Error $e ) {
			require_once ABSPATH . 'wp-admin/includes/user.php';
			wp_delete_user( $id );
			throw $e;
		}
		update_user_meta( $id, 'pqm_invited_to', (int) $account['id'] );

		// WordPress's own new-user mail with the set-password link.
		$sent_before = did_action( 'wp_mail_failed' );
		wp_new_user_notification( $id, null, 'user' );
		$mail_ok = did_action( 'wp_mail_failed' ) === $sent_before;

		return array(
			'user_id'    => (int) $id,
			'user_login' => $login,
			'email'      => $email,
			'account_id' => (int) $account['id'],
			'account'    => (string) $account['name'],
			'role'       => isset( $link['role'] ) ? $link['role'] : $role,
			'mail_sent'  => $mail_ok,
		);
	}

	/**
	 * A free user_login derived from the e-mail's local part.
	 *
	 * @param string $email E-mail address.
	 * @return string
	 */
	private static function unique_login( $email ) {
		$base = sanitize_user( strtolower( strstr( $email, '@', true ) ), true );
		$base = '' === $base ? 'customer' : substr( $base, 0, 50 );
		$try  = $base;
		for ( $n = 2; username_exists( $try ); $n++ ) {
			$try = $base . $n;
		}
		return $try;
	}

	// --------------------------------------------------------------- orders.

	/**
	 * `wp pqm order list` with filters (order.search).
	 *
	 * @param array      $filters search, status, account, department, from, to, overdue, state, orderby, order, page, per_page.
	 * @param array|null $principal Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array Page: items, total, total_capped, page, pages, …
	 */
	public static function order_search( array $filters, $principal = null ) {
		$map    = array(
			'search'       => 'search',
			'status'       => 'status',
			'account'      => 'account_id',
			'account_id'   => 'account_id',
			'department'   => 'department',
			'from'         => 'from',
			'to'           => 'to',
			'overdue'      => 'overdue',
			'state'        => 'state',
			'orderby'      => 'orderby',
			'order'        => 'order',
			'page'         => 'page',
			'paged'        => 'page',
			'per_page'     => 'per_page',
			'per-page'     => 'per_page',
			'with_options' => 'with_options',
			'complete'     => 'complete',
		);
		$params = array( 'today' => current_time( 'Y-m-d' ) );
		foreach ( $map as $in => $out ) {
			if ( isset( $filters[ $in ] ) && is_scalar( $filters[ $in ] ) && '' !== (string) $filters[ $in ] ) {
				$params[ $out ] = is_bool( $filters[ $in ] ) ? $filters[ $in ] : (string) $filters[ $in ];
			}
		}
		return self::action( 'order.search', $params, $principal );
	}

	/**
	 * `wp pqm order get <reference>`: the staff view, tasks and history.
	 *
	 * @param string     $reference    Order reference.
	 * @param bool       $with_options Also the dropdown choices (order screen).
	 * @param array|null $principal    Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array
	 */
	public static function order_get( $reference, $with_options = false, $principal = null ) {
		return self::action(
			'order.get',
			array(
				'reference'    => (string) $reference,
				'with_options' => (bool) $with_options,
			),
			$principal
		);
	}

	/**
	 * `wp pqm order update <reference> [--title] [--promised] …`.
	 *
	 * @param string     $reference Order reference.
	 * @param array      $fields    title, promised, expected, note, internal_note, delivery_method, delivery_info, account_id, status.
	 * @param array|null $principal Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array The order (staff view).
	 */
	public static function order_update( $reference, array $fields, $principal = null ) {
		$aliases = array(
			'title'           => 'title',
			'promised'        => 'promised',
			'expected'        => 'expected',
			'note'            => 'note',
			'internal-note'   => 'internal_note',
			'internal_note'   => 'internal_note',
			'delivery'        => 'delivery_method',
			'delivery_method' => 'delivery_method',
			'delivery-info'   => 'delivery_info',
			'delivery_info'   => 'delivery_info',
			'account'         => 'account_id',
			'account_id'      => 'account_id',
			'status'          => 'status',
		);
		$params  = array( 'reference' => (string) $reference );
		foreach ( $aliases as $in => $out ) {
			if ( array_key_exists( $in, $fields ) && is_scalar( $fields[ $in ] ) ) {
				$params[ $out ] = (string) $fields[ $in ];
			}
		}
		if ( 1 === count( $params ) ) {
			throw new PQM_Command_Error( __( 'Nothing to change: give at least one field, e.g. --title=<title>.', 'pqm-client-panel' ) );
		}
		return self::action( 'order.update', $params, $principal );
	}

	/**
	 * `wp pqm order delete <reference>`.
	 *
	 * @param string     $reference Order reference.
	 * @param array|null $principal Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array ['deleted' => reference].
	 */
	public static function order_delete( $reference, $principal = null ) {
		return self::action( 'order.delete', array( 'reference' => (string) $reference ), $principal );
	}

	/**
	 * Bulk status change (wp-admin list, `wp pqm order set-status A B C status`).
	 *
	 * @param string[]   $references Order references.
	 * @param string     $status     Status key.
	 * @param array|null $principal  Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array ['changed' => refs, 'missing' => refs].
	 */
	public static function order_bulk_status( array $references, $status, $principal = null ) {
		return self::action(
			'order.bulk_status',
			array(
				'references' => array_values( array_map( 'strval', $references ) ),
				'status'     => (string) $status,
			),
			$principal
		);
	}

	/**
	 * Create (reference + name) or update (id) a task.
	 *
	 * @param array      $fields    id | reference, name, department, assignee_user_id, clear_assignee, status, milestone, milestone_label, internal_comment.
	 * @param array|null $principal Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array Task row.
	 */
	public static function task_save( array $fields, $principal = null ) {
		$params = array();
		foreach ( array( 'id', 'reference', 'name', 'department', 'assignee_user_id', 'clear_assignee', 'status', 'milestone', 'milestone_label', 'internal_comment' ) as $key ) {
			if ( array_key_exists( $key, $fields ) && is_scalar( $fields[ $key ] ) ) {
				$params[ $key ] = is_bool( $fields[ $key ] ) ? $fields[ $key ] : (string) $fields[ $key ];
			}
		}
		return self::action( 'task.save', $params, $principal );
	}

	// ------------------------------------------------------------- statuses.

	/**
	 * `wp pqm status list`.
	 *
	 * @param array|null $principal Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array Status rows.
	 */
	public static function status_list( $principal = null ) {
		return self::action( 'status.list', array(), $principal );
	}

	/**
	 * `wp pqm status set <key> [--internal-label] [--customer-label] [--visible=yes|no] [--closed=yes|no] [--order=<n>]`.
	 * Changing visibility recomputes the customer-visible status of the orders concerned (Rust).
	 *
	 * @param string     $key       Status key.
	 * @param array      $fields    internal_label, customer_label, customer_visible, closed, sort_order.
	 * @param array|null $principal Principal.
	 * @throws PQM_Command_Error On failure.
	 * @return array The status row + created + orders_recomputed.
	 */
	public static function status_set( $key, array $fields, $principal = null ) {
		$aliases = array(
			'internal_label'   => 'internal_label',
			'internal-label'   => 'internal_label',
			'customer_label'   => 'customer_label',
			'customer-label'   => 'customer_label',
			'customer_visible' => 'customer_visible',
			'visible'          => 'customer_visible',
			'closed'           => 'closed',
			'sort_order'       => 'sort_order',
			'order'            => 'sort_order',
		);
		$params  = array( 'key' => (string) $key );
		foreach ( $aliases as $in => $out ) {
			if ( array_key_exists( $in, $fields ) && is_scalar( $fields[ $in ] ) && '' !== (string) $fields[ $in ] ) {
				$params[ $out ] = is_bool( $fields[ $in ] ) ? $fields[ $in ] : (string) $fields[ $in ];
			}
		}
		return self::action( 'status.set', $params, $principal );
	}

	// ----------------------------------------------------------------- demo.

	/**
	 * `wp pqm demo reset`: remove the demo accounts and their orders, then seed again.
	 *
	 * @throws PQM_Command_Error On failure.
	 * @return array ['reset' => Rust summary, 'seed' => demo_seed() result].
	 */
	public static function demo_reset() {
		$reset = self::action( 'demo.reset', array() );
		return array(
			'reset' => $reset,
			'seed'  => PQM_Commands::demo_seed(),
		);
	}

	// --------------------------------------------------------------- doctor.

	/**
	 * `wp pqm doctor`: the installation end to end. Each check:
	 * ['check' => id, 'label' => text, 'status' => ok|fail|warn, 'message' => text, 'fix' => text].
	 *
	 * @return array
	 */
	public static function doctor() {
		$checks = array();
		$add    = static function ( $check, $label, $status, $message, $fix = '' ) use ( &$checks ) {
			$checks[] = compact( 'check', 'label', 'status', 'message', 'fix' );
		};

		// 1. Extension loaded, right version.
		$loaded = PQM_Bridge::loaded_version();
		if ( '' === $loaded ) {
			$add(
				'extension',
				__( 'PHP extension', 'pqm-client-panel' ),
				'fail',
				__( 'The pqm PHP extension is not loaded.', 'pqm-client-panel' ),
				sprintf(
					/* translators: 1: extension dir, 2: ini line */
					__( 'Copy pqm.so into %1$s, add "%2$s" to php.ini (CLI and PHP-FPM) and restart PHP-FPM.', 'pqm-client-panel' ),
					(string) ini_get( 'extension_dir' ),
					'extension=pqm.so'
				)
			);
		} elseif ( PQM_PLUGIN_VERSION !== $loaded ) {
			$add(
				'extension',
				__( 'PHP extension', 'pqm-client-panel' ),
				'fail',
				/* translators: 1: loaded version, 2: needed version */
				sprintf( __( 'The pqm extension is version %1$s; this plugin needs %2$s.', 'pqm-client-panel' ), $loaded, PQM_PLUGIN_VERSION ),
				__( 'Install the pqm.so built from the same release as the plugin and restart PHP-FPM.', 'pqm-client-panel' )
			);
		} else {
			/* translators: %s: version */
			$add( 'extension', __( 'PHP extension', 'pqm-client-panel' ), 'ok', sprintf( __( 'pqm %s is loaded.', 'pqm-client-panel' ), $loaded ) );
		}

		// 2. Database reachable from Rust with the wp-config credentials; 3. schema current.
		$version = null;
		if ( '' !== $loaded && PQM_PLUGIN_VERSION === $loaded ) {
			try {
				$version = (int) PQM_Bridge::call(
					static function () {
						return \PQM\schema_version();
					},
					'doctor'
				);
				$cfg = PQM_Bridge::db_config();
				/* translators: 1: database name, 2: host */
				$add( 'database', __( 'Database', 'pqm-client-panel' ), 'ok', sprintf( __( 'The extension reaches database %1$s on %2$s.', 'pqm-client-panel' ), $cfg['name'], $cfg['host'] ) );
			} catch ( \Throwable $e ) {
				$detail = $e->getPrevious() ? $e->getPrevious()->getMessage() : $e->getMessage();
				$add(
					'database',
					__( 'Database', 'pqm-client-panel' ),
					'fail',
					/* translators: %s: error */
					sprintf( __( 'The extension cannot reach the database: %s', 'pqm-client-panel' ), $detail ),
					__( 'Check DB_HOST, DB_USER, DB_PASSWORD and DB_NAME in wp-config.php (or PQM_DB_HOST) and that MySQL/MariaDB runs and accepts this user from this host.', 'pqm-client-panel' )
				);
			}
		} else {
			$add( 'database', __( 'Database', 'pqm-client-panel' ), 'fail', __( 'Not checked: the extension is not loaded.', 'pqm-client-panel' ), __( 'Fix the PHP extension first.', 'pqm-client-panel' ) );
		}
		if ( null !== $version ) {
			$latest = (int) \PQM\latest_schema_version();
			if ( $version >= $latest ) {
				/* translators: %d: schema version */
				$add( 'schema', __( 'Database tables', 'pqm-client-panel' ), 'ok', sprintf( __( 'Schema version %d is current.', 'pqm-client-panel' ), $version ) );
			} else {
				$add(
					'schema',
					__( 'Database tables', 'pqm-client-panel' ),
					'fail',
					/* translators: 1: current, 2: expected */
					sprintf( __( 'Schema version %1$d, the code expects %2$d.', 'pqm-client-panel' ), $version, $latest ),
					__( 'Run: wp pqm migrate (or open any wp-admin page as an administrator).', 'pqm-client-panel' )
				);
			}
		} else {
			$add( 'schema', __( 'Database tables', 'pqm-client-panel' ), 'fail', __( 'Not checked: the database is not reachable.', 'pqm-client-panel' ), __( 'Fix the database connection first.', 'pqm-client-panel' ) );
		}

		// 4. Panel page present and published.
		$page = self::panel_page();
		if ( ! $page ) {
			$add(
				'panel_page',
				__( 'Client panel page', 'pqm-client-panel' ),
				'fail',
				__( 'No page holds the [pqm_client_panel] shortcode.', 'pqm-client-panel' ),
				__( 'Create a page with the shortcode [pqm_client_panel] and pick it in Client Panel → Settings (or run wp pqm demo seed on a demo site).', 'pqm-client-panel' )
			);
		} elseif ( 'publish' !== $page->post_status ) {
			$add(
				'panel_page',
				__( 'Client panel page', 'pqm-client-panel' ),
				'fail',
				/* translators: 1: title, 2: status */
				sprintf( __( 'The page "%1$s" is %2$s, not published: customers cannot open it.', 'pqm-client-panel' ), $page->post_title, $page->post_status ),
				__( 'Publish the page in Pages → Edit.', 'pqm-client-panel' )
			);
		} else {
			/* translators: 1: title, 2: URL */
			$add( 'panel_page', __( 'Client panel page', 'pqm-client-panel' ), 'ok', sprintf( __( '"%1$s" is published at %2$s.', 'pqm-client-panel' ), $page->post_title, get_permalink( $page ) ) );
		}

		// 5. File storage not reachable from the web (once files exist).
		/**
		 * Filters the folder where the files feature stores customer files ('' = none yet).
		 *
		 * @param string $dir Absolute path.
		 */
		$dir = (string) apply_filters( 'pqm_file_storage_dir', '' );
		if ( '' === $dir || ! is_dir( $dir ) ) {
			$add( 'file_storage', __( 'File storage', 'pqm-client-panel' ), 'ok', __( 'No file storage in use yet.', 'pqm-client-panel' ) );
		} else {
			$real    = (string) realpath( $dir );
			$webroot = array_filter( array( realpath( ABSPATH ), realpath( WP_CONTENT_DIR ), isset( $_SERVER['DOCUMENT_ROOT'] ) ? realpath( sanitize_text_field( wp_unslash( $_SERVER['DOCUMENT_ROOT'] ) ) ) : false ) );
			$exposed = false;
			foreach ( $webroot as $root ) {
				if ( 0 === strpos( $real . '/', rtrim( $root, '/' ) . '/' ) ) {
					$exposed = true;
				}
			}
			if ( $exposed ) {
				$add(
					'file_storage',
					__( 'File storage', 'pqm-client-panel' ),
					'fail',
					/* translators: %s: folder */
					sprintf( __( 'Customer files are stored in %s, inside the web root: they could be downloaded without an ownership check.', 'pqm-client-panel' ), $real ),
					__( 'Move the storage folder outside the web root (e.g. /var/lib/pqm-files) and point the plugin at it.', 'pqm-client-panel' )
				);
			} else {
				/* translators: %s: folder */
				$add( 'file_storage', __( 'File storage', 'pqm-client-panel' ), 'ok', sprintf( __( 'Files are stored outside the web root in %s.', 'pqm-client-panel' ), $real ) );
			}
		}

		return $checks;
	}

	/**
	 * The page holding the panel: option pqm_panel_page_id, else the
	 * client-panel slug.
	 *
	 * @return WP_Post|null
	 */
	public static function panel_page() {
		$id = (int) get_option( PQM_Commands::PANEL_PAGE_OPTION, 0 );
		if ( $id ) {
			$post = get_post( $id );
			if ( $post instanceof WP_Post && 'page' === $post->post_type && 'trash' !== $post->post_status ) {
				return $post;
			}
		}
		$post = get_page_by_path( PQM_Commands::PANEL_PAGE_SLUG, OBJECT, 'page' );
		return ( $post instanceof WP_Post && 'trash' !== $post->post_status && has_shortcode( $post->post_content, PQM_Shortcode_Client_Panel::TAG ) ) ? $post : null;
	}
}
