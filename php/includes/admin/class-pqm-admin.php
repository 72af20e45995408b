<?php
/**
 * The staff workspace in wp-admin: Orders (list + order screen), Accounts
 * (logins, link, invite, portal on/off), Preview as customer, Settings
 * (statuses, panel page) and Site Health tests.
 *
 * Every state-changing request goes through handle(): capability
 * (current_user_can) → nonce (check_admin_referer) → one PQM\action with the
 * user's own principal (Rust checks the capability again) → redirect with a
 * notice. Screens make one PQM\action call each. All output is escaped.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * wp-admin glue.
 */
final class PQM_Admin {

	/**
	 * admin-post.php actions => [capability, method].
	 */
	const POST_ACTIONS = array(
		'pqm_order_create'    => array( 'pqm_manage_orders', 'post_order_create' ),
		'pqm_order_update'    => array( 'pqm_manage_orders', 'post_order_update' ),
		'pqm_order_delete'    => array( 'pqm_manage_orders', 'post_order_delete' ),
		'pqm_task_save'       => array( 'pqm_manage_orders', 'post_task_save' ),
		'pqm_account_create'  => array( 'pqm_manage_accounts', 'post_account_create' ),
		'pqm_account_update'  => array( 'pqm_manage_accounts', 'post_account_update' ),
		'pqm_account_delete'  => array( 'pqm_manage_accounts', 'post_account_delete' ),
		'pqm_account_link'    => array( 'pqm_manage_accounts', 'post_account_link' ),
		'pqm_account_invite'  => array( 'pqm_manage_accounts', 'post_account_invite' ),
		'pqm_login_update'    => array( 'pqm_manage_accounts', 'post_login_update' ),
		'pqm_status_save'     => array( 'pqm_manage_settings', 'post_status_save' ),
		'pqm_settings_save'   => array( 'pqm_manage_settings', 'post_settings_save' ),
	);

	/**
	 * Hook suffix of the orders screen.
	 *
	 * @var string
	 */
	private static $orders_hook = '';

	/**
	 * What a form posted before its save failed (see PQM_Admin_Screens::posted_form),
	 * taken from the pending notice by notices(): ['action', 'key', 'fields'].
	 *
	 * @var array|null
	 */
	private static $kept = null;

	/**
	 * The orders list table of this request.
	 *
	 * @var PQM_Orders_List_Table|null
	 */
	private static $table = null;

	/**
	 * Register hooks (called from PQM_Plugin::init when the extension is loaded).
	 *
	 * @return void
	 */
	public static function init() {
		add_action( 'admin_menu', array( __CLASS__, 'menu' ) );
		add_action( 'admin_notices', array( __CLASS__, 'notices' ) );
		add_filter( 'set_screen_option_pqm_orders_per_page', array( __CLASS__, 'save_per_page' ), 10, 3 );
		add_filter( 'site_status_tests', array( 'PQM_Admin_Health', 'tests' ) );
		foreach ( array_keys( self::POST_ACTIONS ) as $action ) {
			// Logged-in only: without admin_post_nopriv_* WordPress answers 400 to visitors.
			add_action( 'admin_post_' . $action, array( __CLASS__, 'dispatch_post' ) );
		}
	}

	/**
	 * Menu: Client Panel → Orders, Accounts, Preview as customer, Settings.
	 *
	 * @return void
	 */
	public static function menu() {
		self::$orders_hook = add_menu_page(
			__( 'Orders', 'pqm-client-panel' ),
			__( 'Client Panel', 'pqm-client-panel' ),
			'pqm_manage_orders',
			'pqm-orders',
			array( 'PQM_Admin_Screens', 'orders' ),
			'dashicons-clipboard',
			26
		);
		add_submenu_page( 'pqm-orders', __( 'Orders', 'pqm-client-panel' ), __( 'Orders', 'pqm-client-panel' ), 'pqm_manage_orders', 'pqm-orders', array( 'PQM_Admin_Screens', 'orders' ) );
		add_submenu_page( 'pqm-orders', __( 'Accounts', 'pqm-client-panel' ), __( 'Accounts', 'pqm-client-panel' ), 'pqm_manage_accounts', 'pqm-accounts', array( 'PQM_Admin_Screens', 'accounts' ) );
		$preview = add_submenu_page( 'pqm-orders', __( 'Preview as customer', 'pqm-client-panel' ), __( 'Preview as customer', 'pqm-client-panel' ), 'pqm_manage_accounts', 'pqm-preview', array( 'PQM_Admin_Screens', 'preview' ) );
		add_submenu_page( 'pqm-orders', __( 'Client Panel settings', 'pqm-client-panel' ), __( 'Settings', 'pqm-client-panel' ), 'pqm_manage_settings', 'pqm-settings', array( 'PQM_Admin_Screens', 'settings' ) );

		add_action( 'load-' . self::$orders_hook, array( __CLASS__, 'load_orders' ) );
		add_action( 'load-' . $preview, array( __CLASS__, 'load_preview' ) );
		add_action( 'admin_enqueue_scripts', array( __CLASS__, 'styles' ) );
	}

