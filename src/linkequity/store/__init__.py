"""One DuckDB project file: its tables, migrations, writes and read queries (store stage)."""

from __future__ import annotations

from linkequity.store.database import Store
from linkequity.store.queries import CrawlOverview, crawl_overview
from linkequity.store.schema import SCHEMA_VERSION, TABLES

__all__ = ["SCHEMA_VERSION", "TABLES", "CrawlOverview", "Store", "crawl_overview"]
