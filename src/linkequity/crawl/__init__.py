"""The crawl stage (acquire): a polite, resumable asyncio crawler writing into the store."""

from __future__ import annotations

from linkequity.crawl.engine import CrawlProgress, CrawlSummary, run_crawl

__all__ = ["CrawlProgress", "CrawlSummary", "run_crawl"]
