<?php
/**
 * wp-admin: files and approvals of an order (a section for the staff order
 * screen via `pqm_admin_order_sections`, also on its own page "PQM Files"),
 * multi-file upload, approval requests and the approvals queue.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Staff screens for files and approvals.
 */
final class PQM_Admin_Files {

	/**
	 * Hook up (extension loaded, wp-admin).
	 *
	 * @return void
	 */
	public static function init() {
		add_action( 'admin_menu', array( __CLASS__, 'menu' ) );
		add_action( 'pqm_admin_order_sections', array( __CLASS__, 'section' ) );
		add_action( 'admin_post_pqm_admin_upload', array( __CLASS__, 'handle_upload' ) );
		add_action( 'admin_post_pqm_admin_request', array( __CLASS__, 'handle_request' ) );
		add_action( 'admin_post_pqm_admin_file_settings', array( __CLASS__, 'handle_settings' ) );
	}

	/**
	 * Menu pages.
	 *
	 * @return void
	 */
	public static function menu() {
		add_menu_page( __( 'PQM Files & approvals', 'pqm-client-panel' ), __( 'PQM Files', 'pqm-client-panel' ), PQM_Bridge::CAP_MANAGE_ORDERS, 'pqm-files', array( __CLASS__, 'files_page' ), 'dashicons-media-document', 58 );
		add_submenu_page( 'pqm-files', __( 'Approvals', 'pqm-client-panel' ), __( 'Approvals', 'pqm-client-panel' ), PQM_Bridge::CAP_MANAGE_ORDERS, 'pqm-approvals', array( __CLASS__, 'queue_page' ) );
		add_submenu_page( 'pqm-files', __( 'Upload limits', 'pqm-client-panel' ), __( 'Upload limits', 'pqm-client-panel' ), PQM_Bridge::CAP_MANAGE_SETTINGS, 'pqm-file-settings', array( __CLASS__, 'settings_page' ) );
	}

	/**
	 * Kinds customers may upload (judged by content in Rust), with labels.
	 *
	 * @return array<string,string>
	 */
	private static function kind_labels() {
		return array(
			'pdf'    => 'PDF',
			'png'    => 'PNG',
			'jpeg'   => 'JPEG',
			'office' => __( 'Word/Excel/PowerPoint (.docx, .xlsx, .pptx)', 'pqm-client-panel' ),
		);
	}

	/**
	 * Page: the customer upload limits (file.settings / file.settings_update).
	 *
	 * @return void
	 */
	public static function settings_page() {
		if ( ! current_user_can( PQM_Bridge::CAP_MANAGE_SETTINGS ) ) {
			wp_die( esc_html__( 'You are not allowed to change the settings.', 'pqm-client-panel' ), 403 );
		}
		echo '<div class="wrap"><h1>' . esc_html__( 'Upload limits', 'pqm-client-panel' ) . '</h1>';
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- Display only.
		if ( isset( $_GET['pqm_saved'] ) ) {
			echo '<div class="notice notice-success pqm-settings-saved"><p>' . esc_html__( 'Upload limits saved.', 'pqm-client-panel' ) . '</p></div>';
		}
		if ( isset( $_GET['pqm_error'] ) && is_scalar( $_GET['pqm_error'] ) ) {
			echo '<div class="notice notice-error pqm-settings-error"><p>' . esc_html( wp_unslash( (string) $_GET['pqm_error'] ) ) . '</p></div>';
		}
		// phpcs:enable
		try {
			$settings = self::action( 'file.settings', array() );
		} catch ( \Throwable $e ) {
			echo '<div class="notice notice-error"><p>' . esc_html( $e->getMessage() ) . '</p></div></div>';
			return;
		}
		$mb    = rtrim( rtrim( number_format( (int) $settings['max_upload_bytes'] / 1048576, 2, '.', '' ), '0' ), '.' );
		$kinds = (array) $settings['upload_kinds'];
		echo '<form class="pqm-file-settings" method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( 'pqm_admin_file_settings' );
		echo '<input type="hidden" name="action" value="pqm_admin_file_settings"><table class="form-table"><tbody>';
		echo '<tr><th scope="row"><label for="pqm-max-upload-mb">' . esc_html__( 'Largest customer upload (MB)', 'pqm-client-panel' ) . '</label></th><td><input id="pqm-max-upload-mb" name="max_upload_mb" type="number" min="0.01" step="0.01" required value="' . esc_attr( $mb ) . '"></td></tr>';
		echo '<tr><th scope="row">' . esc_html__( 'Accepted kinds (checked by content)', 'pqm-client-panel' ) . '</th><td>';
		foreach ( self::kind_labels() as $slug => $label ) {
			printf( '<label><input type="checkbox" name="kinds[]" value="%s"%s> %s</label><br>', esc_attr( $slug ), checked( in_array( $slug, $kinds, true ), true, false ), esc_html( $label ) );
		}
		echo '</td></tr></tbody></table>';
		submit_button( __( 'Save', 'pqm-client-panel' ) );
		echo '</form></div>';
	}

