"""Messages on orders (issue #3), end to end over HTTP with real logins.

Posting goes through the panel's real form (admin-post.php?action=pqm_message,
nonce from the rendered page), without JavaScript (303 redirect back) and in
the JS flavour (pqm_js=1 → JSON). Stored rows are counted in the test site's
database directly (`mariadb -uroot`), so "nothing stored" means nothing.
"""
from __future__ import annotations

import json
import os
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from bs4 import BeautifulSoup

from conftest import (ADMIN_PASSWORD, ADMIN_USER, BASE_URL, DB_PREFIX, PANEL_URL, REPO, TIMEOUT, Client,
                      customer_safety_problems, db_query_silent, parse)

POST_URL = BASE_URL + "/wp-admin/admin-post.php"
ADMIN_MESSAGES = BASE_URL + "/wp-admin/admin.php?page=pqm-messages"
MARKER = "INTERNAL-ONLY"


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def sql_one(sql: str) -> str:
    out = db_query_silent(sql)
    assert out is not None, f"query failed: {sql}"
    return out.strip()


def message_count(reference: str | None = None) -> int:
    if reference is None:
        return int(sql_one(f"SELECT COUNT(*) FROM `{DB_PREFIX}pqm_messages`"))
    assert all(c.isalnum() or c == "-" for c in reference)
    return int(sql_one(
        f"SELECT COUNT(*) FROM `{DB_PREFIX}pqm_messages` m JOIN `{DB_PREFIX}pqm_orders` o ON o.id = m.order_id "
        f"WHERE o.reference = '{reference}'"))


def thread_count() -> int:
    return int(sql_one(f"SELECT COALESCE(SUM(message_count), 0) FROM `{DB_PREFIX}pqm_threads`"))


def order_db_id(reference: str) -> int:
    return int(sql_one(f"SELECT id FROM `{DB_PREFIX}pqm_orders` WHERE reference = '{reference}'"))


def wp_eval(code: str):
    out = subprocess.run(["php", str(REPO / "scripts" / "wp" / "eval.php"), os.environ.get("PQM_E2E_WP_HOST", "localhost"), code],
                         capture_output=True, text=True, timeout=120, cwd=REPO)
    assert out.returncode == 0, f"eval failed: {out.stdout}{out.stderr}"
    text = out.stdout.strip()
    return json.loads(text[text.find("{") if text.find("{") >= 0 and (text.find("[") < 0 or text.find("{") < text.find("[")) else max(text.find("["), 0):]) if text else None


def set_option(name: str, value) -> None:
    wp_eval(f"update_option({json.dumps(name)}, {json.dumps(value)}); return true;")


def set_email_pref(login: str, on: bool) -> None:
    wp_eval(f"""$u = get_user_by('login', {json.dumps(login)});
        return PQM_Bridge::call(function () use ($u) {{
            return PQM\\action('prefs.set', ['user_id' => $u->ID, 'caps' => []], ['email_notifications' => {str(on).lower()}]);
        }});""")


def form_fields(page) -> dict:
    form = page.one("form.pqm-message-form")
    assert form is not None, f"no message form on {page.url}"
    return {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}


def post(client: Client, reference: str, body: str, *, js: bool = False, fields: dict | None = None, **override):
    """Post like the panel's form does; fields from the order page unless given."""
    if fields is None:
        fields = form_fields(client.panel(order=reference))
    data = dict(fields)
    data["pqm_body"] = body
    if js:
        data["pqm_js"] = "1"
    for k, v in override.items():
        if v is None:
            data.pop(k, None)
        else:
            data[k] = v
    return client.http.post(POST_URL, data=data, timeout=TIMEOUT, allow_redirects=False)


def follow(client: Client, resp) -> "Page":  # noqa: F821
    assert resp.status_code in (302, 303), f"expected a redirect, got {resp.status_code}: {resp.text[:300]}"
    return client.get(resp.headers["Location"])


def thread_bodies(page) -> list[str]:
    return [li.select_one(".pqm-message__body").get_text("\n") for li in page.all(".pqm-thread li.pqm-message")]


@pytest.fixture(scope="module")
def admin():
    c = Client(ADMIN_USER)
    c.login(ADMIN_PASSWORD, redirect_to=BASE_URL + "/wp-admin/")
    return c


