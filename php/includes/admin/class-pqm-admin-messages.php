<?php
/**
 * wp-admin: the staff Messages screen and the per-order thread (issue #3).
 *
 * admin.php?page=pqm-messages                 every thread, unanswered first
 * admin.php?page=pqm-messages&order=PQ-1001   one order's full thread + reply form
 *
 * The thread is also offered to the order screen of the staff workspace via
 * the action `pqm_admin_order_sections` (see order_section()). Rust decides
 * everything (capability pqm_manage_orders is checked there too) and hands
 * back message bodies already escaped (`body_html`); every other value is
 * escaped here with esc_html()/esc_attr()/esc_url().
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Staff messages screens.
 */
final class PQM_Admin_Messages {

	const PAGE         = 'pqm-messages';
	const NONCE_ACTION = 'pqm_staff_message';

	/**
	 * Hooks.
	 *
	 * @return void
	 */
	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'menu' ) );
		add_action( 'admin_post_pqm_staff_message', array( __CLASS__, 'handle_post' ) );
		add_action( 'pqm_admin_order_sections', array( __CLASS__, 'order_section' ), 20, 1 );
	}

	/**
	 * The Messages menu entry.
	 *
	 * @return void
	 */
	public static function menu() {
		add_menu_page(
			__( 'Client messages', 'pqm-client-panel' ),
			__( 'Client messages', 'pqm-client-panel' ),
			PQM_Bridge::CAP_MANAGE_ORDERS,
			self::PAGE,
			array( __CLASS__, 'render' ),
			'dashicons-format-chat',
			27
		);
	}

	/**
	 * Run a staff action with the current user's principal.
	 *
	 * @param string $name   Action.
	 * @param array  $params Params.
	 * @return array
	 */
	private static function action( $name, array $params ) {
		$result = PQM_Bridge::call(
			static function () use ( $name, $params ) {
				return \PQM\action( $name, PQM_Bridge::principal(), $params );
			},
			$name
		);
		return is_array( $result ) ? $result : array();
	}

	/**
	 * A GET parameter as a clean string.
	 *
	 * @param string $key Name.
	 * @return string
	 */
	private static function get_param( $key ) {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- Read-only screen parameters.
		if ( ! isset( $_GET[ $key ] ) || ! is_scalar( $_GET[ $key ] ) ) {
			return '';
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- Validated by Rust; escaped on output.
		return trim( wp_unslash( (string) $_GET[ $key ] ) );
	}

	/**
	 * Site-time rendering of a UTC timestamp from Rust ("2026-12-02T10:00:00").
	 *
	 * @param string|null $utc Timestamp.
	 * @return string
	 */
	public static function when( $utc ) {
		if ( ! is_string( $utc ) || '' === $utc ) {
			return '';
		}
		$ts = strtotime( $utc . ' UTC' );
		return false === $ts ? '' : wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), $ts );
	}

	/**
	 * URL of one order's thread.
	 *
	 * @param string $reference Order reference.
	 * @return string
	 */
	public static function thread_url( $reference ) {
		return add_query_arg( array( 'page' => self::PAGE, 'order' => rawurlencode( $reference ) ), admin_url( 'admin.php' ) );
	}

	/**
	 * The screen.
	 *
	 * @return void
	 */
	public static function render() {
		if ( ! current_user_can( PQM_Bridge::CAP_MANAGE_ORDERS ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to see client messages.', 'pqm-client-panel' ), 403 );
		}
		echo '<div class="wrap pqm-admin-messages">';
		$reference = self::get_param( 'order' );
		try {
			if ( '' !== $reference ) {
				self::render_thread_page( $reference );
			} else {
				self::render_inbox();
			}
		} catch ( \PQM\NotFoundException $e ) {
			echo '<h1>' . esc_html__( 'Client messages', 'pqm-client-panel' ) . '</h1>';
			echo '<div class="notice notice-error pqm-not-found"><p>' . esc_html( sprintf( /* translators: %s: order reference */ __( 'There is no order %s.', 'pqm-client-panel' ), $reference ) ) . '</p></div>';
		} catch ( \Throwable $e ) {
			if ( ! $e instanceof PQM_Unavailable_Error ) {
				PQM_Bridge::log( $e, 'admin messages' );
			}
			echo '<h1>' . esc_html__( 'Client messages', 'pqm-client-panel' ) . '</h1>';
			echo '<div class="notice notice-error pqm-error"><p>' . esc_html__( 'The messages cannot be shown right now (details are in the PHP error log). Please try again in a few minutes.', 'pqm-client-panel' ) . '</p></div>';
		}
		echo '</div>';
	}

	/**
	 * Every thread, unanswered customer messages first.
	 *
	 * @return void
	 */
	private static function render_inbox() {
		$account = self::get_param( 'account' );
		$unread  = '1' === self::get_param( 'unread' );
		$search  = self::get_param( 's' );
		$page    = max( 1, (int) self::get_param( 'paged' ) );
		$inbox   = self::action(
			'message.inbox',
			array(
				'account_id' => ctype_digit( $account ) ? (int) $account : null,
				'unread'     => $unread,
				'search'     => $search,
				'page'       => $page,
				'per_page'   => 20,
			)
		);
		$accounts = self::action( 'account.list', array() );
		$base     = admin_url( 'admin.php' );

		echo '<h1 class="wp-heading-inline">' . esc_html__( 'Client messages', 'pqm-client-panel' ) . '</h1>';
		echo '<form method="get" action="' . esc_url( $base ) . '" class="pqm-inbox-filter">';
		echo '<input type="hidden" name="page" value="' . esc_attr( self::PAGE ) . '">';
		echo '<p class="search-box"><label class="screen-reader-text" for="pqm-msg-search">' . esc_html__( 'Search messages', 'pqm-client-panel' ) . '</label>';
		echo '<input type="search" id="pqm-msg-search" name="s" value="' . esc_attr( $search ) . '"> ';
		echo '<select name="account"><option value="">' . esc_html__( 'All accounts', 'pqm-client-panel' ) . '</option>';
		foreach ( $accounts as $a ) {
			if ( 'customer' !== ( $a['kind'] ?? '' ) ) {
				continue;
			}
			echo '<option value="' . esc_attr( (string) $a['id'] ) . '"' . selected( (string) $a['id'], $account, false ) . '>' . esc_html( $a['name'] ) . '</option>';
		}
		echo '</select> <label><input type="checkbox" name="unread" value="1"' . checked( $unread, true, false ) . '> ' . esc_html__( 'Unread only', 'pqm-client-panel' ) . '</label> ';
		echo '<button class="button">' . esc_html__( 'Filter', 'pqm-client-panel' ) . '</button></p></form>';

		$rows = isset( $inbox['rows'] ) ? (array) $inbox['rows'] : array();
		echo '<table class="widefat striped pqm-inbox"><thead><tr>';
		foreach ( array( __( 'Order', 'pqm-client-panel' ), __( 'Account', 'pqm-client-panel' ), __( 'Last message', 'pqm-client-panel' ), __( 'Messages', 'pqm-client-panel' ), __( 'Last activity', 'pqm-client-panel' ) ) as $h ) {
			echo '<th scope="col">' . esc_html( $h ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		if ( ! $rows ) {
			echo '<tr><td colspan="5" class="pqm-inbox-empty">' . esc_html__( 'No conversations match.', 'pqm-client-panel' ) . '</td></tr>';
		}
		foreach ( $rows as $r ) {
			$flags = '';
			if ( ! empty( $r['awaiting_reply'] ) ) {
				$flags .= ' <span class="pqm-badge pqm-badge--awaiting">' . esc_html__( 'Awaiting reply', 'pqm-client-panel' ) . '</span>';
			}
			if ( ! empty( $r['unread'] ) ) {
				$flags .= ' <span class="pqm-badge pqm-badge--unread">' . esc_html__( 'Unread', 'pqm-client-panel' ) . '</span>';
			}
			$who = 'staff' === $r['last_author_kind'] ? ( ! empty( $r['last_internal'] ) ? __( 'Internal note', 'pqm-client-panel' ) : __( 'Staff', 'pqm-client-panel' ) ) : __( 'Customer', 'pqm-client-panel' );
			echo '<tr class="pqm-inbox-row" data-ref="' . esc_attr( $r['reference'] ) . '">';
			echo '<td><a href="' . esc_url( self::thread_url( $r['reference'] ) ) . '"><strong>' . esc_html( $r['reference'] ) . '</strong></a> ' . esc_html( $r['title'] ) . $flags . '</td>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- $flags is built from escaped parts.
			echo '<td>' . esc_html( $r['account'] ) . '</td>';
			echo '<td class="pqm-snippet"><em>' . esc_html( $who ) . ':</em> ' . esc_html( $r['snippet'] ) . '</td>';
			echo '<td>' . esc_html( (string) $r['message_count'] ) . '</td>';
			echo '<td>' . esc_html( self::when( $r['last_message_at'] ) ) . '</td></tr>';
		}
		echo '</tbody></table>';

		$pages = (int) ( $inbox['pages'] ?? 1 );
		if ( $pages > 1 ) {
			$args = array_filter( array( 'page' => self::PAGE, 'account' => $account, 's' => $search, 'unread' => $unread ? '1' : '' ) );
			echo '<nav class="pqm-pagination tablenav"><span class="displaying-num">' . esc_html( sprintf( /* translators: 1: page, 2: pages, 3: threads */ __( 'Page %1$s of %2$s (%3$s conversations)', 'pqm-client-panel' ), number_format_i18n( $inbox['page'] ), number_format_i18n( $pages ), number_format_i18n( $inbox['total'] ) ) ) . '</span> ';
			if ( $inbox['page'] > 1 ) {
				echo '<a class="button" rel="prev" href="' . esc_url( add_query_arg( $args + array( 'paged' => $inbox['page'] - 1 ), $base ) ) . '">' . esc_html__( '‹ Previous', 'pqm-client-panel' ) . '</a> ';
			}
			if ( $inbox['page'] < $pages ) {
				echo '<a class="button" rel="next" href="' . esc_url( add_query_arg( $args + array( 'paged' => $inbox['page'] + 1 ), $base ) ) . '">' . esc_html__( 'Next ›', 'pqm-client-panel' ) . '</a>';
			}
			echo '</nav>';
		}
	}

	/**
	 * The per-order thread page.
	 *
	 * @param string $reference Order reference.
	 * @return void
	 */
	private static function render_thread_page( $reference ) {
		echo '<p><a href="' . esc_url( add_query_arg( 'page', self::PAGE, admin_url( 'admin.php' ) ) ) . '">' . esc_html__( '← All conversations', 'pqm-client-panel' ) . '</a></p>';
		self::render_thread( $reference, true );
	}

	/**
	 * The full thread (internal notes included, marked) and the reply form.
	 *
	 * @param string $reference Order reference.
	 * @param bool   $heading   Print the page heading.
	 * @return void
	 */
	public static function render_thread( $reference, $heading ) {
		$thread = self::action( 'message.thread', array( 'reference' => $reference, 'mark_seen' => true ) );
		if ( $heading ) {
			echo '<h1>' . esc_html( sprintf( /* translators: 1: reference, 2: title */ __( 'Messages on %1$s — %2$s', 'pqm-client-panel' ), $thread['reference'], $thread['title'] ) ) . '</h1>';
			echo '<p class="pqm-thread-meta">' . esc_html( $thread['account'] ) . ' · ' . esc_html( $thread['status'] ) . '</p>';
		}
		$notice = self::get_param( 'pqm_notice' );
		if ( 'sent' === $notice ) {
			echo '<div class="notice notice-success is-dismissible"><p>' . esc_html__( 'Message saved.', 'pqm-client-panel' ) . '</p></div>';
		}
		$draft = null;
		$token = self::get_param( 'pqm_draft' );
		if ( '' !== $token ) {
			$draft = PQM_Messages::get_draft( PQM_Messages::clean_token( $token ) );
		}
		if ( is_array( $draft ) ) {
			echo '<div class="notice notice-error pqm-message-error"><p>' . esc_html( $draft['error'] ) . '</p></div>';
		}

		echo '<ol class="pqm-admin-thread" data-ref="' . esc_attr( $thread['reference'] ) . '">';
		if ( empty( $thread['messages'] ) ) {
			echo '<li class="pqm-admin-thread-empty">' . esc_html__( 'No messages yet.', 'pqm-client-panel' ) . '</li>';
		}
		foreach ( (array) $thread['messages'] as $m ) {
			$internal = ! empty( $m['internal'] );
			$class    = 'pqm-admin-message pqm-admin-message--' . ( 'staff' === $m['author_kind'] ? 'staff' : 'customer' ) . ( $internal ? ' pqm-admin-message--internal' : '' );
			$style    = $internal ? 'background:#fff8e5;border-left:4px solid #dba617;' : ( 'staff' === $m['author_kind'] ? 'background:#f0f6fc;border-left:4px solid #2271b1;' : 'background:#fff;border-left:4px solid #c3c4c7;' );
			echo '<li class="' . esc_attr( $class ) . '" id="pqm-message-' . esc_attr( (string) $m['id'] ) . '" style="' . esc_attr( $style . 'padding:8px 12px;margin:8px 0;list-style:none;' ) . '">';
			echo '<div class="pqm-admin-message__meta"><strong>' . esc_html( '' !== $m['author_name'] ? $m['author_name'] : __( '(unknown)', 'pqm-client-panel' ) ) . '</strong> ';
			if ( $internal ) {
				echo '<span class="pqm-badge pqm-badge--internal" style="background:#dba617;color:#000;padding:0 6px;border-radius:3px;">' . esc_html__( 'Internal note — never shown to the customer', 'pqm-client-panel' ) . '</span> ';
			}
			echo '<time>' . esc_html( self::when( $m['created_at'] ) ) . '</time></div>';
			echo '<div class="pqm-admin-message__body">' . $m['body_html'] . '</div>'; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- Escaped text with safe links, made by Rust (src/linkify.rs).
			if ( ! empty( $m['seen_by_customer'] ) ) {
				echo '<div class="pqm-receipt"><em>' . esc_html( sprintf( /* translators: %s: date and time */ __( 'Seen by customer · %s', 'pqm-client-panel' ), self::when( $m['seen_at'] ) ) ) . '</em></div>';
			}
			echo '</li>';
		}
		echo '</ol>';

		$token = wp_generate_uuid4();
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '" class="pqm-staff-reply">';
		echo '<input type="hidden" name="action" value="pqm_staff_message">';
		wp_nonce_field( self::NONCE_ACTION, '_wpnonce', false );
		echo '<input type="hidden" name="pqm_order" value="' . esc_attr( $thread['reference'] ) . '">';
		echo '<input type="hidden" name="pqm_client_token" value="' . esc_attr( $token ) . '">';
		echo '<p><label for="pqm-staff-body"><strong>' . esc_html__( 'Reply', 'pqm-client-panel' ) . '</strong></label><br>';
		echo '<textarea id="pqm-staff-body" name="pqm_body" rows="5" class="large-text">' . esc_textarea( is_array( $draft ) ? $draft['body'] : '' ) . '</textarea></p>';
		echo '<p><label><input type="radio" name="pqm_visibility" value="customer" checked> ' . esc_html__( 'Reply to the customer (they see it and get an e-mail)', 'pqm-client-panel' ) . '</label><br>';
		echo '<label><input type="radio" name="pqm_visibility" value="internal"> ' . esc_html__( 'Internal note (staff only; @login notifies a colleague)', 'pqm-client-panel' ) . '</label></p>';
		echo '<p><button type="submit" class="button button-primary">' . esc_html__( 'Save message', 'pqm-client-panel' ) . '</button></p>';
		echo '</form>';
	}

	/**
	 * Section for the staff workspace's order screen (do_action('pqm_admin_order_sections', $order)).
	 *
	 * @param mixed $order Order row (array/object with 'reference') or a reference.
	 * @return void
	 */
	public static function order_section( $order = null ) {
		$reference = '';
		if ( is_string( $order ) ) {
			$reference = $order;
		} elseif ( is_array( $order ) && isset( $order['reference'] ) ) {
			$reference = (string) $order['reference'];
		} elseif ( is_object( $order ) && isset( $order->reference ) ) {
			$reference = (string) $order->reference;
		}
		if ( '' === $reference || ! current_user_can( PQM_Bridge::CAP_MANAGE_ORDERS ) ) {
			return;
		}
		echo '<div class="pqm-order-section pqm-order-section--messages"><h2>' . esc_html__( 'Messages', 'pqm-client-panel' ) . '</h2>';
		try {
			self::render_thread( $reference, false );
		} catch ( \Throwable $e ) {
			if ( ! $e instanceof PQM_Unavailable_Error && ! PQM_Bridge::is_safe( $e ) ) {
				PQM_Bridge::log( $e, 'order messages section' );
			}
			echo '<p class="pqm-error">' . esc_html__( 'The messages cannot be shown right now.', 'pqm-client-panel' ) . '</p>';
		}
		echo '</div>';
	}

	/**
	 * admin-post.php?action=pqm_staff_message.
	 *
	 * @return void
	 */
	public static function handle_post() {
		$reference = trim( PQM_Messages::post_field( 'pqm_order' ) );
		$body      = PQM_Messages::post_field( 'pqm_body' );
		$token     = PQM_Messages::clean_token( PQM_Messages::post_field( 'pqm_client_token' ) );
		$back      = self::thread_url( $reference );
		$fail      = static function ( $error ) use ( $token, $body, $back ) {
			PQM_Messages::save_draft( $token, $body, $error );
			wp_safe_redirect( add_query_arg( 'pqm_draft', $token, $back ), 303 );
			exit;
		};
		if ( ! wp_verify_nonce( PQM_Messages::post_field( '_wpnonce' ), self::NONCE_ACTION ) ) {
			$fail( __( 'The page had expired, so nothing was saved. Your text is still here: please save again.', 'pqm-client-panel' ) );
		}
		if ( ! current_user_can( PQM_Bridge::CAP_MANAGE_ORDERS ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to write client messages.', 'pqm-client-panel' ), 403 );
		}
		$user = wp_get_current_user();
		try {
			self::action(
				'message.staff_post',
				array(
					'reference'    => $reference,
					'body'         => $body,
					'internal'     => 'internal' === PQM_Messages::post_field( 'pqm_visibility' ),
					'client_token' => $token,
					'author_name'  => $user->display_name,
					'staff'        => PQM_Messages::staff_users(),
				)
			);
		} catch ( \PQM\InvalidInputException $e ) {
			$fail( $e->getMessage() );
		} catch ( \PQM\NotFoundException $e ) {
			$fail( __( 'That order does not exist.', 'pqm-client-panel' ) );
		} catch ( \Throwable $e ) {
			$fail( __( 'The message could not be saved right now (details are in the PHP error log). Your text is still here.', 'pqm-client-panel' ) );
		}
		wp_safe_redirect( add_query_arg( 'pqm_notice', 'sent', $back ), 303 );
		exit;
	}
}
