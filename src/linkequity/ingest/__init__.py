"""Exports of other tools read into a project's tables (acquire stage).

:mod:`~linkequity.ingest.csvfile` reads CSV / TSV exports (encoding, delimiter, title line),
:mod:`~linkequity.ingest.formats` recognises an export by its header,
:mod:`~linkequity.store.staging` holds an import's rows until its one transaction, and each
tool has its importer: :func:`import_screamingfrog` for Screaming Frog SEO Spider crawls,
:func:`import_backlinks` for the backlink exports of Ahrefs, Semrush, Majestic, Moz, Search
Console and any CSV through a column mapping.
"""

from __future__ import annotations

from linkequity.ingest.backlinks import (
    BacklinkFileSummary,
    BacklinkImportSummary,
    import_backlinks,
    parse_mapping,
)
from linkequity.ingest.csvfile import CsvLayout, CsvReader, sniff_csv
from linkequity.ingest.formats import BadValue, Column, ColumnMap, Format, detect_format
from linkequity.ingest.screamingfrog import (
    FileSummary,
    ImportProgress,
    ImportSummary,
    import_screamingfrog,
)

__all__ = [
    "BacklinkFileSummary",
    "BacklinkImportSummary",
    "BadValue",
    "Column",
    "ColumnMap",
    "CsvLayout",
    "CsvReader",
    "FileSummary",
    "Format",
    "ImportProgress",
    "ImportSummary",
    "detect_format",
    "import_backlinks",
    "import_screamingfrog",
    "parse_mapping",
    "sniff_csv",
]