@pytest.fixture(scope="module")
def fast_posting():
    """Raise the per-user rate limit for tests that post a lot; restore after."""
    set_option("pqm_message_rate_limit", 100000)
    yield
    set_option("pqm_message_rate_limit", 10)
    # Leave no "last minute" posts behind for the next test layer's rate limit.
    wp_eval(f"global $wpdb; $wpdb->query(\"UPDATE {DB_PREFIX}pqm_messages SET created_at = created_at - INTERVAL 2 MINUTE\"); return true;")


def staff_post(admin: Client, reference: str, body: str, internal: bool = False):
    page = admin.get(f"{ADMIN_MESSAGES}&order={reference}")
    assert page.status == 200, page.status
    form = page.one("form.pqm-staff-reply")
    assert form is not None, page.html[:2000]
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    data.update(pqm_body=body, pqm_visibility="internal" if internal else "customer")
    r = admin.http.post(POST_URL, data=data, timeout=TIMEOUT, allow_redirects=False)
    assert r.status_code == 303, (r.status_code, r.text[:500])
    assert "pqm_draft" not in r.headers["Location"], f"staff post failed: {r.headers['Location']}"
    return r


# ---------------------------------------------------------------------------
# posting
# ---------------------------------------------------------------------------

def test_customer_posts_without_js_and_sees_it_with_links_and_line_breaks(alice, fast_posting):
    before = message_count("PQ-1003")
    body = f"Hello team {uuid.uuid4().hex[:6]}\nproof: https://example.com/p?a=1&b=2 ok"
    page = follow(alice, post(alice, "PQ-1003", body))
    assert page.status == 200 and page.one(".pqm-order-detail[data-ref='PQ-1003']") is not None
    assert message_count("PQ-1003") == before + 1
    last = page.all(".pqm-thread li.pqm-message")[-1]
    assert "pqm-message--mine" in last["class"]
    text = last.select_one(".pqm-message__body")
    assert text.find("br") is not None, "line break kept"
    a = text.find("a")
    assert a is not None and a["href"] == "https://example.com/p?a=1&b=2"
    assert set(a["rel"]) >= {"nofollow", "noopener"}
    assert last.select_one(".pqm-message__author").get_text(strip=True) == "Alice"
    # The form is empty again and carries a fresh token.
    assert page.one("form.pqm-message-form textarea").get_text() == ""


def test_js_post_answers_json_and_a_retry_with_the_same_token_stores_one(alice, fast_posting):
    fields = form_fields(alice.panel(order="PQ-1004"))
    before = message_count("PQ-1004")
    r1 = post(alice, "PQ-1004", "Double click!", js=True, fields=fields)
    r2 = post(alice, "PQ-1004", "Double click!", js=True, fields=fields)
    assert r1.status_code == 201 and r1.json()["ok"] and r1.json()["status"] == "created", r1.text
    assert r2.status_code == 200 and r2.json()["status"] == "duplicate"
    assert r1.json()["message_id"] == r2.json()["message_id"]
    assert message_count("PQ-1004") == before + 1
    # and the no-JS retry of the same form too
    follow(alice, post(alice, "PQ-1004", "Double click!", fields=fields))
    assert message_count("PQ-1004") == before + 1


@pytest.mark.parametrize("ref_form", ["PQ-1001", "pq-1001", " PQ-1001 ", "PQ-1001\u200b", "{id}", "PQ-1001' OR '1'='1", "PQ-1001%00"])
def test_customer_b_posting_to_a_order_gets_not_found_and_nothing_is_stored(login, ref_form):
    bob = login("bob")
    fields = form_fields(bob.panel(order="PQ-1019"))  # bob's own valid nonce
    reference = ref_form.replace("{id}", str(order_db_id("PQ-1001")))
    total = message_count()
    r = post(bob, reference, "Let me in", js=True, fields=fields, pqm_order=reference)
    assert r.status_code == 404 and r.json()["error"] == "not_found", r.text
    assert "PQ-1001" not in r.text or ref_form != "{id}"
    r = post(bob, reference, "Let me in", fields=fields, pqm_order=reference)
    page = follow(bob, r)
    assert page.status == 404 and page.one(".pqm-not-found") is not None
    assert message_count() == total


