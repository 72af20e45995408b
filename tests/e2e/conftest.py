"""Shared fixtures and helpers for the outside-in (HTTP) tests of the client panel.

Everything here talks to a real, seeded WordPress site (see docs/demo-data.md):

    PQM_E2E_URL   base URL of the test site        (default http://localhost:8081)
    PQM_REPO      repository root                  (default: two levels up)
    PQM_E2E_DB    database of the test site        (default pqm_e2e)
    PQM_E2E_DB_PREFIX  table prefix                (default wp_)
    PQM_E2E_ADMIN_USER / PQM_E2E_ADMIN_PASSWORD  an administrator login (default
                                                   admin / /etc/wordpress/pqm-admin-password-<host>)
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from mailsink import mail_sink  # noqa: F401  (fixture: the real SMTP sink)


def pytest_collection_modifyitems(config, items):
    """Tests marked mutates_seed (they change a seeded order's status, note …)
    run last, so every other test sees the demo data as docs/demo-data.md
    describes it, whatever the file order."""
    items.sort(key=lambda item: item.get_closest_marker("mutates_seed") is not None)
from bs4 import BeautifulSoup


BASE_URL = os.environ.get("PQM_E2E_URL", "http://localhost:8081").rstrip("/")
REPO = Path(os.environ.get("PQM_REPO") or Path(__file__).resolve().parents[2])
PANEL_PATH = "/client-panel/"
PANEL_URL = BASE_URL + PANEL_PATH
DEMO_PASSWORD = "pqm-demo-2026"
DB_NAME = os.environ.get("PQM_E2E_DB", "pqm_e2e")
DB_PREFIX = os.environ.get("PQM_E2E_DB_PREFIX", "wp_")
ADMIN_USER = os.environ.get("PQM_E2E_ADMIN_USER", "admin")


def _admin_password() -> str:
    if os.environ.get("PQM_E2E_ADMIN_PASSWORD"):
        return os.environ["PQM_E2E_ADMIN_PASSWORD"]
    # scripts/lib/site.sh keeps the random admin password per host here (root only)
    kept = Path("/etc/wordpress") / f"pqm-admin-password-{os.environ.get('PQM_E2E_WP_HOST', 'localhost')}"
    try:
        return kept.read_text().splitlines()[0].strip()
    except (OSError, IndexError):
        return DEMO_PASSWORD


ADMIN_PASSWORD = _admin_password()
TIMEOUT = 20  # seconds per HTTP request; a hanging page is a failure too

CUSTOMERS = ("alice", "amy", "bob", "carol", "dave")


def refs(first: int, last: int) -> list[str]:
    """PQ-<first> .. PQ-<last>, inclusive."""
    return [f"PQ-{n}" for n in range(first, last + 1)]


# What each demo login may see (docs/demo-data.md).
EXPECTED_REFS = {
    "alice": refs(1001, 1018),
    "amy": refs(1001, 1018),
    "bob": refs(1019, 1030),
    "carol": refs(1031, 1045),
    "dave": [],
    "manager": [],
}
ALL_REFS = refs(1001, 1045)
ACCOUNT_REFS = {
    "Acme Print Co": refs(1001, 1018),
    "Brightside Translations": refs(1019, 1030),
    "Northwind East": refs(1031, 1038),
    "Northwind West": refs(1039, 1045),
}
CUSTOMER_LABELS = {"Received", "In production", "Ready", "Shipped", "Completed", "Cancelled"}
CLOSED_LABELS = {"Completed", "Cancelled"}

REF_RE = re.compile(r"PQ-\d{3,}", re.IGNORECASE)


# --------------------------------------------------------------------------
# Never shown to a customer (docs/demo-data.md, DESIGN.md "Never shown")
# --------------------------------------------------------------------------
# Anywhere in the raw body (markup, attributes, comments, scripts):
FORBIDDEN_ANYWHERE = [
    "INTERNAL-ONLY",      # marker in every internal note / task comment of the seed
    "Quoting",            # internal label "Quoting – cost check" (hidden status)
    "Credit hold",        # hidden status
    "Quality check",      # hidden status
    "cost_cents",         # column names must not leak either
    "price_cents",
    "internal_note",
]
# In the panel's own markup (text and attribute values). Checked only inside
# .pqm-panel, because the theme's inline CSS legitimately says "margin:".
FORBIDDEN_IN_PANEL_WORDS = [
    r"\bcosts?\b",
    r"\bmargins?\b",
    r"\bOn hold\b",       # customer label of credit_hold, which customers never see
]


# Internal vocabulary of the demo seed (src/demo.rs): task names and
# departments of the hidden production steps, and the internal note's words.
# "Production" (a department) and "Dispatch" (a task) are left out on
# purpose: they collide with the customer's own vocabulary ("In production",
# "Ready for pickup / dispatch" style delivery wording).
SEED_INTERNAL_TERMS = [
    "Prepress check", "Production run",   # non-milestone task names
    "Prepress", "Logistics",               # departments (Prepress is also an internal status label)
    "supplier",                            # "... check supplier price" (internal note)
]
# The seed's order costs: 4000 + 137*i cents for i = 0..44 (src/demo.rs), as
# a customer would read them (40.00 / 40,00).
SEED_COSTS = [f"{(4000 + 137 * i) / 100:.2f}" for i in range(45)]


def _seed_internal_names() -> list[str]:
    """Internal words/names of the seed, plus the display names of the task
    assignees read from the test site's database (best effort)."""
    names = set(SEED_INTERNAL_TERMS)
    for cost in SEED_COSTS:
        names.add(cost)
        names.add(cost.replace(".", ","))
    out = db_query_silent(
        f"SELECT DISTINCT u.display_name FROM `{DB_PREFIX}pqm_tasks` t "
        f"JOIN `{DB_PREFIX}users` u ON u.ID = t.assignee_user_id")
    for line in (out or "").splitlines():
        line = line.strip()
        if len(line) >= 4 and line.lower() != "null":
            names.add(line)
    return sorted(names)


_INTERNAL_NAMES: list[str] | None = None


def internal_names() -> list[str]:
    global _INTERNAL_NAMES
    if _INTERNAL_NAMES is None:
        _INTERNAL_NAMES = _seed_internal_names()
    return _INTERNAL_NAMES


def customer_safety_problems(html: str, *, visible_task_names_ok: set[str] | None = None) -> list[str]:
    """Everything in a customer-facing page that must never be there."""
    problems = []
    for marker in FORBIDDEN_ANYWHERE:
        if marker.lower() in html.lower():
            i = html.lower().index(marker.lower())
            problems.append(f"{marker!r} in body: …{html[max(0, i-80):i+80]!r}…")
    soup = BeautifulSoup(html, "html.parser")
    panel = soup.select_one(".pqm-panel")
    if panel is not None:
        text = panel.get_text(" ", strip=True)
        attrs = " ".join(
            str(v) for tag in panel.find_all(True)
            for k, v in tag.attrs.items() if k not in ("class", "style"))
        for pat in FORBIDDEN_IN_PANEL_WORDS:
            for where, s in (("text", text), ("attributes", attrs)):
                m = re.search(pat, s, re.IGNORECASE)
                if m:
                    problems.append(f"{pat!r} in panel {where}: …{s[max(0, m.start()-80):m.end()+80]!r}…")
        for name in internal_names():
            if visible_task_names_ok and name in visible_task_names_ok:
                continue
            if re.search(r"(?<![\w.,])" + re.escape(name) + r"(?![\w]|[.,]\d)", text):
                problems.append(f"internal seed term / assignee {name!r} in panel text")
    return problems


# --------------------------------------------------------------------------
# Database / PHP helpers (for ids that no customer page reveals)
# --------------------------------------------------------------------------

def db_query_silent(sql: str) -> str | None:
    try:
        out = subprocess.run(
            ["mariadb", "-uroot", "--batch", "--skip-column-names", DB_NAME, "-e", sql],
            capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None


def account_ids() -> dict[str, int]:
    """name -> id of every customer account of the test site.

    Prefers the plugin's own PHP runner (scripts/wp/eval.php), else reads
    {prefix}pqm_accounts directly.
    """
    runner = REPO / "scripts" / "wp" / "eval.php"
    host = os.environ.get("PQM_E2E_WP_HOST", "localhost")
    if runner.exists():
        try:
            out = subprocess.run(
                ["php", str(runner), host, "echo json_encode(PQM_Commands::account_list());"],
                capture_output=True, text=True, timeout=60, cwd=REPO)
            if out.returncode == 0:
                rows = json.loads(out.stdout.strip().splitlines()[-1])
                return {r["name"]: int(r["id"]) for r in rows}
        except (OSError, ValueError, KeyError, IndexError, subprocess.TimeoutExpired):
            pass
    out = db_query_silent(f"SELECT id, name FROM `{DB_PREFIX}pqm_accounts`")
    if out is None:
        pytest.fail("cannot find account ids: neither scripts/wp/eval.php nor "
                    f"`mariadb -uroot {DB_NAME}` table {DB_PREFIX}pqm_accounts worked")
    result = {}
    for line in out.splitlines():
        if "\t" in line:
            i, name = line.split("\t", 1)
            result[name] = int(i)
    return result


# --------------------------------------------------------------------------
# HTTP helpers
# --------------------------------------------------------------------------

@dataclass
class Page:
    response: requests.Response
    soup: BeautifulSoup = field(repr=False)

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def html(self) -> str:
        return self.response.text

    @property
    def url(self) -> str:
        return self.response.url

    def one(self, selector: str):
        return self.soup.select_one(selector)

    def all(self, selector: str):
        return self.soup.select(selector)

    def order_refs(self) -> list[str]:
        """data-ref of each order card, in page order."""
        return [a.get("data-ref") for a in self.soup.select("article.pqm-order")]

    def refs_in_text(self) -> set[str]:
        """Every PQ-nnnn anywhere in the raw body (markup included)."""
        return {m.upper() for m in REF_RE.findall(self.html)}

    def link(self, selector: str) -> str | None:
        a = self.soup.select_one(selector)
        if a is None or not a.get("href"):
            return None
        return urllib.parse.urljoin(self.url, a["href"])


def parse(resp: requests.Response) -> Page:
    return Page(resp, BeautifulSoup(resp.text, "html.parser"))


class Client:
    """A browser-ish session for one login (or anonymous)."""

    def __init__(self, user: str | None):
        self.user = user
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "pqm-e2e-tests/1.0 (python-requests)"
        self.visited: list[str] = []

    @property
    def is_customer(self) -> bool:
        return self.user is None or self.user in CUSTOMERS

    def get(self, url: str, params=None, check_safe: bool = True, **kw) -> Page:
        if url.startswith("/"):
            url = BASE_URL + url
        resp = self.http.get(url, params=params, timeout=TIMEOUT, **kw)
        page = parse(resp)
        self.visited.append(resp.url)
        if check_safe and self.is_customer:
            problems = customer_safety_problems(resp.text)
            assert not problems, (f"{self.user or 'anonymous'} saw internal data at {resp.url}:\n  "
                                  + "\n  ".join(problems))
        return page

    def panel(self, **params) -> Page:
        """GET /client-panel/ with pqm_* query params (keyword names without the pqm_ prefix)."""
        q = {(k if k.startswith("pqm_") else "pqm_" + k): v for k, v in params.items()}
        return self.get(PANEL_URL, params=q or None)

    def login(self, password: str = DEMO_PASSWORD, redirect_to: str | None = None) -> requests.Response:
        assert self.user
        login_url = BASE_URL + "/wp-login.php"
        # Sets wordpress_test_cookie, as a browser showing the form would.
        r = self.http.get(login_url, timeout=TIMEOUT)
        assert r.status_code == 200, f"GET wp-login.php -> {r.status_code}"
        assert "wordpress_test_cookie" in self.http.cookies, "wp-login.php did not set the test cookie"
        data = {
            "log": self.user,
            "pwd": password,
            "wp-submit": "Log In",
            "testcookie": "1",
            "redirect_to": redirect_to or PANEL_URL,
        }
        r = self.http.post(login_url, data=data, timeout=TIMEOUT, allow_redirects=False)
        logged_in = any(c.name.startswith("wordpress_logged_in_") for c in self.http.cookies)
        assert r.status_code in (302, 303) and logged_in, (
            f"login as {self.user} failed: HTTP {r.status_code}, "
            f"error: {BeautifulSoup(r.text, 'html.parser').select_one('#login_error')}")
        return r


def all_pages(client: Client, **params) -> list[Page]:
    """The list pages of one view, following a[rel=next] (bounded)."""
    pages = [client.panel(**params)]
    seen = {pages[0].url}
    for _ in range(20):
        nxt = pages[-1].link("nav.pqm-pagination a[rel=next]") or pages[-1].link("a[rel=next]")
        if not nxt:
            break
        assert nxt not in seen, f"pagination loops back to {nxt}"
        seen.add(nxt)
        pages.append(client.get(nxt))
    else:
        pytest.fail("more than 20 pages of orders: pagination does not end")
    for p in pages:
        assert p.status == 200, f"{p.url} -> HTTP {p.status}"
    return pages


def refs_of(pages: list[Page]) -> list[str]:
    return [r for p in pages for r in p.order_refs()]


def ref_num(ref: str) -> int:
    return int(ref.split("-", 1)[1])


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------

_site_checked = False


@pytest.fixture(autouse=True)
def site_is_up(request):
    global _site_checked
    if request.node.get_closest_marker("offline") or _site_checked:
        return
    _site_checked = True
    try:
        r = requests.get(PANEL_URL, timeout=TIMEOUT, allow_redirects=False)
    except requests.RequestException as e:
        pytest.exit(f"test site not reachable at {PANEL_URL}: {e}", returncode=1)
    if r.status_code != 200:
        pytest.exit(f"{PANEL_URL} answers HTTP {r.status_code} (expected 200)", returncode=1)


_clients: dict[str, Client] = {}


@pytest.fixture(scope="session")
def login():
    """login('alice') -> a Client logged in through the real wp-login.php form (cached per user)."""
    def _login(user: str, password: str = DEMO_PASSWORD) -> Client:
        if user not in _clients:
            c = Client(user)
            c.login(password)
            _clients[user] = c
        return _clients[user]
    return _login


@pytest.fixture
def anon() -> Client:
    return Client(None)


@pytest.fixture(scope="session")
def alice(login) -> Client:
    return login("alice")


@pytest.fixture(scope="session")
def carol(login) -> Client:
    return login("carol")
