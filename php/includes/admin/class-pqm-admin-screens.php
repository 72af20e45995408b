<?php
/**
 * The wp-admin screens of the staff workspace and their POST handlers
 * (called by PQM_Admin::dispatch_post after capability + nonce checks).
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Screens.
 */
final class PQM_Admin_Screens {

	/**
	 * A scalar request value, unslashed and sanitised as a line of text.
	 *
	 * @param string $key     Key.
	 * @param string $default Default.
	 * @return string
	 */
	private static function get( $key, $default = '' ) {
		// phpcs:ignore WordPress.Security.NonceVerification -- Nonces are verified by PQM_Admin before handlers run; screens only read.
		return isset( $_REQUEST[ $key ] ) && is_scalar( $_REQUEST[ $key ] ) ? trim( sanitize_text_field( wp_unslash( $_REQUEST[ $key ] ) ) ) : $default;
	}

	/**
	 * A multi-line text value (notes), unslashed.
	 *
	 * @param string $key Key.
	 * @return string|null Null when absent.
	 */
	private static function text( $key ) {
		// phpcs:ignore WordPress.Security.NonceVerification.Missing -- Verified by PQM_Admin::dispatch_post.
		return isset( $_POST[ $key ] ) && is_scalar( $_POST[ $key ] ) ? sanitize_textarea_field( wp_unslash( $_POST[ $key ] ) ) : null;
	}

	/**
	 * A failure box for a screen (the detail is in the log when it is infrastructure).
	 *
	 * @param \Throwable $e Failure.
	 * @return void
	 */
	private static function failure( \Throwable $e ) {
		echo '<div class="notice notice-error pqm-screen-error"><p>' . esc_html( $e->getMessage() ) . '</p></div>';
	}

	// ------------------------------------------------------------- orders.

	/**
	 * Orders: the list, or one order when ?order= is given.
	 *
	 * @return void
	 */
	public static function orders() {
		$reference = self::get( 'order' );
		if ( '' !== $reference ) {
			self::order( $reference );
			return;
		}
		echo '<div class="wrap pqm-admin pqm-orders-screen"><h1 class="wp-heading-inline">' . esc_html__( 'Orders', 'pqm-client-panel' ) . '</h1><hr class="wp-header-end" />';
		$table = new PQM_Orders_List_Table();
		try {
			$table->prepare_items();
		} catch ( PQM_Command_Error $e ) {
			self::failure( $e );
			echo '</div>';
			return;
		}
		$f       = PQM_Orders_List_Table::filters();
		$options = isset( $table->result['options'] ) ? $table->result['options'] : array();
		$val     = static function ( $k ) use ( $f ) {
			return isset( $f[ $k ] ) ? $f[ $k ] : '';
		};
		?>
		<form method="get" class="pqm-order-filters" action="<?php echo esc_url( admin_url( 'admin.php' ) ); ?>">
			<input type="hidden" name="page" value="pqm-orders" />
			<?php if ( '' !== $val( 'orderby' ) ) : ?>
				<input type="hidden" name="orderby" value="<?php echo esc_attr( $val( 'orderby' ) ); ?>" />
				<input type="hidden" name="order" value="<?php echo esc_attr( $val( 'order' ) ); ?>" />
			<?php endif; ?>
			<?php $table->search_box( __( 'Search orders', 'pqm-client-panel' ), 'pqm-order-search' ); ?>
			<div class="alignleft actions">
				<label class="screen-reader-text" for="pqm-filter-status"><?php esc_html_e( 'Status', 'pqm-client-panel' ); ?></label>
				<select name="status" id="pqm-filter-status">
					<option value=""><?php esc_html_e( 'All statuses', 'pqm-client-panel' ); ?></option>
					<?php foreach ( (array) ( isset( $options['statuses'] ) ? $options['statuses'] : array() ) as $s ) : ?>
						<option value="<?php echo esc_attr( $s['key'] ); ?>" <?php selected( $val( 'status' ), $s['key'] ); ?>><?php echo esc_html( $s['internal_label'] ); ?></option>
					<?php endforeach; ?>
				</select>
				<label class="screen-reader-text" for="pqm-filter-account"><?php esc_html_e( 'Account', 'pqm-client-panel' ); ?></label>
				<select name="account" id="pqm-filter-account">
					<option value=""><?php esc_html_e( 'All accounts', 'pqm-client-panel' ); ?></option>
					<?php foreach ( (array) ( isset( $options['accounts'] ) ? $options['accounts'] : array() ) as $a ) : ?>
						<option value="<?php echo esc_attr( $a['id'] ); ?>" <?php selected( $val( 'account' ), (string) $a['id'] ); ?>><?php echo esc_html( $a['name'] . ( 'consolidated' === $a['kind'] ? ' ' . __( '(group)', 'pqm-client-panel' ) : '' ) ); ?></option>
					<?php endforeach; ?>
				</select>
				<label class="screen-reader-text" for="pqm-filter-department"><?php esc_html_e( 'Department', 'pqm-client-panel' ); ?></label>
				<select name="department" id="pqm-filter-department">
					<option value=""><?php esc_html_e( 'All departments', 'pqm-client-panel' ); ?></option>
					<?php foreach ( (array) ( isset( $options['departments'] ) ? $options['departments'] : array() ) as $d ) : ?>
						<option value="<?php echo esc_attr( $d ); ?>" <?php selected( $val( 'department' ), $d ); ?>><?php echo esc_html( $d ); ?></option>
					<?php endforeach; ?>
				</select>
				<label><?php esc_html_e( 'From', 'pqm-client-panel' ); ?> <input type="date" name="from" value="<?php echo esc_attr( $val( 'from' ) ); ?>" /></label>
				<label><?php esc_html_e( 'to', 'pqm-client-panel' ); ?> <input type="date" name="to" value="<?php echo esc_attr( $val( 'to' ) ); ?>" /></label>
				<label><input type="checkbox" name="overdue" value="1" <?php checked( '' !== $val( 'overdue' ) ); ?> /> <?php esc_html_e( 'Overdue only', 'pqm-client-panel' ); ?></label>
				<?php submit_button( __( 'Filter', 'pqm-client-panel' ), '', 'filter_action', false, array( 'id' => 'pqm-filter-submit' ) ); ?>
			</div>
		</form>
		<form method="post" class="pqm-orders-table" action="<?php echo esc_url( add_query_arg( array_merge( array( 'page' => 'pqm-orders' ), array_map( 'rawurlencode', $f ) ), admin_url( 'admin.php' ) ) ); ?>">
			<?php $table->display(); ?>
		</form>
		<?php self::order_create_form( $options ); ?>
		</div>
		<?php
	}

