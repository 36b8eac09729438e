"""The link graph in Chromium: it draws (its pixels are not blank), a click on a page lists
its inlinks with the equity they pass, search finds a page, a filter hides pages, a
directory opens when grouped, no request leaves the file and a crawled title runs nothing."""

from __future__ import annotations

import dataclasses
import struct
import zlib
from pathlib import Path
from typing import Any

from linkequity import Project
from linkequity.present.report.build import render, report_data, write_report
from linkequity.present.report.graph import graph_data
from tests.browser import artifact
from tests.unit.equity.builder import Crawl, url

HOSTILE = "</script><script>window.pwned = 1</script><img src=x onerror='window.pwned=2'>"


def site(tmp_path: Path) -> Project:
    crawl = Crawl().page("", title="Home").page("blog/hostile", title=HOSTILE)
    for i in range(8):
        crawl.page(f"shop/p{i}", title=f"Product {i}")
        crawl.link("", f"shop/p{i}").link(f"shop/p{i}", "").link(f"shop/p{i}", "blog/hostile")
    crawl.link("", "blog/hostile", anchor=HOSTILE).link("blog/hostile", "shop/p0")
    path = crawl.save(tmp_path / "p.duckdb")
    Project(path).analyze()
    return Project(path)


def non_white(png: bytes) -> int:
    """Pixels of an 8-bit RGB(A) PNG that are not (near) white."""
    chunks, pos = [], 8
    width = height = channels = 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    count = 0
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 255
        count += sum(1 for i in range(0, stride, channels) if min(line[i : i + 3]) < 230)
        previous = line
    return count


def open_report(browser: Any, out: Path) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def seen(route: Any) -> None:
        requests.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", seen)
    page.goto(out.as_uri())
    page.wait_for_selector("#graph[data-drawn=yes]")
    page.locator("#graph").scroll_into_view_if_needed()
    return page, errors, requests


def click_page(page: Any, address: str) -> None:
    """Click the node of the page ``address`` where sigma draws it."""
    node = page.evaluate("a => String(linkGraph.data.pages.url.indexOf(a))", address)
    at = page.evaluate(
        "n => { var g = linkGraph.graph.getNodeAttributes(n);"
        " return linkGraph.sigma.graphToViewport({x: g.x, y: g.y}); }",
        node,
    )
    box = page.locator("#graph-canvas").bounding_box()
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])


def test_the_graph_draws_and_answers_clicks_search_and_filters(
    tmp_path: Path, browser: Any
) -> None:
    out = tmp_path / "report.html"
    write_report(site(tmp_path), out)
    page, errors, requests = open_report(browser, out)
    drawn = non_white(page.locator("#graph-canvas").screenshot())
    assert drawn > 2_000  # nodes and links, not an empty white box
    page.screenshot(path=str(artifact("graph.png")), full_page=False)

    click_page(page, url(""))
    panel = page.locator("#graph-panel")
    assert panel.locator("p.url").inner_text() == url("")
    inlinks = panel.locator("ol.inlinks li button").all_inner_texts()
    assert set(inlinks) == {url(f"shop/p{i}") for i in range(8)}
    equity = panel.locator("ol.inlinks li .equity").all_inner_texts()
    assert all(e.endswith("%") and float(e[:-1]) > 0 for e in equity)
    outlinks = panel.locator("ol.outlinks li button").all_inner_texts()
    assert url("blog/hostile") in outlinks
    assert panel.locator("ol.outlinks li.top").count() == 1  # the strongest link stands out
    page.locator("#graph-panel").screenshot(path=str(artifact("graph-panel.png")))

    page.locator("#graph-search").fill("hostile")
    found = page.locator("#graph-results li button").all_inner_texts()
    assert found == [f"{url('blog/hostile')} — {HOSTILE}"]
    page.locator("#graph-results li button").first.click()
    assert panel.locator("p.url").inner_text() == url("blog/hostile")
    assert panel.locator("h3").first.inner_text() == HOSTILE  # shown as the text it is
    assert page.locator("#graph a, #graph img, #graph script").count() == 0  # no live URL

    page.locator("#graph-directory").select_option(label="/shop/")
    assert page.locator("#graph-shown").inner_text() == "Showing 8 of 10."
    hidden = page.evaluate(
        "linkGraph.graph.nodes().filter(function (n) {"
        " return linkGraph.sigma.getNodeDisplayData(n).visibility === 'hidden'; }).length"
    )
    assert hidden == 2
    page.screenshot(path=str(artifact("graph-filtered.png")))
    assert page.evaluate("window.pwned") is None
    assert errors == []
    assert requests == [out.as_uri()]
    page.close()


def test_a_grouped_graph_opens_a_directory(tmp_path: Path, browser: Any) -> None:
    project = site(tmp_path)
    data = dataclasses.replace(report_data(project), graph=graph_data(project, group_above=3))
    out = tmp_path / "grouped.html"
    out.write_text(render(data), encoding="utf-8")
    page, errors, requests = open_report(browser, out)
    assert page.evaluate("linkGraph.graph.order") == 3  # /, /blog/, /shop/
    shop = page.evaluate("String(linkGraph.data.directories.indexOf('/shop/'))")
    at = page.evaluate(
        "g => { var a = linkGraph.graph.getNodeAttributes('g' + g);"
        " return linkGraph.sigma.graphToViewport({x: a.x, y: a.y}); }",
        shop,
    )
    box = page.locator("#graph-canvas").bounding_box()
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    assert page.evaluate("linkGraph.graph.order") == 8
    assert page.locator("#graph-back").is_visible()
    page.locator("#graph-search").fill("Home")
    page.locator("#graph-results li button").first.click()  # opens the home page's group
    assert page.evaluate("linkGraph.graph.order") == 1
    assert page.locator("#graph-panel p.url").inner_text() == url("")
    page.locator("#graph-back").click()
    assert page.evaluate("linkGraph.graph.order") == 3
    page.screenshot(path=str(artifact("graph-grouped.png")))
    assert errors == [] and requests == [out.as_uri()]
    page.close()
