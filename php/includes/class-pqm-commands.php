<?php
/**
 * The logic behind every `wp pqm …` command, as plain static methods so
 * tests (and other admin code) can call them without WP-CLI.
 *
 * Every method returns arrays or throws PQM_Command_Error with a message for
 * the person at the shell. Ownership and validation rules stay in Rust; this
 * class only resolves WordPress users and maps arguments.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Command logic.
 */
final class PQM_Commands {

	/**
	 * Password of every demo login (docs/demo-data.md).
	 */
	const DEMO_PASSWORD = 'pqm-demo-2026';

	/**
	 * Slug of the demo panel page.
	 */
	const PANEL_PAGE_SLUG = 'client-panel';

	/**
	 * Option holding the id of the demo panel page.
	 */
	const PANEL_PAGE_OPTION = 'pqm_panel_page_id';

	/**
	 * Demo logins => [WordPress role, display name]; see docs/demo-data.md.
	 */
	const DEMO_USERS = array(
		'alice'   => array( 'pqm_customer', 'Alice' ),
		'amy'     => array( 'pqm_customer', 'Amy' ),
		'bob'     => array( 'pqm_customer', 'Bob' ),
		'carol'   => array( 'pqm_customer', 'Carol' ),
		'dave'    => array( 'pqm_customer', 'Dave' ),
		'manager' => array( 'pqm_manager', 'Manager' ),
		'sam'     => array( 'subscriber', 'Sam' ),
	);

	/**
	 * Demo logins handed to Rust's demo.seed (the customer logins).
	 */
	const DEMO_SEED_USERS = array( 'alice', 'amy', 'bob', 'carol', 'dave', 'manager' ); // manager: assignee of the demo tasks.

	/**
	 * `wp pqm migrate`: apply pending migrations.
	 *
	 * @throws PQM_Command_Error On failure.
	 * @return array List of ['version' => int, 'name' => string] applied now.
	 */
	public static function migrate() {
		try {
			$applied = PQM_Plugin::migrate();
		} catch ( \Throwable $e ) {
			throw self::to_command_error( $e );
		}
		return array_values( $applied );
	}

	/**
	 * Highest applied migration (0 = none).
	 *
	 * @throws PQM_Command_Error On failure.
	 * @return int
	 */
	public static function schema_version() {
		try {
			return (int) PQM_Bridge::call(
				static function () {
					return \PQM\schema_version();
				},
				'schema_version'
			);
		} catch ( \Throwable $e ) {
			throw self::to_command_error( $e );
		}
	}

	/**
	 * `wp pqm account create`.
	 *
	 * @param string          $name         Account name.
	 * @param bool            $consolidated Create a consolidated (group) account.
	 * @param int|string|null $parent       Id of the consolidated parent account.
	 * @throws PQM_Command_Error On failure.
	 * @return array The account row.
	 */
	public static function account_create( $name, $consolidated = false, $parent = null ) {
		$params = array(
			'name'         => (string) $name,
			'consolidated' => (bool) $consolidated,
		);
		if ( null !== $parent && '' !== $parent ) {
			$params['parent'] = $parent;
		}
		return self::action( 'account.create', $params );
	}

	/**
	 * `wp pqm account list`.
	 *
	 * @throws PQM_Command_Error On failure.
	 * @return array Rows: id, name, kind, parent_id, portal_enabled, logins, orders.
	 */
	public static function account_list() {
		return self::action( 'account.list', array() );
	}

