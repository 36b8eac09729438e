"""Backlink exports of Ahrefs, Semrush, Majestic, Moz and Search Console imported (acquire stage).

:func:`import_backlinks` reads any number of files of any of the formats in
:mod:`~linkequity.ingest.backlink_formats`, each recognised by its header, or a CSV of another
tool through a column mapping. Every file becomes one snapshot (an ``imports`` row: tool,
report, format, path, when the tool exported it if its name or preamble says, rows) and its
rows go to the table of its report; how fields are read is told in
:mod:`~linkequity.ingest.backlink_rows`.

All files of one call are one transaction: rows are staged in Parquet beside the project
(:mod:`~linkequity.store.staging`) while the files are read, and written at the end in one
short transaction, so a file that cannot be read leaves the project as it was.

Nothing is deduplicated here: the same link in two exports (or the same export imported twice)
is two rows, and :func:`~linkequity.backlinks.current.current_backlinks` counts it once, as one
(referring URL, target URL) pair with the newest report's facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa

from linkequity.errors import ConfigError, ImportFormatError
from linkequity.ingest.backlink_formats import (
    BACKLINK_FIELDS,
    FORMATS,
    TOOLS,
    BacklinkFormat,
    generic_format,
)
from linkequity.ingest.backlink_rows import STAGED_SCHEMAS, ImportProgress, RowReader
from linkequity.ingest.backlink_values import date_in_name, date_in_text
from linkequity.ingest.csvfile import CsvLayout, sniff_csv
from linkequity.ingest.formats import ColumnMap, detect_format, header_key
from linkequity.store.database import Store
from linkequity.store.staging import Staging
from linkequity.store.tables import table

__all__ = [
    "BacklinkFileSummary",
    "BacklinkImportSummary",
    "import_backlinks",
    "parse_mapping",
]


@dataclass(frozen=True, slots=True)
class BacklinkFileSummary:
    """What one file gave, as one snapshot."""

    name: str
    import_id: int
    tool: str
    report: str
    """``backlinks``, ``sample_links``, ``referring_domains``, ``linking_sites``,
    ``linked_pages`` or ``anchors``."""
    format: str
    """The detected format's key (``ahrefs-v3``), stored in ``imports.format``."""
    format_name: str
    table: str
    exported_on: date | None
    rows: int
    """Data rows read, skipped ones included."""
    written: int
    """Rows written to ``table``."""
    links: int
    """Backlinks written (0 for reports of domains, pages or anchors)."""
    domains: int
    """Distinct referring domains among the rows written."""
    skipped: tuple[tuple[str, int], ...]
    """(reason, rows) of rows that became nothing, most first."""
    missing_columns: tuple[str, ...]
    """Optional columns of the format this file lacks."""


@dataclass(frozen=True, slots=True)
class BacklinkImportSummary:
    """What one import wrote."""

    files: tuple[BacklinkFileSummary, ...]
    rows: int
    backlinks: int
    referring_domains: int
    """Distinct referring domains over every file."""
    skipped: tuple[tuple[str, int], ...]


