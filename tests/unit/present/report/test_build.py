"""The HTML report of a crawl whose pages carry hostile titles: self-contained, every crawled
string inert (escaped in markup, escaped in the embedded JSON), the figures of the analysis."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from linkequity import Project
from tests.commands import one_sentence_error, run
from tests.unit.equity.builder import Crawl

HOSTILE = "</script><script>alert('title')</script>\u2028<img src=x onerror=alert(1)>"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def site(tmp_path: Path) -> Path:
    crawl = Crawl().page("", title="Home").page("a", title=HOSTILE).page("gone", 404)
    crawl.page("javascript-page", title="x")
    crawl.link("", "a", anchor=HOSTILE).link("a", "").link("", "gone").link("", "javascript-page")
    crawl.link("javascript-page", "")
    path = crawl.save(tmp_path / "p.duckdb")
    Project(path).analyze()
    return path


def test_the_report_is_self_contained_and_hostile_text_is_inert(tmp_path: Path) -> None:
    path = site(tmp_path)
    out = tmp_path / "report.html"
    result = run("report", "-p", str(path), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = out.read_text("utf-8")
    parser = Elements()
    parser.feed(html)
    tags = [t for t, _ in parser.tags]
    # the only scripts are the three data elements, the report's own scripts and the two
    # vendored graph libraries; no image, no external resource, no inline event handler
    # came from the crawled title
    assert tags.count("script") == 7 and "img" not in tags
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    data_elements = [a for t, a in parser.tags if t == "script" and a.get("id")]
    assert data_elements == [
        {"type": "application/json", "id": "report-tables"},
        {"type": "application/json", "id": "report-crawl-path"},
        {"type": "application/json", "id": "report-graph"},
    ]
    ids = [a.get("id") for t, a in parser.tags if t == "script"]
    assert ids == ["report-tables", "report-crawl-path", None, "report-graph", None, None, None]
    graph = json.loads(parser.scripts[3])
    assert HOSTILE in graph["pages"]["title"]
    assert "</script" not in parser.scripts[3].lower()
    data = json.loads(parser.scripts[0])
    titles = {row[4] for row in data["top-pages"]["rows"]}
    assert HOSTILE in titles  # the same text, as data
    assert "\u2028" not in parser.scripts[0] and "</script" not in parser.scripts[0].lower()
    assert "<title>Link equity report: https://shop.example/</title>" in html
    # the KPIs and the broken link's finding
    assert "pages holding equity" in html and "broken_link" in html
    assert tags.count("svg") == 5


def test_a_project_not_analysed_or_a_missing_folder_is_one_sentence(tmp_path: Path) -> None:
    path = Crawl().page("").save(tmp_path / "raw.duckdb")
    assert one_sentence_error(run("report", "-p", str(path), cwd=tmp_path)) == (
        "Crawl 1 has not been analysed yet; run `linkequity analyze` first."
    )
    analysed = site(tmp_path)
    message = one_sentence_error(
        run("report", "-p", str(analysed), "-o", "nowhere/report.html", cwd=tmp_path)
    )
    assert message == "The folder nowhere does not exist; create it or choose another."
    assert not (tmp_path / "report.html").exists()


def test_a_report_after_an_earlier_crawl_says_what_changed_since(tmp_path: Path) -> None:
    from linkequity.present.report.build import report_data
    from tests.unit.equity.builder import url
    from tests.unit.store.test_compare import two_crawls

    data = report_data(Project(two_crawls(tmp_path)))
    changes = dict(data.tables["since-changes"]["rows"])
    assert data.tables["since-changes"]["title"] == "Since the previous crawl (1 -> 2)"
    assert changes["pages added"] == 1 and changes["findings resolved"] >= 1
    resolved = data.tables["since-findings"]["rows"]
    assert ["resolved", "broken_link", "error", url("gone")] in resolved
    assert {row[0] for row in data.tables["since-movers"]["rows"]} >= {url("c"), url("d")}