	/**
	 * `wp pqm account add-user`: link a WordPress user to an account. A user
	 * who cannot see the panel yet also gets the pqm_customer role (added to
	 * their existing roles, never replacing them).
	 *
	 * @param int|string $account_id Account id.
	 * @param string     $user       User login, e-mail or id.
	 * @param string     $role       Portal role: viewer or approver.
	 * @throws PQM_Command_Error On failure.
	 * @return array The link row, plus user_login and wp_role_added.
	 */
	public static function account_add_user( $account_id, $user, $role = 'viewer' ) {
		$wp_user = self::resolve_user( $user );
		$link    = self::action(
			'account.add_user',
			array(
				'account_id' => $account_id,
				'user_id'    => $wp_user->ID,
				'role'       => '' === (string) $role ? 'viewer' : (string) $role,
			)
		);

		$role_added = false;
		if ( ! user_can( $wp_user, PQM_Roles::VIEW_CAP ) ) {
			$wp_user->add_role( PQM_Roles::CUSTOMER );
			$role_added = true;
		}

		$link['user_login']    = $wp_user->user_login;
		$link['wp_role_added'] = $role_added;
		return $link;
	}

	/**
	 * `wp pqm order create`.
	 *
	 * Accepts the WP-CLI option names (account, internal-note) as well as the
	 * action's parameter names (account_id, internal_note).
	 *
	 * @param array $assoc account, title, reference, status, promised, expected, note, internal-note.
	 * @throws PQM_Command_Error On failure.
	 * @return array The order row.
	 */
	public static function order_create( array $assoc ) {
		$aliases = array(
			'account'       => 'account_id',
			'account_id'    => 'account_id',
			'title'         => 'title',
			'reference'     => 'reference',
			'status'        => 'status',
			'promised'      => 'promised',
			'expected'      => 'expected',
			'note'          => 'note',
			'internal-note' => 'internal_note',
			'internal_note' => 'internal_note',
		);
		$params  = array();
		foreach ( $aliases as $option => $param ) {
			if ( isset( $assoc[ $option ] ) && is_scalar( $assoc[ $option ] ) && '' !== (string) $assoc[ $option ] ) {
				$params[ $param ] = (string) $assoc[ $option ];
			}
		}
		if ( ! isset( $params['account_id'] ) ) {
			throw new PQM_Command_Error( __( 'Missing --account=<id>.', 'pqm-client-panel' ) );
		}
		if ( ! isset( $params['title'] ) ) {
			throw new PQM_Command_Error( __( 'Missing --title=<title>.', 'pqm-client-panel' ) );
		}
		return self::action( 'order.create', $params );
	}

	/**
	 * `wp pqm order list`.
	 *
	 * @param int|string|null $account Only orders of this account.
	 * @throws PQM_Command_Error On failure.
	 * @return array Order rows.
	 */
	public static function order_list( $account = null ) {
		$params = array();
		if ( null !== $account && '' !== $account ) {
			$params['account_id'] = $account;
		}
		return self::action( 'order.list', $params );
	}

	/**
	 * `wp pqm order set-status`.
	 *
	 * @param string $reference Order reference, e.g. PQ-1001.
	 * @param string $status    Status key, e.g. on_press.
	 * @throws PQM_Command_Error On failure.
	 * @return array The order row.
	 */
	public static function order_set_status( $reference, $status ) {
		return self::action(
			'order.set_status',
			array(
				'reference' => (string) $reference,
				'status'    => (string) $status,
			)
		);
	}

	/**
	 * `wp pqm access check`: may this user see this order, and why.
	 *
	 * @param string $user      User login, e-mail or id.
	 * @param string $reference Order reference.
	 * @throws PQM_Command_Error On failure.
	 * @return array ['allowed' => bool, 'reason' => string, 'user_id', 'user_login', 'reference', 'caps'].
	 */
	public static function access_check( $user, $reference ) {
		$wp_user = self::resolve_user( $user );
		$caps    = PQM_Bridge::user_caps( $wp_user );
		$result  = self::action(
			'access.check',
			array(
				'user_id'   => $wp_user->ID,
				'caps'      => $caps,
				'reference' => (string) $reference,
			)
		);
		return array(
			'allowed'    => ! empty( $result['allowed'] ),
			'reason'     => isset( $result['reason'] ) ? (string) $result['reason'] : '',
			'user_id'    => $wp_user->ID,
			'user_login' => $wp_user->user_login,
			'reference'  => (string) $reference,
			'caps'       => $caps,
		);
	}

