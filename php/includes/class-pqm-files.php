<?php
/**
 * Files and approvals glue (issue #4): the download endpoint, the customer
 * upload and decision endpoints, storage settings, signed-link secret and
 * notifications.
 *
 * Nothing here decides who may see or do what: every request goes to Rust
 * (`file.download`, `file.customer_upload`, `approval.decide`) with the
 * principal. A download streams exactly the blob path Rust returned for the
 * version it authorised; no path is ever built from request input.
 *
 * Endpoints (all on wp-admin/admin-post.php):
 *   GET  ?action=pqm_download&order=REF&file=ID[&version=N][&inline=1]
 *        ?action=pqm_download&order=REF&version_id=ID | &sha256=HEX | &token=SIGNED
 *   POST action=pqm_upload  (order, pqm_file, _wpnonce)      → back to the panel
 *   POST action=pqm_decide  (order, approval, decision, comment, _wpnonce)
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Files endpoints and helpers.
 */
final class PQM_Files {

	/**
	 * Default storage: outside every web root (see docs/files.md).
	 */
	const DEFAULT_DIR = '/var/lib/pqm-client-panel/files';

	/**
	 * Nonce action of the panel's upload and decision forms.
	 */
	const NONCE = 'pqm_files';

	/**
	 * Read size of the streaming loop (bytes).
	 */
	const CHUNK = 1048576;

	/**
	 * How long a decision comment that could not be saved is kept (seconds).
	 */
	const DRAFT_TTL = 3600;

	/**
	 * Hook the endpoints (only when the extension is loaded).
	 *
	 * @return void
	 */
	public static function init() {
		add_action( 'admin_post_pqm_download', array( __CLASS__, 'download' ) );
		add_action( 'admin_post_nopriv_pqm_download', array( __CLASS__, 'download_logged_out' ) );
		add_action( 'admin_post_pqm_upload', array( __CLASS__, 'upload' ) );
		add_action( 'admin_post_nopriv_pqm_upload', array( __CLASS__, 'to_login' ) );
		add_action( 'admin_post_pqm_decide', array( __CLASS__, 'decide' ) );
		add_action( 'admin_post_nopriv_pqm_decide', array( __CLASS__, 'to_login' ) );
		add_filter( 'pqm_panel_context', array( __CLASS__, 'panel_context' ) );
		add_action( 'admin_notices', array( __CLASS__, 'storage_notice' ) );
	}

	/**
	 * The storage directory: constant PQM_FILES_DIR, else option
	 * pqm_files_dir, else DEFAULT_DIR.
	 *
	 * @return string Absolute path without trailing slash.
	 */
	public static function storage_dir() {
		if ( defined( 'PQM_FILES_DIR' ) && '' !== (string) PQM_FILES_DIR ) {
			$dir = (string) PQM_FILES_DIR;
		} else {
			$dir = (string) get_option( 'pqm_files_dir', '' );
			if ( '' === $dir ) {
				$dir = self::DEFAULT_DIR;
			}
		}
		return rtrim( $dir, '/' );
	}

	/**
	 * nginx X-Accel-Redirect prefix: constant PQM_X_ACCEL_PREFIX, else option
	 * pqm_x_accel_prefix; '' = PHP streams the file itself.
	 *
	 * @return string Prefix without trailing slash, e.g. /pqm-protected-files.
	 */
	public static function x_accel_prefix() {
		$prefix = defined( 'PQM_X_ACCEL_PREFIX' ) ? (string) PQM_X_ACCEL_PREFIX : (string) get_option( 'pqm_x_accel_prefix', '' );
		$prefix = rtrim( $prefix, '/' );
		return preg_match( '#^/[A-Za-z0-9/_-]+$#', $prefix ) ? $prefix : '';
	}

