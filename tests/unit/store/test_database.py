"""The project file: schema, migrations, locking, atomic writes and exports."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from linkequity.errors import StoreError
from linkequity.store import SCHEMA_VERSION, TABLES, Store
from tests.servers import lock_holder


def test_new_file_gets_every_table_and_the_schema_version(tmp_path: Path) -> None:
    with Store(tmp_path / "p.duckdb") as store:
        tables = store.rows("SELECT table_name FROM information_schema.tables")
        names = {r[0] for r in tables}
        assert set(TABLES) | {"meta"} <= names
        assert store.schema_version == SCHEMA_VERSION
    with Store(tmp_path / "p.duckdb", read_only=True) as store:  # reopening migrates nothing
        assert store.schema_version == SCHEMA_VERSION


def test_a_newer_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.duckdb"
    with Store(path) as store:
        store.rows("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="has schema version 99, newer than this linkequity"):
        Store(path)


def test_foreign_files_are_refused_untouched(tmp_path: Path) -> None:
    text = tmp_path / "notes.duckdb"
    text.write_text("hello")
    with pytest.raises(StoreError, match="is not a linkequity project file"):
        Store(text)
    assert text.read_text() == "hello"
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="is a DuckDB file but not a linkequity project file"):
        Store(other)


def test_a_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "p.duckdb"
    Store(path).close()
    with lock_holder(path) as pid:
        with pytest.raises(StoreError) as err:
            Store(path)
        assert str(err.value) == (
            f"The project file {path} is in use by another linkequity process "
            f"(process {pid}); wait for it to finish or use another file."
        )
    time.sleep(0.1)
    Store(path).close()  # usable again once the holder is gone


def test_write_is_all_or_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "p.duckdb") as store:
        good = pa.table(
            {"crawl_id": [1], "url": ["http://x/"], "sitemap": ["s"], "lastmod": [None]}
        )
        bad = pa.table({"crawl_id": [1], "url": [None], "url_count": [0]})
        with pytest.raises(duckdb.ConstraintException):
            store.write({"sitemap_urls": good, "sitemaps": bad})
        assert store.one("SELECT count(*) FROM sitemap_urls") == (0,)


def test_export_csv_and_parquet(tmp_path: Path) -> None:
    with Store(tmp_path / "p.duckdb") as store:
        for cid in (1, 2):
            store.insert(
                "sitemap_urls",
                pa.table(
                    {
                        "crawl_id": [cid] * 2,
                        "url": [f"http://x/{cid}/a", f"http://x/{cid}/b"],
                        "sitemap": ["s"] * 2,
                        "lastmod": ["2024-01-01", None],
                    }
                ),
            )
            store.insert(
                "crawls",
                pa.table(
                    {
                        "crawl_id": [cid],
                        "start_url": ["http://x/"],
                        "started_at": pa.array([0], pa.timestamp("us", tz="UTC")),
                        "status": ["finished"],
                        "settings_json": ["{}"],
                    }
                ),
            )
        assert store.export("sitemap_urls", tmp_path / "s.csv", "csv") == 2
        assert store.export("sitemap_urls", tmp_path / "s.parquet", "parquet", crawl_id=1) == 2
        with pytest.raises(StoreError, match="Unknown table 'nope'"):
            store.export("nope", tmp_path / "x.csv", "csv")
        with pytest.raises(StoreError, match="Unknown export format 'ods'"):
            store.export("pages", tmp_path / "x.ods", "ods")
    csv = pacsv.read_csv(tmp_path / "s.csv")
    assert csv.column("url").to_pylist() == ["http://x/2/a", "http://x/2/b"]
    assert pq.read_table(tmp_path / "s.parquet").column("url").to_pylist() == [
        "http://x/1/a",
        "http://x/1/b",
    ]


def test_a_version_1_file_is_migrated_with_its_rows_kept(tmp_path: Path) -> None:
    from linkequity.store.schema import MIGRATIONS

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for statement in MIGRATIONS[0]:
        con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute(
        "INSERT INTO crawls VALUES (1, 'https://a.example/', now(), NULL, 'finished', '{}')"
    )
    con.close()
    with Store(path, read_only=True) as store:  # reading commands migrate it too
        assert store.schema_version == SCHEMA_VERSION
        assert store.one("SELECT count(*) FROM crawls") == (1,)
        assert store.one("SELECT count(*) FROM page_scores") == (0,)


def test_configured_options_hold_inside_the_block_only(tmp_path: Path) -> None:
    query = "SELECT current_setting('threads'), current_setting('memory_limit')"
    with Store(tmp_path / "p.duckdb") as store:
        store.rows("SET threads = 2")
        store.rows("SET memory_limit = '2GiB'")
        before = store.one(query)
        with pytest.raises(RuntimeError), store.configured(threads=1, memory_limit="64MB"):
            assert store.one(query) == (1, "61.0 MiB")  # DuckDB shows 64 MB in MiB
            raise RuntimeError("the block failed")
        assert store.one(query) == before
