//! Who is asking. WordPress decides identity and capabilities; the plugin
//! hands them over as a principal and Rust never guesses roles.

use crate::error::{Error, Result};
use serde::Deserialize;

/// The plugin capabilities that matter to the core.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    ViewPanel,
    ManageOrders,
    ManageAccounts,
    ManageSettings,
}

impl Cap {
    pub const ALL: [Cap; 4] = [Cap::ViewPanel, Cap::ManageOrders, Cap::ManageAccounts, Cap::ManageSettings];

    pub fn wp_name(self) -> &'static str {
        match self {
            Cap::ViewPanel => "pqm_view_panel",
            Cap::ManageOrders => "pqm_manage_orders",
            Cap::ManageAccounts => "pqm_manage_accounts",
            Cap::ManageSettings => "pqm_manage_settings",
        }
    }

    fn from_wp_name(name: &str) -> Option<Cap> {
        Cap::ALL.into_iter().find(|c| c.wp_name() == name)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Principal {
    /// WordPress user id; 0 = logged out (or WP-CLI without --user).
    pub user_id: u64,
    caps: u8,
    /// WP-CLI: an operator with shell access on the server.
    pub cli: bool,
}

#[derive(Deserialize)]
struct RawPrincipal {
    #[serde(default, deserialize_with = "crate::params::de_u64")]
    user_id: u64,
    #[serde(default, deserialize_with = "crate::params::de_lenient")]
    caps: Vec<String>,
    #[serde(default, deserialize_with = "crate::params::de_bool")]
    cli: bool,
}

impl Principal {
    pub fn new(user_id: u64, caps: &[Cap]) -> Self {
        Principal { user_id, caps: caps.iter().fold(0, |acc, c| acc | c.bit()), cli: false }
    }

    pub fn logged_out() -> Self {
        Principal::default()
    }

    /// WP-CLI operator: every staff capability, no panel of its own.
    pub fn cli() -> Self {
        let mut p = Principal::new(0, &[Cap::ManageOrders, Cap::ManageAccounts, Cap::ManageSettings]);
        p.cli = true;
        p
    }

    /// From the array the plugin builds; capability names we do not know are
    /// ignored (a newer plugin may pass more).
    pub fn from_json(v: serde_json::Value) -> Result<Self> {
        let raw: RawPrincipal =
            serde_json::from_value(v).map_err(|e| Error::invalid(format!("principal: {e}")))?;
        let caps: Vec<Cap> = raw.caps.iter().filter_map(|c| Cap::from_wp_name(c)).collect();
        let mut p = Principal::new(raw.user_id, &caps);
        p.cli = raw.cli;
        Ok(p)
    }

    pub fn can(&self, cap: Cap) -> bool {
        self.caps & cap.bit() != 0
    }

    pub fn is_logged_in(&self) -> bool {
        self.user_id != 0
    }

    pub fn require(&self, cap: Cap) -> Result<()> {
        if self.can(cap) {
            Ok(())
        } else {
            Err(Error::AccessDenied(format!("requires the {} capability", cap.wp_name())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn caps_from_wordpress_names() {
        let p = Principal::from_json(json!({"user_id": 7, "caps": ["pqm_view_panel", "edit_posts"]})).unwrap();
        assert_eq!(p.user_id, 7);
        assert!(p.can(Cap::ViewPanel));
        assert!(!p.can(Cap::ManageOrders));
        assert!(p.require(Cap::ManageOrders).is_err());
    }

    #[test]
    fn user_id_as_string_from_wp_cli() {
        let p = Principal::from_json(json!({"user_id": "12", "caps": []})).unwrap();
        assert_eq!(p.user_id, 12);
        assert!(!p.is_logged_in() == false);
    }

    #[test]
    fn cli_has_staff_caps_but_no_panel() {
        let p = Principal::cli();
        assert!(p.can(Cap::ManageOrders) && p.can(Cap::ManageAccounts) && p.can(Cap::ManageSettings));
        assert!(!p.can(Cap::ViewPanel));
    }

    #[test]
    fn garbage_principal_is_invalid_input() {
        assert!(matches!(Principal::from_json(json!({"user_id": "x"})), Err(Error::InvalidInput(_))));
        assert!(matches!(Principal::from_json(json!({"user_id": -3})), Err(Error::InvalidInput(_))));
    }
}
