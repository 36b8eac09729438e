"""Sitemaps: finding them and reading indexes, urlsets, gzip and text files safely (acquire stage).

A crawl reads the sitemaps the site declares (robots.txt ``Sitemap:`` lines, ``<link
rel="sitemap">`` in the start page, the ``sitemaps`` setting) and then the locations sitemap
generators write to by default (:data:`GUESSED_NAMES`) in the start URL's directory and each
parent up to the root, because a site served under a path (``/project/``, ``/blog/``) has no
robots.txt of its own at the host root to declare its sitemap. A guess that is not there is
recorded without an error: only declared sitemaps are expected to exist.

XML is parsed with defusedxml, which refuses DTDs with entity declarations, so a "billion
laughs" file cannot expand in memory; gzip is inflated only up to the protocol's 50 MB limit,
so a decompression bomb stops there.
"""

from __future__ import annotations

import io
import zlib
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from selectolax.lexbor import LexborHTMLParser

from linkequity.crawl.fetch import Fetcher, FetchResult
from linkequity.parse import decode_html
from linkequity.urls import Resolver, netloc_of

__all__ = [
    "GUESSED_NAMES",
    "SitemapEntry",
    "SitemapFile",
    "guessed_locations",
    "read_sitemaps",
    "sitemap_links",
]

# sitemaps.org: at most 50,000 URLs and 50 MB (uncompressed) per file.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
# Google allows an index of sitemaps but not indexes of indexes; tolerate a little nesting.
_MAX_NESTING = 3
#: Where generators put a sitemap unless told otherwise: the protocol's example name, the index
#: of Yoast, Rank Math and most plugins, and WordPress core's own (since 5.5).
GUESSED_NAMES = ("sitemap.xml", "sitemap_index.xml", "wp-sitemap.xml")


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


def guessed_locations(url: str) -> list[str]:
    """The :data:`GUESSED_NAMES` in ``url``'s directory, then in each parent up to the root.

    The nearest directory comes first: under a path, the sitemap of the site's own folder is
    the one that describes it (the host root may hold another site's).

    >>> [u.rsplit("/", 1)[0] for u in guessed_locations("https://h.example/a/b/page.html")[::3]]
    ['https://h.example/a/b', 'https://h.example/a', 'https://h.example']
    """
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    folders = parts.path.split("/")[1:-1]
    dirs = ["/" + "".join(f + "/" for f in folders[:n]) for n in range(len(folders), -1, -1)]
    return [origin + d + name for d in dirs for name in GUESSED_NAMES]


def sitemap_links(page: FetchResult, resolver: Resolver) -> list[str]:
    """The URLs of a page's ``<link rel="sitemap" href>`` elements, resolved, in page order.

    The whole document is searched, not only ``<head>``: unlike a canonical, a sitemap link
    carries no directive that a stray copy in the body could misuse.
    """
    if page.status_code is None or not 200 <= page.status_code < 300 or not page.is_html:
        return []
    text, _ = decode_html(page.body, page.content_type_header)
    # As in parse.html: scripting on, so <noscript> in <head> does not end the head early.
    tree = LexborHTMLParser(text.encode("utf-8", "replace"), scripting=True)
    base = page.url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = resolver.resolve(page.url, base_node.attributes.get("href") or "") or base
    found: list[str] = []
    for node in tree.css("link[rel][href]"):
        attrs = node.attributes
        href = (attrs.get("href") or "").strip()
        if href and "sitemap" in (attrs.get("rel") or "").lower().split():
            url = resolver.resolve(base, href)
            if url is not None and url not in found:
                found.append(url)
    return found


def _not_there(result: FetchResult) -> bool:
    """Whether a guessed location's answer just means "no sitemap here".

    Besides 404 and 410, a redirect (WordPress and Yoast send /sitemap.xml on to their own
    name, which is guessed too; other sites send every unknown URL to the home page) and an
    HTML page served with 200 for any unknown URL (a single-page app's catch-all).
    """
    status = result.status_code
    if status is None:
        return False
    return status in (404, 410) or 300 <= status < 400 or (status == 200 and result.is_html)


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
    urls: Sequence[str],
    normalise: Callable[[str], str | None],
    guessed: Sequence[str] = (),
) -> tuple[list[SitemapEntry], list[SitemapFile]]:
    """Read sitemaps (recursing into indexes); every file and page URL once, first sitemap wins.

    ``urls`` are the declared sitemaps, read first with the files their indexes list;
    ``guessed`` are tried after them, in order, and one that is not there (see
    :func:`_not_there`) is recorded with its status and no error.
    """
    entries: list[SitemapEntry] = []
    files: list[SitemapFile] = []
    seen_pages: set[str] = set()
    seen_maps: set[str] = set()
    todo = deque((u, 0, False) for u in urls)
    later = deque((u, 0, True) for u in guessed)
    while todo or later:
        url, nesting, guess = (todo or later).popleft()
        if url in seen_maps:
            continue
        seen_maps.add(url)
        result = await fetcher.fetch(url, netloc_of(url), want_body=True)
        absent = SitemapFile(url, result.status_code, None, 0, None)
        if result.status_code != 200:
            if guess and _not_there(result):
                files.append(absent)
                continue
            error = result.error or f"HTTP {result.status_code}"
            files.append(SitemapFile(url, result.status_code, None, 0, error))
            continue
        try:
            kind, locs = parse_sitemap(result.body)
        except (ValueError, zlib.error, EOFError) as exc:
            if guess and _not_there(result):
                files.append(absent)
                continue
            files.append(SitemapFile(url, result.status_code, None, 0, str(exc)))
            continue
        count = 0
        for loc, lastmod in locs:
            target = normalise(loc)
            if target is None:
                continue
            if kind == "sitemapindex":
                if nesting < _MAX_NESTING:
                    todo.append((target, nesting + 1, False))
                    count += 1
            elif target not in seen_pages:
                seen_pages.add(target)
                entries.append(SitemapEntry(target, url, lastmod))
                count += 1
        files.append(SitemapFile(url, result.status_code, kind, count, None))
    return entries, files
