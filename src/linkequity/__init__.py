"""linkequity: how link equity flows through a website and how to rebalance it (facade stage).

The public API is small: :class:`Project` for one project file, the settings, the errors.
The names that need the store or the crawler (DuckDB, Arrow, aiohttp) are imported on first
use, so a process that only parses (a crawl's parse worker) does not load them: ~60 MB less
memory per worker.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from linkequity.errors import (
    ConfigError,
    ConvergenceError,
    FetchError,
    ImportFormatError,
    LinkEquityError,
    StoreError,
)
from linkequity.settings import AuditSettings, BacklinkSettings, CrawlSettings, EquitySettings

if TYPE_CHECKING:
    from linkequity.analysis import AnalysisSummary
    from linkequity.crawl import CrawlProgress, CrawlSummary
    from linkequity.project import Project
    from linkequity.store import CrawlOverview

__all__ = [
    "AnalysisSummary",
    "AuditSettings",
    "BacklinkSettings",
    "ConfigError",
    "ConvergenceError",
    "CrawlOverview",
    "CrawlProgress",
    "CrawlSettings",
    "CrawlSummary",
    "EquitySettings",
    "FetchError",
    "ImportFormatError",
    "LinkEquityError",
    "Project",
    "StoreError",
    "__version__",
]

__version__ = "0.1.0"

# Public names imported on first use, and the module that defines each.
_LAZY = {
    "AnalysisSummary": "linkequity.analysis",
    "CrawlOverview": "linkequity.store",
    "CrawlProgress": "linkequity.crawl",
    "CrawlSummary": "linkequity.crawl",
    "Project": "linkequity.project",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'linkequity' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