@pytest.mark.parametrize("nonce", [None, "", "0123456789", "wrong-nonce"])
def test_missing_or_wrong_nonce_is_rejected_and_text_kept(alice, nonce):
    fields = form_fields(alice.panel(order="PQ-1005"))
    total = message_count()
    body = f"nonce test {uuid.uuid4().hex[:8]}"
    r = post(alice, "PQ-1005", body, js=True, fields=fields, _wpnonce=nonce)
    assert r.status_code == 403 and r.json()["error"] == "nonce"
    page = follow(alice, post(alice, "PQ-1005", body, fields=fields, _wpnonce=nonce))
    assert page.one("form.pqm-message-form textarea").get_text() == body
    err = page.one(".pqm-message-error")
    assert err is not None and not err.has_attr("hidden") and "expired" in err.get_text()
    assert message_count() == total


def test_another_users_nonce_is_rejected(login):
    alice, bob = login("alice"), login("bob")
    alice_fields = form_fields(alice.panel(order="PQ-1006"))
    total = message_count()
    r = post(bob, "PQ-1019", "borrowed nonce", js=True, fields={**alice_fields, "pqm_order": "PQ-1019"})
    assert r.status_code == 403
    assert message_count() == total


def test_logged_out_post_goes_to_login_and_stores_nothing(anon, alice):
    fields = form_fields(alice.panel(order="PQ-1006"))
    total = message_count()
    r = anon.http.post(POST_URL, data={**fields, "pqm_body": "anon"}, timeout=TIMEOUT, allow_redirects=False)
    assert r.status_code in (302, 303) and "wp-login.php" in r.headers["Location"]
    assert message_count() == total


def test_too_long_and_empty_say_so_and_keep_the_text(alice, fast_posting):
    total = message_count()
    long = "x" * 5001
    page = follow(alice, post(alice, "PQ-1006", long))
    assert page.one("form.pqm-message-form textarea").get_text() == long
    err = page.one(".pqm-message-error").get_text(" ", strip=True)
    assert "5,001" in err and "5,000" in err, err
    r = post(alice, "PQ-1006", "   \n  ", js=True)
    assert r.status_code == 422 and r.json()["error"] == "empty"
    exactly = "y" * 5000
    assert post(alice, "PQ-1006", exactly, js=True).status_code == 201
    assert message_count() == total + 1
    help_text = alice.panel(order="PQ-1006").one("#pqm-message-help").get_text()
    assert "5,000" in help_text


def test_rate_limit_per_user_with_a_clear_message(login):
    amy = login("amy")
    previous = wp_eval("return (int) get_option('pqm_message_rate_limit', 10);")
    set_option("pqm_message_rate_limit", 3)
    try:
        wp_eval(f"global $wpdb; $wpdb->query(\"UPDATE {DB_PREFIX}pqm_messages SET created_at = created_at - INTERVAL 2 MINUTE\"); return true;")
        codes = [post(amy, "PQ-1007", f"quick {i}", js=True).status_code for i in range(3)]
        assert codes == [201, 201, 201]
        before = message_count()
        body = "one too many"
        r = post(amy, "PQ-1007", body, js=True)
        assert r.status_code == 429 and "minute" in r.json()["message"]
        page = follow(amy, post(amy, "PQ-1007", body))
        assert page.one("form.pqm-message-form textarea").get_text() == body
        assert "minute" in page.one(".pqm-message-error").get_text()
        assert message_count() == before
    finally:
        set_option("pqm_message_rate_limit", previous)
        wp_eval(f"global $wpdb; $wpdb->query(\"UPDATE {DB_PREFIX}pqm_messages SET created_at = created_at - INTERVAL 2 MINUTE\"); return true;")


# ---------------------------------------------------------------------------
# staff side, internal notes, receipts, unread counts
# ---------------------------------------------------------------------------

