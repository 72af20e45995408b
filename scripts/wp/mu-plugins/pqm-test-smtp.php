<?php
/**
 * Plugin Name: PQM test mail sink
 * Description: Test sites only (scripts/test): when PQM_TEST_SMTP ("host:port")
 * is defined in the site config, wp_mail() is delivered over plain SMTP to the
 * sink the e2e tests run (tests/e2e/mailsink.py). Other sites are untouched.
 */
if ( defined( 'PQM_TEST_SMTP' ) ) {
	add_action(
		'phpmailer_init',
		static function ( $mailer ) {
			list( $host, $port ) = array_pad( explode( ':', PQM_TEST_SMTP, 2 ), 2, '25' );
			$mailer->isSMTP();
			$mailer->Host        = $host;
			$mailer->Port        = (int) $port;
			$mailer->SMTPAuth    = false;
			$mailer->SMTPAutoTLS = false;
			$mailer->Timeout     = 5;
		}
	);
	// WordPress sends from wordpress@<site domain>; "wordpress@localhost" is
	// not an address PHPMailer accepts, so every mail of the test site would fail.
	add_filter(
		'wp_mail_from',
		static function ( $from ) {
			return is_email( $from ) && false !== strpos( substr( strrchr( $from, '@' ), 1 ), '.' ) ? $from : 'wordpress@example.test';
		}
	);
}
