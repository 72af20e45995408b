<?php
/**
 * `wp pqm access …`.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Explains who can see what.
 */
class PQM_CLI_Access_Command extends PQM_CLI_Command {

	/**
	 * Tells whether a user may see an order in the client panel, and why.
	 *
	 * Uses the same rule as the client panel itself, with the user's current
	 * WordPress capabilities. Prints "allowed" or "denied" and the reason;
	 * exits with 0 in both cases (1 only when the check itself fails, e.g.
	 * the user does not exist).
	 *
	 * ## OPTIONS
	 *
	 * <user>
	 * : User login, e-mail address or id.
	 *
	 * <order-ref>
	 * : Order reference, e.g. PQ-1001.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm access check alice PQ-1001
	 *     allowed: alice (user 2) may see PQ-1001: linked to account Acme Print Co
	 *
	 *     $ wp pqm access check bob PQ-1001
	 *     denied: bob (user 4) may not see PQ-1001: order belongs to an account bob is not linked to
	 *
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options (none).
	 */
	public function check( $args, $assoc_args ) {
		list( $user, $reference ) = $args;

		$result = $this->run(
			static function () use ( $user, $reference ) {
				return PQM_Commands::access_check( $user, $reference );
			}
		);

		if ( $result['allowed'] ) {
			/* translators: 1: user login, 2: user id, 3: order reference, 4: reason */
			$line = __( 'allowed: %1$s (user %2$d) may see %3$s: %4$s', 'pqm-client-panel' );
		} else {
			/* translators: 1: user login, 2: user id, 3: order reference, 4: reason */
			$line = __( 'denied: %1$s (user %2$d) may not see %3$s: %4$s', 'pqm-client-panel' );
		}
		WP_CLI::log( sprintf( $line, $result['user_login'], $result['user_id'], $result['reference'], $result['reason'] ) );
	}
}
