"""Reading exports: encodings, delimiters, title lines, line numbers and read errors."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from linkequity.errors import ImportFormatError
from linkequity.ingest import CsvReader, sniff_csv

ROWS = [["Type", "Source", "Anchor"], ["HREF", "https://a.example/", "Café, bar"], ["IMG", "x", ""]]


def write(path: Path, text: str, encoding: str = "utf-8", bom: bytes = b"") -> Path:
    path.write_bytes(bom + text.encode(encoding))
    return path


def as_csv(rows: list[list[str]], delimiter: str = ",", title: str | None = None) -> str:
    lines = [f'"{title}"'] if title else []
    lines += [delimiter.join(f'"{v}"' for v in row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def read_all(path: Path) -> list[tuple[int, list[str]]]:
    with CsvReader(sniff_csv(path)) as rows:
        return list(rows)


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter", "expected_encoding", "name"),
    [
        ("utf-8", b"", ",", "utf-8", "comma"),
        ("utf-8", codecs.BOM_UTF8, ",", "utf-8-sig", "comma"),
        ("utf-8", b"", ";", "utf-8", "semicolon"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "\t", "utf-16", "tab"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "\t", "utf-16", "tab"),
        ("utf-16-le", b"", "\t", "utf-16-le", "tab"),
    ],
)
def test_encodings_and_delimiters(
    tmp_path: Path, encoding: str, bom: bytes, delimiter: str, expected_encoding: str, name: str
) -> None:
    path = write(tmp_path / "x.csv", as_csv(ROWS, delimiter), encoding, bom)
    layout = sniff_csv(path)
    assert (layout.encoding, layout.delimiter_name, layout.title) == (expected_encoding, name, None)
    assert layout.header == ("Type", "Source", "Anchor")
    assert layout.header_row == 1
    assert read_all(path) == [(2, ROWS[1]), (3, ROWS[2])]


def test_title_line_before_the_header(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", as_csv(ROWS, title="All Inlinks"))
    layout = sniff_csv(path)
    assert (layout.title, layout.header_row) == ("All Inlinks", 2)
    assert read_all(path) == [(3, ROWS[1]), (4, ROWS[2])]


def test_unquoted_title_and_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "Internal - All\n\na,b\n1,2\n\n3,4\n")
    layout = sniff_csv(path)
    assert (layout.title, layout.header, layout.header_row) == ("Internal - All", ("a", "b"), 3)
    assert read_all(path) == [(4, ["1", "2"]), (6, ["3", "4"])]


def test_a_one_column_file_has_no_title(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "url\nhttps://a.example/\n")
    layout = sniff_csv(path)
    assert (layout.title, layout.header, layout.delimiter) == (None, ("url",), ",")
    assert read_all(path) == [(2, ["https://a.example/"])]


def test_rows_are_numbered_by_the_line_they_start_on(tmp_path: Path) -> None:
    text = 'a,b\n"one\nvalue\nover three lines",1\nnext,2\n'
    path = write(tmp_path / "x.csv", text)
    assert read_all(path) == [(2, ["one\nvalue\nover three lines", "1"]), (5, ["next", "2"])]


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError) as err:
        sniff_csv(tmp_path / "nope.csv")
    assert str(err.value) == f"{tmp_path / 'nope.csv'}: cannot be read (no such file or directory)."
    assert (err.value.row, err.value.column) == (None, None)


def test_an_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "\n\n")
    with pytest.raises(ImportFormatError) as err:
        sniff_csv(path)
    assert str(err.value) == f"{path}: is empty."


def test_windows_1252_text_is_refused_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "a,b\nok,1\ncaf\u00e9,2\n", "cp1252")
    with pytest.raises(ImportFormatError) as err:
        sniff_csv(path)
    assert str(err.value) == (
        f"{path}, row 3: is not UTF-8 or UTF-16 text (byte 0xE9 cannot be decoded); "
        "save it as UTF-8 and import it again."
    )


def test_bad_bytes_past_the_sniffed_start_name_their_line(tmp_path: Path) -> None:
    good = "".join(f"https://a.example/{i},{i}\n" for i in range(5000))  # ~130 KB
    path = tmp_path / "x.csv"
    path.write_bytes(b"url,n\n" + good.encode() + b"caf\xe9,1\nlast,2\n")
    with pytest.raises(ImportFormatError) as err:
        read_all(path)
    assert str(err.value) == (
        f"{path}, row 5002: is not UTF-8 text from here on (invalid continuation byte); "
        "save it as UTF-8 and import it again."
    )


def test_progress_in_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", as_csv(ROWS))
    reader = CsvReader(sniff_csv(path))
    assert reader.bytes_read == 0
    with reader as rows:
        list(rows)
        assert reader.bytes_read == path.stat().st_size
    assert reader.bytes_read == 0
