"""Crawl throughput of linkequity against peer crawlers, all measured in the same run.

Run ``python benchmarks/crawl.py`` (``make bench``); ``--quick`` is a 2,000-page smoke run.

Method
------
1. The example shop of ``linkequity.example`` is built at ``--pages`` heavy pages (~50 KB and
   ~200 links each, like a templated shop) and written to a temporary directory with the nginx
   server block ``write_static`` emits, by a child process: Linux hands a parent's peak RSS on
   to its children's ``ru_maxrss``, so the measuring parent stays small. nginx serves it on a
   free loopback port, with this script's own main config (one worker, ``access_log off``,
   ``sendfile on``, keep-alive), so the server is as cheap as a server gets and every
   contender meets the same one.
2. Every contender crawls the site from its start URL in its own child process (this script
   re-run with ``--child``), one at a time, so that nothing else competes for the two cores
   except nginx. A child writes a small JSON report: pages it crawled, the wall seconds of the
   crawl call alone (interpreter start and imports excluded) and the CPU it had spent before
   the crawl began.
3. The parent reaps each child with ``os.wait4``. Its rusage covers the child *and every
   descendant the child waited for* (advertools' ``scrapy runspider`` subprocess, linkequity's
   parser process), so CPU ms per page = (user + sys - CPU before the crawl) / pages.
   ``ru_maxrss`` is the peak of the largest single process of that tree; the parent also
   samples the tree's summed RSS every 100 ms with psutil, which is the honest peak when the
   crawl runs in two processes. nginx's own CPU per page is reported to show what the server
   took from the two cores.
4. A table, the ratios against the targets of the issue, and a page-count check follow. Results
   are also written as JSON to ``bench-out/`` (git-ignored).

Contenders
----------
* ``ceiling``: a minimal aiohttp + selectolax breadth-first crawler written here. It fetches,
  reads every ``a[href]`` and resolves it; hrefs whose resolution does not depend on the page
  (``/path``, ``//host/path``, ``scheme:...``) are resolved once per crawl, because template
  links repeat on every page; ``?query``, ``#fragment`` and relative hrefs depend on the whole
  base URL and are resolved each time. It stores nothing: it is what crawling costs in Python.
* ``scrapy``: a bare Scrapy spider, ``response.css('a::attr(href)')`` + ``response.urljoin``,
  Scrapy's default dedupe and middlewares, robots and AutoThrottle off. Capped with
  ``CLOSESPIDER_PAGECOUNT`` because it is slow; a rate needs no full crawl.
* ``advertools``: ``advertools.crawl(follow_links=True)`` as its users run it (a Scrapy
  subprocess extracting every SEO column to JSON lines), capped through ``custom_settings``.
* ``linkrank``: the ``linkrank`` package's crawl function (``linkrank.core.crawl``: a thread
  pool of ``requests`` calls, selectolax extraction), capped with its own ``max_pages``. Its
  PageRank and TF-IDF steps run after the crawl and are not timed. It runs from a venv of its
  own under ``bench-out/venvs/`` (see ``PEER_VENVS``).
* ``linkequity``: ``Project(path).crawl(url, workers=N)``: robots.txt, sitemaps, full
  extraction (metadata, anchors, positions, rel, indexability) and storage into a DuckDB file;
  ``workers=0`` parses in the fetching process (one core), ``workers=1`` in a second process
  (both cores). It also crawls a 5,000-page build of the same site, to show that its peak
  memory does not grow with the site.

Every uncapped run's page count is checked. linkequity must store exactly the site's ground
truth (``ExampleSite.truth``, which replays linkequity's rules). The ceiling reads no sitemap,
follows rel=nofollow, ignores ``<base href>`` and keeps ``utm_*`` parameters, so it must land
within 1% of the pages reached by links plus the nofollow-only targets.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psutil

# Requests in flight for the contenders whose concurrency we set: Scrapy's
# CONCURRENT_REQUESTS default, which keeps a loopback server busy without queueing in it.
CONCURRENCY = 16
# Pages after which the slow peers stop: enough for a steady rate (Scrapy's start-up is
# amortised past ~1,000 pages; advertools and linkrank run ~15-100 pages/s), short enough to
# keep the whole benchmark within a few minutes.
SCRAPY_CAP = 3_000
ADVERTOOLS_CAP = 500
LINKRANK_CAP = 2_000
# The second, smaller site linkequity crawls to show that its memory does not follow size.
SMALL_SITE_PAGES = 5_000
# Kill a contender that runs longer than this; a healthy full run takes a few minutes.
CHILD_TIMEOUT_S = 1_800.0
# psutil sampling period of the process tree's RSS: 10 samples a second cost the parent well
# under 1% of a core, and a crawl's memory does not peak for less than that.
SAMPLE_PERIOD_S = 0.1
# Targets of the issue: pages/s and ratios a release must reach on this 2-core machine.
TARGET_ONE_CORE = 700.0
TARGET_TWO_CORES = 1_000.0
TARGET_VS_CEILING = 0.5
TARGET_VS_SCRAPY = 6.0
TARGET_VS_ADVERTOOLS = 40.0
TARGET_VS_LINKRANK = 3.0
TARGET_RSS_MB = 500.0
# "Flat" memory: the 20,000-page peak within 20% of the 5,000-page one (allocator noise and
# batch buffers move the peak by a few percent between runs).
TARGET_RSS_GROWTH = 1.2

REPO = Path(__file__).resolve().parent.parent
# linkrank imports selectolax's Modest backend (``selectolax.parser``), which selectolax 1.0
# removed: beside linkequity (selectolax 1.x) it fails at import. It runs from its own venv
# with the selectolax it was written against; the rest of the child needs only the stdlib.
PEER_VENVS = {"linkrank": ("linkrank", "requests>=2.28", "selectolax>=0.3,<1")}


# -- the site under nginx ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Site:
    """A built example site being served, with the counts a complete crawl must reach."""

    size: int
    """The size the site was built at (``--pages``): it names the site in the results."""
    start_url: str
    pages: int
    """URLs linkequity's crawl records: the ground truth of ``linkequity.example``."""
    by_links: int
    """Of those, the URLs reached through links (a crawler that reads no sitemap finds these)."""
    nofollow_only: int
    """In-scope URLs linked only with rel=nofollow or from meta-nofollow pages: a crawler that
    ignores nofollow fetches these too."""
    nginx_pid: int


