<?php
/**
 * Site Health (Tools → Site Health) tests of the plugin: the same checks as
 * `wp pqm doctor` (PQM_Staff_Commands::doctor()).
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Site Health tests.
 */
final class PQM_Admin_Health {

	/**
	 * Doctor results of this request (the checks run once).
	 *
	 * @var array|null
	 */
	private static $checks = null;

	/**
	 * Register the direct tests.
	 *
	 * @param array $tests Site Health tests.
	 * @return array
	 */
	public static function tests( $tests ) {
		foreach ( array( 'extension', 'database', 'schema', 'panel_page', 'file_storage' ) as $check ) {
			$tests['direct'][ 'pqm_' . $check ] = array(
				'label' => 'PQM: ' . $check,
				'test'  => static function () use ( $check ) {
					return PQM_Admin_Health::result( $check );
				},
			);
		}
		return $tests;
	}

	/**
	 * One Site Health result.
	 *
	 * @param string $check Check id.
	 * @return array
	 */
	public static function result( $check ) {
		if ( null === self::$checks ) {
			self::$checks = PQM_Staff_Commands::doctor();
		}
		foreach ( self::$checks as $c ) {
			if ( $c['check'] !== $check ) {
				continue;
			}
			$ok = 'ok' === $c['status'];
			return array(
				'label'       => $ok ? $c['label'] . ': ' . __( 'OK', 'pqm-client-panel' ) : $c['label'] . ': ' . $c['message'],
				'status'      => $ok ? 'good' : 'critical',
				'badge'       => array(
					'label' => __( 'Client Panel', 'pqm-client-panel' ),
					'color' => $ok ? 'blue' : 'red',
				),
				'description' => '<p>' . esc_html( $c['message'] ) . '</p>' . ( '' !== $c['fix'] ? '<p>' . esc_html( $c['fix'] ) . '</p>' : '' ),
				'actions'     => '',
				'test'        => 'pqm_' . $check,
			);
		}
		return array();
	}
}