	/**
	 * "New order" below the list: customer accounts only (orders belong to them).
	 *
	 * @param array $options Dropdown choices from order.search (accounts, statuses).
	 * @return void
	 */
	private static function order_create_form( array $options ) {
		$kept     = PQM_Admin::kept( 'pqm_order_create' ) + array_fill_keys( array( 'account_id', 'title', 'reference', 'status', 'promised', 'expected', 'note', 'internal_note' ), '' );
		$accounts = array_filter(
			(array) ( isset( $options['accounts'] ) ? $options['accounts'] : array() ),
			static function ( $a ) {
				return 'customer' === $a['kind'];
			}
		);
		?>
		<h2><?php esc_html_e( 'New order', 'pqm-client-panel' ); ?></h2>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="pqm-order-create">
			<?php PQM_Admin::form_fields( 'pqm_order_create' ); ?>
			<table class="form-table" role="presentation">
				<tr><th scope="row"><label for="pqm-new-account"><?php esc_html_e( 'Account', 'pqm-client-panel' ); ?></label></th>
					<td><select name="account_id" id="pqm-new-account" required>
						<?php foreach ( $accounts as $a ) : ?>
							<option value="<?php echo esc_attr( $a['id'] ); ?>" <?php selected( $kept['account_id'], (string) $a['id'] ); ?>><?php echo esc_html( $a['name'] ); ?></option>
						<?php endforeach; ?>
					</select></td></tr>
				<tr><th scope="row"><label for="pqm-new-title"><?php esc_html_e( 'Title', 'pqm-client-panel' ); ?></label></th>
					<td><input type="text" name="title" id="pqm-new-title" class="regular-text" required maxlength="255" value="<?php echo esc_attr( $kept['title'] ); ?>" /></td></tr>
				<tr><th scope="row"><label for="pqm-new-reference"><?php esc_html_e( 'Reference', 'pqm-client-panel' ); ?></label></th>
					<td><input type="text" name="reference" id="pqm-new-reference" maxlength="64" value="<?php echo esc_attr( $kept['reference'] ); ?>" /> <span class="description"><?php esc_html_e( 'Leave empty for the next PQ- number.', 'pqm-client-panel' ); ?></span></td></tr>
				<tr><th scope="row"><label for="pqm-new-status"><?php esc_html_e( 'Status', 'pqm-client-panel' ); ?></label></th>
					<td><select name="status" id="pqm-new-status">
						<?php foreach ( (array) ( isset( $options['statuses'] ) ? $options['statuses'] : array() ) as $st ) : ?>
							<option value="<?php echo esc_attr( $st['key'] ); ?>" <?php selected( $kept['status'], $st['key'] ); ?>><?php echo esc_html( $st['internal_label'] ); ?></option>
						<?php endforeach; ?>
					</select></td></tr>
				<tr><th scope="row"><?php esc_html_e( 'Dates', 'pqm-client-panel' ); ?></th>
					<td><label><?php esc_html_e( 'Promised', 'pqm-client-panel' ); ?> <input type="date" name="promised" value="<?php echo esc_attr( $kept['promised'] ); ?>" /></label>
						<label><?php esc_html_e( 'Expected completion', 'pqm-client-panel' ); ?> <input type="date" name="expected" value="<?php echo esc_attr( $kept['expected'] ); ?>" /></label></td></tr>
				<tr><th scope="row"><label for="pqm-new-note"><?php esc_html_e( 'Note for the customer', 'pqm-client-panel' ); ?></label></th>
					<td><textarea name="note" id="pqm-new-note" rows="2" class="large-text"><?php echo esc_textarea( $kept['note'] ); ?></textarea></td></tr>
				<tr><th scope="row"><label for="pqm-new-internal"><?php esc_html_e( 'Internal note (never shown to customers)', 'pqm-client-panel' ); ?></label></th>
					<td><textarea name="internal_note" id="pqm-new-internal" rows="2" class="large-text"><?php echo esc_textarea( $kept['internal_note'] ); ?></textarea></td></tr>
			</table>
			<?php submit_button( __( 'Create order', 'pqm-client-panel' ) ); ?>
		</form>
		<?php
	}

	/**
	 * POST pqm_order_create; Rust validates every field.
	 *
	 * @param array $principal Principal.
	 * @return array [url, notice].
	 */
	public static function post_order_create( $principal ) {
		$params = array(
			'account_id' => self::get( 'account_id' ),
			'title'      => self::get( 'title' ),
		);
		foreach ( array( 'reference', 'status', 'promised', 'expected' ) as $k ) {
			if ( '' !== self::get( $k ) ) {
				$params[ $k ] = self::get( $k );
			}
		}
		$params += self::posted_notes();
		$o = PQM_Staff_Commands::action( 'order.create', $params, $principal );
		/* translators: %s: order reference */
		return array( admin_url( 'admin.php?page=pqm-orders&order=' . rawurlencode( $o['reference'] ) ), sprintf( __( 'Order %s created.', 'pqm-client-panel' ), $o['reference'] ) );
	}

