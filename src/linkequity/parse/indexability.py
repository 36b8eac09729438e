"""Whether a crawled URL is indexable, and the first reason if not (parse stage, acquire).

The reasons are those of the "Indexability Status" column SEO crawlers show. They are checked
from the most basic up: a URL that robots.txt blocks or that did not answer says nothing else
about itself, a redirect or an error is not a page, and only an HTML page can carry ``noindex``
or a canonical pointing elsewhere.
"""

from __future__ import annotations

__all__ = ["HTML_CONTENT_TYPES", "indexability"]

#: Media types search engines index as web pages.
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _status_reason(status_code: int) -> str | None:
    if status_code == 200:
        return None
    if 300 <= status_code < 400:
        return "redirect"
    if 400 <= status_code < 500:
        return "client error"
    if 500 <= status_code < 600:
        return "server error"
    return "non-200"


def indexability(
    url: str,
    status_code: int | None,
    content_type: str | None,
    directives: frozenset[str],
    canonical_url: str | None,
    blocked: bool = False,
) -> tuple[bool, str | None]:
    """``(indexable, reason)``; reason is None for an indexable page.

    Reasons, checked in this order: ``"blocked by robots.txt"``, ``"no response"``,
    ``"redirect"``, ``"client error"``, ``"server error"``, ``"non-200"``, ``"non-html"`` (also
    when the content type is unknown), ``"noindex"``, ``"canonicalised"`` (a canonical URL other
    than ``url``; both are normalised URLs).

    >>> indexability("https://example.com/", 200, "text/html; charset=utf-8", frozenset(), None)
    (True, None)
    >>> indexability("https://example.com/a", 200, "text/html", frozenset(), "https://example.com/")
    (False, 'canonicalised')
    """
    reason: str | None
    if blocked:
        reason = "blocked by robots.txt"
    elif status_code is None:
        reason = "no response"
    else:
        reason = _status_reason(status_code)
    if reason is None:
        media_type = (content_type or "").split(";", 1)[0].strip().lower()
        if media_type not in HTML_CONTENT_TYPES:
            reason = "non-html"
        elif "noindex" in directives:
            reason = "noindex"
        elif canonical_url is not None and canonical_url != url:
            reason = "canonicalised"
    return reason is None, reason