def free_port() -> int:
    """A port the kernel reports free on loopback (bind port 0, read it, release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def nginx_conf(prefix: Path, server_block: Path) -> str:
    """nginx's main config: one worker and nothing the crawlers would pay for."""
    # nginx started as root hands requests to an unprivileged worker that could not read our
    # private temporary directory; keep the worker as the user who wrote the files.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 75s;
    keepalive_requests 1000000;
    types {{ text/html html htm; application/xml xml; text/plain txt; }}
    default_type application/octet-stream;
{temp}
    include {server_block};
}}
"""


@contextlib.contextmanager
def nginx(prefix: Path, server_block: Path, port: int) -> Iterator[int]:
    """Run nginx in the foreground as our child; always stopped on the way out."""
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_conf(prefix, server_block), encoding="utf-8")
    # Debian installs nginx in /usr/sbin, which a non-root PATH often lacks.
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    log = (prefix / "nginx.stderr").open("wb")
    # -e: nginx opens its compiled-in error log before reading the config; point it here.
    proc = subprocess.Popen(
        [
            binary,
            "-e",
            str(prefix / "error.log"),
            "-c",
            str(conf),
            "-p",
            str(prefix),
            "-g",
            "daemon off;",
        ],
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 15.0
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {(prefix / 'nginx.stderr').read_text()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not start listening within 15 s")
            time.sleep(0.05)
        yield proc.pid
    finally:
        # SIGQUIT is nginx's graceful stop; SIGKILL if it does not exit in time.
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def build_site(pages: int, origin: str, workdir: Path, report: Path) -> int:
    """Entry point of the site-building child: write the site and its counts."""
    from linkequity.example import build_site
    from linkequity.example.static import write_static

    site = build_site(pages=pages, seed=7, heavy=True)
    # write_static returns its own main config; we keep only the server block beside it (the
    # layout its docstring documents) and run it under our main config.
    main_conf = write_static(site, workdir / f"site-{pages}", origin)
    truth = site.truth(origin)
    facts = {
        "start_url": truth.start_url,
        "pages": len(truth.pages),
        "by_links": sum(1 for page in truth.pages.values() if page.depth is not None),
        "nofollow_only": len(truth.uncrawled_link_targets),
        "server_block": str(main_conf.with_name("nginx-site.conf")),
    }
    report.write_text(json.dumps(facts), encoding="utf-8")
    return 0


@contextlib.contextmanager
def served_site(pages: int, workdir: Path) -> Iterator[Site]:
    """Build the example site at ``pages`` pages, write it to disk and serve it with nginx."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    report = workdir / f"site-{pages}.json"
    started = time.perf_counter()
    # In a child of its own: a child process inherits its parent's peak RSS in ru_maxrss
    # (Linux carries the pre-exec high-water mark over), so the parent must stay small.
    command = [sys.executable, str(Path(__file__).resolve()), "--build-site", str(pages)]
    command += ["--origin", origin, "--workdir", str(workdir), "--report", str(report)]
    subprocess.run(command, check=True)
    facts = json.loads(report.read_text(encoding="utf-8"))
    say(
        f"site: {pages:,} pages built, written and checked in {time.perf_counter() - started:.0f} s"
    )
    prefix = workdir / f"nginx-{pages}"
    prefix.mkdir()
    with nginx(prefix, Path(facts["server_block"]), port) as pid:
        yield Site(
            size=pages,
            start_url=facts["start_url"],
            pages=facts["pages"],
            by_links=facts["by_links"],
            nofollow_only=facts["nofollow_only"],
            nginx_pid=pid,
        )


