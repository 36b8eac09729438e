"""The crawler against a scripted local server: politeness, retries, limits and errors."""

from __future__ import annotations

import asyncio
import gzip
import itertools
import socket
import time
import zlib
from pathlib import Path

import brotli
import pytest

from linkequity import ConfigError, FetchError, Project, StoreError
from linkequity.crawl import run_crawl
from linkequity.crawl.fetch import HostSlot
from linkequity.settings import CrawlSettings
from linkequity.store.database import Store
from tests.servers import Answer, ScriptedServer, page

FAST = {"workers": 0, "retries": 2}


def crawl(tmp_path: Path, origin: str, **overrides: object) -> Project:
    project = Project(tmp_path / "site.duckdb")
    project.crawl(origin + "/", **{**FAST, **overrides})
    return project


def rows(project: Project, table: str) -> list[dict[str, object]]:
    result: list[dict[str, object]] = project.table(table).to_pylist()
    return result


def by_url(project: Project, origin: str) -> dict[str, dict[str, object]]:
    return {str(r["url"])[len(origin) :]: r for r in rows(project, "pages")}


def test_retry_after_is_honoured_then_the_page_is_stored(tmp_path: Path) -> None:
    stamps: list[float] = []

    def flaky(n: int) -> Answer:
        stamps.append(time.monotonic())
        if n == 0:
            return Answer(503, "busy", headers={"Retry-After": "1"})
        return Answer(body=page())

    with ScriptedServer({"/": flaky}) as s:
        project = crawl(tmp_path, s.origin)
    assert by_url(project, s.origin)["/"]["status_code"] == 200
    assert len(stamps) == 2
    assert stamps[1] - stamps[0] >= 0.9


def test_server_errors_are_retried_then_recorded(tmp_path: Path) -> None:
    with ScriptedServer({"/": Answer(body=page("/down")), "/down": Answer(500, "oops")}) as s:
        project = crawl(tmp_path, s.origin, retries=2)
        assert s.paths().count("/down") == 3
    down = by_url(project, s.origin)["/down"]
    assert (down["status_code"], down["indexability_reason"]) == (500, "server error")


def test_timeouts_become_an_error_row(tmp_path: Path) -> None:
    routes = {"/": Answer(body=page("/slow")), "/slow": Answer(body=page(), delay=1.5)}
    with ScriptedServer(routes) as s:
        project = crawl(tmp_path, s.origin, timeout=0.3, retries=1)
        assert s.paths().count("/slow") == 2
    slow = by_url(project, s.origin)["/slow"]
    assert slow["status_code"] is None
    assert slow["error"] == "timed out"
    assert slow["indexability_reason"] == "no response"


def test_response_size_is_capped(tmp_path: Path) -> None:
    big = "<html><body><main>" + "x" * 300_000 + '<a href="/after">a</a></main></body></html>'
    with ScriptedServer({"/": Answer(body=big)}) as s:
        project = crawl(tmp_path, s.origin, max_response_bytes=100_000)
    home = by_url(project, s.origin)["/"]
    assert home["size_bytes"] == 100_000
    assert "larger than 100000 bytes" in str(home["error"])


def test_compressed_answers_are_decoded(tmp_path: Path) -> None:
    routes = {
        "/": Answer(body=gzip.compress(page("/br").encode()), headers={"Content-Encoding": "gzip"}),
        "/br": Answer(
            body=brotli.compress(page(title="Brötli").encode()), headers={"Content-Encoding": "br"}
        ),
    }
    with ScriptedServer(routes) as s:
        project = crawl(tmp_path, s.origin)
    assert by_url(project, s.origin)["/br"]["title"] == "Brötli"


def test_deflate_answers_are_decoded(tmp_path: Path) -> None:
    body = zlib.compress(page(title="Déflaté").encode())
    with ScriptedServer({"/": Answer(body=body, headers={"Content-Encoding": "deflate"})}) as s:
        project = crawl(tmp_path, s.origin)
    assert by_url(project, s.origin)["/"]["title"] == "Déflaté"


