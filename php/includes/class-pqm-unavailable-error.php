<?php
/**
 * Exception thrown by PQM_Bridge when the extension failed in a way that must
 * not be shown verbatim (database outage, configuration, Rust panic, missing
 * extension). The original is kept as the previous exception and has already
 * been written to the PHP error log.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Safe, generic failure of a call into the pqm extension.
 */
class PQM_Unavailable_Error extends RuntimeException {
}