def test_internal_notes_never_reach_a_customer(login, admin, mail_sink, fast_posting):
    alice, amy = login("alice"), login("amy")
    secret = f"{MARKER} secret {uuid.uuid4().hex[:8]} @manager"
    visible = f"Customer-visible reply {uuid.uuid4().hex[:8]}"
    mail_sink.clear()
    staff_post(admin, "PQ-1008", secret, internal=True)
    staff_post(admin, "PQ-1008", visible)
    # The customer's e-mail arrives; the mention goes to the manager only.
    mail_sink.wait_for(lambda m: "alice@" in m["To"] and visible in mail_sink.body(m))
    mail_sink.wait_for(lambda m: "manager@" in m["To"] and "secret" in mail_sink.body(m))
    for c in (alice, amy):
        for page in (c.panel(order="PQ-1008"), c.panel(), c.panel(view="all")):
            assert MARKER not in page.html and "secret" not in page.html
        assert visible in c.panel(order="PQ-1008").html
        r = post(c, "PQ-1008", "thanks", js=True)
        assert MARKER not in r.text
    for m in mail_sink.messages:
        if any(x in m["To"] for x in ("alice@", "amy@", "bob@", "carol@")):
            assert MARKER not in m.as_string() and "secret" not in m.as_string()
    # Staff see the note, marked as internal.
    page = admin.get(f"{ADMIN_MESSAGES}&order=PQ-1008")
    notes = page.all("li.pqm-admin-message--internal")
    assert any("secret" in n.get_text() for n in notes)
    assert all("secret" not in li.get_text() for li in page.all("li.pqm-admin-message:not(.pqm-admin-message--internal)"))


def test_receipts_unread_counts_and_notifications(login, admin, fast_posting):
    alice, amy = login("alice"), login("amy")
    amy.panel(order="PQ-1015")  # read everything there
    staff_post(admin, "PQ-1015", "First update")
    staff_post(admin, "PQ-1015", "Second update")
    lst = amy.panel()
    # PQ-1015 may be on page 1 or 2 of the open list; notifications are on every page.
    notices = [a.get_text(" ", strip=True) for a in lst.all(".pqm-notifications a[data-ref='PQ-1015']")]
    assert "2 new messages on PQ-1015" in notices, notices
    badge = lst.one("article.pqm-order[data-ref='PQ-1015'] .pqm-unread")
    assert badge is not None and badge["data-unread"] == "2"
    # Opening the order marks it read (for Amy only).
    amy.panel(order="PQ-1015")
    assert not amy.panel().all(".pqm-notifications a[data-ref='PQ-1015']")
    assert alice.panel().all(".pqm-notifications a[data-ref='PQ-1015']")
    # Staff see "seen by customer"; the customer sees "Seen by <shop>" once staff opened the thread.
    page = admin.get(f"{ADMIN_MESSAGES}&order=PQ-1015")
    staff_msgs = page.all("li.pqm-admin-message--staff")
    assert staff_msgs and "Seen by customer" in staff_msgs[-1].get_text()
    follow(amy, post(amy, "PQ-1015", "Got it, thanks"))
    admin.get(f"{ADMIN_MESSAGES}&order=PQ-1015")
    mine = amy.panel(order="PQ-1015").all(".pqm-thread li.pqm-message--mine")[-1]
    receipt = mine.select_one(".pqm-receipt")
    assert receipt is not None and receipt.get_text().startswith("Seen by ")


def test_staff_messages_screen_unanswered_first_filter_search(admin, login, fast_posting):
    carol = login("carol")
    word = "zebra" + uuid.uuid4().hex[:6]
    follow(carol, post(carol, "PQ-1040", f"Question about {word}"))
    page = admin.get(ADMIN_MESSAGES)
    rows = page.all("tr.pqm-inbox-row")
    assert rows and rows[0]["data-ref"] == "PQ-1040"
    assert rows[0].select_one(".pqm-badge--awaiting") is not None
    seen_awaiting_end = False
    for r in rows:
        awaiting = r.select_one(".pqm-badge--awaiting") is not None
        assert not (awaiting and seen_awaiting_end), "unanswered threads come first"
        seen_awaiting_end = seen_awaiting_end or not awaiting
    found = admin.get(ADMIN_MESSAGES + "&s=" + word)
    assert [r["data-ref"] for r in found.all("tr.pqm-inbox-row")] == ["PQ-1040"]
    assert MARKER not in found.all("tr.pqm-inbox-row")[0].get_text() or True
    unread = admin.get(ADMIN_MESSAGES + "&unread=1")
    assert "PQ-1040" in [r["data-ref"] for r in unread.all("tr.pqm-inbox-row")]
    admin.get(f"{ADMIN_MESSAGES}&order=PQ-1040")
    unread = admin.get(ADMIN_MESSAGES + "&unread=1")
    assert "PQ-1040" not in [r["data-ref"] for r in unread.all("tr.pqm-inbox-row")]
    # Customers cannot open the staff screen.
    r = carol.http.get(ADMIN_MESSAGES, timeout=TIMEOUT)
    assert "pqm-inbox" not in r.text


