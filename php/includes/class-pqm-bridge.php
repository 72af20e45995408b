<?php
/**
 * The one place that calls the pqm PHP extension.
 *
 * Everything else in the plugin goes through PQM_Bridge::call() so that a
 * Rust panic, a database outage or a configuration problem is logged once
 * (with a "PQM:" prefix) and never reaches a customer as a raw message.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Bridge between WordPress and the pqm extension (namespace PQM).
 */
final class PQM_Bridge {

	/**
	 * Capability: may see the client panel for the accounts the user is linked to.
	 */
	const CAP_VIEW_PANEL = 'pqm_view_panel';

	/**
	 * Capability: create and update orders and statuses.
	 */
	const CAP_MANAGE_ORDERS = 'pqm_manage_orders';

	/**
	 * Capability: accounts, logins, access checks.
	 */
	const CAP_MANAGE_ACCOUNTS = 'pqm_manage_accounts';

	/**
	 * Capability: statuses, settings, demo data.
	 */
	const CAP_MANAGE_SETTINGS = 'pqm_manage_settings';

	/**
	 * The four plugin capabilities, in the order they are handed to Rust.
	 */
	const CAPS = array(
		self::CAP_VIEW_PANEL,
		self::CAP_MANAGE_ORDERS,
		self::CAP_MANAGE_ACCOUNTS,
		self::CAP_MANAGE_SETTINGS,
	);

	/**
	 * Exceptions of the extension whose message is safe to show to staff and
	 * CLI users; they are domain outcomes, not failures, and are rethrown as is.
	 */
	const SAFE_EXCEPTIONS = array(
		'PQM\\InvalidInputException',
		'PQM\\NotFoundException',
		'PQM\\AccessDeniedException',
	);

	/**
	 * Browser query parameters of the panel => keys of the $query array.
	 * Namespaced so they never collide with WordPress query vars.
	 */
	const QUERY_PARAMS = array(
		'pqm_order'   => 'order',
		'pqm_view'    => 'view',
		'pqm_account' => 'account',
		'pqm_page'    => 'page',
		'pqm_notice'  => 'notice', // Outcome of an upload or approval decision (issue #4).
	);

	/**
	 * Whether PQM\configure() ran successfully in this request.
	 *
	 * @var bool
	 */
	private static $configured = false;

	/**
	 * Cached result of available() (an extension cannot be unloaded mid-request).
	 *
	 * @var bool|null
	 */
	private static $available = null;

	/**
	 * Is the matching pqm extension loaded?
	 *
	 * @return bool
	 */
	public static function available() {
		if ( null === self::$available ) {
			self::$available = self::loaded_version() === PQM_PLUGIN_VERSION;
		}
		return self::$available;
	}

	/**
	 * Version of the loaded extension, or '' when it is not loaded.
	 *
	 * @return string
	 */
	public static function loaded_version() {
		if ( ! function_exists( 'PQM\\version' ) ) {
			return '';
		}
		try {
			$version = \PQM\version();
		} catch ( \Throwable $e ) {
			self::log( $e, 'version' );
			return '';
		}
		return is_string( $version ) ? $version : '';
	}

	/**
	 * The database settings handed to PQM\configure().
	 *
	 * The host may be overridden with the constant PQM_DB_HOST (e.g. to use a
	 * different socket or replica than WordPress does).
	 *
	 * @return array
	 */
	public static function db_config() {
		global $wpdb;

		$socket = ini_get( 'mysqli.default_socket' );

		return array(
			'host'     => (string) ( defined( 'PQM_DB_HOST' ) ? PQM_DB_HOST : DB_HOST ),
			'user'     => (string) DB_USER,
			'password' => (string) DB_PASSWORD,
			'name'     => (string) DB_NAME,
			'prefix'   => (string) $wpdb->prefix,
			'socket'   => is_string( $socket ) ? $socket : '',
		);
	}

	/**
	 * Configure the extension once per request (cheap when unchanged).
	 *
	 * @throws PQM_Unavailable_Error When the extension is missing or rejects the settings.
	 * @return void
	 */
	public static function configure() {
		if ( self::$configured ) {
			return;
		}
		self::guard(
			static function () {
				\PQM\configure( self::db_config() );
			},
			'configure'
		);
		self::$configured = true;
	}

	/**
	 * Forget the configuration, e.g. after switch_to_blog() changed the prefix
	 * (hooked to switch_blog).
	 *
	 * @return void
	 */
	public static function reset() {
		self::$configured = false;
	}

	/**
	 * The principal for the current user: id and the pqm_* caps they have.
	 *
	 * @return array{user_id:int, caps:string[]}
	 */
	public static function principal() {
		$caps = array();
		foreach ( self::CAPS as $cap ) {
			if ( current_user_can( $cap ) ) {
				$caps[] = $cap;
			}
		}
		return array(
			'user_id' => (int) get_current_user_id(),
			'caps'    => $caps,
		);
	}

	/**
	 * The pqm_* capabilities a given user has (user_can), for access checks.
	 *
	 * @param WP_User $user The user.
	 * @return string[]
	 */
	public static function user_caps( WP_User $user ) {
		$caps = array();
		foreach ( self::CAPS as $cap ) {
			if ( user_can( $user, $cap ) ) {
				$caps[] = $cap;
			}
		}
		return $caps;
	}

	/**
	 * The principal used by WP-CLI (the shell user is trusted with everything).
	 *
	 * @return array{user_id:int, caps:string[], cli:bool}
	 */
	public static function cli_principal() {
		return array(
			'user_id' => 0,
			'caps'    => self::CAPS,
			'cli'     => true,
		);
	}

