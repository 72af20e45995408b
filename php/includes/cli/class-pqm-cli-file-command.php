<?php
/**
 * `wp pqm file …`.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Manages files on orders (proofs, deliverables, production files).
 */
class PQM_CLI_File_Command extends PQM_CLI_Command {

	/**
	 * Adds a file (or a new version of it) to an order.
	 *
	 * A file of the same type and title on the order gets a new version
	 * (uploading another "Proof" makes it v2; v1 is kept).
	 *
	 * ## OPTIONS
	 *
	 * <order-ref>
	 * : Order reference, e.g. PQ-1001.
	 *
	 * <path>
	 * : Path of the file on this server.
	 *
	 * --type=<slug>
	 * : File type: proof, final, invoice, customer (customer files) or production, scan (always internal).
	 *
	 * [--internal]
	 * : Never show this file to the customer.
	 *
	 * [--title=<title>]
	 * : Title (default: the type's label, e.g. "Proof").
	 *
	 * [--unshared]
	 * : Keep this version from the customer for now (`wp pqm file share` later).
	 *
	 * [--file=<id>]
	 * : Add the content as a new version of this file.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp pqm file add PQ-1001 proof.pdf --type=proof
	 *     Success: Added Proof v1 (file 1, version id 1, sha256 9f86d0…) to PQ-1001.
	 *
	 *     $ wp pqm file add PQ-1001 plate.tif --type=production --internal
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function add( $args, $assoc_args ) {
		list( $ref, $path ) = $args;
		$row = $this->run(
			static function () use ( $ref, $path, $assoc_args ) {
				return PQM_File_Commands::file_add( $ref, $path, isset( $assoc_args['type'] ) ? $assoc_args['type'] : '', $assoc_args );
			}
		);
		WP_CLI::success( sprintf( 'Added %s v%d (file %d, version id %d, sha256 %s) to %s%s.', $row['title'], $row['version'], $row['file_id'], $row['version_id'], $row['sha256'], $row['order'], $row['internal'] ? ' (internal)' : '' ) );
	}

	/**
	 * Lists every version of every file of an order.
	 *
	 * ## OPTIONS
	 *
	 * <order-ref>
	 * : Order reference.
	 *
	 * [--fields=<fields>]
	 * : Columns to show.
	 *
	 * [--format=<format>]
	 * : table, csv, json, yaml. Default: table.
	 *
	 * @subcommand list
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function list_( $args, $assoc_args ) {
		$rows = $this->run(
			static function () use ( $args ) {
				return PQM_File_Commands::file_list( $args[0] );
			}
		);
		$this->print_items( $assoc_args, $rows, array( 'file_id', 'title', 'type_slug', 'internal', 'version', 'version_id', 'shared', 'file_name', 'size', 'mime', 'sha256', 'created_at' ) );
	}

	/**
	 * Shares a file version with the customer (or takes it back with --off).
	 *
	 * ## OPTIONS
	 *
	 * <version-id>
	 * : File version id (see `wp pqm file list`).
	 *
	 * [--off]
	 * : Stop sharing it.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function share( $args, $assoc_args ) {
		$this->run(
			static function () use ( $args, $assoc_args ) {
				return PQM_File_Commands::file_share( $args[0], empty( $assoc_args['off'] ) );
			}
		);
		WP_CLI::success( empty( $assoc_args['off'] ) ? 'Shared.' : 'No longer shared.' );
	}

	/**
	 * Shows or sets the customer upload limits.
	 *
	 * ## OPTIONS
	 *
	 * [--max-upload-mb=<mb>]
	 * : Largest customer upload in MB.
	 *
	 * [--kinds=<kinds>]
	 * : Accepted kinds, judged by content: pdf,png,jpeg,office.
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function settings( $args, $assoc_args ) {
		$opts = array();
		if ( isset( $assoc_args['max-upload-mb'] ) ) {
			$opts['max_upload_bytes'] = (int) round( (float) $assoc_args['max-upload-mb'] * 1048576 );
		}
		if ( isset( $assoc_args['kinds'] ) ) {
			$opts['upload_kinds'] = (string) $assoc_args['kinds'];
		}
		$row = $this->run(
			static function () use ( $opts ) {
				return PQM_File_Commands::file_settings( $opts );
			}
		);
		WP_CLI::line( sprintf( 'max upload: %d bytes; kinds: %s', $row['max_upload_bytes'], implode( ',', $row['upload_kinds'] ) ) );
	}

	/**
	 * Checks the storage location (outside the web root, writable).
	 *
	 * @param array $args       Positional arguments.
	 * @param array $assoc_args Options.
	 */
	public function doctor( $args, $assoc_args ) {
		$r = PQM_File_Commands::file_doctor();
		WP_CLI::line( 'storage: ' . $r['dir'] );
		foreach ( $r['problems'] as $p ) {
			WP_CLI::warning( $p );
		}
		if ( ! $r['problems'] ) {
			WP_CLI::success( 'File storage is outside the web root.' );
		}
	}
}