# -- contenders (each runs inside a child process) ------------------------------------------
@dataclass(frozen=True, slots=True)
class ChildReport:
    """What a child measures itself: the crawl call, not the interpreter around it."""

    pages: int
    wall_s: float
    cpu_before_s: float


def cpu_so_far() -> float:
    """User + sys CPU of this process and its reaped children, in seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def origin_of(url: str) -> str:
    """``scheme://host:port`` of an absolute URL."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


async def ceiling_crawl(start_url: str, cap: int | None) -> int:
    """Breadth-first crawl that only fetches and resolves hrefs: the cost floor in Python."""
    from urllib.parse import urljoin

    import aiohttp
    from selectolax.lexbor import LexborHTMLParser

    origin = origin_of(start_url)
    prefix = origin + "/"
    limit = cap or sys.maxsize
    seen = {start_url}
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait(start_url)
    # href -> absolute same-site URL without fragment (None: off-site or not http). Only hrefs
    # that resolve alike on every page are cached: on a templated site they are most of them.
    page_independent: dict[str, str | None] = {}
    fetched = 0

    def same_site(url: str) -> str | None:
        url = url.partition("#")[0]
        return url if url.startswith(prefix) or url == origin else None

    def discover(url: str | None) -> None:
        if url is not None and url not in seen and len(seen) < limit:
            seen.add(url)
            queue.put_nowait(url)

    def links(base: str, html: str) -> None:
        for node in LexborHTMLParser(html).css("a[href]"):
            href = node.attrs.get("href") or ""
            url = page_independent.get(href, "")
            if url != "":
                discover(url)
                continue
            clean = href.strip()
            if clean.startswith("/") or _SCHEME.match(clean):
                url = page_independent[href] = same_site(urljoin(origin, clean))
            else:  # ?query, #fragment, relative path: resolved against this page's URL
                url = same_site(urljoin(base, clean))
            discover(url)

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal fetched
        while True:
            url = await queue.get()
            try:
                # Redirects are followed hop by hop, as an SEO crawler records them: the
                # target is one more URL of the site, fetched once.
                async with session.get(url, allow_redirects=False) as resp:
                    body = await resp.read()
                    location = resp.headers.get("Location")
                    html = "html" in resp.headers.get("Content-Type", "")
                fetched += 1
                if location:
                    discover(same_site(urljoin(url, location)))
                elif html and resp.status == 200:
                    links(url, body.decode("utf-8", "replace"))
            except (aiohttp.ClientError, TimeoutError):
                fetched += 1  # a failed URL is still a crawled one, recorded with its error
            finally:
                queue.task_done()

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        tasks = [asyncio.create_task(worker(session)) for _ in range(CONCURRENCY)]
        await queue.join()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return fetched


def run_ceiling(start_url: str, cap: int | None, workdir: Path) -> ChildReport:
    """(a) The ceiling crawler."""
    cpu = cpu_so_far()
    started = time.perf_counter()
    pages = asyncio.run(ceiling_crawl(start_url, cap))
    return ChildReport(pages, time.perf_counter() - started, cpu)