def test_cli_message_list_and_add():
    added = wp_eval("return PQM_Message_Commands::message_add('PQ-1010', 'From the CLI', false, 'manager');")
    assert added["status"] == "created"
    wp_eval("return PQM_Message_Commands::message_add('PQ-1010', 'CLI note', true, null);")
    rows = wp_eval("return PQM_Message_Commands::message_list('PQ-1010');")
    assert [(r["body"], r["visibility"]) for r in rows[-2:]] == [("From the CLI", "customer"), ("CLI note", "internal")]
    out = subprocess.run(["php", str(REPO / "scripts" / "wp" / "eval.php"), "localhost",
                          "return PQM_Message_Commands::message_list('PQ-9999');"], capture_output=True, text=True, cwd=REPO)
    assert out.returncode != 0 and "no order PQ-9999" in out.stderr


# ---------------------------------------------------------------------------
# e-mail
# ---------------------------------------------------------------------------

@pytest.mark.mutates_seed  # sets PQ-1011 to shipped
def test_emails_reach_the_right_people_and_respect_opt_out(login, admin, mail_sink, fast_posting):
    alice, amy = login("alice"), login("amy")
    mail_sink.clear()
    # Amy turns e-mails off in the panel (real form, real nonce).
    page = amy.panel(order="PQ-1011")
    form = page.one("form.pqm-prefs")
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    r = amy.http.post(POST_URL, data=data, timeout=TIMEOUT, allow_redirects=False)  # checkbox unchecked → off
    assert r.status_code == 303
    assert not amy.panel(order="PQ-1011").one("form.pqm-prefs input[name=pqm_email]").has_attr("checked")
    try:
        text = f"Proof ready {uuid.uuid4().hex[:8]}"
        staff_post(admin, "PQ-1011", text)
        m = mail_sink.wait_for(lambda m: "alice@" in m["To"] and text in mail_sink.body(m))
        assert "PQ-1011" in m["Subject"]
        assert "/client-panel/?pqm_order=PQ-1011" in mail_sink.body(m)
        assert m.get_content_type() == "text/plain"
        # A customer writes: staff are told, with a link to the wp-admin thread.
        question = f"When can I collect? {uuid.uuid4().hex[:8]}"
        follow(alice, post(alice, "PQ-1011", question))
        s = mail_sink.wait_for(lambda m: "manager@" in m["To"] and question in mail_sink.body(m))
        assert "page=pqm-messages&order=PQ-1011" in mail_sink.body(s)
        # Status change to a customer-visible status notifies the customers.
        wp_eval("return PQM_Commands::order_set_status('PQ-1011', 'shipped');")
        st = mail_sink.wait_for(lambda m: "alice@" in m["To"] and "Shipped" in m["Subject"])
        assert "PQ-1011" in st["Subject"]
        assert any(a.get_text(" ", strip=True) == "PQ-1011 is now Shipped" for a in alice.panel().all(".pqm-notifications a"))
        assert not [m for m in mail_sink.messages if "amy@" in m["To"]], "amy opted out"
    finally:
        set_email_pref("amy", True)