	/**
	 * `wp pqm demo seed`: demo users, demo data (Rust) and the panel page.
	 *
	 * Safe to run twice: existing users are reused (their password is not
	 * changed), Rust matches accounts and orders by name and reference, and
	 * the page is reused.
	 *
	 * @throws PQM_Command_Error On failure.
	 * @return array ['users' => rows, 'seed' => Rust summary, 'page_id' => int, 'page_url' => string].
	 */
	public static function demo_seed() {
		PQM_Roles::add(); // The roles must exist before users get them.

		$rows = array();
		$ids  = array();
		foreach ( self::DEMO_USERS as $login => $spec ) {
			list( $role, $display_name ) = $spec;

			$user    = get_user_by( 'login', $login );
			$created = false;
			if ( ! $user ) {
				$id = wp_insert_user(
					array(
						'user_login'   => $login,
						'user_pass'    => self::DEMO_PASSWORD,
						'user_email'   => $login . '@example.com',
						'display_name' => $display_name,
						'first_name'   => $display_name,
						'nickname'     => $login,
						'role'         => $role,
					)
				);
				if ( is_wp_error( $id ) ) {
					throw new PQM_Command_Error(
						sprintf(
							/* translators: 1: user login, 2: error message */
							__( 'Could not create the demo user "%1$s": %2$s', 'pqm-client-panel' ),
							$login,
							$id->get_error_message()
						)
					);
				}
				update_user_meta( $id, 'pqm_demo_user', 1 );
				$user    = get_user_by( 'id', $id );
				$created = true;
			} elseif ( ! in_array( $role, (array) $user->roles, true ) ) {
				$user->add_role( $role );
			}

			$ids[ $login ] = (int) $user->ID;
			$rows[]        = array(
				'login'  => $login,
				'id'     => (int) $user->ID,
				'role'   => $role,
				'status' => $created ? 'created' : 'reused',
			);
		}

		$seed = self::action(
			'demo.seed',
			array(
				'users'   => array_intersect_key( $ids, array_flip( self::DEMO_SEED_USERS ) ),
				'storage' => PQM_Files::storage_dir(), // Demo proof and production file (issue #4).
			)
		);

		$page_id = self::ensure_panel_page();

		return array(
			'users'    => $rows,
			'seed'     => $seed,
			'page_id'  => $page_id,
			'page_url' => (string) get_permalink( $page_id ),
		);
	}

	/**
	 * Make sure a published page with slug client-panel holding the shortcode
	 * exists; remember its id in the option pqm_panel_page_id.
	 *
	 * @throws PQM_Command_Error When the page cannot be saved.
	 * @return int Page id.
	 */
	public static function ensure_panel_page() {
		$shortcode = '[' . PQM_Shortcode_Client_Panel::TAG . ']';

		$page = null;
		$id   = (int) get_option( self::PANEL_PAGE_OPTION, 0 );
		if ( $id ) {
			$candidate = get_post( $id );
			if ( $candidate instanceof WP_Post && 'page' === $candidate->post_type && 'trash' !== $candidate->post_status ) {
				$page = $candidate;
			}
		}
		if ( ! $page ) {
			$candidate = get_page_by_path( self::PANEL_PAGE_SLUG, OBJECT, 'page' );
			if ( $candidate instanceof WP_Post && 'trash' !== $candidate->post_status ) {
				$page = $candidate;
			}
		}

		if ( ! $page ) {
			$result = wp_insert_post(
				array(
					'post_type'      => 'page',
					'post_status'    => 'publish',
					'post_title'     => __( 'Client Panel', 'pqm-client-panel' ),
					'post_name'      => self::PANEL_PAGE_SLUG,
					'post_content'   => "<!-- wp:shortcode -->\n" . $shortcode . "\n<!-- /wp:shortcode -->",
					'comment_status' => 'closed',
					'ping_status'    => 'closed',
				),
				true
			);
		} elseif ( 'publish' !== $page->post_status || ! has_shortcode( $page->post_content, PQM_Shortcode_Client_Panel::TAG ) ) {
			$content = $page->post_content;
			if ( ! has_shortcode( $content, PQM_Shortcode_Client_Panel::TAG ) ) {
				$content .= "\n\n<!-- wp:shortcode -->\n" . $shortcode . "\n<!-- /wp:shortcode -->";
			}
			$result = wp_update_post(
				array(
					'ID'           => $page->ID,
					'post_status'  => 'publish',
					'post_content' => $content,
				),
				true
			);
		} else {
			$result = $page->ID;
		}

		if ( is_wp_error( $result ) || ! $result ) {
			throw new PQM_Command_Error(
				sprintf(
					/* translators: %s: error message */
					__( 'Could not save the Client Panel page: %s', 'pqm-client-panel' ),
					is_wp_error( $result ) ? $result->get_error_message() : __( 'unknown error', 'pqm-client-panel' )
				)
			);
		}

		update_option( self::PANEL_PAGE_OPTION, (int) $result, false );
		return (int) $result;
	}