def test_a_decompression_bomb_stops_at_the_size_cap(tmp_path: Path) -> None:
    # 50 MB of markup in ~50 KB of gzip: the cap counts inflated bytes.
    bomb = gzip.compress(b"<html><body>" + b" " * 50_000_000)
    with ScriptedServer({"/": Answer(body=bomb, headers={"Content-Encoding": "gzip"})}) as s:
        project = crawl(tmp_path, s.origin, max_response_bytes=100_000)
    home = by_url(project, s.origin)["/"]
    assert home["size_bytes"] == 100_000
    assert "larger than 100000 bytes" in str(home["error"])


def test_robots_disallowed_urls_are_recorded_never_requested(tmp_path: Path) -> None:
    routes = {
        "/robots.txt": Answer(
            body="User-agent: *\nDisallow: /private/\n", content_type="text/plain"
        ),
        "/": Answer(body=page("/private/a", "/public")),
        "/public": Answer(body=page("/private/b")),
    }
    with ScriptedServer(routes) as s:
        project = crawl(tmp_path, s.origin)
        assert not [p for p in s.paths() if p.startswith("/private/")]
    pages = by_url(project, s.origin)
    assert pages["/private/a"]["indexability_reason"] == "blocked by robots.txt"
    assert pages["/private/b"]["depth"] == 2
    assert pages["/private/b"]["status_code"] is None


def test_robots_for_another_agent_does_not_apply(tmp_path: Path) -> None:
    routes = {
        "/robots.txt": Answer(
            body="User-agent: otherbot\nDisallow: /\n", content_type="text/plain"
        ),
        "/": Answer(body=page()),
    }
    with ScriptedServer(routes) as s:
        project = crawl(tmp_path, s.origin)
    assert by_url(project, s.origin)["/"]["status_code"] == 200


def test_robots_disallowing_everything_is_one_clear_error(tmp_path: Path) -> None:
    robots = Answer(body="User-agent: *\nDisallow: /\n", content_type="text/plain")
    with ScriptedServer({"/robots.txt": robots, "/": Answer(body=page())}) as s:
        with pytest.raises(FetchError) as err:
            crawl(tmp_path, s.origin)
        assert s.paths() == ["/robots.txt"]
    assert str(err.value) == (
        f"robots.txt of 127.0.0.1:{s.port} disallows {s.origin}/ for user agent 'linkequity', "
        "so there is nothing to crawl; pass --ignore-robots to crawl anyway."
    )
    ignored = Project(tmp_path / "ignored.duckdb")
    with ScriptedServer({"/robots.txt": robots, "/": Answer(body=page())}) as s:
        ignored.crawl(s.origin + "/", obey_robots=False, workers=0)
    assert ignored.overview().pages == 1


def test_crawl_delay_spaces_requests(tmp_path: Path) -> None:
    stamps: list[float] = []

    def timed(body: str) -> Answer:
        stamps.append(time.monotonic())
        return Answer(body=body)

    routes = {
        "/robots.txt": Answer(body="User-agent: *\nCrawl-delay: 0.3\n", content_type="text/plain"),
        "/": lambda n: timed(page("/a", "/b")),
        "/a": lambda n: timed(page()),
        "/b": lambda n: timed(page()),
    }
    with ScriptedServer(routes) as s:
        crawl(tmp_path, s.origin, concurrency=8)
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert len(stamps) == 3
    assert min(gaps) >= 0.28


def test_unreachable_host_is_one_clear_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match=rf"^Cannot reach 127\.0\.0\.1:{port}: "):
        crawl(tmp_path, f"http://127.0.0.1:{port}", retries=0)
    # nothing was written, and the project file the crawl created is gone with it
    assert not (tmp_path / "site.duckdb").exists()
    with pytest.raises(StoreError, match=r"site\.duckdb does not exist"):
        Project(tmp_path / "site.duckdb").overview()


@pytest.mark.parametrize("url", ["example.com", "ftp://example.com/", "http://", "not a url"])
def test_invalid_start_url(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError, match="is not a valid start URL; give an absolute http"):
        Project(tmp_path / "p.duckdb").crawl(url)


def test_resume_without_an_unfinished_crawl(tmp_path: Path) -> None:
    with ScriptedServer({"/": Answer(body=page())}) as s:
        project = crawl(tmp_path, s.origin)
    with pytest.raises(StoreError, match="has no unfinished crawl to resume"):
        project.crawl(resume=True)


