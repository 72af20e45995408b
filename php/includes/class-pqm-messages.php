<?php
/**
 * Messages on orders — the customer side of the glue (issue #3).
 *
 * Posting: the panel's form POSTs to admin-post.php (action pqm_message)
 * with a nonce; this class checks the nonce and the capability, hands the
 * text to Rust (which checks the order is in the user's scope, validates,
 * de-duplicates by client token and rate-limits) and redirects back. With
 * JavaScript the same endpoint answers JSON (pqm_js=1). Whatever fails, the
 * typed text is kept in a short-lived per-user transient keyed by the
 * client token and shown again in the form with the error.
 *
 * Mail: Rust queues the notification e-mails of a request; on shutdown
 * (after fastcgi_finish_request(), so the visitor does not wait) this class
 * renders them through the extension and sends them with wp_mail(). A
 * failed mail is logged and never affects the saved message.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Message posting, notification preferences and notification e-mail.
 */
final class PQM_Messages {

	const NONCE_ACTION       = 'pqm_message';
	const PREFS_NONCE_ACTION = 'pqm_prefs';
	const SCRIPT             = 'pqm-messages';

	/** Option: customer posts per user per minute (default 10). */
	const OPT_RATE_LIMIT = 'pqm_message_rate_limit';
	/** Option: how customers see staff authors: 'team' (default) or 'name'. */
	const OPT_STAFF_DISPLAY = 'pqm_staff_display';
	/** Option: the team label shown for staff (default: the site name). */
	const OPT_TEAM_LABEL = 'pqm_team_label';

	/** Seconds a failed post's text is kept. */
	const DRAFT_TTL = 900;

	/**
	 * Hook everything up (only when the extension is loaded).
	 *
	 * @return void
	 */
	public static function register() {
		add_filter( 'pqm_panel_context', array( __CLASS__, 'panel_context' ) );
		add_action( 'admin_post_pqm_message', array( __CLASS__, 'handle_post' ) );
		add_action( 'admin_post_nopriv_pqm_message', array( __CLASS__, 'handle_logged_out' ) );
		add_action( 'admin_post_pqm_prefs', array( __CLASS__, 'handle_prefs' ) );
		add_action( 'admin_post_nopriv_pqm_prefs', array( __CLASS__, 'handle_logged_out' ) );
		add_action( 'wp_enqueue_scripts', array( __CLASS__, 'enqueue' ), 20 );
		add_action( 'template_redirect', array( __CLASS__, 'no_texturize' ), 5 );
		add_action( 'shutdown', array( __CLASS__, 'send_pending_mail' ), 1 );
	}

	/**
	 * Customer text is text: wptexturize (which block themes run over the
	 * whole page, shortcode output included) would turn "--" into "–" and
	 * straight quotes into curly ones inside messages and even inside the
	 * textarea that keeps a failed post. Off on pages holding the panel.
	 *
	 * @return void
	 */
	public static function no_texturize() {
		$post = get_queried_object();
		if ( is_singular() && $post instanceof WP_Post && has_shortcode( $post->post_content, PQM_Shortcode_Client_Panel::TAG ) ) {
			add_filter( 'run_wptexturize', '__return_false' );
		}
	}

	/**
	 * The JS that posts in place, on pages holding the panel.
	 *
	 * @return void
	 */
	public static function enqueue() {
		$post = get_queried_object();
		if ( ! is_singular() || ! $post instanceof WP_Post || ! has_shortcode( $post->post_content, PQM_Shortcode_Client_Panel::TAG ) ) {
			return;
		}
		wp_enqueue_script( self::SCRIPT, plugins_url( 'assets/pqm-messages.js', PQM_PLUGIN_FILE ), array(), PQM_PLUGIN_VERSION, true );
		wp_localize_script(
			self::SCRIPT,
			'pqmMessages',
			array(
				'failed'  => self::error_text( 'unavailable' ),
				'sending' => __( 'Sending…', 'pqm-client-panel' ),
			)
		);
	}

