<?php
/**
 * Plugin Name:       PQM Client Panel
 * Plugin URI:        https://example.com/pqm-client-panel
 * Description:       Customer portal for production businesses: each customer logs in and sees only their own orders, statuses and dates. Needs the pqm PHP extension.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      8.2
 * Author:            PQM
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       pqm-client-panel
 * Domain Path:       /languages
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

define( 'PQM_PLUGIN_FILE', __FILE__ );
define( 'PQM_PLUGIN_VERSION', '0.1.0' );
define( 'PQM_PLUGIN_DIR', plugin_dir_path( __FILE__ ) );

require_once PQM_PLUGIN_DIR . 'includes/class-pqm-unavailable-error.php';
require_once PQM_PLUGIN_DIR . 'includes/class-pqm-command-error.php';
require_once PQM_PLUGIN_DIR . 'includes/class-pqm-strings.php';
require_once PQM_PLUGIN_DIR . 'includes/class-pqm-bridge.php';
require_once PQM_PLUGIN_DIR . 'includes/class-pqm-roles.php';
require_once PQM_PLUGIN_DIR . 'includes/class-pqm-commands.php';
require_once PQM_PLUGIN_DIR . 'includes/class-pqm-files.php';
require_once PQM_PLUGIN_DIR . 'includes/class-pqm-file-commands.php';
require_once PQM_PLUGIN_DIR . 'includes/admin/class-pqm-admin-files.php';
require_once PQM_PLUGIN_DIR . 'includes/class-pqm-staff-commands.php';
require_once PQM_PLUGIN_DIR . 'includes/class-pqm-plugin.php';
require_once PQM_PLUGIN_DIR . 'includes/class-pqm-messages.php';
require_once PQM_PLUGIN_DIR . 'includes/class-pqm-message-commands.php';
require_once PQM_PLUGIN_DIR . 'includes/admin/class-pqm-admin-messages.php';
require_once __DIR__ . '/shortcodes/class-pqm-shortcode-client-panel.php';

register_activation_hook( __FILE__, array( 'PQM_Plugin', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'PQM_Plugin', 'deactivate' ) );

PQM_Plugin::init();
