"""Screaming Frog exports of every version into a snapshot: links, pages, redirects, frontier."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from linkequity import Project
from linkequity.ingest import FileSummary, import_screamingfrog
from linkequity.ingest import screamingfrog as sf
from linkequity.store import Store, crawl_overview

FIXTURES = Path(__file__).parents[2] / "fixtures" / "screamingfrog"
INLINKS = FIXTURES / "all_inlinks.csv"
INLINKS_9 = FIXTURES / "all_inlinks_9_columns.csv"
OUTLINKS_8 = FIXTURES / "all_outlinks_8_columns.csv"
INTERNAL = FIXTURES / "internal_all.csv"
INTERNAL_42 = FIXTURES / "internal_all_42_columns.csv"
INTERNAL_TREE = FIXTURES / "internal_html_tree.csv"

H = "https://www.example.com"
O = "http://www.example.com"  # noqa: E741 - the old exports' origin
LINKS_FORMAT = "Screaming Frog All Inlinks / All Outlinks"
PAGES_FORMAT = "Screaming Frog Internal: All / HTML"


def links(store: Store, crawl_id: int = 1) -> list[tuple[Any, ...]]:
    return store.rows(
        "SELECT src_url, dst_url, anchor, alt, rel, is_nofollow, is_sponsored, is_ugc, position, "
        "is_internal, is_image, ordinal FROM links WHERE crawl_id = ? ORDER BY src_url, ordinal",
        [crawl_id],
    )


def pages(store: Store, crawl_id: int = 1) -> list[tuple[Any, ...]]:
    return store.rows(
        "SELECT url, status_code, indexable, indexability_reason, redirect_url, error "
        "FROM pages WHERE crawl_id = ? ORDER BY url",
        [crawl_id],
    )


def rows_of(store: Store, sql: str) -> list[tuple[Any, ...]]:
    return store.rows(sql)


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with Store(tmp_path / "sf.duckdb") as s:
        yield s


def test_current_all_inlinks(store: Store) -> None:
    summary = import_screamingfrog(store, [INLINKS])
    assert summary.files == (
        FileSummary(
            name="all_inlinks.csv",
            format=LINKS_FORMAT,
            title=None,
            rows=22,
            pages=0,
            links=17,
            redirects=0,
            skipped=(
                ("CSS", 1),
                ("HTML Canonical", 1),
                ("HTML Hreflang", 1),
                ("Image", 1),
                ("JavaScript", 1),
            ),
            missing_columns=(),
            other_positions=(("Mega Menu", 1),),
        ),
    )
    assert (summary.crawl_id, summary.start_url) == (1, f"{H}/")
    assert (summary.links, summary.internal_links) == (17, 14)
    assert (summary.pages, summary.pages_from_links) == (7, 7)
    assert (summary.redirect_hops, summary.unfetched) == (0, 1)
    f, t = False, True
    assert links(store) == [
        ("https://blog.example.com/", f"{H}/shop/unlisted", "Unlisted", None, None, f, f, f,
         "content", t, f, 0),
        (f"{H}/", f"{H}/", "Home", None, None, f, f, f, "navigation", t, f, 0),
        (f"{H}/", f"{H}/shop/", "Shop", None, None, f, f, f, "navigation", t, f, 1),
        (f"{H}/", f"{H}/", "", "Example logo", None, f, f, f, "header", t, t, 2),
        (f"{H}/", f"{H}/shop/chairs", "Chairs new", None, None, f, f, f, "content", t, f, 3),
        (f"{H}/", "https://partner.example.org/", "Our partner", None, "sponsored noopener",
         f, t, f, "content", f, f, 4),
        (f"{H}/", "https://blog.example.com/", "Blog", None, None, f, f, f, "footer", t, f, 5),
        (f"{H}/", f"{H}/private", "Members", None, None, f, f, f, "footer", t, f, 6),
        (f"{H}/shop/", f"{H}/shop/chairs", "Chairs and stools", None, None, f, f, f, "sidebar",
         t, f, 0),
        (f"{H}/shop/", f"{H}/old-page", "Old offer", None, None, f, f, f, "sidebar", t, f, 1),
        (f"{H}/shop/", f"{H}/missing", "Gone", None, "nofollow", t, f, f, "content", t, f, 2),
        (f"{H}/shop/", f"{H}/", "Privacy", None, None, f, f, f, "footer", t, f, 3),
        (f"{H}/shop/chairs", f"{H}/shop/", "Back to the shop", None, None, t, f, f, "unknown",
         t, f, 0),
        (f"{H}/shop/chairs", "https://forum.example.net/t/1", "Forum thread", None,
         "ugc nofollow", t, f, t, "content", f, f, 1),
        (f"{H}/shop/chairs", "mailto:info@example.com", "Mail us", None, None, f, f, f,
         "content", f, f, 2),
        (f"{H}/shop/chairs", f"{H}/shop/chairs", "Chairs", None, None, f, f, f, "unknown", t, f,
         3),
        (f"{H}/shop/chairs", f"{H}/shop/", "Shop", None, "noopener noreferrer", f, f, f,
         "header", t, f, 4),
    ]  # fmt: skip
    # every internal URL the export shows requested has a page row, with what the links say
    assert pages(store) == [
        ("https://blog.example.com/", 200, False, "unknown", None, None),
        (f"{H}/", 200, False, "unknown", None, None),
        (f"{H}/missing", 404, False, "client error", None, None),
        (f"{H}/old-page", 301, False, "redirect", None, None),
        (f"{H}/private", None, False, "blocked by robots.txt", None, "blocked by robots.txt"),
        (f"{H}/shop/", 200, False, "unknown", None, None),
        (f"{H}/shop/chairs", 200, False, "unknown", None, None),
    ]
    # the one internal target never requested is discovered, not fetched
    assert rows_of(store, "SELECT * EXCLUDE (held_back, trap_pattern) FROM frontier") == [
        (1, f"{H}/shop/unlisted", 1, 0, "https://blog.example.com/", "link")
    ]
    crawl = rows_of(store, "SELECT crawl_id, start_url, status, settings_json FROM crawls")
    assert crawl[0][:3] == (1, f"{H}/", "imported")
    assert json.loads(crawl[0][3]) == {
        "source_tool": "Screaming Frog SEO Spider",
        "files": [
            {
                "name": "all_inlinks.csv",
                "format": LINKS_FORMAT,
                "title": None,
                "rows": 22,
                "pages": 0,
                "links": 17,
                "redirects": 0,
                "skipped": {
                    "CSS": 1,
                    "HTML Canonical": 1,
                    "HTML Hreflang": 1,
                    "Image": 1,
                    "JavaScript": 1,
                },
            }
        ],
    }


def test_old_9_column_inlinks_with_title_line_and_redirect_rows(store: Store) -> None:
    summary = import_screamingfrog(store, [INLINKS_9])
    (file,) = summary.files
    assert (file.title, file.rows, file.links, file.redirects) == ("All Inlinks", 11, 7, 1)
    assert file.skipped == (("CSS", 1), ("IMG", 1), ("JS", 1))
    assert file.missing_columns == ("Rel", "Link Position")
    assert (summary.start_url, summary.internal_links) == (f"{O}/", 6)
    f, t = False, True
    assert links(store) == [
        (f"{O}/", f"{O}/", "", "Logo", None, f, f, f, "unknown", t, t, 0),
        (f"{O}/", f"{O}/servicios/", "Servicios digitales", None, None, f, f, f, "unknown", t,
         f, 1),
        (f"{O}/aviso-legal/", f"{O}/servicios/", "Servicios", None, None, f, f, f, "unknown", t,
         f, 0),
        (f"{O}/servicios/", "http://example.com/", "Inicio", None, None, f, f, f, "unknown", t,
         f, 0),
        (f"{O}/servicios/", f"{O}/privado/", "Privado", None, None, f, f, f, "unknown", t, f, 1),
        (f"{O}/servicios/", f"{O}/aviso-legal/", "política de privacidad", None, None, t, f, f,
         "unknown", t, f, 2),
        (f"{O}/servicios/", "https://twitter.com/example", "Twitter", None, None, f, f, f,
         "unknown", f, f, 3),
    ]  # fmt: skip
    assert pages(store) == [
        ("http://example.com/", 301, False, "redirect", f"{O}/", None),
        (f"{O}/", 200, False, "unknown", None, None),
        (f"{O}/aviso-legal/", 200, False, "unknown", None, None),
        (f"{O}/privado/", None, False, "blocked by robots.txt", None, "blocked by robots.txt"),
        (f"{O}/servicios/", 200, False, "unknown", None, None),
    ]
    # the "Redirect" row is a redirect hop, not a link
    assert rows_of(store, "SELECT url, hop, status_code, location, is_loop FROM redirects") == [
        ("http://example.com/", 0, 301, f"{O}/", False)
    ]
    assert (summary.redirect_hops, summary.unfetched) == (1, 0)


def test_2017_8_column_outlinks_with_ahref_and_unrequested_targets(store: Store) -> None:
    summary = import_screamingfrog(store, [OUTLINKS_8])
    (file,) = summary.files
    assert (file.title, file.rows, file.links, file.redirects) == ("All Outlinks", 6, 4, 1)
    assert file.skipped == (("IMG", 1),)
    f, t = False, True
    assert links(store) == [
        (f"{H}/", f"{H}/", "Example", None, None, f, f, f, "unknown", t, f, 0),
        (f"{H}/", f"{H}/blog/", "Blog", None, None, f, f, f, "unknown", t, f, 1),
        (f"{H}/", "https://github.com/example", "GitHub", None, None, t, f, f, "unknown", f, f,
         2),
        (f"{H}/blog/", f"{H}/blog/page/2/", "Older posts", None, None, f, f, f, "unknown", t, f,
         0),
    ]  # fmt: skip
    # the redirect's target was requested; its source was not (no row gives its status)
    assert [p[:2] for p in pages(store)] == [
        (f"{H}/", 200),
        (f"{H}/blog/", 200),
        (f"{H}/img.jpg", 200),
    ]
    assert rows_of(store, "SELECT url, level, found_from, found_by FROM frontier") == [
        (f"{H}/blog/page/2/", 0, f"{H}/blog/", "link")
    ]
    assert (summary.pages, summary.redirect_hops, summary.unfetched) == (3, 0, 1)


def test_internal_all_with_all_inlinks(store: Store) -> None:
    summary = import_screamingfrog(store, [INLINKS, INTERNAL])
    assert [(f.name, f.format, f.rows, f.pages, f.links) for f in summary.files] == [
        ("all_inlinks.csv", LINKS_FORMAT, 22, 0, 17),
        ("internal_all.csv", PAGES_FORMAT, 13, 13, 0),
    ]
    assert (summary.start_url, summary.pages, summary.pages_from_links) == (f"{H}/", 14, 1)
    assert (summary.links, summary.internal_links) == (17, 14)
    assert (summary.redirect_hops, summary.unfetched) == (3, 1)
    assert pages(store) == [
        ("https://blog.example.com/", 200, False, "unknown", None, None),
        (f"{H}/", 200, True, None, None, None),
        (f"{H}/about", 200, False, "noindex", None, None),
        (f"{H}/guide.pdf", 200, False, "non-html", None, None),
        (f"{H}/logo.png", 200, False, "non-html", None, None),
        (f"{H}/meta-refresh", 200, False, "redirect", None, None),
        (f"{H}/missing", 404, False, "client error", None, None),
        (f"{H}/old-page", 301, False, "redirect", f"{H}/shop/", None),
        (f"{H}/private", None, False, "blocked by robots.txt", None, "blocked by robots.txt"),
        (f"{H}/redirect-a", 302, False, "redirect", f"{H}/old-page", None),
        (f"{H}/shop/", 200, True, None, None, None),
        (f"{H}/shop/chairs", 200, True, None, None, None),
        (f"{H}/shop/chairs?sort=price", 200, False, "canonicalised", None, None),
        (f"{H}/timeout", None, False, "no response", None, "Connection Timeout"),
    ]
    home = store.rows(
        "SELECT content_type, depth, canonical_url, meta_robots, x_robots_tag, title, h1, "
        "meta_description, word_count, text_sha1, size_bytes, elapsed_ms, in_sitemap, "
        "epoch(fetched_at), encoding FROM pages WHERE url = ?",
        [f"{H}/"],
    )
    assert home == [
        (
            "text/html; charset=UTF-8",
            0,
            f"{H}/",
            None,
            None,
            "Example Shop \u2013 Home",
            "Welcome",
            "Chairs and tables, made to last.",
            350,
            "abcdef0123456789abcdef0123456789",
            5120,
            250.0,
            False,
            datetime(2025, 8, 10, 15, 38, 49, tzinfo=UTC).timestamp(),
            None,
        )
    ]
    facts = store.rows(
        "SELECT url, depth, meta_robots, x_robots_tag, word_count, elapsed_ms FROM pages "
        "WHERE url IN (?, ?, ?) ORDER BY url",
        [f"{H}/about", f"{H}/guide.pdf", f"{H}/shop/chairs"],
    )
    assert facts == [
        (f"{H}/about", 1, "noindex, follow", None, 210, None),
        (f"{H}/guide.pdf", 2, None, "noindex", None, None),
        (f"{H}/shop/chairs", 2, None, None, 640, 500.0),
    ]
    assert rows_of(
        store, "SELECT url, hop, status_code, location, is_loop FROM redirects ORDER BY url, hop"
    ) == [
        (f"{H}/old-page", 0, 301, f"{H}/shop/", False),
        (f"{H}/redirect-a", 0, 302, f"{H}/old-page", False),
        (f"{H}/redirect-a", 1, 301, f"{H}/shop/", False),
    ]
    # Crawl Depth of the linking page sets the frontier level where it is known
    assert rows_of(store, "SELECT url, level, found_from, found_by FROM frontier") == [
        (f"{H}/shop/unlisted", 0, "https://blog.example.com/", "link")
    ]
    overview = crawl_overview(store)
    assert overview.by_indexability == [
        ("indexable", 3),
        ("redirect", 3),
        ("non-html", 2),
        ("blocked by robots.txt", 1),
        ("canonicalised", 1),
        ("client error", 1),
        ("no response", 1),
        ("noindex", 1),
        ("unknown", 1),
    ]
    assert overview.depth_histogram == [("0", 1), ("1", 4), ("2", 6), ("3", 2), ("not linked", 1)]


def test_older_internal_all_with_renamed_columns(store: Store) -> None:
    summary = import_screamingfrog(store, [INTERNAL_42])
    (file,) = summary.files
    assert (file.title, file.rows, file.pages) == ("Internal - All", 4, 4)
    assert file.missing_columns == (
        "Indexability",
        "Indexability Status",
        "X-Robots-Tag 1",
        "Crawl Timestamp",
    )
    got = store.rows(
        "SELECT url, status_code, content_type, depth, redirect_url, indexability_reason, title, "
        "size_bytes, elapsed_ms, text_sha1 FROM pages ORDER BY url"
    )
    assert got == [
        (f"{O}/", 200, "text/html", 0, None, None, "Inicio", 5120, 368.0,
         "0123456789abcdef0123456789abcdef"),
        (f"{O}/antiguo", 301, "text/html", 1, f"{O}/", "redirect", None, None, None, None),
        (f"{O}/files/catalogo.zip", 200, "application/zip", 1, None, "non-html", None, 104857,
         None, None),
        (f"{O}/gone", 404, "text/html", 2, None, "client error", None, None, None, None),
    ]  # fmt: skip
    assert (summary.start_url, summary.redirect_hops, summary.unfetched) == (f"{O}/", 1, 0)


def test_overlapping_page_files_and_tree_view_folder_rows(store: Store) -> None:
    summary = import_screamingfrog(store, [INTERNAL, INTERNAL_TREE])
    tree = summary.files[1]
    assert (tree.rows, tree.pages) == (5, 1)
    assert tree.skipped == (("duplicate Address", 2), ("folder row (no Address)", 2))
    assert summary.pages == 14
    assert summary.skipped == (("duplicate Address", 2), ("folder row (no Address)", 2))
    assert store.rows("SELECT title, word_count FROM pages WHERE url = ?", [f"{H}/contact"]) == [
        ("Contact", 80)
    ]
    # the first file's row of a URL wins
    assert store.rows("SELECT h1 FROM pages WHERE url = ?", [f"{H}/shop/"]) == [("All products",)]


def reencode(source: Path, target: Path, delimiter: str, encoding: str) -> Path:
    with source.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    with target.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return target


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [("\t", "utf-16"), (";", "utf-8"), ("\t", "utf-8-sig")]
)
def test_the_same_export_in_other_encodings_and_delimiters(
    tmp_path: Path, delimiter: str, encoding: str
) -> None:
    with Store(tmp_path / "a.duckdb") as store:
        import_screamingfrog(store, [INLINKS_9, INTERNAL_42])
        expected = (links(store), pages(store))
    copies = [
        reencode(INLINKS_9, tmp_path / "inlinks.txt", delimiter, encoding),
        reencode(INTERNAL_42, tmp_path / "internal.txt", delimiter, encoding),
    ]
    with Store(tmp_path / "b.duckdb") as store:
        summary = import_screamingfrog(store, copies)
        assert (links(store), pages(store)) == expected
    assert [f.title for f in summary.files] == ["All Inlinks", "Internal - All"]


def test_batches_give_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "a.duckdb") as store:
        import_screamingfrog(store, [INLINKS, INTERNAL])
        expected = (links(store), pages(store))
    monkeypatch.setattr(sf, "BATCH_ROWS", 2)
    with Store(tmp_path / "b.duckdb") as store:
        summary = import_screamingfrog(store, [INLINKS, INTERNAL])
        assert (links(store), pages(store)) == expected
    assert (summary.links, summary.internal_links, summary.pages) == (17, 14, 14)


def test_progress_and_the_staging_folder(store: Store) -> None:
    calls: list[tuple[str, int, int]] = []
    staged: list[Path] = []

    def progress(name: str, done: int, total: int) -> None:
        calls.append((name, done, total))
        staged.extend(store.path.parent.glob(".linkequity-import-*/*.parquet"))

    import_screamingfrog(store, [INLINKS, INTERNAL], progress)
    assert calls == [
        ("internal_all.csv", INTERNAL.stat().st_size, INTERNAL.stat().st_size),
        ("all_inlinks.csv", INLINKS.stat().st_size, INLINKS.stat().st_size),
    ]
    # rows wait beside the project until the one transaction, then the folder goes
    assert "pages.parquet" in {p.name for p in staged}
    assert not list(store.path.parent.glob(".linkequity-import-*"))


def test_each_import_is_a_new_snapshot(tmp_path: Path) -> None:
    project = Project(tmp_path / "sf.duckdb")
    first = project.import_screamingfrog(INLINKS_9)
    second = project.import_screamingfrog(INLINKS, str(INTERNAL))
    assert (first.crawl_id, second.crawl_id) == (1, 2)
    assert project.links(1).num_rows == 7
    assert project.links().num_rows == 17
    assert project.pages().num_rows == 14
    assert project.overview().status == "imported"


def test_the_public_surface() -> None:
    import linkequity.ingest as ingest

    assert ingest.__all__ == sorted(ingest.__all__)
    assert all(hasattr(ingest, name) for name in ingest.__all__)
    assert [f.name for f in sf.FORMATS] == [LINKS_FORMAT, PAGES_FORMAT]
