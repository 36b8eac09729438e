"""The report in Chromium: no console error, no request leaves the file, the tables draw,
sort and filter, and a crawled title holding a script runs nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linkequity import Project
from linkequity.present.report.build import write_report
from tests.browser import artifact, watched_page
from tests.unit.equity.builder import Crawl, url

HOSTILE = "</script><script>window.pwned = 1</script><img src=x onerror='window.pwned=2'>"


def report(tmp_path: Path) -> Path:
    crawl = Crawl().page("", title="Home").page("a", title=HOSTILE).page("b", title="Boots")
    crawl.page("gone", 404)
    for name in ("a", "b", "gone"):
        crawl.link("", name, anchor=HOSTILE)
    crawl.link("a", "").link("b", "").link("a", "b")
    path = crawl.save(tmp_path / "p.duckdb")
    Project(path).analyze()
    out = tmp_path / "report.html"
    write_report(Project(path), out)
    return out


def test_the_report_works_offline_and_runs_no_crawled_script(tmp_path: Path, browser: Any) -> None:
    out = report(tmp_path)
    watched = watched_page(browser, "file:")
    page, errors, requests = watched.page, watched.errors, watched.requests
    page.goto(out.as_uri())
    page.wait_for_selector("div.table table")
    assert errors == []
    assert requests == [out.as_uri()]  # the file itself, nothing else
    assert page.evaluate("window.pwned") is None
    drawn = page.eval_on_selector_all(
        "div.table table", "t => t.map(e => e.parentNode.dataset.table)"
    )
    assert drawn[:4] == ["top-pages", "starved-pages", "finding-kinds", "costliest"]
    assert "broken-links" in drawn and "orphans" not in drawn  # no orphan here: said in a line
    top = page.locator("div[data-table='top-pages']")
    urls = top.locator("tbody tr td:nth-child(4)").all_inner_texts()
    assert urls[0] == url("") and set(urls) == {url(""), url("a"), url("b")}
    titles = top.locator("tbody tr td:nth-child(5)").all_inner_texts()
    assert HOSTILE in titles  # shown as the text it is
    top.locator("input.filter").fill("/b")
    assert top.locator("tbody tr").count() == 1
    top.locator("input.filter").fill("")
    top.locator("th button", has_text="url").click()
    assert top.locator("tbody tr td:nth-child(4)").all_inner_texts() == sorted(urls)
    assert page.locator("svg.chart").count() == 5
    page.screenshot(path=str(artifact("report.png")), full_page=True)
    page.close()


def test_on_paper_the_graph_gives_way_to_a_line_and_the_tables_print(
    tmp_path: Path, browser: Any
) -> None:
    out = report(tmp_path)
    page = browser.new_page()
    page.goto(out.as_uri())
    page.wait_for_selector("div.table table")
    note = page.locator("#graph p.print-only")
    assert page.locator("#graph .area").is_visible() and not note.is_visible()
    page.emulate_media(media="print")
    # a WebGL canvas prints blank: the section says where the graph is instead
    assert not page.locator("#graph .area").is_visible() and note.is_visible()
    assert note.inner_text().startswith("The link graph is interactive")
    assert not page.locator("input.filter").first.is_visible()
    assert page.locator("div[data-table='top-pages'] tbody tr").first.is_visible()
    page.close()
