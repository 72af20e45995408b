"""The staff workspace in wp-admin (issue #5), through real logins over HTTP.

* customers, a subscriber and logged-out visitors get no staff screen, no
  admin-post action, no admin-ajax/REST endpoint — each answered the way
  WordPress answers a missing capability — and no data changes;
* every state-changing admin action rejects a missing or wrong nonce;
* invite → user with the customer role, linked, set-password mail arrives,
  the link sets a password, the new login sees the account's orders;
* preview-as shows exactly the orders that login sees and changes nothing;
* switching an account's portal off takes effect on the next request.
"""
from __future__ import annotations

import json
import re
import subprocess
import urllib.parse
import uuid

import pytest

from conftest import (
    BASE_URL, DEMO_PASSWORD, EXPECTED_REFS, PANEL_URL, REPO, Client, account_ids, all_pages, parse, refs_of,
)

ADMIN = BASE_URL + "/wp-admin/admin.php"
ADMIN_POST = BASE_URL + "/wp-admin/admin-post.php"
ADMIN_AJAX = BASE_URL + "/wp-admin/admin-ajax.php"
SCREENS = ("pqm-orders", "pqm-accounts", "pqm-preview", "pqm-settings")
TIMEOUT = 30


def wp_eval(code: str):
    """Run PHP inside the test site (scripts/wp/eval.php) and return the JSON result."""
    out = subprocess.run(["php", str(REPO / "scripts/wp/eval.php"), "localhost", code],
                         capture_output=True, text=True, timeout=120, cwd=REPO)
    assert out.returncode == 0, f"eval failed: {out.stderr}\n{out.stdout}"
    text = out.stdout.strip()
    return json.loads(text) if text else None


def snapshot() -> str:
    """Everything the staff actions could change, as one comparable value."""
    return json.dumps(wp_eval(
        "return ['accounts' => PQM_Commands::account_list(),"
        " 'links' => PQM_Staff_Commands::account_links(),"
        " 'statuses' => PQM_Staff_Commands::status_list(),"
        " 'o1' => PQM_Staff_Commands::order_get('PQ-1001'),"
        " 'orders' => PQM_Staff_Commands::order_search(['per_page' => 1000])['items'],"
        " 'page' => get_option('pqm_panel_page_id')];"), sort_keys=True)


@pytest.fixture(scope="module")
def manager(login) -> Client:
    return login("manager")


def form_fields(form) -> dict[str, str]:
    """The values a browser would submit for a form (text, hidden, selected, checked)."""
    data: dict[str, str] = {}
    for el in form.find_all(["input", "select", "textarea"]):
        name = el.get("name")
        if not name or el.has_attr("disabled"):
            continue
        if el.name == "select":
            opt = el.find("option", selected=True) or el.find("option")
            data[name] = opt.get("value", opt.text) if opt else ""
        elif el.name == "textarea":
            data[name] = el.text
        elif el.get("type") in ("checkbox", "radio"):
            if el.has_attr("checked"):
                data[name] = el.get("value", "on")
        elif el.get("type") not in ("submit", "button"):
            data[name] = el.get("value", "")
    return data


def admin_form(client: Client, url: str, selector: str) -> dict[str, str]:
    page = client.get(url, check_safe=False)
    assert page.status == 200, f"{url} -> {page.status}"
    form = page.one(selector)
    assert form is not None, f"no {selector} on {url}"
    return form_fields(form)


def acme_id() -> int:
    return account_ids()["Acme Print Co"]


# One valid payload per admin-post action (as the manager's forms send them,
# minus the nonce); used to prove each is refused without the capability or nonce.
def post_payloads() -> dict[str, dict[str, str]]:
    acme = acme_id()
    return {
        "pqm_order_create": {"account_id": str(acme), "title": "HACKED order", "reference": "HACK-1"},
        "pqm_order_update": {"reference": "PQ-1001", "title": "HACKED", "status": "completed"},
        "pqm_order_delete": {"reference": "PQ-1001"},
        "pqm_task_save": {"reference": "PQ-1001", "name": "HACKED task"},
        "pqm_account_create": {"name": "HACKED account"},
        "pqm_account_update": {"id": str(acme), "name": "HACKED", "portal_enabled": "0"},
        "pqm_account_delete": {"id": str(acme)},
        "pqm_account_link": {"account_id": str(acme), "user": "bob", "role": "approver"},
        "pqm_account_invite": {"account_id": str(acme), "email": "hacker@example.test"},
        "pqm_login_update": {"account_id": str(acme), "user_id": "1", "op": "remove"},
        "pqm_status_save": {"key": "ready", "customer_visible": "0"},
        "pqm_settings_save": {"panel_page_id": "0"},
    }


