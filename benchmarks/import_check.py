"""Development check of the Screaming Frog importer on real exports (not part of the test suite).

Imports every CSV file of a folder of Screaming Frog exports, each into its own fresh project,
and prints per file the format found, rows read, pages and links written, rows skipped by type,
redirect hops, linked URLs never requested and the time taken. A file that fails prints its
one-sentence error instead. ``--scale N`` then times a synthetic All Inlinks export made of the
first links file repeated N times with distinct source pages, for throughput in rows per second.

    python benchmarks/import_check.py [FOLDER] [--scale 100]

FOLDER defaults to ``../shared/data/screamingfrog`` next to the repository.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

from linkequity.errors import LinkEquityError
from linkequity.ingest import ImportSummary, import_screamingfrog
from linkequity.ingest.csvfile import CsvReader, sniff_csv
from linkequity.store import Store

DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "screamingfrog"


def _import(path: Path, work: Path) -> tuple[ImportSummary, float]:
    project = work / f"{path.stem}.duckdb"
    project.unlink(missing_ok=True)
    started = time.perf_counter()
    with Store(project) as store:
        summary = import_screamingfrog(store, [path])
    return summary, time.perf_counter() - started


def check_folder(folder: Path, work: Path) -> Path | None:
    """Import each file alone; returns the first links export (for --scale)."""
    first_links: Path | None = None
    print(
        f"{'file':34} {'format':9} {'rows':>7} {'pages':>6} {'links':>7} {'hops':>5} "
        f"{'unfetched':>9} {'seconds':>7}  skipped by type"
    )
    for path in sorted(folder.glob("*.csv")):
        try:
            summary, seconds = _import(path, work)
        except LinkEquityError as exc:
            print(f"{path.name:34} error: {exc}")
            continue
        (file,) = summary.files
        kind = "links" if file.links or file.redirects else "pages"
        if kind == "links" and first_links is None:
            first_links = path
        skipped = ", ".join(f"{k} {n:,}" for k, n in file.skipped) or "-"
        print(
            f"{path.name:34} {kind:9} {file.rows:>7,} {summary.pages:>6,} {summary.links:>7,} "
            f"{summary.redirect_hops:>5,} {summary.unfetched:>9,} {seconds:>7.2f}  {skipped}"
        )
        extra = [f"start {summary.start_url}"]
        if file.title:
            extra.append(f"title {file.title!r}")
        if summary.pages_from_links:
            extra.append(f"{summary.pages_from_links:,} pages known only from links")
        if summary.links:
            extra.append(f"{summary.internal_links:,} internal links")
        if file.redirects:
            extra.append(f"{file.redirects:,} redirect rows")
        if file.missing_columns:
            extra.append("no " + ", ".join(file.missing_columns))
        print(f"{'':34} " + "; ".join(extra))
    return first_links


def check_scale(source: Path, times: int, work: Path) -> None:
    """Time a synthetic export: ``source``'s rows repeated with distinct source pages."""
    layout = sniff_csv(source)
    src = layout.header.index("Source")
    with CsvReader(layout) as reader:
        rows = [fields for _, fields in reader]
    big = work / "scaled_inlinks.csv"
    with big.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)
        out.writerow(layout.header)
        for k in range(times):
            for fields in rows:
                copy = list(fields)
                copy[src] = f"{copy[src]}copy-{k}/"
                out.writerow(copy)
    size_mb = big.stat().st_size / 1e6
    summary, seconds = _import(big, work)
    (file,) = summary.files
    print(
        f"\nscaled {source.name} x{times}: {file.rows:,} rows ({size_mb:.0f} MB), "
        f"{summary.links:,} links, {summary.pages:,} pages in {seconds:.2f} s = "
        f"{file.rows / seconds:,.0f} rows/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--scale", type=int, default=0, help="repeat a links export N times")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        first_links = check_folder(args.folder, work)
        if args.scale and first_links is not None:
            check_scale(first_links, args.scale, work)


if __name__ == "__main__":
    main()