	/**
	 * Problems with the storage location, for admins (doctor check).
	 *
	 * @param string|null $dir Directory to check (default: the configured one).
	 * @return string[] Human-readable warnings; empty when all is well.
	 */
	public static function storage_problems( $dir = null ) {
		$dir      = null === $dir ? self::storage_dir() : rtrim( (string) $dir, '/' );
		$problems = array();
		if ( '' === $dir || '/' !== $dir[0] ) {
			$problems[] = sprintf( 'The file storage directory "%s" is not an absolute path.', $dir );
			return $problems;
		}
		$real = realpath( $dir );
		$real = false === $real ? $dir : $real;
		$roots = array(
			'ABSPATH'        => ABSPATH,
			'WP_CONTENT_DIR' => WP_CONTENT_DIR,
		);
		$uploads = wp_upload_dir( null, false );
		if ( ! empty( $uploads['basedir'] ) ) {
			$roots['uploads'] = $uploads['basedir'];
		}
		if ( ! empty( $_SERVER['DOCUMENT_ROOT'] ) ) {
			$roots['DOCUMENT_ROOT'] = sanitize_text_field( wp_unslash( $_SERVER['DOCUMENT_ROOT'] ) );
		}
		foreach ( $roots as $label => $root ) {
			$root_real = realpath( $root );
			$root_real = rtrim( false === $root_real ? $root : $root_real, '/' );
			if ( '' !== $root_real && ( $real === $root_real || 0 === strpos( $real . '/', $root_real . '/' ) ) ) {
				$problems[] = sprintf(
					'The file storage directory %1$s is inside %2$s (%3$s): a web server may serve it directly (.htaccess protects nothing under nginx). Set PQM_FILES_DIR to a directory outside the web root, e.g. %4$s.',
					$real,
					$label,
					$root_real,
					self::DEFAULT_DIR
				);
				break;
			}
		}
		if ( is_dir( $dir ) && ! wp_is_writable( $dir ) ) {
			$problems[] = sprintf( 'The file storage directory %s is not writable by PHP.', $dir );
		}
		return $problems;
	}

	/**
	 * Admin notice with the storage problems (staff only).
	 *
	 * @return void
	 */
	public static function storage_notice() {
		if ( ! current_user_can( 'pqm_manage_settings' ) ) {
			return;
		}
		foreach ( self::storage_problems() as $problem ) {
			echo '<div class="notice notice-warning"><p>' . esc_html( 'PQM Client Panel: ' . $problem ) . '</p></div>';
		}
	}

	/**
	 * The secret that signs download links in e-mails: derived from the
	 * site's auth salt, so it is never stored and changes when salts rotate.
	 *
	 * @return string
	 */
	public static function link_secret() {
		return hash_hmac( 'sha256', 'pqm-download-links-v1', wp_salt( 'auth' ) );
	}

	/**
	 * URL of the download endpoint with the given parameters.
	 *
	 * @param array $params order, file, version | version_id | token, inline.
	 * @return string
	 */
	public static function download_url( array $params ) {
		return add_query_arg( array_map( 'rawurlencode', array( 'action' => 'pqm_download' ) + $params ), admin_url( 'admin-post.php' ) );
	}

	/**
	 * A signed, expiring link to one version for one recipient (for e-mails).
	 *
	 * @param string $order      Order reference.
	 * @param int    $version_id File version id.
	 * @param int    $user_id    Recipient (must be logged in as them to use it).
	 * @param int    $ttl        Seconds the link stays valid.
	 * @return string
	 */
	public static function signed_url( $order, $version_id, $user_id, $ttl = 604800 ) {
		$link = PQM_Bridge::call(
			static function () use ( $order, $version_id, $user_id, $ttl ) {
				return \PQM\action(
					'file.signed_link',
					PQM_Bridge::cli_principal(),
					array(
						'order'      => (string) $order,
						'version_id' => (int) $version_id,
						'user_id'    => (int) $user_id,
						'ttl'        => (int) $ttl,
						'secret'     => self::link_secret(),
					)
				);
			},
			'file.signed_link'
		);
		return self::download_url(
			array(
				'order' => (string) $order,
				'token' => (string) $link['token'],
			)
		);
	}

