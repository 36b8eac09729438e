"""The project file: opening, locking, migrating and writing a DuckDB store (store stage).

One process writes a project at a time; DuckDB holds an exclusive file lock for that process and
a second writer gets a :class:`~linkequity.errors.StoreError` saying which process holds it.
Writes are Arrow tables inserted in one transaction (``write``), never row by row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from linkequity.errors import StoreError
from linkequity.pagetext import decompress, plain
from linkequity.store.exports import BATCH_ROWS, FORMATS, write_rows
from linkequity.store.schema import IMPORT_TABLES, MIGRATIONS, SCHEMA_VERSION, TABLES

__all__ = ["Store"]

_PID = re.compile(r"PID (\d+)")


class Store:
    """An open project file.

    >>> with Store("site.duckdb") as store:  # doctest: +SKIP
    ...     store.one("SELECT count(*) FROM pages")
    """

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreError(f"The project file {self.path} does not exist.")
        self._connect(read_only)
        if read_only and 0 < self.schema_version < SCHEMA_VERSION:
            # A file from an older linkequity: migrate it once with a short write, so that
            # reading commands work on it too (a writer holding it gets the usual message).
            self.con.close()
            self._connect(False)
            self._migrate()
            self.con.close()
            self._connect(True)
        self._migrate()

    def _connect(self, read_only: bool) -> None:
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            text = str(exc)
            if "not a valid DuckDB database" in text:
                raise StoreError(f"{self.path} is not a linkequity project file.") from exc
            if "lock" in text.lower():
                pid = _PID.search(text)
                who = f" (process {pid.group(1)})" if pid else ""
                raise StoreError(
                    f"The project file {self.path} is in use by another linkequity process{who}; "
                    "wait for it to finish or use another file."
                ) from exc
            raise StoreError(f"The project file {self.path} cannot be opened: {text}") from exc
        except duckdb.Error as exc:
            raise StoreError(
                f"{self.path} is not a linkequity project file (DuckDB says: {exc})."
            ) from exc
        self.read_only = read_only

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Checkpoint and close the file."""
        self.con.close()

    @property
    def schema_version(self) -> int:
        """The schema version the file is at (0 for a new, empty file)."""
        has_meta = self.one(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        )
        if not has_meta or not has_meta[0]:
            return 0
        row = self.one("SELECT value FROM meta WHERE key = 'schema_version'")
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The project file {self.path} has schema version {version}, newer than this "
                f"linkequity knows ({SCHEMA_VERSION}); upgrade linkequity to open it."
            )
        if version == SCHEMA_VERSION:
            return
        if version == 0 and self._has_foreign_tables():
            raise StoreError(f"{self.path} is a DuckDB file but not a linkequity project file.")
        if self.read_only:
            raise StoreError(
                f"The project file {self.path} needs migrating from schema version {version}; "
                "open it once with a command that writes."
            )
        with self.transaction():
            for step in MIGRATIONS[version:]:
                for statement in step:
                    self.rows(statement)
            self.rows(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )

    def _has_foreign_tables(self) -> bool:
        row = self.one("SELECT count(*) FROM information_schema.tables")
        return bool(row and row[0])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all."""
        self.rows("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.rows("ROLLBACK")
            raise
        self.rows("COMMIT")

    @contextmanager
    def registered(self, **tables: pa.Table) -> Iterator[None]:
        """Arrow tables queryable by name (``FROM _roles``) inside the block."""
        for name, rows in tables.items():
            self.con.register(name, rows)
        try:
            yield
        finally:
            for name in tables:
                self.con.unregister(name)

    @contextmanager
    def configured(self, **options: str | int) -> Iterator[None]:
        """DuckDB options (``threads=1``, ``memory_limit="512MB"``) set inside the block and
        put back to their previous values after it."""
        names = list(options)
        row = self.one("SELECT " + ", ".join(f"current_setting('{name}')" for name in names))
        for name, value in options.items():
            self.rows(f"SET {name} = ?", [value])
        try:
            yield
        finally:
            for name, before in zip(names, row or (), strict=False):
                self.rows(f"SET {name} = ?", [before])

    def insert(self, table: str, rows: pa.Table) -> None:
        """Insert an Arrow table into ``table``, matching columns by name."""
        if rows.num_rows == 0:
            return
        self.con.register("_batch", rows)
        # No unregister on failure: the transaction is aborted by then and DuckDB refuses
        # every statement but ROLLBACK; the next register replaces the view anyway.
        self.rows(f"INSERT INTO {table} BY NAME SELECT * FROM _batch")
        self.con.unregister("_batch")

    def write(self, batches: Mapping[str, pa.Table]) -> None:
        """Insert several tables' rows in one transaction."""
        with self.transaction():
            for table, rows in batches.items():
                self.insert(table, rows)

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a statement and return all its rows (DuckDB wants every result consumed)."""
        return self.con.execute(sql, params or []).fetchall()

    def one(self, sql: str, params: Sequence[Any] | None = None) -> tuple[Any, ...] | None:
        """The first row of a statement's result, or None."""
        rows = self.rows(sql, params)
        return rows[0] if rows else None

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run a query and return its result as an Arrow table."""
        relation = self.con.sql(sql, params=list(params or []))
        if relation is None:
            raise StoreError(f"Not a query: {sql}")
        result: pa.Table = relation.to_arrow_table()
        return result

    def latest_crawl_id(self) -> int:
        """The id of the most recent crawl; StoreError if the project has none."""
        row = self.one("SELECT max(crawl_id) FROM crawls")
        if not row or row[0] is None:
            raise StoreError(f"The project file {self.path} has no crawl yet.")
        return int(row[0])

    def export(self, table: str, out: Path, fmt: str, crawl_id: int | None = None) -> int:
        """Write one table of one crawl to CSV, Parquet or XLSX (:mod:`linkequity.store.exports`:
        streamed, formula-safe, never half written); returns the number of rows."""
        if table not in TABLES:
            raise StoreError(f"Unknown table {table!r}; tables: {', '.join(TABLES)}.")
        if fmt not in FORMATS:
            raise StoreError(f"Unknown export format {fmt!r}; formats: {', '.join(FORMATS)}.")
        if table in IMPORT_TABLES or table == "crawls":
            where = ""
        else:
            cid = self.latest_crawl_id() if crawl_id is None else crawl_id
            where = f" WHERE crawl_id = {int(cid)}"
        rows = self.batches(f"SELECT * FROM {table}{where}")
        if table == "page_texts":
            rows = _readable_texts(rows)
        return write_rows(rows, out, fmt, table)

    def batches(self, sql: str, rows: int = BATCH_ROWS) -> pa.RecordBatchReader:
        """The result of a query as a stream of Arrow batches of ``rows`` rows."""
        relation = self.con.sql(sql)
        # to_arrow_reader since DuckDB 1.4; fetch_record_batch before (deprecated since)
        reader = getattr(relation, "to_arrow_reader", None) or relation.fetch_record_batch
        result: pa.RecordBatchReader = reader(rows)
        return result


def _readable_texts(rows: pa.RecordBatchReader) -> pa.RecordBatchReader:
    """``page_texts`` batches with the stored text as a user reads it: decompressed, its
    link and heading marks removed (as ``queries.table_rows`` gives it)."""
    at = rows.schema.get_field_index("text")
    schema = rows.schema.set(at, pa.field("text", pa.string()))

    def batches() -> Iterator[pa.RecordBatch]:
        for batch in rows:
            texts = [plain(decompress(v)) for v in batch.column(at).to_pylist()]
            columns = list(batch.columns)
            columns[at] = pa.array(texts, pa.string())
            yield pa.record_batch(columns, schema=schema)

    return pa.RecordBatchReader.from_batches(schema, batches())
