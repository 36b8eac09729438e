"""The package's public surface, and what importing parts of it loads."""

from __future__ import annotations

import subprocess
import sys

import linkequity


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
