"""Files, versions and approvals over real HTTP with real logins (issue #4).

Demo data (docs/demo-data.md): alice's order PQ-1018 has a Proof in two
versions (approval pending on v2) and an internal production file.
Tests that change state make their own files/approvals on other orders.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
import requests

from conftest import BASE_URL, DB_NAME, DB_PREFIX, REPO, TIMEOUT, Client, parse

HOST = os.environ.get("PQM_E2E_WP_HOST", "localhost")
STORAGE = Path("/var/lib/pqm-client-panel/files-test")
ADMIN_POST = BASE_URL + "/wp-admin/admin-post.php"
DEMO_ORDER = "PQ-1018"


def php(code: str):
    out = subprocess.run(["php", str(REPO / "scripts/wp/eval.php"), HOST, code], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert out.returncode == 0, f"eval failed: {out.stderr}\n{out.stdout}"
    text = out.stdout.strip()
    return json.loads(text) if text else None


def sql(q: str) -> str:
    out = subprocess.run(["mariadb", "-uroot", "--batch", "--skip-column-names", DB_NAME, "-e", q], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout


def pdf(text: str, pad: int = 0) -> bytes:
    body = f"%PDF-1.4\n1 0 obj << >> endobj\n% {text}\n".encode() + b" " * pad + b"\n%%EOF\n"
    return body


def add_file(order: str, name: str, data: bytes, type_: str = "proof", **opts) -> dict:
    src = Path("/tmp") / f"pqm-e2e-{os.getpid()}-{time.time_ns()}-{name.replace('/', '_')}"
    src.write_bytes(data)
    try:
        o = json.dumps({"name": name, **opts})
        return php(f"return PQM_File_Commands::file_add({json.dumps(order)}, {json.dumps(str(src))}, {json.dumps(type_)}, json_decode({json.dumps(o)}, true));")
    finally:
        src.unlink(missing_ok=True)


def file_list(order: str) -> list[dict]:
    return php(f"return PQM_File_Commands::file_list({json.dumps(order)});")


def user_id(login: str) -> int:
    return int(php(f"return get_user_by('login', {json.dumps(login)})->ID;"))


def storage_files() -> list[str]:
    return sorted(str(p) for p in STORAGE.rglob("*") if p.is_file())


def dl(client: Client, **params) -> requests.Response:
    return client.http.get(ADMIN_POST, params={"action": "pqm_download", **params}, timeout=TIMEOUT, allow_redirects=False)


def detail(client: Client, ref: str, **extra):
    return client.panel(order=ref, **extra)


def nonce_of(page) -> str:
    field = page.one("form.pqm-upload input[name=_wpnonce]") or page.one("form.pqm-decide-form input[name=_wpnonce]")
    assert field is not None, "no panel form with a nonce"
    return field["value"]


def post(client: Client, data: dict, files=None) -> requests.Response:
    return client.http.post(ADMIN_POST, data=data, files=files, timeout=TIMEOUT, allow_redirects=False)


def follow(client: Client, r: requests.Response):
    assert r.status_code in (302, 303), f"expected a redirect, got {r.status_code}: {r.text[:300]}"
    return client.get(urllib.parse.urljoin(r.url, r.headers["Location"]))


# ---------------------------------------------------------------------------


def test_customer_sees_versions_sizes_hashes_and_waiting_for_approval(alice):
    page = detail(alice, DEMO_ORDER)
    assert page.status == 200
    files = page.all("li.pqm-file")
    assert len(files) == 1, "the proof only: the internal production file is never listed"
    proof = files[0]
    assert proof.select_one(".pqm-file__title").get_text(strip=True) == "Proof"
    assert proof.select_one(".pqm-file__version").get_text(strip=True) == "2"
    assert re.fullmatch(r"[0-9a-f]{64}", proof.select_one("code.pqm-sha").get_text(strip=True))
    assert proof.select(".pqm-older li[data-version='1']"), "v1 stays downloadable"
    assert "imposition" not in page.html and "Production file" not in page.html
    assert page.one(".pqm-badge--approval") and "Waiting for your approval" in page.one(".pqm-approvals").get_text()
    assert page.one("form.pqm-decide-form--approve"), "alice is an approver"
    listing = alice.panel()
    card = listing.one(f"article.pqm-order[data-ref='{DEMO_ORDER}']")
    assert card is not None and card.select_one(".pqm-badge--approval"), "the list says so too"


def test_download_streams_the_exact_version_with_safe_headers(alice):
    page = detail(alice, DEMO_ORDER)
    proof = page.one("li.pqm-file")
    sha = proof.select_one("code.pqm-sha").get_text(strip=True)
    r = alice.http.get(urllib.parse.urljoin(page.url, proof.select_one("a.pqm-download")["href"]), timeout=TIMEOUT)
    assert r.status_code == 200
    assert hashlib.sha256(r.content).hexdigest() == sha
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["Content-Disposition"].startswith('attachment; filename="business-cards-proof.pdf"')
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in r.headers["Cache-Control"]
    inline = alice.http.get(urllib.parse.urljoin(page.url, proof.select_one("a.pqm-open")["href"]), timeout=TIMEOUT)
    assert inline.status_code == 200 and inline.headers["Content-Disposition"].startswith("inline")
    v1 = proof.select_one(".pqm-older li[data-version='1'] a.pqm-download")["href"]
    old = alice.http.get(urllib.parse.urljoin(page.url, v1), timeout=TIMEOUT)
    assert old.status_code == 200 and hashlib.sha256(old.content).hexdigest() != sha


def test_every_way_to_name_a_file_it_may_not_see_is_the_same_not_found(alice, login):
    bob = login("bob")
    rows = file_list(DEMO_ORDER)
    proof = [r for r in rows if r["type_slug"] == "proof"]
    internal = [r for r in rows if r["internal"]][0]
    hidden = add_file("PQ-1017", "draft.pdf", pdf("unshared draft"), unshared=True)
    shared_v1 = add_file("PQ-1017", "other.pdf", pdf("shared elsewhere"), type_="final")
    baseline = dl(alice, order=DEMO_ORDER, file="99999999")
    assert baseline.status_code == 404
    probes = [
        (bob, dict(order=DEMO_ORDER, file=proof[0]["file_id"])),
        (bob, dict(order=DEMO_ORDER, version_id=proof[0]["version_id"])),
        (bob, dict(order=DEMO_ORDER, sha256=proof[0]["sha256"])),
        (bob, dict(order="PQ-1019", file=proof[0]["file_id"])),
        (bob, dict(order="PQ-1019", version_id=proof[0]["version_id"])),
        (bob, dict(order="PQ-1019", sha256=proof[0]["sha256"])),
        (alice, dict(order=DEMO_ORDER, file=internal["file_id"])),
        (alice, dict(order=DEMO_ORDER, version_id=internal["version_id"])),
        (alice, dict(order=DEMO_ORDER, sha256=internal["sha256"])),
        (alice, dict(order="PQ-1017", file=hidden["file_id"])),
        (alice, dict(order="PQ-1017", version_id=hidden["version_id"])),
        (alice, dict(order="PQ-1017", sha256=hidden["sha256"])),
        # file X on order Y: refused unless X belongs to Y
        (alice, dict(order=DEMO_ORDER, file=shared_v1["file_id"])),
        (alice, dict(order=DEMO_ORDER, version_id=shared_v1["version_id"])),
        (alice, dict(order=DEMO_ORDER, file=proof[0]["file_id"], version_id=shared_v1["version_id"])),
        (alice, dict(order="PQ-1017", token="1.2.3.abcd")),
    ]
    for who, params in probes:
        r = dl(who, **params)
        assert (r.status_code, r.text) == (baseline.status_code, baseline.text), f"{who.user} {params}"
        assert b"%PDF" not in r.content
    # The same names work for the right person on the right order.
    assert dl(alice, order="PQ-1017", file=shared_v1["file_id"]).status_code == 200
    assert dl(alice, order=DEMO_ORDER, sha256=proof[0]["sha256"]).status_code == 200


def test_signed_links_need_the_right_login_and_expire(alice, login, anon):
    amy = login("amy")
    proof = [r for r in file_list(DEMO_ORDER) if r["type_slug"] == "proof"][0]
    alice_id = user_id("alice")
    url = php(f"return PQM_Files::signed_url('{DEMO_ORDER}', {proof['version_id']}, {alice_id}, 3600);")
    r = alice.http.get(url, timeout=TIMEOUT)
    assert r.status_code == 200 and hashlib.sha256(r.content).hexdigest() == proof["sha256"]
    assert amy.http.get(url, timeout=TIMEOUT).status_code == 404, "another login of the same account"
    r = anon.http.get(url, timeout=TIMEOUT, allow_redirects=False)
    assert r.status_code == 302 and "wp-login.php" in r.headers["Location"], "logged out: log in first"
    token = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["token"][0]
    v, u, e, tag = token.split(".")
    tampered = f"{v}.{u}.{int(e) + 3600}.{tag}"
    assert dl(alice, order=DEMO_ORDER, token=tampered).status_code == 404
    # An expired link, signed with the real site secret.
    secret = php("return PQM_Files::link_secret();").encode()
    exp = int(time.time()) - 10
    mac = hmac.new(secret, f"pqm-download-v1|{DEMO_ORDER}|{v}|{alice_id}|{exp}".encode(), hashlib.sha256).hexdigest()
    r = dl(alice, order=DEMO_ORDER, token=f"{v}.{alice_id}.{exp}.{mac}")
    assert r.status_code == 404 and b"%PDF" not in r.content
    fresh = hmac.new(secret, f"pqm-download-v1|{DEMO_ORDER}|{v}|{alice_id}|{exp + 3600}".encode(), hashlib.sha256).hexdigest()
    assert dl(alice, order=DEMO_ORDER, token=f"{v}.{alice_id}.{exp + 3600}.{fresh}").status_code == 200, "the same link, not expired"


def test_customer_upload_odd_names_cannot_escape_or_execute(alice):
    ref = "PQ-1016"
    before = {r["version_id"] for r in file_list(ref)}
    names = ["../../../../wp-config.php", "evil.php", "x" * 400 + ".pdf", "Übersicht – Entwurf ✓.pdf", "a\x00b.pdf"]
    for i, name in enumerate(names):
        page = detail(alice, ref)
        r = post(alice, {"action": "pqm_upload", "order": ref, "_wpnonce": nonce_of(page)},
                 files={"pqm_file": (name, pdf(f"upload {i}"), "application/x-httpd-php")})
        shown = follow(alice, r)
        assert shown.one("[data-notice='uploaded']"), f"{name!r}: {shown.one('.pqm-notice')}"
    rows = [r for r in file_list(ref) if r["version_id"] not in before]
    assert len(rows) == len(names)
    for row in rows:
        assert row["file_name"].endswith(".pdf") and "/" not in row["file_name"] and "\x00" not in row["file_name"], row
        assert len(row["file_name"]) <= 120
        assert Path(STORAGE, row["sha256"][:2], row["sha256"]).is_file()
    assert not Path("/var/lib/wordpress/wp-config.php").exists() or b"upload" not in Path("/var/lib/wordpress/wp-config.php").read_bytes()
    # Served as a PDF attachment, never run.
    evil = [r for r in rows if r["file_name"].startswith("evil.php")][0]
    got = dl(alice, order=ref, version_id=evil["version_id"])
    assert got.status_code == 200 and got.headers["Content-Type"] == "application/pdf" and got.content.startswith(b"%PDF")
    # Path-ish parameters on the download endpoint read nothing.
    for params in [dict(order=ref, sha256="../../../../etc/passwd"), dict(order="../../etc/passwd", file="1"),
                   dict(order=ref, file="../1"), dict(order=ref, version_id="1/../../2"), dict(order=ref, sha256="%00")]:
        r = dl(alice, **params)
        assert r.status_code == 404 and b"root:" not in r.content, params


def test_storage_is_not_reachable_over_http(alice):
    rows = file_list(DEMO_ORDER)
    sha = rows[0]["sha256"]
    rel = f"{sha[:2]}/{sha}"
    guesses = [
        f"/pqm-protected-files/{rel}",
        f"/wp-content/uploads/pqm-client-panel/files/{rel}",
        f"/wp-content/uploads/{rel}",
        f"/wp-content/plugins/pqm-client-panel/files/{rel}",
        f"/var/lib/pqm-client-panel/files-test/{rel}",
        f"/files-test/{rel}",
        f"/{rel}",
        f"/wp-content/../../pqm-client-panel/files-test/{rel}",
        f"/wp-content/..%2f..%2fpqm-client-panel/files-test/{rel}",
    ]
    for g in guesses:
        r = alice.http.get(BASE_URL + g, timeout=TIMEOUT, allow_redirects=False)
        assert r.status_code in (400, 403, 404), f"{g} -> {r.status_code}"
        assert hashlib.sha256(r.content).hexdigest() != sha, g
    doctor = php("return PQM_File_Commands::file_doctor();")
    assert doctor["dir"] == str(STORAGE) and doctor["problems"] == []
    for inside in ["WP_CONTENT_DIR . '/uploads/pqm-files'", "ABSPATH . 'pqm-files'"]:
        warned = php(f"return PQM_Files::storage_problems({inside});")
        assert warned and "outside the web root" in warned[0], warned


def test_upload_limits_and_types_are_checked_on_the_server(alice):
    ref = "PQ-1015"
    php("return PQM_File_Commands::file_settings(['max_upload_bytes' => 100000]);")
    try:
        before_rows, before_blobs = file_list(ref), storage_files()
        page = detail(alice, ref)
        r = post(alice, {"action": "pqm_upload", "order": ref, "_wpnonce": nonce_of(page)},
                 files={"pqm_file": ("big.pdf", pdf("big", pad=300_000), "application/pdf")})
        shown = follow(alice, r)
        notice = shown.one("[data-notice='too_large']")
        assert notice is not None and "larger than the 97.7 KB limit" in notice.get_text(), shown.one(".pqm-notice")
        r = post(alice, {"action": "pqm_upload", "order": ref, "_wpnonce": nonce_of(shown)},
                 files={"pqm_file": ("looks-like.pdf", b"MZ\x90\x00 this is an executable", "application/pdf")})
        shown = follow(alice, r)
        assert shown.one("[data-notice='bad_type']") and "Accepted:" in shown.one(".pqm-notice").get_text()
        r = post(alice, {"action": "pqm_upload", "order": ref, "_wpnonce": nonce_of(shown)})
        assert follow(alice, r).one("[data-notice='no_file']")
        assert file_list(ref) == before_rows and storage_files() == before_blobs, "nothing stored"
        # Without a valid nonce nothing happens either.
        r = post(alice, {"action": "pqm_upload", "order": ref, "_wpnonce": "bogus"},
                 files={"pqm_file": ("ok.pdf", pdf("ok"), "application/pdf")})
        assert follow(alice, r).one("[data-notice='failed']") and file_list(ref) == before_rows
    finally:
        php("return PQM_File_Commands::file_settings(['max_upload_bytes' => 20971520]);")


def test_interrupted_upload_leaves_nothing_half_stored(alice):
    ref = "PQ-1014"
    page = detail(alice, ref)
    nonce = nonce_of(page)
    before_rows, before_blobs = file_list(ref), storage_files()
    boundary = "pqmboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\npqm_upload\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"order\"\r\n\r\n{ref}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"_wpnonce\"\r\n\r\n{nonce}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"pqm_file\"; filename=\"cut.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n").encode()
    cookies = "; ".join(f"{c.name}={c.value}" for c in alice.http.cookies)
    host = urllib.parse.urlparse(BASE_URL)
    with socket.create_connection((host.hostname, host.port or 80), timeout=TIMEOUT) as s:
        s.sendall((f"POST /wp-admin/admin-post.php HTTP/1.1\r\nHost: {host.netloc}\r\nCookie: {cookies}\r\n"
                   f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 3000000\r\n\r\n").encode() + head + b"x" * 200_000)
        s.shutdown(socket.SHUT_WR)  # the client goes away mid-upload
        try:
            s.recv(1024)
        except OSError:
            pass
    time.sleep(1)
    assert file_list(ref) == before_rows
    assert storage_files() == before_blobs
    assert not [p for p in STORAGE.iterdir() if p.name.startswith(".tmp-")], "no temp files left"


def test_viewer_cannot_approve_decisions_are_final_and_staff_are_told(alice, login, mail_sink):
    amy = login("amy")
    ref = "PQ-1013"
    f = add_file(ref, "proof-1013.pdf", pdf("proof 1013"))
    req = php(f"return PQM_File_Commands::approval_request('{ref}', {f['file_id']}, 'Please approve', '', false);")
    aid = req["id"]
    page = detail(amy, ref)
    assert page.one(f"li.pqm-approval[data-approval='{aid}']") and page.one(".pqm-awaiting"), "viewers see the request"
    assert not page.one("form.pqm-decide-form"), "but get no buttons"
    r = post(amy, {"action": "pqm_decide", "order": ref, "approval": aid, "decision": "approve", "_wpnonce": nonce_of(page)})
    assert follow(amy, r).one("[data-notice='not_approver']")
    page = detail(alice, ref)
    nonce = nonce_of(page)
    r = post(alice, {"action": "pqm_decide", "order": ref, "approval": aid, "decision": "changes", "comment": "  ", "_wpnonce": nonce})
    assert follow(alice, r).one("[data-notice='comment_required']")
    r = post(alice, {"action": "pqm_decide", "order": "PQ-1012", "approval": aid, "decision": "approve", "_wpnonce": nonce})
    assert r.status_code == 303 and follow(alice, r).status == 200
    assert php(f"return PQM_File_Commands::approval_list('{ref}');")[0]["status"] == "pending", "approval X on order Y only"
    mail_sink.clear()
    r = post(alice, {"action": "pqm_decide", "order": ref, "approval": aid, "decision": "approve", "comment": "Go ahead", "_wpnonce": nonce})
    shown = follow(alice, r)
    assert shown.one("[data-notice='approved']")
    item = shown.one(f"li.pqm-approval[data-approval='{aid}']")
    receipt = item.select_one("code.pqm-receipt").get_text(strip=True)
    assert re.fullmatch(r"[0-9a-f]{64}", receipt) and "Approved" in item.get_text()
    msg = mail_sink.wait_for(lambda m: ref in str(m["Subject"]))
    assert receipt in mail_sink.body(msg)
    r = post(alice, {"action": "pqm_decide", "order": ref, "approval": aid, "decision": "changes", "comment": "Actually no", "_wpnonce": nonce})
    assert follow(alice, r).one("[data-notice='already_decided']")
    rows = php(f"return PQM_File_Commands::approval_list('{ref}');")
    assert rows[0]["status"] == "approved" and rows[0]["comment"] == "Go ahead"


def test_verify_fails_after_a_db_edit_and_names_the_entry():
    ref = "PQ-1012"
    php(f"return PQM_File_Commands::approval_request('{ref}', '', 'Order sign-off', '', false);")
    assert php("return PQM_File_Commands::approval_verify('');")["ok"] is True
    table = f"`{DB_PREFIX}pqm_approval_log`"
    original = sql(f"SELECT comment FROM {table} WHERE order_ref = '{ref}' AND seq = 1").rstrip("\n")
    sql(f"UPDATE {table} SET comment = 'quietly changed' WHERE order_ref = '{ref}' AND seq = 1")
    try:
        v = php(f"return PQM_File_Commands::approval_verify('{ref}');")
        assert v["ok"] is False and v["first_broken"]["order"] == ref and v["first_broken"]["seq"] == 1, v
    finally:
        sql(f"UPDATE {table} SET comment = '{original}' WHERE order_ref = '{ref}' AND seq = 1")
    assert php(f"return PQM_File_Commands::approval_verify('{ref}');")["ok"] is True


def test_x_accel_redirect_serves_the_same_bytes(alice):
    proof = [r for r in file_list(DEMO_ORDER) if r["type_slug"] == "proof"][0]
    php("update_option('pqm_x_accel_prefix', '/pqm-protected-files'); return true;")
    try:
        r = dl(alice, order=DEMO_ORDER, file=proof["file_id"])
        assert r.status_code == 200 and hashlib.sha256(r.content).hexdigest() == proof["sha256"]
        assert "X-Accel-Redirect" not in r.headers
        assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["Content-Disposition"].startswith("attachment")
        assert dl(login_free := Client(None), order=DEMO_ORDER, file=proof["file_id"]).status_code == 302
        del login_free
    finally:
        php("delete_option('pqm_x_accel_prefix'); return true;")


# ---------------------------------------------------------------------------
# Nothing is lost: a decision or upload while the database is down
# ---------------------------------------------------------------------------

from test_db_outage import RAW_ERROR_PATTERNS, _listening, _proxy, proxy_pidfile  # noqa: E402,F401


def _no_raw_errors(text: str, where: str):
    for pat in RAW_ERROR_PATTERNS:
        m = re.search(pat, text, re.IGNORECASE if pat.islower() else 0)
        assert not m, f"{where}: raw error text {pat!r}: …{text[max(0, m.start() - 80):m.end() + 80]!r}…"


def _wait_for_order(client: Client, url: str, seconds: float = 10):
    """The order detail once the database is back (the files section renders)."""
    deadline = time.monotonic() + seconds
    while True:
        page = client.get(url)
        if page.one(".pqm-error") is None and page.one("section.pqm-files") is not None:
            return page
        assert time.monotonic() < deadline, "the order did not come back after the outage"
        time.sleep(0.5)


def _log_entries(ref: str) -> int:
    return int(sql(f"SELECT COUNT(*) FROM `{DB_PREFIX}pqm_approval_log` WHERE order_ref = '{ref}'").strip())


def test_decision_and_upload_during_a_db_outage_keep_the_comment_and_store_nothing(alice, proxy_pidfile):
    ref = "PQ-1009"
    f = add_file(ref, "proof-1009.pdf", pdf("proof 1009"))
    aid = php(f"return PQM_File_Commands::approval_request('{ref}', {f['file_id']}, 'Please check', '', false);")["id"]
    page = detail(alice, ref)
    nonce = nonce_of(page)
    comments = {
        "changes": 'Make the logo 10% larger — "blue", not <b>bold</b>\nsecond line',
        "approve": "Fine by me, ship it & thanks",
    }
    log_before, rows_before, blobs_before = _log_entries(ref), file_list(ref), storage_files()
    backs: dict[str, str] = {}
    try:
        _proxy("stop", proxy_pidfile)
        assert not _listening()
        for decision, comment in comments.items():
            r = post(alice, {"action": "pqm_decide", "order": ref, "approval": aid, "decision": decision,
                             "comment": comment, "_wpnonce": nonce})
            assert r.status_code == 303, (r.status_code, r.text[:300])
            loc = r.headers["Location"]
            assert "pqm_notice=unavailable" in loc and "pqm_draft=" in loc, loc
            backs[decision] = urllib.parse.urljoin(r.url, loc)
            during = alice.get(backs[decision])
            assert during.status == 200 and during.one(".pqm-error") is not None, "the order cannot load: friendly error"
            _no_raw_errors(during.html, f"{decision} during the outage")
        r = post(alice, {"action": "pqm_upload", "order": ref, "_wpnonce": nonce},
                 files={"pqm_file": ("during-outage.pdf", pdf("outage upload"), "application/pdf")})
        assert r.status_code == 303 and "pqm_notice=unavailable" in r.headers["Location"], r.headers.get("Location")
        upload_back = urllib.parse.urljoin(r.url, r.headers["Location"])
    finally:
        _proxy("start", proxy_pidfile)
    assert _listening()

    for decision, url in backs.items():
        shown = _wait_for_order(alice, url)
        notice = shown.one("[data-notice='unavailable']")
        assert notice is not None, shown.one(".pqm-notice")
        assert "try again" in notice.get_text() and "Nothing was stored" in notice.get_text()
        item = shown.one(f"li.pqm-approval[data-approval='{aid}']")
        assert item.select_one(f"form.pqm-decide-form--{decision} textarea").get_text() == comments[decision], \
            "the typed comment is back in its box"
        other = "approve" if decision == "changes" else "changes"
        assert item.select_one(f"form.pqm-decide-form--{other} textarea").get_text() == ""
        _no_raw_errors(shown.html, f"{decision} after the outage")
    # Another login of the account does not get alice's draft.
    amy = Client("amy")
    amy.login()
    assert comments["changes"] not in amy.get(backs["changes"]).html
    shown = _wait_for_order(alice, upload_back)
    notice = shown.one("[data-notice='unavailable']")
    assert notice is not None and "try again" in notice.get_text()
    # Nothing half-way: still pending, no log entry, no file row, no blob.
    row = [a for a in php(f"return PQM_File_Commands::approval_list('{ref}');") if a["id"] == aid][0]
    assert row["status"] == "pending" and row["comment"] == ""
    assert _log_entries(ref) == log_before
    assert file_list(ref) == rows_before and storage_files() == blobs_before
    assert not [p for p in STORAGE.iterdir() if p.name.startswith(".tmp-")]
    # Pressing the button again works, once.
    r = post(alice, {"action": "pqm_decide", "order": ref, "approval": aid, "decision": "changes",
                     "comment": comments["changes"], "_wpnonce": nonce_of(shown)})
    done = follow(alice, r)
    assert done.one("[data-notice='changes_requested']"), done.one(".pqm-notice")
    assert _log_entries(ref) == log_before + 1
    row = [a for a in php(f"return PQM_File_Commands::approval_list('{ref}');") if a["id"] == aid][0]
    assert row["status"] == "changes_requested" and row["comment"] == comments["changes"]


def test_a_refused_decision_shows_the_comment_again(alice):
    """A refused decision (comment too long) also shows the comment again."""
    ref = "PQ-1009"
    f = add_file(ref, "proof-1009-b.pdf", pdf("proof 1009 b"), title="Second proof")
    aid = php(f"return PQM_File_Commands::approval_request('{ref}', {f['file_id']}, '', '', false);")["id"]
    long_comment = "x" * 5001
    r = post(alice, {"action": "pqm_decide", "order": ref, "approval": aid, "decision": "changes",
                     "comment": long_comment, "_wpnonce": nonce_of(detail(alice, ref))})
    shown = follow(alice, r)
    assert shown.one("[data-notice='comment_too_long']")
    box = shown.one(f"li.pqm-approval[data-approval='{aid}'] form.pqm-decide-form--changes textarea")
    assert box.get_text() == long_comment


# ---------------------------------------------------------------------------
# wp-admin: staff upload and upload limits
# ---------------------------------------------------------------------------


def _form_data(form) -> list[tuple[str, str]]:
    return [(i["name"], i.get("value", "")) for i in form.select("input[type=hidden][name]")]


def test_staff_upload_of_several_files_in_wp_admin(login, alice):
    manager = login("manager")
    ref = "PQ-1002"
    page = manager.get(BASE_URL + "/wp-admin/admin.php", params={"page": "pqm-files", "order": ref}, check_safe=False)
    assert page.status == 200, page.status
    form = page.one("form.pqm-admin-upload")
    assert form is not None and form.select_one("input[type=file][name='pqm_files[]'][multiple]")
    assert {"final", "proof", "production"} <= {o["value"] for o in form.select("select[name=type] option")}
    data = _form_data(form)
    before = {r["version_id"] for r in file_list(ref)}
    tag = str(time.time_ns())
    two = [("pqm_files[]", (f"front-{tag}.pdf", pdf(f"front {tag}"), "application/pdf")),
           ("pqm_files[]", (f"back-{tag}.pdf", pdf(f"back {tag}"), "application/pdf"))]
    # A wrong nonce changes nothing.
    bad = [(k, "bogus" if k == "_wpnonce" else v) for k, v in data] + [("type", "final")]
    r = manager.http.post(ADMIN_POST, data=bad, files=two, timeout=TIMEOUT, allow_redirects=False)
    assert r.status_code == 403 and {x["version_id"] for x in file_list(ref)} == before
    # Two customer-visible files at once, then one internal.
    r = manager.http.post(ADMIN_POST, data=data + [("type", "final")], files=two, timeout=TIMEOUT, allow_redirects=False)
    assert r.status_code in (302, 303) and "pqm_added=2" in r.headers["Location"], r.headers.get("Location")
    r = manager.http.post(ADMIN_POST, data=data + [("type", "proof"), ("internal", "1"), ("title", f"Internal {tag}")],
                          files=[("pqm_files[]", (f"internal-{tag}.pdf", pdf(f"internal {tag}"), "application/pdf"))],
                          timeout=TIMEOUT, allow_redirects=False)
    assert r.status_code in (302, 303) and "pqm_added=1" in r.headers["Location"]
    shown = manager.get(urllib.parse.urljoin(r.url, r.headers["Location"]), check_safe=False)
    assert "1 file(s) added" in shown.one(".notice-success").get_text()
    new = [x for x in file_list(ref) if x["version_id"] not in before]
    by_title = {x["title"]: x for x in new}
    assert set(by_title) == {f"front-{tag}", f"back-{tag}", f"Internal {tag}"}, by_title
    assert by_title[f"front-{tag}"]["file_id"] != by_title[f"back-{tag}"]["file_id"], "two files, not two versions"
    assert by_title[f"Internal {tag}"]["internal"] and not by_title[f"front-{tag}"]["internal"]
    listed = {int(tr["data-version-id"]) for tr in shown.all("table.pqm-admin-file-list tr[data-version-id]")}
    assert {x["version_id"] for x in new} <= listed, "the staff list shows all three"
    panel = detail(alice, ref)
    titles = {li.select_one(".pqm-file__title").get_text(strip=True) for li in panel.all("li.pqm-file")}
    assert {f"front-{tag}", f"back-{tag}"} <= titles
    assert f"Internal {tag}" not in panel.html and f"internal-{tag}" not in panel.html
    assert dl(alice, order=ref, version_id=by_title[f"Internal {tag}"]["version_id"]).status_code == 404
    got = dl(alice, order=ref, version_id=by_title[f"front-{tag}"]["version_id"])
    assert got.status_code == 200 and got.content == pdf(f"front {tag}")


def test_manager_sets_upload_limits_in_wp_admin(login, alice):
    manager = login("manager")
    url = BASE_URL + "/wp-admin/admin.php?page=pqm-file-settings"
    original = php("return PQM_File_Commands::file_settings();")

    def form_of():
        page = manager.get(url, check_safe=False)
        assert page.status == 200, page.status
        form = page.one("form.pqm-file-settings")
        assert form is not None
        return page, form

    def save(mb: str, kinds: list[str], nonce: str | None = None, client: Client = manager):
        _, form = form_of()
        data = [(k, nonce if (nonce and k == "_wpnonce") else v) for k, v in _form_data(form)]
        data += [("max_upload_mb", mb)] + [("kinds[]", k) for k in kinds]
        return client.http.post(ADMIN_POST, data=data, timeout=TIMEOUT, allow_redirects=False)

    _, form = form_of()
    kinds = [i["value"] for i in form.select("input[name='kinds[]'][checked]")]
    assert sorted(kinds) == sorted(original["upload_kinds"])
    original_mb = form.select_one("input[name=max_upload_mb]")["value"]
    try:
        assert save("0.25", kinds, nonce="bogus").status_code == 403
        assert php("return PQM_File_Commands::file_settings();") == original, "a wrong nonce changes nothing"
        r = save("0.25", kinds)
        assert r.status_code == 303 and "pqm_saved=1" in r.headers["Location"], r.headers.get("Location")
        page = manager.get(urllib.parse.urljoin(r.url, r.headers["Location"]), check_safe=False)
        assert page.one(".pqm-settings-saved"), "the redirect says it was saved"
        assert page.one("form.pqm-file-settings input[name=max_upload_mb]")["value"] == "0.25"
        assert php("return PQM_File_Commands::file_settings();")["max_upload_bytes"] == 262144
        ref = "PQ-1015"
        rows, blobs = file_list(ref), storage_files()
        panel = detail(alice, ref)
        assert "Up to 256.0 KB" in panel.one("form.pqm-upload .pqm-hint").get_text()
        r = post(alice, {"action": "pqm_upload", "order": ref, "_wpnonce": nonce_of(panel)},
                 files={"pqm_file": ("over.pdf", pdf("over", pad=300_000), "application/pdf")})
        notice = follow(alice, r).one("[data-notice='too_large']")
        assert notice is not None and "larger than the 256.0 KB limit" in notice.get_text()
        assert file_list(ref) == rows and storage_files() == blobs
        # Invalid values are refused with the reason, nothing changes.
        r = save("0", kinds)
        assert r.status_code == 303 and "pqm_error=" in r.headers["Location"]
        assert php("return PQM_File_Commands::file_settings();")["max_upload_bytes"] == 262144
        # A customer cannot use the form.
        r = alice.http.get(url, timeout=TIMEOUT, allow_redirects=False)
        assert r.status_code != 200 or "pqm-file-settings" not in r.text
    finally:
        r = save(original_mb, kinds)
        assert r.status_code == 303 and "pqm_saved=1" in r.headers["Location"]
        if php("return PQM_File_Commands::file_settings();") != original:
            php(f"return PQM_File_Commands::file_settings(['max_upload_bytes' => {original['max_upload_bytes']}]);")
    assert php("return PQM_File_Commands::file_settings();") == original
