"""Turning a fetched response into a page row and its links (acquire stage).

This is the CPU-heavy half of a crawl (decode, parse, resolve ~200 hrefs a page). It runs in the
fetching process, or in parse workers (see workers.py) when ``workers`` > 0: :class:`PageParser`
holds the per-process state (the resolver's and the link targets' caches, the scope).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import compress

from linkequity.pagetext import compress as compress_text
from linkequity.parse import (
    canonical_from_link_header,
    decode_html,
    parse_html,
)
from linkequity.records import LinkColumns, ParsedHtml
from linkequity.settings import CrawlSettings
from linkequity.urls import LinkTargets, Resolver, Scope

__all__ = ["PageFacts", "PageParser", "followable"]


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What the body and headers of one response say (HTML parsed when it is HTML)."""

    parsed: ParsedHtml | None
    encoding: str | None
    canonical_url: str | None
    redirect_url: str | None
    text: bytes | None = None
    """The page's own text, compressed (:func:`linkequity.pagetext.compress`), when kept."""


class PageParser:
    """Parses responses for one crawl; one instance per process."""

    def __init__(self, settings: CrawlSettings, start_urls: list[str]) -> None:
        self.resolver = Resolver(settings.strip_params)
        self.scope = Scope(
            start_urls, settings.include_subdomains, settings.include, settings.exclude
        )
        self.targets = LinkTargets(self.resolver, self.scope)
        self.text_limit = settings.text_limit if settings.store_text else 0

    def facts(
        self,
        url: str,
        body: bytes,
        content_type_header: str | None,
        location: str | None,
        link_header: str | None,
        parse: bool,
    ) -> PageFacts:
        """Parse one response; ``parse`` says whether the body is HTML worth parsing."""
        redirect_url = self.resolver.resolve(url, location) if location else None
        parsed = None
        encoding = None
        own_text = None
        if parse:
            text, encoding = decode_html(body, content_type_header)
            parsed = parse_html(text, url, self.resolver, self.scope, self.targets, self.text_limit)
            if parsed.content_text or parsed.headings:
                # Compressed here, in the worker, so only the compressed text is sent back.
                own_text = compress_text(parsed.content_text)
                parsed = replace(parsed, content_text="")
        canonical = parsed.canonical_url if parsed else None
        if canonical is None and link_header:
            canonical = canonical_from_link_header(link_header, url, self.resolver)
        return PageFacts(parsed, encoding, canonical, redirect_url, own_text)


def followable(links: LinkColumns, follow_nofollow: bool) -> list[str]:
    """The http(s) targets a crawler may follow from a page's links, in page order."""
    if follow_nofollow:
        return list(compress(links.dst_url, links.is_followable))
    columns = zip(links.dst_url, links.is_followable, links.is_nofollow, strict=True)
    return [dst for dst, ok, nofollow in columns if ok and not nofollow]
