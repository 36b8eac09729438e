"""Exports: streamed, formula-safe in CSV and XLSX, numbers kept, sheets split, never half
written. The XLSX files are read back from their XML, as a spreadsheet reads them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pyarrow as pa
import pyarrow.csv as pa_csv
import pytest

from linkequity.errors import StoreError
from linkequity.store.exports import CELL_CHARS, write_rows

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
HOSTILE = ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"]
#: The same cells as a spreadsheet must get them: an apostrophe before what would run.
NEUTRALISED = ['\'=HYPERLINK("http://evil")', "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx",
               "plain", "a=b"]  # fmt: skip


def reader(table: pa.Table, rows: int = 3) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=rows))


def unescaped(text: str) -> str:
    """OOXML's escape of a control character (``_x000D_``) read back, as Excel does."""
    return re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def sheets(path: Path) -> dict[str, list[list[tuple[str, str]]]]:
    """Every sheet's rows as (cell type, text) pairs; shared or inline strings resolved."""
    with zipfile.ZipFile(path) as z:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{_NS['m']}}}t"))
                      for si in root.findall("m:si", _NS)]  # fmt: skip
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        names = [s.get("name", "") for s in book.iter(f"{{{_NS['m']}}}sheet")]
        found = {}
        for i, name in enumerate(names, start=1):
            root = ElementTree.fromstring(z.read(f"xl/worksheets/sheet{i}.xml"))
            rows = []
            for row in root.iter(f"{{{_NS['m']}}}row"):
                cells = []
                for c in row.findall("m:c", _NS):
                    kind = c.get("t", "n")
                    if kind == "s":
                        cells.append(("s", unescaped(shared[int(c.findtext("m:v", "", _NS))])))
                    elif kind == "inlineStr":
                        text = "".join(t.text or "" for t in c.iter(f"{{{_NS['m']}}}t"))
                        cells.append(("s", unescaped(text)))
                    else:
                        cells.append((kind, c.findtext("m:v", "", _NS)))
                rows.append(cells)
            found[name] = rows
    return found


def table() -> pa.Table:
    return pa.table(
        {
            "anchor": HOSTILE,
            "links": pa.array(range(len(HOSTILE)), pa.int64()),
            "share": pa.array([0.5, -1.25, None, 3.0, float("nan"), 1e-9, 2.0, -0.0]),
            "indexable": [True, False, True, None, True, True, False, True],
        }
    )


def test_csv_neutralises_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    assert write_rows(reader(table()), out, "csv") == len(HOSTILE)
    back = pa_csv.read_csv(out)
    assert back.column("anchor").to_pylist() == NEUTRALISED
    assert back.column("links").type == pa.int64()
    assert back.column("share").to_pylist()[:2] == [0.5, -1.25]


def test_xlsx_writes_text_as_text_numbers_as_numbers_and_splits_sheets(tmp_path: Path) -> None:
    out = tmp_path / "a.xlsx"
    assert write_rows(reader(table()), out, "xlsx", "page_scores", sheet_rows=5) == len(HOSTILE)
    found = sheets(out)
    assert list(found) == ["page_scores", "page_scores (2)"]
    first, second = found["page_scores"], found["page_scores (2)"]
    # a header and four rows, then a header and the other four
    assert len(first) == 5 and len(second) == 5
    assert first[0] == [("s", "anchor"), ("s", "links"), ("s", "share"), ("s", "indexable")]
    anchors = [r[0][1] for r in first[1:] + second[1:]]
    assert anchors == NEUTRALISED
    assert all(r[0][0] == "s" for r in first[1:] + second[1:])  # never a formula cell
    assert first[1][1] == ("n", "0") and first[2][2] == ("n", "-1.25")
    assert first[1][3] == ("b", "1")
    # an empty value and NaN leave the cell empty: no share in rows 3 and 5, no
    # indexable in row 4
    assert len(first[3]) == len(first[4]) == len(second[1]) == 3
    assert len(second[2]) == 4
    with zipfile.ZipFile(out) as z:
        assert not any(re.search(rb"<f>", z.read(n)) for n in z.namelist() if "sheet" in n)


def test_a_cell_longer_than_excel_holds_is_cut(tmp_path: Path) -> None:
    out = tmp_path / "long.xlsx"
    write_rows(reader(pa.table({"text": ["x" * (CELL_CHARS + 10)]})), out, "xlsx")
    assert len(sheets(out)["rows"][1][0][1]) == CELL_CHARS


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_a_folder_that_does_not_exist_is_one_sentence_and_no_file(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "missing" / f"a.{fmt}"
    with pytest.raises(StoreError) as caught:
        write_rows(reader(table()), out, fmt)
    assert str(caught.value) == (
        f"The folder {tmp_path / 'missing'} does not exist; create it or choose another."
    )
    assert not (tmp_path / "missing").exists()


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    def broken() -> pa.RecordBatchReader:
        def batches():  # type: ignore[no-untyped-def]
            yield pa.record_batch({"a": ["=1"]})
            raise OSError("disk full")

        return pa.RecordBatchReader.from_batches(pa.schema([("a", pa.string())]), batches())

    for fmt in ("csv", "xlsx"):
        with pytest.raises(OSError, match="disk full"):
            write_rows(broken(), tmp_path / f"a.{fmt}", fmt)
    assert list(tmp_path.iterdir()) == []


def test_an_export_gets_the_permissions_of_a_new_file(tmp_path: Path) -> None:
    import os

    mask = os.umask(0o022)
    try:
        out = tmp_path / "a.csv"
        write_rows(reader(table()), out, "csv")
    finally:
        os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o644