# ------------------------------------------------------------- who gets in

@pytest.mark.parametrize("who", ["alice", "sam", None])
def test_non_staff_get_no_screen_action_or_endpoint(who, login):
    client = login(who) if who else Client(None)
    before = snapshot()
    for screen in SCREENS:
        r = client.http.get(ADMIN, params={"page": screen}, timeout=TIMEOUT, allow_redirects=False)
        if who is None:
            # WordPress sends visitors to the login form.
            assert r.status_code == 302 and "wp-login.php" in r.headers["Location"], f"{screen}: {r.status_code}"
        else:
            assert r.status_code == 403, f"{who} got {screen}: HTTP {r.status_code}"
            assert "not allowed" in r.text
            assert "PQ-10" not in r.text
    for action, payload in post_payloads().items():
        # With a nonce of their own for the action: the capability check still refuses.
        data = dict(payload, action=action)
        r = client.http.post(ADMIN_POST, data=data, timeout=TIMEOUT, allow_redirects=False)
        expected = 400 if who is None else 403  # WordPress: no nopriv handler → 400
        assert r.status_code == expected, f"{who} POST {action}: HTTP {r.status_code} {r.text[:200]}"
    # Bulk status change on the orders screen.
    r = client.http.post(ADMIN, params={"page": "pqm-orders"}, data={"action": "status:completed", "references[]": "PQ-1001"},
                         timeout=TIMEOUT, allow_redirects=False)
    assert r.status_code in ((302,) if who is None else (403,)), f"bulk: {r.status_code}"
    # No admin-ajax or REST endpoint exists for anyone.
    for action in ("pqm_order_update", "pqm_orders", "pqm_preview", "pqm_account_invite"):
        r = client.http.post(ADMIN_AJAX, data={"action": action}, timeout=TIMEOUT)
        assert r.status_code == 400 and r.text.strip() == "0", f"admin-ajax {action}: {r.status_code} {r.text[:80]}"
    r = client.http.get(BASE_URL + "/wp-json/", timeout=TIMEOUT)
    assert r.status_code == 200 and not any(ns.startswith("pqm") for ns in r.json().get("namespaces", []))
    r = client.http.get(BASE_URL + "/wp-json/pqm/v1/orders", timeout=TIMEOUT)
    assert r.status_code == 404
    assert snapshot() == before, f"{who}: data changed"


def test_manager_sees_the_staff_screens(manager):
    for screen in SCREENS:
        page = manager.get(ADMIN + "?page=" + screen, check_safe=False)
        assert page.status == 200, f"{screen}: {page.status}"
        assert page.one(".pqm-admin") is not None, f"{screen} did not render"


# ------------------------------------------------------------- nonces

def test_every_admin_action_rejects_missing_or_wrong_nonce(manager):
    before = snapshot()
    for action, payload in post_payloads().items():
        for nonce in (None, "0123456789", "deadbeef00"):
            data = dict(payload, action=action)
            if nonce is not None:
                data["_wpnonce"] = nonce
            r = manager.http.post(ADMIN_POST, data=data, timeout=TIMEOUT, allow_redirects=False)
            assert r.status_code == 403, f"{action} nonce={nonce}: HTTP {r.status_code}"
            assert "link you followed has expired" in r.text, f"{action}: {r.text[:200]}"
    # A nonce for another action does not do either.
    other = admin_form(manager, ADMIN + "?page=pqm-settings", "form.pqm-settings-page")["_wpnonce"]
    r = manager.http.post(ADMIN_POST, data=dict(post_payloads()["pqm_order_delete"], action="pqm_order_delete", _wpnonce=other),
                          timeout=TIMEOUT, allow_redirects=False)
    assert r.status_code == 403
    for nonce in (None, "0123456789"):
        data = {"action": "status:completed", "references[]": "PQ-1001"}
        if nonce:
            data["_wpnonce"] = nonce
        r = manager.http.post(ADMIN, params={"page": "pqm-orders"}, data=data, timeout=TIMEOUT, allow_redirects=False)
        assert r.status_code == 403, f"bulk nonce={nonce}: {r.status_code}"
    assert snapshot() == before, "a rejected request changed data"


