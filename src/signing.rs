//! Signed, expiring download links for e-mails.
//!
//! Token: `<version_id>.<user_id>.<expires>.<hmac>` where hmac is
//! HMAC-SHA256 (crate `hmac`, RustCrypto — constant-time verification, no
//! hand-rolled MAC) over `pqm-download-v1|<order>|<version_id>|<user_id>|<expires>`
//! with the site secret. A valid token names one version on one order for one
//! recipient; the download still requires that recipient to be logged in
//! and still goes through the normal access check.

use crate::error::{Error, Result};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadLink {
    pub version_id: u64,
    pub user_id: u64,
    pub order: String,
    /// Unix time after which the link is refused.
    pub expires: i64,
}

fn mac(secret: &str, l: &DownloadLink) -> Result<HmacSha256> {
    if secret.len() < 16 {
        return Err(Error::Config("the link-signing secret is missing or too short".into()));
    }
    let mut m = HmacSha256::new_from_slice(secret.as_bytes()).map_err(|e| Error::Config(format!("hmac key: {e}")))?;
    m.update(format!("pqm-download-v1|{}|{}|{}|{}", l.order, l.version_id, l.user_id, l.expires).as_bytes());
    Ok(m)
}

pub fn sign_download(secret: &str, l: &DownloadLink) -> Result<String> {
    let tag = mac(secret, l)?.finalize().into_bytes();
    Ok(format!("{}.{}.{}.{}", l.version_id, l.user_id, l.expires, crate::files::hex(&tag)))
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

/// Verify `token` for a download of order `order` at `now`.
pub fn verify_download_on(secret: &str, token: &str, order: &str, now: i64) -> Option<DownloadLink> {
    let mut parts = token.trim().split('.');
    let (v, u, e, tag) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let link = DownloadLink { version_id: v.parse().ok()?, user_id: u.parse().ok()?, order: order.to_string(), expires: e.parse().ok()? };
    let tag = unhex(tag)?;
    mac(secret, &link).ok()?.verify_slice(&tag).ok()?;
    (link.expires >= now).then_some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef-test-secret";

    fn link() -> DownloadLink {
        DownloadLink { version_id: 42, user_id: 7, order: "PQ-1001".into(), expires: 2_000_000_000 }
    }

    #[test]
    fn round_trip_and_refusals() {
        let t = sign_download(SECRET, &link()).unwrap();
        assert_eq!(verify_download_on(SECRET, &t, "PQ-1001", 1_900_000_000), Some(link()));
        // expired
        assert_eq!(verify_download_on(SECRET, &t, "PQ-1001", 2_000_000_001), None);
        // another order, another secret
        assert_eq!(verify_download_on(SECRET, &t, "PQ-1002", 0), None);
        assert_eq!(verify_download_on("another-secret-0123456789", &t, "PQ-1001", 0), None);
        // tampered fields or tag
        let parts: Vec<&str> = t.split('.').collect();
        for bad in [
            format!("43.{}.{}.{}", parts[1], parts[2], parts[3]),
            format!("{}.8.{}.{}", parts[0], parts[2], parts[3]),
            format!("{}.{}.2100000000.{}", parts[0], parts[1], parts[3]),
            format!("{}.{}.{}.{}", parts[0], parts[1], parts[2], &parts[3][..62]),
            format!("{t}.x"),
            "garbage".into(),
            String::new(),
        ] {
            assert_eq!(verify_download_on(SECRET, &bad, "PQ-1001", 0), None, "{bad}");
        }
    }

    #[test]
    fn short_secret_is_a_config_error() {
        assert!(sign_download("short", &link()).is_err());
        let t = sign_download(SECRET, &link()).unwrap();
        assert_eq!(verify_download_on("short", &t, "PQ-1001", 0), None);
    }
}
