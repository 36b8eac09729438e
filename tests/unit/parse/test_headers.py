"""Canonical URLs from HTTP Link headers, and robots directives from meta tags and X-Robots-Tag."""

from __future__ import annotations

import pytest

from linkequity.parse import canonical_from_link_header, robots_directives
from linkequity.urls import Resolver

PAGE = "https://www.example.com/docs/guide.pdf"


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        (
            '<https://www.example.com/docs/guide>; rel="canonical"',
            "https://www.example.com/docs/guide",
        ),
        ("<https://www.example.com/a>; rel=canonical", "https://www.example.com/a"),
        ('</docs/guide?utm_source=x>; REL="Canonical"', "https://www.example.com/docs/guide"),
        ("<guide>; rel=canonical", "https://www.example.com/docs/guide"),
        (
            '<https://cdn.example.com/g.pdf>; rel="alternate"; type="application/pdf", '
            '<https://www.example.com/g>; rel="canonical"',
            "https://www.example.com/g",
        ),
        (
            '<https://www.example.com/a>; title="a, b; c"; rel="alternate canonical"',
            "https://www.example.com/a",
        ),
        (
            '<mailto:a@example.com>; rel="canonical", </b>; rel="canonical"',
            "https://www.example.com/b",
        ),
        ('<https://www.example.com/a>; rel="alternate"', None),
        ('<https://www.example.com/a>; rel="preload"; as="style"', None),
        ("", None),
        (None, None),
        ("garbage without brackets; rel=canonical", None),
    ],
)
def test_canonical_from_link_header(header: str | None, canonical: str | None) -> None:
    assert canonical_from_link_header(header, PAGE, Resolver()) == canonical


def test_meta_robots_only() -> None:
    assert robots_directives("noindex, follow", None) == {"noindex", "follow"}


def test_none_means_noindex_nofollow() -> None:
    assert robots_directives("NONE", None) == {"noindex", "nofollow"}
    assert robots_directives(None, "none") == {"noindex", "nofollow"}


def test_x_robots_tag_combines_with_meta() -> None:
    assert robots_directives("nofollow", "noindex, noarchive") == {
        "nofollow",
        "noindex",
        "noarchive",
    }


def test_x_robots_tag_scoped_to_another_agent_is_ignored() -> None:
    assert robots_directives(None, "otherbot: noindex, nofollow", "linkequity") == frozenset()


def test_x_robots_tag_scoped_to_our_agent_applies() -> None:
    header = "googlebot: noindex, otherbot: nofollow"
    assert robots_directives(None, header, "Googlebot") == {"noindex"}
    assert robots_directives(None, header, "otherbot") == {"nofollow"}
    assert robots_directives(None, header, "linkequity") == frozenset()


def test_repeated_x_robots_tag_headers_on_separate_lines() -> None:
    # A scope ends with its header: the unscoped noarchive applies to everyone.
    header = "otherbot: noindex\nnoarchive"
    assert robots_directives(None, header, "linkequity") == {"noarchive"}


def test_valued_directives_are_not_user_agents() -> None:
    found = robots_directives(
        "max-snippet: 50", "max-image-preview:large, googlebot: max-video-preview:-1"
    )
    assert found == {"max-snippet:50", "max-image-preview:large"}
    assert "max-video-preview:-1" in robots_directives(
        None, "googlebot: max-video-preview:-1", "googlebot"
    )


def test_no_directives() -> None:
    assert robots_directives(None, None) == frozenset()
    assert robots_directives("", " , ") == frozenset()
