"""Table declarations: the file DuckDB makes from them, the records writers use, batches."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from linkequity.errors import StoreError
from linkequity.ingest.backlink_rows import STAGED_SCHEMAS
from linkequity.records import LinkColumns
from linkequity.store import Store
from linkequity.store.rows import (
    FrontierRow,
    LinkBatch,
    PageRow,
    RedirectHop,
    RobotsRow,
    redirect_chains,
    row_batch,
)
from linkequity.store.schema import MIGRATIONS
from linkequity.store.tables import ALL_TABLES, EXPORTABLE, IMPORT_TABLES, SCHEMA_VERSION, table

SRC = Path(__file__).parents[3] / "src" / "linkequity"


def _described(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str, bool]]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type, is_nullable = 'YES' "
        "FROM information_schema.columns ORDER BY table_name, ordinal_position"
    ).fetchall()
    out: dict[str, list[tuple[str, str, bool]]] = {}
    for name, column, kind, nullable in rows:
        out.setdefault(name, []).append((column, kind, nullable))
    return out


def _declared() -> dict[str, list[tuple[str, str, bool]]]:
    return {
        t.name: [(c.name, c.type.replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"),
                  c.nullable and not c.primary_key) for c in t.columns]
        for t in ALL_TABLES
    }  # fmt: skip


def test_a_new_project_file_has_exactly_the_declared_tables(tmp_path: Path) -> None:
    with Store(tmp_path / "p.duckdb") as store:
        assert store.schema_version == SCHEMA_VERSION == 9
        assert _described(store.con) == _declared()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_a_file_of_every_older_version_migrates_to_the_declarations(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for step in MIGRATIONS[:version]:
        for statement in step:
            con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(version)])
    con.close()
    with Store(path) as store:
        assert _described(store.con) == _declared()


def test_primary_keys_are_those_declared(tmp_path: Path) -> None:
    with Store(tmp_path / "p.duckdb") as store:
        keys = store.rows(
            "SELECT table_name, constraint_column_names[1] FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY' ORDER BY ALL"
        )
    declared = sorted((t.name, c.name) for t in ALL_TABLES for c in t.columns if c.primary_key)
    assert keys == declared == [
        ("analyses", "crawl_id"), ("crawls", "crawl_id"), ("imports", "import_id"), ("meta", "key")
    ]  # fmt: skip


def test_added_columns_are_nullable_and_follow_the_columns_before_them() -> None:
    for t in ALL_TABLES:
        versions = [c.since for c in t.columns]
        assert versions == sorted(versions), t.name
        assert min(versions) == t.since, t.name
        assert all(c.nullable for c in t.columns if c.since > t.since), t.name


def test_exportable_and_import_tables() -> None:
    assert EXPORTABLE[:3] == ("crawls", "pages", "links") and "meta" not in EXPORTABLE
    assert {
        "imports", "backlinks", "referring_domains", "linked_pages", "backlink_anchors"
    } == IMPORT_TABLES  # fmt: skip
    with pytest.raises(StoreError, match=r"Unknown table 'nope'; tables: crawls, pages, links"):
        table("nope")


@pytest.mark.parametrize(
    ("record", "name"),
    [(PageRow, "pages"), (FrontierRow, "frontier"), (RobotsRow, "robots_txt"),
     (RedirectHop, "redirects")],
)  # fmt: skip
def test_each_row_record_has_its_tables_columns_after_the_snapshot_id(
    record: type, name: str
) -> None:
    assert ("crawl_id", *record._fields) == table(name).names


def test_link_columns_carry_every_link_column_but_the_source_and_ordinal() -> None:
    stored = set(table("links").names) - {"crawl_id", "src_url", "ordinal"}
    assert stored <= set(LinkColumns.__dataclass_fields__)
    assert set(LinkColumns.__dataclass_fields__) - stored == {"is_followable"}


def test_staged_backlink_schemas_follow_the_declarations() -> None:
    for name, schema in STAGED_SCHEMAS.items():
        declared = table(name).arrow_schema(with_snapshot=False)
        assert [(f.name, f.type) for f in schema] == [
            (f.name, f.type) for f in declared if f.name != "extra_json"
        ]


def test_a_batch_is_typed_as_declared_and_refuses_what_the_table_lacks() -> None:
    batch = table("sitemaps").batch({"url": ["http://x/s.xml"], "url_count": [3]}, 7)
    assert batch.schema == table("sitemaps").arrow_schema()
    assert batch.to_pylist() == [
        {"crawl_id": 7, "url": "http://x/s.xml", "status_code": None, "kind": None,
         "url_count": 3, "error": None}
    ]  # fmt: skip
    assert table("sitemaps").batch({"url": [], "url_count": []}).column_names[0] == "url"
    with pytest.raises(StoreError, match="Table sitemaps has no column size"):
        table("sitemaps").batch({"url": ["u"], "url_count": [1], "size": [2]}, 1)
    with pytest.raises(StoreError, match="A sitemaps batch lacks its NOT NULL column url_count"):
        table("sitemaps").batch({"url": ["u"]}, 1)
    with pytest.raises(StoreError, match="differ in length"):
        table("sitemaps").batch({"url": ["u", "v"], "url_count": [1]}, 1)


def test_records_and_link_batches_land_in_the_store(tmp_path: Path) -> None:
    at = datetime(2026, 1, 2, tzinfo=UTC)
    page = PageRow(
        url="http://x/", status_code=200, content_type="text/html", depth=0,
        redirect_url=None, canonical_url=None, meta_robots=None, x_robots_tag=None,
        indexable=True, indexability_reason=None, title="Home", h1="Home",
        meta_description=None, word_count=10, text_sha1="ab", size_bytes=100,
        elapsed_ms=1.5, in_sitemap=True, fetched_at=at, error=None, encoding="utf-8",
    )  # fmt: skip
    links = LinkBatch()
    links.add_page(
        "http://x/",
        LinkColumns(["http://x/a", "mailto:a@x"], ["A", ""], [None, None], ["nofollow", None],
                    [True, False], [False, False], [False, False], ["content", "footer"],
                    [True, False], [False, False], [True, False], ["top", None]),
    )  # fmt: skip
    links.add("http://x/a", "http://x/", "Home", "logo", None, False, False, True, "header",
              True, 0)  # fmt: skip
    hops = {"http://x/r": (301, "http://x/")}
    with Store(tmp_path / "p.duckdb") as store:
        store.write(
            {
                "pages": row_batch("pages", [page], 4),
                "links": links.take(4),
                "redirects": row_batch("redirects", redirect_chains(hops), 4),
            }
        )  # fmt: skip
        assert len(links) == 0
        assert store.rows("SELECT * EXCLUDE (fetched_at) FROM pages") == [
            (4, "http://x/", 200, "text/html", 0, None, None, None, None, True, None, "Home",
             "Home", None, 10, "ab", 100, 1.5, True, None, "utf-8", None)
        ]  # fmt: skip
        assert store.rows("SELECT * FROM links ORDER BY src_url, ordinal") == [
            (4, "http://x/", "http://x/a", "A", None, "nofollow", True, False, False, "content",
             True, False, 0, "top"),
            (4, "http://x/", "mailto:a@x", "", None, None, False, False, False, "footer", False,
             False, 1, None),
            (4, "http://x/a", "http://x/", "Home", "logo", None, False, False, True, "header",
             True, True, 0, None),
        ]  # fmt: skip
        assert store.rows("SELECT * FROM redirects") == [
            (4, "http://x/r", 0, 301, "http://x/", False)
        ]
    with pytest.raises(StoreError, match="Rows of meta are not written as records"):
        row_batch("meta", [], 1)
    held = FrontierRow("http://x/a", 1, 2, None, "link", "facets", "http://x/?(more)")
    staged = row_batch("frontier", [held], None)
    assert staged.to_pylist() == [
        {"url": "http://x/a", "phase": 1, "level": 2, "found_from": None, "found_by": "link",
         "held_back": "facets", "trap_pattern": "http://x/?(more)"}
    ]  # fmt: skip


def test_each_tables_columns_are_declared_in_one_place() -> None:
    """No SQL DDL and no Arrow schema listing columns outside the declarations (and the
    migrations derived from them)."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.relative_to(SRC).as_posix() in ("store/tables.py", "store/schema.py"):
            continue
        if re.search(r"CREATE TABLE|ALTER TABLE|pa\.schema\(\s*\[\s*\(", text):
            offenders.append(path.relative_to(SRC).as_posix())
    assert offenders == []