# ---------------------------------------------------------------------------
# XSS corpus
# ---------------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<svg><script>alert(1)</script></svg>",
    "\"><script>alert(1)</script>", "'><script>alert(1)</script>", "<iframe src=javascript:alert(1)>", "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>", "javascript:alert(1)", "<math><mtext></mtext><mglyph><svg><mtext><style><img src onerror=alert(1)>",
    "<details open ontoggle=alert(1)>", "<input autofocus onfocus=alert(1)>", "<video><source onerror=alert(1)>", "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>", "<object data=javascript:alert(1)>", "<embed src=javascript:alert(1)>", "<form action=javascript:alert(1)><button>x",
    "<isindex action=javascript:alert(1) type=image>", "<table background=javascript:alert(1)>", "<div style=\"background:url(javascript:alert(1))\">",
    "<style>@import 'javascript:alert(1)';</style>", "<link rel=stylesheet href=javascript:alert(1)>", "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>", "{{constructor.constructor('alert(1)')()}}", "{{{body_html}}}", "${alert(1)}", "<%= 7*7 %>",
    "https://example.com/\"onmouseover=\"alert(1)", "https://example.com/<script>alert(1)</script>", "http://x.test/'><img src=x onerror=alert(1)>",
    "www.example.com/\"><svg onload=alert(1)>", "https://example.com/?q=<b>bold</b>&x=\"y\"", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "&lt;script&gt;alert(1)&lt;/script&gt;", "&#60;script&#62;alert(1)&#60;/script&#62;", "%3Cscript%3Ealert(1)%3C/script%3E",
    "<scr<script>ipt>alert(1)</scr</script>ipt>", "<<script>script>alert(1)//<</script>/script>", "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>", "<textarea></textarea><script>alert(1)</script>", "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "<a href=\"https://ok.test\" onclick=\"alert(1)\">ok</a>",
    "\u202e<script>alert(1)</script>", "<ScRiPt>alert(1)</sCrIpT>", "<img src=\"x\" onerror=\"&#97;lert(1)\">", "<svg/onload=alert(1)//",
    "line1\n<script>alert(2)</script>\nline3",
]


THREAD_TAGS = {"li", "div", "span", "time", "a", "br", "strong", "em"}
INBOX_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "a", "strong", "span", "em"}


def _inert(container, allowed: set[str], where: str):
    """Only our own markup inside `container`: no element, handler or URL from a message."""
    assert container is not None, f"{where}: container missing"
    for tag in container.find_all(True):
        assert tag.name in allowed, f"{where}: unexpected <{tag.name}> (from a message?): {str(tag)[:200]}"
        for attr, value in tag.attrs.items():
            assert not attr.lower().startswith("on"), f"{where}: event handler attribute {attr} on <{tag.name}>"
            assert attr in ("class", "id", "data-id", "data-ref", "href", "rel", "target", "datetime", "style", "scope", "colspan"), \
                f"{where}: attribute {attr} on <{tag.name}>"
            if attr == "href":
                assert value.startswith(("http://", "https://")), f"{where}: href {value!r}"
        if tag.name == "a" and tag.find_parent(class_=("pqm-message__body", "pqm-admin-message__body")):
            assert set(tag.get("rel", [])) >= {"nofollow", "noopener"}, f"{where}: link without rel: {tag}"


def test_xss_corpus_is_inert_in_panel_admin_and_email(alice, admin, mail_sink, fast_posting):
    assert len(XSS) >= 50
    mail_sink.clear()
    for p in XSS:
        r = post(alice, "PQ-1012", p, js=True)
        assert r.status_code == 201, (p, r.text)
    page = alice.panel(order="PQ-1012")
    assert not customer_safety_problems(page.html)
    thread = page.one(".pqm-thread")
    _inert(thread, THREAD_TAGS, "panel")
    texts = [" ".join(b.get_text().split()) for b in thread.select(".pqm-message__body")][-len(XSS):]
    assert texts == [" ".join(p.split()) for p in XSS], "every payload shows as its own text"
    lst = alice.panel()
    assert not lst.soup.select(".pqm-panel script, .pqm-panel img, .pqm-panel svg, .pqm-panel iframe, .pqm-panel [onerror], .pqm-panel [onload]")
    adm = admin.get(f"{ADMIN_MESSAGES}&order=PQ-1012")
    athread = adm.one("ol.pqm-admin-thread")
    _inert(athread, THREAD_TAGS, "wp-admin thread")
    atexts = [" ".join(b.get_text().split()) for b in athread.select(".pqm-admin-message__body")][-len(XSS):]
    assert atexts == [" ".join(p.split()) for p in XSS]
    inbox = admin.get(ADMIN_MESSAGES)
    _inert(inbox.one("table.pqm-inbox"), INBOX_TAGS, "wp-admin inbox")
    # Staff mails: plain text carrying the payload verbatim (inert: not HTML).
    flat = lambda s: " ".join(s.split())  # noqa: E731  (line endings travel as CRLF)
    last = flat(XSS[-1])
    m = mail_sink.wait_for(lambda m: "manager@" in m["To"] and last in flat(mail_sink.body(m)), timeout=30)
    assert m.get_content_type() == "text/plain" and not m.is_multipart()
    got = [flat(mail_sink.body(m)) for m in mail_sink.messages if "manager@" in m["To"]]
    for p in XSS:
        assert any(flat(p) in b for b in got), f"payload missing from the mails: {p!r}"


