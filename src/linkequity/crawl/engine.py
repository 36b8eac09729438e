"""The crawl loop: breadth-first by levels, frontier in the store, resumable (acquire stage).

Order of work (the numbers are referred to in the code):

1. Start: read robots.txt of the start host, the start page (kept for its first visit) and the
   sitemaps, declared and guessed (see sitemaps.py); write the crawl row, robots.txt, sitemaps
   and the start URL as the first frontier entry in one transaction.
2. Levels: take the lowest (phase, level) of the frontier that still has URLs without a page
   row; fetch them concurrently; each page's row, its links and the URLs it discovers (next
   level) commit together in batches. A level completes before the next starts, so a URL's
   depth is its shortest click distance whatever order answers arrive in, and a crawl killed at
   any moment resumes to the same pages and links as one never interrupted.
3. ``max_pages``: a level is fetched in URL order up to the remaining budget, which is a pure
   function of the store, so a resumed crawl makes the same choice.
4. Trap defences (see traps.py): a discovered URL that the URL rules refuse gets a held-back
   frontier row; when a level starts, the detector holds back the URLs of patterns that
   repeat themselves and facet combinations beyond a few, and lets a new pattern's other URLs
   wait until its first few are in; when the level is done, those are released or held back.
5. Phase 2: when the link graph is exhausted, sitemap URLs never reached become seeds; pages
   first reached from them have no depth (they are not reachable by links from the start).
6. Finish: redirect chains are written hop by hop from the redirect pages, loops flagged, and
   the crawl is marked finished.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from linkequity.crawl.fetch import Fetcher, FetchResult
from linkequity.crawl.pages import (
    PageFacts,
    PageParser,
    followable,
)
from linkequity.crawl.robots import Robots, RobotsFile, fetch_robots
from linkequity.crawl.sitemaps import (
    SitemapEntry,
    SitemapFile,
    guessed_locations,
    read_sitemaps,
    sitemap_links,
)
from linkequity.crawl.traps import RELEASED, TrapDetector, trap_group, url_rule
from linkequity.crawl.workers import ParseWorkers, WorkerLost
from linkequity.crawl.writer import CrawlWriter, now_utc
from linkequity.errors import ConfigError, FetchError, StoreError
from linkequity.parse import indexability, robots_directives
from linkequity.records import IndexabilityReason, LinkColumns
from linkequity.settings import CrawlSettings
from linkequity.store.database import Store
from linkequity.store.rows import PageRow, PageTextRow, redirect_chains, row_batch
from linkequity.store.tables import table
from linkequity.urls import netloc_of, normalise_url

__all__ = ["CrawlProgress", "CrawlSummary", "run_crawl"]


@dataclass(frozen=True, slots=True)
class CrawlProgress:
    """A snapshot of a running crawl, handed to the progress callback."""

    fetched: int
    queued: int
    errors: int
    level: int
    phase: int


@dataclass(frozen=True, slots=True)
class CrawlSummary:
    """What a finished crawl wrote."""

    crawl_id: int
    start_url: str
    pages: int
    links: int
    errors: int
    resumed: bool
    sitemaps: tuple[SitemapFile, ...] = ()
    """Every sitemap location tried at the start, in the order tried (the ``sitemaps`` rows)."""


ProgressCallback = Callable[[CrawlProgress], None]

# Seconds between two commits even when a batch is not full: bounds what a kill can lose on a
# slow site (refetched on resume) without making fast crawls commit too often.
_FLUSH_SECONDS = 5.0
# Links buffered before a write even if the page batch is not full: a page with thousands of
# links (an index, a sitemap page) must not hold the batch's memory up (~1 KB a buffered link).
_BATCH_LINKS = 25_000
# Concurrent page tasks when many hosts are crawled at once (include_subdomains).
_MAX_TASKS = 256


class _Crawl:
    def __init__(
        self,
        store: Store,
        crawl_id: int,
        start_url: str,
        settings: CrawlSettings,
        progress: ProgressCallback | None,
    ) -> None:
        self.store = store
        self.crawl_id = crawl_id
        self.start_url = start_url
        self.settings = settings
        self.progress = progress
        self.parser = PageParser(settings, [start_url])
        self.scope = self.parser.scope
        self.writer = CrawlWriter(store, crawl_id)
        self.traps = TrapDetector(store, crawl_id, settings)
        self.robots: dict[str, Robots] = {}
        self.seen: set[str] = set()
        self.sitemap_urls: set[str] = set()
        # Answers fetched before the loop (the start page, step 1), used by their first visit.
        self.prefetched: dict[str, FetchResult] = {}
        self.errors = 0
        self.fetched = 0
        self.workers: ParseWorkers | None = None
        self._last_flush = 0.0
        self._writing: asyncio.Task[None] | None = None

    # -- state from the store -------------------------------------------------------------
    def load(self) -> None:
        cid = self.crawl_id
        self.seen = {
            r[0] for r in self.store.rows("SELECT url FROM frontier WHERE crawl_id = ?", [cid])
        }
        self.sitemap_urls = {
            r[0] for r in self.store.rows("SELECT url FROM sitemap_urls WHERE crawl_id = ?", [cid])
        }
        for host, status, body, error in self.store.rows(
            "SELECT host, status_code, body, error FROM robots_txt WHERE crawl_id = ?", [cid]
        ):
            file = RobotsFile(host, status, body, error)
            self.robots[host] = Robots(file, self.settings.robots_user_agent)
        row = self.store.one(
            "SELECT count(*), count(*) FILTER (WHERE status_code >= 400 OR (status_code IS NULL "
            "AND indexability_reason IS DISTINCT FROM ?)) "
            "FROM pages WHERE crawl_id = ?",
            [IndexabilityReason.BLOCKED, cid],
        )
        self.fetched, self.errors = (int(row[0]), int(row[1])) if row else (0, 0)

    def next_level(self) -> tuple[int, int, list[str]] | None:
        """(phase, level, URLs to fetch) of the lowest unfinished level; None when done (2-4)."""
        cid = self.crawl_id
        max_pages = self.settings.max_pages
        if max_pages is not None and self.fetched >= max_pages:
            return None
        row = self.store.one(
            "SELECT f.phase, f.level FROM frontier f ANTI JOIN pages p "
            "ON p.crawl_id = f.crawl_id AND p.url = f.url WHERE f.crawl_id = ? "
            "AND (f.held_back IS NULL OR f.held_back = ?) ORDER BY f.phase, f.level LIMIT 1",
            [cid, RELEASED],
        )
        if row is None:
            return None
        phase, level = int(row[0]), int(row[1])
        rows = self.store.rows(
            "SELECT url, trap_pattern, held_back FROM frontier WHERE crawl_id = ? AND phase = ? "
            "AND level = ? AND (held_back IS NULL OR held_back = ?) ORDER BY url",
            [cid, phase, level, RELEASED],
        )
        held = self.traps.plan(phase, level, [(u, g) for u, g, h in rows if h is None])
        urls = [r[0] for r in rows if r[0] not in held]
        if max_pages is not None:
            before = self.store.one(
                "SELECT count(*) FROM pages p JOIN frontier f "
                "ON p.crawl_id = f.crawl_id AND p.url = f.url WHERE p.crawl_id = ? "
                "AND (f.phase < ? OR (f.phase = ? AND f.level < ?))",
                [cid, phase, phase, level],
            )
            urls = urls[: max(0, max_pages - int(before[0] if before else 0))]
        done = {
            r[0]
            for r in self.store.rows(
                "SELECT p.url FROM pages p JOIN frontier f ON p.crawl_id = f.crawl_id "
                "AND p.url = f.url WHERE p.crawl_id = ? AND f.phase = ? AND f.level = ?",
                [cid, phase, level],
            )
        }
        held = {u: rule for u, rule in held.items() if u not in done}
        if held:
            self.hold(held)
        return phase, level, [u for u in urls if u not in done]

    def hold(self, rules: dict[str, str]) -> None:
        """Set the ``held_back`` of frontier URLs, in one transaction."""
        by_rule: dict[str, list[str]] = {}
        for url, rule in rules.items():
            by_rule.setdefault(rule, []).append(url)
        with self.store.transaction():
            for rule, urls in sorted(by_rule.items()):
                self.store.rows(
                    "UPDATE frontier SET held_back = ? WHERE crawl_id = ? "
                    "AND url IN (SELECT unnest(?::VARCHAR[]))",
                    [rule, self.crawl_id, urls],
                )

    def settle_waiting(self) -> None:
        """Release or hold back the URLs that waited for their pattern's verdict, once the
        rest of their level is in (4)."""
        cid = self.crawl_id
        waiting = self.store.rows(
            "SELECT f.phase, f.level, f.url, f.trap_pattern FROM frontier f WHERE "
            "f.crawl_id = ? AND f.held_back = 'pending' AND NOT EXISTS (SELECT 1 FROM frontier "
            "o ANTI JOIN pages p ON p.crawl_id = o.crawl_id AND p.url = o.url WHERE "
            "o.crawl_id = f.crawl_id AND o.phase = f.phase AND o.level = f.level AND "
            "(o.held_back IS NULL OR o.held_back = ?)) ORDER BY f.phase, f.level, f.url",
            [cid, RELEASED],
        )
        levels: dict[tuple[int, int], list[tuple[str, str]]] = {}
        for phase, level, url, group in waiting:
            levels.setdefault((int(phase), int(level)), []).append((url, group))
        for (phase, level), pending in levels.items():
            self.hold(self.traps.settle(phase, level, pending))

    def seed_phase_two(self) -> bool:
        """Queue the sitemap URLs the link crawl never reached (5); False if there are none."""
        if not self.settings.use_sitemaps:
            return False
        seeds = sorted(
            u for u in self.sitemap_urls if u not in self.seen and self.scope.in_scope(u)
        )
        for url in seeds:
            self.discover(url, 2, 0, None, "sitemap")
        self.flush()
        # The site lists them: the trap defences do not keep its sitemap URLs from the crawl.
        listed = {
            r[0]: RELEASED
            for r in self.store.rows(
                "SELECT url FROM frontier WHERE crawl_id = ? AND held_back IS NOT NULL "
                "AND held_back <> ? ORDER BY url",
                [self.crawl_id, RELEASED],
            )
            if r[0] in self.sitemap_urls
        }
        if listed:
            self.hold(listed)
        return bool(seeds or listed)

    # -- discovering and writing ----------------------------------------------------------
    def discover(self, url: str, phase: int, level: int, src: str | None, by: str) -> None:
        if url in self.seen:
            return
        self.seen.add(url)
        held = pattern = None
        if by not in ("start", "sitemap"):
            rule = url_rule(url, self.settings)
            if rule is not None:
                held, pattern = rule
            else:
                pattern = trap_group(url, self.settings)
        self.writer.add_frontier(url, phase, level, src, by, held, pattern)

    def flush(self) -> None:
        """Commit the buffers now (no background write may be running)."""
        self.writer.flush()
        self._last_flush = asyncio.get_running_loop().time()

    def maybe_flush(self) -> None:
        """Commit the buffers in a thread when a batch is full or old, one write at a time.

        DuckDB releases the GIL while it inserts, so the crawl goes on fetching meanwhile.
        """
        if self._writing is not None and not self._writing.done():
            return
        now = asyncio.get_running_loop().time()
        size = len(self.writer)
        full = size >= self.settings.batch_pages or self.writer.link_count >= _BATCH_LINKS
        if full or (size and now - self._last_flush > _FLUSH_SECONDS):
            tables = self.writer.take()
            self._writing = asyncio.create_task(asyncio.to_thread(self.store.write, tables))
            self._last_flush = now

    async def settle(self) -> None:
        """Wait for the background write, then commit what is left."""
        if self._writing is not None:
            await self._writing
            self._writing = None
        self.flush()

    def report(self, phase: int, level: int, queued: int) -> None:
        if self.progress is not None:
            self.progress(CrawlProgress(self.fetched, queued, self.errors, level, phase))

    # -- one URL ----------------------------------------------------------------------------
    async def robots_for(self, fetcher: Fetcher, host: str) -> Robots:
        robots = self.robots.get(host)
        if robots is None:
            origin = self.start_url.split("://", 1)[0] + "://" + host
            file = await fetch_robots(fetcher, origin)
            robots = self.robots.get(host)  # another task may have fetched it meanwhile
            if robots is None:
                robots = self.robots[host] = Robots(file, self.settings.robots_user_agent)
                self.writer.add_robots(file.host, file.status_code, file.body, file.error)
        return robots

    async def visit(self, fetcher: Fetcher, url: str, phase: int, level: int) -> None:
        host = netloc_of(url)
        depth = level if phase == 1 else None
        in_sitemap = url in self.sitemap_urls
        robots = await self.robots_for(fetcher, host)
        if self.settings.obey_robots and not robots.allowed(url):
            self.add_row(_blocked_row(url, depth, in_sitemap), None)
            return
        fetcher.slot(host, robots.crawl_delay)
        result = self.prefetched.pop(url, None) or await fetcher.fetch(url, host)
        status = result.status_code
        parse = status is not None and 200 <= status < 300 and result.is_html
        args = (
            url,
            result.body,
            result.content_type_header,
            result.location,
            result.link_header,
            parse,
        )
        facts = None
        if self.workers is not None and parse:
            try:
                facts = await self.workers.facts(args)
            except WorkerLost:
                facts = None  # parsed here instead: nothing is lost
        if facts is None:
            facts = self.parser.facts(*args)
        row, follow = self.page_row(result, facts, depth, in_sitemap)
        parsed = facts.parsed
        text = None
        if parsed is not None and facts.text is not None:
            text = PageTextRow(row.url, "\n".join(parsed.headings) or None, facts.text)
        self.add_row(row, parsed.link_columns if parsed else None, text)
        self.discover_from(url, phase, level, status, facts, follow)

    def discover_from(
        self,
        url: str,
        phase: int,
        level: int,
        status: int | None,
        facts: PageFacts,
        follow: bool,
    ) -> None:
        nxt = level + 1
        max_depth = self.settings.max_depth
        if max_depth is not None and nxt > max_depth:
            return
        in_scope = self.scope.in_scope
        redirect = facts.redirect_url
        if redirect and status is not None and 300 <= status < 400 and in_scope(redirect):
            self.discover(redirect, phase, nxt, url, "redirect")
        if status is None or not 200 <= status < 300:
            return
        if facts.parsed is not None and follow:
            seen = self.seen
            for dst in followable(facts.parsed.link_columns, self.settings.follow_nofollow):
                if dst not in seen and in_scope(dst):
                    self.discover(dst, phase, nxt, url, "link")
        canonical = facts.canonical_url
        if canonical and canonical != url and in_scope(canonical):
            self.discover(canonical, phase, nxt, url, "canonical")

    def add_row(
        self, row: PageRow, links: LinkColumns | None, text: PageTextRow | None = None
    ) -> None:
        self.writer.add_page(row, links, text)
        self.fetched += 1
        status = row.status_code
        blocked = row.indexability_reason == IndexabilityReason.BLOCKED
        if (status is not None and status >= 400) or (status is None and not blocked):
            self.errors += 1

    def page_row(
        self, result: FetchResult, facts: PageFacts, depth: int | None, in_sitemap: bool
    ) -> tuple[PageRow, bool]:
        """The page row of a response, and whether its links may be followed."""
        parsed = facts.parsed
        meta_robots = parsed.meta_robots if parsed else None
        directives = robots_directives(
            meta_robots, result.x_robots_tag, self.settings.robots_user_agent
        )
        ok, reason = indexability(
            result.url,
            result.status_code,
            result.content_type,
            directives,
            facts.canonical_url,
        )
        follow = self.settings.follow_nofollow or "nofollow" not in directives
        row = PageRow(
            url=result.url,
            status_code=result.status_code,
            content_type=result.content_type,
            depth=depth,
            redirect_url=facts.redirect_url,
            canonical_url=facts.canonical_url,
            meta_robots=meta_robots,
            x_robots_tag=result.x_robots_tag,
            indexable=ok,
            indexability_reason=reason,
            title=parsed.title if parsed else None,
            h1=parsed.h1 if parsed else None,
            meta_description=parsed.meta_description if parsed else None,
            word_count=parsed.word_count if parsed else None,
            text_sha1=parsed.text_sha1 if parsed else None,
            size_bytes=result.size_bytes,
            elapsed_ms=result.elapsed_ms,
            in_sitemap=in_sitemap,
            fetched_at=now_utc() if result.status_code is not None else None,
            error=result.error,
            encoding=facts.encoding,
            content_sketch=parsed.content_sketch if parsed else None,
        )
        return row, follow

    # -- the loop ---------------------------------------------------------------------------
    async def run(self, fetcher: Fetcher) -> None:
        self._last_flush = asyncio.get_running_loop().time()
        try:
            while True:
                self.settle_waiting()
                todo = self.next_level()
                if todo is None:
                    max_pages = self.settings.max_pages
                    if max_pages is not None and self.fetched >= max_pages:
                        break
                    if not self.seed_phase_two():
                        break
                    continue
                phase, level, urls = todo
                await self.run_level(fetcher, phase, level, urls)
                await self.settle()
        finally:
            # never leave a write running in its thread when the store closes
            if self._writing is not None:
                await asyncio.wait([self._writing])
        self.finish()

    async def run_level(self, fetcher: Fetcher, phase: int, level: int, urls: list[str]) -> None:
        queue: asyncio.Queue[str] = asyncio.Queue()
        for u in urls:
            queue.put_nowait(u)
        hosts = {netloc_of(u) for u in urls}
        tasks = min(_MAX_TASKS, 4 * max(1, self.settings.concurrency) * max(1, len(hosts)))

        async def worker() -> None:
            while True:
                try:
                    url = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                await self.visit(fetcher, url, phase, level)
                self.maybe_flush()
                self.report(phase, level, queue.qsize())

        await asyncio.gather(*(worker() for _ in range(min(tasks, len(urls)))))

    def finish(self) -> None:
        """Write redirect chains and mark the crawl finished, in one transaction (6)."""
        cid = self.crawl_id
        rows = self.store.rows(
            "SELECT url, status_code, redirect_url FROM pages WHERE crawl_id = ? "
            "AND status_code BETWEEN 300 AND 399",
            [cid],
        )
        chains = redirect_chains({r[0]: (int(r[1]), r[2]) for r in rows})
        with self.store.transaction():
            self.store.rows("DELETE FROM redirects WHERE crawl_id = ?", [cid])
            self.store.insert("redirects", row_batch("redirects", chains, cid))
            self.store.rows(
                "UPDATE crawls SET status = 'finished', finished_at = ? WHERE crawl_id = ?",
                [now_utc(), cid],
            )


def _blocked_row(url: str, depth: int | None, in_sitemap: bool) -> PageRow:
    blocked = IndexabilityReason.BLOCKED
    return PageRow(
        url=url,
        status_code=None,
        content_type=None,
        depth=depth,
        redirect_url=None,
        canonical_url=None,
        meta_robots=None,
        x_robots_tag=None,
        indexable=False,
        indexability_reason=blocked,
        title=None,
        h1=None,
        meta_description=None,
        word_count=None,
        text_sha1=None,
        size_bytes=None,
        elapsed_ms=None,
        in_sitemap=in_sitemap,
        fetched_at=None,
        error=blocked,
        encoding=None,
    )


async def _start(store: Store, fetcher: Fetcher, start_url: str, settings: CrawlSettings) -> _Crawl:
    """Step 1: robots.txt, sitemaps, the crawl row and the first frontier entry."""
    host = netloc_of(start_url)
    origin = start_url.split("://", 1)[0] + "://" + host
    file = await fetch_robots(fetcher, origin)
    if file.status_code is None:
        raise FetchError(f"Cannot reach {host}: {file.error}.")
    robots = Robots(file, settings.robots_user_agent)
    if settings.obey_robots and not robots.allowed(start_url):
        raise FetchError(
            f"robots.txt of {host} {robots.reason if robots.disallow_all else 'disallows'} "
            f"{start_url} for user agent {settings.robots_user_agent!r}, so there is nothing "
            "to crawl; pass --ignore-robots to crawl anyway."
        )
    # The sitemap requests (up to three a directory level) keep to Crawl-delay like pages.
    fetcher.slot(host, robots.crawl_delay)
    entries: list[SitemapEntry] = []
    files: list[SitemapFile] = []
    start_page: FetchResult | None = None
    if settings.use_sitemaps:
        # Fetched here for its <link rel="sitemap">, and kept for the crawl's first visit.
        start_page = await fetcher.fetch(start_url, host)
        entries, files = await _read_sitemaps(fetcher, start_url, start_page, settings, robots)
    row = store.one("SELECT coalesce(max(crawl_id), 0) + 1 FROM crawls")
    crawl_id = int(row[0]) if row else 1
    crawl = _Crawl(store, crawl_id, start_url, settings, None)
    crawl.robots[host] = robots
    if start_page is not None:
        crawl.prefetched[start_url] = start_page
    crawl.sitemap_urls = {e.url for e in entries}
    crawl.writer.add_robots(file.host, file.status_code, file.body, file.error)
    crawl.discover(start_url, 1, 0, None, "start")
    crawls = table("crawls").batch(
        {
            "crawl_id": [crawl_id],
            "start_url": [start_url],
            "started_at": [now_utc()],
            "status": ["running"],
            "settings_json": [settings.to_json()],
        }
    )
    sitemaps = table("sitemaps").batch(
        {
            "url": [f.url for f in files],
            "status_code": [f.status_code for f in files],
            "kind": [f.kind for f in files],
            "url_count": [f.url_count for f in files],
            "error": [f.error for f in files],
        },
        crawl_id,
    )
    urls = table("sitemap_urls").batch(
        {
            "url": [e.url for e in entries],
            "sitemap": [e.sitemap for e in entries],
            "lastmod": [e.lastmod for e in entries],
        },
        crawl_id,
    )
    crawl.writer.flush({"crawls": crawls, "sitemaps": sitemaps, "sitemap_urls": urls})
    return crawl


async def _read_sitemaps(
    fetcher: Fetcher,
    start_url: str,
    start_page: FetchResult,
    settings: CrawlSettings,
    robots: Robots,
) -> tuple[list[SitemapEntry], list[SitemapFile]]:
    """Every sitemap location of step 1, each read once: the declared ones, then the guesses.

    Declared: robots.txt ``Sitemap:`` lines, the start page's ``<link rel="sitemap">`` (on a
    host the crawl may fetch; another is recorded as not fetched) and the ``sitemaps``
    setting. Guessed: :func:`guessed_locations` of the start URL, and of where it redirects
    on the same host first (``/project`` answering with ``/project/``); those robots.txt
    disallows are not requested.
    """
    parser = PageParser(settings, [start_url])
    resolver, scope = parser.resolver, parser.scope

    def fetchable(url: str) -> bool:
        # The host, not the whole scope: include / exclude patterns are about pages.
        return netloc_of(url) in scope.hosts or (
            settings.include_subdomains and scope.is_internal(url)
        )

    def normalised(urls: Iterable[str]) -> list[str]:
        return [u for u in map(resolver.normalise, urls) if u is not None]

    from_robots, from_settings = normalised(robots.sitemaps), normalised(settings.sitemaps)
    listed = {*from_robots, *from_settings}
    linked = sitemap_links(start_page, resolver)
    declared = [*from_robots, *(u for u in linked if fetchable(u)), *from_settings]
    skipped = [
        SitemapFile(u, None, None, 0, f"not fetched: host {netloc_of(u)} is outside the crawl")
        for u in linked
        if not fetchable(u) and u not in listed
    ]
    starts = [start_url]
    status, location = start_page.status_code, start_page.location
    if status is not None and 300 <= status < 400 and location:
        target = resolver.resolve(start_url, location)
        if target is not None and netloc_of(target) == netloc_of(start_url):
            starts.insert(0, target)
    guessed = [u for s in starts for u in guessed_locations(s)]
    if settings.obey_robots:
        guessed = [u for u in guessed if robots.allowed(u)]
    entries, files = await read_sitemaps(fetcher, declared, resolver.normalise, normalised(guessed))
    return entries, files + skipped


def _unfinished(store: Store) -> tuple[int, str, CrawlSettings]:
    row = store.one(
        "SELECT crawl_id, start_url, settings_json FROM crawls WHERE status = 'running' "
        "ORDER BY crawl_id DESC LIMIT 1"
    )
    if row is None:
        raise StoreError(f"The project file {store.path} has no unfinished crawl to resume.")
    return int(row[0]), str(row[1]), CrawlSettings.from_json(str(row[2]))


async def _workers(settings: CrawlSettings, start_url: str) -> ParseWorkers | None:
    count = settings.workers
    if count is None:
        count = 1 if (os.cpu_count() or 1) > 1 else 0
    if count <= 0:
        return None
    return await ParseWorkers.start(count, settings, [start_url])


async def run_crawl(
    store: Store,
    start_url: str | None,
    settings: CrawlSettings | None = None,
    resume: bool = False,
    progress: ProgressCallback | None = None,
) -> CrawlSummary:
    """Crawl ``start_url`` into ``store``, or resume its unfinished crawl."""
    if resume:
        crawl_id, start, settings = _unfinished(store)
    else:
        if start_url is None:
            raise ConfigError("A start URL is needed unless resuming.")
        settings = settings or CrawlSettings()
        normal = normalise_url(start_url, settings.strip_params)
        if normal is None:
            raise ConfigError(
                f"{start_url!r} is not a valid start URL; give an absolute http(s) URL such "
                "as https://www.example.com/."
            )
        start = normal
    async with Fetcher(settings) as fetcher:
        if resume:
            crawl = _Crawl(store, crawl_id, start, settings, progress)
            crawl.load()
        else:
            crawl = await _start(store, fetcher, start, settings)
            crawl.progress = progress
        crawl.workers = await _workers(settings, start)
        try:
            with _fewer_collections(), _store_tuned_for_crawl(store, settings):
                await crawl.run(fetcher)
        finally:
            if crawl.workers is not None:
                await crawl.workers.close()
    sitemaps = store.rows(
        "SELECT url, status_code, kind, url_count, error FROM sitemaps WHERE crawl_id = ? "
        "ORDER BY rowid",
        [crawl.crawl_id],
    )
    return CrawlSummary(
        crawl.crawl_id,
        start,
        crawl.fetched,
        _count(store, "links", crawl.crawl_id),
        crawl.errors,
        resume,
        tuple(SitemapFile(str(u), s, k, int(n), e) for u, s, k, n, e in sitemaps),
    )


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the crawl with the cyclic garbage collector mostly out of the way.

    A page makes hundreds of short-lived container objects (a wrapper for each DOM node
    Python touches, lists); with the default threshold (700 allocations) the collector runs
    every few pages and rescans every long-lived object.
    Freezing what exists at start and raising the threshold cut CPU per page from 2.2-2.9 to
    1.8-2.1 ms on the 50 KB / 200-link benchmark pages. Crawl data has no reference cycles,
    so nothing waits longer to be freed. The previous settings are restored afterwards.
    """
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


@contextlib.contextmanager
def _store_tuned_for_crawl(store: Store, settings: CrawlSettings) -> Iterator[None]:
    """Let DuckDB use one thread and ``store_memory_mb`` of memory while the crawl writes.

    A batch is a few thousand rows, too small for a parallel insert to pay: with DuckDB's
    default of a thread per core its threads took the cores from the crawl's event loop (and
    parse worker) and the GIL changed hands more often. Measured on 2 cores inserting the
    benchmark's batches beside a busy Python thread: that thread kept 64% of its speed with
    2 DuckDB threads, 89% with one; the inserts' CPU fell from 0.24 to 0.20 ms a page.

    The memory bound keeps DuckDB's cache of the data already written from growing with the
    site. The previous settings are restored afterwards.
    """
    with store.configured(threads=1, memory_limit=f"{int(settings.store_memory_mb)}MB"):
        yield


def _count(store: Store, table: str, crawl_id: int) -> int:
    row = store.one(f"SELECT count(*) FROM {table} WHERE crawl_id = ?", [crawl_id])
    return int(row[0]) if row else 0
