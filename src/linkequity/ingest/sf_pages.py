"""Screaming Frog Internal exports (and link statuses) as ``pages`` rows (acquire stage).

The format covers the "Internal" tab exported with the "All" or "HTML" filter in every version
seen: 74 columns now; older exports say "Content" and "Redirect URI" and lack Indexability; a
tree-view export adds "Path" columns and folder rows without an Address (skipped).

How fields map (a column the file lacks leaves its field NULL): Address, Status Code, Content
Type, Crawl Depth, Title 1, H1-1, Meta Description 1, Meta Robots 1 (lower case, as the crawler
stores it), X-Robots-Tag 1, Canonical Link Element 1 and the Redirect URL of a 3xx (both
normalised), Word Count, Size, Response Time (seconds, stored as ``elapsed_ms``) and Crawl
Timestamp (written in the crawling machine's local time without a zone; stored as if UTC).
Hash, an MD5 of the page, goes to ``text_sha1``: equal values still mean duplicate pages within
the snapshot, but do not compare them with a crawl's. ``in_sitemap`` is false: the export does
not say. A 2xx row's Redirect URL (a meta refresh or JavaScript redirect) is not kept: the
crawler follows HTTP redirects only.

Status code 0 means no response: ``status_code`` NULL with the Status text as ``error``, or
blocked by robots.txt. Indexability is recomputed with the crawler's rules
(:func:`~linkequity.parse.indexability`) so a crawl and an import of the same site agree
(Screaming Frog calls an image "Indexable", we say non-html); where our rules find the page
indexable but Screaming Frog does not, its reason is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from linkequity.ingest.formats import (
    BadValue,
    Column,
    ColumnMap,
    Format,
    parse_float,
    parse_int,
    parse_status,
)
from linkequity.parse import indexability, robots_directives
from linkequity.records import IndexabilityReason
from linkequity.store.rows import PageRow

__all__ = ["PAGES_FORMAT", "PageFields", "linked_page", "page_row"]

PAGES_FORMAT = Format(
    "Screaming Frog Internal: All / HTML",
    (
        Column("url", ("Address",), required=True),
        Column("status_code", ("Status Code",), required=True),
        Column("status", ("Status",)),
        Column("content_type", ("Content Type", "Content")),
        Column("depth", ("Crawl Depth",)),
        Column("indexability", ("Indexability",)),
        Column("indexability_status", ("Indexability Status",)),
        Column("title", ("Title 1",)),
        Column("h1", ("H1-1",)),
        Column("meta_description", ("Meta Description 1",)),
        Column("meta_robots", ("Meta Robots 1",)),
        Column("x_robots_tag", ("X-Robots-Tag 1",)),
        Column("canonical_url", ("Canonical Link Element 1",)),
        Column("redirect_url", ("Redirect URL", "Redirect URI")),
        Column("word_count", ("Word Count",)),
        Column("size_bytes", ("Size (bytes)", "Size")),
        Column("response_time", ("Response Time",)),
        Column("hash", ("Hash",)),
        Column("crawled_at", ("Crawl Timestamp",)),
    ),
)

# Screaming Frog's Indexability Status in our words, for pages our rules find indexable.
_SF_REASONS: dict[str, str] = {
    "blocked by robots.txt": IndexabilityReason.BLOCKED,
    "canonicalised": IndexabilityReason.CANONICALISED,
    "noindex": IndexabilityReason.NOINDEX,
    "redirected": IndexabilityReason.REDIRECT,
    "client error": IndexabilityReason.CLIENT_ERROR,
    "server error": IndexabilityReason.SERVER_ERROR,
    "no response": IndexabilityReason.NO_RESPONSE,
}
# Screaming Frog's Status text of a URL its robots.txt rules kept it from requesting.
_SF_BLOCKED = "blocked by robots.txt"


class PageFields:
    """One row of a page file read by field name; a bad value names its field."""

    def __init__(self, columns: ColumnMap) -> None:
        self._index = {c.field: columns.index(c.field) for c in columns.format.columns}
        self.fields: list[str] = []

    def text(self, name: str) -> str:
        """The field stripped; empty when the file lacks the column."""
        i = self._index[name]
        return "" if i is None else self.fields[i].strip()

    def optional(self, name: str) -> str | None:
        """The field stripped, None when empty."""
        return self.text(name) or None

    def whole(self, name: str) -> int | None:
        """The field as a whole number."""
        try:
            return parse_int(self.text(name))
        except BadValue as exc:
            exc.field = name
            raise

    def number(self, name: str) -> float | None:
        """The field as a decimal number."""
        try:
            return parse_float(self.text(name))
        except BadValue as exc:
            exc.field = name
            raise

    def status(self, name: str) -> int | None:
        """The field as an HTTP status code."""
        try:
            return parse_status(self.text(name))
        except BadValue as exc:
            exc.field = name
            raise

    def timestamp(self, name: str) -> datetime | None:
        """The field as a date and time (ISO 8601, as Screaming Frog writes it), in UTC."""
        text = self.text(name)
        if not text:
            return None
        try:
            return datetime.fromisoformat(text).replace(tzinfo=UTC)
        except ValueError:
            raise BadValue(f"{text!r} is not a date and time", name) from None


def _no_response(code: int | None, status_text: str) -> tuple[int | None, bool, str | None]:
    """(status_code, blocked, error) of a status code where 0 or nothing means no response."""
    if code is not None and code != 0:
        return code, False, None
    if status_text.lower() == _SF_BLOCKED:
        return None, True, IndexabilityReason.BLOCKED
    return None, False, status_text or "no response"


def page_row(
    url: str, row: PageFields, normalise: Callable[[str], str | None], user_agent: str
) -> PageRow:
    """The page row of one row of a page file; ``url`` is its normalised Address.

    ``normalise`` gives the normalised form of an absolute http(s) URL, else None: a redirect
    or canonical URL that is not one is dropped, as the crawler drops it.
    """
    status_code, blocked, error = _no_response(row.status("status_code"), row.text("status"))
    redirect_url = None
    target = row.text("redirect_url")
    if target and status_code is not None and 300 <= status_code < 400:
        redirect_url = normalise(target)
    canonical = row.text("canonical_url")
    canonical_url = normalise(canonical) if canonical else None
    content_type = row.optional("content_type")
    meta_robots = row.text("meta_robots").lower() or None
    x_robots_tag = row.optional("x_robots_tag")
    directives = robots_directives(meta_robots, x_robots_tag, user_agent)
    ok, ours = indexability(url, status_code, content_type, directives, canonical_url, blocked)
    reason: str | None = ours
    if ok and row.text("indexability").lower() == "non-indexable":
        theirs = row.text("indexability_status").lower()
        ok, reason = False, _SF_REASONS.get(theirs, theirs or "non-indexable")
    seconds = row.number("response_time")
    return PageRow(
        url=url,
        status_code=status_code,
        content_type=content_type,
        depth=row.whole("depth"),
        redirect_url=redirect_url,
        canonical_url=canonical_url,
        meta_robots=meta_robots,
        x_robots_tag=x_robots_tag,
        indexable=ok,
        indexability_reason=reason,
        title=row.optional("title"),
        h1=row.optional("h1"),
        meta_description=row.optional("meta_description"),
        word_count=row.whole("word_count"),
        text_sha1=row.text("hash").lower() or None,
        size_bytes=row.whole("size_bytes"),
        elapsed_ms=None if seconds is None else round(seconds * 1000, 3),
        in_sitemap=False,
        fetched_at=None if status_code is None else row.timestamp("crawled_at"),
        error=error,
        encoding=None,
    )


def linked_page(url: str, code: int, status_text: str, location: str | None) -> PageRow:
    """The page row of a URL known only from a links file: its status, and nothing else.

    ``location`` is the redirect target an old export lists for it (kept for a 3xx). A 2xx
    URL's indexability reason is ``unknown``: the links file does not say what it holds.
    """
    status_code, blocked, error = _no_response(code, status_text)
    redirect_url = location if status_code is not None and 300 <= status_code < 400 else None
    ok, reason = indexability(url, status_code, None, frozenset(), None, blocked)
    if reason == IndexabilityReason.NON_HTML:
        ok, reason = False, IndexabilityReason.UNKNOWN
    return PageRow(
        url=url,
        status_code=status_code,
        content_type=None,
        depth=None,
        redirect_url=redirect_url,
        canonical_url=None,
        meta_robots=None,
        x_robots_tag=None,
        indexable=ok,
        indexability_reason=reason,
        title=None,
        h1=None,
        meta_description=None,
        word_count=None,
        text_sha1=None,
        size_bytes=None,
        elapsed_ms=None,
        in_sitemap=False,
        fetched_at=None,
        error=error,
        encoding=None,
    )