def test_redirect_chains_and_loops_are_recorded_hop_by_hop(tmp_path: Path) -> None:
    routes = {
        "/": Answer(body=page("/old", "/loop-a")),
        "/old": Answer(301, headers={"Location": "/older"}),
        "/older": Answer(302, headers={"Location": "/new"}),
        "/new": Answer(body=page()),
        "/loop-a": Answer(301, headers={"Location": "/loop-b"}),
        "/loop-b": Answer(301, headers={"Location": "/loop-a"}),
    }
    with ScriptedServer(routes) as s:
        project = crawl(tmp_path, s.origin)
    o = s.origin
    chains = {
        (str(r["url"])[len(o) :], r["hop"]): (r["status_code"], r["location"], r["is_loop"])
        for r in rows(project, "redirects")
    }
    assert chains[("/old", 0)] == (301, o + "/older", False)
    assert chains[("/old", 1)] == (302, o + "/new", False)
    assert ("/old", 2) not in chains
    assert chains[("/loop-a", 1)] == (301, o + "/loop-a", True)
    pages = by_url(project, o)
    assert (pages["/new"]["depth"], pages["/older"]["depth"]) == (3, 2)


def test_sitemap_index_gzip_and_orphans(tmp_path: Path) -> None:
    def urlset(*paths: str) -> str:
        locs = "".join(f"<url><loc>{{o}}{p}</loc></url>" for p in paths)
        return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'

    with ScriptedServer({}) as s:
        o = s.origin
        index = (
            f'<?xml version="1.0"?><sitemapindex><sitemap><loc>{o}/a.xml</loc></sitemap>'
            f"<sitemap><loc>{o}/b.xml.gz</loc></sitemap></sitemapindex>"
        )
        s.routes.update(
            {
                "/robots.txt": Answer(body=f"Sitemap: {o}/index.xml\n", content_type="text/plain"),
                "/index.xml": Answer(body=index, content_type="application/xml"),
                "/a.xml": Answer(
                    body=urlset("/", "/orphan").format(o=o), content_type="application/xml"
                ),
                "/b.xml.gz": Answer(
                    body=gzip.compress(urlset("/linked", "/orphan2").format(o=o).encode()),
                    content_type="application/gzip",
                ),
                "/": Answer(body=page("/linked")),
                "/linked": Answer(body=page()),
                "/orphan": Answer(body=page("/behind-orphan")),
                "/orphan2": Answer(body=page()),
                "/behind-orphan": Answer(body=page()),
            }
        )
        project = crawl(tmp_path, o)
    pages = by_url(project, o)
    assert {u: (p["depth"], p["in_sitemap"]) for u, p in pages.items()} == {
        "/": (0, True),
        "/linked": (1, True),
        "/orphan": (None, True),
        "/orphan2": (None, True),
        "/behind-orphan": (None, False),
    }
    assert len(rows(project, "sitemap_urls")) == 4
    kinds = {str(r["url"])[len(o) :]: r["kind"] for r in rows(project, "sitemaps")}
    # the guessed locations are tried too, after the declared index and the files it lists
    assert kinds == {
        "/index.xml": "sitemapindex",
        "/a.xml": "urlset",
        "/b.xml.gz": "urlset",
        "/sitemap.xml": None,
        "/sitemap_index.xml": None,
        "/wp-sitemap.xml": None,
    }


def test_max_pages_and_max_depth(tmp_path: Path) -> None:
    routes = {
        "/": Answer(body=page("/a", "/b", "/c")),
        "/a": Answer(body=page("/a/deep")),
        "/b": Answer(body=page()),
        "/c": Answer(body=page()),
        "/a/deep": Answer(body=page()),
    }
    with ScriptedServer(routes) as s:
        limited = crawl(tmp_path, s.origin, max_pages=3, use_sitemaps=False)
        shallow = Project(tmp_path / "shallow.duckdb")
        shallow.crawl(s.origin + "/", max_depth=1, workers=0)
    # a level is taken in URL order up to the budget
    assert sorted(by_url(limited, s.origin)) == ["/", "/a", "/b"]
    assert sorted(by_url(shallow, s.origin)) == ["/", "/a", "/b", "/c"]


