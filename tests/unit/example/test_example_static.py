"""The example site written to disk for nginx: files, the server block, and nginx serving it."""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkequity.errors import ConfigError
from linkequity.example import ExampleSite, build_site, write_static
from linkequity.example.defects import LEGACY_CHARSET_PAGE, X_ROBOTS_NOINDEX_PAGE
from linkequity.example.site import SITEMAP_POSTS


@pytest.fixture(scope="module")
def site() -> ExampleSite:
    return build_site(300, seed=7)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_files_and_server_block(site: ExampleSite, tmp_path: Path) -> None:
    origin = "http://127.0.0.1:8123"
    conf = write_static(site, tmp_path, origin)
    assert conf == tmp_path.resolve() / "nginx.conf"
    www = tmp_path / "www"
    assert (www / "index.html").read_bytes() == site.response("/", origin).body
    product = site.products[0]
    variant = f"{product.path}?color={product.colours[0]}"
    file = www / f"_q{product.path}color={product.colours[0]}.html"
    assert file.read_bytes() == site.response(variant, origin).body
    assert (www / SITEMAP_POSTS.lstrip("/")).read_bytes() == site.response(
        SITEMAP_POSTS, origin
    ).body
    assert not (www / "shop").exists()  # redirects live in the config, not on disk
    block = (tmp_path / "nginx-site.conf").read_text()
    assert "listen 127.0.0.1:8123;" in block
    assert "location = /shop/ { return 301 'http://127.0.0.1:8123/store/'; }" in block
    assert "location = /store/ { return 302 '/outlet/'; }" in block
    assert "location = /stores/locator/ { return 500; }" in block
    assert f"location = {X_ROBOTS_NOINDEX_PAGE} {{ add_header X-Robots-Tag 'noindex'" in block
    assert f"""add_header Link '<{origin}{product.path}>; rel="canonical"'""" in block
    assert f"location = {LEGACY_CHARSET_PAGE} {{ types {{ }} default_type 'text/html';" in block
    assert f"include {tmp_path.resolve() / 'nginx-site.conf'};" in conf.read_text()


def test_origin_must_be_http_with_a_port(site: ExampleSite, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="origin"):
        write_static(site, tmp_path, "https://shop.example")


@pytest.fixture
def nginx(site: ExampleSite, tmp_path: Path) -> Iterator[str]:
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed")
    tmp_path.chmod(0o755)  # readable by nginx's worker user
    origin = f"http://127.0.0.1:{free_port()}"
    conf = write_static(site, tmp_path, origin)
    # As root, nginx's workers would run as nobody, who cannot read pytest's 0700 folders.
    extra = "user root;" if os.geteuid() == 0 else ""
    process = subprocess.Popen(
        ["nginx", "-p", f"{tmp_path}/", "-c", str(conf), "-g", f"daemon off; {extra}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", int(origin.rsplit(":", 1)[1])), 1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("nginx did not start")
                time.sleep(0.05)
        yield origin
    finally:
        process.terminate()
        process.wait(timeout=10)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        request = urllib.request.Request(url, headers=headers or {})
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def test_nginx_answers_like_the_site(site: ExampleSite, nginx: str) -> None:
    product = site.products[0]
    paths = [
        "/", "/robots.txt", SITEMAP_POSTS, "/shop/", "/outlet/", "/gift-cards/",
        "/stores/locator/", "/products/glowworm-headlamp-2017/", "/no/such/page/",
        LEGACY_CHARSET_PAGE, X_ROBOTS_NOINDEX_PAGE, "/terms/", product.path + "specs/",
        f"{product.path}?color={product.colours[1]}", "/downloads/size-guide.pdf",
    ]  # fmt: skip
    for path in paths:
        want = site.response(path, nginx)
        status, headers, body = fetch(nginx + path)
        assert status == want.status, path
        for name in ("Location", "X-Robots-Tag", "Link", "Content-Type"):
            if want.status == 200 or name != "Content-Type":
                assert headers.get(name) == want.header(name), (path, name)
        if want.status == 200:
            assert body == want.body, path


def test_html_is_served_precompressed(site: ExampleSite, nginx: str, tmp_path: Path) -> None:
    product = site.products[0]
    for path, file in (("/", "index.html"), (product.path, product.path[1:] + "index.html")):
        assert (tmp_path / "www" / (file + ".gz")).exists(), path
        want = site.response(path, nginx)
        status, headers, body = fetch(nginx + path, {"Accept-Encoding": "gzip"})
        assert (status, headers.get("Content-Encoding")) == (200, "gzip"), path
        assert headers.get("Content-Type") == want.header("Content-Type"), path
        assert gzip.decompress(body) == want.body, path
    # Not HTML: stored and sent as it is.
    assert not (tmp_path / "www" / "robots.txt.gz").exists()
