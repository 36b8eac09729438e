"""A real Chromium for the tests of the report and the web app: Debian's ``chromium``, driven
by Playwright through ``executable_path`` (Playwright's own browser download cannot be used).

Tests that need it take the ``browser`` fixture; without Chromium on the machine they skip
with the line that says how to install it. Headless WebGL (the link graph) needs SwiftShader,
hence the flags. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts"
FLAGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]


# Module scope: Playwright's sync API keeps an event loop running in this thread while it
# is open, and asyncio.run refuses to start under it; a test module of the crawl that runs
# after a browser test would fail. Closing it with each module costs about a second.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("Chromium is not installed: apt-get install chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield launched
        launched.close()


def artifact(name: str) -> Path:
    """Where a test keeps a screenshot or a file for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


@dataclass
class Watched:
    """A page whose console errors and requests are kept; a request to anything but
    ``allowed`` (a URL prefix) is aborted, and kept all the same."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def watched_page(browser: Any, allowed: str, **options: Any) -> Watched:
    """A new page of ``browser`` that records console errors and every request it makes."""
    watched = Watched(browser.new_page(**options))
    watched.page.on(
        "console", lambda m: watched.errors.append(m.text) if m.type == "error" else None
    )
    watched.page.on("pageerror", lambda e: watched.errors.append(str(e)))

    def seen(route: Any) -> None:
        watched.requests.append(route.request.url)
        if route.request.url.startswith(allowed):
            route.continue_()
        else:
            route.abort()

    watched.page.route("**/*", seen)
    return watched