# ------------------------------------------------------------- orders screen

def test_order_list_search_filter_and_bulk_status(manager):
    page = manager.get(ADMIN, params={"page": "pqm-orders", "s": "PQ-1044"}, check_safe=False)
    rows = [a.text for a in page.all("a.pqm-order-link")]
    assert rows == ["PQ-1044"], rows
    page = manager.get(ADMIN, params={"page": "pqm-orders", "s": "brightside", "status": "received"}, check_safe=False)
    got = {a.text for a in page.all("a.pqm-order-link")}
    assert got and got <= set(EXPECTED_REFS["bob"]), got
    for cell in page.all("td.column-status"):
        assert "Received" in cell.text and "Customer sees" in cell.text

    # Bulk: a real submit of the table form with its nonce, on two orders of
    # an account of its own (the demo orders stay as seeded for other tests).
    tag = f"BULK-{uuid.uuid4().hex[:6].upper()}"
    refs = [f"{tag}-1", f"{tag}-2"]
    wp_eval(f"""$a = PQM_Commands::account_create('Bulk test {tag}', false, null);
        foreach (['{refs[0]}', '{refs[1]}'] as $r) {{
            PQM_Commands::order_create(['account' => $a['id'], 'title' => 'Bulk test', 'reference' => $r]);
        }}""")
    page = manager.get(ADMIN, params={"page": "pqm-orders", "s": tag}, check_safe=False)
    form = page.one("form.pqm-orders-table")
    data = form_fields(form)
    data.pop("references[]", None)
    data["action"] = "status:shipped"
    action_url = urllib.parse.urljoin(page.url, form.get("action"))
    r = manager.http.post(action_url, data=list(data.items()) + [("references[]", x) for x in refs], timeout=TIMEOUT)
    assert r.status_code == 200 and "Status changed on 2 orders" in r.text, r.text[:500]
    for ref in refs:
        assert wp_eval(f"return PQM_Staff_Commands::order_get('{ref}')['status'];") == "shipped"


@pytest.mark.mutates_seed  # 8,001 orders of an account of its own while it runs
def test_a_slow_search_shows_the_newest_matches_and_offers_to_search_all(manager):
    """Both words of the search are in half of the 8,000 newest titles, and only
    one old order has both: the list answers from the newest orders at once,
    says so, and its "Search all orders" link finds the old order."""
    tag = f"SCALE{uuid.uuid4().hex[:6].upper()}"
    account = wp_eval(f"return PQM_Commands::account_create('Search scale {tag}', false, null)['id'];")
    columns = ("account_id, reference, title, status_key, visible_status_key, is_closed, promised_date,"
               " customer_note, internal_note, created_at, updated_at")
    wp_eval(f"""global $wpdb; $t = $wpdb->prefix . 'pqm_orders';
        $wpdb->query("INSERT INTO $t ({columns}) VALUES
            ({account}, '{tag}-OLD', 'Zeppelin poster', 'received', 'received', 0, NULL, '', '', NOW() - INTERVAL 2 YEAR, NOW())");
        $wpdb->query("INSERT INTO $t ({columns})
            SELECT {account}, CONCAT('{tag}-', seq), IF(seq % 2, 'Zeppelin calendar', 'Poster calendar'), 'received', 'received', 0,
                   NULL, '', '', NOW() + INTERVAL seq SECOND, NOW() FROM seq_1_to_8000");
        $wpdb->query("ANALYZE TABLE $t");""")
    try:
        page = manager.get(ADMIN, params={"page": "pqm-orders", "s": "zeppelin poster"}, check_safe=False)
        assert page.all("a.pqm-order-link") == [], "the newest 3,000 orders hold no match"
        notice = page.one(".pqm-search-partial")
        assert notice is not None and "Only the most recent orders were searched" in notice.text, page.html[:2000]
        assert "No orders match among the most recent ones." in page.soup.get_text(" ")
        link = page.one("a.pqm-search-all")
        page = manager.get(urllib.parse.urljoin(page.url, link.get("href")), check_safe=False)
        assert [a.text for a in page.all("a.pqm-order-link")] == [f"{tag}-OLD"]
        assert page.one(".pqm-search-partial") is None
        # A new search from the search box is fast (and partial) again: the
        # form does not carry search_all.
        form = page.one("form.pqm-order-filters")
        assert form is not None and form.select_one("input[name=search_all]") is None
        # wp pqm order list always searches everything.
        listed = wp_eval("return PQM_Staff_Commands::order_search(['search' => 'zeppelin poster', 'complete' => true]);")
        assert [o["reference"] for o in listed["items"]] == [f"{tag}-OLD"] and listed["partial"] is False
    finally:
        wp_eval(f"""global $wpdb; $wpdb->query("DELETE FROM {{$wpdb->prefix}}pqm_orders WHERE account_id = {account}");
            PQM_Staff_Commands::account_delete({account});""")