	/**
	 * Styles of the PQM screens (and the panel CSS for the preview).
	 *
	 * @param string $hook Hook suffix.
	 * @return void
	 */
	public static function styles( $hook ) {
		if ( false === strpos( (string) $hook, 'pqm-' ) ) {
			return;
		}
		wp_enqueue_style( 'pqm-admin', plugins_url( 'assets/pqm-admin.css', PQM_PLUGIN_FILE ), array(), PQM_PLUGIN_VERSION );
		if ( false !== strpos( (string) $hook, 'pqm-preview' ) ) {
			wp_enqueue_style( 'pqm-panel', plugins_url( 'assets/pqm-panel.css', PQM_PLUGIN_FILE ), array(), PQM_PLUGIN_VERSION );
		}
	}

	/**
	 * Orders screen load: screen options, bulk status change (POST, nonce "bulk-orders").
	 *
	 * @return void
	 */
	public static function load_orders() {
		add_screen_option(
			'per_page',
			array(
				'label'   => __( 'Orders per page', 'pqm-client-panel' ),
				'default' => 20,
				'option'  => 'pqm_orders_per_page',
			)
		);
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- Checked in handle_bulk().
		if ( isset( $_SERVER['REQUEST_METHOD'] ) && 'POST' === $_SERVER['REQUEST_METHOD'] && isset( $_POST['references'] ) ) {
			self::handle_bulk();
		}
	}

	/**
	 * Screen option: keep per page between 1 and 200.
	 *
	 * @param mixed  $keep   Default.
	 * @param string $option Option name.
	 * @param mixed  $value  Value.
	 * @return int
	 */
	public static function save_per_page( $keep, $option, $value ) {
		return max( 1, min( 200, (int) $value ) );
	}

