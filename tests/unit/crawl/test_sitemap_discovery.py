"""Where a crawl looks for sitemaps: declared ones, guessed ones, and what it tells the user."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from linkequity import Project
from linkequity.crawl import CrawlSummary
from tests.commands import run
from tests.servers import Answer, ScriptedServer, page

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
XML = "application/xml"
GUESSES = ("sitemap.xml", "sitemap_index.xml", "wp-sitemap.xml")


def urlset(origin: str, *paths: str) -> Answer:
    locs = "".join(f"<url><loc>{origin}{p}</loc></url>" for p in paths)
    return Answer(body=f'<?xml version="1.0"?><urlset {NS}>{locs}</urlset>', content_type=XML)


def index(origin: str, *paths: str) -> Answer:
    locs = "".join(f"<sitemap><loc>{origin}{p}</loc></sitemap>" for p in paths)
    body = f'<?xml version="1.0"?><sitemapindex {NS}>{locs}</sitemapindex>'
    return Answer(body=body, content_type=XML)


def robots(text: str) -> Answer:
    return Answer(body=text, content_type="text/plain")


def guesses(*folders: str) -> list[str]:
    return [f"{d}{name}" for d in folders for name in GUESSES]


def tried(summary: CrawlSummary, origin: str) -> list[tuple[str, int | None, str | None, int]]:
    """(path, status, kind, url count) of every location tried, in the order tried."""
    return [
        (f.url.removeprefix(origin), f.status_code, f.kind, f.url_count) for f in summary.sitemaps
    ]


def paths_of(summary: CrawlSummary, origin: str) -> list[str]:
    return [f.url.removeprefix(origin) for f in summary.sitemaps]


def orphans(project: Project, origin: str) -> dict[str, tuple[object, object]]:
    """(depth, in_sitemap) of every page crawled."""
    return {
        str(r["url"]).removeprefix(origin): (r["depth"], r["in_sitemap"])
        for r in project.pages().to_pylist()
    }


def assert_each_fetched_once(server: ScriptedServer) -> None:
    twice = {p: n for p, n in Counter(server.paths()).items() if n > 1}
    assert twice == {}


def test_robots_sitemap_line_is_read_and_the_guesses_are_tried_after_it(tmp_path: Path) -> None:
    with ScriptedServer({}) as s:
        o = s.origin
        s.routes.update(
            {
                "/robots.txt": robots(f"User-agent: *\nAllow: /\nSitemap: {o}/maps/all.xml\n"),
                "/maps/all.xml": urlset(o, "/", "/orphan"),
                "/": Answer(body=page()),
                "/orphan": Answer(body=page()),
            }
        )
        project = Project(tmp_path / "site.duckdb")
        summary = project.crawl(o + "/", workers=0)
        assert_each_fetched_once(s)
    assert tried(summary, o) == [
        ("/maps/all.xml", 200, "urlset", 2),
        ("/sitemap.xml", 404, None, 0),
        ("/sitemap_index.xml", 404, None, 0),
        ("/wp-sitemap.xml", 404, None, 0),
    ]
    # a guess that is not there is no error; the stored rows say the same as the summary
    rows = project.table("sitemaps").to_pylist()
    assert [(r["url"], r["error"]) for r in rows] == [(f.url, None) for f in summary.sitemaps]
    assert orphans(project, o) == {"/": (0, True), "/orphan": (None, True)}


def test_a_normal_site_with_only_a_root_sitemap_xml(tmp_path: Path) -> None:
    with ScriptedServer({}) as s:
        o = s.origin
        s.routes.update(
            {
                "/sitemap.xml": urlset(o, "/", "/a", "/orphan"),
                "/": Answer(body=page("/a")),
                "/a": Answer(body=page("/")),
                "/orphan": Answer(body=page()),
            }
        )
        project = Project(tmp_path / "site.duckdb")
        summary = project.crawl(o + "/", workers=0)
        # robots.txt, the start page once (read for <link rel=sitemap>, then reused), 3 guesses
        assert s.paths()[:2] == ["/robots.txt", "/"]
        assert_each_fetched_once(s)
        assert sorted(s.paths()) == sorted(["/robots.txt", "/", "/a", "/orphan", *guesses("/")])
    assert tried(summary, o) == [
        ("/sitemap.xml", 200, "urlset", 3),
        ("/sitemap_index.xml", 404, None, 0),
        ("/wp-sitemap.xml", 404, None, 0),
    ]
    assert orphans(project, o) == {"/": (0, True), "/a": (1, True), "/orphan": (None, True)}
    assert project.table("sitemap_urls").num_rows == 3


def test_each_root_name_is_found(tmp_path: Path) -> None:
    for n, name in enumerate(GUESSES):
        with ScriptedServer({}) as s:
            o = s.origin
            s.routes.update({f"/{name}": urlset(o, "/", f"/only-in-{n}"), "/": Answer(body=page())})
            project = Project(tmp_path / f"{n}.duckdb")
            summary = project.crawl(o + "/", workers=0)
        answered = [(p, k) for p, _status, k, _n in tried(summary, o) if k is not None]
        assert answered == [(f"/{name}", "urlset")]
        assert orphans(project, o)[f"/only-in-{n}"] == (None, True)


def test_guesses_go_from_the_start_directory_up_to_the_root(tmp_path: Path) -> None:
    with ScriptedServer({}) as s:
        o = s.origin
        s.routes.update(
            {
                "/a/sitemap_index.xml": index(o, "/a/posts.xml"),
                "/a/posts.xml": urlset(o, "/a/b/page.html", "/a/old-post"),
                "/sitemap.xml": urlset(o, "/a/old-post", "/elsewhere"),
                "/a/b/page.html": Answer(body=page()),
                "/a/old-post": Answer(body=page()),
                "/elsewhere": Answer(body=page()),
            }
        )
        project = Project(tmp_path / "site.duckdb")
        summary = project.crawl(o + "/a/b/page.html?x=1", workers=0)
        assert_each_fetched_once(s)
    # an index's files are read before the next guess; both the folder's and the root's count
    assert paths_of(summary, o) == [
        *guesses("/a/b/"),
        "/a/sitemap.xml",
        "/a/sitemap_index.xml",
        "/a/posts.xml",
        "/a/wp-sitemap.xml",
        *guesses("/"),
    ]
    answered = [(p, k, c) for p, _status, k, c in tried(summary, o) if k is not None]
    assert answered == [
        ("/a/sitemap_index.xml", "sitemapindex", 1),
        ("/a/posts.xml", "urlset", 2),
        ("/sitemap.xml", "urlset", 1),  # /a/old-post is counted once, for the first sitemap
    ]
    sitemap_of = {
        str(r["url"]).removeprefix(o): str(r["sitemap"]).removeprefix(o)
        for r in project.table("sitemap_urls").to_pylist()
    }
    assert sitemap_of == {
        "/a/b/page.html": "/a/posts.xml",
        "/a/old-post": "/a/posts.xml",
        "/elsewhere": "/sitemap.xml",
    }
    assert orphans(project, o)["/elsewhere"] == (None, True)


def test_link_rel_sitemap_in_the_start_page(tmp_path: Path) -> None:
    head = (
        '<base href="/docs/"><link rel="alternate" href="/feed.xml">'
        '<link rel="Sitemap" type="application/xml" href="maps/site.xml">'
        '<link rel="sitemap" href="https://other.example/sitemap.xml">'
    )
    with ScriptedServer({}) as s:
        o = s.origin
        s.routes.update(
            {
                "/": Answer(body=page(head=head)),
                "/docs/maps/site.xml": urlset(o, "/", "/orphan"),
                "/orphan": Answer(body=page()),
            }
        )
        project = Project(tmp_path / "site.duckdb")
        summary = project.crawl(o + "/", workers=0)
        assert_each_fetched_once(s)
        assert "/feed.xml" not in s.paths()
    assert tried(summary, o)[0] == ("/docs/maps/site.xml", 200, "urlset", 2)
    assert paths_of(summary, o)[1:] == [*guesses("/"), "https://other.example/sitemap.xml"]
    # another host is not fetched, and the user is told why it was not read
    assert summary.sitemaps[-1].error == "not fetched: host other.example is outside the crawl"
    assert orphans(project, o) == {"/": (0, True), "/orphan": (None, True)}


def test_the_sitemaps_setting(tmp_path: Path) -> None:
    with ScriptedServer({}) as s:
        o = s.origin
        s.routes.update(
            {
                "/feeds/extra.xml": urlset(o, "/hidden"),
                "/": Answer(body=page()),
                "/hidden": Answer(body=page()),
            }
        )
        project = Project(tmp_path / "site.duckdb")
        summary = project.crawl(
            o + "/", workers=0, sitemaps=(o + "/feeds/extra.xml", o + "/feeds/missing.xml")
        )
        assert_each_fetched_once(s)
    assert tried(summary, o) == [
        ("/feeds/extra.xml", 200, "urlset", 1),
        ("/feeds/missing.xml", 404, None, 0),
        *((p, 404, None, 0) for p in guesses("/")),
    ]
    # a sitemap the user named that is missing is an error, unlike a guess
    assert [f.error for f in summary.sitemaps[:2]] == [None, "HTTP 404"]
    assert orphans(project, o)["/hidden"] == (None, True)


def test_a_site_served_under_a_path_without_a_root_robots_txt(tmp_path: Path) -> None:
    with ScriptedServer({}) as s:
        o = s.origin
        s.routes.update(
            {
                # what GitHub Pages serves for https://user.github.io/project/
                "/project": Answer(301, headers={"Location": f"{o}/project/"}),
                "/project/": Answer(body=page("/project/guide/")),
                "/project/guide/": Answer(body=page("/project/")),
                "/project/sitemap.xml": urlset(
                    o, "/project/", "/project/guide/", "/project/orphan/", "/project/old/"
                ),
                "/project/orphan/": Answer(body=page("/project/behind-orphan/")),
                "/project/old/": Answer(410, page()),
                "/project/behind-orphan/": Answer(body=page()),
            }
        )
        project = Project(tmp_path / "site.duckdb")
        summary = project.crawl(o + "/project/", workers=0)
        assert_each_fetched_once(s)
        assert "/robots.txt" in s.paths()  # it answered 404: no rules, no declared sitemap
        # started without the trailing slash, the redirect's folder is guessed first
        redirected = Project(tmp_path / "redirected.duckdb")
        via_redirect = redirected.crawl(o + "/project", workers=0)
    assert tried(summary, o) == [
        ("/project/sitemap.xml", 200, "urlset", 4),
        ("/project/sitemap_index.xml", 404, None, 0),
        ("/project/wp-sitemap.xml", 404, None, 0),
        *((p, 404, None, 0) for p in guesses("/")),
    ]
    assert all(f.error is None for f in summary.sitemaps)
    assert orphans(project, o) == {
        "/project/": (0, True),
        "/project/guide/": (1, True),
        "/project/orphan/": (None, True),
        "/project/old/": (None, True),
        "/project/behind-orphan/": (None, False),
    }
    assert paths_of(via_redirect, o) == [*guesses("/project/", "/")]
    assert orphans(redirected, o)["/project/orphan/"] == (None, True)


def test_guesses_robots_txt_disallows_are_not_requested(tmp_path: Path) -> None:
    rules = "User-agent: *\nDisallow: /wp-\nDisallow: /sitemap_index.xml\n"
    with ScriptedServer({}) as s:
        o = s.origin
        s.routes.update({"/robots.txt": robots(rules), "/": Answer(body=page())})
        summary = Project(tmp_path / "site.duckdb").crawl(o + "/", workers=0)
        ignored = Project(tmp_path / "ignored.duckdb").crawl(o + "/", workers=0, obey_robots=False)
    assert paths_of(summary, o) == ["/sitemap.xml"]
    assert paths_of(ignored, o) == guesses("/")


def test_guesses_that_redirect_or_serve_an_html_page_are_not_there(tmp_path: Path) -> None:
    with ScriptedServer({}) as s:
        o = s.origin
        s.routes.update(
            {
                "/robots.txt": robots(f"Sitemap: {o}/declared.xml\n"),
                "/declared.xml": Answer(301, headers={"Location": f"{o}/"}),
                # WordPress core sends /sitemap.xml on to its own name
                "/sitemap.xml": Answer(301, headers={"Location": f"{o}/wp-sitemap.xml"}),
                "/wp-sitemap.xml": urlset(o, "/"),
                # a single-page app answers every URL with its page
                "/sitemap_index.xml": Answer(body=page()),
                "/": Answer(body=page()),
            }
        )
        summary = Project(tmp_path / "site.duckdb").crawl(o + "/", workers=0)
    got = [
        (p, status, kind, f.error)
        for (p, status, kind, _n), f in zip(tried(summary, o), summary.sitemaps, strict=True)
    ]
    assert got == [
        ("/declared.xml", 301, None, "HTTP 301"),  # declared, so its fault is reported
        ("/sitemap.xml", 301, None, None),
        ("/sitemap_index.xml", 200, None, None),
        ("/wp-sitemap.xml", 200, "urlset", None),
    ]


def test_no_sitemaps_setting_reads_none_and_fetches_the_start_page_once(tmp_path: Path) -> None:
    with ScriptedServer({}) as s:
        o = s.origin
        s.routes.update({"/sitemap.xml": urlset(o, "/orphan"), "/": Answer(body=page())})
        summary = Project(tmp_path / "site.duckdb").crawl(o + "/", workers=0, use_sitemaps=False)
        assert s.paths() == ["/robots.txt", "/"]
    assert summary.sitemaps == ()


def test_the_crawl_command_says_which_locations_were_tried(tmp_path: Path) -> None:
    with ScriptedServer({}) as s:
        o = s.origin
        s.routes.update(
            {
                "/robots.txt": robots(f"Sitemap: {o}/docs/index.xml\nSitemap: {o}/gone.xml\n"),
                "/docs/index.xml": index(o, "/docs/sitemap.xml"),
                "/docs/sitemap.xml": urlset(o, "/docs/", "/docs/a", "/docs/b"),
                "/docs/": Answer(body=page()),
            }
        )
        crawled = run("crawl", o + "/docs/", "-p", "site.duckdb", "--workers", "0", cwd=tmp_path)
    assert crawled.returncode == 0, crawled.stderr
    line = next(ln for ln in crawled.stderr.splitlines() if ln.startswith("Sitemaps:"))
    assert line == (
        "Sitemaps: 8 locations tried, 2 answered (/docs/index.xml: index of 1 sitemap, "
        "/docs/sitemap.xml: 3 URLs); 1 unreadable (/gone.xml: HTTP 404)"
    )