	/**
	 * One order: fields, notes (customer-visible vs internal), tasks, history, sections of other features.
	 *
	 * @param string $reference Order reference.
	 * @return void
	 */
	private static function order( $reference ) {
		echo '<div class="wrap pqm-admin pqm-order-screen">';
		try {
			$o = PQM_Staff_Commands::order_get( $reference, true, PQM_Bridge::principal() );
		} catch ( PQM_Command_Error $e ) {
			echo '<h1>' . esc_html__( 'Order', 'pqm-client-panel' ) . '</h1>';
			self::failure( $e );
			echo '<p><a href="' . esc_url( admin_url( 'admin.php?page=pqm-orders' ) ) . '">' . esc_html__( '← All orders', 'pqm-client-panel' ) . '</a></p></div>';
			return;
		}
		$options = $o['options'];
		// The form shows the order, or what was typed when the last save failed.
		$form    = array_merge( $o, PQM_Admin::kept( 'pqm_order_update', $o['reference'] ) );
		$staff   = get_users(
			array(
				'capability' => 'pqm_manage_orders',
				'fields'     => array( 'ID', 'display_name' ),
			)
		);
		$names   = array();
		foreach ( $staff as $u ) {
			$names[ (int) $u->ID ] = $u->display_name;
		}
		?>
		<h1 class="wp-heading-inline" data-ref="<?php echo esc_attr( $o['reference'] ); ?>">
			<?php
			/* translators: 1: reference, 2: title */
			echo esc_html( sprintf( __( 'Order %1$s: %2$s', 'pqm-client-panel' ), $o['reference'], $o['title'] ) );
			?>
		</h1>
		<a class="page-title-action" href="<?php echo esc_url( admin_url( 'admin.php?page=pqm-orders' ) ); ?>"><?php esc_html_e( '← All orders', 'pqm-client-panel' ); ?></a>
		<hr class="wp-header-end" />
		<p class="pqm-order-summary">
			<?php
			/* translators: 1: account, 2: internal status, 3: customer label */
			echo esc_html( sprintf( __( 'Account: %1$s · Status: %2$s · Customer sees: %3$s', 'pqm-client-panel' ), $o['account'], $o['status_label'], $o['customer_status'] ) );
			?>
		</p>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="pqm-order-form">
			<?php PQM_Admin::form_fields( 'pqm_order_update' ); ?>
			<input type="hidden" name="reference" value="<?php echo esc_attr( $o['reference'] ); ?>" />
			<table class="form-table" role="presentation">
				<tr><th scope="row"><label for="pqm-title"><?php esc_html_e( 'Title', 'pqm-client-panel' ); ?></label></th>
					<td><input type="text" class="regular-text" id="pqm-title" name="title" value="<?php echo esc_attr( $form['title'] ); ?>" maxlength="255" required /></td></tr>
				<tr><th scope="row"><?php esc_html_e( 'Reference', 'pqm-client-panel' ); ?></th><td><code><?php echo esc_html( $o['reference'] ); ?></code></td></tr>
				<tr><th scope="row"><label for="pqm-account"><?php esc_html_e( 'Account', 'pqm-client-panel' ); ?></label></th>
					<td><select id="pqm-account" name="account_id">
						<?php foreach ( $options['accounts'] as $a ) : ?>
							<?php
							if ( 'customer' !== $a['kind'] ) {
								continue;
							}
							?>
							<option value="<?php echo esc_attr( $a['id'] ); ?>" <?php selected( (int) $form['account_id'], (int) $a['id'] ); ?>><?php echo esc_html( $a['name'] ); ?></option>
						<?php endforeach; ?>
					</select></td></tr>
				<tr><th scope="row"><label for="pqm-status"><?php esc_html_e( 'Status', 'pqm-client-panel' ); ?></label></th>
					<td><select id="pqm-status" name="status">
						<?php foreach ( $options['statuses'] as $s ) : ?>
							<option value="<?php echo esc_attr( $s['key'] ); ?>" <?php selected( $form['status'], $s['key'] ); ?>>
								<?php
								/* translators: 1: internal label, 2: customer label or "hidden" */
								echo esc_html( sprintf( __( '%1$s — customer sees: %2$s', 'pqm-client-panel' ), $s['internal_label'], $s['customer_visible'] ? $s['customer_label'] : __( '(hidden: keeps the last visible status)', 'pqm-client-panel' ) ) );
								?>
							</option>
						<?php endforeach; ?>
					</select>
					<p class="description pqm-customer-status">
						<?php
						/* translators: %s: customer label */
						echo esc_html( sprintf( __( 'The customer currently sees: %s', 'pqm-client-panel' ), $o['customer_status'] ) );
						?>
					</p></td></tr>
				<tr><th scope="row"><label for="pqm-promised"><?php esc_html_e( 'Promised', 'pqm-client-panel' ); ?></label></th>
					<td><input type="date" id="pqm-promised" name="promised" value="<?php echo esc_attr( (string) $form['promised'] ); ?>" /></td></tr>
				<tr><th scope="row"><label for="pqm-expected"><?php esc_html_e( 'Expected completion', 'pqm-client-panel' ); ?></label></th>
					<td><input type="date" id="pqm-expected" name="expected" value="<?php echo esc_attr( (string) $form['expected'] ); ?>" /></td></tr>
				<tr><th scope="row"><?php esc_html_e( 'Completed', 'pqm-client-panel' ); ?></th><td><?php echo esc_html( PQM_Admin::date( $o['completed_at'] ) ); ?></td></tr>
				<tr><th scope="row"><label for="pqm-delivery"><?php esc_html_e( 'Delivery / pickup', 'pqm-client-panel' ); ?></label></th>
					<td><select id="pqm-delivery" name="delivery_method">
						<option value="" <?php selected( (string) $form['delivery_method'], '' ); ?>><?php esc_html_e( 'Not set', 'pqm-client-panel' ); ?></option>
						<option value="pickup" <?php selected( $form['delivery_method'], 'pickup' ); ?>><?php esc_html_e( 'Pickup', 'pqm-client-panel' ); ?></option>
						<option value="delivery" <?php selected( $form['delivery_method'], 'delivery' ); ?>><?php esc_html_e( 'Delivery', 'pqm-client-panel' ); ?></option>
					</select>
					<input type="text" class="regular-text" name="delivery_info" value="<?php echo esc_attr( $form['delivery_info'] ); ?>" maxlength="255" aria-label="<?php esc_attr_e( 'Delivery / pickup details', 'pqm-client-panel' ); ?>" /></td></tr>
				<tr class="pqm-note-customer"><th scope="row"><label for="pqm-note"><?php esc_html_e( 'Note for the customer', 'pqm-client-panel' ); ?></label>
					<span class="pqm-badge pqm-visible"><?php esc_html_e( 'Customer sees this', 'pqm-client-panel' ); ?></span></th>
					<td><textarea id="pqm-note" name="note" rows="3" class="large-text"><?php echo esc_textarea( $form['note'] ); ?></textarea></td></tr>
				<tr class="pqm-note-internal"><th scope="row"><label for="pqm-internal-note"><?php esc_html_e( 'Internal note', 'pqm-client-panel' ); ?></label>
					<span class="pqm-badge pqm-internal"><?php esc_html_e( 'Staff only — never shown to customers', 'pqm-client-panel' ); ?></span></th>
					<td><textarea id="pqm-internal-note" name="internal_note" rows="3" class="large-text"><?php echo esc_textarea( $form['internal_note'] ); ?></textarea></td></tr>
			</table>
			<?php submit_button( __( 'Save order', 'pqm-client-panel' ) ); ?>
		</form>

		<h2><?php esc_html_e( 'Tasks', 'pqm-client-panel' ); ?></h2>
		<table class="widefat striped pqm-tasks">
			<thead><tr><th><?php esc_html_e( 'Task', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Department', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Assignee', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Status', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Show as milestone to customer', 'pqm-client-panel' ); ?></th><th></th></tr></thead>
			<tbody>
			<?php foreach ( $o['tasks'] as $t ) : ?>
				<?php $form = 'pqm-task-' . (int) $t['id']; ?>
				<tr data-task="<?php echo esc_attr( $t['id'] ); ?>">
					<td><input form="<?php echo esc_attr( $form ); ?>" type="text" name="name" value="<?php echo esc_attr( $t['name'] ); ?>" aria-label="<?php esc_attr_e( 'Task', 'pqm-client-panel' ); ?>" /></td>
					<td><input form="<?php echo esc_attr( $form ); ?>" type="text" name="department" value="<?php echo esc_attr( $t['department'] ); ?>" aria-label="<?php esc_attr_e( 'Department', 'pqm-client-panel' ); ?>" /></td>
					<td><select form="<?php echo esc_attr( $form ); ?>" name="assignee_user_id" aria-label="<?php esc_attr_e( 'Assignee', 'pqm-client-panel' ); ?>">
						<option value="0"><?php esc_html_e( 'Unassigned', 'pqm-client-panel' ); ?></option>
						<?php foreach ( $names as $uid => $n ) : ?>
							<option value="<?php echo esc_attr( $uid ); ?>" <?php selected( (int) $t['assignee_user_id'], $uid ); ?>><?php echo esc_html( $n ); ?></option>
						<?php endforeach; ?>
					</select></td>
					<td><select form="<?php echo esc_attr( $form ); ?>" name="status" aria-label="<?php esc_attr_e( 'Status', 'pqm-client-panel' ); ?>">
						<?php foreach ( array( 'todo' => __( 'To do', 'pqm-client-panel' ), 'doing' => __( 'In progress', 'pqm-client-panel' ), 'done' => __( 'Done', 'pqm-client-panel' ) ) as $k => $label ) : ?>
							<option value="<?php echo esc_attr( $k ); ?>" <?php selected( $t['status'], $k ); ?>><?php echo esc_html( $label ); ?></option>
						<?php endforeach; ?>
					</select></td>
					<td><input form="<?php echo esc_attr( $form ); ?>" type="hidden" name="milestone" value="0" />
						<label><input form="<?php echo esc_attr( $form ); ?>" type="checkbox" name="milestone" value="1" <?php checked( $t['milestone'] ); ?> /> <?php esc_html_e( 'Milestone', 'pqm-client-panel' ); ?></label>
						<input form="<?php echo esc_attr( $form ); ?>" type="text" name="milestone_label" value="<?php echo esc_attr( $t['milestone_label'] ); ?>" placeholder="<?php esc_attr_e( 'Label the customer sees', 'pqm-client-panel' ); ?>" /></td>
					<td><form id="<?php echo esc_attr( $form ); ?>" method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
						<?php PQM_Admin::form_fields( 'pqm_task_save' ); ?>
						<input type="hidden" name="id" value="<?php echo esc_attr( $t['id'] ); ?>" />
						<?php submit_button( __( 'Save', 'pqm-client-panel' ), 'small', 'submit', false ); ?>
					</form></td>
				</tr>
			<?php endforeach; ?>
			</tbody>
		</table>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="pqm-task-add">
			<?php PQM_Admin::form_fields( 'pqm_task_save' ); ?>
			<input type="hidden" name="reference" value="<?php echo esc_attr( $o['reference'] ); ?>" />
			<input type="text" name="name" placeholder="<?php esc_attr_e( 'New task', 'pqm-client-panel' ); ?>" required />
			<input type="text" name="department" placeholder="<?php esc_attr_e( 'Department', 'pqm-client-panel' ); ?>" />
			<?php submit_button( __( 'Add task', 'pqm-client-panel' ), 'secondary', 'submit', false ); ?>
		</form>

		<h2><?php esc_html_e( 'Status history', 'pqm-client-panel' ); ?></h2>
		<ol class="pqm-history">
			<?php foreach ( $o['history'] as $h ) : ?>
				<li>
					<?php
					echo esc_html( PQM_Admin::date( $h['changed_at'] ) . ' — ' . $h['status_label'] . ' ' );
					echo $h['customer_visible'] ? '<span class="description">' . esc_html( sprintf( /* translators: %s: label */ __( '(customer sees "%s")', 'pqm-client-panel' ), $h['customer_label'] ) ) . '</span>' : '<span class="description">' . esc_html__( '(hidden from the customer)', 'pqm-client-panel' ) . '</span>';
					?>
				</li>
			<?php endforeach; ?>
		</ol>
		<?php
		/**
		 * Other features (messages, files …) add their sections to the order screen here.
		 *
		 * @param array $order The order (staff view from order.get, without options).
		 */
		do_action( 'pqm_admin_order_sections', array_diff_key( $o, array( 'options' => 1 ) ) );
		?>
		<h2><?php esc_html_e( 'Delete', 'pqm-client-panel' ); ?></h2>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="pqm-order-delete" onsubmit="return confirm(<?php echo esc_attr( wp_json_encode( __( 'Delete this order, its tasks and history?', 'pqm-client-panel' ) ) ); ?>);">
			<?php PQM_Admin::form_fields( 'pqm_order_delete' ); ?>
			<input type="hidden" name="reference" value="<?php echo esc_attr( $o['reference'] ); ?>" />
			<?php submit_button( __( 'Delete order', 'pqm-client-panel' ), 'delete', 'submit', false ); ?>
		</form>
		</div>
		<?php
	}

