<?php
/**
 * Shared helpers of the `wp pqm …` command classes.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Base class: runs PQM_Commands methods and prints their results.
 *
 * Only protected methods here: WP-CLI turns public methods into subcommands.
 */
abstract class PQM_CLI_Command {

	/**
	 * Run command logic; turn PQM_Command_Error into WP_CLI::error (exit 1).
	 *
	 * @param callable $callback Calls a PQM_Commands method.
	 * @return mixed The callback's result.
	 */
	protected function run( callable $callback ) {
		try {
			return $callback();
		} catch ( PQM_Command_Error $e ) {
			WP_CLI::error( $e->getMessage() );
		} catch ( \Throwable $e ) {
			PQM_Bridge::log( $e, 'wp pqm' );
			WP_CLI::error( $e->getMessage() );
		}
		return null; // Not reached: WP_CLI::error() exits.
	}

	/**
	 * Print rows with WP_CLI\Utils\format_items().
	 *
	 * @param array    $assoc_args Command options (format, fields).
	 * @param array    $items      Rows (arrays).
	 * @param string[] $preferred  Default columns, in order; those missing
	 *                             from the rows are skipped.
	 * @return void
	 */
	protected function print_items( array $assoc_args, array $items, array $preferred ) {
		$format = isset( $assoc_args['format'] ) ? (string) $assoc_args['format'] : 'table';
		$items  = array_values( array_filter( $items, 'is_array' ) );

		if ( ! empty( $assoc_args['fields'] ) ) {
			$fields = is_array( $assoc_args['fields'] ) ? $assoc_args['fields'] : explode( ',', (string) $assoc_args['fields'] );
			$fields = array_map( 'trim', $fields );
		} else {
			$keys   = $items ? array_keys( $items[0] ) : $preferred;
			$fields = array_values( array_intersect( $preferred, $keys ) );
			if ( ! $fields ) {
				$fields = $keys;
			}
		}

		if ( in_array( $format, array( 'table', 'csv' ), true ) ) {
			$items = array_map( array( $this, 'flatten_row' ), $items );
		}

		WP_CLI\Utils\format_items( $format, $items, $fields );
	}

	/**
	 * Make a row printable in a table/CSV cell: nested values become JSON,
	 * booleans yes/no, null empty.
	 *
	 * @param array $row A row.
	 * @return array
	 */
	protected function flatten_row( array $row ) {
		foreach ( $row as $key => $value ) {
			if ( is_bool( $value ) ) {
				$row[ $key ] = $value ? 'yes' : 'no';
			} elseif ( null === $value ) {
				$row[ $key ] = '';
			} elseif ( is_array( $value ) || is_object( $value ) ) {
				$row[ $key ] = wp_json_encode( $value );
			}
		}
		return $row;
	}
}