def _sorted_counts(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """``["referring_url=Source URL", ...]`` (the CLI's ``--map``) as a field -> column dict."""
    mapping: dict[str, str] = {}
    for item in items:
        field, sep, column = item.partition("=")
        field, column = field.strip(), column.strip().strip("\"'")
        if not sep or not field or not column:
            raise ConfigError(
                f'--map {item!r} is not field=column, e.g. --map referring_url="Source URL".'
            )
        mapping[field] = column
    return mapping


def _check_mapping(mapping: Mapping[str, str]) -> None:
    unknown = [f for f in mapping if f not in BACKLINK_FIELDS]
    if unknown:
        raise ConfigError(
            f"Unknown field{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(f) for f in unknown)} in the column mapping; fields: "
            f"{', '.join(BACKLINK_FIELDS)}."
        )
    if "referring_url" not in mapping:
        raise ConfigError(
            "The column mapping needs referring_url, the column of the linking page's URL "
            '(e.g. --map referring_url="Source URL").'
        )


def _bind_mapping(layout: CsvLayout, fmt: BacklinkFormat) -> ColumnMap:
    have = {header_key(h) for h in layout.header}
    for column in fmt.format.columns:
        name = column.aliases[0]
        if header_key(name) not in have:
            seen = ", ".join(f'"{h}"' for h in layout.header)
            raise ImportFormatError(
                f"has no column {name!r} (mapped to {column.field}); its columns are {seen}.",
                layout.path,
                layout.header_row,
            )
    bound = fmt.format.bind(layout.header)
    if bound is None:  # every mapped column is there, so the format binds
        raise ImportFormatError("cannot be bound to the column mapping.", layout.path)
    return bound


def _detect(
    layout: CsvLayout, tool: str | None, mapping: Mapping[str, str] | None
) -> tuple[BacklinkFormat, ColumnMap]:
    if mapping:
        fmt = generic_format(dict(mapping), tool or "generic")
        return fmt, _bind_mapping(layout, fmt)
    candidates = [f for f in FORMATS if tool is None or f.tool == tool]
    if not candidates:
        raise ConfigError(
            "--tool generic needs a column mapping: --map referring_url=COLUMN "
            "[--map target_url=COLUMN ...]."
        )
    columns = detect_format(layout, [f.format for f in candidates])
    fmt = next(f for f in candidates if f.format is columns.format)
    return fmt, columns


def _exported_on(layout: CsvLayout) -> date | None:
    found = date_in_name(layout.path.name)
    if found is not None:
        return found
    for line in layout.preamble:
        found = date_in_text(line)
        if found is not None:
            return found
    return None


#: DuckDB's memory limit while the staged rows are inserted. DuckDB keeps a transaction's
#: inserted rows in memory up to its limit (80% of RAM by default) and writes them to the file
#: beyond it. Measured on a 1,000,000-row Ahrefs export: peak RSS 1,378 MB with the default,
#: 686 MB at 400 MB (insert 3.1 s -> 3.8 s); 512 MB keeps the peak under 1 GB at any size.
INSERT_MEMORY_LIMIT = "512MB"


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _insert(store: Store, table: str, path: Path, import_id: int, extras: Sequence[str]) -> None:
    """Insert one file's staged rows with its import id; extra columns become extra_json."""
    names = ", ".join(STAGED_SCHEMAS[table].names)
    if extras:
        pairs = ", ".join(f"{_sql_text(h)}, x{i}" for i, h in enumerate(extras))
        extra = f"CAST(json_object({pairs}) AS VARCHAR)"
    else:
        extra = "CAST(NULL AS VARCHAR)"
    store.rows(
        f"INSERT INTO {table} BY NAME SELECT CAST(? AS INTEGER) AS import_id, {names}, "
        f"{extra} AS extra_json FROM read_parquet(?)",
        [import_id, str(path)],
    )


def import_backlinks(
    store: Store,
    paths: Sequence[Path],
    tool: str | None = None,
    mapping: Mapping[str, str] | None = None,
    progress: ImportProgress | None = None,
) -> BacklinkImportSummary:
    """Import backlink exports into ``store``, one snapshot per file, all in one transaction.

    ``tool`` restricts detection to that tool's formats (``ahrefs``, ``semrush``,
    ``majestic``, ``moz``, ``gsc``); ``mapping`` (field -> column, see
    :data:`~linkequity.ingest.backlink_formats.BACKLINK_FIELDS`) reads every file as a
    generic CSV instead. Raises :class:`~linkequity.errors.ImportFormatError` naming file, row
    and column for a file that is not a known export or has a malformed row, and
    :class:`~linkequity.errors.ConfigError` for bad arguments; nothing is written then.
    """
    if not paths:
        raise ConfigError("Give at least one backlink export to import.")
    if tool is not None and tool not in TOOLS:
        raise ConfigError(f"Unknown tool {tool!r}; tools: {', '.join(TOOLS)}.")
    if mapping:
        _check_mapping(mapping)
    files = []
    for path in paths:
        layout = sniff_csv(Path(path))
        fmt, columns = _detect(layout, tool, mapping)
        files.append((layout, fmt, columns))
    today = datetime.now(UTC).date()
    imported_at = datetime.now(UTC)
    readers: list[RowReader] = []
    with Staging(store.path.resolve().parent) as staging:
        for i, (layout, fmt, columns) in enumerate(files):
            reader = RowReader(layout, columns, fmt, fmt.tool, _exported_on(layout), today)
            reader.read(staging, f"{fmt.table}.{i}", progress)
            readers.append(reader)
        staged = staging.staged()
        with store.configured(memory_limit=INSERT_MEMORY_LIMIT), store.transaction():
            row = store.one("SELECT coalesce(max(import_id), 0) + 1 FROM imports")
            base = int(row[0]) if row else 1
            summaries = []
            for i, reader in enumerate(readers):
                layout, fmt = reader.layout, reader.fmt
                key = fmt.preamble_key if layout.preamble and fmt.preamble_key else fmt.key
                summaries.append(_summary(reader, base + i, key))
                key_path = staged.get(f"{fmt.table}.{i}")
                if key_path is not None:
                    _insert(store, fmt.table, key_path, base + i, [h for h, _ in reader.extras])
            store.insert("imports", _imports_table(summaries, readers, imported_at))
    total: Counter[str] = Counter()
    domains: set[str] = set()
    for s, reader in zip(summaries, readers, strict=True):
        total.update(dict(s.skipped))
        domains |= reader.counts.domains
    return BacklinkImportSummary(
        files=tuple(summaries),
        rows=sum(s.rows for s in summaries),
        backlinks=sum(s.links for s in summaries),
        referring_domains=len(domains),
        skipped=_sorted_counts(total),
    )


def _summary(reader: RowReader, import_id: int, key: str) -> BacklinkFileSummary:
    counts, fmt = reader.counts, reader.fmt
    return BacklinkFileSummary(
        name=reader.layout.path.name,
        import_id=import_id,
        tool=fmt.tool if fmt.key != "generic" else reader.tool,
        report=fmt.report,
        format=key,
        format_name=fmt.format.name,
        table=fmt.table,
        exported_on=_exported_on(reader.layout),
        rows=counts.rows,
        written=counts.written,
        links=counts.written if fmt.table == "backlinks" else 0,
        domains=len(counts.domains),
        skipped=_sorted_counts(counts.skipped),
        missing_columns=reader.columns.missing,
    )


def _imports_table(
    summaries: Sequence[BacklinkFileSummary], readers: Sequence[RowReader], at: datetime
) -> pa.Table:
    return table("imports").batch(
        {
            "import_id": [s.import_id for s in summaries],
            "tool": [s.tool for s in summaries],
            "report": [s.report for s in summaries],
            "format": [s.format for s in summaries],
            "path": [str(r.layout.path) for r in readers],
            "imported_at": [at] * len(summaries),
            "exported_on": [s.exported_on for s in summaries],
            "rows": [s.rows for s in summaries],
        }
    )