def test_autothrottle_backs_off_when_the_server_slows() -> None:
    slot = HostSlot(CrawlSettings(concurrency=2, max_delay=5.0))
    for _ in range(20):
        slot.observe(0.01, ok=True)
    fast = slot.delay
    for _ in range(20):
        slot.observe(2.0, ok=True)
    assert fast < 0.01
    assert slot.delay == pytest.approx(1.0, rel=1e-3)
    slot.observe(0.0, ok=False)  # an error answer never speeds the crawl up
    assert slot.delay == pytest.approx(1.0, rel=1e-3)


def test_requests_go_through_the_proxy(tmp_path: Path) -> None:
    import urllib.error
    import urllib.request
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    seen: list[str] = []

    class Proxy(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            seen.append(self.path)  # a forward proxy receives the absolute URL
            try:
                with urllib.request.urlopen(self.path) as upstream:
                    status, body = upstream.status, upstream.read()
                    ctype = upstream.headers["Content-Type"]
            except urllib.error.HTTPError as err:
                status, body, ctype = err.code, err.read(), err.headers["Content-Type"]
                err.close()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        with ScriptedServer({"/": Answer(body=page("/a")), "/a": Answer(body=page())}) as s:
            project = crawl(tmp_path, s.origin, proxy=f"http://127.0.0.1:{proxy.server_port}")
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert sorted(by_url(project, s.origin)) == ["/", "/a"]
    assert f"{s.origin}/a" in seen
    assert f"{s.origin}/robots.txt" in seen


def test_crawl_can_be_called_from_a_running_event_loop(tmp_path: Path) -> None:
    import asyncio

    async def notebook_cell(origin: str) -> int:
        # Jupyter runs cells inside an event loop; a plain call must still work.
        return Project(tmp_path / "nb.duckdb").crawl(origin + "/", workers=0).pages

    with ScriptedServer({"/": Answer(body=page("/a")), "/a": Answer(body=page())}) as s:
        assert asyncio.run(notebook_cell(s.origin)) == 2
        assert asyncio.run(notebook_cell(s.origin)) == 2  # and again, into the same project
    assert Project(tmp_path / "nb.duckdb").table("crawls").num_rows == 2


def test_subdomains_are_internal_and_crawled_only_when_asked(tmp_path: Path) -> None:
    with ScriptedServer({}) as s:
        www = f"http://www.northwind-outfitters.com:{s.port}"
        blog = f"http://blog.northwind-outfitters.com:{s.port}"
        s.routes.update({"/": Answer(body=page(blog + "/post", "https://example.org/"))})
        s.routes["/post"] = Answer(body=page())
        resolve = (
            "www.northwind-outfitters.com:127.0.0.1",
            "blog.northwind-outfitters.com:127.0.0.1",
        )
        narrow = Project(tmp_path / "narrow.duckdb")
        narrow.crawl(www + "/", resolve=resolve, workers=0)
        wide = Project(tmp_path / "wide.duckdb")
        wide.crawl(www + "/", resolve=resolve, include_subdomains=True, workers=0)
    internal = {r["dst_url"]: r["is_internal"] for r in narrow.links().to_pylist()}
    assert internal == {blog + "/post": True, "https://example.org/": False}
    assert sorted(narrow.pages().column("url").to_pylist()) == [www + "/"]
    assert sorted(wide.pages().column("url").to_pylist()) == [blog + "/post", www + "/"]
    hosts = sorted(wide.table("robots_txt").column("host").to_pylist())
    assert hosts == [blog[7:], www[7:]]  # each host's robots.txt was read


def test_bad_resolve_entry(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Invalid resolve entry 'nohost'; write it as host:"):
        Project(tmp_path / "p.duckdb").crawl("http://www.example.com/", resolve=("nohost",))


def test_a_crawl_leaves_the_store_settings_as_it_found_them(tmp_path: Path) -> None:
    # The crawl runs DuckDB with one thread and store_memory_mb of memory, then restores them.
    query = "SELECT current_setting('threads'), current_setting('memory_limit')"
    routes = {"/": Answer(body=page("/a")), "/a": Answer(body=page())}
    with ScriptedServer(routes) as s, Store(tmp_path / "site.duckdb") as store:
        store.rows("SET memory_limit = '2GiB'")
        before = store.one(query)
        settings = CrawlSettings(workers=0, store_memory_mb=16)
        summary = asyncio.run(run_crawl(store, s.origin + "/", settings))
        assert store.one(query) == before
    assert summary.pages == 2
