"""The web app in Chromium over a real socket: search finds a page, its page view lists its
inlinks, no console error, no request to any host but the app, a crawled script runs nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from linkequity.present.web import create_app
from linkequity.present.web.server import bind, uvicorn_server
from tests.browser import artifact, watched_page
from tests.unit.present.web.site import HOSTILE, hostile_site, url


@contextmanager
def serving(path: Path) -> Iterator[str]:
    """The app on 127.0.0.1 at a free port, in a thread; stopped cleanly on exit."""
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn_server(create_app(path, 1, port=port))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(1000):
            if server.started:
                break
            time.sleep(0.01)
        assert server.started
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
    assert not thread.is_alive()


def test_search_a_page_and_read_its_inlinks(tmp_path: Path, browser: Any) -> None:
    with serving(hostile_site(tmp_path)) as base:
        watched = watched_page(browser, base)
        page, errors, requests = watched.page, watched.errors, watched.requests
        page.goto(base)
        assert page.locator("table.pages tbody tr").count() == 5
        titles = page.locator("table.pages tbody tr td:nth-child(5)").all_inner_texts()
        assert HOSTILE.replace("\u2028", "") in [t.replace("\u2028", "") for t in titles]
        page.fill("input[name=q]", "boots")
        page.click("button[type=submit]")
        page.wait_for_url("**/?q=boots*")
        rows = page.locator("table.pages tbody tr")
        assert rows.count() == 1
        rows.locator("a", has_text=url("boots")).click()
        page.wait_for_url("**/page?url=*")
        assert page.locator("h1").inner_text() == url("boots")
        assert page.locator("#click-path li").all_inner_texts() == [url(""), url("boots")]
        inlinks = page.locator("#inlinks tbody tr")
        assert inlinks.count() == 2
        sources = page.locator("#inlinks tbody tr td:nth-child(1)").all_inner_texts()
        assert sorted(sources) == [url(""), url("a")]
        page.screenshot(path=str(artifact("web-page-view.png")), full_page=True)
        # the page whose title and anchors hold markup shows them and runs nothing
        page.locator("#inlinks a", has_text=url("a")).click()
        page.wait_for_url("**/page?url=*")
        assert page.locator("p.title").inner_text().replace("\u2028", "") == HOSTILE.replace(
            "\u2028", ""
        )
        assert page.evaluate("window.pwned") is None
        assert page.locator("img").count() == 0
        assert errors == []
        assert requests and all(r.startswith(base) for r in requests)
        page.close()
