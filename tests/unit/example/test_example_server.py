"""The example site over real HTTP on 127.0.0.1: pages, gzip, 404s, keep-alive, the request log."""

from __future__ import annotations

import gzip
import http.client
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from linkequity.example import ExampleSite, SiteServer, build_site


@pytest.fixture(scope="module")
def site() -> ExampleSite:
    return build_site(300, seed=7)


@pytest.fixture
def server(site: ExampleSite) -> Iterator[SiteServer]:
    with SiteServer(site) as running:
        yield running


def get(
    server: SiteServer, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(server.origin + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def test_serves_pages_on_a_free_port(site: ExampleSite, server: SiteServer) -> None:
    assert server.port > 0
    assert server.origin == f"http://127.0.0.1:{server.port}"
    status, headers, body = get(server, "/")
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert body == site.response("/", server.origin).body
    assert f'href="{server.origin}/"'.encode() in site.response("/blog/", server.origin).body


def test_gzip_only_when_asked(server: SiteServer) -> None:
    status, headers, body = get(server, "/blog/", {"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    plain = get(server, "/blog/")[2]
    assert gzip.decompress(body) == plain
    assert plain.startswith(b"<!DOCTYPE html>")


def test_unknown_paths_get_404_and_errors_keep_their_status(server: SiteServer) -> None:
    assert get(server, "/no/such/page/")[0] == 404
    assert get(server, "/stores/locator/")[0] == 500
    assert get(server, "/products/glowworm-headlamp-2017/")[0] == 410


def test_requests_are_logged_with_their_user_agent(server: SiteServer) -> None:
    get(server, "/robots.txt", {"User-Agent": "linkequity-test/1.0"})
    get(server, "/about/?x=1", {"User-Agent": "other"})
    assert server.requests == [
        ("GET", "/robots.txt", "linkequity-test/1.0"),
        ("GET", "/about/?x=1", "other"),
    ]
    assert server.requested_paths() == {"/robots.txt", "/about/?x=1"}


def test_keep_alive_redirects_and_head(server: SiteServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", "/shop/")
        first = connection.getresponse()
        first.read()
        assert (first.status, first.getheader("Location")) == (301, f"{server.origin}/store/")
        connection.request("HEAD", "/about/")  # the same connection
        second = connection.getresponse()
        assert second.status == 200
        assert second.read() == b""
        assert int(second.getheader("Content-Length") or 0) > 5000
    finally:
        connection.close()
    assert [r[:2] for r in server.requests] == [("GET", "/shop/"), ("HEAD", "/about/")]
