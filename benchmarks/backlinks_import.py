"""Benchmark: import a generated 1,000,000-row Ahrefs backlinks export; rows/s and peak RSS.

The export is written to a temporary folder in Ahrefs' v3 layout (31 columns, UTF-8 CSV, or
UTF-16 tab-separated with ``--utf16``): 1,000 referring domains of varied size, several pages
each, links to 2,000 target pages, every metric and flag column filled. The import runs in a
child process (``python benchmarks/backlinks_import.py --child FILE PROJECT``) so that its
``ru_maxrss`` is the importer's peak alone, not the generator's: a child inherits nothing of
its parent's peak, and the parent reads the child's through ``RUSAGE_CHILDREN``.

Targets (issue: backlinks): streamed, memory flat (peak RSS under 1 GB), 50,000 rows/s or more.

    python benchmarks/backlinks_import.py [--rows 1000000] [--utf16]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = (
    "Referring page title", "Referring page URL", "Language", "Platform",
    "Referring page HTTP code", "Domain rating", "UR", "Domain traffic", "Referring domains",
    "Linked domains", "External links", "Page traffic", "Keywords", "Target URL",
    "Left context", "Anchor", "Right context", "Type", "Content", "Nofollow", "UGC",
    "Sponsored", "Rendered", "Raw", "Lost status", "Drop reason", "Discovered status",
    "First seen", "Last seen", "Lost", "Links in group",
)  # fmt: skip


def write_export(path: Path, rows: int, utf16: bool, seed: int = 1) -> None:
    """An Ahrefs v3 backlinks export of ``rows`` rows (seeded)."""
    rng = random.Random(seed)
    domains = [f"site{i}.{rng.choice(['com', 'net', 'org', 'io', 'co.uk'])}" for i in range(1000)]
    ratings = [rng.randint(0, 95) for _ in domains]
    targets = [f"https://www.example.com/p/{i}/" for i in range(2000)]
    encoding, delimiter = ("utf-16", "\t") if utf16 else ("utf-8", ",")
    with path.open("w", encoding=encoding, newline="") as f:
        out = csv.writer(f, delimiter=delimiter)
        out.writerow(HEADER)
        for n in range(rows):
            d = rng.randrange(len(domains))
            lost = rng.random() < 0.05
            nofollow = rng.random() < 0.3
            out.writerow(
                [
                    f"Post {n} about gear",
                    f"https://{domains[d]}/blog/{n}/post-{n % 97}",
                    "en",
                    "wordpress",
                    "200",
                    ratings[d],
                    f"{rng.random() * 40:.1f}",
                    rng.randint(0, 100000),
                    rng.randint(0, 50),
                    rng.randint(1, 40),
                    rng.randint(1, 200),
                    rng.randint(0, 1000),
                    rng.randint(0, 500),
                    targets[rng.randrange(len(targets))],
                    "some text before the",
                    rng.choice(["tents", "best tents", "example", "click here", ""]),
                    "and some after it",
                    "text",
                    "TRUE",
                    "TRUE" if nofollow else "FALSE",
                    "FALSE",
                    "FALSE",
                    "TRUE",
                    "TRUE",
                    "linkremoved" if lost else "",
                    "",
                    "pagefound",
                    f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 6:20",
                    f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 17:42",
                    f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 9:33" if lost else "",
                    rng.randint(1, 5),
                ]
            )


def child(export: Path, project: Path) -> None:
    """Import the export; print rows, seconds and this process's peak RSS."""
    from linkequity.ingest import import_backlinks
    from linkequity.store import Store

    started = time.perf_counter()
    with Store(project) as store:
        summary = import_backlinks(store, [export])
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{summary.rows} {summary.backlinks} {seconds:.3f} {peak_mb:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--utf16", action="store_true", help="UTF-16 tab-separated export")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="backlinks-bench-") as tmp:
        export = Path(tmp) / "ahrefs-backlinks.csv"
        started = time.perf_counter()
        write_export(export, args.rows, args.utf16)
        size_mb = export.stat().st_size / 1e6
        print(
            f"wrote {args.rows:,} rows ({size_mb:,.0f} MB) in {time.perf_counter() - started:.1f} s"
        )
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(export), str(Path(tmp) / "bench.duckdb")],
            check=True,
            capture_output=True,
            text=True,
        )
        rows, links, seconds, peak = result.stdout.split()
        print(
            f"imported {int(rows):,} rows ({int(links):,} backlinks) in {float(seconds):.1f} s: "
            f"{int(rows) / float(seconds):,.0f} rows/s, peak RSS {int(float(peak)):,} MB "
            "(targets: 50,000 rows/s, under 1,024 MB)"
        )


if __name__ == "__main__":
    main()