	/**
	 * Add the message form data to the panel context (filter pqm_panel_context).
	 *
	 * @param array $context Panel context.
	 * @return array
	 */
	public static function panel_context( $context ) {
		if ( ! is_array( $context ) ) {
			return $context;
		}
		$token = '';
		$draft = null;
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- Read-only: names a draft of the current user.
		if ( isset( $_GET['pqm_draft'] ) && is_scalar( $_GET['pqm_draft'] ) ) {
			// phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput.InputNotSanitized
			$token = self::clean_token( wp_unslash( (string) $_GET['pqm_draft'] ) );
			$draft = '' !== $token ? self::get_draft( $token ) : null;
		}
		if ( ! is_array( $draft ) ) {
			$token = wp_generate_uuid4();
		}
		$context['messages'] = array(
			'post_url'      => admin_url( 'admin-post.php' ),
			'nonce'         => is_user_logged_in() ? wp_create_nonce( self::NONCE_ACTION ) : '',
			'prefs_nonce'   => is_user_logged_in() ? wp_create_nonce( self::PREFS_NONCE_ACTION ) : '',
			'client_token'  => $token,
			'draft_body'    => is_array( $draft ) ? (string) $draft['body'] : '',
			'draft_error'   => is_array( $draft ) ? (string) $draft['error'] : '',
			'staff_display' => self::staff_display(),
			'team_label'    => self::team_label(),
		);
		return $context;
	}

	/**
	 * 'team' or 'name'.
	 *
	 * @return string
	 */
	public static function staff_display() {
		return 'name' === get_option( self::OPT_STAFF_DISPLAY, 'team' ) ? 'name' : 'team';
	}

