"""Who sees which orders: logged out, no access, each demo customer, staff."""
from __future__ import annotations

import urllib.parse

import pytest

from conftest import (
    ACCOUNT_REFS, ADMIN_PASSWORD, ADMIN_USER, ALL_REFS, BASE_URL, CLOSED_LABELS,
    CUSTOMER_LABELS, EXPECTED_REFS, PANEL_PATH, PANEL_URL, Client, all_pages, ref_num, refs_of,
)


# ---------------------------------------------------------------- logged out

def test_logged_out_sees_login_prompt_that_returns_to_panel(anon: Client):
    page = anon.panel()
    assert page.status == 200
    assert page.one(".pqm-panel") is not None, "panel root .pqm-panel missing"
    assert page.one(".pqm-login") is not None, "logged-out visitor gets no .pqm-login explanation"
    href = page.link("a.pqm-login-link")
    assert href, "no a.pqm-login-link"
    u = urllib.parse.urlparse(href)
    assert u.path.endswith("/wp-login.php"), f"login link goes to {href}"
    redirect = urllib.parse.parse_qs(u.query).get("redirect_to", [""])[0]
    r = urllib.parse.urlparse(redirect)
    assert r.path == PANEL_PATH, f"redirect_to={redirect!r} does not return to the panel"
    assert r.netloc in ("", urllib.parse.urlparse(BASE_URL).netloc), f"redirect_to leaves the site: {redirect!r}"
    assert "PQ-10" not in page.html, "order references visible to a logged-out visitor"
    assert page.one("article.pqm-order") is None


def test_login_link_brings_customer_back_to_their_orders():
    """Follow the panel's login link like a person: log in, land on the panel."""
    c = Client("alice")
    href = c.get(PANEL_URL).link("a.pqm-login-link")
    redirect = urllib.parse.parse_qs(urllib.parse.urlparse(href).query)["redirect_to"][0]
    r = c.login(redirect_to=redirect)
    loc = urllib.parse.urljoin(BASE_URL + "/wp-login.php", r.headers.get("Location", ""))
    assert urllib.parse.urlparse(loc).path == PANEL_PATH, f"after login redirected to {loc}"
    page = c.get(loc)
    assert page.status == 200
    assert page.order_refs(), "logged-in alice sees no orders after the redirect"


# ---------------------------------------------------------------- no access

def test_dave_without_account_sees_access_not_set_up(login):
    page = login("dave").panel()
    assert page.status == 200
    assert page.one(".pqm-empty-access") is not None, "dave (no account) does not see .pqm-empty-access"
    assert page.order_refs() == []
    assert "PQ-10" not in page.html
    for view in ("all", "completed"):
        p = login("dave").panel(view=view)
        assert p.order_refs() == [] and "PQ-10" not in p.html, f"dave sees orders in view={view}"


# ---------------------------------------------------------------- lists

def check_list_pages(user: str, pages, expected: list[str]):
    got = refs_of(pages)
    assert len(got) == len(set(got)), f"{user}: an order appears twice across pages: {got}"
    assert sorted(got, key=ref_num) == sorted(expected, key=ref_num), (
        f"{user}: expected exactly {expected[0]}..{expected[-1]} ({len(expected)}), "
        f"got {len(got)}: missing {sorted(set(expected) - set(got))}, extra {sorted(set(got) - set(expected))}")
    assert got == sorted(got, key=ref_num, reverse=True), f"{user}: not newest first: {got}"
    for i, p in enumerate(pages):
        n = len(p.order_refs())
        if i < len(pages) - 1:
            assert n == 10, f"{user}: page {i + 1} has {n} orders, expected 10 per page"
        else:
            assert 1 <= n <= 10, f"{user}: last page has {n} orders"
    assert len(pages) == (len(expected) + 9) // 10, f"{user}: {len(pages)} pages for {len(expected)} orders"
    # never a reference of someone else's order anywhere in the markup
    for p in pages:
        foreign = p.refs_in_text() - set(expected)
        assert not foreign, f"{user}: foreign references {sorted(foreign)} in {p.url}"


