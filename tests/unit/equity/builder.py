"""A hand-made crawl in a real project file, for the analyze stage's tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from linkequity.store import Store

SITE = "https://shop.example/"


def url(path: str) -> str:
    """An absolute URL of the test site (``"a"`` -> ``https://shop.example/a``)."""
    return path if "://" in path else SITE + path.lstrip("/")


@dataclass
class Crawl:
    """Pages and links of one crawl, written with :meth:`save`."""

    pages: list[dict[str, object]] = field(default_factory=list)
    links: list[dict[str, object]] = field(default_factory=list)
    sitemap: list[str] = field(default_factory=list)
    frontier: list[dict[str, object]] = field(default_factory=list)

    def page(
        self,
        path: str,
        status: int | None = 200,
        *,
        content_type: str | None = "text/html",
        redirect: str | None = None,
        canonical: str | None = None,
        meta_robots: str | None = None,
        reason: str | None = None,
        depth: int | None = 1,
        title: str | None = None,
        h1: str | None = None,
    ) -> Crawl:
        if reason is None and status is not None and status != 200:
            reason = "redirect" if 300 <= status < 400 else "client error"
        if reason is None and meta_robots and "noindex" in meta_robots:
            reason = "noindex"
        if reason is None and canonical is not None and url(canonical) != url(path):
            reason = "canonicalised"
        self.pages.append(
            {
                "url": url(path),
                "status_code": status,
                "content_type": content_type if status is not None else None,
                "depth": depth,
                "redirect_url": url(redirect) if redirect else None,
                "canonical_url": url(canonical) if canonical else None,
                "meta_robots": meta_robots,
                "indexable": reason is None,
                "indexability_reason": reason,
                "title": title,
                "h1": h1,
                "in_sitemap": url(path) in self.sitemap,
            }
        )
        return self

    def link(
        self,
        src: str,
        dst: str,
        *,
        position: str = "content",
        rel: str | None = None,
        anchor: str = "a link",
        image: bool = False,
        alt: str | None = None,
    ) -> Crawl:
        tokens = set((rel or "").split())
        target = url(dst) if ":" not in dst or "://" in dst else dst
        ordinal = sum(1 for link in self.links if link["src_url"] == url(src))
        self.links.append(
            {
                "src_url": url(src),
                "dst_url": target,
                "anchor": anchor,
                "alt": alt,
                "rel": rel,
                "is_nofollow": "nofollow" in tokens,
                "is_sponsored": "sponsored" in tokens,
                "is_ugc": "ugc" in tokens,
                "position": position,
                "is_internal": target.startswith(SITE),
                "is_image": image,
                "ordinal": ordinal,
            }
        )
        return self

    def held(self, path: str, rule: str, pattern: str, found_from: str = "") -> Crawl:
        """A URL the crawl's trap defences held back (a frontier row and no page)."""
        self.frontier.append(
            {
                "url": url(path),
                "phase": 1,
                "level": 2,
                "found_from": url(found_from),
                "found_by": "link",
                "held_back": rule,
                "trap_pattern": url(pattern),
            }
        )
        return self

    def save(self, path: Path, crawl_id: int = 1) -> Path:
        now = datetime.now(UTC)
        with Store(path) as store:
            store.write(
                {
                    "crawls": pa.Table.from_pylist(
                        [
                            {
                                "crawl_id": crawl_id,
                                "start_url": SITE,
                                "started_at": now,
                                "finished_at": now,
                                "status": "finished",
                                "settings_json": "{}",
                            }
                        ]
                    ),
                    "pages": _with_id(self.pages, crawl_id),
                    "links": _with_id(self.links, crawl_id),
                    **({"frontier": _with_id(self.frontier, crawl_id)} if self.frontier else {}),
                    "sitemap_urls": _with_id(
                        [{"url": u, "sitemap": SITE + "sitemap.xml"} for u in self.sitemap],
                        crawl_id,
                    ),
                }
            )
        return path


def _with_id(rows: list[dict[str, object]], crawl_id: int) -> pa.Table:
    return pa.Table.from_pylist([{"crawl_id": crawl_id, **r} for r in rows])
