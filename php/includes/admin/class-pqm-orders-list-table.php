<?php
/**
 * The wp-admin order list (WP_List_Table) over the Rust action order.search.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

if ( ! class_exists( 'WP_List_Table' ) ) {
	require_once ABSPATH . 'wp-admin/includes/class-wp-list-table.php';
}

/**
 * Orders list table. One PQM\action call (order.search with the dropdown
 * choices) per page view.
 */
class PQM_Orders_List_Table extends WP_List_Table {

	/**
	 * The order.search result (items, total, options …).
	 *
	 * @var array
	 */
	public $result = array();

	/**
	 * Constructor.
	 */
	public function __construct() {
		parent::__construct(
			array(
				'singular' => 'order',
				'plural'   => 'orders',
				'ajax'     => false,
				'screen'   => 'toplevel_page_pqm-orders',
			)
		);
	}

	/**
	 * Current filters from $_GET (scalar, unslashed strings).
	 *
	 * @return array
	 */
	public static function filters() {
		$out = array();
		foreach ( array( 's', 'status', 'account', 'department', 'from', 'to', 'overdue', 'state', 'orderby', 'order', 'paged', 'search_all' ) as $key ) {
			// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- Read-only list filters.
			if ( isset( $_GET[ $key ] ) && is_scalar( $_GET[ $key ] ) ) {
				$out[ $key ] = trim( sanitize_text_field( wp_unslash( $_GET[ $key ] ) ) );
			}
		}
		return $out;
	}

	/**
	 * Load the page of orders.
	 *
	 * @throws PQM_Command_Error When the search is invalid or the extension fails.
	 * @return void
	 */
	public function prepare_items() {
		$f        = self::filters();
		$per_page = $this->get_items_per_page( 'pqm_orders_per_page', 20 );
		$params   = array(
			'search'       => isset( $f['s'] ) ? $f['s'] : '',
			'status'       => isset( $f['status'] ) ? $f['status'] : '',
			'account'      => isset( $f['account'] ) ? $f['account'] : '',
			'department'   => isset( $f['department'] ) ? $f['department'] : '',
			'from'         => isset( $f['from'] ) ? $f['from'] : '',
			'to'           => isset( $f['to'] ) ? $f['to'] : '',
			'overdue'      => ! empty( $f['overdue'] ),
			'state'        => isset( $f['state'] ) ? $f['state'] : '',
			'orderby'      => isset( $f['orderby'] ) ? $f['orderby'] : '',
			'order'        => isset( $f['order'] ) ? $f['order'] : '',
			'page'         => isset( $f['paged'] ) ? $f['paged'] : '1',
			'per_page'     => (string) $per_page,
			'with_options' => true,
			'complete'     => ! empty( $f['search_all'] ),
		);
		$this->result = PQM_Staff_Commands::order_search( $params, PQM_Bridge::principal() );
		$this->items  = isset( $this->result['items'] ) ? $this->result['items'] : array();
		$this->set_pagination_args(
			array(
				'total_items' => (int) $this->result['total'],
				'per_page'    => (int) $this->result['per_page'],
				'total_pages' => (int) $this->result['pages'],
			)
		);
		$this->_column_headers = array( $this->get_columns(), array(), $this->get_sortable_columns(), 'reference' );
	}

	/**
	 * Columns.
	 *
	 * @return array
	 */
	public function get_columns() {
		return array(
			'cb'        => '<input type="checkbox" />',
			'reference' => __( 'Reference', 'pqm-client-panel' ),
			'title'     => __( 'Title', 'pqm-client-panel' ),
			'account'   => __( 'Account', 'pqm-client-panel' ),
			'status'    => __( 'Status', 'pqm-client-panel' ),
			'promised'  => __( 'Promised', 'pqm-client-panel' ),
			'expected'  => __( 'Expected', 'pqm-client-panel' ),
			'created'   => __( 'Created', 'pqm-client-panel' ),
		);
	}

	/**
	 * Sortable columns (each index-backed in Rust).
	 *
	 * @return array
	 */
	protected function get_sortable_columns() {
		return array(
			'reference' => array( 'reference', false ),
			'title'     => array( 'title', false ),
			'status'    => array( 'status', false ),
			'promised'  => array( 'promised', false ),
			'created'   => array( 'created', true ),
		);
	}

	/**
	 * Bulk actions: set status to each status.
	 *
	 * @return array
	 */
	protected function get_bulk_actions() {
		$actions = array();
		$options = isset( $this->result['options']['statuses'] ) ? $this->result['options']['statuses'] : array();
		foreach ( $options as $s ) {
			/* translators: %s: internal status label */
			$actions[ 'status:' . $s['key'] ] = sprintf( __( 'Set status: %s', 'pqm-client-panel' ), $s['internal_label'] );
		}
		return $actions;
	}

