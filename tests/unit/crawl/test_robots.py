"""robots.txt rules as Google applies them, through Protego."""

from __future__ import annotations

import pytest

from linkequity.crawl.robots import Robots, RobotsFile

BODY = """
User-agent: *
Disallow: /private/
Allow: /private/open$
Disallow: /*?sort=
Crawl-delay: 2

User-agent: linkequity
Disallow: /not-for-us/

Sitemap: https://ex.com/sitemap.xml
"""


def robots(status: int | None, body: str | None = BODY, agent: str = "linkequity") -> Robots:
    return Robots(RobotsFile("ex.com", status, body, None if status else "refused"), agent)


def test_the_most_specific_group_applies() -> None:
    ours, others = robots(200), robots(200, agent="otherbot")
    assert not ours.allowed("https://ex.com/not-for-us/x")
    assert ours.allowed("https://ex.com/private/x")  # our group replaces the * group
    assert not others.allowed("https://ex.com/private/x")
    assert others.allowed("https://ex.com/private/open")
    assert not others.allowed("https://ex.com/shop?sort=price")
    assert (ours.crawl_delay, others.crawl_delay) == (None, 2.0)
    assert ours.sitemaps == ["https://ex.com/sitemap.xml"]


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (404, True),
        (410, True),
        (401, True),
        (429, False),
        (500, False),
        (503, False),
        (None, False),
    ],
)
def test_answers_without_rules(status: int | None, allowed: bool) -> None:
    # 4xx: no robots.txt, everything allowed whatever the body; 429, 5xx and no answer:
    # Google treats the whole site as disallowed for now.
    rules = robots(status, body="User-agent: *\nDisallow: /")
    assert rules.allowed("https://ex.com/a") is allowed
    assert rules.disallow_all is not allowed