@pytest.mark.mutates_seed  # adds an order to Acme Print Co
def test_new_order_form_creates_an_order_its_customers_see(manager, login):
    page = manager.get(ADMIN, params={"page": "pqm-orders"}, check_safe=False)
    form = page.one("form.pqm-order-create")
    assert form is not None, "the orders screen offers a New order form"
    accounts = [o.text for o in form.select("select[name=account_id] option")]
    assert "Acme Print Co" in accounts and "Northwind Group" not in accounts, "orders belong to customer accounts"
    data = form_fields(form)
    data.update({"account_id": str(acme_id()), "title": "Menu cards <b>x200</b>", "status": "prepress",
                 "promised": "2027-01-15", "note": "Collect at the side door", "internal_note": "INTERNAL-ONLY new order note"})
    r = manager.http.post(ADMIN_POST, data=dict(data, title=""), timeout=TIMEOUT)
    assert "title must be 1 to 255 characters" in r.text, "Rust's validation message reaches the screen"
    r = manager.http.post(ADMIN_POST, data=data, timeout=TIMEOUT)
    assert r.status_code == 200
    created = re.search(r"Order (PQ-\d+) created", r.text)
    assert created, r.text[:800]
    ref = created.group(1)
    order = wp_eval(f"return PQM_Staff_Commands::order_get('{ref}');")
    assert (order["status"], order["internal_note"]) == ("prepress", "INTERNAL-ONLY new order note")
    # alice (Acme) sees it with the customer label, title and note; bob does not.
    alice, bob = login("alice"), login("bob")
    detail = alice.panel(order=ref)
    text = detail.soup.get_text(" ")
    assert detail.status == 200 and "In production" in text and "Collect at the side door" in text
    # wp-admin sanitizes the title like any WordPress text field (tags stripped).
    assert "Menu cards x200" in text and "<b>" not in detail.html and "INTERNAL-ONLY" not in detail.html
    assert bob.panel(order=ref).status == 404


@pytest.mark.mutates_seed  # rewrites PQ-1003's customer note
def test_order_screen_marks_internal_vs_customer_and_saves(manager):
    url = ADMIN + "?page=pqm-orders&order=PQ-1003"
    page = manager.get(url, check_safe=False)
    assert page.one(".pqm-note-internal") is not None and "never shown to customers" in page.one(".pqm-note-internal").text
    assert page.one(".pqm-note-customer") is not None
    assert "INTERNAL-ONLY" in page.html, "staff see the internal note"
    assert len(page.all("table.pqm-tasks tbody tr")) == 3
    data = form_fields(page.one("form.pqm-order-form"))
    data["note"] = "Pickup from the side door, <b>please</b>"
    r = manager.http.post(ADMIN_POST, data=data, timeout=TIMEOUT)
    assert r.status_code == 200 and "Order PQ-1003 saved" in r.text
    assert wp_eval("return PQM_Staff_Commands::order_get('PQ-1003')['note'];") == "Pickup from the side door, please" or \
        "side door" in wp_eval("return PQM_Staff_Commands::order_get('PQ-1003')['note'];")


# ------------------------------------------------------------- invite

