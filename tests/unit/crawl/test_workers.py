"""Parse workers: same facts as parsing in-process, and a lost worker fails over."""

from __future__ import annotations

import asyncio

import pytest

from linkequity.crawl.pages import PageParser
from linkequity.crawl.workers import ParseWorkers, WorkerLost
from linkequity.settings import CrawlSettings
from tests.servers import page

START = "https://www.example.com/"
HTML = page("/a", "https://other.example.org/x", "mailto:x@example.com", title="Café").encode()
ARGS = (
    START,
    HTML,
    "text/html; charset=utf-8",
    None,
    '<https://www.example.com/>; rel="canonical"',
    True,
)


def test_a_worker_parses_like_the_crawling_process() -> None:
    settings = CrawlSettings()

    async def run() -> object:
        workers = await ParseWorkers.start(1, settings, [START])
        try:
            return await asyncio.gather(*(workers.facts(ARGS) for _ in range(40)))
        finally:
            await workers.close()

    results = asyncio.run(run())
    assert results == [PageParser(settings, [START]).facts(*ARGS)] * 40


def test_a_killed_worker_raises_worker_lost() -> None:
    async def run() -> None:
        workers = await ParseWorkers.start(1, CrawlSettings(), [START])
        try:
            await workers.facts(ARGS)
            workers._workers[0].proc.kill()
            await workers._workers[0].proc.wait()
            with pytest.raises(WorkerLost):
                for _ in range(3):  # the reader notices the exit within a round trip
                    await workers.facts(ARGS)
            assert not workers.alive
        finally:
            await workers.close()

    asyncio.run(run())
