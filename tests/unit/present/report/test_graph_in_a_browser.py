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
from tests.browser import artifact, watched_page
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


def pixels(png: bytes) -> tuple[int, list[bytearray]]:
    """The rows of an 8-bit RGB(A) PNG, unfiltered, and its channels per pixel."""
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
    rows = []
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
        rows.append(line)
        previous = line
    return channels, rows


def non_white(png: bytes) -> int:
    """Pixels of an 8-bit RGB(A) PNG that are not (near) white."""
    channels, rows = pixels(png)
    return sum(
        1 for line in rows for i in range(0, len(line), channels) if min(line[i : i + 3]) < 230
    )


def differing(png: bytes, other: bytes) -> int:
    """Pixels of two PNGs of one size whose colours differ by more than 48 in a channel."""
    (channels, rows), (theirs, other_rows) = pixels(png), pixels(other)
    assert len(rows) == len(other_rows) and len(rows[0]) // channels == len(other_rows[0]) // theirs
    count = 0
    for line, other_line in zip(rows, other_rows, strict=True):
        own, their = range(0, len(line), channels), range(0, len(other_line), theirs)
        for i, j in zip(own, their, strict=True):
            if max(abs(line[i + c] - other_line[j + c]) for c in range(3)) > 48:
                count += 1
    return count


def open_report(browser: Any, out: Path) -> tuple[Any, list[str], list[str]]:
    watched = watched_page(browser, "file:", viewport={"width": 1280, "height": 900})
    page, errors, requests = watched.page, watched.errors, watched.requests
    page.goto(out.as_uri())
    page.wait_for_selector("#graph[data-drawn=yes]")
    page.locator("#graph").scroll_into_view_if_needed()
    return page, errors, requests


def node_of(page: Any, address: str) -> str:
    """The graph node of the page ``address``."""
    node: str = page.evaluate("a => String(linkGraph.data.pages.url.indexOf(a))", address)
    return node


def viewport_of(page: Any, node: str) -> dict[str, float]:
    """Where sigma's camera puts ``node`` (a page's index, or ``g`` and a group's) in the
    canvas, in pixels."""
    at: dict[str, float] = page.evaluate(
        "n => { var g = linkGraph.graph.getNodeAttributes(n);"
        " return linkGraph.sigma.graphToViewport({x: g.x, y: g.y}); }",
        node,
    )
    return at


def click_node(page: Any, node: str) -> None:
    """Click ``node`` where sigma draws it."""
    at = viewport_of(page, node)
    box = page.locator("#graph-canvas").bounding_box()
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])


def click_page(page: Any, address: str) -> None:
    """Click the node of the page ``address`` where sigma draws it."""
    click_node(page, node_of(page, address))


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
    click_node(page, "g" + shop)
    # /shop/ has 8 pages, more than 3 and no subfolders: its 3 strongest are drawn
    assert page.evaluate("linkGraph.graph.order") == 3
    assert page.locator("#graph-shown").inner_text() == (
        "The 3 strongest of 8 pages of /shop/ shown, by Link Score; search finds any."
    )
    assert page.locator("#graph-back").is_visible()
    hidden = page.evaluate(
        "() => { var p = linkGraph.data.pages;"
        " return p.url.filter(function (u, i) { return p.x[i] === null; }); }"
    )
    assert len(hidden) == 5
    page.locator("#graph-search").fill(hidden[0])
    page.locator("#graph-results li button").first.click()
    assert page.locator("#graph-panel p.url").inner_text() == hidden[0]
    page.locator("#graph-search").fill("Home")
    page.locator("#graph-results li button").first.click()  # opens the home page's group
    assert page.evaluate("linkGraph.graph.order") == 1
    assert page.locator("#graph-panel p.url").inner_text() == url("")
    page.locator("#graph-back").click()
    assert page.evaluate("linkGraph.graph.order") == 3
    page.screenshot(path=str(artifact("graph-grouped.png")))
    assert errors == [] and requests == [out.as_uri()]
    page.close()


