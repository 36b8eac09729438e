"""The package's public surface, and what importing parts of it loads."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import linkequity

ROOT = Path(__file__).parents[2]


def test_public_surface_is_sorted_and_complete() -> None:
    assert linkequity.__all__ == sorted(linkequity.__all__)
    assert all(getattr(linkequity, name) is not None for name in linkequity.__all__)


def test_parse_workers_do_not_load_the_store_or_the_fetcher() -> None:
    # Each parse worker process would otherwise carry DuckDB, Arrow and aiohttp (~60 MB).
    code = (
        "import sys, linkequity.crawl.parse_worker\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'duckdb', 'pyarrow', 'aiohttp', 'pandas', 'numpy'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised as pip compares names."""
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group()).lower()


def test_the_lock_pins_every_requirement_and_names_no_place() -> None:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if not line.startswith("#")]
    # name==version only: a path, a URL or an index would not install on another machine
    assert [p for p in pins if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*==[\w.+!-]+", p)] == []
    pinned = [_name(p) for p in pins]
    assert len(pinned) == len(set(pinned))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    wanted = {_name(r) for r in [*project["dependencies"], *extras["test"], *extras["dev"]]}
    assert wanted - set(pinned) == set()
    assert not {"linkequity", "pip", "torch"} & set(pinned)
