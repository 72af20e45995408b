<?php
/**
 * The `wp pqm` command namespace.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Manages the PQM Client Panel: schema, customer accounts, orders, demo data and access checks.
 *
 * ## EXAMPLES
 *
 *     # Create or upgrade the database tables.
 *     $ wp pqm migrate
 *
 *     # Create a customer account and give a login access to it.
 *     $ wp pqm account create "Acme Print Co"
 *     $ wp pqm account add-user 1 alice --role=approver
 *
 *     # Why can (or can't) bob see order PQ-1001?
 *     $ wp pqm access check bob PQ-1001
 */
class PQM_CLI_Namespace extends \WP_CLI\Dispatcher\CommandNamespace {
}
