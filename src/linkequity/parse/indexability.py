"""Whether a crawled URL is indexable, and the first reason if not (acquire stage).

The reasons are those of the "Indexability Status" column SEO crawlers show. They are checked
from the most basic up: a URL that robots.txt blocks or that did not answer says nothing else
about itself, a redirect or an error is not a page, and only an HTML page can carry ``noindex``
or a canonical pointing elsewhere.
"""

from __future__ import annotations

from linkequity.records import IndexabilityReason, is_html

__all__ = ["indexability"]


def _status_reason(status_code: int) -> IndexabilityReason | None:
    if status_code == 200:
        return None
    if 300 <= status_code < 400:
        return IndexabilityReason.REDIRECT
    if 400 <= status_code < 500:
        return IndexabilityReason.CLIENT_ERROR
    if 500 <= status_code < 600:
        return IndexabilityReason.SERVER_ERROR
    return IndexabilityReason.NON_200


def indexability(
    url: str,
    status_code: int | None,
    content_type: str | None,
    directives: frozenset[str],
    canonical_url: str | None,
    blocked: bool = False,
) -> tuple[bool, IndexabilityReason | None]:
    """``(indexable, reason)``; reason is None for an indexable page.

    Reasons, checked in this order: ``"blocked by robots.txt"``, ``"no response"``,
    ``"redirect"``, ``"client error"``, ``"server error"``, ``"non-200"``, ``"non-html"`` (also
    when the content type is unknown), ``"noindex"``, ``"canonicalised"`` (a canonical URL other
    than ``url``; both are normalised URLs).

    >>> indexability("https://example.com/", 200, "text/html; charset=utf-8", frozenset(), None)
    (True, None)
    >>> ok, reason = indexability(
    ...     "https://example.com/a", 200, "text/html", frozenset(), "https://example.com/"
    ... )
    >>> ok, reason == IndexabilityReason.CANONICALISED, str(reason)
    (False, True, 'canonicalised')
    """
    reason: IndexabilityReason | None
    if blocked:
        reason = IndexabilityReason.BLOCKED
    elif status_code is None:
        reason = IndexabilityReason.NO_RESPONSE
    else:
        reason = _status_reason(status_code)
    if reason is None:
        if not is_html(content_type):
            reason = IndexabilityReason.NON_HTML
        elif "noindex" in directives:
            reason = IndexabilityReason.NOINDEX
        elif canonical_url is not None and canonical_url != url:
            reason = IndexabilityReason.CANONICALISED
    return reason is None, reason
