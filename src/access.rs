//! The one place that decides what a principal may see.
//!
//! A customer's *scope* is the set of customer accounts whose orders they may
//! see. Both the order list and the single-order view filter by the same
//! scope (`Scope::account_ids`), so a list can never show what the detail view
//! would refuse, or the other way round. The scope is always derived from the
//! logged-in principal's own links — never from an id the browser sends.
//!
//! Rules, in order:
//! 1. Logged out → nothing.
//! 2. Without the `pqm_view_panel` capability → nothing (staff and
//!    administrators see only the customer view of their *own* links, and
//!    have none unless someone linked them).
//! 3. Each enabled link to an account with the portal enabled grants:
//!    a customer account → that account; a consolidated account → every
//!    customer account under it that has the portal enabled.
//! 4. An account reached by several links gets the strongest portal role.

use crate::principal::{Cap, Principal};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PortalRole {
    Viewer,
    Approver,
}

impl PortalRole {
    pub fn parse(s: &str) -> Option<PortalRole> {
        match s {
            "viewer" => Some(PortalRole::Viewer),
            "approver" => Some(PortalRole::Approver),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PortalRole::Viewer => "viewer",
            PortalRole::Approver => "approver",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountKind {
    Customer,
    Consolidated,
}

impl AccountKind {
    pub fn parse(s: &str) -> Option<AccountKind> {
        match s {
            "customer" => Some(AccountKind::Customer),
            "consolidated" => Some(AccountKind::Consolidated),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Customer => "customer",
            AccountKind::Consolidated => "consolidated",
        }
    }
}

/// One of the user's links, with the linked account and (for a consolidated
/// account) the customer accounts under it, as loaded from the database.
#[derive(Debug, Clone)]
pub struct Link {
    pub link_enabled: bool,
    pub role: PortalRole,
    pub account: AccountRef,
    pub children: Vec<AccountRef>,
}

#[derive(Debug, Clone)]
pub struct AccountRef {
    pub id: u64,
    pub name: String,
    pub kind: AccountKind,
    pub portal_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopedAccount {
    pub id: u64,
    pub name: String,
    pub role: PortalRole,
}

/// Why a principal has no panel at all; shown to staff by `access check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoScope {
    LoggedOut,
    MissingCapability,
    NoLinks,
    LinksDisabled,
    PortalDisabled,
}

impl NoScope {
    pub fn reason(self) -> &'static str {
        match self {
            NoScope::LoggedOut => "not logged in",
            NoScope::MissingCapability => "the user lacks the pqm_view_panel capability (give them the PQM Customer role)",
            NoScope::NoLinks => "the user is not linked to any account",
            NoScope::LinksDisabled => "every link of the user is disabled",
            NoScope::PortalDisabled => "portal access is disabled for every account the user is linked to",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Sorted by name, then id: the order of the account filter.
    accounts: Vec<ScopedAccount>,
}

impl Scope {
    pub fn accounts(&self) -> &[ScopedAccount] {
        &self.accounts
    }

    pub fn account_ids(&self) -> Vec<u64> {
        self.accounts.iter().map(|a| a.id).collect()
    }

    pub fn contains(&self, account_id: u64) -> bool {
        self.accounts.iter().any(|a| a.id == account_id)
    }

    pub fn get(&self, account_id: u64) -> Option<&ScopedAccount> {
        self.accounts.iter().find(|a| a.id == account_id)
    }

    /// Narrow to one account *within* the scope. An id outside the scope
    /// narrows to nothing — exactly like an id that does not exist.
    pub fn narrow(&self, account_id: u64) -> Scope {
        Scope { accounts: self.accounts.iter().filter(|a| a.id == account_id).cloned().collect() }
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    /// More than one account: rows show the account name and the panel
    /// offers a filter.
    pub fn is_multi(&self) -> bool {
        self.accounts.len() > 1
    }
}

/// Compute the panel scope of `principal` from their links.
pub fn panel_scope(principal: &Principal, links: &[Link]) -> Result<Scope, NoScope> {
    if !principal.is_logged_in() {
        return Err(NoScope::LoggedOut);
    }
    if !principal.can(Cap::ViewPanel) {
        return Err(NoScope::MissingCapability);
    }
    if links.is_empty() {
        return Err(NoScope::NoLinks);
    }
    let enabled: Vec<&Link> = links.iter().filter(|l| l.link_enabled).collect();
    if enabled.is_empty() {
        return Err(NoScope::LinksDisabled);
    }
    let mut accounts: Vec<ScopedAccount> = Vec::new();
    let mut grant = |a: &AccountRef, role: PortalRole| {
        if a.kind != AccountKind::Customer || !a.portal_enabled {
            return;
        }
        match accounts.iter_mut().find(|s| s.id == a.id) {
            Some(existing) => existing.role = existing.role.max(role),
            None => accounts.push(ScopedAccount { id: a.id, name: a.name.clone(), role }),
        }
    };
    for link in enabled.iter().filter(|l| l.account.portal_enabled) {
        match link.account.kind {
            AccountKind::Customer => grant(&link.account, link.role),
            AccountKind::Consolidated => link.children.iter().for_each(|c| grant(c, link.role)),
        }
    }
    if accounts.is_empty() {
        return Err(NoScope::PortalDisabled);
    }
    accounts.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
    Ok(Scope { accounts })
}

/// What the file rules need to know about one file version (loaded together
/// with its file and order in one row, see `files::VersionRow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileFacts {
    /// Account of the order the file is on.
    pub account_id: u64,
    /// The file's visibility is "internal".
    pub internal: bool,
    /// The file's type has the "customer file" flag.
    pub customer_type: bool,
    /// This version was shared with the customer.
    pub shared: bool,
}

/// A customer sees a file version only when all hold: the order is in their
/// scope, the file is not internal, its type is a customer file type, and the
/// version is shared. Anything else looks exactly like a missing file.
pub fn customer_may_see_file(scope: &Scope, f: &FileFacts) -> bool {
    scope.contains(f.account_id) && !f.internal && f.customer_type && f.shared
}

/// Any login of the account (viewer or approver) may upload files to its
/// orders; the file type and the admin's size/kind limits are checked by the
/// upload itself.
pub fn customer_may_upload(scope: &Scope, account_id: u64) -> bool {
    scope.contains(account_id)
}

/// Only an approver of the order's account may decide an approval; viewers
/// see the request.
pub fn customer_may_decide(scope: &Scope, account_id: u64) -> bool {
    scope.get(account_id).is_some_and(|a| a.role == PortalRole::Approver)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PortalRole::*;

    fn customer(id: u64, enabled: bool) -> AccountRef {
        AccountRef { id, name: format!("Account {id}"), kind: AccountKind::Customer, portal_enabled: enabled }
    }

    fn consolidated(id: u64, enabled: bool) -> AccountRef {
        AccountRef { id, name: format!("Group {id}"), kind: AccountKind::Consolidated, portal_enabled: enabled }
    }

    fn link(account: AccountRef, role: PortalRole) -> Link {
        Link { link_enabled: true, role, account, children: vec![] }
    }

    fn customer_principal() -> Principal {
        Principal::new(5, &[Cap::ViewPanel])
    }

    fn ids(s: &Scope) -> Vec<u64> {
        let mut v = s.account_ids();
        v.sort();
        v
    }

    #[test]
    fn logged_out_sees_nothing_even_with_links() {
        let links = [link(customer(1, true), Approver)];
        assert_eq!(panel_scope(&Principal::new(0, &[Cap::ViewPanel]), &links), Err(NoScope::LoggedOut));
    }

    #[test]
    fn without_panel_capability_sees_nothing() {
        let links = [link(customer(1, true), Approver)];
        let staff = Principal::new(5, &[Cap::ManageOrders, Cap::ManageAccounts, Cap::ManageSettings]);
        assert_eq!(panel_scope(&staff, &links), Err(NoScope::MissingCapability));
        assert_eq!(panel_scope(&Principal::cli(), &links), Err(NoScope::LoggedOut));
    }

    #[test]
    fn no_links() {
        assert_eq!(panel_scope(&customer_principal(), &[]), Err(NoScope::NoLinks));
    }

    #[test]
    fn customer_link_grants_that_account_only() {
        let s = panel_scope(&customer_principal(), &[link(customer(1, true), Viewer)]).unwrap();
        assert_eq!(ids(&s), vec![1]);
        assert!(s.contains(1) && !s.contains(2));
        assert!(!s.is_multi());
        assert_eq!(s.get(1).unwrap().role, Viewer);
    }

    #[test]
    fn disabled_link_grants_nothing() {
        let mut l = link(customer(1, true), Approver);
        l.link_enabled = false;
        assert_eq!(panel_scope(&customer_principal(), &[l.clone()]), Err(NoScope::LinksDisabled));
        let s = panel_scope(&customer_principal(), &[l, link(customer(2, true), Viewer)]).unwrap();
        assert_eq!(ids(&s), vec![2]);
    }

    #[test]
    fn portal_disabled_account_grants_nothing() {
        assert_eq!(panel_scope(&customer_principal(), &[link(customer(1, false), Approver)]), Err(NoScope::PortalDisabled));
    }

    #[test]
    fn consolidated_link_grants_enabled_children_not_itself() {
        let mut l = link(consolidated(10, true), Approver);
        l.children = vec![customer(11, true), customer(12, true), customer(13, false)];
        let s = panel_scope(&customer_principal(), &[l]).unwrap();
        assert_eq!(ids(&s), vec![11, 12]);
        assert!(!s.contains(10), "the consolidated account itself owns no orders");
        assert!(s.is_multi());
    }

    #[test]
    fn consolidated_with_portal_disabled_grants_no_children() {
        let mut l = link(consolidated(10, false), Approver);
        l.children = vec![customer(11, true)];
        assert_eq!(panel_scope(&customer_principal(), &[l]), Err(NoScope::PortalDisabled));
    }

    #[test]
    fn consolidated_without_children_is_portal_disabled_state() {
        assert_eq!(panel_scope(&customer_principal(), &[link(consolidated(10, true), Viewer)]), Err(NoScope::PortalDisabled));
    }

    #[test]
    fn a_consolidated_child_is_never_treated_as_a_parent() {
        // A (corrupt) consolidated "child" must not widen the scope further.
        let mut l = link(consolidated(10, true), Viewer);
        l.children = vec![consolidated(20, true), customer(21, true)];
        let s = panel_scope(&customer_principal(), &[l]).unwrap();
        assert_eq!(ids(&s), vec![21]);
    }

    #[test]
    fn strongest_role_wins_when_reached_twice() {
        let mut group = link(consolidated(10, true), Viewer);
        group.children = vec![customer(11, true)];
        let direct = link(customer(11, true), Approver);
        let s = panel_scope(&customer_principal(), &[group.clone(), direct.clone()]).unwrap();
        assert_eq!(s.accounts().len(), 1);
        assert_eq!(s.get(11).unwrap().role, Approver);
        let s = panel_scope(&customer_principal(), &[direct, group]).unwrap();
        assert_eq!(s.get(11).unwrap().role, Approver);
    }

    #[test]
    fn narrow_outside_scope_is_empty_like_a_missing_id() {
        let s = panel_scope(&customer_principal(), &[link(customer(1, true), Viewer), link(customer(2, true), Viewer)]).unwrap();
        assert_eq!(s.narrow(2).account_ids(), vec![2]);
        assert!(s.narrow(99).is_empty());
        assert_eq!(s.narrow(99), s.narrow(123_456));
    }

    #[test]
    fn accounts_sorted_by_name_for_the_filter() {
        let mut b = customer(1, true);
        b.name = "beta".into();
        let mut a = customer(2, true);
        a.name = "Alpha".into();
        let s = panel_scope(&customer_principal(), &[link(b, Viewer), link(a, Viewer)]).unwrap();
        let names: Vec<_> = s.accounts().iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Alpha", "beta"]);
    }

    #[test]
    fn every_combination_of_flags_is_decided() {
        // Exhaustive over (logged in, cap, link enabled, portal enabled, kind):
        // access is granted exactly when all hold.
        for logged_in in [false, true] {
            for cap in [false, true] {
                for link_on in [false, true] {
                    for portal_on in [false, true] {
                        for kind in [AccountKind::Customer, AccountKind::Consolidated] {
                            let caps: &[Cap] = if cap { &[Cap::ViewPanel] } else { &[] };
                            let p = Principal::new(if logged_in { 9 } else { 0 }, caps);
                            let account = AccountRef { id: 1, name: "A".into(), kind, portal_enabled: portal_on };
                            let l = Link {
                                link_enabled: link_on,
                                role: Viewer,
                                account,
                                children: if kind == AccountKind::Consolidated { vec![customer(2, true)] } else { vec![] },
                            };
                            let granted = panel_scope(&p, &[l]).is_ok();
                            assert_eq!(granted, logged_in && cap && link_on && portal_on, "{logged_in} {cap} {link_on} {portal_on} {kind:?}");
                        }
                    }
                }
            }
        }
    }
    #[test]
    fn file_visibility_needs_every_flag() {
        let s = panel_scope(&customer_principal(), &[link(customer(1, true), Viewer)]).unwrap();
        for account_id in [1, 2] {
            for internal in [false, true] {
                for customer_type in [false, true] {
                    for shared in [false, true] {
                        let f = FileFacts { account_id, internal, customer_type, shared };
                        let want = account_id == 1 && !internal && customer_type && shared;
                        assert_eq!(customer_may_see_file(&s, &f), want, "{f:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn only_approvers_decide_everyone_in_scope_uploads() {
        let s = panel_scope(&customer_principal(), &[link(customer(1, true), Viewer), link(customer(2, true), Approver)]).unwrap();
        assert!(!customer_may_decide(&s, 1));
        assert!(customer_may_decide(&s, 2));
        assert!(!customer_may_decide(&s, 3));
        assert!(customer_may_upload(&s, 1) && customer_may_upload(&s, 2) && !customer_may_upload(&s, 3));
    }
}
