"""Formats recognised by their header, and the value parsers importers share."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkequity.errors import ImportFormatError
from linkequity.ingest import Column, Format, detect_format, sniff_csv
from linkequity.ingest.formats import BadValue, parse_bool, parse_float, parse_int, parse_status

BACKLINKS = Format(
    "Backlinks",
    (
        Column("referring_url", ("Referring page URL", "Source URL"), required=True),
        Column("target_url", ("Target URL",), required=True),
        Column("anchor", ("Anchor",)),
        Column("dr", ("Domain rating", "DR")),
    ),
)
PAGES = Format("Pages", (Column("url", ("Address",), required=True),))


def layout_of(tmp_path: Path, header: str) -> Path:
    path = tmp_path / "x.csv"
    path.write_text(header + "\n")
    return path


def test_aliases_bind_case_and_space_insensitively(tmp_path: Path) -> None:
    path = layout_of(tmp_path, "Source  URL,target url,DR,Other")
    columns = detect_format(sniff_csv(path), [PAGES, BACKLINKS])
    assert columns.format is BACKLINKS
    assert (columns.index("referring_url"), columns.index("target_url")) == (0, 1)
    assert (columns.index("dr"), columns.index("anchor")) == (2, None)
    assert columns.column_name("referring_url") == "Source  URL"
    assert columns.column_name("anchor") == "Anchor"
    assert columns.missing == ("Anchor",)


def test_the_first_alias_found_wins_and_a_repeated_name_binds_its_first_column(
    tmp_path: Path,
) -> None:
    path = layout_of(tmp_path, "Target URL,Source URL,Referring page URL,Target URL")
    columns = detect_format(sniff_csv(path), [BACKLINKS])
    assert (columns.index("referring_url"), columns.index("target_url")) == (2, 0)


def test_an_unknown_file_names_its_columns_and_the_known_formats(tmp_path: Path) -> None:
    path = layout_of(tmp_path, "Keyword,Position,URL")
    with pytest.raises(ImportFormatError) as err:
        detect_format(sniff_csv(path), [BACKLINKS, PAGES])
    assert str(err.value) == (
        f'{path}, row 1: is not an export linkequity knows: its columns are "Keyword", '
        '"Position", "URL"; known formats: Backlinks (needs Referring page URL, Target URL); '
        "Pages (needs Address)."
    )
    assert (err.value.row, err.value.column) == (1, None)


def test_a_long_header_is_shortened_in_the_message(tmp_path: Path) -> None:
    path = layout_of(tmp_path, '"Internal"\n' + ",".join(f"c{i}" for i in range(20)))
    with pytest.raises(ImportFormatError) as err:
        detect_format(sniff_csv(path), [PAGES])
    assert str(err.value) == (
        f'{path}, row 2: is not an export linkequity knows: its columns are "c0", "c1", "c2", '
        '"c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11" and 8 more; known formats: '
        "Pages (needs Address)."
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), (" -3 ", -3), ("1,240", 1240), ("1.240.000", 1240000), ("1 240", 1240),
     ("1\u00a0240", 1240), ("", None), ("  ", None)],
)  # fmt: skip
def test_parse_int(text: str, value: int | None) -> None:
    assert parse_int(text) == value


@pytest.mark.parametrize("text", ["1.5", "1,24", "12,345.6", "1_000", "two", "1,240.000"])
def test_parse_int_refuses(text: str) -> None:
    with pytest.raises(BadValue) as err:
        parse_int(text)
    assert str(err.value) == f"{text!r} is not a whole number"


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.368", 0.368), ("0,25", 0.25), ("12", 12.0), ("1e3", 1000.0), ("", None)],
)
def test_parse_float(text: str, value: float | None) -> None:
    assert parse_float(text) == value


@pytest.mark.parametrize("text", ["fast", "nan", "inf", "1,2,3"])
def test_parse_float_refuses(text: str) -> None:
    with pytest.raises(BadValue) as err:
        parse_float(text)
    assert str(err.value) == f"{text!r} is not a number"


def test_parse_status_and_bool() -> None:
    assert [parse_status(t) for t in ("200", "0", "999", "")] == [200, 0, 999, None]
    assert [parse_bool(t) for t in ("true", "FALSE", "Yes", "0", "")] == [
        True,
        False,
        True,
        False,
        None,
    ]
    for text, message in (
        ("1000", "'1000' is not an HTTP status code"),
        ("20O", "'20O' is not an HTTP status code"),
        ("-1", "'-1' is not an HTTP status code"),
    ):
        with pytest.raises(BadValue) as err:
            parse_status(text)
        assert str(err.value) == message
    with pytest.raises(BadValue) as err:
        parse_bool(" maybe ")
    assert str(err.value) == "'maybe' is not true or false"