	/**
	 * The customer-visible and internal notes of an order form, when posted
	 * (an empty box is posted as '' and clears the note).
	 *
	 * @return array<string,string>
	 */
	private static function posted_notes() {
		$notes = array();
		foreach ( array( 'note', 'internal_note' ) as $k ) {
			$v = self::text( $k );
			if ( null !== $v ) {
				$notes[ $k ] = $v;
			}
		}
		return $notes;
	}

	/**
	 * Fields of the forms that come back filled in after a failed save.
	 */
	const KEPT_FORMS = array(
		'pqm_order_update' => array( 'title', 'promised', 'expected', 'delivery_method', 'delivery_info', 'account_id', 'status' ),
		'pqm_order_create' => array( 'account_id', 'title', 'reference', 'status', 'promised', 'expected' ),
	);

	/**
	 * What the order forms posted (read like their handlers read it), kept
	 * with the error notice so the form shows it again (PQM_Admin::kept).
	 *
	 * @param string $action POST action that failed.
	 * @return array|null ['action', 'key', 'fields'], null for other forms.
	 */
	public static function posted_form( $action ) {
		if ( ! isset( self::KEPT_FORMS[ $action ] ) ) {
			return null;
		}
		$fields = array();
		foreach ( self::KEPT_FORMS[ $action ] as $k ) {
			// phpcs:ignore WordPress.Security.NonceVerification.Missing -- Verified by PQM_Admin::dispatch_post.
			if ( isset( $_POST[ $k ] ) ) {
				$fields[ $k ] = self::get( $k );
			}
		}
		return array(
			'action' => $action,
			'key'    => 'pqm_order_update' === $action ? self::get( 'reference' ) : '',
			'fields' => $fields + self::posted_notes(),
		);
	}

	/**
	 * POST pqm_order_update.
	 *
	 * @param array $principal Principal.
	 * @return string Notice.
	 */
	public static function post_order_update( $principal ) {
		$fields = array();
		foreach ( array( 'title', 'promised', 'expected', 'delivery_method', 'delivery_info', 'account_id', 'status' ) as $k ) {
			// phpcs:ignore WordPress.Security.NonceVerification.Missing -- Verified by PQM_Admin::dispatch_post.
			if ( isset( $_POST[ $k ] ) ) {
				$fields[ $k ] = self::get( $k );
			}
		}
		$fields += self::posted_notes();
		$o = PQM_Staff_Commands::order_update( self::get( 'reference' ), $fields, $principal );
		/* translators: %s: reference */
		return sprintf( __( 'Order %s saved.', 'pqm-client-panel' ), $o['reference'] );
	}

	/**
	 * POST pqm_order_delete.
	 *
	 * @param array $principal Principal.
	 * @return array [url, notice].
	 */
	public static function post_order_delete( $principal ) {
		$r = PQM_Staff_Commands::order_delete( self::get( 'reference' ), $principal );
		/* translators: %s: reference */
		return array( admin_url( 'admin.php?page=pqm-orders' ), sprintf( __( 'Order %s deleted.', 'pqm-client-panel' ), $r['deleted'] ) );
	}

	/**
	 * POST pqm_task_save.
	 *
	 * @param array $principal Principal.
	 * @return string Notice.
	 */
	public static function post_task_save( $principal ) {
		$fields = array();
		foreach ( array( 'id', 'reference', 'name', 'department', 'assignee_user_id', 'status', 'milestone', 'milestone_label' ) as $k ) {
			// phpcs:ignore WordPress.Security.NonceVerification.Missing -- Verified by PQM_Admin::dispatch_post.
			if ( isset( $_POST[ $k ] ) ) {
				$fields[ $k ] = self::get( $k );
			}
		}
		if ( isset( $fields['assignee_user_id'] ) && '0' === $fields['assignee_user_id'] ) {
			unset( $fields['assignee_user_id'] );
			$fields['clear_assignee'] = true;
		}
		$t = PQM_Staff_Commands::task_save( $fields, $principal );
		/* translators: %s: task name */
		return sprintf( __( 'Task "%s" saved.', 'pqm-client-panel' ), $t['name'] );
	}

	// ----------------------------------------------------------- accounts.