def run_scrapy(start_url: str, cap: int | None, workdir: Path) -> ChildReport:
    """(b) A bare Scrapy spider: Scrapy's selectors and urljoin, default dedupe."""
    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import Response, TextResponse

    prefix = origin_of(start_url) + "/"
    counted = [0]

    class BareSpider(scrapy.Spider):
        name = "bare"
        start_urls = [start_url]  # noqa: RUF012 (Scrapy's own class attribute)

        def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
            if not isinstance(response, TextResponse):
                return
            for href in response.css("a::attr(href)").getall():
                url = response.urljoin(href)
                if url.startswith(prefix):
                    yield scrapy.Request(url, callback=self.parse)

    def received(**kwargs: Any) -> None:
        counted[0] += 1

    settings = {
        "CONCURRENT_REQUESTS": CONCURRENCY,
        "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
        "LOG_LEVEL": "WARNING",
        "ROBOTSTXT_OBEY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "CLOSESPIDER_PAGECOUNT": cap or 0,
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    crawler.signals.connect(received, signal=signals.response_received)
    cpu = cpu_so_far()
    started = time.perf_counter()
    process.crawl(crawler)
    process.start()
    return ChildReport(counted[0], time.perf_counter() - started, cpu)


def run_advertools(start_url: str, cap: int | None, workdir: Path) -> ChildReport:
    """(c) ``advertools.crawl`` with its defaults, capped through ``custom_settings``."""
    import advertools

    output = workdir / "advertools.jsonl"
    output.unlink(missing_ok=True)
    custom: dict[str, Any] = {"LOG_LEVEL": "WARNING"}
    if cap:
        custom["CLOSESPIDER_PAGECOUNT"] = cap
    cpu = cpu_so_far()
    started = time.perf_counter()
    # Its default allowed_domains is the start URL's netloc, port included, which Scrapy's
    # offsite filter never matches: name the host alone, as a user crawling a port would.
    host = origin_of(start_url).split("://", 1)[1].rsplit(":", 1)[0]
    advertools.crawl(
        [start_url], str(output), follow_links=True, allowed_domains=[host], custom_settings=custom
    )
    wall = time.perf_counter() - started
    with output.open(encoding="utf-8") as lines:
        pages = sum(1 for line in lines if line.strip())
    return ChildReport(pages, wall, cpu)


def run_linkrank(start_url: str, cap: int | None, workdir: Path) -> ChildReport:
    """(d) ``linkrank``'s crawl step with its default thread pool (10 workers)."""
    from linkrank.core import crawl

    cpu = cpu_so_far()
    started = time.perf_counter()
    # Arguments: start, max_pages, max_depth, timeout, workers, include_subdomains.
    _, _, pages, _, _ = crawl(start_url, cap or sys.maxsize, sys.maxsize, 30.0, 10, False)
    return ChildReport(len(pages), time.perf_counter() - started, cpu)


def run_linkequity(start_url: str, cap: int | None, workdir: Path, workers: int) -> ChildReport:
    """(e) linkequity's full crawl into a DuckDB project file."""
    from linkequity import Project
    from linkequity.settings import load_settings

    project = workdir / f"linkequity-w{workers}-{os.getpid()}.duckdb"
    # Defaults (robots, sitemaps, autothrottle, 8 requests in flight) but the process count.
    settings = load_settings(None, {"workers": workers, "max_pages": cap})
    cpu = cpu_so_far()
    started = time.perf_counter()
    summary = Project(project).crawl(start_url, settings=settings)
    return ChildReport(summary.pages, time.perf_counter() - started, cpu)


CHILDREN: dict[str, Callable[[str, int | None, Path], ChildReport]] = {
    "ceiling": run_ceiling,
    "scrapy": run_scrapy,
    "advertools": run_advertools,
    "linkrank": run_linkrank,
    "linkequity-w0": lambda url, cap, wd: run_linkequity(url, cap, wd, 0),
    "linkequity-w1": lambda url, cap, wd: run_linkequity(url, cap, wd, 1),
}


def child_main(name: str, start_url: str, cap: int | None, workdir: Path, report: Path) -> int:
    """Entry point of a child: run one contender and write its report."""
    result = CHILDREN[name](start_url, cap, workdir)
    report.write_text(json.dumps(asdict(result)), encoding="utf-8")
    return 0


# -- the parent: run, measure, compare -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Result:
    """One contender's measured run."""

    name: str
    size: int
    site_pages: int
    site_by_links: int
    site_nofollow_only: int
    cap: int | None
    pages: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    max_rss_mb: float = 0.0
    tree_rss_mb: float = 0.0
    nginx_cpu_s: float = 0.0
    error: str = ""

    @property
    def rate(self) -> float:
        return self.pages / self.wall_s if self.wall_s > 0 else 0.0

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu_s / self.pages if self.pages else 0.0

    @property
    def nginx_ms(self) -> float:
        return 1000 * self.nginx_cpu_s / self.pages if self.pages else 0.0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def nginx_cpu(pid: int) -> float:
    """CPU seconds of nginx's worker processes so far."""
    import psutil

    total = 0.0
    for proc in psutil.Process(pid).children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            times = proc.cpu_times()
            total += times.user + times.system
    return total


def tree_rss(pid: int) -> int:
    """Summed RSS of a process and its descendants, in bytes."""
    import psutil

    procs: list[psutil.Process]
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
            total += proc.memory_info().rss
    return total


def peer_python(name: str) -> str:
    """The interpreter a contender runs under: ours, or its own venv (made on first use)."""
    requirements = PEER_VENVS.get(name.split("-")[0])
    if requirements is None:
        return sys.executable
    venv = REPO / "bench-out" / "venvs" / name
    python = venv / "bin" / "python"
    if not python.exists():
        say(f"{name}: installing it into {venv.relative_to(REPO)} ({', '.join(requirements)})")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        # --no-deps for the peer itself: its other dependencies (networkx, scikit-learn) serve
        # its analysis steps, which are not timed.
        subprocess.run([*pip, "--no-deps", requirements[0]], check=True)
        subprocess.run([*pip, *requirements[1:]], check=True)
    return str(python)


def measure(
    name: str, site: Site, cap: int | None, workdir: Path, profile: Path | None = None
) -> Result:
    """Run one contender in a child process and measure it from outside.

    With ``profile``, the child runs under ``py-spy record`` and leaves a flame graph there;
    its CPU and memory then include py-spy's own (a few percent), its pages/s barely move.
    """
    report = workdir / f"{name}-{site.pages}.json"
    report.unlink(missing_ok=True)
    log_path = workdir / f"{name}-{site.pages}.log"
    env = dict(os.environ)
    # advertools runs the `scrapy` command: it must be the one of this interpreter's venv.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    command = [peer_python(name), str(Path(__file__).resolve()), "--child", name]
    command += ["--start-url", site.start_url, "--workdir", str(workdir), "--report", str(report)]
    if cap:
        command += ["--cap", str(cap)]
    if profile is not None:
        svg = profile / f"{name}-{site.size}.svg"
        py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        # 250 Hz: ~1 sample per 4 pages of linkequity, enough to split a millisecond per page.
        command = [py_spy, "record", "--rate", "250", "--output", str(svg), "--", *command]
    say(f"{name}: crawling {site.pages:,}-page site" + (f", capped at {cap:,}" if cap else ""))
    nginx_before = nginx_cpu(site.nginx_pid)
    peak_tree = 0
    started = time.monotonic()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=log, env=env, cwd=workdir)
        while True:
            # wait4 rather than Popen.wait: it returns the rusage of the child and of every
            # descendant it reaped, which is the CPU and peak memory we report.
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_tree = max(peak_tree, tree_rss(proc.pid))
            if time.monotonic() - started > CHILD_TIMEOUT_S:
                proc.kill()
            time.sleep(SAMPLE_PERIOD_S)
    proc.returncode = os.waitstatus_to_exitcode(status)
    nginx_used = nginx_cpu(site.nginx_pid) - nginx_before
    max_rss_mb = usage.ru_maxrss / 1024  # Linux reports kilobytes
    if proc.returncode != 0 or not report.exists():
        tail = log_path.read_text(errors="replace")[-2000:]
        say(f"{name}: FAILED (exit {proc.returncode}); log {log_path}:\n{tail}")
        return Result(
            name, site.size, site.pages, site.by_links, site.nofollow_only, cap, error="failed"
        )
    child = ChildReport(**json.loads(report.read_text(encoding="utf-8")))
    cpu = usage.ru_utime + usage.ru_stime - child.cpu_before_s
    result = Result(
        name,
        site.size,
        site.pages,
        site.by_links,
        site.nofollow_only,
        cap,
        pages=child.pages,
        wall_s=child.wall_s,
        cpu_s=cpu,
        max_rss_mb=max_rss_mb,
        tree_rss_mb=max(peak_tree / 2**20, max_rss_mb),
        nginx_cpu_s=nginx_used,
    )
    say(f"{name}: {result.pages:,} pages in {result.wall_s:.1f} s = {result.rate:,.0f} pages/s")
    return result


