"""HTTP fetching with politeness, retries and a size cap (acquire stage).

One :class:`Fetcher` per crawl owns an aiohttp session (keep-alive, DNS cache, gzip / deflate /
brotli) and one :class:`HostSlot` per host, which limits requests in flight, spaces them by a
delay and adapts that delay to the server's latency:

* the delay never goes below ``delay`` (or robots.txt ``Crawl-delay``);
* with ``autothrottle`` the delay tends to ``latency / concurrency`` (Scrapy's AutoThrottle
  rule: that keeps ``concurrency`` requests in flight on average) and only error answers may
  not lower it, so a server that slows down gets fewer requests;
* a 429 or 503 with ``Retry-After`` pauses the whole host for that long.

Compressed answers are inflated by zlib-ng (``aiohttp.set_zlib_backend``, set once for the
process when this module is imported): three times faster than the standard library's zlib,
which was 14% of a crawl's CPU on gzip-serving sites.

Redirects are not followed here: each hop is a page of its own (see engine).
A failed URL is data (``FetchResult.error``), never an exception.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from zlib_ng import zlib_ng

from linkequity.errors import ConfigError
from linkequity.records import HTML_MEDIA_TYPES
from linkequity.settings import CrawlSettings

__all__ = ["FetchResult", "Fetcher", "HostSlot"]

aiohttp.set_zlib_backend(zlib_ng)

# Answers worth another try: the server said "later" or failed transiently.
_RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504, 522, 524})
# First retry waits this long, doubling each time (Scrapy and urllib3 use 0.5 s-1 s bases).
_BACKOFF_BASE = 0.5
_CHUNK = 65536


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one request (after retries) gave."""

    url: str
    status_code: int | None
    content_type: str | None
    """Media type without parameters, lower-case."""
    content_type_header: str | None
    location: str | None
    link_header: str | None
    x_robots_tag: str | None
    body: bytes
    """The body for HTML answers (up to the size cap); empty for others."""
    size_bytes: int
    elapsed_ms: float
    error: str | None

    @property
    def is_html(self) -> bool:
        """The answer declares an HTML media type."""
        return self.content_type in HTML_MEDIA_TYPES


