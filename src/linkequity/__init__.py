"""linkequity: how link equity flows through a website, and how to rebalance it.

The public API is small: :class:`Project` for one project file, the settings, the errors.
"""

from __future__ import annotations

from linkequity.crawl import CrawlProgress, CrawlSummary
from linkequity.errors import (
    ConfigError,
    ConvergenceError,
    FetchError,
    ImportFormatError,
    LinkEquityError,
    StoreError,
)
from linkequity.project import Project
from linkequity.settings import CrawlSettings
from linkequity.store import CrawlOverview

__all__ = [
    "ConfigError",
    "ConvergenceError",
    "CrawlOverview",
    "CrawlProgress",
    "CrawlSettings",
    "CrawlSummary",
    "FetchError",
    "ImportFormatError",
    "LinkEquityError",
    "Project",
    "StoreError",
    "__version__",
]

__version__ = "0.1.0"