def table(results: Sequence[Result]) -> str:
    """The results as a fixed-width text table."""
    head = (
        f"{'contender':<16}{'site':>7}{'cap':>7}{'pages':>8}{'wall s':>8}{'pages/s':>9}"
        f"{'CPU ms/pg':>10}{'maxRSS MB':>10}{'treeRSS MB':>11}{'nginx ms/pg':>12}"
    )
    rows = [head, "-" * len(head)]
    for r in results:
        cap = f"{r.cap:,}" if r.cap else "-"
        if r.error:
            rows.append(f"{r.name:<16}{r.site_pages:>7,}{cap:>7}  {r.error}")
            continue
        rows.append(
            f"{r.name:<16}{r.site_pages:>7,}{cap:>7}{r.pages:>8,}{r.wall_s:>8.1f}{r.rate:>9,.0f}"
            f"{r.cpu_ms:>10.2f}{r.max_rss_mb:>10.0f}{r.tree_rss_mb:>11.0f}{r.nginx_ms:>12.2f}"
        )
    return "\n".join(rows)


def verdicts(results: Sequence[Result], full_pages: int, small_pages: int) -> list[str]:
    """Ratios measured in this run against the targets, and the page-count check."""
    found = {(r.name, r.size): r for r in results if not r.error}
    lines: list[str] = []

    def line(label: str, value: float, unit: str, target: float | None = None) -> None:
        """One ratio; with a target, PASS/FAIL (a target below 0 means "at most -target")."""
        verdict, goal = "    ", ""
        if target is not None:
            ok = value >= target if target >= 0 else value <= -target
            verdict = "PASS" if ok else "FAIL"
            goal = f"(target {'>=' if target >= 0 else '<='} {abs(target):,.2f}{unit})"
        lines.append(f"{verdict}  {label:<48}{value:>10,.2f}{unit:<2} {goal}")

    one = found.get(("linkequity-w0", full_pages))
    two = found.get(("linkequity-w1", full_pages))
    if one:
        line("linkequity one core, pages/s", one.rate, "", TARGET_ONE_CORE)
    if two:
        line("linkequity both cores, pages/s", two.rate, "", TARGET_TWO_CORES)
    targets = {
        "ceiling": TARGET_VS_CEILING,
        "scrapy": TARGET_VS_SCRAPY,
        "advertools": TARGET_VS_ADVERTOOLS,
        "linkrank": TARGET_VS_LINKRANK,
    }
    for peer, target in targets.items():
        other = found.get((peer, full_pages))
        if not other or not other.rate:
            continue
        if one:
            line(f"linkequity one core / {peer}, pages/s", one.rate / other.rate, "x", target)
            # CPU per page is the fairer comparison on two cores: it ignores who used both.
            line(f"{peer} / linkequity one core, CPU per page", other.cpu_ms / one.cpu_ms, "x")
        if two:
            line(f"linkequity both cores / {peer}, pages/s", two.rate / other.rate, "x")
    for label, run in (("one core", one), ("both cores", two)):
        if not run:
            continue
        line(f"linkequity {label}, peak RSS MB (tree)", run.tree_rss_mb, "", -TARGET_RSS_MB)
        small = found.get((run.name, small_pages))
        if small and small.tree_rss_mb:
            growth = run.tree_rss_mb / small.tree_rss_mb
            label = f"linkequity {label}, RSS {full_pages:,} / {small_pages:,} pages"
            line(label, growth, "x", -TARGET_RSS_GROWTH)
    lines += ["", "Page counts of the uncapped runs:"]
    for r in results:
        if r.error or r.cap:
            continue
        if r.name.startswith("linkequity"):
            # The site's ground truth replays linkequity's rules: it must match exactly.
            ok, expected = r.pages == r.site_pages, f"{r.site_pages:,} (the site's ground truth)"
        else:
            # A links-only crawler finds the pages reached by links, plus the nofollow-only
            # targets it does not skip; it ignores <base href> and keeps utm_* parameters,
            # which moves its count by a few pages either way.
            goal = r.site_by_links + r.site_nofollow_only
            ok = abs(r.pages - goal) <= max(10, goal // 100)
            expected = f"~{goal:,} (reached by links, nofollow followed; +-1%)"
        lines.append(
            f"{'ok  ' if ok else 'DIFF'}  {r.name:<16} crawled {r.pages:>7,} of {expected}"
        )
    return lines


def plan(
    pages: int, small: int, quick: bool, only: set[str] | None
) -> list[tuple[str, int, int | None]]:
    """(contender, site pages, cap) in the order they run."""
    runs: list[tuple[str, int, int | None]] = [
        ("ceiling", pages, None),
        ("scrapy", pages, min(SCRAPY_CAP, pages) if not quick else min(1_000, pages)),
        ("advertools", pages, min(ADVERTOOLS_CAP, pages) if not quick else min(200, pages)),
        ("linkrank", pages, min(LINKRANK_CAP, pages) if not quick else min(500, pages)),
        ("linkequity-w0", pages, None),
        ("linkequity-w1", pages, None),
    ]
    if small < pages:
        runs += [("linkequity-w0", small, None), ("linkequity-w1", small, None)]
    # a cap as large as the site is no cap: the run must then crawl all of it
    runs = [(n, p, c if c and c < p else None) for n, p, c in runs]
    return [run for run in runs if only is None or run[0] in only]


def parent_main(args: argparse.Namespace) -> int:
    """Build and serve the sites, run every contender, print the results."""
    pages = 2_000 if args.quick else args.pages
    only = set(args.only.split(",")) if args.only else None
    small = min(SMALL_SITE_PAGES, pages // 4)
    runs = plan(pages, small, args.quick, only)
    results: list[Result] = []
    out = REPO / "bench-out"
    out.mkdir(exist_ok=True)
    profile = out if args.py_spy else None
    with contextlib.ExitStack() as stack:
        if args.keep:
            workdir = Path(args.keep).resolve()
            workdir.mkdir(parents=True, exist_ok=True)
        else:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="le-bench-")))
        for site_pages in sorted({p for _, p, _ in runs}, reverse=True):
            with served_site(site_pages, workdir) as site:
                for name, p, cap in runs:
                    if p == site_pages:
                        # The fastest of --repeat runs: a run is only ever slowed by noise.
                        tries = [
                            measure(name, site, cap, workdir, profile) for _ in range(args.repeat)
                        ]
                        results.append(max(tries, key=lambda r: (not r.error, r.rate)))
    print()
    print(f"Crawl benchmark: example site, heavy pages, nginx on loopback, {os.cpu_count()} cores")
    print(table(results))
    print()
    print("\n".join(verdicts(results, pages, small)))
    record = [{**asdict(r), "pages_per_s": r.rate, "cpu_ms_per_page": r.cpu_ms} for r in results]
    (out / f"crawl-{pages}.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    return 0 if all(not r.error for r in results) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=20_000, help="site size (default 20,000)")
    parser.add_argument("--quick", action="store_true", help="2,000-page smoke run")
    parser.add_argument("--only", help="comma-separated contenders: " + ", ".join(CHILDREN))
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the site and logs")
    parser.add_argument(
        "--py-spy", action="store_true", help="profile each contender into bench-out/NAME.svg"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per contender; the fastest is reported"
    )
    # The child side: the site builder or one contender, in its own process (not for people).
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--build-site", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--origin", help=argparse.SUPPRESS)
    parser.add_argument("--start-url", help=argparse.SUPPRESS)
    parser.add_argument("--cap", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--report", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_site:
        return build_site(args.build_site, args.origin, Path(args.workdir), Path(args.report))
    if args.child:
        return child_main(
            args.child, args.start_url, args.cap, Path(args.workdir), Path(args.report)
        )
    return parent_main(args)


if __name__ == "__main__":
    sys.exit(main())
