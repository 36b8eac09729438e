"""A polite, resumable asyncio crawler writing into the store (acquire stage).

The engine (and with it DuckDB, Arrow and aiohttp) is imported on first use of its names, so
the parse worker (``python -m linkequity.crawl.parse_worker``) runs without them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linkequity.crawl.engine import CrawlProgress, CrawlSummary, run_crawl

__all__ = ["CrawlProgress", "CrawlSummary", "run_crawl"]


def __getattr__(name: str) -> object:
    if name not in __all__:
        raise AttributeError(f"module 'linkequity.crawl' has no attribute {name!r}")
    value = getattr(importlib.import_module("linkequity.crawl.engine"), name)
    globals()[name] = value
    return value
