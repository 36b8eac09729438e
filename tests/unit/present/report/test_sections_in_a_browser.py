"""The report's finding tables and crawl path in Chromium: the tables draw their groups and
filter, the tree opens and folds a big fan-out, the click path search shows the path the
project computes, and hostile titles, anchors and URLs in them run nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linkequity import Project
from linkequity.present.report.build import write_report
from tests.browser import artifact, watched_page
from tests.unit.equity.builder import Crawl, url

HOSTILE = "</script><script>window.pwned = 1</script><img src=x onerror='window.pwned=2'>"
#: A page whose URL carries markup: the tree, the search and the tables show it as text.
HOSTILE_PATH = "p/<img src=x onerror=window.pwned=3>"
FANOUT = 40


def report(tmp_path: Path) -> tuple[Project, Path]:
    crawl = Crawl(sitemap=[url("old/"), url("old/terms"), url(HOSTILE_PATH + "-orphan")])
    crawl.page("", title="Home").page("hub", title=HOSTILE).page("deep/end", title="End")
    crawl.page("gone", 404).page("old/").page("old/terms").page(HOSTILE_PATH + "-orphan")
    crawl.page(HOSTILE_PATH, title=HOSTILE)
    crawl.link("", "hub", anchor=HOSTILE).link("hub", "deep/end").link(
        "hub", "gone", anchor=HOSTILE
    )
    crawl.link("", HOSTILE_PATH).link("", "javascript:window.pwned=4", anchor="js")
    crawl.link("old/", "old/terms").link("old/terms", "old/")
    for i in range(FANOUT):
        crawl.page(f"items/{i}").link("", f"items/{i}").link(f"items/{i}", "")
    path = crawl.save(tmp_path / "p.duckdb")
    project = Project(path)
    project.analyze()
    out = tmp_path / "report.html"
    write_report(project, out)
    return project, out


def test_the_tables_and_the_crawl_path_draw_and_run_nothing_crawled(
    tmp_path: Path, browser: Any
) -> None:
    project, out = report(tmp_path)
    watched = watched_page(browser, "file:")
    page, errors, requests = watched.page, watched.errors, watched.requests
    page.goto(out.as_uri())
    page.wait_for_selector("#crawl-tree ul.tree")

    # orphans: one island of two under its header row, the hostile URL an island of its own
    orphans = page.locator("div[data-table='orphans']")
    groups = orphans.locator("tr.group").all_inner_texts()
    assert groups[0] == f"island {url('old/')} (2 orphans)"
    assert orphans.locator("tbody tr:not(.group)").count() == 3
    assert orphans.locator("span.count").inner_text() == "showing 3 of 3 rows"
    orphans.locator("input.filter").fill("terms")
    assert orphans.locator("tbody tr:not(.group) td:first-child").all_inner_texts() == [
        url("old/terms")
    ]
    assert orphans.locator("span.count").inner_text() == "showing 1 of 3 rows"
    orphans.locator("input.filter").fill("")
    orphans.locator("th button", has_text="url").click()
    orphans.locator("th button", has_text="url").click()  # descending, within each island
    assert orphans.locator("tr.group").all_inner_texts() == groups
    assert orphans.locator("tbody tr:not(.group) td:first-child").all_inner_texts() == [
        url("old/terms"),
        url("old/"),
        url(HOSTILE_PATH + "-orphan"),
    ]

    # broken links: the source, the hostile anchor as text, the position
    broken = page.locator("div[data-table='broken-links']")
    cells = broken.locator("tbody tr:not(.group) td").all_inner_texts()
    assert cells == ["404", url("hub"), HOSTILE, "content", "1"]

    # the tree: the start URL open, its children by Link Score, the fan-out folded
    tree = page.locator("#crawl-tree")
    root_children = tree.locator("ul.tree > li > ul > li[data-node]")
    assert root_children.count() == 25
    more = tree.locator("ul.tree > li > ul > li > button.more")
    assert more.inner_text() == f"and {FANOUT + 2 - 25} more"
    more.click()
    assert root_children.count() == FANOUT + 2
    assert HOSTILE_PATH.join(["/", ""]) in root_children.locator("span.url").all_inner_texts()
    hub = tree.locator("li[data-node]", has=page.locator("> span.url", has_text="/hub"))
    hub.locator("> button.toggle").click()
    assert hub.locator("> ul > li > span.url").all_inner_texts() == ["/deep/end", "/gone"]

    # the shortest click path to a page found by part of its URL
    tree.locator("ul.tree > li > button.toggle").click()  # folded again
    page.locator("#crawl-path-search").fill("deep/e")
    page.locator("#crawl-path-matches button.match").click()
    steps = page.locator("#crawl-path-steps li span.url").all_inner_texts()
    assert steps == project.click_path(url("deep/end")) == [url(""), url("hub"), url("deep/end")]
    assert page.locator("li.chosen > span.url").inner_text() == "/deep/end"
    page.locator("#crawl-path-search").fill("onerror")
    page.locator("#crawl-path-search").press("Enter")
    assert page.locator("#crawl-path-steps li span.url").all_inner_texts() == [
        url(""),
        url(HOSTILE_PATH),
    ]
    page.locator("#crawl-path-search").fill("old/terms")
    assert page.locator("#crawl-path-matches li.meta").inner_text().startswith("No page")

    assert errors == []
    assert requests == [out.as_uri()]  # the file itself, nothing else
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("document.querySelectorAll('a[href], img, iframe').length") == 0
    page.locator("#crawl-path-search").fill("deep/e")
    page.locator("#crawl-path-search").press("Enter")
    page.locator("div.crawl-path").screenshot(path=str(artifact("report-crawl-path.png")))
    orphans.screenshot(path=str(artifact("report-orphans.png")))
    page.close()
