"""A parse worker process: ``python -m linkequity.crawl.parse_worker`` (crawl stage).

Reads framed pickles from stdin (first the crawl's settings and start URLs, then one
response per frame), answers each with the pickled PageFacts on stdout, in order, and exits
when stdin closes. Started and fed by workers.ParseWorkers.
"""

from __future__ import annotations

import pickle
import sys
from typing import Any

from linkequity.crawl.pages import PageParser
from linkequity.crawl.workers import HEADER
from linkequity.settings import CrawlSettings


def _serve() -> None:
    """The worker side: read framed requests from stdin, write framed answers to stdout."""
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