def node_at(page: Any, address: str) -> dict[str, float]:
    """Where sigma's camera puts the node of the page ``address`` in the canvas, in pixels."""
    return viewport_of(page, node_of(page, address))


def test_a_pan_moves_the_drawn_frame_then_draws_the_graph_where_the_camera_went(
    tmp_path: Path, browser: Any
) -> None:
    """While the mouse drags, the last frame moves (sigma draws nothing); after the release
    sigma draws the graph once, where the frame was moved to, and clicks find the nodes."""
    out = tmp_path / "report.html"
    write_report(site(tmp_path), out)
    page, errors, requests = open_report(browser, out)
    box = page.locator("#graph-canvas").bounding_box()
    region = {"x": box["x"] + 20, "y": box["y"] + 20, "width": 480, "height": 360}
    moved = {**region, "x": region["x"] + 80, "y": region["y"] + 50}
    before = page.screenshot(clip=region)
    assert non_white(before) > 1_000
    home = node_at(page, url(""))
    drawn = page.evaluate("linkGraph.view.renders")

    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(box["x"] + 10 + 8 * step, box["y"] + 10 + 5 * step)
    page.wait_for_timeout(300)  # the mouse rests: no inertia after the release
    stage = "document.querySelector('#graph-canvas canvas.sigma-stage').style.transform"
    assert page.evaluate(stage) == "translate(80px, 50px) scale(1, 1)"
    assert page.evaluate("linkGraph.view.renders") == drawn  # sigma drew no frame
    during = page.screenshot(clip=moved)
    page.mouse.up()
    page.wait_for_function("n => linkGraph.view.renders > n && !linkGraph.view.settling", arg=drawn)
    assert page.evaluate(stage) == ""
    after = page.screenshot(clip=moved)
    page.screenshot(path=str(artifact("graph-panned.png")))

    now = node_at(page, url(""))
    assert (round(now["x"] - home["x"], 3), round(now["y"] - home["y"], 3)) == (80, 50)
    # what was at a point before the pan is 80 px right and 50 px down of it, in the frame
    # moved while dragging and in the frame sigma drew after it
    area = region["width"] * region["height"]
    assert differing(before, during) < area // 200
    assert differing(before, after) < area // 200
    assert differing(before, page.screenshot(clip=region)) > 500  # the view did move

    click_page(page, url("blog/hostile"))
    assert page.locator("#graph-panel p.url").inner_text() == url("blog/hostile")

    # a wheel zoom scales the drawn frame, then the graph is drawn at the new scale
    zoomed = page.evaluate("linkGraph.view.moved")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)
    page.wait_for_function(
        "n => linkGraph.view.moved > n && !linkGraph.view.settling"
        " && !linkGraph.sigma.getCamera().isAnimating()",
        arg=zoomed,
    )
    assert page.evaluate("linkGraph.sigma.getCamera().getState().ratio") < 1
    inside = [
        address
        for address in [url(f"shop/p{i}") for i in range(8)]
        if 20 < node_at(page, address)["x"] < box["width"] - 20
        and 20 < node_at(page, address)["y"] < box["height"] - 20
    ]
    click_page(page, inside[0])
    assert page.locator("#graph-panel p.url").inner_text() == inside[0]
    page.locator("#graph-search").fill("Product 5")
    page.locator("#graph-results li button").first.click()
    assert page.locator("#graph-panel p.url").inner_text() == url("shop/p5")

    # a click at once after a drag finds the node where the drag put it
    page.locator("#graph-canvas").scroll_into_view_if_needed()
    box = page.locator("#graph-canvas").bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(box["x"] + 10 + 6 * step, box["y"] + 10 + 4 * step)
    page.wait_for_timeout(300)
    page.mouse.up()
    target = next(
        address
        for address in [url(f"shop/p{i}") for i in range(8)]
        if 20 < node_at(page, address)["x"] < box["width"] - 20
        and 20 < node_at(page, address)["y"] < box["height"] - 20
    )
    click_page(page, target)
    assert page.locator("#graph-panel p.url").inner_text() == target
    assert errors == [] and requests == [out.as_uri()]
    page.close()
