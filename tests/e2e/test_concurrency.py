"""Interleaved requests of different customers never mix up whose orders are shown.

php-fpm workers keep a DB pool and runtime across requests; a principal or
query leaking from one request into the next would show someone else's orders.
Bounded: 48 requests, 8 at a time, to the local test site only.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from conftest import EXPECTED_REFS, Client


def test_interleaved_customers_see_only_their_own(login):
    users = ["alice", "bob", "carol", "dave"]
    # one fresh logged-in session per user (requests.Session is not shared across threads)
    clients = {}
    for u in users:
        c = Client(u)
        c.login()
        clients[u] = c
    jobs = [(users[i % len(users)], ["all", "open", "completed"][i % 3]) for i in range(48)]

    def run(job):
        user, view = job
        c = Client(user)
        c.http.cookies.update(clients[user].http.cookies)
        p = c.panel(view=view)
        return user, view, p.status, set(p.order_refs()), p.refs_in_text(), p.one(".pqm-error") is not None

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run, jobs))
    for user, view, status, refs, text_refs, error in results:
        assert status == 200 and not error, f"{user} view={view}: HTTP {status}, error page={error}"
        own = set(EXPECTED_REFS[user])
        assert refs <= own and text_refs <= own, (
            f"{user} view={view} saw foreign orders {sorted((refs | text_refs) - own)}")
        if user != "dave":
            assert refs, f"{user} view={view}: no orders"
