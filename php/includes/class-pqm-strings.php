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