	/**
	 * POST: save the upload limits (Rust checks the capability and values).
	 *
	 * @return void
	 */
	public static function handle_settings() {
		check_admin_referer( 'pqm_admin_file_settings' );
		if ( ! current_user_can( PQM_Bridge::CAP_MANAGE_SETTINGS ) ) {
			wp_die( esc_html__( 'You are not allowed to change the settings.', 'pqm-client-panel' ), 403 );
		}
		$mb    = isset( $_POST['max_upload_mb'] ) && is_scalar( $_POST['max_upload_mb'] ) ? (float) sanitize_text_field( wp_unslash( $_POST['max_upload_mb'] ) ) : 0.0;
		$kinds = isset( $_POST['kinds'] ) && is_array( $_POST['kinds'] ) ? array_map( 'sanitize_key', wp_unslash( $_POST['kinds'] ) ) : array();
		$back  = admin_url( 'admin.php?page=pqm-file-settings' );
		if ( ! $kinds ) {
			wp_safe_redirect( add_query_arg( 'pqm_error', rawurlencode( __( 'Choose at least one kind of file.', 'pqm-client-panel' ) ), $back ), 303 );
			exit;
		}
		try {
			self::action(
				'file.settings_update',
				array(
					'max_upload_bytes' => max( 0, (int) round( $mb * 1048576 ) ),
					'upload_kinds'     => implode( ',', $kinds ),
				)
			);
		} catch ( \Throwable $e ) {
			wp_safe_redirect( add_query_arg( 'pqm_error', rawurlencode( $e->getMessage() ), $back ), 303 );
			exit;
		}
		wp_safe_redirect( add_query_arg( 'pqm_saved', '1', $back ), 303 );
		exit;
	}

	/**
	 * Run an action as the logged-in staff member (Rust checks the capability).
	 *
	 * @param string $name   Action.
	 * @param array  $params Params.
	 * @return array
	 */
	private static function action( $name, array $params ) {
		$principal = PQM_Bridge::principal();
		return (array) PQM_Bridge::call(
			static function () use ( $name, $principal, $params ) {
				return \PQM\action( $name, $principal, $params );
			},
			$name
		);
	}

