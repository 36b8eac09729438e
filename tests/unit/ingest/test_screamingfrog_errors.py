"""Screaming Frog imports that fail: each message exactly, and nothing written when one does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from linkequity.errors import ConfigError, ImportFormatError, LinkEquityError
from linkequity.ingest import import_screamingfrog
from linkequity.ingest import screamingfrog as sf
from linkequity.store import TABLES, Store

FIXTURES = Path(__file__).parents[2] / "fixtures" / "screamingfrog"
INLINKS = FIXTURES / "all_inlinks.csv"
INLINKS_9 = FIXTURES / "all_inlinks_9_columns.csv"
OUTLINKS_8 = FIXTURES / "all_outlinks_8_columns.csv"
INTERNAL = FIXTURES / "internal_all.csv"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "sf.duckdb") as s:
        yield s


def edited(source: Path, target: Path, old: str, new: str) -> Path:
    """A copy of a fixture with one piece of text replaced (exactly once)."""
    text = source.read_bytes().decode("utf-8")
    assert text.count(old) == 1
    target.write_bytes(text.replace(old, new).encode("utf-8"))
    return target


def failure(store: Store, *paths: Path) -> str:
    with pytest.raises(LinkEquityError) as err:
        import_screamingfrog(store, list(paths))
    return str(err.value)


def test_a_status_code_that_is_not_a_number(store: Store, tmp_path: Path) -> None:
    bad = edited(INLINKS, tmp_path / "links.csv", '"Home","200"', '"Home","2OO"')
    with pytest.raises(ImportFormatError) as err:
        import_screamingfrog(store, [bad])
    assert (
        str(err.value) == f"{bad}, row 2, column 'Status Code': '2OO' is not an HTTP status code."
    )
    assert (err.value.path, err.value.row, err.value.column) == (str(bad), 2, "Status Code")


def test_rows_after_a_value_spanning_lines_are_named_by_their_line(
    store: Store, tmp_path: Path
) -> None:
    # the anchor "Chairs and stools" spans two lines, so the next row starts on line 15
    bad = edited(INLINKS, tmp_path / "links.csv", '"Old offer","301"', '"Old offer","three"')
    assert failure(store, bad) == (
        f"{bad}, row 15, column 'Status Code': 'three' is not an HTTP status code."
    )


def test_a_hyperlink_row_a_field_short(store: Store, tmp_path: Path) -> None:
    last = '"http://www.example.com/servicios/","4000","","Servicios","200","OK","true"'
    bad = edited(INLINKS_9, tmp_path / "links.csv", last, last.removesuffix(',"true"'))
    assert failure(store, bad) == (
        f"{bad}, row 13, column 'Follow': has 8 fields where the header has 9, so this column "
        "is missing."
    )


def test_a_row_a_field_long(store: Store, tmp_path: Path) -> None:
    last = '"http://www.example.com/servicios/","4000","","Servicios","200","OK","true"'
    bad = edited(INLINKS_9, tmp_path / "links.csv", last, last + ',"x"')
    assert failure(store, bad) == (
        f"{bad}, row 13, column 'Follow': has 10 fields where the header has 9: text follows "
        "this, the last column (a delimiter inside an unquoted value?)."
    )


def test_a_short_row_of_a_page_file(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "internal.csv"
    bad.write_text('"Address","Status Code","Crawl Depth"\n"https://www.example.com/","200"\n')
    assert failure(store, bad) == (
        f"{bad}, row 2, column 'Crawl Depth': has 2 fields where the header has 3, so this "
        "column is missing."
    )


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("Address,Status Code,Crawl Depth\nhttps://www.example.com/,200,two\n", "Crawl Depth",
         "'two' is not a whole number."),
        ("Address,Status Code\n/relative/page,200\n", "Address",
         "'/relative/page' is not an absolute http(s) URL."),
        ("Address,Status Code,Response Time\nhttps://www.example.com/,200,fast\n",
         "Response Time", "'fast' is not a number."),
        ("Address,Status Code,Crawl Timestamp\nhttps://www.example.com/,200,yesterday\n",
         "Crawl Timestamp", "'yesterday' is not a date and time."),
        ("Address,Status Code\nhttps://www.example.com/,OK\n", "Status Code",
         "'OK' is not an HTTP status code."),
        ("Type,Source,Destination,Anchor,Follow\nHyperlink,https://www.example.com/,"
         "https://www.example.com/a,A,maybe\n", "Follow", "'maybe' is not true or false."),
        ("Type,Source,Destination,Anchor\nHyperlink,www.example.com,https://www.example.com/a,A\n",
         "Source", "'www.example.com' is not an absolute http(s) URL."),
        ("Type,Source,Destination,Anchor\nHyperlink,https://www.example.com/,,A\n",
         "Destination", "the destination is empty."),
    ],
)  # fmt: skip
def test_values_that_cannot_be_read(
    store: Store, tmp_path: Path, text: str, column: str, message: str
) -> None:
    bad = tmp_path / "export.csv"
    bad.write_text(text)
    assert failure(store, bad) == f"{bad}, row 2, column {column!r}: {message}"


def test_an_unknown_export(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "keywords.csv"
    bad.write_text("Keyword,Position,URL\nchairs,3,https://www.example.com/shop/chairs\n")
    assert failure(store, INTERNAL, bad) == (
        f'{bad}, row 1: is not an export linkequity knows: its columns are "Keyword", '
        '"Position", "URL"; known formats: Screaming Frog All Inlinks / All Outlinks (needs '
        "Type, Source, Destination, Anchor); Screaming Frog Internal: All / HTML (needs "
        "Address, Status Code)."
    )


def test_two_links_exports(store: Store) -> None:
    with pytest.raises(ConfigError) as err:
        import_screamingfrog(store, [INLINKS, INTERNAL, OUTLINKS_8])
    assert str(err.value) == (
        "all_inlinks.csv and all_outlinks_8_columns.csv are both links exports; import one of "
        "them (All Inlinks and All Outlinks list the same links, so two would count every link "
        "twice)."
    )


def test_links_of_another_site_than_the_pages(store: Store, tmp_path: Path) -> None:
    other = tmp_path / "other_outlinks.csv"
    other.write_bytes(OUTLINKS_8.read_bytes().replace(b"www.example.com", b"www.example.org"))
    assert failure(store, other, INTERNAL) == (
        "None of the links in other_outlinks.csv comes from a page on example.com, the site of "
        "the Internal export; give files exported from the same crawl."
    )


def test_nothing_to_import(store: Store, tmp_path: Path) -> None:
    empty = tmp_path / "internal_all.csv"
    empty.write_text('"Address","Status Code"\n')
    only_css = tmp_path / "all_inlinks.csv"
    only_css.write_text(
        "Type,Source,Destination,Anchor\nCSS,https://www.example.com/,https://www.example.com/s.css,\n"
    )
    assert failure(store, empty, only_css) == (
        "internal_all.csv, all_inlinks.csv: no page or link rows, so there is nothing to import."
    )
    assert failure(store) == "Give at least one Screaming Frog export to import."


def counts(store: Store) -> dict[str, int]:
    result = {}
    for table in TABLES:
        row = store.one(f"SELECT count(*) FROM {table}")
        result[table] = int(row[0]) if row else 0
    return result


def test_an_import_is_all_or_nothing(store: Store, tmp_path: Path) -> None:
    import_screamingfrog(store, [INLINKS_9])
    before = counts(store)
    assert before["crawls"] == 1 and before["links"] == 7 and before["redirects"] == 1
    # the page file is read (and staged) first; the links file fails on its last row
    last = '"Shop","200","OK","true","","noopener noreferrer"'
    bad = edited(INLINKS, tmp_path / "links.csv", last, last.replace('"true"', '"perhaps"'))
    assert failure(store, bad, INTERNAL) == (
        f"{bad}, row 24, column 'Follow': 'perhaps' is not true or false."
    )
    assert counts(store) == before
    summary = import_screamingfrog(store, [INLINKS, INTERNAL])
    assert summary.crawl_id == 2
    assert counts(store)["crawls"] == 2


def test_a_failure_while_writing_rolls_everything_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_screamingfrog(store, [INLINKS_9])
    before = counts(store)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt  # as a Ctrl-C after pages and links went in, before the crawl row

    monkeypatch.setattr(sf, "_crawl_row", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_screamingfrog(store, [INLINKS, INTERNAL])
    assert counts(store) == before
    # nothing staged is left beside the project
    assert not list(store.path.parent.glob(".linkequity-import-*"))