@pytest.mark.parametrize("user", ["alice", "amy", "bob", "carol"])
def test_customer_sees_exactly_their_orders_in_all_view(login, user):
    pages = all_pages(login(user), view="all")
    check_list_pages(user, pages, EXPECTED_REFS[user])
    if len(pages) > 1:
        assert pages[1].link("a[rel=prev]"), f"{user}: page 2 has no a[rel=prev]"
    assert not pages[0].link("a[rel=prev]"), f"{user}: page 1 has a[rel=prev]"


@pytest.mark.parametrize("user", ["alice", "bob", "carol"])
def test_open_and_completed_views_partition_the_orders(login, user):
    c = login(user)
    open_pages = all_pages(c)  # default view is "open"
    assert refs_of(open_pages) == refs_of(all_pages(c, view="open")), "default view is not 'open'"
    done_pages = all_pages(c, view="completed")
    open_refs, done_refs = refs_of(open_pages), refs_of(done_pages)
    assert not set(open_refs) & set(done_refs), f"{user}: orders both open and completed: {set(open_refs) & set(done_refs)}"
    assert set(open_refs) | set(done_refs) == set(EXPECTED_REFS[user]), (
        f"{user}: open+completed {sorted(set(open_refs) | set(done_refs), key=ref_num)} "
        f"!= expected {EXPECTED_REFS[user][0]}..{EXPECTED_REFS[user][-1]}")
    assert open_refs and done_refs, f"{user}: seed should give both open and closed orders"
    for refs_, pages in ((open_refs, open_pages), (done_refs, done_pages)):
        assert refs_ == sorted(refs_, key=ref_num, reverse=True), f"{user}: not newest first: {refs_}"
        for i, p in enumerate(pages[:-1]):
            assert len(p.order_refs()) == 10, f"{user}: {p.url} has {len(p.order_refs())} orders (10 per page)"
    # the counts on the view tabs match what the views list
    tabs = {a["data-view"]: a for a in open_pages[0].all("nav.pqm-views a[data-view]")}
    for view, n in (("open", len(open_refs)), ("completed", len(done_refs)), ("all", len(EXPECTED_REFS[user]))):
        count = tabs[view].select_one(".pqm-count") if view in tabs else None
        if count is not None:
            assert count.get_text(strip=True) == str(n), f"{user}: tab {view} says {count.get_text(strip=True)}, lists {n}"
    # status labels on cards: customer labels only, closed ones only in "completed"
    for pages, want_closed in ((open_pages, False), (done_pages, True)):
        for p in pages:
            for card in p.all("article.pqm-order"):
                st = card.select_one(".pqm-status")
                assert st is not None, f"{card.get('data-ref')}: no .pqm-status on the card"
                label = st.get_text(" ", strip=True)
                assert label in CUSTOMER_LABELS, f"{card.get('data-ref')}: status label {label!r} is not a customer label"
                assert (label in CLOSED_LABELS) == want_closed, (
                    f"{card.get('data-ref')} labelled {label!r} in the {'completed' if want_closed else 'open'} view")


def test_view_tabs_present(alice):
    page = alice.panel()
    for view in ("open", "completed", "all"):
        assert page.one(f'nav.pqm-views a[data-view="{view}"]') is not None, f"no view tab {view}"


def test_amy_viewer_sees_acme_orders_like_alice(login):
    assert refs_of(all_pages(login("amy"), view="all")) == refs_of(all_pages(login("alice"), view="all"))


def test_carol_sees_account_names_on_rows(carol):
    pages = all_pages(carol, view="all")
    for p in pages:
        for card in p.all("article.pqm-order"):
            ref = card.get("data-ref")
            acct = card.select_one(".pqm-account")
            assert acct is not None, f"carol: {ref} has no .pqm-account"
            name = acct.get_text(" ", strip=True)
            want = "Northwind East" if ref in ACCOUNT_REFS["Northwind East"] else "Northwind West"
            assert name == want, f"carol: {ref} shows account {name!r}, expected {want!r}"