	/**
	 * Adds the files part to the panel context (filter pqm_panel_context).
	 *
	 * @param array $context Panel context.
	 * @return array
	 */
	public static function panel_context( $context ) {
		if ( ! is_array( $context ) ) {
			return $context;
		}
		$context['files'] = array(
			'action_url' => admin_url( 'admin-post.php' ),
			'nonce'      => is_user_logged_in() ? wp_create_nonce( self::NONCE ) : '',
		);
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- Read-only: names a draft of the current user.
		$token = self::clean_token( self::param( $_GET, 'pqm_draft' ) );
		$draft = '' !== $token && is_user_logged_in() ? get_transient( self::draft_key( $token ) ) : false;
		if ( is_array( $draft ) && isset( $draft['approval'], $draft['decision'], $draft['comment'] ) ) {
			$context['files']['draft'] = array(
				'approval' => (int) $draft['approval'],
				'decision' => (string) $draft['decision'],
				'comment'  => (string) $draft['comment'],
			);
		}
		return $context;
	}

	/**
	 * Draft tokens are [A-Za-z0-9]{1,64}.
	 *
	 * @param string $token Raw token.
	 * @return string
	 */
	private static function clean_token( $token ) {
		return substr( (string) preg_replace( '/[^A-Za-z0-9]/', '', (string) $token ), 0, 64 );
	}

	/**
	 * Transient key of a decision draft of the current user.
	 *
	 * @param string $token Draft token.
	 * @return string
	 */
	private static function draft_key( $token ) {
		return 'pqm_decide_draft_' . get_current_user_id() . '_' . md5( $token );
	}

	/**
	 * Scalar request values (GET or POST), unslashed; arrays are ignored.
	 *
	 * @param array  $source $_GET or $_POST.
	 * @param string $key    Parameter name.
	 * @return string
	 */
	private static function param( array $source, $key ) {
		if ( ! isset( $source[ $key ] ) || ! is_scalar( $source[ $key ] ) ) {
			return '';
		}
		$value = wp_unslash( (string) $source[ $key ] );
		return function_exists( 'mb_scrub' ) ? mb_scrub( $value, 'UTF-8' ) : $value;
	}

	/**
	 * GET …?action=pqm_download for a logged-in user.
	 *
	 * @return void
	 */
	public static function download() {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- Read-only; authorised by Rust.
		$params = array();
		foreach ( array( 'order', 'file', 'version', 'version_id', 'sha256', 'token', 'inline' ) as $key ) {
			$value = self::param( $_GET, $key );
			if ( '' !== $value ) {
				$params[ $key ] = $value;
			}
		}
		// phpcs:enable
		$params['storage'] = self::storage_dir();
		$params['secret']  = self::link_secret();
		$principal         = PQM_Bridge::principal();
		try {
			$meta = PQM_Bridge::call(
				static function () use ( $principal, $params ) {
					return \PQM\action( 'file.download', $principal, $params );
				},
				'file.download'
			);
		} catch ( \Throwable $e ) {
			if ( $e instanceof PQM_Unavailable_Error ) {
				self::plain_response( 503, __( 'Files cannot be downloaded right now. Please try again in a few minutes.', 'pqm-client-panel' ) );
			}
			self::not_found();
		}
		self::stream( $meta );
	}

	/**
	 * A logged-out visitor: to the login form, back to the same link after.
	 * The answer does not depend on whether the file exists.
	 *
	 * @return void
	 */
	public static function download_logged_out() {
		$back = add_query_arg( array(), admin_url( 'admin-post.php' ) );
		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized,WordPress.Security.ValidatedSanitizedInput.MissingUnslash -- Only the query string is reused, on our own URL.
		$query = isset( $_SERVER['QUERY_STRING'] ) ? (string) $_SERVER['QUERY_STRING'] : '';
		if ( '' !== $query ) {
			$back .= '?' . $query;
		}
		nocache_headers();
		wp_safe_redirect( wp_login_url( $back ) );
		exit;
	}

