"""A parse worker process: ``python -m linkequity.crawl.parse_worker`` (acquire stage).

Reads framed pickles from stdin (first the crawl's settings and start URLs, then one
response per frame), answers each with the pickled PageFacts on stdout, in order, and exits
when stdin closes. Started and fed by workers.ParseWorkers.
"""

from __future__ import annotations

import contextlib
import fcntl
import pickle
import sys
from typing import Any

from linkequity.crawl.pages import PageParser
from linkequity.crawl.workers import HEADER
from linkequity.settings import CrawlSettings

# Bytes a pipe between the crawl and this worker holds: ~20 of the benchmark's 50 KB pages.
_PIPE_BYTES = 1 << 20


def _widen_pipes() -> None:
    """Make the pipes to and from the crawling process hold many pages, not one.

    A pipe holds 64 KB by default, about one decompressed page: the worker then waited for
    the crawl's event loop to write each next page (and the loop for the worker to read),
    and both processes idled a third of the time. 1 MB is Linux's limit for an
    unprivileged process (/proc/sys/fs/pipe-max-size); elsewhere pipes stay as they are.
    """
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is None:
        return
    for stream in (sys.stdin, sys.stdout):
        with contextlib.suppress(OSError):
            fcntl.fcntl(stream.fileno(), set_size, _PIPE_BYTES)


def _serve() -> None:
    """The worker side: read framed requests from stdin, write framed answers to stdout."""
    _widen_pipes()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer

    def read() -> Any:
        head = stdin.read(HEADER.size)
        if len(head) < HEADER.size:
            return None
        return pickle.loads(stdin.read(HEADER.unpack(head)[0]))

    init = read()
    if init is None:
        return
    settings_json, start_urls = init
    parser = PageParser(CrawlSettings.from_json(settings_json), start_urls)
    while (args := read()) is not None:
        payload = pickle.dumps(parser.facts(*args), protocol=pickle.HIGHEST_PROTOCOL)
        stdout.write(HEADER.pack(len(payload)) + payload)
        stdout.flush()


if __name__ == "__main__":
    _serve()
