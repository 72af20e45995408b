<?php
/**
 * Roles and capabilities of the plugin.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Adds and removes the pqm_customer / pqm_manager roles and the pqm_* caps.
 *
 * Kept free of any dependency on the extension so uninstall.php can use it.
 */
final class PQM_Roles {

	/**
	 * Role of a customer login.
	 */
	const CUSTOMER = 'pqm_customer';

	/**
	 * Role of a staff member who runs the portal.
	 */
	const MANAGER = 'pqm_manager';

	/**
	 * Capability: see the client panel.
	 */
	const VIEW_CAP = 'pqm_view_panel';

	/**
	 * Staff capabilities.
	 */
	const MANAGE_CAPS = array(
		'pqm_manage_orders',
		'pqm_manage_accounts',
		'pqm_manage_settings',
	);

	/**
	 * Capabilities of each plugin role.
	 *
	 * @return array<string, array<string, bool>>
	 */
	public static function role_caps() {
		$manager = array(
			'read'         => true,
			'upload_files' => true,
			'list_users'   => true,
		);
		foreach ( self::MANAGE_CAPS as $cap ) {
			$manager[ $cap ] = true;
		}
		return array(
			self::CUSTOMER => array(
				'read'         => true,
				self::VIEW_CAP => true,
			),
			self::MANAGER  => $manager,
		);
	}

	/**
	 * Create the roles (or bring existing ones up to date) and give
	 * administrators the staff capabilities. Idempotent.
	 *
	 * Administrators deliberately do not get pqm_view_panel: the panel always
	 * shows the customer view of the logged-in user's own accounts.
	 *
	 * @return void
	 */
	public static function add() {
		$names = array(
			self::CUSTOMER => __( 'PQM Customer', 'pqm-client-panel' ),
			self::MANAGER  => __( 'PQM Manager', 'pqm-client-panel' ),
		);

		foreach ( self::role_caps() as $role_name => $caps ) {
			$role = get_role( $role_name );
			if ( ! $role ) {
				add_role( $role_name, $names[ $role_name ], $caps );
				continue;
			}
			foreach ( $caps as $cap => $grant ) {
				if ( empty( $role->capabilities[ $cap ] ) ) {
					$role->add_cap( $cap, $grant );
				}
			}
		}

		$admin = get_role( 'administrator' );
		if ( $admin ) {
			foreach ( self::MANAGE_CAPS as $cap ) {
				if ( empty( $admin->capabilities[ $cap ] ) ) {
					$admin->add_cap( $cap );
				}
			}
		}
	}

	/**
	 * Remove the plugin roles and strip the pqm_* caps from every other role.
	 *
	 * Users who had only a plugin role are left without a role, as WordPress
	 * does for any removed role.
	 *
	 * @return void
	 */
	public static function remove() {
		remove_role( self::CUSTOMER );
		remove_role( self::MANAGER );

		$caps = array_merge( array( self::VIEW_CAP ), self::MANAGE_CAPS );
		foreach ( wp_roles()->role_objects as $role ) {
			foreach ( $caps as $cap ) {
				if ( isset( $role->capabilities[ $cap ] ) ) {
					$role->remove_cap( $cap );
				}
			}
		}
	}
}