	/**
	 * Label for staff authors shown to customers (default: the site name).
	 *
	 * @return string
	 */
	public static function team_label() {
		$label = trim( (string) get_option( self::OPT_TEAM_LABEL, '' ) );
		return '' !== $label ? $label : wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES );
	}

	/**
	 * Staff users (pqm_manage_orders) Rust may notify or find in @mentions.
	 *
	 * @return array[] [['id' => int, 'login' => string, 'name' => string], …]
	 */
	public static function staff_users() {
		static $cache = null;
		if ( null === $cache ) {
			$cache = array();
			$users = get_users(
				array(
					'capability' => PQM_Bridge::CAP_MANAGE_ORDERS,
					'number'     => 500,
					'fields'     => array( 'ID', 'user_login', 'display_name' ),
				)
			);
			foreach ( $users as $u ) {
				$cache[] = array(
					'id'    => (int) $u->ID,
					'login' => (string) $u->user_login,
					'name'  => (string) $u->display_name,
				);
			}
		}
		return $cache;
	}

	/**
	 * A POSTed string field, unslashed, valid UTF-8 ('' when absent/not scalar).
	 *
	 * @param string $key Field name.
	 * @return string
	 */
	public static function post_field( $key ) {
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- Callers verify the nonce first (or keep the text of a rejected post).
		if ( ! isset( $_POST[ $key ] ) || ! is_scalar( $_POST[ $key ] ) ) {
			return '';
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Missing, WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- Message text is data for Rust; escaped on output.
		$value = wp_unslash( (string) $_POST[ $key ] );
		return function_exists( 'mb_scrub' ) ? mb_scrub( $value, 'UTF-8' ) : wp_check_invalid_utf8( $value, true );
	}

	/**
	 * Client tokens are [A-Za-z0-9_-]{1,64}.
	 *
	 * @param string $token Raw token.
	 * @return string
	 */
	public static function clean_token( $token ) {
		return substr( (string) preg_replace( '/[^A-Za-z0-9_-]/', '', (string) $token ), 0, 64 );
	}

	/**
	 * Transient key of a draft of the current user.
	 *
	 * @param string $token Client token.
	 * @param int    $user  User id (default: current).
	 * @return string
	 */
	private static function draft_key( $token, $user = 0 ) {
		return 'pqm_draft_' . ( $user ? $user : get_current_user_id() ) . '_' . md5( $token );
	}

	/**
	 * The current user's draft for a token, or null.
	 *
	 * @param string $token Client token.
	 * @return array|null ['body' => string, 'error' => string]
	 */
	public static function get_draft( $token ) {
		if ( ! is_user_logged_in() ) {
			return null;
		}
		$draft = get_transient( self::draft_key( $token ) );
		return is_array( $draft ) && isset( $draft['body'], $draft['error'] ) ? $draft : null;
	}

	/**
	 * Keep the typed text and the error for the redirect back.
	 *
	 * @param string $token Client token.
	 * @param string $body  What the user typed.
	 * @param string $error What went wrong (translated).
	 * @return void
	 */
	public static function save_draft( $token, $body, $error ) {
		if ( is_user_logged_in() && '' !== $token ) {
			set_transient( self::draft_key( $token ), array( 'body' => $body, 'error' => $error ), self::DRAFT_TTL );
		}
	}

	/**
	 * Customer-facing text for a failure code.
	 *
	 * @param string $code  nonce|forbidden|not_found|empty|too_long|rate_limited|unavailable|invalid.
	 * @param int    $chars Characters of the text (too_long).
	 * @return string
	 */
	public static function error_text( $code, $chars = 0 ) {
		switch ( $code ) {
			case 'nonce':
				return __( 'Your message was not sent because this page had expired. Your text is still here: please press Send again.', 'pqm-client-panel' );
			case 'forbidden':
				return __( 'Your login may not send messages here. Your text has not been sent.', 'pqm-client-panel' );
			case 'not_found':
				return __( 'We couldn\'t find that order in your account, so the message was not sent.', 'pqm-client-panel' );
			case 'empty':
				return __( 'Your message is empty. Please write something before sending.', 'pqm-client-panel' );
			case 'too_long':
				return sprintf(
					/* translators: 1: characters typed, 2: the limit */
					__( 'Your message is too long: %1$s characters, the limit is %2$s. Please shorten it and send again.', 'pqm-client-panel' ),
					number_format_i18n( $chars ),
					number_format_i18n( 5000 )
				);
			case 'rate_limited':
				return __( 'You have sent a lot of messages in the last minute. Please wait a minute and press Send again — your text is still here.', 'pqm-client-panel' );
			case 'invalid':
				return __( 'Your message could not be sent. Please reload the page and try again — your text is still here.', 'pqm-client-panel' );
			default:
				return __( 'Your message could not be sent right now and has not been saved. Your text is still here: please try again in a few minutes.', 'pqm-client-panel' );
		}
	}

	/**
	 * Where to send the customer back: the panel page the form came from.
	 *
	 * @return string
	 */
	private static function return_url() {
		$fallback = home_url( '/' );
		$page_id  = (int) get_option( 'pqm_panel_page_id', 0 );
		if ( $page_id ) {
			$link     = get_permalink( $page_id );
			$fallback = $link ? $link : $fallback;
		}
		$url = wp_validate_redirect( self::post_field( 'pqm_return' ), $fallback );
		return '' !== $url ? $url : $fallback;
	}

	/**
	 * admin-post.php?action=pqm_message for a visitor who is not logged in.
	 *
	 * @return void
	 */
	public static function handle_logged_out() {
		if ( self::wants_json() ) {
			wp_send_json( array( 'ok' => false, 'error' => 'logged_out', 'message' => __( 'Please log in again; your message has not been sent.', 'pqm-client-panel' ) ), 401 );
		}
		wp_safe_redirect( wp_login_url( self::return_url() ), 303 );
		exit;
	}

	/**
	 * Does the request come from the in-place (JS) form?
	 *
	 * @return bool
	 */
	private static function wants_json() {
		return '1' === self::post_field( 'pqm_js' );
	}

	/**
	 * admin-post.php?action=pqm_message: a customer posts on an order.
	 *
	 * @return void
	 */
	public static function handle_post() {
		$reference = trim( self::post_field( 'pqm_order' ) );
		$body      = self::post_field( 'pqm_body' );
		$token     = self::clean_token( self::post_field( 'pqm_client_token' ) );
		if ( '' === $token ) {
			$token = str_replace( '-', '', wp_generate_uuid4() );
		}
		$return = self::return_url();

		if ( ! wp_verify_nonce( self::post_field( '_wpnonce' ), self::NONCE_ACTION ) ) {
			self::fail( 'nonce', 403, $reference, $body, $token, $return );
		}
		if ( ! current_user_can( PQM_Bridge::CAP_VIEW_PANEL ) ) {
			self::fail( 'forbidden', 403, $reference, $body, $token, $return );
		}
		$user   = wp_get_current_user();
		$params = array(
			'reference'    => $reference,
			'body'         => $body,
			'client_token' => $token,
			'author_name'  => $user->display_name,
			'rate_limit'   => max( 0, (int) get_option( self::OPT_RATE_LIMIT, 10 ) ),
			'staff'        => self::staff_users(),
		);
		try {
			$result = PQM_Bridge::call(
				static function () use ( $params ) {
					return \PQM\action( 'message.post', PQM_Bridge::principal(), $params );
				},
				'message.post'
			);
		} catch ( \PQM\NotFoundException $e ) {
			self::fail( 'not_found', 404, $reference, $body, $token, $return );
		} catch ( PQM_Unavailable_Error $e ) {
			self::fail( 'unavailable', 503, $reference, $body, $token, $return );
		} catch ( \Throwable $e ) {
			PQM_Bridge::log( $e, 'message.post' );
			self::fail( 'invalid', 400, $reference, $body, $token, $return );
		}

		if ( ! is_array( $result ) || 'rejected' === ( $result['status'] ?? '' ) ) {
			$reason = is_array( $result ) ? (string) ( $result['reason'] ?? 'invalid' ) : 'invalid';
			self::fail( $reason, 'rate_limited' === $reason ? 429 : 422, $reference, $body, $token, $return, (int) ( $result['chars'] ?? 0 ) );
		}

		delete_transient( self::draft_key( $token ) );
		$id = (int) $result['message_id'];
		if ( self::wants_json() ) {
			wp_send_json(
				array(
					'ok'         => true,
					'status'     => (string) $result['status'],
					'message_id' => $id,
				),
				'created' === $result['status'] ? 201 : 200
			);
		}
		wp_safe_redirect( add_query_arg( array( 'pqm_order' => rawurlencode( $reference ) ), $return ) . '#pqm-message-' . $id, 303 );
		exit;
	}

	/**
	 * Answer a failed post: keep the text, say what happened.
	 *
	 * @param string $code      Failure code (see error_text()).
	 * @param int    $http      HTTP status for the JSON answer.
	 * @param string $reference Order reference.
	 * @param string $body      The typed text.
	 * @param string $token     Client token.
	 * @param string $return    Panel URL.
	 * @param int    $chars     Characters (too_long).
	 * @return never
	 */
	private static function fail( $code, $http, $reference, $body, $token, $return, $chars = 0 ) {
		$error = self::error_text( $code, $chars );
		self::save_draft( $token, $body, $error );
		if ( self::wants_json() ) {
			wp_send_json( array( 'ok' => false, 'error' => $code, 'message' => $error ), $http );
		}
		$args = array( 'pqm_draft' => $token );
		if ( '' !== $reference ) {
			$args['pqm_order'] = rawurlencode( $reference );
		}
		wp_safe_redirect( add_query_arg( $args, $return ) . '#pqm-messages', 303 );
		exit;
	}

	/**
	 * admin-post.php?action=pqm_prefs: turn notification e-mails on/off.
	 *
	 * @return void
	 */
	public static function handle_prefs() {
		$return = self::return_url();
		if ( ! wp_verify_nonce( self::post_field( '_wpnonce' ), self::PREFS_NONCE_ACTION ) ) {
			wp_die( esc_html__( 'This page had expired. Please go back, reload it and try again.', 'pqm-client-panel' ), '', array( 'response' => 403, 'back_link' => true ) );
		}
		$on = '1' === self::post_field( 'pqm_email' );
		try {
			PQM_Bridge::call(
				static function () use ( $on ) {
					return \PQM\action( 'prefs.set', PQM_Bridge::principal(), array( 'email_notifications' => $on ) );
				},
				'prefs.set'
			);
		} catch ( \Throwable $e ) {
			wp_die( esc_html__( 'Your setting could not be saved right now. Please try again in a few minutes.', 'pqm-client-panel' ), '', array( 'response' => 503, 'back_link' => true ) );
		}
		wp_safe_redirect( $return, 303 );
		exit;
	}

	/**
	 * Context for rendering notification e-mails.
	 *
	 * @return array
	 */
	public static function mail_context() {
		$page_id = (int) get_option( 'pqm_panel_page_id', 0 );
		$panel   = $page_id ? get_permalink( $page_id ) : '';
		return array(
			'site_name'     => wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES ),
			'panel_url'     => $panel ? $panel : home_url( '/client-panel/' ),
			'admin_url'     => admin_url( 'admin.php?page=pqm-messages' ),
			'date_format'   => (string) get_option( 'date_format', 'F j, Y' ),
			'time_format'   => (string) get_option( 'time_format', 'g:i a' ),
			'utc_offset'    => (int) wp_timezone()->getOffset( new DateTime( 'now' ) ),
			'strings'       => PQM_Strings::all(),
			'locale_words'  => PQM_Strings::locale_words(),
			'template_dirs' => array_values( array_unique( array( get_stylesheet_directory() . '/pqm', get_template_directory() . '/pqm' ) ) ),
			'staff_display' => self::staff_display(),
			'team_label'    => self::team_label(),
		);
	}

	/**
	 * On shutdown: send the e-mails this request queued (never throws).
	 *
	 * @return void
	 */
	public static function send_pending_mail() {
		try {
			if ( ! PQM_Bridge::available() || ! function_exists( 'PQM\\action' ) ) {
				return;
			}
			$count = (int) \PQM\action( 'mail.count', array( 'user_id' => 0, 'caps' => array() ), array() );
			if ( $count < 1 ) {
				return;
			}
			$context = self::mail_context();
			$mails   = \PQM\action( 'mail.pending', array( 'user_id' => 0, 'caps' => array() ), $context );
			if ( function_exists( 'fastcgi_finish_request' ) && 'cli' !== PHP_SAPI ) {
				fastcgi_finish_request(); // The visitor has the page; mail goes out after.
			}
			foreach ( (array) $mails as $mail ) {
				self::send_one( $mail );
			}
		} catch ( \Throwable $e ) {
			PQM_Bridge::log( $e, 'notification mail' );
		}
	}

	/**
	 * WordPress's default sender is wordpress@<host>; on a host without a dot
	 * (localhost, intranet names) PHPMailer rejects it and nothing is sent.
	 * Then use the site's admin e-mail. SMTP plugins may override either.
	 *
	 * @param string $from Sender address.
	 * @return string
	 */
	public static function mail_from( $from ) {
		if ( is_email( $from ) && preg_match( '/@[^@]+\.[^@.]+$/', (string) $from ) ) {
			return $from;
		}
		$admin = (string) get_option( 'admin_email', '' );
		return is_email( $admin ) ? $admin : $from;
	}

	/**
	 * Send one rendered mail to its user (if they still qualify).
	 *
	 * @param array $mail ['user_id','to_staff','reference','kind','subject','body','link'].
	 * @return bool Sent.
	 */
	private static function send_one( $mail ) {
		$user = get_userdata( (int) $mail['user_id'] );
		if ( ! $user instanceof WP_User || ! is_email( $user->user_email ) ) {
			return false;
		}
		$cap = ! empty( $mail['to_staff'] ) ? PQM_Bridge::CAP_MANAGE_ORDERS : PQM_Bridge::CAP_VIEW_PANEL;
		if ( ! user_can( $user, $cap ) ) {
			return false;
		}
		/**
		 * Filters a notification e-mail before wp_mail() sends it.
		 *
		 * @param array   $message ['to','subject','body','headers'].
		 * @param array   $mail    What the extension rendered (kind, reference, link …).
		 * @param WP_User $user    The recipient.
		 */
		$message = apply_filters(
			'pqm_notification_mail',
			array(
				'to'      => $user->user_email,
				'subject' => (string) $mail['subject'],
				'body'    => (string) $mail['body'],
				'headers' => array( 'Content-Type: text/plain; charset=UTF-8' ),
			),
			$mail,
			$user
		);
		$failure = null;
		$catch   = static function ( $error ) use ( &$failure ) {
			$failure = $error;
		};
		add_action( 'wp_mail_failed', $catch );
		add_filter( 'wp_mail_from', array( __CLASS__, 'mail_from' ), 99 );
		try {
			$sent = wp_mail( $message['to'], $message['subject'], $message['body'], $message['headers'] );
		} catch ( \Throwable $e ) {
			$sent    = false;
			$failure = $e->getMessage();
		}
		remove_filter( 'wp_mail_from', array( __CLASS__, 'mail_from' ), 99 );
		remove_action( 'wp_mail_failed', $catch );
		if ( ! $sent ) {
			$detail = $failure instanceof WP_Error ? $failure->get_error_message() : (string) $failure;
			// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- Admin-only detail.
			error_log( sprintf( 'PQM: notification mail (%s, %s) to user %d failed: %s', $mail['kind'], $mail['reference'], $user->ID, $detail ) );
		}
		return (bool) $sent;
	}
}
