"""Internal data never reaches a customer, on any page any customer can reach.

Every Client.get() of a customer already runs conftest.customer_safety_problems
on the body; this module makes sure every reachable page is actually visited:
all views, all list pages, every order detail, for every demo customer.
"""
from __future__ import annotations

import pytest

from conftest import CUSTOMER_LABELS, CUSTOMERS, all_pages, customer_safety_problems, internal_names


@pytest.mark.parametrize("user", CUSTOMERS)
def test_crawl_customer_pages_for_internal_data(login, user):
    c = login(user)
    seen_refs = set()
    for view in ("open", "completed", "all"):
        for p in all_pages(c, view=view):  # each GET is checked in Client.get
            seen_refs.update(p.order_refs())
    for ref in sorted(seen_refs):
        d = c.panel(order=ref)
        assert d.status == 200
        for st in d.all(".pqm-status"):
            label = st.get_text(" ", strip=True)
            assert label in CUSTOMER_LABELS, f"{user}: {ref} shows status {label!r}"
        for li in d.all("ol.pqm-timeline li"):
            text = li.get_text(" ", strip=True)
            assert not any(x in text for x in ("Quoting", "Credit hold", "Quality check", "On hold")), (
                f"{user}: {ref} timeline names a hidden status: {text!r}")
    # a visited detail page must have been checked: make sure something was crawled
    if user != "dave":
        assert seen_refs, f"{user}: crawl found no orders"
    assert c.visited


def test_logged_out_pages_have_no_internal_data(anon):
    for q in ({}, {"order": "PQ-1001"}, {"view": "all"}):
        anon.panel(**q)


@pytest.mark.offline
def test_safety_check_itself_catches_markers():
    """The checker must flag what it is meant to flag (guards against a silent no-op)."""
    bad = '<div class="pqm-panel"><p>Cost: 12.00 — margin 40%</p><p>INTERNAL-ONLY x</p><p>Credit hold</p></div>'
    problems = customer_safety_problems(bad)
    assert len(problems) >= 4, problems
    good = '<style>.x{margin:0}</style><div class="pqm-panel"><p>In production</p></div>'
    assert customer_safety_problems(good) == []


def test_report_internal_names_source():
    """Informational: which seed department/assignee names are being enforced."""
    names = internal_names()
    print(f"enforcing {len(names)} internal department/assignee names: {names}")