def test_invite_creates_linked_customer_who_sets_password_and_sees_orders(manager, mail_sink):  # noqa: F811
    mail_sink.clear()
    email = f"invitee-{uuid.uuid4().hex[:8]}@example.test"
    acme = acme_id()
    data = admin_form(manager, f"{ADMIN}?page=pqm-accounts&account={acme}", "form.pqm-account-invite")
    data.update(email=email, display_name="Ivy Invitee", role="viewer")
    r = manager.http.post(ADMIN_POST, data=data, timeout=TIMEOUT)
    notice = parse(r).one(".pqm-notice")
    assert r.status_code == 200 and notice is not None and "Invitation sent" in notice.text, (notice.text if notice else r.text[-2000:])

    user = wp_eval(f"$u = get_user_by('email', '{email}'); return ['id' => $u->ID, 'login' => $u->user_login, 'roles' => $u->roles];")
    assert user["roles"] == ["pqm_customer"]
    links = wp_eval(f"return PQM_Staff_Commands::action('account.links', ['user_id' => {user['id']}]);")
    assert [(l["account_id"], l["role"], l["enabled"]) for l in links] == [(acme, "viewer", True)]

    msg = mail_sink.wait_for(lambda m: email in (m["To"] or "") or email in (m["X-Envelope-To"] or ""))
    body = mail_sink.body(msg)
    link = re.search(r"https?://\S*wp-login\.php\?action=rp\S*", body)
    assert link, f"no set-password link in: {body}"

    c = Client(None)
    r = c.http.get(link.group(0).rstrip(">"), timeout=TIMEOUT)  # sets the reset cookie, shows the form
    page = parse(r)
    form = page.one("form#resetpassform")
    assert form is not None, f"no reset form at {r.url}: {r.text[:300]}"
    data = form_fields(form)
    new_password = "Ivy-" + uuid.uuid4().hex
    data.update(pass1=new_password, pass2=new_password)
    data.setdefault("wp-submit", "Save Password")
    r = c.http.post(urllib.parse.urljoin(r.url, form.get("action")), data=data, timeout=TIMEOUT)
    assert r.status_code == 200 and ("password has been reset" in r.text.lower()), r.text[:500]

    ivy = Client(user["login"])
    ivy.login(password=new_password)
    refs = refs_of(all_pages(ivy, view="all"))
    assert sorted(refs) == sorted(EXPECTED_REFS["alice"]), "the invited login sees exactly Acme's orders"


# ------------------------------------------------------------- preview

def preview_refs(manager: Client, user_id: int) -> list[str]:
    url = f"{ADMIN}?page=pqm-preview&preview_user={user_id}&pqm_view=all"
    refs: list[str] = []
    seen = set()
    for _ in range(10):
        page = manager.get(url, check_safe=False)
        assert page.status == 200
        banner = page.one(".pqm-preview-banner")
        assert banner is not None and "Read-only" in banner.text
        frame = page.one(".pqm-preview-frame")
        refs += [a.get("data-ref") for a in frame.select("article.pqm-order")]
        for a in frame.select("a[href]"):
            href = urllib.parse.urljoin(page.url, a["href"])
            u = urllib.parse.urlparse(href)
            q = urllib.parse.parse_qs(u.query)
            assert u.path == "/wp-admin/admin.php" and q.get("page") == ["pqm-preview"] and q.get("preview_user") == [str(user_id)], \
                f"link leaves the preview: {href}"
        for f in frame.select("form"):
            if (f.get("method") or "get").lower() == "post":
                assert f.has_attr("inert") and not f.get("action"), "a POST form in the preview is live"
        nxt = frame.select_one("a[rel=next]")
        if not nxt:
            break
        url = urllib.parse.urljoin(page.url, nxt["href"])
        assert url not in seen
        seen.add(url)
    return refs


