"""Pages with the panel are never cached for another visitor."""
from __future__ import annotations

import email.utils
import time

import pytest


def assert_not_cacheable(page, what):
    cc = page.response.headers.get("Cache-Control", "")
    assert any(t in cc.lower() for t in ("no-cache", "no-store", "private")), (
        f"{what}: Cache-Control {cc!r} lets a shared cache keep the page")
    exp = page.response.headers.get("Expires")
    if exp:
        try:
            when = email.utils.parsedate_to_datetime(exp).timestamp()
        except (TypeError, ValueError):
            when = 0  # unparsable Expires counts as already expired (RFC 9111)
        assert when <= time.time() + 1, f"{what}: Expires {exp!r} is in the future"


@pytest.mark.parametrize("query", [{}, {"view": "all"}, {"order": "PQ-1005"}, {"order": "PQ-9999"}],
                         ids=["list", "all", "detail", "not-found"])
def test_alice_panel_pages_not_cacheable(alice, query):
    assert_not_cacheable(alice.panel(**query), f"alice {query}")


def test_logged_out_panel_not_cacheable(anon):
    assert_not_cacheable(anon.panel(), "logged-out panel")


def test_no_access_panel_not_cacheable(login):
    assert_not_cacheable(login("dave").panel(), "dave panel")