	/**
	 * Checkbox cell.
	 *
	 * @param array $item Row.
	 * @return string
	 */
	protected function column_cb( $item ) {
		return sprintf(
			'<label class="screen-reader-text" for="pqm-cb-%1$s">%2$s</label><input type="checkbox" id="pqm-cb-%1$s" name="references[]" value="%1$s" />',
			esc_attr( $item['reference'] ),
			/* translators: %s: order reference */
			esc_html( sprintf( __( 'Select %s', 'pqm-client-panel' ), $item['reference'] ) )
		);
	}

	/**
	 * Reference cell with the link to the order screen.
	 *
	 * @param array $item Row.
	 * @return string
	 */
	protected function column_reference( $item ) {
		$url = PQM_Admin::order_url( $item['reference'] );
		$out = '<strong><a class="row-title pqm-order-link" href="' . esc_url( $url ) . '">' . esc_html( $item['reference'] ) . '</a></strong>';
		if ( ! empty( $item['overdue'] ) ) {
			$out .= ' <span class="pqm-badge pqm-overdue">' . esc_html__( 'Overdue', 'pqm-client-panel' ) . '</span>';
		}
		return $out;
	}

	/**
	 * Row actions ("Open") of the primary column. WordPress prints them (and
	 * the one "Show more details" toggle of a narrow screen) through this
	 * hook; printing them in column_reference as well gave every row two
	 * toggles.
	 *
	 * @param array  $item        Row.
	 * @param string $column_name Column.
	 * @param string $primary     Primary column.
	 * @return string
	 */
	protected function handle_row_actions( $item, $column_name, $primary ) {
		if ( $column_name !== $primary ) {
			return '';
		}
		return $this->row_actions( array( 'edit' => '<a href="' . esc_url( PQM_Admin::order_url( $item['reference'] ) ) . '">' . esc_html__( 'Open', 'pqm-client-panel' ) . '</a>' ) );
	}

	/**
	 * Status cell: internal label, the customer label beside it.
	 *
	 * @param array $item Row.
	 * @return string
	 */
	protected function column_status( $item ) {
		return '<span class="pqm-internal-status">' . esc_html( $item['status_label'] ) . '</span>'
			. '<br /><span class="pqm-customer-status description">'
			/* translators: %s: customer-facing status label */
			. esc_html( sprintf( __( 'Customer sees: %s', 'pqm-client-panel' ), $item['customer_status'] ) ) . '</span>';
	}

	/**
	 * Other cells.
	 *
	 * @param array  $item        Row.
	 * @param string $column_name Column.
	 * @return string
	 */
	protected function column_default( $item, $column_name ) {
		switch ( $column_name ) {
			case 'title':
				return esc_html( $item['title'] );
			case 'account':
				return esc_html( $item['account'] );
			case 'promised':
				return esc_html( PQM_Admin::date( $item['promised'] ) );
			case 'expected':
				return esc_html( PQM_Admin::date( $item['expected'] ) );
			case 'created':
				return esc_html( PQM_Admin::date( $item['created_at'] ) );
		}
		return '';
	}

	/**
	 * "No orders found".
	 *
	 * @return void
	 */
	public function no_items() {
		if ( ! empty( $this->result['partial'] ) ) {
			esc_html_e( 'No orders match among the most recent ones.', 'pqm-client-panel' );
			return;
		}
		esc_html_e( 'No orders match.', 'pqm-client-panel' );
	}

	/**
	 * Above the rows: "more than N" when Rust stopped counting (COUNT_CAP), and
	 * "only the most recent orders were searched" with a link that searches
	 * them all when the full search would be slow (SearchBudget in src/admin.rs).
	 *
	 * @param string $which top|bottom.
	 * @return void
	 */
	protected function extra_tablenav( $which ) {
		if ( 'top' !== $which ) {
			return;
		}
		if ( ! empty( $this->result['partial'] ) ) {
			echo '<span class="pqm-search-partial description">'
				. esc_html__( 'Only the most recent orders were searched, to keep this list fast.', 'pqm-client-panel' )
				. ' <a class="pqm-search-all" href="' . esc_url( add_query_arg( array( 'search_all' => '1', 'paged' => false ) ) ) . '">'
				. esc_html__( 'Search all orders', 'pqm-client-panel' ) . '</a> '
				. esc_html__( '(can take a few seconds)', 'pqm-client-panel' )
				. '</span>';
		} elseif ( ! empty( $this->result['total_capped'] ) ) {
			echo '<span class="pqm-total-capped description">'
				/* translators: %s: number */
				. esc_html( sprintf( __( 'More than %s orders match; narrow the search to see them all.', 'pqm-client-panel' ), number_format_i18n( (int) $this->result['total'] ) ) )
				. '</span>';
		}
	}
}