	/**
	 * Run a callback that calls the extension, after configure().
	 *
	 * Domain exceptions (invalid input, not found, access denied) are
	 * rethrown unchanged: their messages are safe for staff. Anything else
	 * (database, configuration, Rust panic, TypeError …) is logged with a
	 * "PQM:" prefix and replaced by a PQM_Unavailable_Error whose previous
	 * exception is the original.
	 *
	 * @param callable $callback Code that calls PQM\… functions.
	 * @param string   $label    What is being done, for the log.
	 * @throws PQM_Unavailable_Error|\Exception On failure (see above).
	 * @return mixed Whatever the callback returns.
	 */
	public static function call( callable $callback, $label = 'call' ) {
		self::configure();
		return self::guard( $callback, $label );
	}

	/**
	 * Run a callback with the exception policy of call(), without configure().
	 *
	 * @param callable $callback Code that calls PQM\… functions.
	 * @param string   $label    What is being done, for the log.
	 * @throws PQM_Unavailable_Error|\Exception On failure.
	 * @return mixed
	 */
	private static function guard( callable $callback, $label ) {
		if ( ! self::available() ) {
			throw new PQM_Unavailable_Error(
				sprintf(
					/* translators: %s: plugin version, e.g. 0.1.0 */
					__( 'The pqm PHP extension (version %s) is not loaded.', 'pqm-client-panel' ),
					PQM_PLUGIN_VERSION
				)
			);
		}
		try {
			return $callback();
		} catch ( PQM_Unavailable_Error $e ) {
			throw $e;
		} catch ( \Throwable $e ) {
			if ( self::is_safe( $e ) ) {
				throw $e;
			}
			self::log( $e, $label );
			throw new PQM_Unavailable_Error(
				__( 'The client panel service is temporarily unavailable.', 'pqm-client-panel' ),
				0,
				$e
			);
		}
	}

	/**
	 * Is this one of the extension's exceptions whose message is safe for staff?
	 *
	 * @param \Throwable $e The exception.
	 * @return bool
	 */
	public static function is_safe( \Throwable $e ) {
		foreach ( self::SAFE_EXCEPTIONS as $class ) {
			if ( $e instanceof $class ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Write the detail of a failure to the PHP error log, for admins.
	 *
	 * @param \Throwable $e     The exception.
	 * @param string     $label What was being done.
	 * @return void
	 */
	public static function log( \Throwable $e, $label = '' ) {
		// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- The documented place for admin-only detail.
		error_log(
			sprintf(
				'PQM: %s failed: %s: %s in %s:%d',
				'' !== $label ? $label : 'call',
				get_class( $e ),
				$e->getMessage(),
				$e->getFile(),
				$e->getLine()
			)
		);
	}

	/**
	 * The panel URL for the current request: the page permalink plus the
	 * namespaced panel parameters that are in the query string.
	 *
	 * Built from the permalink rather than from HTTP_HOST / REQUEST_URI so it
	 * can never point anywhere but this site's panel page.
	 *
	 * @param string $base_url Permalink of the panel page.
	 * @param array  $query    Panel query keys (order, view, account, page).
	 * @return string
	 */
	public static function panel_url( $base_url, array $query ) {
		$params = array();
		foreach ( self::QUERY_PARAMS as $param => $key ) {
			if ( isset( $query[ $key ] ) && '' !== $query[ $key ] ) {
				$params[ $param ] = rawurlencode( $query[ $key ] );
			}
		}
		return $params ? add_query_arg( $params, $base_url ) : $base_url;
	}

	/**
	 * The context array for PQM\render_panel() (see docs/architecture.md).
	 *
	 * @param WP_Post|null $post  The page holding the panel; current post if null.
	 * @param array        $query Panel query, used for the login return URL.
	 * @return array
	 */
	public static function panel_context( $post = null, array $query = array() ) {
		$base_url = $post ? get_permalink( $post ) : get_permalink();
		if ( ! is_string( $base_url ) || '' === $base_url ) {
			$base_url = home_url( '/' );
		}

		$contact_name = trim( (string) get_option( 'pqm_contact_text', '' ) );
		if ( '' === $contact_name ) {
			$contact_name = __( 'the shop', 'pqm-client-panel' );
		}
		$admin_email = (string) get_option( 'admin_email', '' );
		$contact     = '' === $admin_email ? $contact_name : sprintf(
			/* translators: 1: who to contact, e.g. "the shop"; 2: e-mail address */
			__( '%1$s at %2$s', 'pqm-client-panel' ),
			$contact_name,
			$admin_email
		);

		$stylesheet_dir = get_stylesheet_directory() . '/pqm';
		$template_dir   = get_template_directory() . '/pqm';

		$context = array(
			'base_url'      => $base_url,
			'login_url'     => wp_login_url( self::panel_url( $base_url, $query ) ),
			/**
			 * Filters the "contact …" text shown when a login has no account yet.
			 *
			 * @param string $contact Text, e.g. "the shop at office@example.com".
			 */
			'contact'       => (string) apply_filters( 'pqm_contact_text', $contact ),
			// Stored HTML-escaped by WordPress; the template engine escapes again.
			'site_name'     => wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES ),
			'date_format'   => (string) get_option( 'date_format', 'F j, Y' ),
			'time_format'   => (string) get_option( 'time_format', 'g:i a' ),
			'utc_offset'    => (int) wp_timezone()->getOffset( new DateTime( 'now' ) ),
			'template_dirs' => array_values( array_unique( array( $stylesheet_dir, $template_dir ) ) ),
			'strings'       => PQM_Strings::all(),
			'locale_words'  => PQM_Strings::locale_words(),
		);

		/**
		 * Filters the context handed to the panel renderer.
		 *
		 * @param array $context See docs/architecture.md.
		 */
		return apply_filters( 'pqm_panel_context', $context );
	}
}
