<?php
/**
 * The [pqm_client_panel] shortcode.
 *
 * The panel is rendered once, in template_redirect (before any output), so
 * that a missing or foreign order can answer HTTP 404 while the theme still
 * renders the page around the panel. The shortcode callback only prints the
 * stored HTML; it renders lazily when template_redirect did not run for it
 * (e.g. the shortcode sits in a widget or on an archive).
 *
 * @package PQM_Client_Panel
 */

defined( 'ABSPATH' ) || exit;

/**
 * Registers and renders [pqm_client_panel].
 */
final class PQM_Shortcode_Client_Panel {

	/**
	 * Shortcode tag.
	 */
	const TAG = 'pqm_client_panel';

	/**
	 * Style handle of the panel CSS.
	 */
	const STYLE = 'pqm-panel';

	/**
	 * Whether the matching extension is loaded (set by register()).
	 *
	 * @var bool
	 */
	private static $available = false;

	/**
	 * The render result for this request: ['status', 'html', 'title'] or null.
	 *
	 * @var array|null
	 */
	private static $result = null;

	/**
	 * Whether this request shows the panel and so needs its stylesheet.
	 *
	 * @var bool
	 */
	private static $needs_style = false;

	/**
	 * Hook everything up.
	 *
	 * Without the extension only the shortcode itself is registered, and it
	 * prints a friendly "temporarily unavailable" text.
	 *
	 * @param bool $available Whether the matching pqm extension is loaded.
	 * @return void
	 */
	public static function register( $available ) {
		self::$available   = (bool) $available;
		self::$result      = null;
		self::$needs_style = false;

		add_shortcode( self::TAG, array( __CLASS__, 'shortcode' ) );
		add_action( 'wp_enqueue_scripts', array( __CLASS__, 'register_style' ) );

		if ( self::$available ) {
			add_action( 'template_redirect', array( __CLASS__, 'template_redirect' ) );
		}
	}

	/**
	 * Register the panel stylesheet (enqueued only on pages with the panel).
	 *
	 * @return void
	 */
	public static function register_style() {
		wp_register_style(
			self::STYLE,
			plugins_url( 'assets/pqm-panel.css', PQM_PLUGIN_FILE ),
			array(),
			PQM_PLUGIN_VERSION
		);
		if ( self::$needs_style ) {
			wp_enqueue_style( self::STYLE );
		}
	}

	/**
	 * Enqueue the stylesheet, registering it first if needed.
	 *
	 * @return void
	 */
	private static function enqueue_style() {
		self::$needs_style = true;
		if ( did_action( 'wp_enqueue_scripts' ) ) {
			if ( ! wp_style_is( self::STYLE, 'registered' ) ) {
				self::register_style();
			}
			wp_enqueue_style( self::STYLE );
		}
		// Otherwise register_style() enqueues it when wp_enqueue_scripts runs.
	}

	/**
	 * On a singular page whose content holds the shortcode: send no-cache
	 * headers, render the panel and set the HTTP status.
	 *
	 * @return void
	 */
	public static function template_redirect() {
		if ( ! is_singular() ) {
			return;
		}
		$post = get_queried_object();
		if ( ! $post instanceof WP_Post || ! has_shortcode( $post->post_content, self::TAG ) ) {
			return;
		}

		self::no_cache();
		self::$result = self::render( $post );
		self::enqueue_style();

		add_filter( 'wp_robots', 'wp_robots_no_robots' );
		add_filter( 'document_title_parts', array( __CLASS__, 'document_title' ) );

		if ( 404 === self::$result['status'] ) {
			// Same page, same theme template; only the status code says "not found".
			status_header( 404 );
			global $wp_query;
			if ( $wp_query instanceof WP_Query ) {
				$wp_query->is_404 = false;
			}
		}
	}

	/**
	 * The shortcode callback: print the stored panel HTML.
	 *
	 * @param array|string $atts    Shortcode attributes (none are used).
	 * @param string|null  $content Enclosed content (unused).
	 * @return string
	 */
	public static function shortcode( $atts = array(), $content = null ) {
		unset( $atts, $content );

		if ( ! self::$available ) {
			// Not cached either, so the real panel shows once the extension is loaded.
			self::no_cache();
			self::enqueue_style();
			return self::fallback_html();
		}

		if ( null === self::$result ) {
			// template_redirect did not render it (widget, archive, REST preview …).
			self::no_cache();
			self::$result = self::render( get_post() );
			self::enqueue_style();
		}

		return self::$result['html'];
	}

	/**
	 * Replace the page title part with the panel's title (e.g. the order).
	 *
	 * @param array $parts Document title parts.
	 * @return array
	 */
	public static function document_title( $parts ) {
		if ( is_array( $parts ) && ! empty( self::$result['title'] ) ) {
			$parts['title'] = self::$result['title'];
		}
		return $parts;
	}

