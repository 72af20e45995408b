<?php
/**
 * The logic behind `wp pqm file …` and `wp pqm approval …` as plain static
 * methods (tests call them through scripts/wp/eval.php). Rules stay in Rust.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * File and approval command logic.
 */
final class PQM_File_Commands {

	/**
	 * `wp pqm file add <order-ref> <path> --type=<slug> [--internal] [--title=<t>] [--unshared] [--file=<id>]`.
	 *
	 * @param string $reference Order reference.
	 * @param string $path      Path of the file on this server.
	 * @param string $type      File type slug (proof, final, invoice, production, scan, customer).
	 * @param array  $opts      internal (bool), title, unshared (bool), file (id: add a version to it).
	 * @throws PQM_Command_Error On failure.
	 * @return array The stored version.
	 */
	public static function file_add( $reference, $path, $type, array $opts = array() ) {
		$path = (string) $path;
		if ( '' === $path || ! is_file( $path ) || ! is_readable( $path ) ) {
			throw new PQM_Command_Error( sprintf( 'cannot read the file %s', $path ) );
		}
		$params = array(
			'order'    => (string) $reference,
			'path'     => (string) realpath( $path ),
			'type'     => (string) $type,
			'internal' => ! empty( $opts['internal'] ),
			'unshared' => ! empty( $opts['unshared'] ),
			'name'     => isset( $opts['name'] ) ? (string) $opts['name'] : basename( $path ),
			'storage'  => PQM_Files::storage_dir(),
		);
		if ( isset( $opts['title'] ) && '' !== $opts['title'] ) {
			$params['title'] = (string) $opts['title'];
		}
		if ( isset( $opts['file'] ) && '' !== $opts['file'] ) {
			$params['file'] = $opts['file'];
		}
		$row = self::action( 'file.add', $params );
		self::give_back_to_storage_owner( $row );
		return $row;
	}

	/**
	 * WP-CLI often runs as root: hand a new blob (and its folder) to the
	 * owner of the storage directory (the web server), so php-fpm can keep
	 * writing there.
	 *
	 * @param array $row Result of file.add.
	 * @return void
	 */
	private static function give_back_to_storage_owner( array $row ) {
		$dir = PQM_Files::storage_dir();
		if ( ! function_exists( 'posix_geteuid' ) || 0 !== posix_geteuid() || empty( $row['sha256'] ) ) {
			return;
		}
		$owner = fileowner( $dir );
		$group = filegroup( $dir );
		if ( false === $owner || 0 === $owner ) {
			return;
		}
		$sub = $dir . '/' . substr( $row['sha256'], 0, 2 );
		foreach ( array( $sub, $sub . '/' . $row['sha256'] ) as $path ) {
			if ( file_exists( $path ) ) {
				chown( $path, $owner ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_chown
				chgrp( $path, $group ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_chgrp
			}
		}
	}

	/**
	 * `wp pqm file list <order-ref>`: every version of every file.
	 *
	 * @param string $reference Order reference.
	 * @throws PQM_Command_Error On failure.
	 * @return array Rows.
	 */
	public static function file_list( $reference ) {
		return self::action( 'file.list', array( 'order' => (string) $reference ) );
	}

	/**
	 * `wp pqm file share <version-id> [--off]`.
	 *
	 * @param int  $version_id File version id.
	 * @param bool $shared     Share (true) or take back (false).
	 * @throws PQM_Command_Error On failure.
	 * @return array
	 */
	public static function file_share( $version_id, $shared = true ) {
		return self::action(
			'file.share',
			array(
				'version_id' => $version_id,
				'shared'     => (bool) $shared,
			)
		);
	}

	/**
	 * `wp pqm file types`.
	 *
	 * @throws PQM_Command_Error On failure.
	 * @return array
	 */
	public static function file_types() {
		return self::action( 'file.types', array() );
	}

	/**
	 * `wp pqm file settings [--max-upload-mb=<n>] [--kinds=<pdf,png,jpeg,office>]`.
	 *
	 * @param array $opts max_upload_bytes, upload_kinds (comma list).
	 * @throws PQM_Command_Error On failure.
	 * @return array Current settings.
	 */
	public static function file_settings( array $opts = array() ) {
		if ( ! $opts ) {
			return self::action( 'file.settings', array() );
		}
		return self::action( 'file.settings_update', $opts );
	}

	/**
	 * `wp pqm file doctor`: problems with the storage location.
	 *
	 * @return array ['dir' => string, 'problems' => string[]]
	 */
	public static function file_doctor() {
		return array(
			'dir'      => PQM_Files::storage_dir(),
			'problems' => PQM_Files::storage_problems(),
		);
	}

	/**
	 * `wp pqm approval request <order-ref> [--file=<id>] [--message=<m>] [--due=<date>]`.
	 *
	 * @param string     $reference Order reference.
	 * @param int|string $file      File id ('' = the order itself).
	 * @param string     $message   Message to the customer.
	 * @param string     $due       Due date YYYY-MM-DD or ''.
	 * @param bool       $notify    E-mail the account's approvers.
	 * @throws PQM_Command_Error On failure.
	 * @return array The approval (with notify_user_ids and emails_sent).
	 */
	public static function approval_request( $reference, $file = '', $message = '', $due = '', $notify = true ) {
		$params = array(
			'order'   => (string) $reference,
			'message' => (string) $message,
			'due'     => (string) $due,
		);
		if ( '' !== (string) $file ) {
			$params['file'] = $file;
		}
		$row                = self::action( 'approval.request', $params );
		$row['emails_sent'] = $notify ? PQM_Files::notify_request( $row ) : 0;
		return $row;
	}

	/**
	 * `wp pqm approval verify [<order-ref>]`.
	 *
	 * @param string $reference Order reference or '' for every order.
	 * @throws PQM_Command_Error On failure.
	 * @return array ok, orders, entries, first_broken.
	 */
	public static function approval_verify( $reference = '' ) {
		return self::action( 'approval.verify', '' === (string) $reference ? array() : array( 'order' => (string) $reference ) );
	}

	/**
	 * `wp pqm approval list <order-ref>`.
	 *
	 * @param string $reference Order reference.
	 * @throws PQM_Command_Error On failure.
	 * @return array
	 */
	public static function approval_list( $reference ) {
		return self::action( 'approval.list', array( 'order' => (string) $reference ) );
	}

	/**
	 * The staff approvals queue: pending, overdue, recently decided.
	 *
	 * @throws PQM_Command_Error On failure.
	 * @return array
	 */
	public static function approval_queue() {
		return self::action( 'approval.queue', array() );
	}

	/**
	 * Run an action as the CLI principal; map errors for the shell user.
	 *
	 * @param string $name   Action.
	 * @param array  $params Params.
	 * @throws PQM_Command_Error On failure.
	 * @return array
	 */
	private static function action( $name, array $params ) {
		return PQM_Commands::action( $name, $params );
	}
}
