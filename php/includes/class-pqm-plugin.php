<?php
/**
 * Wiring: hooks, activation, upgrades, the "extension missing" notice.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Plugin bootstrap.
 */
final class PQM_Plugin {

	/**
	 * Option holding "<plugin version>/schema-<n>" of the last successful migration run.
	 */
	const DB_VERSION_OPTION = 'pqm_db_version';

	/**
	 * Register the hooks. Features that need the extension are only wired up
	 * when the matching pqm extension is loaded (guarded bootstrap).
	 *
	 * @return void
	 */
	public static function init() {
		add_action( 'init', array( __CLASS__, 'load_textdomain' ) );

		$available = PQM_Bridge::available();

		// Without the extension the shortcode still exists and says "temporarily unavailable".
		PQM_Shortcode_Client_Panel::register( $available );

		if ( ! $available ) {
			add_action( 'admin_notices', array( __CLASS__, 'missing_extension_notice' ) );
			add_action( 'network_admin_notices', array( __CLASS__, 'missing_extension_notice' ) );
			return;
		}

		add_action( 'admin_init', array( __CLASS__, 'maybe_upgrade' ) );
		add_action( 'switch_blog', array( 'PQM_Bridge', 'reset' ) ); // The table prefix changed.
		PQM_Messages::register();       // Messages, notifications (issue #3).
		PQM_Admin_Messages::register();

		// Files and approvals (issue #4): download/upload/decision endpoints, wp-admin screens.
		PQM_Files::init();
		PQM_Admin_Files::init();
		if ( is_admin() ) {
			self::load_admin();
		}

		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			self::register_cli();
		}
	}

	/**
	 * The staff workspace (includes/admin/): menus, screens, handlers, Site Health.
	 *
	 * @return void
	 */
	public static function load_admin() {
		$dir = PQM_PLUGIN_DIR . 'includes/admin/';
		require_once $dir . 'class-pqm-admin.php';
		require_once $dir . 'class-pqm-admin-screens.php';
		require_once $dir . 'class-pqm-admin-health.php';
		require_once $dir . 'class-pqm-orders-list-table.php';
		PQM_Admin::init();
	}

	/**
	 * Load translations from languages/.
	 *
	 * @return void
	 */
	public static function load_textdomain() {
		load_plugin_textdomain( 'pqm-client-panel', false, dirname( plugin_basename( PQM_PLUGIN_FILE ) ) . '/languages' );
	}

	/**
	 * Activation: roles, then the database schema (if the extension is loaded).
	 *
	 * A failed migration does not block activation: it is logged and retried
	 * on the next admin page load (see maybe_upgrade()).
	 *
	 * @return void
	 */
	public static function activate() {
		PQM_Roles::add();

		if ( ! PQM_Bridge::available() ) {
			return; // The admin notice explains how to load the extension.
		}
		try {
			self::migrate();
		} catch ( \Throwable $e ) {
			if ( ! $e instanceof PQM_Unavailable_Error ) {
				PQM_Bridge::log( $e, 'migrate (activation)' );
			}
		}
	}

	/**
	 * Deactivation keeps roles, data and settings (removed by uninstall.php).
	 *
	 * @return void
	 */
	public static function deactivate() {
		// Nothing to undo: no cron events, no rewrite rules.
	}

	/**
	 * Run the migrations and record the version they ran for.
	 *
	 * @throws PQM_Unavailable_Error|\Exception When the extension fails.
	 * @return array List of ['version' => int, 'name' => string] applied now.
	 */
	public static function migrate() {
		$applied = PQM_Bridge::call(
			static function () {
				return \PQM\migrate();
			},
			'migrate'
		);
		update_option( self::DB_VERSION_OPTION, self::db_version(), true );
		return is_array( $applied ) ? $applied : array();
	}

	/**
	 * What the option records: the plugin version and the newest migration
	 * the loaded extension knows, so a build that adds a migration triggers
	 * the upgrade even when the plugin version did not change.
	 *
	 * @return string
	 */
	private static function db_version() {
		return PQM_PLUGIN_VERSION . '/schema-' . (int) \PQM\latest_schema_version();
	}

	/**
	 * On admin_init: after an update (or an activation whose migration failed)
	 * bring roles and schema up to date.
	 *
	 * @return void
	 */
	public static function maybe_upgrade() {
		if ( get_option( self::DB_VERSION_OPTION ) === self::db_version() ) {
			return;
		}
		PQM_Roles::add();
		try {
			self::migrate();
		} catch ( \Throwable $e ) {
			if ( ! $e instanceof PQM_Unavailable_Error ) {
				PQM_Bridge::log( $e, 'migrate (upgrade)' );
			}
			add_action( 'admin_notices', array( __CLASS__, 'migration_failed_notice' ) );
		}
	}

	/**
	 * Register the WP-CLI commands (only under WP-CLI).
	 *
	 * @return void
	 */
	public static function register_cli() {
		$dir = PQM_PLUGIN_DIR . 'includes/cli/';
		require_once $dir . 'class-pqm-cli-command.php';
		require_once $dir . 'class-pqm-cli-migrate-command.php';
		require_once $dir . 'class-pqm-cli-account-command.php';
		require_once $dir . 'class-pqm-cli-order-command.php';
		require_once $dir . 'class-pqm-cli-demo-command.php';
		require_once $dir . 'class-pqm-cli-access-command.php';
		require_once $dir . 'class-pqm-cli-file-command.php';
		require_once $dir . 'class-pqm-cli-approval-command.php';
		require_once $dir . 'class-pqm-cli-status-command.php';
		require_once $dir . 'class-pqm-cli-doctor-command.php';
		require_once $dir . 'class-pqm-cli-message-command.php';

		if ( class_exists( 'WP_CLI\\Dispatcher\\CommandNamespace' ) ) {
			require_once $dir . 'class-pqm-cli-namespace.php';
			WP_CLI::add_command( 'pqm', 'PQM_CLI_Namespace' );
		}
		WP_CLI::add_command( 'pqm migrate', 'PQM_CLI_Migrate_Command' );
		WP_CLI::add_command( 'pqm account', 'PQM_CLI_Account_Command' );
		WP_CLI::add_command( 'pqm order', 'PQM_CLI_Order_Command' );
		WP_CLI::add_command( 'pqm demo', 'PQM_CLI_Demo_Command' );
		WP_CLI::add_command( 'pqm access', 'PQM_CLI_Access_Command' );
		WP_CLI::add_command( 'pqm file', 'PQM_CLI_File_Command' );
		WP_CLI::add_command( 'pqm approval', 'PQM_CLI_Approval_Command' );
		WP_CLI::add_command( 'pqm status', 'PQM_CLI_Status_Command' );
		WP_CLI::add_command( 'pqm doctor', 'PQM_CLI_Doctor_Command' );
		WP_CLI::add_command( 'pqm message', 'PQM_CLI_Message_Command' );
	}

	/**
	 * Admin notice: the pqm extension is missing or of another version.
	 *
	 * @return void
	 */
	public static function missing_extension_notice() {
		if ( ! current_user_can( 'activate_plugins' ) ) {
			return;
		}

		$loaded   = PQM_Bridge::loaded_version();
		$php      = PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
		$ini      = php_ini_loaded_file();
		$ext_dir  = (string) ini_get( 'extension_dir' );
		$fpm      = 'php' . $php . '-fpm';
		$ini_hint = $ini ? $ini : sprintf( '/etc/php/%s/fpm/php.ini', $php );
		$ini_line = 'extension=pqm.so';
		$restart  = 'sudo systemctl restart ' . $fpm;
		$headline = '' === $loaded
			? sprintf(
				/* translators: %s: plugin version */
				__( 'PQM Client Panel needs the pqm PHP extension (version %s), which is not loaded. The client panel shows "temporarily unavailable" until it is.', 'pqm-client-panel' ),
				PQM_PLUGIN_VERSION
			)
			: sprintf(
				/* translators: 1: loaded extension version, 2: required version */
				__( 'PQM Client Panel found version %1$s of the pqm PHP extension but needs version %2$s. Install the pqm.so shipped with this plugin version. The client panel shows "temporarily unavailable" until then.', 'pqm-client-panel' ),
				$loaded,
				PQM_PLUGIN_VERSION
			);
		?>
		<div class="notice notice-error">
			<p><strong><?php echo esc_html( $headline ); ?></strong></p>
			<ol>
				<li>
					<?php
					printf(
						/* translators: %s: PHP extension directory */
						esc_html__( 'Copy pqm.so into the PHP extension directory: %s', 'pqm-client-panel' ),
						'<code>' . esc_html( $ext_dir ) . '</code>'
					);
					?>
				</li>
				<li>
					<?php
					printf(
						/* translators: 1: php.ini line, 2: php.ini path */
						esc_html__( 'Add the line %1$s to php.ini (%2$s), or to a file in its conf.d folder.', 'pqm-client-panel' ),
						'<code>' . esc_html( $ini_line ) . '</code>',
						'<code>' . esc_html( $ini_hint ) . '</code>'
					);
					?>
				</li>
				<li>
					<?php
					printf(
						/* translators: %s: shell command */
						esc_html__( 'Restart PHP-FPM (or your web server), for example: %s', 'pqm-client-panel' ),
						'<code>' . esc_html( $restart ) . '</code>'
					);
					?>
				</li>
			</ol>
		</div>
		<?php
	}

	/**
	 * Admin notice: the database upgrade failed (detail is in the PHP error log).
	 *
	 * @return void
	 */
	public static function migration_failed_notice() {
		if ( ! current_user_can( 'activate_plugins' ) && ! current_user_can( 'pqm_manage_settings' ) ) {
			return;
		}
		echo '<div class="notice notice-error"><p>'
			. esc_html__( 'PQM Client Panel could not update its database tables. The details are in the PHP error log (lines starting with "PQM:"). It will try again on the next admin page load, or run: wp pqm migrate', 'pqm-client-panel' )
			. '</p></div>';
	}
}