class HostSlot:
    """Concurrency, spacing and adaptive delay for one host."""

    def __init__(self, settings: CrawlSettings) -> None:
        self.min_delay = settings.delay
        self.concurrency = max(1, settings.concurrency)
        self.delay = self.min_delay
        self.max_delay = max(settings.max_delay, self.min_delay)
        self.autothrottle = settings.autothrottle
        self.semaphore = asyncio.Semaphore(self.concurrency)
        self.crawl_delay: float | None = None
        self._next_start = 0.0
        self._paused_until = 0.0

    def apply_crawl_delay(self, seconds: float) -> None:
        """Obey a robots.txt Crawl-delay: one request at a time, that far apart."""
        self.crawl_delay = seconds
        self.min_delay = max(self.min_delay, seconds)
        self.delay = max(self.delay, self.min_delay)
        self.max_delay = max(self.max_delay, self.min_delay)
        self.concurrency = 1
        self.semaphore = asyncio.Semaphore(1)

    async def wait_turn(self) -> None:
        """Sleep until this host may receive another request."""
        while True:
            now = time.monotonic()
            start = max(self._next_start, self._paused_until)
            if start <= now:
                self._next_start = now + self.delay
                return
            await asyncio.sleep(start - now)

    def observe(self, latency: float, ok: bool) -> None:
        """Feed one response's latency (seconds) to the adaptive delay."""
        if not self.autothrottle:
            return
        target = latency / self.concurrency
        new = (self.delay + target) / 2.0
        if not ok and new < self.delay:
            return
        self.delay = min(self.max_delay, max(self.min_delay, new))

    def pause(self, seconds: float) -> None:
        """No request to this host for ``seconds`` (Retry-After)."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)


def _retry_after(value: str | None, cap: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    return min(max(seconds, 0.0), cap)


class _OverrideResolver(AbstractResolver):
    """Answers the overridden host names itself and asks the system resolver for the rest."""

    def __init__(self, overrides: dict[str, str]) -> None:
        self.overrides = overrides
        self.fallback = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        address = self.overrides.get(host.lower())
        if address is None:
            return await self.fallback.resolve(host, port, family)
        v6 = ":" in address
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if v6 else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]

    async def close(self) -> None:
        await self.fallback.close()


def parse_overrides(entries: tuple[str, ...]) -> dict[str, str]:
    """{'host': 'address'} from 'host:address' entries; ConfigError for a malformed one."""
    overrides: dict[str, str] = {}
    for entry in entries:
        host, sep, address = entry.partition(":")
        if not sep or not host or not address:
            raise ConfigError(
                f"Invalid resolve entry {entry!r}; write it as host:address, "
                "e.g. www.example.com:127.0.0.1."
            )
        overrides[host.strip().lower()] = address.strip().strip("[]")
    return overrides


class Fetcher:
    """Fetches URLs politely; use as an async context manager."""

    def __init__(self, settings: CrawlSettings) -> None:
        self.settings = settings
        self.slots: dict[str, HostSlot] = {}
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        overrides = parse_overrides(s.resolve)
        connector = aiohttp.TCPConnector(
            resolver=_OverrideResolver(overrides) if overrides else None,
            limit=0,  # per-host slots limit concurrency
            limit_per_host=max(1, s.concurrency),
            ttl_dns_cache=300,
            keepalive_timeout=30,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={
                "User-Agent": s.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Encoding": "gzip, deflate, br",
            },
            timeout=aiohttp.ClientTimeout(total=s.timeout),
            cookie_jar=aiohttp.DummyCookieJar(),
            skip_auto_headers=(),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    def slot(self, host: str, crawl_delay: float | None = None) -> HostSlot:
        """The slot of a host, created on first use."""
        slot = self.slots.get(host)
        if slot is None:
            slot = self.slots[host] = HostSlot(self.settings)
        if crawl_delay and slot.crawl_delay != crawl_delay:
            slot.apply_crawl_delay(crawl_delay)
        return slot

    async def fetch(self, url: str, host: str, want_body: bool | None = None) -> FetchResult:
        """GET ``url`` with retries. ``want_body``: True always, None only for HTML answers."""
        slot = self.slot(host)
        attempt = 0
        while True:
            result, retry_after = await self._once(url, slot, want_body)
            retryable = result.status_code is None or result.status_code in _RETRY_STATUS
            if not retryable or attempt >= self.settings.retries:
                return result
            attempt += 1
            if retry_after is not None:
                slot.pause(retry_after)
            else:
                await asyncio.sleep(_BACKOFF_BASE * 2 ** (attempt - 1))

    async def _once(
        self, url: str, slot: HostSlot, want_body: bool | None
    ) -> tuple[FetchResult, float | None]:
        session = self._session
        if session is None:
            raise RuntimeError("Fetcher used outside 'async with'")
        async with slot.semaphore:
            await slot.wait_turn()
            started = time.monotonic()
            try:
                async with session.get(
                    url, allow_redirects=False, proxy=self.settings.proxy
                ) as resp:
                    ctype_header = resp.headers.get("Content-Type")
                    ctype = ctype_header.split(";", 1)[0].strip().lower() if ctype_header else None
                    body, size, truncated = b"", 0, False
                    if want_body or (want_body is None and ctype in HTML_MEDIA_TYPES):
                        body, truncated = await self._read(resp)
                        size = len(body)
                    else:
                        size = resp.content_length or 0
                    elapsed = time.monotonic() - started
                    status = resp.status
                    slot.observe(elapsed, status < 400)
                    retry_after = None
                    if status in (429, 503):
                        retry_after = _retry_after(
                            resp.headers.get("Retry-After"), self.settings.max_retry_after
                        )
                    xrt = resp.headers.getall("X-Robots-Tag", [])
                    links = resp.headers.getall("Link", [])
                    error = None
                    if truncated:
                        limit = self.settings.max_response_bytes
                        error = f"response larger than {limit} bytes; only the first were read"
                    return FetchResult(
                        url=url,
                        status_code=status,
                        content_type=ctype,
                        content_type_header=ctype_header,
                        location=resp.headers.get("Location"),
                        link_header=", ".join(links) if links else None,
                        # one header per line: a "bot:" scope runs to the end of its line
                        x_robots_tag="\n".join(xrt) if xrt else None,
                        body=body,
                        size_bytes=size,
                        elapsed_ms=round(elapsed * 1000.0, 3),
                        error=error,
                    ), retry_after
            except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
                elapsed = time.monotonic() - started
                slot.observe(elapsed, ok=False)
                return _failure(url, exc, elapsed), None

    async def _read(self, resp: aiohttp.ClientResponse) -> tuple[bytes, bool]:
        # Read in chunks even when Content-Length is small: it counts compressed bytes, and a
        # decompression bomb must stop at the cap, not in memory.
        limit = self.settings.max_response_bytes
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = await resp.content.read(_CHUNK)
            if not chunk:
                return b"".join(chunks), False
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)[:limit], True


def _describe(exc: BaseException) -> str:
    """A short, stable description of a network failure (stored in pages.error)."""
    if isinstance(exc, asyncio.TimeoutError):
        return "timed out"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "host name not found"
    if isinstance(exc, aiohttp.ClientConnectorError):
        err = exc.os_error
        reason = os.strerror(err.errno).lower() if err.errno else str(err)
        return f"connection failed ({reason})"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "server closed the connection"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "incomplete or undecodable response body"
    return f"{type(exc).__name__}: {exc}".strip().rstrip(":")


def _failure(url: str, exc: BaseException, elapsed: float) -> FetchResult:
    message = _describe(exc)
    return FetchResult(
        url=url,
        status_code=None,
        content_type=None,
        content_type_header=None,
        location=None,
        link_header=None,
        x_robots_tag=None,
        body=b"",
        size_bytes=0,
        elapsed_ms=round(elapsed * 1000.0, 3),
        error=message,
    )