	/**
	 * POST from a logged-out visitor (session expired): to the login form.
	 *
	 * @return void
	 */
	public static function to_login() {
		nocache_headers();
		wp_safe_redirect( wp_login_url( self::panel_url() ) );
		exit;
	}

	/**
	 * The same answer for a missing, foreign, internal or unshared file.
	 *
	 * @return void
	 */
	public static function not_found() {
		self::plain_response( 404, __( 'File not found.', 'pqm-client-panel' ) );
	}

	/**
	 * A minimal HTML answer and exit.
	 *
	 * @param int    $status HTTP status.
	 * @param string $text   Message.
	 * @return void
	 */
	private static function plain_response( $status, $text ) {
		status_header( $status );
		nocache_headers();
		header( 'Content-Type: text/html; charset=utf-8' );
		header( 'X-Content-Type-Options: nosniff' );
		echo '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>'
			. esc_html( $text ) . '</title></head><body><p class="pqm-file-error">' . esc_html( $text ) . '</p></body></html>';
		exit;
	}

	/**
	 * Stream the blob Rust authorised, in chunks (memory does not grow with
	 * the file), or hand it to nginx with X-Accel-Redirect when
	 * PQM_X_ACCEL_PREFIX is defined.
	 *
	 * @param array $meta Result of file.download: path, relative, file_name, mime, size, sha256, disposition.
	 * @return void
	 */
	public static function stream( array $meta ) {
		$root = realpath( self::storage_dir() );
		$real = realpath( (string) $meta['path'] );
		// Defence in depth: the blob must be a regular file inside storage.
		if ( false === $root || false === $real || 0 !== strpos( $real, $root . '/' ) || ! is_file( $real ) ) {
			PQM_Bridge::log( new RuntimeException( 'authorised blob missing from storage: ' . $meta['path'] ), 'file.download' );
			self::not_found();
		}
		$name     = (string) $meta['file_name'];
		$fallback = preg_replace( '/[^A-Za-z0-9._ -]/', '_', $name );
		status_header( 200 );
		header_remove( 'Expires' );
		header_remove( 'Pragma' );
		header( 'Content-Type: ' . $meta['mime'] );
		header( 'Content-Length: ' . (int) $meta['size'] );
		header( sprintf( 'Content-Disposition: %s; filename="%s"; filename*=UTF-8\'\'%s', 'inline' === $meta['disposition'] ? 'inline' : 'attachment', $fallback, rawurlencode( $name ) ) );
		header( 'X-Content-Type-Options: nosniff' );
		header( 'Cache-Control: private, no-store, max-age=0' );
		header( 'X-Robots-Tag: noindex' );
		header( 'ETag: "' . $meta['sha256'] . '"' );
		header( 'X-PQM-SHA256: ' . $meta['sha256'] );

		$accel = self::x_accel_prefix();
		if ( '' !== $accel ) {
			// nginx serves the file from its `internal` location (scripts/lib/nginx.sh).
			header( 'X-Accel-Redirect: ' . $accel . '/' . $meta['relative'] );
			exit;
		}

		while ( ob_get_level() > 0 ) {
			ob_end_clean();
		}
		$fh = fopen( $real, 'rb' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fopen -- Streaming, not WP_Filesystem.
		if ( false === $fh ) {
			exit;
		}
		while ( ! feof( $fh ) ) {
			$chunk = fread( $fh, self::CHUNK ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fread
			if ( false === $chunk ) {
				break;
			}
			echo $chunk; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- File bytes.
			flush();
		}
		fclose( $fh ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
		exit;
	}

	/**
	 * The panel page URL (option pqm_panel_page_id, else the referer, else home).
	 *
	 * @param array $args Query arguments to add.
	 * @return string
	 */
	public static function panel_url( array $args = array() ) {
		$url     = '';
		$page_id = (int) get_option( 'pqm_panel_page_id', 0 );
		if ( $page_id > 0 ) {
			$url = (string) get_permalink( $page_id );
		}
		if ( '' === $url ) {
			$ref = wp_get_referer();
			$url = $ref ? strtok( $ref, '?' ) : home_url( '/' );
		}
		$args = array_filter( $args, 'strlen' );
		return $args ? add_query_arg( array_map( 'rawurlencode', $args ), $url ) : $url;
	}

	/**
	 * Back to the order in the panel with a notice; exit.
	 *
	 * @param string $order  Order reference.
	 * @param string $notice Notice code (src/files_panel.rs NOTICES).
	 * @param string $draft  Draft token of a decision that was not saved.
	 * @return void
	 */
	private static function back( $order, $notice, $draft = '' ) {
		$url = self::panel_url(
			array(
				'pqm_order'  => (string) $order,
				'pqm_notice' => (string) $notice,
				'pqm_draft'  => (string) $draft,
			)
		);
		nocache_headers();
		wp_safe_redirect( $url . ( '' !== $order ? '#pqm-files' : '' ), 303 );
		exit;
	}

	/**
	 * Nonce + capability of a panel form; on failure back with a notice.
	 *
	 * @param string $order Order reference.
	 * @return void
	 */
	private static function check_form( $order ) {
		$nonce = self::param( $_POST, '_wpnonce' ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- Verified right here.
		if ( ! wp_verify_nonce( $nonce, self::NONCE ) || ! current_user_can( PQM_Bridge::CAP_VIEW_PANEL ) ) {
			self::back( $order, 'failed' );
		}
	}

	/**
	 * POST action=pqm_upload: a customer sends a file from the panel.
	 *
	 * @return void
	 */
	public static function upload() {
		// An upload over post_max_size arrives with empty $_POST and $_FILES.
		$length = isset( $_SERVER['CONTENT_LENGTH'] ) ? (int) $_SERVER['CONTENT_LENGTH'] : 0;
		if ( empty( $_POST ) && $length > 0 ) { // phpcs:ignore WordPress.Security.NonceVerification.Missing
			$ref   = wp_get_referer();
			$order = '';
			if ( $ref ) {
				$q = array();
				wp_parse_str( (string) wp_parse_url( $ref, PHP_URL_QUERY ), $q );
				$order = isset( $q['pqm_order'] ) && is_scalar( $q['pqm_order'] ) ? (string) $q['pqm_order'] : '';
			}
			self::back( $order, 'too_large' );
		}
		$order = self::param( $_POST, 'order' ); // phpcs:ignore WordPress.Security.NonceVerification.Missing -- check_form().
		self::check_form( $order );

		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotValidated,WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- Checked below; the path is PHP's own temp file.
		$file = isset( $_FILES['pqm_file'] ) && is_array( $_FILES['pqm_file'] ) ? $_FILES['pqm_file'] : null;
		if ( null === $file || ! isset( $file['error'] ) || is_array( $file['error'] ) ) {
			self::back( $order, 'no_file' );
		}
		switch ( (int) $file['error'] ) {
			case UPLOAD_ERR_OK:
				break;
			case UPLOAD_ERR_NO_FILE:
				self::back( $order, 'no_file' );
				break;
			case UPLOAD_ERR_INI_SIZE:
			case UPLOAD_ERR_FORM_SIZE:
				self::back( $order, 'too_large' );
				break;
			default: // UPLOAD_ERR_PARTIAL (interrupted), no tmp dir, cannot write …
				self::back( $order, 'upload_failed' );
		}
		if ( ! is_uploaded_file( $file['tmp_name'] ) ) {
			self::back( $order, 'upload_failed' );
		}
		$principal = PQM_Bridge::principal();
		$params    = array(
			'order'   => $order,
			'path'    => (string) $file['tmp_name'],
			'name'    => is_string( $file['name'] ) ? $file['name'] : '',
			'storage' => self::storage_dir(),
		);
		try {
			$result = PQM_Bridge::call(
				static function () use ( $principal, $params ) {
					return \PQM\action( 'file.customer_upload', $principal, $params );
				},
				'file.customer_upload'
			);
		} catch ( \PQM\NotFoundException $e ) {
			self::back( $order, '' ); // The panel answers "order not found".
		} catch ( PQM_Unavailable_Error $e ) {
			self::back( $order, 'unavailable' ); // The database is down: nothing was stored.
		} catch ( \Throwable $e ) {
			self::back( $order, 'failed' );
		}
		if ( 'stored' === $result['result'] ) {
			/**
			 * A customer uploaded a file (row of file.customer_upload).
			 *
			 * @param array $file The stored version.
			 */
			do_action( 'pqm_customer_file_uploaded', $result['file'] );
			self::back( $order, 'uploaded' );
		}
		self::back( $order, (string) $result['notice'] );
	}

	/**
	 * POST action=pqm_decide: an approver approves or requests changes.
	 *
	 * @return void
	 */
	public static function decide() {
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- check_form().
		$order = self::param( $_POST, 'order' );
		self::check_form( $order );
		$params = array(
			'order'    => $order,
			'approval' => self::param( $_POST, 'approval' ),
			'decision' => self::param( $_POST, 'decision' ),
			'comment'  => self::param( $_POST, 'comment' ),
		);
		// phpcs:enable
		$principal = PQM_Bridge::principal();
		try {
			$result = PQM_Bridge::call(
				static function () use ( $principal, $params ) {
					return \PQM\action( 'approval.decide', $principal, $params );
				},
				'approval.decide'
			);
		} catch ( \PQM\NotFoundException $e ) {
			self::back( $order, '' );
		} catch ( PQM_Unavailable_Error $e ) {
			self::back( $order, 'unavailable', self::keep_draft( $params ) );
		} catch ( \Throwable $e ) {
			self::back( $order, 'failed', self::keep_draft( $params ) );
		}
		if ( 'decided' !== $result['result'] ) {
			$keep = in_array( (string) $result['notice'], array( 'comment_required', 'comment_too_long' ), true );
			self::back( $order, (string) $result['notice'], $keep ? self::keep_draft( $params ) : '' );
		}
		self::notify_decision( $result['approval'], (int) $result['requested_by'] );
		self::back( $order, 'approved' === $result['approval']['status'] ? 'approved' : 'changes_requested' );
	}

	/**
	 * Keep the typed comment of a decision that was not saved, for the
	 * redirect back (short-lived, per user); '' when there is nothing to keep.
	 *
	 * @param array $params order, approval, decision, comment.
	 * @return string Draft token.
	 */
	private static function keep_draft( array $params ) {
		if ( ! is_user_logged_in() || '' === trim( (string) $params['comment'] ) ) {
			return '';
		}
		$token = str_replace( '-', '', wp_generate_uuid4() );
		set_transient(
			self::draft_key( $token ),
			array(
				'approval' => (int) $params['approval'],
				'decision' => 'changes' === $params['decision'] ? 'changes' : 'approve',
				'comment'  => (string) $params['comment'],
			),
			self::DRAFT_TTL
		);
		return $token;
	}

	/**
	 * Tell staff about a decision: through the messages feature when it is
	 * there (filter pqm_approval_decided_notified returns true), else e-mail
	 * to the staff member who asked (or the site admin).
	 *
	 * @param array $approval     Approval row.
	 * @param int   $requested_by User id of the staff member who asked.
	 * @return void
	 */
	public static function notify_decision( array $approval, $requested_by ) {
		/**
		 * Fires after a customer decided an approval.
		 *
		 * @param array $approval The approval row.
		 */
		do_action( 'pqm_approval_decided', $approval );
		if ( apply_filters( 'pqm_approval_decided_notified', false, $approval ) ) {
			return; // Another feature (e.g. messages) sent the notification.
		}
		$user = $requested_by > 0 ? get_userdata( $requested_by ) : false;
		$to   = $user && $user->user_email ? $user->user_email : (string) get_option( 'admin_email' );
		if ( '' === $to ) {
			return;
		}
		$customer = wp_get_current_user();
		$state    = 'approved' === $approval['status'] ? __( 'approved', 'pqm-client-panel' ) : __( 'requested changes on', 'pqm-client-panel' );
		$what     = empty( $approval['file_title'] ) ? __( 'the order', 'pqm-client-panel' ) : sprintf( '%s v%d', $approval['file_title'], (int) $approval['file_version'] );
		/* translators: 1: order reference, 2: customer name, 3: approved / requested changes on, 4: what */
		$subject = sprintf( __( '[%1$s] %2$s %3$s %4$s', 'pqm-client-panel' ), $approval['order'], $customer->display_name, $state, $what );
		$body    = $subject . "\n\n"
			. ( '' !== (string) $approval['comment'] ? __( 'Comment:', 'pqm-client-panel' ) . "\n" . $approval['comment'] . "\n\n" : '' )
			. __( 'Receipt (SHA-256 of the sign-off entry):', 'pqm-client-panel' ) . ' ' . $approval['decision_receipt'] . "\n"
			. admin_url( 'admin.php?page=pqm-approvals' ) . "\n";
		if ( ! wp_mail( $to, $subject, $body, self::mail_headers() ) ) {
			PQM_Bridge::log( new RuntimeException( 'wp_mail failed for approval ' . $approval['id'] ), 'approval notification' );
		}
	}

	/**
	 * WordPress sends from wordpress@<host>, which PHPMailer rejects when the
	 * host has no dot (localhost, intranet names): then send from the admin
	 * e-mail instead.
	 *
	 * @return string[] Extra mail headers.
	 */
	private static function mail_headers() {
		$host = (string) wp_parse_url( network_home_url(), PHP_URL_HOST );
		$host = 0 === strpos( $host, 'www.' ) ? substr( $host, 4 ) : $host;
		if ( is_email( 'wordpress@' . $host ) ) {
			return array();
		}
		$admin = (string) get_option( 'admin_email' );
		return is_email( $admin ) ? array( 'From: ' . wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES ) . ' <' . $admin . '>' ) : array();
	}

	/**
	 * E-mail the approvers of the account about a new request, with signed
	 * links to the file version.
	 *
	 * @param array $requested Result of approval.request.
	 * @return int Number of e-mails sent.
	 */
	public static function notify_request( array $requested ) {
		$sent = 0;
		foreach ( (array) $requested['notify_user_ids'] as $user_id ) {
			$user = get_userdata( (int) $user_id );
			if ( ! $user || ! $user->user_email ) {
				continue;
			}
			$lines = array(
				/* translators: %s: order reference */
				sprintf( __( 'We would like your approval on order %s.', 'pqm-client-panel' ), $requested['order'] ),
			);
			if ( '' !== (string) $requested['message'] ) {
				$lines[] = '';
				$lines[] = $requested['message'];
			}
			if ( ! empty( $requested['file_version_id'] ) ) {
				$lines[] = '';
				/* translators: 1: file title, 2: version */
				$lines[] = sprintf( __( 'File: %1$s, version %2$d', 'pqm-client-panel' ), $requested['file_title'], (int) $requested['file_version'] );
				$lines[] = __( 'Download (log in first; the link expires in 7 days):', 'pqm-client-panel' );
				$lines[] = self::signed_url( $requested['order'], (int) $requested['file_version_id'], (int) $user_id );
			}
			$lines[] = '';
			$lines[] = __( 'Approve or request changes here:', 'pqm-client-panel' );
			$lines[] = self::panel_url( array( 'pqm_order' => (string) $requested['order'] ) );
			/* translators: %s: order reference */
			$subject = sprintf( __( '[%s] Waiting for your approval', 'pqm-client-panel' ), $requested['order'] );
			if ( wp_mail( $user->user_email, $subject, implode( "\n", $lines ), self::mail_headers() ) ) {
				++$sent;
			}
		}
		return $sent;
	}
}
