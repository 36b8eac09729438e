"""A crawl killed with SIGKILL at any moment resumes to exactly the uninterrupted result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from linkequity import Project
from linkequity.example import SiteServer, build_site
from tests.servers import ScriptedServer
from tests.trap_site import trap_site

PAGE_FACTS = (
    "url",
    "status_code",
    "content_type",
    "depth",
    "redirect_url",
    "canonical_url",
    "meta_robots",
    "x_robots_tag",
    "indexable",
    "indexability_reason",
    "title",
    "h1",
    "meta_description",
    "word_count",
    "text_sha1",
    "size_bytes",
    "in_sitemap",
    "error",
    "encoding",
)
LINK_FACTS = (
    "src_url",
    "dst_url",
    "anchor",
    "alt",
    "rel",
    "is_nofollow",
    "is_sponsored",
    "is_ugc",
    "position",
    "is_internal",
    "is_image",
    "ordinal",
)


def facts(project: Project) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    pages = project.pages().select(list(PAGE_FACTS)).to_pylist()
    links = project.links().select(list(LINK_FACTS)).to_pylist()
    key = lambda r: tuple((v is None, str(v)) for v in r)  # noqa: E731
    return (
        sorted((tuple(p.values()) for p in pages), key=key),
        sorted((tuple(lk.values()) for lk in links), key=key),
    )


def texts(project: Project) -> list[tuple[object, ...]]:
    """The stored page texts (exported as plain text), in URL order."""
    rows = project.table("page_texts").select(["url", "headings", "text"]).to_pylist()
    return sorted(tuple(r.values()) for r in rows)


def crawl_and_kill(
    args: list[str], server: SiteServer | ScriptedServer, after_requests: int
) -> int:
    """Run the CLI crawl in a child process and SIGKILL it once the server saw enough."""
    child = subprocess.Popen(
        [sys.executable, "-m", "linkequity", "crawl", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(server.requests) < after_requests and child.poll() is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.002)
    os.kill(child.pid, signal.SIGKILL)
    return child.wait()


@pytest.fixture(scope="module")
def server() -> object:
    with SiteServer(build_site(pages=300, seed=7)) as s:
        yield s


@pytest.fixture(scope="module")
def reference(server: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("ref") / "ref.duckdb")
    project.crawl(server.origin + "/", workers=0, batch_pages=7)
    return project


@pytest.mark.parametrize("kills", [(1,), (40,), (150, 260), (90, 91, 320)])
def test_kill_and_resume_equals_uninterrupted(
    server: SiteServer, reference: Project, tmp_path: Path, kills: tuple[int, ...]
) -> None:
    path = tmp_path / "killed.duckdb"
    config = tmp_path / "linkequity.toml"
    config.write_text("[crawl]\nbatch_pages = 7\nworkers = 0\n")
    base = len(server.requests)
    first = crawl_and_kill(
        [server.origin + "/", "--project", str(path), "--config", str(config)],
        server,
        base + kills[0],
    )
    assert first == -signal.SIGKILL
    for k in kills[1:]:
        crawl_and_kill(
            ["--resume", "--project", str(path), "--config", str(config)], server, base + k
        )
    project = Project(path)
    want_pages, want_links = facts(reference)
    if kills == (1,):
        # killed before the first commit: nothing to resume, and the file is still usable
        assert not path.exists() or project.table("crawls").num_rows == 0
        project.crawl(server.origin + "/", workers=0, batch_pages=7)
    else:
        # the kill really interrupted the crawl part way
        assert project.table("crawls").column("status").to_pylist() == ["running"]
        assert 0 < project.pages().num_rows < len(want_pages)
        project.crawl(resume=True)
    assert project.table("crawls").column("status").to_pylist() == ["finished"]
    got_pages, got_links = facts(project)
    assert len(got_pages) == len({p[0] for p in got_pages})  # no page twice
    assert got_pages == want_pages
    assert len(got_links) == len(want_links)
    assert got_links == want_links
    # every HTML page's text, once: a page's text commits with the page
    assert texts(project) == texts(reference)
    html = ("text/html", "application/xhtml+xml")
    assert len(texts(project)) == sum(1 for p in got_pages if p[1] == 200 and p[2] in html)


@pytest.fixture(scope="module")
def trap_server() -> object:
    with ScriptedServer({}, fallback=trap_site) as s:
        yield s


def trap_facts(project: Project) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The pages (their size left out: session ids change it per render) and the frontier
    with what the trap defences decided, without who found a URL first (the order answers
    arrive in)."""
    pages = project.pages().to_pylist()
    frontier = project.table("frontier").to_pylist()
    kept = [f for f in PAGE_FACTS if f != "size_bytes"]
    return (
        sorted(tuple(str(p[f]) for f in kept) for p in pages),
        sorted(
            tuple(str(r[f]) for f in ("url", "phase", "level", "held_back", "trap_pattern"))
            for r in frontier
        ),
    )


@pytest.mark.parametrize("kills", [(60,), (150, 230)])
def test_a_trap_site_crawl_killed_and_resumed_holds_back_the_same_urls(
    trap_server: ScriptedServer, tmp_path: Path, kills: tuple[int, ...]
) -> None:
    reference = Project(tmp_path / "ref.duckdb")
    reference.crawl(trap_server.origin + "/", workers=0, batch_pages=7)
    path = tmp_path / "killed.duckdb"
    config = tmp_path / "linkequity.toml"
    config.write_text("[crawl]\nbatch_pages = 7\nworkers = 0\n")
    base = len(trap_server.requests)
    args = ["--project", str(path), "--config", str(config)]
    crawl_and_kill([trap_server.origin + "/", *args], trap_server, base + kills[0])
    for k in kills[1:]:
        crawl_and_kill(["--resume", *args], trap_server, base + k)
    project = Project(path)
    assert project.table("crawls").column("status").to_pylist() == ["running"]
    project.crawl(resume=True)
    want_pages, want_frontier = trap_facts(reference)
    got_pages, got_frontier = trap_facts(project)
    assert got_pages == want_pages
    assert got_frontier == want_frontier
    held = Counter(r[3] for r in got_frontier)
    assert held["facets"] > 0 and held["repeating"] > 0 and held["pending"] == 0
