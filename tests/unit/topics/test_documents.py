"""Documents: a page without stored text falls back to its title, h1 and inbound anchors."""

from __future__ import annotations

from pathlib import Path

from linkequity.store import Store
from linkequity.topics.documents import FALLBACK, bodies, read_documents
from tests.unit.equity.builder import Crawl, url


def test_fallback_document_of_a_page_without_text(tmp_path: Path) -> None:
    crawl = Crawl().page("", depth=0, title="Home").page("tents", title="Tents", h1="All tents")
    crawl.page("hidden", meta_robots="noindex", title="Hidden").page("gone", 404)
    crawl.link("", "tents", anchor="Dome tents").link("", "tents", anchor="Dome tents")
    crawl.link("hidden", "tents", anchor="Tunnel tents").link("tents", "tents", anchor="Self")
    path = crawl.save(tmp_path / "t.duckdb")
    with Store(path) as store:
        documents = read_documents(store, 1)
        assert [d.url for d in documents] == [url(""), url("tents")]  # live, indexable only
        tents = documents[1]
        assert tents.text_source == FALLBACK == "title, h1 and inbound anchors"
        assert tents.head == "Tents All tents"
        # distinct anchors from other pages, most used first; its own link left out
        assert tents.inbound_anchors == ("Dome tents", "Tunnel tents")
        assert list(bodies(store, 1, documents)) == ["", "Dome tents Tunnel tents"]