	/**
	 * Find a WordPress user by id, e-mail or login (like WP-CLI's UserFetcher).
	 *
	 * @param int|string|WP_User $user Id, e-mail or login.
	 * @throws PQM_Command_Error When no such user exists.
	 * @return WP_User
	 */
	public static function resolve_user( $user ) {
		if ( $user instanceof WP_User ) {
			return $user;
		}
		$user  = trim( (string) $user );
		$found = false;
		if ( '' !== $user ) {
			if ( ctype_digit( $user ) ) {
				$found = get_user_by( 'id', (int) $user );
			}
			if ( ! $found && is_email( $user ) ) {
				$found = get_user_by( 'email', $user );
			}
			if ( ! $found ) {
				$found = get_user_by( 'login', $user );
			}
		}
		if ( ! $found instanceof WP_User ) {
			throw new PQM_Command_Error(
				sprintf(
					/* translators: %s: what the user typed */
					__( 'No WordPress user "%s" (give a login, e-mail or id).', 'pqm-client-panel' ),
					$user
				)
			);
		}
		return $found;
	}

	/**
	 * Run a Rust action as the CLI principal (shared by every *_Commands class).
	 *
	 * @param string $name   Action name, e.g. account.create.
	 * @param array  $params Action parameters.
	 * @throws PQM_Command_Error On failure; the extension's exception is getPrevious().
	 * @return array
	 */
	public static function action( $name, array $params ) {
		try {
			$result = PQM_Bridge::call(
				static function () use ( $name, $params ) {
					return \PQM\action( $name, PQM_Bridge::cli_principal(), $params );
				},
				'action ' . $name
			);
		} catch ( \Throwable $e ) {
			throw self::to_command_error( $e );
		}
		return is_array( $result ) ? $result : array();
	}

	/**
	 * Turn any failure into a PQM_Command_Error with a message for the shell
	 * user. The CLI user has shell access to the server, so infrastructure
	 * detail (e.g. the database error) is included; it was also logged.
	 *
	 * @param \Throwable $e The failure.
	 * @return PQM_Command_Error
	 */
	private static function to_command_error( \Throwable $e ) {
		if ( $e instanceof PQM_Command_Error ) {
			return $e;
		}
		if ( PQM_Bridge::is_safe( $e ) ) {
			return new PQM_Command_Error( $e->getMessage(), 0, $e );
		}
		$detail = $e->getPrevious() ? $e->getPrevious()->getMessage() : '';
		$text   = '' === $detail ? $e->getMessage() : $e->getMessage() . ' (' . $detail . ')';
		return new PQM_Command_Error( $text, 0, $e );
	}
}
