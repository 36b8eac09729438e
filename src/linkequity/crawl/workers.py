"""Parse worker processes: HTML parsing on other cores while the crawl fetches (acquire stage).

Each worker is ``python -m linkequity.crawl.parse_worker`` talking over its stdin / stdout: framed
pickles (a 4-byte length, then the payload), answered in order. Plain subprocesses rather than
multiprocessing, because multiprocessing's spawn re-imports the caller's ``__main__``: a user
script without an ``if __name__ == "__main__"`` guard would crawl again inside the worker.

If a worker dies, :class:`WorkerLost` is raised for the pages it held and the crawl parses
them itself; nothing is lost.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import pickle
import struct
import sys
from typing import Any

from linkequity.crawl.pages import PageFacts
from linkequity.settings import CrawlSettings

__all__ = ["ParseWorkers", "WorkerLost"]

#: Frames are a 4-byte big-endian length, then a pickle (shared with parse_worker).
HEADER = struct.Struct("!I")
# Pages queued per worker: enough to keep it busy between two event-loop turns, few enough
# that a lost worker costs little re-parsing.
_IN_FLIGHT = 16


class WorkerLost(Exception):
    """A parse worker exited; the page must be parsed in the crawling process."""


class _Worker:
    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.pending: collections.deque[asyncio.Future[PageFacts]] = collections.deque()
        self.slots = asyncio.Semaphore(_IN_FLIGHT)
        self.alive = True
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        stdout = self.proc.stdout
        # Reading ends when the worker exits (end of stream) or garbles its output; the pages
        # it still held fail over to the crawling process below.
        with contextlib.suppress(
            asyncio.IncompleteReadError, ConnectionError, pickle.UnpicklingError
        ):
            while stdout is not None:
                size = HEADER.unpack(await stdout.readexactly(HEADER.size))[0]
                facts = pickle.loads(await stdout.readexactly(size))
                self.pending.popleft().set_result(facts)
        self.alive = False
        while self.pending:
            future = self.pending.popleft()
            if not future.done():
                future.set_exception(WorkerLost())

    async def facts(self, args: tuple[Any, ...]) -> PageFacts:
        async with self.slots:
            stdin = self.proc.stdin
            if not self.alive or stdin is None:
                raise WorkerLost()
            future: asyncio.Future[PageFacts] = asyncio.get_running_loop().create_future()
            payload = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
            self.pending.append(future)
            try:
                stdin.write(HEADER.pack(len(payload)) + payload)
                await stdin.drain()
            except (ConnectionError, RuntimeError) as exc:
                raise WorkerLost() from exc
            return await future


class ParseWorkers:
    """A few parse processes; ``await workers.facts(args)`` parses one response."""

    def __init__(self) -> None:
        self._workers: list[_Worker] = []

    @classmethod
    async def start(
        cls, count: int, settings: CrawlSettings, start_urls: list[str]
    ) -> ParseWorkers:
        """Start ``count`` workers for one crawl's settings."""
        pool = cls()
        env = dict(os.environ)
        # The parent may have extended sys.path at run time (a notebook, a test runner).
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        init = pickle.dumps((settings.to_json(), start_urls))
        for _ in range(count):
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "linkequity.crawl.parse_worker",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env=env,
            )
            if proc.stdin is not None:
                proc.stdin.write(HEADER.pack(len(init)) + init)
            pool._workers.append(_Worker(proc))
        return pool

    @property
    def alive(self) -> bool:
        """Is any worker still running?"""
        return any(w.alive for w in self._workers)

    async def facts(self, args: tuple[Any, ...]) -> PageFacts:
        """Parse in the least busy live worker; WorkerLost if none is left."""
        live = [w for w in self._workers if w.alive]
        if not live:
            raise WorkerLost()
        worker = min(live, key=lambda w: len(w.pending))
        return await worker.facts(args)

    async def close(self) -> None:
        """Stop every worker (closing stdin ends its loop) and wait for it."""
        for w in self._workers:
            if w.proc.stdin is not None and not w.proc.stdin.is_closing():
                w.proc.stdin.close()
        for w in self._workers:
            try:
                await asyncio.wait_for(w.proc.wait(), timeout=10)
            except TimeoutError:
                w.proc.kill()
                await w.proc.wait()
            await w.reader
