<?php
/**
 * Logic of `wp pqm message …` as plain static methods (tests call them
 * without WP-CLI), like PQM_Commands.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Message commands.
 */
final class PQM_Message_Commands {

	/**
	 * `wp pqm message list <order-ref>`: the full thread, internal notes included.
	 *
	 * @param string $reference Order reference.
	 * @throws PQM_Command_Error On failure.
	 * @return array Rows: id, created_at, author, kind, visibility, body, seen_by_customer.
	 */
	public static function message_list( $reference ) {
		$thread = self::action( 'message.list', array( 'reference' => (string) $reference ) );
		$rows   = array();
		foreach ( (array) ( $thread['messages'] ?? array() ) as $m ) {
			$rows[] = array(
				'id'               => $m['id'],
				'created_at'       => $m['created_at'],
				'author'           => $m['author_name'],
				'kind'             => $m['author_kind'],
				'visibility'       => $m['internal'] ? 'internal' : 'customer',
				'body'             => $m['body'],
				'seen_by_customer' => $m['seen_by_customer'],
			);
		}
		return $rows;
	}

	/**
	 * `wp pqm message add <order-ref> --body=<text> [--internal] [--as=<user>]`.
	 *
	 * @param string      $reference Order reference.
	 * @param string      $body      Text.
	 * @param bool        $internal  Internal note (staff only).
	 * @param string|null $as        Staff user (login, e-mail or id) shown as the author.
	 * @throws PQM_Command_Error On failure.
	 * @return array ['status','message_id','notified'].
	 */
	public static function message_add( $reference, $body, $internal = false, $as = null ) {
		$author_id   = 0;
		$author_name = __( 'Staff', 'pqm-client-panel' );
		if ( null !== $as && '' !== $as ) {
			$user = PQM_Commands::resolve_user( $as );
			if ( ! user_can( $user, PQM_Bridge::CAP_MANAGE_ORDERS ) ) {
				throw new PQM_Command_Error( sprintf( /* translators: %s: user login */ __( 'User %s is not staff (lacks pqm_manage_orders).', 'pqm-client-panel' ), $user->user_login ) );
			}
			$author_id   = (int) $user->ID;
			$author_name = $user->display_name;
		}
		$params = array(
			'reference'   => (string) $reference,
			'body'        => (string) $body,
			'internal'    => (bool) $internal,
			'author_name' => $author_name,
			'staff'       => PQM_Messages::staff_users(),
		);
		if ( $author_id ) {
			$params['author_user_id'] = $author_id;
		}
		$result = self::action( 'message.staff_post', $params );
		PQM_Messages::send_pending_mail();
		return $result;
	}

	/**
	 * Run an action as the CLI principal; failures become PQM_Command_Error.
	 *
	 * @param string $name   Action.
	 * @param array  $params Params.
	 * @throws PQM_Command_Error On failure.
	 * @return array
	 */
	private static function action( $name, array $params ) {
		try {
			return PQM_Commands::action( $name, $params );
		} catch ( PQM_Command_Error $e ) {
			if ( $e->getPrevious() instanceof \PQM\NotFoundException ) {
				/* translators: %s: order reference */
				throw new PQM_Command_Error( sprintf( __( 'There is no order %s.', 'pqm-client-panel' ), $params['reference'] ?? '' ), 0, $e->getPrevious() );
			}
			throw $e;
		}
	}
}
