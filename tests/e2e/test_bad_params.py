"""Bad query parameters give a sane default list, never an error page."""
from __future__ import annotations

import pytest

from conftest import PANEL_URL

RAW_ERROR_TEXT = ["Fatal error", "Warning:", "Notice:", "Deprecated:", "Stack trace", "SQLSTATE",
                  "Rust panic", "panicked at"]


def _default(alice):
    return alice.panel().order_refs()


@pytest.mark.parametrize("query", [
    "pqm_page=-5", "pqm_page=abc", "pqm_page=0", "pqm_page=1.5", "pqm_page=%00",
    "pqm_page=99999999999999999999999",
    "pqm_view=bogus", "pqm_view=", "pqm_view=ALL%27--", "pqm_view=%3Cscript%3E",
    "pqm_account=abc", "pqm_account=-1", "pqm_account=",
    "pqm_page=-5&pqm_view=bogus&pqm_account=abc",
    "pqm_page%5B%5D=2", "pqm_view%5B%5D=all",
])
def test_bad_parameter_gives_default_list(alice, query):
    page = alice.get(PANEL_URL + "?" + query)
    assert page.status == 200, f"?{query} -> HTTP {page.status}"
    assert page.one(".pqm-error") is None, f"?{query} -> friendly failure page instead of a list"
    for t in RAW_ERROR_TEXT:
        assert t not in page.html, f"?{query}: raw error text {t!r}"
    assert page.one(".pqm-order-list") is not None, f"?{query}: no order list"
    got = page.order_refs()
    if "pqm_page=99999999999999999999999" == query:
        # a page past the end: either the last page, the first, or an empty list — but no error
        assert len(got) <= 10
        return
    assert got == _default(alice), f"?{query}: list {got} is not the default first page"


def test_markup_in_view_param_is_not_reflected_raw(alice):
    page = alice.get(PANEL_URL + "?pqm_view=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)</script>" not in page.html
