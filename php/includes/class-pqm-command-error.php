<?php
/**
 * Error raised by PQM_Commands; its message is meant for the staff member or
 * shell user who ran the command.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * A command failed; the message says why in plain words.
 */
class PQM_Command_Error extends RuntimeException {
}
