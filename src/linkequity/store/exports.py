"""Writing a table to CSV, Parquet or XLSX, streamed, safe to open in a spreadsheet (store stage).

* **Streamed.** Rows come from DuckDB in Arrow batches of :data:`BATCH_ROWS` and are written
  as they come, so a table of any size needs one batch in memory. XLSX is written by
  XlsxWriter in its ``constant_memory`` mode (each row flushed to its sheet's file as it is
  done), and a table longer than a sheet continues on the next: Excel's sheets end at
  1,048,576 rows (:data:`SHEET_ROWS`, the header included).
* **No formula injection.** Crawled text is untrusted: an anchor or a title that begins
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would run as a formula in the
  spreadsheet that opens the CSV. Such a text cell gets a leading apostrophe, as the OWASP
  "CSV Injection" page advises, in CSV and in XLSX (where every text is also written as a
  string, never read as a formula or a number). Numbers stay numbers.
* **Nothing half written.** The file is written beside its target under a temporary name and
  renamed when complete; a folder that does not exist is one sentence, before anything.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from linkequity.errors import StoreError

__all__ = [
    "BATCH_ROWS",
    "CELL_CHARS",
    "FORMATS",
    "SHEET_ROWS",
    "neutralised",
    "publish",
    "write_rows",
]

#: Export formats.
FORMATS: Final = ("csv", "parquet", "xlsx")
#: Rows per batch read from the store: a few MB for the widest table (page_scores).
BATCH_ROWS: Final = 50_000
#: Rows of one Excel sheet, its header row included.
SHEET_ROWS: Final = 1_048_576
#: What a text that a spreadsheet would run as a formula starts with (OWASP, CSV Injection).
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = "^[=+\\-@\t\r]"


def neutralised(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A text column with a leading apostrophe on every value a spreadsheet would run as a
    formula; any other column as it is."""
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column
    risky = pc.match_substring_regex(column, _FORMULA)
    if not pc.any(risky).as_py():
        return column
    return pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)


def _safe(batch: pa.RecordBatch) -> pa.RecordBatch:
    return pa.record_batch([neutralised(c) for c in batch.columns], names=batch.schema.names)


def write_rows(
    batches: pa.RecordBatchReader,
    out: Path,
    fmt: str,
    title: str = "rows",
    sheet_rows: int = SHEET_ROWS,
) -> int:
    """Write every batch to ``out`` as ``fmt`` (``title``: the XLSX sheet's name; a sheet
    holds ``sheet_rows`` rows, its header included); returns the number of rows written."""
    if fmt not in FORMATS:
        raise StoreError(f"Unknown export format {fmt!r}; formats: {', '.join(FORMATS)}.")
    folder = out.parent
    if not folder.is_dir():
        raise StoreError(f"The folder {folder} does not exist; create it or choose another.")
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", dir=folder)
    os.close(handle)
    partial = Path(name)
    try:
        if fmt == "csv":
            rows = _csv(batches, partial)
        elif fmt == "parquet":
            rows = _parquet(batches, partial)
        else:
            rows = _xlsx(batches, partial, title, sheet_rows)
        publish(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return rows


def publish(partial: Path, out: Path) -> None:
    """Give a finished temporary file the permissions a new file gets (``mkstemp`` makes it
    readable by its owner alone) and put it in place of ``out``."""
    mask = os.umask(0)
    os.umask(mask)
    partial.chmod(0o666 & ~mask)
    partial.replace(out)


def _csv(batches: pa.RecordBatchReader, out: Path) -> int:
    rows = 0
    with pa_csv.CSVWriter(out, batches.schema) as writer:
        for batch in batches:
            writer.write_batch(_safe(batch))
            rows += batch.num_rows
    return rows


def _parquet(batches: pa.RecordBatchReader, out: Path) -> int:
    rows = 0
    with pq.ParquetWriter(out, batches.schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


def _cells(value: Any) -> Any:
    """A value as XlsxWriter writes it: lists joined (a cell holds one value)."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def _records(batches: pa.RecordBatchReader) -> Iterator[list[Any]]:
    for batch in batches:
        columns = [_safe_list(c) for c in _safe(batch).columns]
        yield from (list(row) for row in zip(*columns, strict=True))


def _safe_list(column: pa.Array) -> list[Any]:
    return [_cells(v) for v in column.to_pylist()]


#: Characters one Excel cell holds; a longer text (a page's own text) is cut there.
CELL_CHARS: Final = 32_767


def _xlsx(batches: pa.RecordBatchReader, out: Path, title: str, sheet_rows: int) -> int:
    import xlsxwriter  # the XLSX writer only when asked for

    names = batches.schema.names
    book = xlsxwriter.Workbook(
        str(out),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
         "strings_to_urls": False, "nan_inf_to_errors": False},
    )  # fmt: skip
    rows = 0
    try:
        sheets = 0
        sheet = book.add_worksheet(title[:31])
        sheet.write_row(0, 0, names)
        line = 1
        for record in _records(batches):
            if line == sheet_rows:
                sheets += 1
                sheet = book.add_worksheet(f"{title[:25]} ({sheets + 1})")
                sheet.write_row(0, 0, names)
                line = 1
            for column, value in enumerate(record):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(line, column, value)
                elif isinstance(value, int | float):
                    if math.isfinite(value):
                        sheet.write_number(line, column, value)
                else:
                    sheet.write_string(line, column, str(value)[:CELL_CHARS])
            line += 1
            rows += 1
    finally:
        book.close()  # also on a failure: XlsxWriter's sheet files are closed
    return rows