@pytest.mark.parametrize("who", ["alice", "carol", "dave", "bob"])
def test_preview_shows_exactly_what_that_login_sees(who, manager, login):
    uid = wp_eval(f"return get_user_by('login', '{who}')->ID;")
    before = snapshot()
    seen_in_preview = preview_refs(manager, uid)
    as_them = refs_of(all_pages(login(who), view="all"))
    assert seen_in_preview == as_them, f"preview of {who} differs from logging in as {who}"
    if who == "dave":
        page = manager.get(f"{ADMIN}?page=pqm-preview&preview_user={uid}", check_safe=False)
        assert page.one(".pqm-preview-frame .pqm-empty-access") is not None
    # Detail view inside the preview, and a foreign order looks missing there too.
    if as_them:
        page = manager.get(f"{ADMIN}?page=pqm-preview&preview_user={uid}&pqm_order={as_them[0]}", check_safe=False)
        assert page.one(f".pqm-preview-frame .pqm-order-detail[data-ref='{as_them[0]}']") is not None
        foreign = next(r for r in EXPECTED_REFS["bob"] + EXPECTED_REFS["alice"] if r not in as_them)
        page = manager.get(f"{ADMIN}?page=pqm-preview&preview_user={uid}&pqm_order={foreign}", check_safe=False)
        assert page.one(".pqm-preview-frame .pqm-not-found") is not None
    assert snapshot() == before, "previewing changed data"


def test_preview_is_for_account_managers_only(login):
    uid = wp_eval("return get_user_by('login', 'alice')->ID;")
    for who in ("alice", "sam"):
        r = login(who).http.get(ADMIN, params={"page": "pqm-preview", "preview_user": uid}, timeout=TIMEOUT, allow_redirects=False)
        assert r.status_code == 403 and "PQ-10" not in r.text


# ------------------------------------------------------------- portal off

def test_disabling_portal_takes_effect_on_next_request(manager, login):
    amy = login("amy")
    assert amy.panel().order_refs(), "amy sees orders before"
    acme = acme_id()
    url = f"{ADMIN}?page=pqm-accounts&account={acme}"
    try:
        data = admin_form(manager, url, "form.pqm-account-update")
        data["portal_enabled"] = "0"
        r = manager.http.post(ADMIN_POST, data=data, timeout=TIMEOUT)
        assert r.status_code == 200 and "saved" in r.text
        page = amy.panel()
        assert page.order_refs() == [] and page.one(".pqm-empty-access") is not None, "amy still sees orders after portal off"
        detail = amy.panel(order="PQ-1001")
        assert detail.one(".pqm-order-detail") is None and detail.one(".pqm-empty-access") is not None
    finally:
        data = admin_form(manager, url, "form.pqm-account-update")
        data["portal_enabled"] = "1"
        manager.http.post(ADMIN_POST, data=data, timeout=TIMEOUT)
    assert amy.panel().order_refs(), "amy sees orders again"

    # One login only.
    page = manager.get(url, check_safe=False)
    amy_id = wp_eval("return get_user_by('login', 'amy')->ID;")
    form = page.one(f"form#pqm-login-{amy_id}")
    fields = form_fields(form)
    fields.update(role="viewer", enabled="0", op="save")
    try:
        r = manager.http.post(ADMIN_POST, data=fields, timeout=TIMEOUT)
        assert r.status_code == 200 and "access off" in r.text
        assert amy.panel().order_refs() == []
        assert login("alice").panel().order_refs(), "alice (same account) keeps access"
    finally:
        fields["enabled"] = "1"
        manager.http.post(ADMIN_POST, data=fields, timeout=TIMEOUT)
    assert amy.panel().order_refs()


# ------------------------------------------------------------- commands

def test_commands_give_clear_errors_on_bad_input():
    for code, says in [
        ("PQM_Staff_Commands::order_get('PQ-0000');", "no order"),
        ("PQM_Staff_Commands::account_update(999999, ['name' => 'x']);", "no account"),
        ("PQM_Staff_Commands::status_set('Bad Key', ['internal_label' => 'x']);", "may only use"),
        ("PQM_Staff_Commands::order_search(['orderby' => 'cost_cents']);", "cannot sort"),
        ("PQM_Staff_Commands::account_invite(1, 'not-an-email');", "not a valid e-mail"),
    ]:
        out = subprocess.run(["php", str(REPO / "scripts/wp/eval.php"), "localhost", code],
                             capture_output=True, text=True, timeout=120, cwd=REPO)
        assert out.returncode != 0 and "PQM_Command_Error" in out.stderr and says in out.stderr.lower(), (code, out.stderr)


def test_doctor_passes_on_the_test_site():
    checks = wp_eval("return PQM_Staff_Commands::doctor();")
    assert {c["check"]: c["status"] for c in checks} == {
        "extension": "ok", "database": "ok", "schema": "ok", "panel_page": "ok", "file_storage": "ok"}, checks