@pytest.mark.parametrize("account", ["Northwind East", "Northwind West"])
def test_carol_account_filter_narrows_to_one_account(carol, account):
    page = carol.panel(view="all")
    select = page.one("form.pqm-account-filter select[name=pqm_account]")
    assert select is not None, "carol (consolidated login) has no account filter"
    options = {o.get_text(strip=True): o.get("value") for o in select.select("option")}
    assert account in options, f"filter options {sorted(options)} lack {account}"
    assert "Acme Print Co" not in options and "Brightside Translations" not in options
    form = page.one("form.pqm-account-filter")
    action = form.get("action") or page.url
    # submit the form as a browser would: every named field, chosen option
    data = {}
    for el in form.select("input[name], select[name]"):
        if el.name == "select":
            continue
        if el.get("type") in ("submit", "button", "image"):
            continue
        data[el["name"]] = el.get("value", "")
    data["pqm_account"] = options[account]
    data.setdefault("pqm_view", "all")
    data["pqm_view"] = "all"
    first = carol.get(urllib.parse.urljoin(page.url, action), params=data)
    assert first.status == 200
    got = refs_of([first] + _follow(carol, first))
    assert sorted(got, key=ref_num) == ACCOUNT_REFS[account], (
        f"filter {account}: got {got}, expected {ACCOUNT_REFS[account]}")


def _follow(client, page):
    out = []
    for _ in range(10):
        nxt = page.link("a[rel=next]")
        if not nxt:
            break
        page = client.get(nxt)
        out.append(page)
    return out


def test_single_account_customer_has_no_account_filter(alice):
    assert alice.panel().one("form.pqm-account-filter") is None


# ---------------------------------------------------------------- staff

def _assert_staff_sees_own_empty_view(c: Client):
    page = c.panel()
    assert page.status == 200, f"{c.user}: panel -> HTTP {page.status}"
    assert page.order_refs() == [], f"{c.user} (staff, no links) sees orders {page.order_refs()}"
    assert page.one(".pqm-empty-access") is not None, f"{c.user}: no .pqm-empty-access state"
    assert not (page.refs_in_text() & set(ALL_REFS)), f"{c.user} sees references {page.refs_in_text()}"
    for view in ("all", "completed"):
        p = c.panel(view=view)
        assert p.order_refs() == [] and not (p.refs_in_text() & set(ALL_REFS)), f"{c.user}: view={view} shows orders"
    # An order URL shows nothing of the order, and looks like a missing one
    # (the no-access state answers 200 for any id; not an oracle).
    detail = c.panel(order="PQ-1001")
    missing = c.panel(order="PQ-9999")
    assert detail.one(".pqm-order-detail") is None, f"{c.user}: ?pqm_order=PQ-1001 renders the order"
    assert detail.status == missing.status, f"{c.user}: PQ-1001 -> {detail.status}, PQ-9999 -> {missing.status}"
    assert detail.one(".pqm-empty-access") is not None or detail.one(".pqm-not-found") is not None
    assert "PQ-1001" not in detail.soup.select_one(".pqm-panel").get_text()


def test_manager_sees_customer_view_of_own_links_only(login):
    _assert_staff_sees_own_empty_view(login("manager"))


def test_administrator_sees_customer_view_of_own_links_only(login):
    try:
        c = login(ADMIN_USER, ADMIN_PASSWORD)
    except AssertionError as e:
        pytest.fail(f"cannot log in as administrator {ADMIN_USER!r} "
                    f"(set PQM_E2E_ADMIN_USER / PQM_E2E_ADMIN_PASSWORD): {e}")
    _assert_staff_sees_own_empty_view(c)


def test_after_logout_the_panel_shows_no_orders():
    """Log in, see orders, log out through WordPress's own link: the panel
    forgets the orders (nothing served from a cache of the logged-in page)."""
    c = Client("bob")
    c.login()
    page = c.panel()
    assert page.order_refs(), "bob sees no orders"
    logout = None
    for a in page.soup.select("a[href*='action=logout']"):
        logout = urllib.parse.urljoin(page.url, a["href"])
        break
    if logout is None:  # no admin bar / logout block in the theme: use the nonce-free confirm page
        pytest.skip("no logout link on the page")
    r = c.http.get(logout, timeout=20, allow_redirects=True)
    assert r.status_code == 200
    after = c.panel()
    assert after.one(".pqm-login") is not None, "after logout the panel does not ask to log in"
    assert "PQ-10" not in after.html, "order references still shown after logout"
