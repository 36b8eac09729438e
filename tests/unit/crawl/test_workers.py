"""Parse workers: same facts as parsing in-process, and a lost worker fails over."""

from __future__ import annotations

import asyncio
import fcntl

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


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="pipe sizes are Linux's")
def test_pipes_to_a_worker_hold_many_pages() -> None:
    async def run() -> list[int]:
        workers = await ParseWorkers.start(1, CrawlSettings(), [START])
        try:
            await workers.facts(ARGS)  # the worker has widened its pipes by its first answer
            transport = workers._workers[0].proc._transport
            pipes = [transport.get_pipe_transport(fd).get_extra_info("pipe") for fd in (0, 1)]
            return [fcntl.fcntl(pipe.fileno(), fcntl.F_GETPIPE_SZ) for pipe in pipes]
        finally:
            await workers.close()

    assert asyncio.run(run()) == [1 << 20, 1 << 20]
