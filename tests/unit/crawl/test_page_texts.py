"""The crawl stores each HTML page's own text, compressed, and a user can read and export it."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from linkequity import Project
from linkequity.pagetext import plain
from linkequity.store import Store
from linkequity.store.queries import page_texts
from tests.servers import Answer, ScriptedServer

TEMPLATE = (
    '<nav><a href="/">Home</a> <a href="/guide/">Guide</a> <a href="/big/">Big</a> '
    '<a href="/file.pdf">PDF</a></nav>'
    "<footer>All rights reserved</footer>"
)


def html(title: str, content: str) -> str:
    head = f"<html><head><title>{title}</title></head>"
    return f"{head}<body>{TEMPLATE}<main>{content}</main></body></html>"


@pytest.fixture(scope="module")
def server() -> object:
    long_text = " ".join(f"paragraph{i}" for i in range(20_000))
    routes: dict[str, object] = {
        "/": Answer(
            body=html(
                "Home",
                "<h1>Camping gear</h1><p>Start with the <a href='/guide/'>"
                "tent guide</a> before you buy.</p>",
            )
        ),
        "/guide/": Answer(
            body=html("Guide", "<h1>Tent guide</h1><h2>Dome tents</h2><p>Light.</p>")
        ),
        "/big/": Answer(body=html("Big", f"<p>{long_text}</p>")),
        "/file.pdf": Answer(body=b"%PDF-1.4", content_type="application/pdf"),
    }
    with ScriptedServer(routes) as s:  # type: ignore[arg-type]
        yield s


def test_each_html_page_keeps_its_text_and_headings(server: ScriptedServer, tmp_path: Path) -> None:
    project = Project(tmp_path / "site.duckdb")
    project.crawl(server.origin + "/", workers=0)
    with Store(tmp_path / "site.duckdb", read_only=True) as store:
        stored = page_texts(store, 1)
    texts = {url.removeprefix(server.origin): plain(text) for url, (text, _) in stored.items()}
    assert texts["/"] == "Camping gear Start with the tent guide before you buy."
    assert texts["/guide/"] == "Tent guide Dome tents Light."
    assert len(texts["/big/"]) <= 30_000 and texts["/big/"].startswith("paragraph0 paragraph1 ")
    assert stored[server.origin + "/guide/"][1] == ("Tent guide", "Dome tents")
    assert project.pages().num_rows == 4  # the PDF has a page row, not a text
    exported = project.table("page_texts").to_pylist()
    by_url = {r["url"].removeprefix(server.origin): r for r in exported}
    assert set(by_url) == {"/", "/guide/", "/big/"}
    assert by_url["/guide/"]["headings"] == "Tent guide\nDome tents"
    assert by_url["/"]["text"] == texts["/"]
    out = tmp_path / "texts.csv"
    project.export("page_texts", out)
    written = pacsv.read_csv(out).to_pylist()
    assert {r["url"].removeprefix(server.origin): r["text"] for r in written} == texts
    out = tmp_path / "texts.xlsx"
    assert project.export("page_texts", out, "xlsx") == 3


def test_store_text_off_keeps_no_text(server: ScriptedServer, tmp_path: Path) -> None:
    project = Project(tmp_path / "site.duckdb")
    project.crawl(server.origin + "/", workers=0, store_text=False)
    assert project.table("page_texts").num_rows == 0
    assert project.pages().num_rows == 4


def test_text_limit_caps_what_is_kept_in_a_parse_worker(
    server: ScriptedServer, tmp_path: Path
) -> None:
    project = Project(tmp_path / "site.duckdb")
    project.crawl(server.origin + "/", workers=1, text_limit=1_000)
    big = {r["url"]: r["text"] for r in project.table("page_texts").to_pylist()}
    assert 990 <= len(big[server.origin + "/big/"]) <= 1_000