	/**
	 * Accounts: the list with "new account", or one account (?account=<id>).
	 *
	 * @return void
	 */
	public static function accounts() {
		$id = self::get( 'account' );
		echo '<div class="wrap pqm-admin pqm-accounts-screen">';
		if ( '' !== $id ) {
			self::account( $id );
			echo '</div>';
			return;
		}
		echo '<h1 class="wp-heading-inline">' . esc_html__( 'Accounts', 'pqm-client-panel' ) . '</h1><hr class="wp-header-end" />';
		try {
			$rows = PQM_Staff_Commands::action( 'account.list', array(), PQM_Bridge::principal() );
		} catch ( PQM_Command_Error $e ) {
			self::failure( $e );
			echo '</div>';
			return;
		}
		$names = array();
		foreach ( $rows as $r ) {
			$names[ (int) $r['id'] ] = $r['name'];
		}
		?>
		<table class="wp-list-table widefat fixed striped pqm-accounts">
			<thead><tr><th><?php esc_html_e( 'Name', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Kind', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Parent', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Portal', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Logins', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Orders', 'pqm-client-panel' ); ?></th></tr></thead>
			<tbody>
			<?php foreach ( $rows as $r ) : ?>
				<tr data-account="<?php echo esc_attr( $r['id'] ); ?>">
					<td><strong><a class="row-title" href="<?php echo esc_url( admin_url( 'admin.php?page=pqm-accounts&account=' . (int) $r['id'] ) ); ?>"><?php echo esc_html( $r['name'] ); ?></a></strong></td>
					<td><?php echo esc_html( 'consolidated' === $r['kind'] ? __( 'Consolidated', 'pqm-client-panel' ) : __( 'Customer', 'pqm-client-panel' ) ); ?></td>
					<td><?php echo esc_html( $r['parent_id'] && isset( $names[ (int) $r['parent_id'] ] ) ? $names[ (int) $r['parent_id'] ] : '—' ); ?></td>
					<td><?php echo $r['portal_enabled'] ? esc_html__( 'On', 'pqm-client-panel' ) : '<strong class="pqm-off">' . esc_html__( 'Off', 'pqm-client-panel' ) . '</strong>'; ?></td>
					<td><?php echo esc_html( number_format_i18n( $r['logins'] ) ); ?></td>
					<td><?php echo esc_html( number_format_i18n( $r['orders'] ) ); ?></td>
				</tr>
			<?php endforeach; ?>
			</tbody>
		</table>
		<h2><?php esc_html_e( 'New account', 'pqm-client-panel' ); ?></h2>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="pqm-account-create">
			<?php PQM_Admin::form_fields( 'pqm_account_create' ); ?>
			<input type="text" name="name" required maxlength="190" placeholder="<?php esc_attr_e( 'Account name', 'pqm-client-panel' ); ?>" aria-label="<?php esc_attr_e( 'Account name', 'pqm-client-panel' ); ?>" />
			<label><input type="checkbox" name="consolidated" value="1" /> <?php esc_html_e( 'Consolidated (groups other accounts)', 'pqm-client-panel' ); ?></label>
			<select name="parent" aria-label="<?php esc_attr_e( 'Parent', 'pqm-client-panel' ); ?>">
				<option value=""><?php esc_html_e( 'No parent', 'pqm-client-panel' ); ?></option>
				<?php foreach ( $rows as $r ) : ?>
					<?php if ( 'consolidated' === $r['kind'] ) : ?>
						<option value="<?php echo esc_attr( $r['id'] ); ?>"><?php echo esc_html( $r['name'] ); ?></option>
					<?php endif; ?>
				<?php endforeach; ?>
			</select>
			<?php submit_button( __( 'Create account', 'pqm-client-panel' ), 'primary', 'submit', false ); ?>
		</form>
		</div>
		<?php
	}

	/**
	 * One account: settings, logins (role, on/off, remove, preview), link a user, invite by e-mail.
	 *
	 * @param string $id Account id.
	 * @return void
	 */
	private static function account( $id ) {
		try {
			$a    = PQM_Staff_Commands::account_get( $id, PQM_Bridge::principal() );
			$all  = PQM_Staff_Commands::action( 'account.list', array(), PQM_Bridge::principal() );
		} catch ( PQM_Command_Error $e ) {
			echo '<h1>' . esc_html__( 'Account', 'pqm-client-panel' ) . '</h1>';
			self::failure( $e );
			return;
		}
		?>
		<h1 class="wp-heading-inline"><?php echo esc_html( $a['name'] ); ?></h1>
		<a class="page-title-action" href="<?php echo esc_url( admin_url( 'admin.php?page=pqm-accounts' ) ); ?>"><?php esc_html_e( '← All accounts', 'pqm-client-panel' ); ?></a>
		<hr class="wp-header-end" />
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="pqm-account-update">
			<?php PQM_Admin::form_fields( 'pqm_account_update' ); ?>
			<input type="hidden" name="id" value="<?php echo esc_attr( $a['id'] ); ?>" />
			<table class="form-table" role="presentation">
				<tr><th scope="row"><label for="pqm-account-name"><?php esc_html_e( 'Name', 'pqm-client-panel' ); ?></label></th><td><input id="pqm-account-name" type="text" class="regular-text" name="name" value="<?php echo esc_attr( $a['name'] ); ?>" required maxlength="190" /></td></tr>
				<tr><th scope="row"><?php esc_html_e( 'Kind', 'pqm-client-panel' ); ?></th><td><?php echo esc_html( 'consolidated' === $a['kind'] ? __( 'Consolidated: logins linked here see the orders of every account below it', 'pqm-client-panel' ) : __( 'Customer account', 'pqm-client-panel' ) ); ?></td></tr>
				<?php if ( 'customer' === $a['kind'] ) : ?>
				<tr><th scope="row"><label for="pqm-account-parent"><?php esc_html_e( 'Parent', 'pqm-client-panel' ); ?></label></th><td><select id="pqm-account-parent" name="parent">
					<option value=""><?php esc_html_e( 'No parent', 'pqm-client-panel' ); ?></option>
					<?php foreach ( $all as $r ) : ?>
						<?php if ( 'consolidated' === $r['kind'] ) : ?>
							<option value="<?php echo esc_attr( $r['id'] ); ?>" <?php selected( (int) $a['parent_id'], (int) $r['id'] ); ?>><?php echo esc_html( $r['name'] ); ?></option>
						<?php endif; ?>
					<?php endforeach; ?>
				</select></td></tr>
				<?php endif; ?>
				<tr><th scope="row"><?php esc_html_e( 'Portal access', 'pqm-client-panel' ); ?></th><td>
					<input type="hidden" name="portal_enabled" value="0" />
					<label><input type="checkbox" name="portal_enabled" value="1" <?php checked( $a['portal_enabled'] ); ?> /> <?php esc_html_e( 'Logins of this account may use the client panel (switching off takes effect on their next page view)', 'pqm-client-panel' ); ?></label></td></tr>
			</table>
			<?php submit_button( __( 'Save account', 'pqm-client-panel' ) ); ?>
		</form>

		<h2><?php esc_html_e( 'Logins', 'pqm-client-panel' ); ?></h2>
		<table class="widefat striped pqm-logins">
			<thead><tr><th><?php esc_html_e( 'User', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'E-mail', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Portal role', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Access', 'pqm-client-panel' ); ?></th><th></th></tr></thead>
			<tbody>
			<?php if ( ! $a['logins'] ) : ?>
				<tr><td colspan="5"><?php esc_html_e( 'No login is linked to this account yet.', 'pqm-client-panel' ); ?></td></tr>
			<?php endif; ?>
			<?php foreach ( $a['logins'] as $l ) : ?>
				<?php $form = 'pqm-login-' . (int) $l['user_id']; ?>
				<tr data-user="<?php echo esc_attr( $l['user_login'] ); ?>">
					<td><?php echo esc_html( $l['display_name'] . ' (' . $l['user_login'] . ')' ); ?></td>
					<td><?php echo esc_html( $l['user_email'] ); ?></td>
					<td><select form="<?php echo esc_attr( $form ); ?>" name="role" aria-label="<?php esc_attr_e( 'Portal role', 'pqm-client-panel' ); ?>">
						<option value="viewer" <?php selected( $l['role'], 'viewer' ); ?>><?php esc_html_e( 'Viewer', 'pqm-client-panel' ); ?></option>
						<option value="approver" <?php selected( $l['role'], 'approver' ); ?>><?php esc_html_e( 'Approver', 'pqm-client-panel' ); ?></option>
					</select></td>
					<td><select form="<?php echo esc_attr( $form ); ?>" name="enabled" aria-label="<?php esc_attr_e( 'Access', 'pqm-client-panel' ); ?>">
						<option value="1" <?php selected( $l['enabled'] ); ?>><?php esc_html_e( 'On', 'pqm-client-panel' ); ?></option>
						<option value="0" <?php selected( ! $l['enabled'] ); ?>><?php esc_html_e( 'Off', 'pqm-client-panel' ); ?></option>
					</select></td>
					<td>
						<form id="<?php echo esc_attr( $form ); ?>" method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
							<?php PQM_Admin::form_fields( 'pqm_login_update' ); ?>
							<input type="hidden" name="account_id" value="<?php echo esc_attr( $a['id'] ); ?>" />
							<input type="hidden" name="user_id" value="<?php echo esc_attr( $l['user_id'] ); ?>" />
							<?php submit_button( __( 'Save', 'pqm-client-panel' ), 'small', 'op', false, array( 'value' => 'save' ) ); ?>
							<button type="submit" name="op" value="remove" class="button button-small button-link-delete"><?php esc_html_e( 'Remove', 'pqm-client-panel' ); ?></button>
						</form>
						<a class="pqm-preview-link" href="<?php echo esc_url( admin_url( 'admin.php?page=pqm-preview&preview_user=' . (int) $l['user_id'] ) ); ?>"><?php esc_html_e( 'Preview as this login', 'pqm-client-panel' ); ?></a>
					</td>
				</tr>
			<?php endforeach; ?>
			</tbody>
		</table>

		<h2><?php esc_html_e( 'Link an existing WordPress user', 'pqm-client-panel' ); ?></h2>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="pqm-account-link">
			<?php PQM_Admin::form_fields( 'pqm_account_link' ); ?>
			<input type="hidden" name="account_id" value="<?php echo esc_attr( $a['id'] ); ?>" />
			<input type="text" name="user" required placeholder="<?php esc_attr_e( 'Login, e-mail or user id', 'pqm-client-panel' ); ?>" aria-label="<?php esc_attr_e( 'User', 'pqm-client-panel' ); ?>" />
			<select name="role" aria-label="<?php esc_attr_e( 'Portal role', 'pqm-client-panel' ); ?>"><option value="viewer"><?php esc_html_e( 'Viewer', 'pqm-client-panel' ); ?></option><option value="approver"><?php esc_html_e( 'Approver', 'pqm-client-panel' ); ?></option></select>
			<?php submit_button( __( 'Link user', 'pqm-client-panel' ), 'secondary', 'submit', false ); ?>
		</form>

		<h2><?php esc_html_e( 'Invite a new login by e-mail', 'pqm-client-panel' ); ?></h2>
		<p class="description"><?php esc_html_e( 'Creates a WordPress user with the PQM Customer role, links it to this account and e-mails WordPress\'s own link to set a password.', 'pqm-client-panel' ); ?></p>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="pqm-account-invite">
			<?php PQM_Admin::form_fields( 'pqm_account_invite' ); ?>
			<input type="hidden" name="account_id" value="<?php echo esc_attr( $a['id'] ); ?>" />
			<input type="email" name="email" required placeholder="<?php esc_attr_e( 'name@customer.example', 'pqm-client-panel' ); ?>" aria-label="<?php esc_attr_e( 'E-mail', 'pqm-client-panel' ); ?>" />
			<input type="text" name="display_name" placeholder="<?php esc_attr_e( 'Name (optional)', 'pqm-client-panel' ); ?>" aria-label="<?php esc_attr_e( 'Name', 'pqm-client-panel' ); ?>" />
			<select name="role" aria-label="<?php esc_attr_e( 'Portal role', 'pqm-client-panel' ); ?>"><option value="viewer"><?php esc_html_e( 'Viewer', 'pqm-client-panel' ); ?></option><option value="approver"><?php esc_html_e( 'Approver', 'pqm-client-panel' ); ?></option></select>
			<?php submit_button( __( 'Send invitation', 'pqm-client-panel' ), 'primary', 'submit', false ); ?>
		</form>

		<?php if ( ! empty( $a['children'] ) ) : ?>
			<h2><?php esc_html_e( 'Accounts in this group', 'pqm-client-panel' ); ?></h2>
			<ul class="pqm-children">
				<?php foreach ( $a['children'] as $c ) : ?>
					<li><a href="<?php echo esc_url( admin_url( 'admin.php?page=pqm-accounts&account=' . (int) $c['id'] ) ); ?>"><?php echo esc_html( $c['name'] ); ?></a></li>
				<?php endforeach; ?>
			</ul>
		<?php endif; ?>

		<h2><?php esc_html_e( 'Delete', 'pqm-client-panel' ); ?></h2>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="pqm-account-delete">
			<?php PQM_Admin::form_fields( 'pqm_account_delete' ); ?>
			<input type="hidden" name="id" value="<?php echo esc_attr( $a['id'] ); ?>" />
			<?php submit_button( __( 'Delete account', 'pqm-client-panel' ), 'delete', 'submit', false ); ?>
			<span class="description"><?php esc_html_e( 'Only an account without orders and without accounts under it can be deleted.', 'pqm-client-panel' ); ?></span>
		</form>
		<?php
	}

	/**
	 * POST pqm_account_create.
	 *
	 * @param array $principal Principal.
	 * @return array [url, notice].
	 */
	public static function post_account_create( $principal ) {
		$params = array(
			'name'         => self::get( 'name' ),
			'consolidated' => '1' === self::get( 'consolidated' ),
		);
		if ( '' !== self::get( 'parent' ) ) {
			$params['parent'] = self::get( 'parent' );
		}
		$a = PQM_Staff_Commands::action( 'account.create', $params, $principal );
		/* translators: %s: account name */
		return array( admin_url( 'admin.php?page=pqm-accounts&account=' . (int) $a['id'] ), sprintf( __( 'Account "%s" created.', 'pqm-client-panel' ), $a['name'] ) );
	}

	/**
	 * POST pqm_account_update (name, parent, portal on/off).
	 *
	 * @param array $principal Principal.
	 * @return string Notice.
	 */
	public static function post_account_update( $principal ) {
		$fields = array();
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- Verified by PQM_Admin::dispatch_post.
		if ( isset( $_POST['name'] ) ) {
			$fields['name'] = self::get( 'name' );
		}
		if ( isset( $_POST['parent'] ) ) {
			$fields['parent'] = self::get( 'parent' );
		}
		if ( isset( $_POST['portal_enabled'] ) ) {
			$fields['portal_enabled'] = '1' === self::get( 'portal_enabled' );
		}
		// phpcs:enable
		$a = PQM_Staff_Commands::account_update( self::get( 'id' ), $fields, $principal );
		/* translators: %s: account name */
		return sprintf( __( 'Account "%s" saved.', 'pqm-client-panel' ), $a['name'] );
	}

	/**
	 * POST pqm_account_delete.
	 *
	 * @param array $principal Principal.
	 * @return array [url, notice].
	 */
	public static function post_account_delete( $principal ) {
		$a = PQM_Staff_Commands::account_delete( self::get( 'id' ), $principal );
		/* translators: %s: account name */
		return array( admin_url( 'admin.php?page=pqm-accounts' ), sprintf( __( 'Account "%s" deleted.', 'pqm-client-panel' ), $a['name'] ) );
	}

	/**
	 * POST pqm_account_link: link an existing user (adds the PQM Customer role if needed).
	 *
	 * @param array $principal Principal.
	 * @return string Notice.
	 */
	public static function post_account_link( $principal ) {
		$user = PQM_Commands::resolve_user( self::get( 'user' ) );
		$link = PQM_Staff_Commands::action(
			'account.add_user',
			array(
				'account_id' => self::get( 'account_id' ),
				'user_id'    => $user->ID,
				'role'       => self::get( 'role', 'viewer' ),
			),
			$principal
		);
		if ( ! user_can( $user, PQM_Roles::VIEW_CAP ) ) {
			$user->add_role( PQM_Roles::CUSTOMER );
		}
		/* translators: 1: user login, 2: portal role */
		return sprintf( __( 'Linked %1$s as %2$s.', 'pqm-client-panel' ), $user->user_login, $link['role'] );
	}

	/**
	 * POST pqm_account_invite.
	 *
	 * @param array $principal Principal.
	 * @return string Notice.
	 */
	public static function post_account_invite( $principal ) {
		$r = PQM_Staff_Commands::account_invite( self::get( 'account_id' ), self::get( 'email' ), self::get( 'role', 'viewer' ), self::get( 'display_name' ), $principal );
		return $r['mail_sent']
			/* translators: 1: e-mail, 2: login */
			? sprintf( __( 'Invitation sent to %1$s (login %2$s).', 'pqm-client-panel' ), $r['email'], $r['user_login'] )
			/* translators: 1: login */
			: sprintf( __( 'User %1$s created and linked, but the e-mail could not be sent; send a password reset from Users.', 'pqm-client-panel' ), $r['user_login'] );
	}

	/**
	 * POST pqm_login_update: role / on-off, or remove the link.
	 *
	 * @param array $principal Principal.
	 * @return string Notice.
	 */
	public static function post_login_update( $principal ) {
		$account = self::get( 'account_id' );
		$user    = self::get( 'user_id' );
		if ( 'remove' === self::get( 'op' ) ) {
			PQM_Staff_Commands::account_remove_user( $account, $user, $principal );
			return __( 'Login removed from the account.', 'pqm-client-panel' );
		}
		$enabled = '' === self::get( 'enabled' ) ? null : '1' === self::get( 'enabled' );
		$l       = PQM_Staff_Commands::account_set_user( $account, $user, $enabled, self::get( 'role' ), $principal );
		return $l['enabled'] ? __( 'Login saved: portal access on.', 'pqm-client-panel' ) : __( 'Login saved: portal access off.', 'pqm-client-panel' );
	}

	// ------------------------------------------------------------ preview.

	/**
	 * Preview as customer: pick a linked login, see exactly their panel (read-only).
	 *
	 * @return void
	 */
	public static function preview() {
		echo '<div class="wrap pqm-admin pqm-preview-screen"><h1>' . esc_html__( 'Preview as customer', 'pqm-client-panel' ) . '</h1>';
		try {
			$links = PQM_Staff_Commands::account_links( PQM_Bridge::principal() );
		} catch ( PQM_Command_Error $e ) {
			self::failure( $e );
			echo '</div>';
			return;
		}
		$logins = array();
		foreach ( $links as $l ) {
			if ( '' === $l['user_login'] ) {
				continue;
			}
			$logins[ (int) $l['user_id'] ]   = isset( $logins[ (int) $l['user_id'] ] ) ? $logins[ (int) $l['user_id'] ] : array( $l['display_name'] . ' (' . $l['user_login'] . ')', array() );
			$logins[ (int) $l['user_id'] ][1][] = $l['account'];
		}
		$uid = (int) self::get( 'preview_user', '0' );
		?>
		<form method="get" action="<?php echo esc_url( admin_url( 'admin.php' ) ); ?>" class="pqm-preview-pick">
			<input type="hidden" name="page" value="pqm-preview" />
			<label for="pqm-preview-user"><?php esc_html_e( 'See the client panel exactly as this login sees it:', 'pqm-client-panel' ); ?></label>
			<select id="pqm-preview-user" name="preview_user">
				<option value=""><?php esc_html_e( '— pick a login —', 'pqm-client-panel' ); ?></option>
				<?php foreach ( $logins as $id => $l ) : ?>
					<option value="<?php echo esc_attr( $id ); ?>" <?php selected( $uid, $id ); ?>><?php echo esc_html( $l[0] . ' — ' . implode( ', ', array_unique( $l[1] ) ) ); ?></option>
				<?php endforeach; ?>
			</select>
			<?php submit_button( __( 'Preview', 'pqm-client-panel' ), 'secondary', '', false ); ?>
		</form>
		<?php
		if ( $uid <= 0 ) {
			echo '</div>';
			return;
		}
		$user = get_user_by( 'id', $uid );
		if ( ! $user ) {
			echo '<div class="notice notice-error"><p>' . esc_html__( 'No such user.', 'pqm-client-panel' ) . '</p></div></div>';
			return;
		}
		// The principal that login would have: its id and the pqm caps WordPress grants it.
		$principal = array(
			'user_id' => (int) $user->ID,
			'caps'    => PQM_Bridge::user_caps( $user ),
		);
		$query     = PQM_Shortcode_Client_Panel::query();
		$page      = PQM_Staff_Commands::panel_page();
		$base      = add_query_arg(
			array(
				'page'         => 'pqm-preview',
				'preview_user' => (int) $user->ID,
			),
			admin_url( 'admin.php' )
		);
		try {
			$context             = PQM_Bridge::panel_context( $page, $query );
			$context['base_url'] = $base; // Links inside the preview stay inside the preview.
			$context['read_only'] = true;
			$result              = PQM_Bridge::call(
				static function () use ( $principal, $query, $context ) {
					return \PQM\render_panel( $principal, $query, $context );
				},
				'preview'
			);
		} catch ( \Throwable $e ) {
			echo '<div class="notice notice-error"><p>' . esc_html__( 'The panel cannot be shown right now; the details are in the PHP error log.', 'pqm-client-panel' ) . '</p></div></div>';
			return;
		}
		?>
		<div class="notice notice-warning pqm-preview-banner" data-user="<?php echo esc_attr( $user->user_login ); ?>">
			<p><strong>
				<?php
				/* translators: 1: display name, 2: login */
				echo esc_html( sprintf( __( 'Preview: this is exactly what %1$s (%2$s) sees. Read-only — nothing here changes anything.', 'pqm-client-panel' ), $user->display_name, $user->user_login ) );
				?>
			</strong>
			<?php if ( 404 === (int) $result['status'] ) : ?>
				<?php esc_html_e( '(This login would get "not found" for this order.)', 'pqm-client-panel' ); ?>
			<?php endif; ?>
			</p>
		</div>
		<div class="pqm-preview-frame">
			<?php
			// HTML rendered and escaped by the extension's template engine;
			// forms that would change something are made inert (read-only preview).
			echo self::read_only( $result['html'] ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
			?>
		</div>
		</div>
		<?php
	}

	/**
	 * Make every POST form of the panel HTML inert: the preview navigates
	 * (links, GET filters) but never submits anything.
	 *
	 * @param string $html Panel HTML.
	 * @return string
	 */
	public static function read_only( $html ) {
		return (string) preg_replace_callback(
			'/<form\b[^>]*>/i',
			static function ( $m ) {
				if ( ! preg_match( '/\bmethod\s*=\s*["\']?post/i', $m[0] ) ) {
					return $m[0];
				}
				$tag = preg_replace( '/\baction\s*=\s*("[^"]*"|\'[^\']*\'|[^\s>]+)/i', '', $m[0] );
				return substr( $tag, 0, -1 ) . ' inert data-pqm-preview-disabled="1" onsubmit="return false">';
			},
			$html
		);
	}

	// ----------------------------------------------------------- settings.

	/**
	 * Settings: statuses, the panel page, a link to Site Health.
	 *
	 * @return void
	 */
	public static function settings() {
		echo '<div class="wrap pqm-admin pqm-settings-screen"><h1>' . esc_html__( 'Client Panel settings', 'pqm-client-panel' ) . '</h1>';
		try {
			$statuses = PQM_Staff_Commands::status_list( PQM_Bridge::principal() );
		} catch ( PQM_Command_Error $e ) {
			self::failure( $e );
			echo '</div>';
			return;
		}
		$page = PQM_Staff_Commands::panel_page();
		?>
		<h2><?php esc_html_e( 'Statuses', 'pqm-client-panel' ); ?></h2>
		<p class="description"><?php esc_html_e( 'A status customers do not see is never named to them: their order keeps showing the last status they could see. Changing "Customer sees" updates every order concerned.', 'pqm-client-panel' ); ?></p>
		<table class="widefat striped pqm-statuses">
			<thead><tr><th><?php esc_html_e( 'Key', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Internal label', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Customer label', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Customer sees', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Closes the order', 'pqm-client-panel' ); ?></th><th><?php esc_html_e( 'Order', 'pqm-client-panel' ); ?></th><th></th></tr></thead>
			<tbody>
			<?php foreach ( $statuses as $s ) : ?>
				<?php $form = 'pqm-status-' . $s['key']; ?>
				<tr data-status="<?php echo esc_attr( $s['key'] ); ?>">
					<td><code><?php echo esc_html( $s['key'] ); ?></code></td>
					<td><input form="<?php echo esc_attr( $form ); ?>" type="text" name="internal_label" value="<?php echo esc_attr( $s['internal_label'] ); ?>" maxlength="100" aria-label="<?php esc_attr_e( 'Internal label', 'pqm-client-panel' ); ?>" /></td>
					<td><input form="<?php echo esc_attr( $form ); ?>" type="text" name="customer_label" value="<?php echo esc_attr( $s['customer_label'] ); ?>" maxlength="100" aria-label="<?php esc_attr_e( 'Customer label', 'pqm-client-panel' ); ?>" /></td>
					<td><input form="<?php echo esc_attr( $form ); ?>" type="hidden" name="customer_visible" value="0" /><input form="<?php echo esc_attr( $form ); ?>" type="checkbox" name="customer_visible" value="1" <?php checked( $s['customer_visible'] ); ?> aria-label="<?php esc_attr_e( 'Customer sees', 'pqm-client-panel' ); ?>" /></td>
					<td><input form="<?php echo esc_attr( $form ); ?>" type="hidden" name="closed" value="0" /><input form="<?php echo esc_attr( $form ); ?>" type="checkbox" name="closed" value="1" <?php checked( $s['closed'] ); ?> aria-label="<?php esc_attr_e( 'Closes the order', 'pqm-client-panel' ); ?>" /></td>
					<td><input form="<?php echo esc_attr( $form ); ?>" type="number" name="sort_order" value="<?php echo esc_attr( $s['sort_order'] ); ?>" class="small-text" aria-label="<?php esc_attr_e( 'Order', 'pqm-client-panel' ); ?>" /></td>
					<td><form id="<?php echo esc_attr( $form ); ?>" method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
						<?php PQM_Admin::form_fields( 'pqm_status_save' ); ?>
						<input type="hidden" name="key" value="<?php echo esc_attr( $s['key'] ); ?>" />
						<?php submit_button( __( 'Save', 'pqm-client-panel' ), 'small', 'submit', false ); ?>
					</form></td>
				</tr>
			<?php endforeach; ?>
			</tbody>
		</table>
		<h3><?php esc_html_e( 'Add a status', 'pqm-client-panel' ); ?></h3>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="pqm-status-add">
			<?php PQM_Admin::form_fields( 'pqm_status_save' ); ?>
			<input type="text" name="key" required pattern="[a-z0-9_]{1,40}" placeholder="<?php esc_attr_e( 'key, e.g. proof_sent', 'pqm-client-panel' ); ?>" aria-label="<?php esc_attr_e( 'Key', 'pqm-client-panel' ); ?>" />
			<input type="text" name="internal_label" required placeholder="<?php esc_attr_e( 'Internal label', 'pqm-client-panel' ); ?>" aria-label="<?php esc_attr_e( 'Internal label', 'pqm-client-panel' ); ?>" />
			<input type="text" name="customer_label" placeholder="<?php esc_attr_e( 'Customer label', 'pqm-client-panel' ); ?>" aria-label="<?php esc_attr_e( 'Customer label', 'pqm-client-panel' ); ?>" />
			<input type="hidden" name="customer_visible" value="0" /><label><input type="checkbox" name="customer_visible" value="1" checked /> <?php esc_html_e( 'Customer sees', 'pqm-client-panel' ); ?></label>
			<?php submit_button( __( 'Add status', 'pqm-client-panel' ), 'secondary', 'submit', false ); ?>
		</form>

		<h2><?php esc_html_e( 'Client panel page', 'pqm-client-panel' ); ?></h2>
		<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>" class="pqm-settings-page">
			<?php PQM_Admin::form_fields( 'pqm_settings_save' ); ?>
			<?php
			wp_dropdown_pages(
				array(
					'name'              => 'panel_page_id',
					'selected'          => $page ? (int) $page->ID : 0,
					'show_option_none'  => esc_html__( '— none —', 'pqm-client-panel' ),
					'option_none_value' => '0',
					'post_status'       => array( 'publish', 'draft', 'private' ),
				)
			);
			?>
			<p class="description"><?php esc_html_e( 'The page that holds the [pqm_client_panel] shortcode (used for links, the preview and the checks).', 'pqm-client-panel' ); ?></p>
			<?php submit_button( __( 'Save settings', 'pqm-client-panel' ) ); ?>
		</form>
		<p><a href="<?php echo esc_url( admin_url( 'site-health.php' ) ); ?>"><?php esc_html_e( 'Check the installation in Tools → Site Health', 'pqm-client-panel' ); ?></a></p>
		</div>
		<?php
	}

	/**
	 * POST pqm_status_save.
	 *
	 * @param array $principal Principal.
	 * @return string Notice.
	 */
	public static function post_status_save( $principal ) {
		$fields = array();
		foreach ( array( 'internal_label', 'customer_label', 'customer_visible', 'closed', 'sort_order' ) as $k ) {
			// phpcs:ignore WordPress.Security.NonceVerification.Missing -- Verified by PQM_Admin::dispatch_post.
			if ( isset( $_POST[ $k ] ) ) {
				$fields[ $k ] = self::get( $k );
			}
		}
		$s = PQM_Staff_Commands::status_set( self::get( 'key' ), $fields, $principal );
		return $s['orders_recomputed']
			/* translators: 1: status key, 2: number of orders */
			? sprintf( __( 'Status %1$s saved; the customer-visible status of %2$d orders was updated.', 'pqm-client-panel' ), $s['key'], $s['orders_recomputed'] )
			/* translators: %s: status key */
			: sprintf( __( 'Status %s saved.', 'pqm-client-panel' ), $s['key'] );
	}

	/**
	 * POST pqm_settings_save (panel page).
	 *
	 * @param array $principal Principal (unused: a WordPress option).
	 * @throws PQM_Command_Error When the page is not a page.
	 * @return string Notice.
	 */
	public static function post_settings_save( $principal ) {
		$id = (int) self::get( 'panel_page_id', '0' );
		if ( $id > 0 ) {
			$post = get_post( $id );
			if ( ! $post instanceof WP_Post || 'page' !== $post->post_type ) {
				throw new PQM_Command_Error( __( 'Pick a page.', 'pqm-client-panel' ) );
			}
		}
		update_option( PQM_Commands::PANEL_PAGE_OPTION, $id, false );
		return __( 'Settings saved.', 'pqm-client-panel' );
	}
}
