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


# ------------------------------------------------------------------ seed facts
# docs/demo-data.md: statuses cycle through every status; src/demo.rs fixes
# the cycle and the path each order took to reach its status, and gives every
# order the milestones "Proof approved" and "Produced" (task "Dispatch" is
# internal). The customer sees the label of the last customer-visible status.
CYCLE = ["received", "quoting", "prepress", "credit_hold", "on_press", "quality_check",
         "ready", "shipped", "completed", "cancelled"]
LINE = ["received", "quoting", "prepress", "on_press", "quality_check", "ready", "shipped", "completed"]
LABEL = {"received": "Received", "prepress": "In production", "on_press": "In production",
         "ready": "Ready", "shipped": "Shipped", "completed": "Completed", "cancelled": "Cancelled"}
# quoting, credit_hold, quality_check: never named to customers


def _path(status):
    if status == "cancelled":
        return ["received", "quoting", "cancelled"]
    if status == "credit_hold":
        return ["received", "quoting", "credit_hold"]
    return LINE[:LINE.index(status) + 1]


def _collapse(labels):
    out = []
    for lab in labels:
        if not out or out[-1] != lab:
            out.append(lab)
    return out


def expected_for(ref):
    i = int(ref.split("-")[1]) - 1001      # orders are created in reference order
    status = CYCLE[i % len(CYCLE)]
    path = _path(status)
    visible = [LABEL[s] for s in path if s in LABEL]
    label = visible[-1] if visible else "Received"
    done = [status not in ("cancelled", "credit_hold") and len(path) > 3 + t * 2 for t in range(2)]
    return label, _collapse(visible), done


def test_detail_status_timeline_and_milestones_match_the_seed(login):
    for user in ("alice", "bob", "carol"):
        c = login(user)
        list_labels = {}
        for p in all_pages(c, view="all"):
            for card in p.all("article.pqm-order"):
                list_labels[card["data-ref"]] = card.select_one(".pqm-status").get_text(" ", strip=True)
        for ref, list_label in sorted(list_labels.items()):
            label, timeline, done = expected_for(ref)
            assert list_label == label, f"{user}: list shows {ref} as {list_label!r}, expected {label!r}"
            d = c.panel(order=ref)
            got = d.one(".pqm-order-detail .pqm-status").get_text(" ", strip=True)
            assert got == label, f"{user}: detail shows {ref} as {got!r}, expected {label!r}"
            steps = [li.select_one(".pqm-timeline__label").get_text(" ", strip=True)
                     if li.select_one(".pqm-timeline__label") else li.get_text(" ", strip=True)
                     for li in d.all("ol.pqm-timeline li")]
            assert _collapse(steps) == timeline, f"{user}: {ref} timeline {steps}, expected {timeline}"
            ms = d.all("ul.pqm-milestones li")
            texts = [li.get_text(" ", strip=True) for li in ms]
            assert len(ms) == 2 and "Proof approved" in texts[0] and "Produced" in texts[1], (
                f"{user}: {ref} milestones {texts}, expected Proof approved, Produced")
            assert not any("Dispatch" in t for t in texts), f"{user}: internal task shown as milestone: {texts}"
            for li, want in zip(ms, done):
                is_done = "is-done" in (li.get("class") or []) or "✓" in li.get_text()
                assert is_done == want, f"{user}: {ref} milestone {li.get_text(' ', strip=True)!r} done={is_done}, expected {want}"


def test_cancelled_order_does_not_claim_completion(login):
    """A customer reading a cancelled order must not be told it was completed."""
    c = login("alice")
    seen = 0
    for p in all_pages(c, view="completed"):
        for card in p.all("article.pqm-order"):
            if card.select_one(".pqm-status").get_text(" ", strip=True) != "Cancelled":
                continue
            seen += 1
            ref = card["data-ref"]
            for where, node in (("card", card), ("detail", c.panel(order=ref).one(".pqm-order-detail"))):
                facts = [dt.get_text(" ", strip=True) for dt in node.select("dt")]
                assert "Completed" not in facts, f"cancelled {ref} shows a 'Completed' date on the {where} ({facts})"
    assert seen, "alice has no cancelled order to check (seed changed?)"
