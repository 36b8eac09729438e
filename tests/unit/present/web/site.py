"""A small analysed site whose crawled text is hostile, and the app over it in-process."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa
from fastapi import FastAPI

from linkequity import Project
from linkequity.present.web import create_app
from linkequity.store import Store
from tests.unit.equity.builder import Crawl, url

#: A title and an anchor that would run script if pasted into HTML or JS.
HOSTILE = (
    "</script><script>window.pwned=1</script>\u2028<img src=x onerror='window.pwned=2'>"
    "<a href='javascript:window.pwned=3'>x</a>"
)
#: A crawled URL carrying markup in its query string.
HOSTILE_PATH = "search?q=</script><script>window.pwned=4</script>"
JS_URL = "javascript:window.pwned=5"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"


def hostile_site(tmp_path: Path) -> Path:
    """Home links to a (hostile title), Boots, a hostile URL, a broken page and a
    ``javascript:`` URL; a and Boots link back."""
    crawl = Crawl().page("", title="Home").page("a", title=HOSTILE).page("boots", title="Boots")
    crawl.page(HOSTILE_PATH, title="Search").page("gone", 404)
    crawl.link("", "a", anchor=HOSTILE).link("", "boots", anchor="Boots")
    crawl.link("", HOSTILE_PATH, anchor="search").link("", "gone", anchor="gone")
    crawl.link("a", JS_URL, anchor=HOSTILE).link("a", "boots", anchor=HOSTILE)
    crawl.link("a", "").link("boots", "").link(HOSTILE_PATH, "")
    path = crawl.save(tmp_path / "site.duckdb")
    Project(path).analyze()
    return path


def recommend(path: Path) -> None:
    """Two saved recommendations, as ``linkequity recommend`` keeps them: Boots -> a (with
    the hostile text as anchor and snippet), then Home -> a."""
    rows = [
        {"source_url": url("boots"), "anchor": HOSTILE, "snippet": f"see {HOSTILE} here",
         "predicted_gain": 0.0125},
        {"source_url": url(""), "anchor": "a page", "snippet": None, "predicted_gain": 0.005},
    ]  # fmt: skip
    now = datetime.now(UTC)
    table = pa.Table.from_pylist(
        [
            {"crawl_id": 1, "rank": rank, "target_url": url("a"), "anchor_in_text": True,
             "is_exact_match": False, "position": "content", "relevance": 0.5,
             "source_equity_per_link": 0.1, "predicted_priority_gain": row["predicted_gain"],
             "cumulative_priority_gain": row["predicted_gain"] * rank,
             "single_priority_gain": row["predicted_gain"], "recommended_at": now, **row}
            for rank, row in enumerate(rows, start=1)
        ]
    )  # fmt: skip
    with Store(path) as store:
        store.write({"recommendations": table})


def app_for(path: Path, **options: Any) -> FastAPI:
    return create_app(path, 1, port=PORT, **options)


def request(
    app: FastAPI,
    method: str,
    target: str,
    *,
    base: str = BASE,
    raise_app_exceptions: bool = True,
    **options: Any,
) -> httpx.Response:
    """One request to ``app`` in-process (httpx's ASGI transport), on an event loop of its
    own in a thread: the browser tests' Playwright keeps one running in this thread."""

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
        async with httpx.AsyncClient(transport=transport, base_url=base) as client:
            return await client.request(method, target, **options)

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, send()).result()


def get(app: FastAPI, target: str, **options: Any) -> httpx.Response:
    return request(app, "GET", target, **options)


__all__ = ["BASE", "HOSTILE", "HOSTILE_PATH", "JS_URL", "PORT", "app_for", "get", "hostile_site",
           "recommend", "request", "url"]  # fmt: skip