	/**
	 * Bulk "Set status" from the order list.
	 *
	 * @return void
	 */
	private static function handle_bulk() {
		if ( ! current_user_can( 'pqm_manage_orders' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'pqm-client-panel' ), 403 );
		}
		check_admin_referer( 'bulk-orders' );
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- Verified just above.
		$action = '';
		foreach ( array( 'action', 'action2' ) as $key ) {
			if ( isset( $_POST[ $key ] ) && is_scalar( $_POST[ $key ] ) && '-1' !== $_POST[ $key ] ) {
				$action = sanitize_text_field( wp_unslash( $_POST[ $key ] ) );
				break;
			}
		}
		$refs = isset( $_POST['references'] ) && is_array( $_POST['references'] ) ? array_map( 'sanitize_text_field', wp_unslash( $_POST['references'] ) ) : array();
		// phpcs:enable
		// Back to the same search, filters and page. Not wp_get_referer(): the
		// table form posts to the list's own URL, and wp_get_referer() is false
		// when the referer is the current URL, which lost the search.
		$ref  = wp_get_raw_referer();
		$ref  = $ref ? wp_validate_redirect( $ref, '' ) : '';
		$back = remove_query_arg( array( 'pqm_notice' ), '' !== $ref ? $ref : admin_url( 'admin.php?page=pqm-orders' ) );
		if ( 0 !== strpos( $action, 'status:' ) ) {
			self::redirect( $back, 'error', __( 'Pick a bulk action.', 'pqm-client-panel' ) );
		}
		try {
			$r = PQM_Staff_Commands::order_bulk_status( $refs, substr( $action, 7 ), PQM_Bridge::principal() );
			/* translators: %d: number of orders */
			self::redirect( $back, 'success', sprintf( _n( 'Status changed on %d order.', 'Status changed on %d orders.', count( $r['changed'] ), 'pqm-client-panel' ), count( $r['changed'] ) ) );
		} catch ( PQM_Command_Error $e ) {
			self::redirect( $back, 'error', $e->getMessage() );
		}
	}

	/**
	 * Preview screen load: nothing is cached, the panel may answer 404 inside.
	 *
	 * @return void
	 */
	public static function load_preview() {
		nocache_headers();
	}

	/**
	 * admin-post.php entry: capability, then nonce, then the handler.
	 *
	 * @return void
	 */
	public static function dispatch_post() {
		$action = current_action();
		$action = substr( $action, strlen( 'admin_post_' ) );
		if ( ! isset( self::POST_ACTIONS[ $action ] ) ) {
			wp_die( '', 400 );
		}
		list( $cap, $method ) = self::POST_ACTIONS[ $action ];
		if ( ! current_user_can( $cap ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'pqm-client-panel' ), esc_html__( 'Forbidden', 'pqm-client-panel' ), array( 'response' => 403 ) );
		}
		check_admin_referer( $action ); // Dies with 403 "The link you followed has expired." on a missing or wrong nonce.
		$back = self::back_url();
		try {
			$message = call_user_func( array( 'PQM_Admin_Screens', $method ), PQM_Bridge::principal() );
			if ( is_array( $message ) ) {
				list( $url, $text ) = $message;
				self::redirect( $url, 'success', $text );
			}
			self::redirect( $back, 'success', (string) $message );
		} catch ( PQM_Command_Error $e ) {
			// The form comes back with what was typed, so nothing has to be typed again.
			self::redirect( $back, 'error', $e->getMessage(), PQM_Admin_Screens::posted_form( $action ) );
		}
	}

	/**
	 * Where to go back to: the posted _wp_http_referer (same site only).
	 *
	 * @return string
	 */
	private static function back_url() {
		$ref = wp_get_referer();
		return remove_query_arg( 'pqm_notice', $ref ? $ref : admin_url( 'admin.php?page=pqm-orders' ) );
	}

	/**
	 * Redirect with a one-time notice for this user.
	 *
	 * @param string     $url  Where.
	 * @param string     $type success|error.
	 * @param string     $text Message.
	 * @param array|null $kept The failed form's values to show again (PQM_Admin_Screens::posted_form).
	 * @return void
	 */
	public static function redirect( $url, $type, $text, $kept = null ) {
		set_transient( 'pqm_notice_' . get_current_user_id(), array( $type, $text, $kept ), 120 );
		wp_safe_redirect( add_query_arg( 'pqm_notice', '1', $url ) );
		exit;
	}

	/**
	 * Show the pending notice on PQM screens.
	 *
	 * @return void
	 */
	public static function notices() {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- Display only.
		if ( empty( $_GET['pqm_notice'] ) ) {
			return;
		}
		$key    = 'pqm_notice_' . get_current_user_id();
		$notice = get_transient( $key );
		if ( ! is_array( $notice ) ) {
			return;
		}
		delete_transient( $key );
		list( $type, $text ) = $notice;
		self::$kept          = isset( $notice[2] ) && is_array( $notice[2] ) ? $notice[2] : null;
		printf(
			'<div class="notice notice-%1$s is-dismissible pqm-notice pqm-notice-%1$s"><p>%2$s</p></div>',
			esc_attr( 'error' === $type ? 'error' : 'success' ),
			esc_html( $text )
		);
	}

	/**
	 * The values a form of `$action` (for `$key`, e.g. the order reference)
	 * posted before its save failed, to show again; empty when there are none.
	 * Screens render after admin_notices, which takes them from the notice.
	 *
	 * @param string $action POST action.
	 * @param string $key    Which record the form was for ('' = a create form).
	 * @return array<string,string>
	 */
	public static function kept( $action, $key = '' ) {
		$k = self::$kept;
		if ( ! is_array( $k ) || ! isset( $k['action'], $k['key'], $k['fields'] ) || $action !== $k['action'] || (string) $key !== (string) $k['key'] ) {
			return array();
		}
		return (array) $k['fields'];
	}

	/**
	 * URL of the order screen.
	 *
	 * @param string $reference Order reference.
	 * @return string
	 */
	public static function order_url( $reference ) {
		return add_query_arg(
			array(
				'page'  => 'pqm-orders',
				'order' => rawurlencode( $reference ),
			),
			admin_url( 'admin.php' )
		);
	}

	/**
	 * A date (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, UTC for datetimes) in the site's format.
	 *
	 * @param string|null $value Date.
	 * @return string
	 */
	public static function date( $value ) {
		if ( null === $value || '' === $value ) {
			return '—';
		}
		$ts = strtotime( (string) $value . ( strlen( (string) $value ) > 10 ? ' UTC' : '' ) );
		return false === $ts ? (string) $value : wp_date( get_option( 'date_format', 'Y-m-d' ), $ts, strlen( (string) $value ) > 10 ? null : new DateTimeZone( 'UTC' ) );
	}

	/**
	 * A hidden nonce + action field pair for an admin-post form.
	 *
	 * @param string $action POST action.
	 * @return void
	 */
	public static function form_fields( $action ) {
		echo '<input type="hidden" name="action" value="' . esc_attr( $action ) . '" />';
		wp_nonce_field( $action );
	}
}