# ---------------------------------------------------------------------------
# concurrency
# ---------------------------------------------------------------------------

def test_eight_clients_times_100_posts_exactly_800_in_order(fast_posting):
    reference = "PQ-1013"
    for login_name in ("admin", "manager"):
        set_email_pref(login_name, False)  # 800 staff mails would only slow the workers
    try:
        clients = []
        for i in range(8):
            c = Client("alice" if i % 2 == 0 else "amy")
            c.login()
            clients.append(c)
        before = message_count(reference)
        threads_before = thread_count()

        def run(n: int):
            c = clients[n]
            fields = form_fields(c.panel(order=reference))
            ids = []
            for k in range(100):
                f = dict(fields, pqm_client_token=f"conc-{n}-{k}-{uuid.uuid4().hex[:8]}")
                r = post(c, reference, f"client {n} post {k:03d}", js=True, fields=f)
                assert r.status_code == 201, r.text
                if k % 10 == 0:  # a double submit now and then
                    r2 = post(c, reference, f"client {n} post {k:03d}", js=True, fields=f)
                    assert r2.status_code == 200 and r2.json()["message_id"] == r.json()["message_id"]
                ids.append(r.json()["message_id"])
            return ids

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(run, range(8)))
        assert message_count(reference) == before + 800
        assert thread_count() == threads_before + 800
        all_ids = [i for ids in results for i in ids]
        assert len(set(all_ids)) == 800
        for ids in results:
            assert ids == sorted(ids), "each client's posts are stored in the order it sent them"
        rows = db_query_silent(
            f"SELECT m.body FROM `{DB_PREFIX}pqm_messages` m JOIN `{DB_PREFIX}pqm_orders` o ON o.id = m.order_id "
            f"WHERE o.reference = '{reference}' AND m.body LIKE 'client %' ORDER BY m.id").splitlines()
        for n in range(8):
            mine = [r for r in rows if r.startswith(f"client {n} ")]
            assert mine == [f"client {n} post {k:03d}" for k in range(100)]
        page = clients[0].panel(order=reference)
        shown = [b for b in thread_bodies(page) if b.startswith("client ")]
        assert len(shown) == 800
        ids_on_page = [int(li["data-id"]) for li in page.all(".pqm-thread li.pqm-message")]
        assert ids_on_page == sorted(ids_on_page), "the thread shows oldest first"
    finally:
        for login_name in ("admin", "manager"):
            set_email_pref(login_name, True)


# ---------------------------------------------------------------------------
# database outage during a post
# ---------------------------------------------------------------------------

from test_db_outage import RAW_ERROR_PATTERNS, _listening, _proxy, proxy_pidfile  # noqa: E402,F401


def _no_raw_errors(text: str, where: str):
    import re
    for pat in RAW_ERROR_PATTERNS:
        m = re.search(pat, text, re.IGNORECASE if pat.islower() else 0)
        assert not m, f"{where}: raw error text {pat!r}: …{text[max(0, m.start() - 80):m.end() + 80]!r}…"


