"""Indexability and its reason, for every reason and in the order they are checked."""

from __future__ import annotations

import pytest

from linkequity.parse import indexability

URL = "https://www.example.com/page/"
HTML = "text/html; charset=utf-8"
NONE: frozenset[str] = frozenset()


def test_indexable_page() -> None:
    assert indexability(URL, 200, HTML, frozenset({"index", "follow"}), URL) == (True, None)
    assert indexability(URL, 200, "application/xhtml+xml", NONE, None) == (True, None)
    assert indexability(URL, 200, "TEXT/HTML", NONE, None) == (True, None)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (None, "no response"),
        (301, "redirect"),
        (302, "redirect"),
        (308, "redirect"),
        (404, "client error"),
        (410, "client error"),
        (429, "client error"),
        (500, "server error"),
        (503, "server error"),
        (204, "non-200"),
        (206, "non-200"),
        (103, "non-200"),
        (999, "non-200"),
    ],
)
def test_status_reasons(status: int | None, reason: str) -> None:
    assert indexability(URL, status, HTML, NONE, None) == (False, reason)


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "text/plain", "", None])
def test_non_html(content_type: str | None) -> None:
    assert indexability(URL, 200, content_type, NONE, None) == (False, "non-html")


def test_noindex() -> None:
    assert indexability(URL, 200, HTML, frozenset({"noindex", "follow"}), None) == (
        False,
        "noindex",
    )


def test_canonicalised() -> None:
    other = "https://www.example.com/other/"
    assert indexability(URL, 200, HTML, NONE, other) == (False, "canonicalised")


def test_reasons_are_checked_in_order() -> None:
    noindex = frozenset({"noindex"})
    other = "https://www.example.com/other/"
    assert indexability(URL, 200, HTML, noindex, other, blocked=True) == (
        False,
        "blocked by robots.txt",
    )
    assert indexability(URL, None, None, noindex, other, blocked=True)[1] == "blocked by robots.txt"
    assert indexability(URL, 301, None, noindex, other)[1] == "redirect"
    assert indexability(URL, 404, "application/pdf", noindex, other)[1] == "client error"
    assert indexability(URL, 200, "application/pdf", noindex, other)[1] == "non-html"
    assert indexability(URL, 200, HTML, noindex, other)[1] == "noindex"
