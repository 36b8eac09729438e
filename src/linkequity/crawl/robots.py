"""robots.txt: fetching per host and answering "may we fetch this URL?" (acquire stage).

Parsing is Protego's (the parser Scrapy uses, which follows Google's spec: longest match wins,
``*`` and ``$`` wildcards, Allow beats Disallow on a tie). How an answer turns into rules
follows Google's documented handling: 2xx parses the file; 4xx other than 429 means no rules;
5xx, 429 and a network error mean "disallow everything for now"; redirects are followed up to
five hops.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

from linkequity.crawl.fetch import Fetcher

__all__ = ["Robots", "RobotsFile", "fetch_robots"]

# Google follows at most five redirect hops for robots.txt.
_MAX_HOPS = 5
# Google reads the first 500 KiB of a robots.txt and ignores the rest.
_MAX_BYTES = 500 * 1024


@dataclass(frozen=True, slots=True)
class RobotsFile:
    """One host's robots.txt as fetched (what the store keeps so a resume uses the same)."""

    host: str
    status_code: int | None
    body: str | None
    error: str | None


class Robots:
    """The rules of one host for one user agent token."""

    def __init__(self, file: RobotsFile, user_agent: str) -> None:
        self.file = file
        self.user_agent = user_agent
        status = file.status_code
        self.disallow_all = status is None or status == 429 or status >= 500
        self.allow_all = not self.disallow_all and (status is None or status >= 300)
        self._parser = Protego.parse(file.body or "") if not self.allow_all else None

    def allowed(self, url: str) -> bool:
        """May ``url`` (on this host) be fetched?"""
        if self.disallow_all:
            return False
        if self._parser is None:
            return True
        return bool(self._parser.can_fetch(url, self.user_agent))

    @property
    def crawl_delay(self) -> float | None:
        """The Crawl-delay for our user agent, if any."""
        if self._parser is None:
            return None
        delay = self._parser.crawl_delay(self.user_agent)
        return float(delay) if delay else None

    @property
    def sitemaps(self) -> list[str]:
        """Sitemap: lines, as written."""
        if self._parser is None:
            return []
        return [str(s) for s in self._parser.sitemaps]

    @property
    def reason(self) -> str:
        """Why everything is disallowed, for messages."""
        if self.file.status_code is None:
            return f"could not be fetched ({self.file.error})"
        return f"answered HTTP {self.file.status_code}"


async def fetch_robots(fetcher: Fetcher, origin: str) -> RobotsFile:
    """Fetch ``origin``/robots.txt, following redirects."""
    from urllib.parse import urljoin

    host = origin.split("/", 3)[2]
    url = origin + "/robots.txt"
    for _ in range(_MAX_HOPS + 1):
        result = await fetcher.fetch(url, host, want_body=True)
        if result.status_code is not None and 300 <= result.status_code < 400 and result.location:
            url = urljoin(url, result.location)
            continue
        body = result.body[:_MAX_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
        return RobotsFile(host, result.status_code, body if result.body else None, result.error)
    return RobotsFile(host, 404, None, "too many redirects; treated as no robots.txt")