	/**
	 * The panel query from $_GET: scalar values only (arrays such as
	 * pqm_order[]=… are ignored), unslashed, invalid UTF-8 replaced.
	 *
	 * Deliberately not sanitize_text_field(): that strips tags, trims and
	 * collapses whitespace, so "?pqm_order=<b>x</b>" would silently turn a
	 * not-found order into the order list. The values are only ever data for
	 * Rust, which validates them (docs/architecture.md), and every echo is
	 * escaped by the template engine.
	 *
	 * @return array<string, string>
	 */
	public static function query() {
		$query = array();
		foreach ( PQM_Bridge::QUERY_PARAMS as $param => $key ) {
			// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- Read-only navigation parameters.
			if ( ! isset( $_GET[ $param ] ) || ! is_scalar( $_GET[ $param ] ) ) {
				continue;
			}
			// phpcs:ignore WordPress.Security.NonceVerification.Recommended, WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- Read-only; validated by Rust, see above.
			$query[ $key ] = self::clean_utf8( wp_unslash( (string) $_GET[ $param ] ) );
		}
		return $query;
	}

	/**
	 * Replace invalid UTF-8 so the value can cross into Rust as a string.
	 *
	 * @param string $value Raw value.
	 * @return string
	 */
	private static function clean_utf8( $value ) {
		if ( function_exists( 'mb_scrub' ) ) {
			return mb_scrub( $value, 'UTF-8' );
		}
		return wp_check_invalid_utf8( $value, true );
	}

	/**
	 * Render the panel; never throws.
	 *
	 * @param WP_Post|null $post The page holding the panel.
	 * @return array{status:int, html:string, title:string}
	 */
	public static function render( $post ) {
		$context = null;
		try {
			$query     = self::query();
			$context   = PQM_Bridge::panel_context( $post instanceof WP_Post ? $post : null, $query );
			$principal = PQM_Bridge::principal();
			$result    = PQM_Bridge::call(
				static function () use ( $principal, $query, $context ) {
					return \PQM\render_panel( $principal, $query, $context );
				},
				'render_panel'
			);
			if ( ! is_array( $result ) || ! isset( $result['html'] ) || ! is_string( $result['html'] ) ) {
				throw new UnexpectedValueException( 'PQM\\render_panel() returned no html' );
			}
			return array(
				'status' => isset( $result['status'] ) ? (int) $result['status'] : 200,
				'html'   => $result['html'],
				'title'  => isset( $result['title'] ) && is_string( $result['title'] ) ? $result['title'] : '',
			);
		} catch ( \Throwable $e ) {
			if ( ! $e instanceof PQM_Unavailable_Error ) {
				PQM_Bridge::log( $e, 'render_panel' ); // Not logged by the bridge yet.
			}
			return array(
				'status' => 200,
				'html'   => self::error_html( $context ),
				'title'  => '',
			);
		}
	}

	/**
	 * The friendly failure block: the extension's own, or a static fallback.
	 *
	 * @param array|null $context Panel context, if it could be built.
	 * @return string
	 */
	private static function error_html( $context ) {
		if ( is_array( $context ) && function_exists( 'PQM\\render_error' ) ) {
			try {
				$html = \PQM\render_error( $context, 'unavailable' );
				if ( is_string( $html ) && '' !== $html ) {
					return $html;
				}
			} catch ( \Throwable $e ) {
				PQM_Bridge::log( $e, 'render_error' );
			}
		}
		return self::fallback_html();
	}

	/**
	 * Static, escaped "temporarily unavailable" block (no extension needed).
	 *
	 * @return string
	 */
	public static function fallback_html() {
		return '<div class="pqm-panel"><div class="pqm-error" role="alert">'
			. esc_html__( 'The client panel is temporarily unavailable. Please try again in a few minutes.', 'pqm-client-panel' )
			. '</div></div>';
	}

	/**
	 * Keep the panel out of every page cache: it is personal.
	 *
	 * @return void
	 */
	private static function no_cache() {
		if ( ! defined( 'DONOTCACHEPAGE' ) ) {
			define( 'DONOTCACHEPAGE', true );
		}
		if ( ! headers_sent() ) {
			add_filter( 'nocache_headers', array( __CLASS__, 'private_no_store' ) );
			nocache_headers();
		}
	}

	/**
	 * Make the no-cache headers also forbid storing the page anywhere
	 * (shared proxies included): it holds one customer's data.
	 *
	 * @param array $headers Headers from wp_get_nocache_headers().
	 * @return array
	 */
	public static function private_no_store( $headers ) {
		$value = isset( $headers['Cache-Control'] ) ? (string) $headers['Cache-Control'] : 'no-cache, must-revalidate, max-age=0';
		foreach ( array( 'no-store', 'private' ) as $directive ) {
			if ( false === stripos( $value, $directive ) ) {
				$value .= ', ' . $directive;
			}
		}
		$headers['Cache-Control'] = $value;
		return $headers;
	}
}