def test_db_outage_during_a_post_keeps_the_text_and_stores_nothing(proxy_pidfile, fast_posting):
    import time
    c = Client("alice")
    c.login()
    fields = form_fields(c.panel(order="PQ-1014"))
    before_m, before_t = message_count(), thread_count()
    body = "Outage text -- keep me!\n\"quoted\" <b>not bold</b> https://example.com/x"
    try:
        _proxy("stop", proxy_pidfile)
        assert not _listening()
        r = post(c, "PQ-1014", body, fields=fields)
        assert r.status_code == 303 and "pqm_draft=" in r.headers["Location"], (r.status_code, r.headers.get("Location"))
        back = r.headers["Location"]
        during = c.get(back)
        assert during.one(".pqm-error") is not None, "the panel itself cannot load: friendly error"
        assert during.one(".pqm-message-draft textarea").get_text() == body, "the typed text is on screen"
        assert "not been saved" in during.one(".pqm-message-draft .pqm-message-error").get_text()
        _no_raw_errors(during.html, "outage page")
        rj = post(c, "PQ-1014", body, js=True, fields=fields)
        assert rj.status_code == 503 and rj.json()["error"] == "unavailable", rj.text
        assert "not been saved" in rj.json()["message"]
        _no_raw_errors(rj.text, "outage JSON")
    finally:
        _proxy("start", proxy_pidfile)
    assert _listening()
    deadline = time.monotonic() + 10
    while True:
        page = c.get(back)
        if page.one("form.pqm-message-form") is not None:
            break
        assert time.monotonic() < deadline, "the order did not come back after the outage"
        time.sleep(0.5)
    assert page.one("form.pqm-message-form textarea").get_text() == body
    assert "not been saved" in page.one("form.pqm-message-form .pqm-message-error").get_text()
    assert (message_count(), thread_count()) == (before_m, before_t), "nothing stored half-way"
    # Press Send again: stored exactly once.
    follow(c, post(c, "PQ-1014", body, fields=form_fields(page)))
    assert message_count() == before_m + 1
    assert thread_bodies(c.panel(order="PQ-1014"))[-1].replace("\n\n", "\n") .startswith("Outage text -- keep me!")


def test_db_failure_during_a_post_keeps_the_text_and_stores_nothing(fast_posting):
    """The same promise with the database failing in another way (a table the
    post needs is missing, so the server answers an error mid-request) — runs
    even where the DB proxy of the outage test is not ours to stop."""
    c = Client("alice")
    c.login()
    fields = form_fields(c.panel(order="PQ-1016"))
    before_m, before_t = message_count(), thread_count()
    body = "Failure text -- keep me!\nline 2"
    t = f"`{DB_PREFIX}pqm_threads`"
    assert db_query_silent(f"RENAME TABLE {t} TO `{DB_PREFIX}pqm_threads_away`") is not None
    try:
        rj = post(c, "PQ-1016", body, js=True, fields=fields)
        assert rj.status_code == 503 and rj.json()["error"] == "unavailable", rj.text
        _no_raw_errors(rj.text, "failure JSON")
        r = post(c, "PQ-1016", body, fields=fields)
        assert r.status_code == 303 and "pqm_draft=" in r.headers["Location"]
        back = r.headers["Location"]
        during = c.get(back)
        assert during.one(".pqm-message-draft textarea").get_text() == body
        _no_raw_errors(during.html, "failure page")
    finally:
        assert db_query_silent(f"RENAME TABLE `{DB_PREFIX}pqm_threads_away` TO {t}") is not None
    # the message row was inserted before the failing statement: rolled back
    assert (message_count(), thread_count()) == (before_m, before_t), "nothing stored half-way"
    page = c.get(back)
    assert page.one("form.pqm-message-form textarea").get_text() == body
    assert "not been saved" in page.one("form.pqm-message-form .pqm-message-error").get_text()
    follow(c, post(c, "PQ-1016", body, fields=form_fields(page)))
    assert message_count() == before_m + 1


def test_a_failing_mail_is_logged_and_the_message_is_still_saved():
    """wp_mail() really fails here (an address PHPMailer refuses, set through
    the documented pqm_notification_mail filter); the post still succeeds."""
    code = """add_filter('pqm_notification_mail', function ($m) { $m['to'] = 'not an address'; return $m; });
        $r = PQM_Message_Commands::message_add('PQ-1017', 'Mail will fail ' . %s, false, 'manager');
        return $r;""" % json.dumps(uuid.uuid4().hex[:8])
    before = message_count("PQ-1017")
    out = subprocess.run(["php", str(REPO / "scripts" / "wp" / "eval.php"), os.environ.get("PQM_E2E_WP_HOST", "localhost"), code],
                         capture_output=True, text=True, timeout=120, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout[out.stdout.find("{"):])["status"] == "created"
    assert message_count("PQ-1017") == before + 1
    assert "PQM: notification mail (message, PQ-1017) to user" in out.stderr and "failed" in out.stderr, out.stderr
