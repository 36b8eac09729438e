"""Development check of the backlink importers on real exports (not part of the test suite).

Imports every file of a folder of backlink exports, each into its own fresh project, and prints
per file the format found, rows read, backlinks (or domain / page / anchor rows) written,
distinct referring domains, rows skipped and the time taken. A file no format recognises is
tried once more through the column mappings below (exports of tools that have no format of
their own); a file that still fails prints its one-sentence error instead.

    python benchmarks/backlinks_check.py [FOLDER]

FOLDER defaults to ``../shared/data/backlinks`` next to the repository.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from linkequity.errors import LinkEquityError
from linkequity.ingest import BacklinkImportSummary, import_backlinks
from linkequity.store import Store

DEFAULT_FOLDER = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "backlinks"

#: Column mappings for link-check reports whose layout is no tool's: (header, mapping).
MAPPINGS: tuple[tuple[frozenset[str], dict[str, str]], ...] = (
    (
        frozenset({"URL", "Backlink", "Anchor", "Rel"}),
        {"referring_url": "URL", "target_url": "Backlink", "anchor": "Anchor", "rel": "Rel"},
    ),
)


def _import(path: Path, work: Path) -> tuple[BacklinkImportSummary, float, str]:
    project = work / f"{path.stem}.duckdb"
    started = time.perf_counter()
    try:
        with Store(project) as store:
            summary = import_backlinks(store, [path])
        return summary, time.perf_counter() - started, ""
    except LinkEquityError as first:
        project.unlink(missing_ok=True)
        header = set(path.read_text(encoding="utf-8-sig", errors="replace").split("\n", 1)[0]
                     .replace('"', "").split(","))  # fmt: skip
        for columns, mapping in MAPPINGS:
            if columns <= header:
                with Store(project) as store:
                    summary = import_backlinks(store, [path], mapping=mapping)
                note = "mapped: " + ", ".join(f"{f}={c}" for f, c in mapping.items())
                return summary, time.perf_counter() - started, note
        raise first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    folder = parser.parse_args().folder
    print(
        f"{'file':42} {'format':18} {'report':17} {'rows':>6} {'written':>7} {'backlinks':>9} "
        f"{'domains':>7} {'seconds':>7}  skipped"
    )
    with tempfile.TemporaryDirectory(prefix="backlinks-check-") as tmp:
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            try:
                summary, seconds, note = _import(path, Path(tmp))
            except LinkEquityError as exc:
                print(f"{path.name:42} error: {exc}")
                continue
            (f,) = summary.files
            skipped = ", ".join(f"{k} {n:,}" for k, n in f.skipped) or "-"
            print(
                f"{path.name:42} {f.format:18} {f.report:17} {f.rows:>6,} {f.written:>7,} "
                f"{f.links:>9,} {f.domains:>7,} {seconds:>7.2f}  {skipped}"
                + (f"  ({note})" if note else "")
            )


if __name__ == "__main__":
    main()
