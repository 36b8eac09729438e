"""Backlink imports refuse what they cannot read, say where, and write nothing then."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from linkequity.errors import ConfigError, ImportFormatError
from linkequity.ingest import import_backlinks, parse_mapping
from linkequity.ingest.backlink_values import (
    date_in_name,
    link_kind,
    parse_date,
    parse_flag,
    parse_spam_score,
)
from linkequity.ingest.formats import BadValue
from linkequity.store import Store

FIXTURES = Path(__file__).parents[2] / "fixtures" / "backlinks"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_malformed_row_names_file_row_and_column_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    bad = write(
        tmp_path / "semrush.csv",
        "Page ascore,Source url,Target url,Anchor,First seen\n"
        "30,https://a.example/,https://ridge.example/,x,2024-01-02\n"
        "30,https://b.example/,https://ridge.example/,y,31.02.2024\n",
    )
    good = FIXTURES / "ahrefs_v3_backlinks.tsv"
    with Store(tmp_path / "p.duckdb") as store:
        with pytest.raises(ImportFormatError) as caught:
            import_backlinks(store, [good, bad])
        assert str(caught.value) == (
            f"{bad}, row 3, column 'First seen': '31.02.2024' is not a date."
        )
        assert (caught.value.row, caught.value.column) == (3, "First seen")
        assert store.one("SELECT count(*) FROM imports") == (0,)
        assert store.one("SELECT count(*) FROM backlinks") == (0,)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".linkequity")] == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("abc,https://a.example/,https://ridge.example/", "'abc' is not a number."),
        ("130,https://a.example/,https://ridge.example/",
         "'130' is not a score between 0 and 100."),
        ("3,not a url,https://ridge.example/", "'not a url' is not a URL."),
    ],
)  # fmt: skip
def test_bad_values(tmp_path: Path, row: str, message: str) -> None:
    bad = write(tmp_path / "s.csv", f"Page ascore,Source url,Target url\n{row}\n")
    column = "Source url" if "url" in message else "Page ascore"
    with Store(tmp_path / "p.duckdb") as store, pytest.raises(ImportFormatError) as caught:
        import_backlinks(store, [bad])
    assert str(caught.value) == f"{bad}, row 2, column {column!r}: {message}"


def test_a_short_row_names_the_missing_column(tmp_path: Path) -> None:
    bad = write(tmp_path / "s.csv", "Page ascore,Source url,Target url\n3,https://a.example/\n")
    with Store(tmp_path / "p.duckdb") as store, pytest.raises(ImportFormatError) as caught:
        import_backlinks(store, [bad])
    assert str(caught.value) == (
        f"{bad}, row 2, column 'Target url': has 2 fields where the header has 3, so this "
        "column is missing."
    )


def test_an_unknown_file_lists_its_columns_and_the_formats(tmp_path: Path) -> None:
    bad = write(tmp_path / "x.csv", "Status Code,URL,Backlink\n200,https://a.example/,\n")
    with Store(tmp_path / "p.duckdb") as store, pytest.raises(ImportFormatError) as caught:
        import_backlinks(store, [bad], tool="majestic")
    assert str(caught.value) == (
        f'{bad}, row 1: is not an export linkequity knows: its columns are "Status Code", '
        '"URL", "Backlink"; known formats: Majestic backlinks (needs SourceURL, TargetURL, '
        "FlagNoFollow)."
    )


def test_a_file_without_its_header_says_so(tmp_path: Path) -> None:
    bad = write(tmp_path / "x.csv", '"spam.example"\t"26"\t"125"\n"b.example"\t"3"\t"4"\n')
    with Store(tmp_path / "p.duckdb") as store, pytest.raises(ImportFormatError) as caught:
        import_backlinks(store, [bad], tool="ahrefs")
    assert str(caught.value).endswith(
        "Its first line looks like data, not column names: export the file again with its "
        "header row."
    )


def test_mapping_errors(tmp_path: Path) -> None:
    path = FIXTURES / "generic_links.csv"
    with Store(tmp_path / "p.duckdb") as store:
        with pytest.raises(ConfigError) as caught:
            import_backlinks(store, [path], mapping={"source": "Source URL"})
        assert str(caught.value).startswith(
            "Unknown field 'source' in the column mapping; fields: referring_url, target_url,"
        )
        with pytest.raises(ConfigError) as caught:
            import_backlinks(store, [path], mapping={"target_url": "Target"})
        assert str(caught.value) == (
            "The column mapping needs referring_url, the column of the linking page's URL "
            '(e.g. --map referring_url="Source URL").'
        )
        with pytest.raises(ImportFormatError) as caught:
            import_backlinks(store, [path], mapping={"referring_url": "From"})
        assert str(caught.value) == (
            f"{path}, row 1: has no column 'From' (mapped to referring_url); its columns are "
            '"Source URL", "Target", "Text", "Follow".'
        )
        with pytest.raises(ConfigError) as caught:
            import_backlinks(store, [path], tool="bing")
        assert str(caught.value) == (
            "Unknown tool 'bing'; tools: ahrefs, semrush, majestic, moz, gsc, generic."
        )
        with pytest.raises(ConfigError) as caught:
            import_backlinks(store, [path], tool="generic")
        assert str(caught.value).startswith("--tool generic needs a column mapping")
    with pytest.raises(ConfigError) as caught:
        parse_mapping(["referring_url"])
    assert str(caught.value) == (
        "--map 'referring_url' is not field=column, e.g. --map referring_url=\"Source URL\"."
    )
    assert parse_mapping(['referring_url="Source URL"', "target_url=Target"]) == {
        "referring_url": "Source URL", "target_url": "Target"
    }  # fmt: skip


def test_reimporting_a_file_adds_a_snapshot_with_the_exports_date(tmp_path: Path) -> None:
    dated = tmp_path / "ridge.example-backlinks_2024-05-15_12-30-01.csv"
    shutil.copy(FIXTURES / "semrush_backlinks.csv", dated)
    with Store(tmp_path / "p.duckdb") as store:
        import_backlinks(store, [dated])
        import_backlinks(store, [dated])
        assert store.rows("SELECT import_id, exported_on, rows FROM imports ORDER BY 1") == [
            (1, date(2024, 5, 15), 3), (2, date(2024, 5, 15), 3)
        ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "month_first", "want"),
    [
        ("2020-07-15", False, date(2020, 7, 15)),
        ("2020-07-15T06:20:00Z", False, date(2020, 7, 15)),
        ("Jul 15, 2020", False, date(2020, 7, 15)),
        ("July 15th, 2020", False, date(2020, 7, 15)),
        ("15 July 2020", False, date(2020, 7, 15)),
        ("15 de julio de 2020", False, date(2020, 7, 15)),
        ("15. Juli 2020", False, date(2020, 7, 15)),
        ("15 juil. 2020", False, date(2020, 7, 15)),
        ("15.07.2020", True, date(2020, 7, 15)),
        ("15/07/2020", True, date(2020, 7, 15)),
        ("7/15/20", False, date(2020, 7, 15)),
        ("03/04/2020", True, date(2020, 3, 4)),
        ("03/04/2020", False, date(2020, 4, 3)),
        ("20200715", False, date(2020, 7, 15)),
        ("", False, None),
    ],
)
def test_dates(text: str, month_first: bool, want: date | None) -> None:
    assert parse_date(text, month_first) == want


def test_value_errors() -> None:
    with pytest.raises(BadValue, match=r"^'Julember 5, 2020' is not a date$"):
        parse_date("Julember 5, 2020")
    with pytest.raises(BadValue, match=r"^'maybe' is not true or false$"):
        parse_flag("maybe")
    with pytest.raises(BadValue, match=r"^'120%' is not a spam score between 0 and 100$"):
        parse_spam_score("120%")
    assert date_in_name("export-20240515.csv") == date(2024, 5, 15)
    assert date_in_name("backlinks.csv") is None
    assert link_kind("Sponsored, UGC") == (False, True, True, False, False)
