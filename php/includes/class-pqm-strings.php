<?php
/**
 * Every user-facing string of the client panel templates, translated.
 *
 * The Rust templates write {{t "English text"}}; the extension looks the
 * English text up in the map returned here. Keeping the literal __() calls in
 * PHP lets the usual WordPress tools (makepot, GlotPress) find them. A Rust
 * test (tests/strings_in_sync.rs) fails when a template uses a string that is
 * missing here.
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Translated panel strings.
 */
final class PQM_Strings {

	/**
	 * English msgid => translation in the current locale.
	 *
	 * @return array<string,string>
	 */
	public static function all() {
		return array(
			'Your orders' => __( 'Your orders', 'pqm-client-panel' ),
			'Your orders can\'t be shown right now. Please try again in a few minutes.' => __( 'Your orders can\'t be shown right now. Please try again in a few minutes.', 'pqm-client-panel' ),
			'If this keeps happening, please let us know.' => __( 'If this keeps happening, please let us know.', 'pqm-client-panel' ),
			'Log in to see the status of your orders, the dates that matter and everything we have shared with you.' => __( 'Log in to see the status of your orders, the dates that matter and everything we have shared with you.', 'pqm-client-panel' ),
			'Log in' => __( 'Log in', 'pqm-client-panel' ),
			'Your access to the client panel is not set up yet.' => __( 'Your access to the client panel is not set up yet.', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'Please contact %s and ask them to link your login to your customer account.' => __( 'Please contact %s and ask them to link your login to your customer account.', 'pqm-client-panel' ),
			'Order not found' => __( 'Order not found', 'pqm-client-panel' ),
			'We couldn\'t find that order in your account. Check the link, or pick the order from your list.' => __( 'We couldn\'t find that order in your account. Check the link, or pick the order from your list.', 'pqm-client-panel' ),
			'← All orders' => __( '← All orders', 'pqm-client-panel' ),
			'Account' => __( 'Account', 'pqm-client-panel' ),
			'Promised' => __( 'Promised', 'pqm-client-panel' ),
			'Expected completion' => __( 'Expected completion', 'pqm-client-panel' ),
			'Completed' => __( 'Completed', 'pqm-client-panel' ),
			'Pickup' => __( 'Pickup', 'pqm-client-panel' ),
			'Delivery' => __( 'Delivery', 'pqm-client-panel' ),
			'Ordered' => __( 'Ordered', 'pqm-client-panel' ),
			'Note from us' => __( 'Note from us', 'pqm-client-panel' ),
			'Milestones' => __( 'Milestones', 'pqm-client-panel' ),
			'not yet' => __( 'not yet', 'pqm-client-panel' ),
			'Progress' => __( 'Progress', 'pqm-client-panel' ),
			'Show orders' => __( 'Show orders', 'pqm-client-panel' ),
			'All accounts' => __( 'All accounts', 'pqm-client-panel' ),
			'Filter' => __( 'Filter', 'pqm-client-panel' ),
			'No orders match this filter.' => __( 'No orders match this filter.', 'pqm-client-panel' ),
			'Show all accounts' => __( 'Show all accounts', 'pqm-client-panel' ),
			'There are no orders to show here yet.' => __( 'There are no orders to show here yet.', 'pqm-client-panel' ),
			'Pages' => __( 'Pages', 'pqm-client-panel' ),
			'‹ Newer' => __( '‹ Newer', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'Page %1$s of %2$s' => __( 'Page %1$s of %2$s', 'pqm-client-panel' ),
			'Older ›' => __( 'Older ›', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'Order %s' => __( 'Order %s', 'pqm-client-panel' ),
			'Open' => __( 'Open', 'pqm-client-panel' ),
			'All' => __( 'All', 'pqm-client-panel' ),
			// Files and approvals (issue #4, templates/files.hbs).
			/* translators: placeholders are filled in by the panel. */
			'%1$s, version %2$s' => __( '%1$s, version %2$s', 'pqm-client-panel' ),
			'Answered' => __( 'Answered', 'pqm-client-panel' ),
			'Approvals' => __( 'Approvals', 'pqm-client-panel' ),
			'Approve' => __( 'Approve', 'pqm-client-panel' ),
			'Approved' => __( 'Approved', 'pqm-client-panel' ),
			'Changes requested' => __( 'Changes requested', 'pqm-client-panel' ),
			'Comment (optional)' => __( 'Comment (optional)', 'pqm-client-panel' ),
			'Comment' => __( 'Comment', 'pqm-client-panel' ),
			'Date' => __( 'Date', 'pqm-client-panel' ),
			'Earlier versions' => __( 'Earlier versions', 'pqm-client-panel' ),
			'Files' => __( 'Files', 'pqm-client-panel' ),
			'No files have been shared on this order yet.' => __( 'No files have been shared on this order yet.', 'pqm-client-panel' ),
			'Only approvers on your account can answer approval requests.' => __( 'Only approvers on your account can answer approval requests.', 'pqm-client-panel' ),
			'Please answer by' => __( 'Please answer by', 'pqm-client-panel' ),
			'Please choose a file to upload.' => __( 'Please choose a file to upload.', 'pqm-client-panel' ),
			'Please describe the changes you need.' => __( 'Please describe the changes you need.', 'pqm-client-panel' ),
			'Receipt' => __( 'Receipt', 'pqm-client-panel' ),
			'Request changes' => __( 'Request changes', 'pqm-client-panel' ),
			'Requested' => __( 'Requested', 'pqm-client-panel' ),
			'SHA-256' => __( 'SHA-256', 'pqm-client-panel' ),
			'Send us a file' => __( 'Send us a file', 'pqm-client-panel' ),
			'Size' => __( 'Size', 'pqm-client-panel' ),
			'Thank you — your approval was recorded.' => __( 'Thank you — your approval was recorded.', 'pqm-client-panel' ),
			'Thank you — your change request was recorded.' => __( 'Thank you — your change request was recorded.', 'pqm-client-panel' ),
			'Thank you — your file was uploaded.' => __( 'Thank you — your file was uploaded.', 'pqm-client-panel' ),
			'That didn\'t work. Please try again in a few minutes.' => __( 'That didn\'t work. Please try again in a few minutes.', 'pqm-client-panel' ),
			'We could not save that right now. Nothing was stored — please try again in a few minutes.' => __( 'We could not save that right now. Nothing was stored — please try again in a few minutes.', 'pqm-client-panel' ),
			'That file is empty.' => __( 'That file is empty.', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'That file is larger than the %s limit. Please send a smaller file.' => __( 'That file is larger than the %s limit. Please send a smaller file.', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'That type of file can\'t be uploaded here. Accepted: %s.' => __( 'That type of file can\'t be uploaded here. Accepted: %s.', 'pqm-client-panel' ),
			'The upload did not complete. Nothing was stored; please try again.' => __( 'The upload did not complete. Nothing was stored; please try again.', 'pqm-client-panel' ),
			'The whole order' => __( 'The whole order', 'pqm-client-panel' ),
			'This approval request was already answered.' => __( 'This approval request was already answered.', 'pqm-client-panel' ),
			'Title' => __( 'Title', 'pqm-client-panel' ),
			'Type' => __( 'Type', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'Up to %1$s. Accepted: %2$s.' => __( 'Up to %1$s. Accepted: %2$s.', 'pqm-client-panel' ),
			'Upload' => __( 'Upload', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'Version %s' => __( 'Version %s', 'pqm-client-panel' ),
			'Version' => __( 'Version', 'pqm-client-panel' ),
			'Waiting for your approval' => __( 'Waiting for your approval', 'pqm-client-panel' ),
			'What should we change?' => __( 'What should we change?', 'pqm-client-panel' ),
			'Your comment is too long (5,000 characters at most).' => __( 'Your comment is too long (5,000 characters at most).', 'pqm-client-panel' ),
			// Messages and notifications (issue #3).
			'Your message (not sent yet — copy it or send it again later)' => __( 'Your message (not sent yet — copy it or send it again later)', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'%1$s wrote about your order %2$s (%3$s):' => __( '%1$s wrote about your order %2$s (%3$s):', 'pqm-client-panel' ),
			'Reply and see the whole conversation here:' => __( 'Reply and see the whole conversation here:', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'Your order %1$s (%2$s) is now: %3$s' => __( 'Your order %1$s (%2$s) is now: %3$s', 'pqm-client-panel' ),
			'See the details here:' => __( 'See the details here:', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'You get these e-mails because you have an account at %s. You can turn them off in your client panel.' => __( 'You get these e-mails because you have an account at %s. You can turn them off in your client panel.', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'%1$s mentioned you in an internal note on %2$s (%3$s):' => __( '%1$s mentioned you in an internal note on %2$s (%3$s):', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'%1$s wrote on %2$s (%3$s):' => __( '%1$s wrote on %2$s (%3$s):', 'pqm-client-panel' ),
			'Open the conversation:' => __( 'Open the conversation:', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'[%1$s] New message on your order %2$s' => __( '[%1$s] New message on your order %2$s', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'[%1$s] Your order %2$s is now %3$s' => __( '[%1$s] Your order %2$s is now %3$s', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'[%1$s] You were mentioned on %2$s' => __( '[%1$s] You were mentioned on %2$s', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'[%1$s] Customer message on %2$s' => __( '[%1$s] Customer message on %2$s', 'pqm-client-panel' ),
			'Messages' => __( 'Messages', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'Seen by %1$s · %2$s' => __( 'Seen by %1$s · %2$s', 'pqm-client-panel' ),
			'No messages yet. Questions about this order? Write to us here.' => __( 'No messages yet. Questions about this order? Write to us here.', 'pqm-client-panel' ),
			'Your message' => __( 'Your message', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'Plain text, up to %s characters. Line breaks and links are kept; formatting is not.' => __( 'Plain text, up to %s characters. Line breaks and links are kept; formatting is not.', 'pqm-client-panel' ),
			'Send message' => __( 'Send message', 'pqm-client-panel' ),
			'Notifications' => __( 'Notifications', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'1 new message on %s' => __( '1 new message on %s', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'%1$s new messages on %2$s' => __( '%1$s new messages on %2$s', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'%1$s is now %2$s' => __( '%1$s is now %2$s', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'New file on %1$s: %2$s' => __( 'New file on %1$s: %2$s', 'pqm-client-panel' ),
			'Nothing new.' => __( 'Nothing new.', 'pqm-client-panel' ),
			'E-mail me about new messages and status changes' => __( 'E-mail me about new messages and status changes', 'pqm-client-panel' ),
			'Save' => __( 'Save', 'pqm-client-panel' ),
			/* translators: placeholders are filled in by the panel. */
			'New messages: %s' => __( 'New messages: %s', 'pqm-client-panel' ),
		);
	}

	/**
	 * Month and weekday names from WordPress's own translations.
	 *
	 * @return array
	 */
	public static function locale_words() {
		global $wp_locale;
		if ( ! $wp_locale instanceof WP_Locale ) {
			return array();
		}
		$months = array_values( $wp_locale->month );
		return array(
			'months'         => $months,
			'months_short'   => array_map( array( $wp_locale, 'get_month_abbrev' ), $months ),
			'weekdays'       => array_values( $wp_locale->weekday ),
			'weekdays_short' => array_values( $wp_locale->weekday_abbrev ),
			'am'             => $wp_locale->meridiem['am'],
			'pm'             => $wp_locale->meridiem['pm'],
		);
	}
}
