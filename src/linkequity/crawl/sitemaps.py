"""XML sitemaps: reading sitemap indexes, urlsets, gzip and text sitemaps safely (acquire stage).

XML is parsed with defusedxml, which refuses DTDs with entity declarations, so a "billion
laughs" file cannot expand in memory; gzip is inflated only up to the protocol's 50 MB limit,
so a decompression bomb stops there.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from linkequity.crawl.fetch import Fetcher
from linkequity.urls import netloc_of

__all__ = ["SitemapEntry", "SitemapFile", "read_sitemaps"]

# sitemaps.org: at most 50,000 URLs and 50 MB (uncompressed) per file.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
# Google allows an index of sitemaps but not indexes of indexes; tolerate a little nesting.
_MAX_NESTING = 3


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One <loc> of a urlset."""

    url: str
    sitemap: str
    lastmod: str | None


@dataclass(frozen=True, slots=True)
class SitemapFile:
    """One sitemap file read (or not)."""

    url: str
    status_code: int | None
    kind: str | None
    url_count: int
    error: str | None


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    out = inflater.decompress(data, MAX_SITEMAP_BYTES + 1)
    if len(out) > MAX_SITEMAP_BYTES:
        raise ValueError("larger than 50 MB uncompressed")
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def parse_sitemap(data: bytes) -> tuple[str, list[tuple[str, str | None]]]:
    """(kind, [(loc, lastmod)]) of a sitemap's bytes; kind is urlset, sitemapindex or text.

    Raises ValueError for a file that is neither XML nor a list of URLs.
    """
    if data[:2] == b"\x1f\x8b":
        data = _inflate(data)
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"<"):
        lines = [ln.strip() for ln in stripped.decode("utf-8", "replace").splitlines()]
        urls = [ln for ln in lines if ln.startswith(("http://", "https://"))]
        if not urls:
            raise ValueError("neither XML nor a text list of URLs")
        return "text", [(u, None) for u in urls]
    kind = ""
    entries: list[tuple[str, str | None]] = []
    loc: str | None = None
    lastmod: str | None = None
    try:
        for event, elem in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            name = _local(elem.tag)
            if event == "start":
                if not kind:
                    kind = name
                continue
            if name == "loc":
                loc = (elem.text or "").strip()
            elif name == "lastmod":
                lastmod = (elem.text or "").strip() or None
            elif name in ("url", "sitemap"):
                if loc:
                    entries.append((loc, lastmod))
                loc = lastmod = None
                elem.clear()
    except (ParseError, DefusedXmlException) as exc:
        raise ValueError(f"invalid XML ({exc})") from exc
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"root element <{kind}> is not <urlset> or <sitemapindex>")
    return kind, entries


async def read_sitemaps(
    fetcher: Fetcher,
    urls: list[str],
    normalise: Callable[[str], str | None],
) -> tuple[list[SitemapEntry], list[SitemapFile]]:
    """Read sitemaps (recursing into indexes); every page URL once, first sitemap wins."""
    entries: list[SitemapEntry] = []
    files: list[SitemapFile] = []
    seen_pages: set[str] = set()
    seen_maps: set[str] = set()
    todo = [(u, 0) for u in urls]
    while todo:
        url, nesting = todo.pop(0)
        if url in seen_maps:
            continue
        seen_maps.add(url)
        result = await fetcher.fetch(url, netloc_of(url), want_body=True)
        if result.status_code != 200:
            error = result.error or f"HTTP {result.status_code}"
            files.append(SitemapFile(url, result.status_code, None, 0, error))
            continue
        try:
            kind, locs = parse_sitemap(result.body)
        except (ValueError, zlib.error, EOFError) as exc:
            files.append(SitemapFile(url, result.status_code, None, 0, str(exc)))
            continue
        count = 0
        for loc, lastmod in locs:
            target = normalise(loc)
            if target is None:
                continue
            if kind == "sitemapindex":
                if nesting < _MAX_NESTING:
                    todo.append((target, nesting + 1))
                    count += 1
            elif target not in seen_pages:
                seen_pages.add(target)
                entries.append(SitemapEntry(target, url, lastmod))
                count += 1
        files.append(SitemapFile(url, result.status_code, kind, count, None))
    return entries, files