	/**
	 * The standalone page: pick an order, see its files section.
	 *
	 * @return void
	 */
	public static function files_page() {
		if ( ! current_user_can( PQM_Bridge::CAP_MANAGE_ORDERS ) ) {
			wp_die( esc_html__( 'You are not allowed to manage orders.', 'pqm-client-panel' ), 403 );
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- Navigation.
		$order = isset( $_GET['order'] ) && is_scalar( $_GET['order'] ) ? sanitize_text_field( wp_unslash( $_GET['order'] ) ) : '';
		echo '<div class="wrap"><h1>' . esc_html__( 'Files & approvals', 'pqm-client-panel' ) . '</h1>';
		self::result_notice();
		echo '<form method="get"><input type="hidden" name="page" value="pqm-files"><label>' . esc_html__( 'Order reference', 'pqm-client-panel' )
			. ' <input name="order" value="' . esc_attr( $order ) . '"></label> ';
		submit_button( __( 'Show', 'pqm-client-panel' ), 'secondary', '', false );
		echo '</form>';
		if ( '' !== $order ) {
			self::section( $order );
		}
		echo '</div>';
	}

	/**
	 * Result of the last upload/request (query args set by the handlers).
	 *
	 * @return void
	 */
	private static function result_notice() {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- Display only.
		if ( isset( $_GET['pqm_added'] ) ) {
			echo '<div class="notice notice-success"><p>' . esc_html( sprintf( /* translators: %d: number of files */ __( '%d file(s) added.', 'pqm-client-panel' ), (int) $_GET['pqm_added'] ) ) . '</p></div>';
		}
		if ( isset( $_GET['pqm_requested'] ) ) {
			echo '<div class="notice notice-success"><p>' . esc_html__( 'Approval requested.', 'pqm-client-panel' ) . '</p></div>';
		}
		if ( isset( $_GET['pqm_error'] ) && is_scalar( $_GET['pqm_error'] ) ) {
			echo '<div class="notice notice-error"><p>' . esc_html( wp_unslash( (string) $_GET['pqm_error'] ) ) . '</p></div>';
		}
		// phpcs:enable
	}

	/**
	 * The files & approvals section of one order (hook pqm_admin_order_sections).
	 *
	 * @param string $order Order reference.
	 * @return void
	 */
	public static function section( $order ) {
		if ( ! current_user_can( PQM_Bridge::CAP_MANAGE_ORDERS ) ) {
			return;
		}
		try {
			$versions  = self::action( 'file.list', array( 'order' => (string) $order ) );
			$types     = self::action( 'file.types', array() );
			$approvals = self::action( 'approval.list', array( 'order' => (string) $order ) );
		} catch ( \Throwable $e ) {
			echo '<div class="notice notice-error inline"><p>' . esc_html( $e->getMessage() ) . '</p></div>';
			return;
		}
		echo '<div class="pqm-admin-files" data-order="' . esc_attr( $order ) . '"><h2>' . esc_html__( 'Files', 'pqm-client-panel' ) . '</h2>';
		echo '<table class="widefat striped pqm-admin-file-list"><thead><tr><th>' . esc_html__( 'File', 'pqm-client-panel' ) . '</th><th>' . esc_html__( 'Type', 'pqm-client-panel' ) . '</th><th>' . esc_html__( 'Version', 'pqm-client-panel' ) . '</th><th>' . esc_html__( 'Visibility', 'pqm-client-panel' ) . '</th><th>' . esc_html__( 'Size', 'pqm-client-panel' ) . '</th><th>SHA-256</th><th>' . esc_html__( 'Added', 'pqm-client-panel' ) . '</th></tr></thead><tbody>';
		$customer_files = array();
		foreach ( $versions as $v ) {
			$url = PQM_Files::download_url(
				array(
					'order'      => (string) $order,
					'version_id' => (string) $v['version_id'],
				)
			);
			if ( ! $v['internal'] ) {
				$customer_files[ $v['file_id'] ] = $v['title'];
			}
			$vis = $v['internal'] ? __( 'internal', 'pqm-client-panel' ) : ( $v['shared'] ? __( 'shared with customer', 'pqm-client-panel' ) : __( 'not shared', 'pqm-client-panel' ) );
			printf(
				'<tr data-file="%d" data-version-id="%d"><td><a href="%s">%s</a><br><small>%s%s</small></td><td>%s</td><td>v%d</td><td>%s</td><td>%s</td><td><code>%s</code></td><td>%s</td></tr>',
				(int) $v['file_id'],
				(int) $v['version_id'],
				esc_url( $url ),
				esc_html( $v['title'] ),
				esc_html( $v['file_name'] ),
				$v['by_customer'] ? esc_html__( ' — from the customer', 'pqm-client-panel' ) : '',
				esc_html( $v['type_label'] ),
				(int) $v['version'],
				esc_html( $vis ),
				esc_html( size_format( (int) $v['size'] ) ),
				esc_html( $v['sha256'] ),
				esc_html( $v['created_at'] )
			);
		}
		if ( ! $versions ) {
			echo '<tr><td colspan="7">' . esc_html__( 'No files yet.', 'pqm-client-panel' ) . '</td></tr>';
		}
		echo '</tbody></table>';

		// Upload (several files at once).
		echo '<h3>' . esc_html__( 'Add files', 'pqm-client-panel' ) . '</h3><form class="pqm-admin-upload" method="post" enctype="multipart/form-data" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( 'pqm_admin_upload' );
		echo '<input type="hidden" name="action" value="pqm_admin_upload"><input type="hidden" name="order" value="' . esc_attr( $order ) . '">';
		echo '<p><input type="file" name="pqm_files[]" multiple required></p><p><label>' . esc_html__( 'Type', 'pqm-client-panel' ) . ' <select name="type">';
		foreach ( $types as $t ) {
			printf( '<option value="%s">%s%s</option>', esc_attr( $t['slug'] ), esc_html( $t['label'] ), $t['customer_file'] ? '' : esc_html__( ' (internal)', 'pqm-client-panel' ) );
		}
		echo '</select></label> <label>' . esc_html__( 'Title', 'pqm-client-panel' ) . ' <input name="title" placeholder="' . esc_attr__( 'default: the type', 'pqm-client-panel' ) . '"></label> ';
		echo '<label><input type="checkbox" name="internal" value="1"> ' . esc_html__( 'Internal', 'pqm-client-panel' ) . '</label> <label><input type="checkbox" name="unshared" value="1"> ' . esc_html__( 'Do not share this version yet', 'pqm-client-panel' ) . '</label></p>';
		submit_button( __( 'Upload', 'pqm-client-panel' ), 'primary', 'submit', false );
		echo '</form>';

		// Approvals.
		echo '<h3>' . esc_html__( 'Approvals', 'pqm-client-panel' ) . '</h3>';
		self::approval_table( $approvals );
		echo '<form class="pqm-admin-request" method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		wp_nonce_field( 'pqm_admin_request' );
		echo '<input type="hidden" name="action" value="pqm_admin_request"><input type="hidden" name="order" value="' . esc_attr( $order ) . '">';
		echo '<p><label>' . esc_html__( 'On', 'pqm-client-panel' ) . ' <select name="file"><option value="">' . esc_html__( 'the whole order', 'pqm-client-panel' ) . '</option>';
		foreach ( $customer_files as $id => $title ) {
			printf( '<option value="%d">%s</option>', (int) $id, esc_html( $title ) );
		}
		echo '</select></label> <label>' . esc_html__( 'Due', 'pqm-client-panel' ) . ' <input type="date" name="due"></label></p>';
		echo '<p><textarea name="message" rows="3" cols="60" placeholder="' . esc_attr__( 'Message to the customer', 'pqm-client-panel' ) . '"></textarea></p>';
		submit_button( __( 'Request approval', 'pqm-client-panel' ), 'secondary', 'submit', false );
		echo '</form></div>';
	}

	/**
	 * A table of approval rows.
	 *
	 * @param array $rows Approval rows.
	 * @return void
	 */
	private static function approval_table( array $rows ) {
		echo '<table class="widefat striped pqm-admin-approvals"><thead><tr><th>#</th><th>' . esc_html__( 'Order', 'pqm-client-panel' ) . '</th><th>' . esc_html__( 'On', 'pqm-client-panel' ) . '</th><th>' . esc_html__( 'Status', 'pqm-client-panel' ) . '</th><th>' . esc_html__( 'Due', 'pqm-client-panel' ) . '</th><th>' . esc_html__( 'Comment', 'pqm-client-panel' ) . '</th><th>' . esc_html__( 'Receipt', 'pqm-client-panel' ) . '</th></tr></thead><tbody>';
		foreach ( $rows as $a ) {
			printf(
				'<tr data-approval="%d"><td>%d</td><td><a href="%s">%s</a></td><td>%s</td><td>%s%s</td><td>%s</td><td>%s</td><td><code>%s</code></td></tr>',
				(int) $a['id'],
				(int) $a['id'],
				esc_url( admin_url( 'admin.php?page=pqm-files&order=' . rawurlencode( $a['order'] ) ) ),
				esc_html( $a['order'] ),
				esc_html( $a['file_title'] ? $a['file_title'] . ' v' . $a['file_version'] : __( 'order', 'pqm-client-panel' ) ),
				esc_html( $a['status'] ),
				$a['overdue'] ? ' <strong>' . esc_html__( 'overdue', 'pqm-client-panel' ) . '</strong>' : '',
				esc_html( (string) $a['due'] ),
				esc_html( $a['comment'] ),
				esc_html( $a['decision_receipt'] ? $a['decision_receipt'] : $a['request_receipt'] )
			);
		}
		if ( ! $rows ) {
			echo '<tr><td colspan="7">' . esc_html__( 'None.', 'pqm-client-panel' ) . '</td></tr>';
		}
		echo '</tbody></table>';
	}

	/**
	 * The approvals queue: overdue, pending, recently decided.
	 *
	 * @return void
	 */
	public static function queue_page() {
		if ( ! current_user_can( PQM_Bridge::CAP_MANAGE_ORDERS ) ) {
			wp_die( esc_html__( 'You are not allowed to manage orders.', 'pqm-client-panel' ), 403 );
		}
		echo '<div class="wrap"><h1>' . esc_html__( 'Approvals', 'pqm-client-panel' ) . '</h1>';
		try {
			$q = self::action( 'approval.queue', array() );
		} catch ( \Throwable $e ) {
			echo '<div class="notice notice-error"><p>' . esc_html( $e->getMessage() ) . '</p></div></div>';
			return;
		}
		foreach ( array( 'overdue' => __( 'Overdue', 'pqm-client-panel' ), 'pending' => __( 'Pending', 'pqm-client-panel' ), 'recent' => __( 'Recently decided', 'pqm-client-panel' ) ) as $key => $label ) {
			echo '<h2 id="pqm-queue-' . esc_attr( $key ) . '">' . esc_html( $label ) . '</h2>';
			self::approval_table( $q[ $key ] );
		}
		echo '</div>';
	}

	/**
	 * Back to the files page with result args.
	 *
	 * @param string $order Order reference.
	 * @param array  $args  Query args.
	 * @return void
	 */
	private static function back( $order, array $args ) {
		$back = wp_get_referer();
		$url  = $back ? remove_query_arg( array( 'pqm_added', 'pqm_requested', 'pqm_error' ), $back ) : admin_url( 'admin.php?page=pqm-files&order=' . rawurlencode( $order ) );
		wp_safe_redirect( add_query_arg( array_map( 'rawurlencode', $args ), $url ), 303 );
		exit;
	}

	/**
	 * POST: staff upload of one or more files.
	 *
	 * @return void
	 */
	public static function handle_upload() {
		check_admin_referer( 'pqm_admin_upload' );
		if ( ! current_user_can( PQM_Bridge::CAP_MANAGE_ORDERS ) ) {
			wp_die( esc_html__( 'You are not allowed to manage orders.', 'pqm-client-panel' ), 403 );
		}
		$order = isset( $_POST['order'] ) && is_scalar( $_POST['order'] ) ? sanitize_text_field( wp_unslash( $_POST['order'] ) ) : '';
		$type  = isset( $_POST['type'] ) && is_scalar( $_POST['type'] ) ? sanitize_key( wp_unslash( $_POST['type'] ) ) : '';
		$title = isset( $_POST['title'] ) && is_scalar( $_POST['title'] ) ? sanitize_text_field( wp_unslash( $_POST['title'] ) ) : '';
		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized,WordPress.Security.ValidatedSanitizedInput.InputNotValidated -- Checked per entry below.
		$files = isset( $_FILES['pqm_files'] ) && is_array( $_FILES['pqm_files']['name'] ?? null ) ? $_FILES['pqm_files'] : array( 'name' => array() );
		$added = 0;
		// Several files without a title: each is its own file, titled after
		// its name (one title for all would make them versions of one file).
		$own_titles = '' === $title && count( array_filter( (array) $files['name'], 'strlen' ) ) > 1;
		foreach ( array_keys( $files['name'] ) as $i ) {
			if ( UPLOAD_ERR_OK !== (int) $files['error'][ $i ] || ! is_uploaded_file( $files['tmp_name'][ $i ] ) ) {
				continue;
			}
			try {
				self::action(
					'file.add',
					array(
						'order'    => $order,
						'path'     => (string) $files['tmp_name'][ $i ],
						'name'     => (string) $files['name'][ $i ],
						'type'     => $type,
						'title'    => $own_titles ? self::title_from_name( (string) $files['name'][ $i ] ) : $title,
						'internal' => ! empty( $_POST['internal'] ),
						'unshared' => ! empty( $_POST['unshared'] ),
						'storage'  => PQM_Files::storage_dir(),
					)
				);
				++$added;
			} catch ( \Throwable $e ) {
				self::back( $order, array( 'pqm_added' => (string) $added, 'pqm_error' => $e->getMessage() ) );
			}
		}
		self::back( $order, array( 'pqm_added' => (string) $added ) );
	}

	/**
	 * A title from an uploaded file's name: no path, no extension.
	 *
	 * @param string $name Browser-supplied file name.
	 * @return string
	 */
	private static function title_from_name( $name ) {
		$base = sanitize_text_field( pathinfo( wp_basename( $name ), PATHINFO_FILENAME ) );
		return '' !== $base ? $base : sanitize_text_field( wp_basename( $name ) );
	}

	/**
	 * POST: staff request an approval (the approvers get an e-mail).
	 *
	 * @return void
	 */
	public static function handle_request() {
		check_admin_referer( 'pqm_admin_request' );
		if ( ! current_user_can( PQM_Bridge::CAP_MANAGE_ORDERS ) ) {
			wp_die( esc_html__( 'You are not allowed to manage orders.', 'pqm-client-panel' ), 403 );
		}
		$order  = isset( $_POST['order'] ) && is_scalar( $_POST['order'] ) ? sanitize_text_field( wp_unslash( $_POST['order'] ) ) : '';
		$params = array(
			'order'   => $order,
			'file'    => isset( $_POST['file'] ) && is_scalar( $_POST['file'] ) ? sanitize_text_field( wp_unslash( $_POST['file'] ) ) : '',
			'message' => isset( $_POST['message'] ) && is_scalar( $_POST['message'] ) ? sanitize_textarea_field( wp_unslash( $_POST['message'] ) ) : '',
			'due'     => isset( $_POST['due'] ) && is_scalar( $_POST['due'] ) ? sanitize_text_field( wp_unslash( $_POST['due'] ) ) : '',
		);
		try {
			$row = self::action( 'approval.request', $params );
			PQM_Files::notify_request( $row );
		} catch ( \Throwable $e ) {
			self::back( $order, array( 'pqm_error' => $e->getMessage() ) );
		}
		self::back( $order, array( 'pqm_requested' => '1' ) );
	}
}
