//! Message bodies are plain text. `to_html` is the only way a body becomes
//! HTML: every character is escaped, line breaks become `<br>`, and URLs
//! (`http://`, `https://`, `www.`) become links with
//! `rel="nofollow noopener noreferrer"` whose `href` is escaped too. Nothing
//! else can produce a tag, so `<script>`, `javascript:` or `onerror=` in a
//! message stay visible text.

use handlebars::html_escape;

/// Characters a URL may contain here (RFC 3986 minus the few that usually
/// end a sentence or wrap a link in prose).
fn url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&*+,;=%".contains(c)
}

/// Punctuation at the end of a URL that belongs to the sentence.
fn trim_trailing(url: &str) -> &str {
    url.trim_end_matches(['.', ',', ';', ':', '!', '?', ']', '*'])
}

/// Byte index of the next URL start at or after `from`.
fn next_url(text: &str, from: usize) -> Option<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let mut i = from;
    while i < text.len() {
        let rest = &lower[i..];
        let starts = rest.starts_with("https://") || rest.starts_with("http://") || rest.starts_with("www.");
        let boundary = i == 0 || !text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '.' || c == '@');
        if starts && boundary {
            let end = i + text[i..].find(|c: char| !url_char(c)).unwrap_or(text.len() - i);
            let url = trim_trailing(&text[i..end]);
            let scheme_only = ["http://", "https://", "www."].iter().any(|s| url.eq_ignore_ascii_case(s));
            if !scheme_only && url.len() > 4 {
                return Some((i, i + url.len()));
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

fn push_text(out: &mut String, text: &str) {
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push_str("<br>\n");
        }
        out.push_str(&html_escape(line.strip_suffix('\r').unwrap_or(line)));
    }
}

/// Escaped HTML for a plain-text message body.
pub fn to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut pos = 0;
    while let Some((start, end)) = next_url(text, pos) {
        push_text(&mut out, &text[pos..start]);
        let url = &text[start..end];
        let href = if url.to_ascii_lowercase().starts_with("www.") { format!("https://{url}") } else { url.to_string() };
        out.push_str("<a href=\"");
        out.push_str(&html_escape(&href));
        out.push_str("\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">");
        out.push_str(&html_escape(url));
        out.push_str("</a>");
        pos = end;
    }
    push_text(&mut out, &text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_escaped_and_keeps_line_breaks() {
        assert_eq!(to_html("a < b & \"c\"\nnext"), "a &lt; b &amp; &quot;c&quot;<br>\nnext");
        assert_eq!(to_html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    #[test]
    fn urls_become_safe_links() {
        assert_eq!(
            to_html("See https://example.com/proof?id=1&x=2."),
            "See <a href=\"https://example.com/proof?id&#x3D;1&amp;x&#x3D;2\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">https://example.com/proof?id&#x3D;1&amp;x&#x3D;2</a>."
        );
        assert!(to_html("www.example.com").starts_with("<a href=\"https://www.example.com\""));
    }

    #[test]
    fn hostile_urls_stay_inert() {
        for evil in [
            "javascript:alert(1)",
            "https://x.test/\"onmouseover=\"alert(1)",
            "https://x.test/<script>",
            "http://x.test/'><img src=x onerror=alert(1)>",
            "data:text/html,<b>x</b>",
        ] {
            let html = to_html(evil);
            assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("\"onmouseover"), "{evil} -> {html}");
            assert!(!html.contains("href=\"javascript") && !html.contains("href=\"data"), "{evil} -> {html}");
        }
    }

    #[test]
    fn not_a_url_inside_words_or_bare_scheme() {
        assert_eq!(to_html("xhttp://a.b"), "xhttp://a.b");
        assert_eq!(to_html("http:// nothing"), "http:// nothing");
        assert_eq!(to_html("ünïcödé ✓"), "ünïcödé ✓");
    }
}
