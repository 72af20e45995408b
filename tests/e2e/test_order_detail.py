"""Opening one order: detail view, back link, what the card links to."""
from __future__ import annotations

import urllib.parse

from conftest import CUSTOMER_LABELS, all_pages


def test_alice_opens_order_detail(alice):
    page = alice.panel(order="PQ-1005")
    assert page.status == 200, f"own order PQ-1005 -> HTTP {page.status}"
    detail = page.one('.pqm-order-detail[data-ref="PQ-1005"]')
    assert detail is not None, "no .pqm-order-detail[data-ref=PQ-1005]"
    assert "PQ-1005" in detail.get_text(" "), "the detail view does not show its reference"
    assert page.one(".pqm-not-found") is None
    st = detail.select_one(".pqm-status")
    assert st is not None and st.get_text(" ", strip=True) in CUSTOMER_LABELS, (
        f"detail status {st and st.get_text(' ', strip=True)!r} is not a customer label")
    back = page.link("a.pqm-back")
    assert back, "detail view has no a.pqm-back"
    lst = alice.get(back)
    assert lst.status == 200
    assert lst.one(".pqm-order-list") is not None and lst.order_refs(), "a.pqm-back does not lead to the order list"
    assert lst.one(".pqm-order-detail") is None


def test_list_card_links_to_its_detail(alice):
    page = alice.panel()
    card = page.one("article.pqm-order")
    assert card is not None
    ref = card["data-ref"]
    links = [a for a in card.select("a[href]") if "pqm_order=" in a["href"]]
    assert links, f"card {ref} has no link to its detail view"
    url = urllib.parse.urljoin(page.url, links[0]["href"])
    assert urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["pqm_order"] == [ref]
    detail = alice.get(url)
    assert detail.status == 200
    assert detail.one(f'.pqm-order-detail[data-ref="{ref}"]') is not None


def test_every_own_order_opens(login):
    """Each customer can open every order of their list (and only sees that order)."""
    for user in ("alice", "bob", "carol"):
        c = login(user)
        for ref in [r for p in all_pages(c, view="all") for r in p.order_refs()]:
            d = c.panel(order=ref)
            assert d.status == 200, f"{user}: own order {ref} -> HTTP {d.status}"
            assert d.one(f'.pqm-order-detail[data-ref="{ref}"]') is not None, f"{user}: {ref} detail missing"
            others = {r for r in d.refs_in_text() if r != ref}
            assert not others, f"{user}: detail of {ref} mentions other orders {sorted(others)}"
