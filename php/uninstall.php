<?php
/**
 * Uninstall PQM Client Panel.
 *
 * Always removes the plugin roles (pqm_customer, pqm_manager) and the pqm_*
 * capabilities. Customer data — the pqm_* tables and options — is removed
 * ONLY when the option `pqm_delete_data_on_uninstall` is truthy (the
 * "Delete all data on uninstall" setting), so deleting the plugin by mistake
 * never loses orders. To opt in from the shell before deleting the plugin:
 *
 *     wp option update pqm_delete_data_on_uninstall 1
 *
 * This file does not need the pqm extension: tables are dropped with $wpdb.
 *
 * @package PQM_Client_Panel
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/class-pqm-roles.php';

/**
 * Uninstall one site: roles always, data only when opted in.
 *
 * @return void
 */
function pqm_uninstall_site() {
	global $wpdb;

	PQM_Roles::remove();

	if ( ! get_option( 'pqm_delete_data_on_uninstall' ) ) {
		return;
	}

	// Children before parents, in case the tables carry foreign keys.
	$tables = array(
		'pqm_user_prefs',
		'pqm_notifications',
		'pqm_message_reads',
		'pqm_threads',
		'pqm_messages',
		'pqm_status_history',
		'pqm_tasks',
		'pqm_orders',
		'pqm_account_users',
		'pqm_statuses',
		'pqm_accounts',
		'pqm_migrations',
	);
	foreach ( $tables as $table ) {
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- Fixed table names; identifiers cannot be prepared.
		$wpdb->query( "DROP TABLE IF EXISTS `{$wpdb->prefix}{$table}`" );
	}

	$options = array(
		'pqm_db_version',
		'pqm_panel_page_id',
		'pqm_contact_text',
		'pqm_delete_data_on_uninstall',
		'pqm_message_rate_limit',
		'pqm_staff_display',
		'pqm_team_label',
	);
	foreach ( $options as $option ) {
		delete_option( $option );
	}
	delete_metadata( 'user', 0, 'pqm_demo_user', '', true );
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $pqm_site_id ) {
		switch_to_blog( $pqm_site_id );
		pqm_uninstall_site();
		restore_current_blog();
	}
} else {
	pqm_uninstall_site();
}
