"""Google disavow files: read, merge, whitelist, diff, validate and write them (plan stage).

The format (Search Console help, "Disavow links to your site"): one entry a line, either a URL
or ``domain:`` and a domain name (which covers its subdomains); ``#`` starts a comment line. The
file must be UTF-8 or 7-bit ASCII, at most 2 MB and 100,000 lines, and no URL longer than 2,048
characters. A file that breaks these is refused whole by Search Console, so :func:`render`
refuses to produce one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from linkequity.backlinks.profile import backlink_table, referring_domains, toxic_links
from linkequity.errors import ConfigError, ImportFormatError
from linkequity.settings import BacklinkSettings
from linkequity.store import Store

__all__ = [
    "MAX_BYTES",
    "MAX_LINES",
    "MAX_URL_LENGTH",
    "Candidate",
    "DisavowEntry",
    "DisavowFile",
    "candidates",
    "diff",
    "disavow_plan",
    "is_whitelisted",
    "merge",
    "proposals",
    "read_disavow",
    "read_whitelist",
    "render",
]

#: Search Console's limits.
MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 100_000
MAX_URL_LENGTH = 2048


@dataclass(frozen=True, slots=True)
class DisavowEntry:
    """One line of a disavow file: a whole domain or one URL, and why."""

    kind: str
    """``domain`` or ``url``."""
    value: str
    """A lower-case domain name, or a URL as given."""
    reason: str = ""
    added: date | None = None

    @property
    def line(self) -> str:
        """The entry as it appears in the file."""
        return f"domain:{self.value}" if self.kind == "domain" else self.value


@dataclass(frozen=True, slots=True)
class DisavowFile:
    """The entries of a disavow file, in order, without duplicates."""

    entries: tuple[DisavowEntry, ...]

    @property
    def domains(self) -> frozenset[str]:
        return frozenset(e.value for e in self.entries if e.kind == "domain")

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(e.value for e in self.entries if e.kind == "url")


def _domain_ok(name: str) -> bool:
    labels = name.split(".")
    return len(labels) >= 2 and all(
        0 < len(label) <= 63 and label.replace("-", "").replace("_", "").isalnum()
        for label in labels
    )


def parse_line(text: str, where: Path, row: int) -> DisavowEntry | None:
    """One line of a disavow file; None for blank and comment lines."""
    line = text.strip()
    if not line or line.startswith("#"):
        return None
    if line.lower().startswith("domain:"):
        name = line[7:].strip().lower().rstrip(".")
        if not _domain_ok(name):
            raise ImportFormatError(f"{name!r} is not a domain name.", where, row)
        return DisavowEntry("domain", name)
    parts = urlsplit(line)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImportFormatError(f"{line[:80]!r} is neither a URL nor a domain: entry.", where, row)
    if len(line) > MAX_URL_LENGTH:
        raise ImportFormatError(
            f"the URL is {len(line):,} characters long; the limit is {MAX_URL_LENGTH:,}.",
            where,
            row,
        )
    return DisavowEntry("url", line)


def read_disavow(path: Path) -> DisavowFile:
    """Read an existing disavow file (the one Search Console has now)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"cannot be read: {exc.strerror}.", path) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError("a disavow file must be UTF-8 or ASCII text.", path) from exc
    entries: dict[str, DisavowEntry] = {}
    for row, line in enumerate(text.splitlines(), start=1):
        entry = parse_line(line, path, row)
        if entry is not None:
            entries.setdefault(entry.line, entry)
    return DisavowFile(tuple(entries.values()))


def read_whitelist(path: Path) -> frozenset[str]:
    """Domains never to disavow, one a line (``domain:`` prefix and ``#`` comments allowed)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFormatError("cannot be read as UTF-8 text.", path) from exc
    domains = set()
    for row, raw in enumerate(lines, start=1):
        line = raw.strip().lower()
        if not line or line.startswith("#"):
            continue
        name = line.removeprefix("domain:").strip()
        if "://" in name:
            name = urlsplit(name).hostname or ""
        name = name.removeprefix("www.").rstrip(".")
        if not _domain_ok(name):
            raise ImportFormatError(f"{raw.strip()!r} is not a domain name.", path, row)
        domains.add(name)
    return frozenset(domains)


def is_whitelisted(host: str, whitelist: Iterable[str]) -> bool:
    """Whether ``host`` is a whitelisted domain or one of its subdomains."""
    host = host.lower().rstrip(".")
    return any(host == w or host.endswith("." + w) for w in whitelist)


def _host(entry: DisavowEntry) -> str:
    return entry.value if entry.kind == "domain" else (urlsplit(entry.value).hostname or "")


def merge(
    existing: DisavowFile | None,
    proposed: Iterable[DisavowEntry],
    whitelist: frozenset[str] = frozenset(),
) -> tuple[DisavowFile, tuple[DisavowEntry, ...]]:
    """The existing entries, then the proposed ones not already covered; none whitelisted.

    A URL is covered when its domain (or a parent domain) is disavowed. Returns the merged
    file and the entries dropped because the whitelist protects them (existing ones included:
    a whitelist is the user's final word).
    """
    kept: dict[str, DisavowEntry] = {}
    dropped: list[DisavowEntry] = []
    for entry in [*(existing.entries if existing else ()), *proposed]:
        if is_whitelisted(_host(entry), whitelist):
            dropped.append(entry)
            continue
        kept.setdefault(entry.line, entry)
    domains = {e.value for e in kept.values() if e.kind == "domain"}
    merged = tuple(
        e for e in kept.values() if e.kind == "domain" or not is_whitelisted(_host(e), domains)
    )
    return DisavowFile(merged), tuple(dropped)


def render(disavow: DisavowFile, today: date, site: str = "") -> str:
    """The file's text: a header, then each entry under a comment with its reason and date.

    Raises :class:`~linkequity.errors.ConfigError` when the result would break Search
    Console's limits, naming the limit.
    """
    lines = [f"# Disavow file{' for ' + site if site else ''}, written by linkequity on {today}."]
    lines.append(f"# {len(disavow.domains)} domains, {len(disavow.urls)} URLs.")
    for entry in disavow.entries:
        if entry.reason or entry.added:
            when = f" ({entry.added})" if entry.added else ""
            lines.append(f"# {entry.reason}{when}".replace("\n", " "))
        lines.append(entry.line)
    text = "\n".join(lines) + "\n"
    count = len(lines)
    if count > MAX_LINES:
        raise ConfigError(
            f"The disavow file would have {count:,} lines; Search Console accepts at most "
            f"{MAX_LINES:,}. Disavow whole domains instead of URLs."
        )
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise ConfigError(
            f"The disavow file would be {size:,} bytes; Search Console accepts at most "
            f"{MAX_BYTES:,}. Disavow whole domains instead of URLs."
        )
    for entry in disavow.entries:
        if entry.kind == "url" and len(entry.value) > MAX_URL_LENGTH:
            raise ConfigError(
                f"The URL {entry.value[:60]}... is {len(entry.value):,} characters long; "
                f"Search Console accepts at most {MAX_URL_LENGTH:,}."
            )
    return text


def diff(before: DisavowFile | None, after: DisavowFile) -> list[str]:
    """Entry lines removed (``-``) then added (``+``), each sorted; comments ignored."""
    old = {e.line for e in before.entries} if before else set()
    new = {e.line for e in after.entries}
    return [f"-{line}" for line in sorted(old - new)] + [f"+{line}" for line in sorted(new - old)]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A referring domain that could be disavowed."""

    domain: str
    toxicity: float
    """The domain's toxicity, 0-100: its most toxic link's."""
    signals: tuple[str, ...]
    """The toxicity signals that fired for its toxic links, sorted."""


def proposals(domains: Iterable[Candidate], threshold: float, day: date) -> list[DisavowEntry]:
    """Domain entries for referring domains whose toxicity reaches ``threshold``; each
    entry's reason names the score and the signals."""
    return [
        DisavowEntry("domain", d.domain, f"toxicity {d.toxicity:.0f}: {', '.join(d.signals)}", day)
        for d in sorted(domains, key=lambda d: (-d.toxicity, d.domain))
        if d.toxicity >= threshold
    ]


def candidates(store: Store, settings: BacklinkSettings) -> list[Candidate]:
    """Every referring domain with its toxicity, and the signals that fired for its links
    whose toxicity reaches ``disavow_threshold``."""
    links = backlink_table(store, None, settings)  # built once: it scores every backlink
    domains = referring_domains(store, links, "toxicity").to_pylist()
    toxic = toxic_links(store, links, settings.disavow_threshold)
    signals: dict[str, set[str]] = {}
    for row in toxic.select(["referring_domain", "signals"]).to_pylist():
        signals.setdefault(row["referring_domain"], set()).update(row["signals"])
    return [
        Candidate(d["domain"], d["toxicity"] or 0.0, tuple(sorted(signals.get(d["domain"], ()))))
        for d in domains
    ]


def disavow_plan(
    store: Store,
    existing: Path | None,
    whitelist: Path | None,
    settings: BacklinkSettings,
    today: date,
) -> tuple[DisavowFile, DisavowFile | None, tuple[DisavowEntry, ...]]:
    """(the merged disavow file, the existing one, entries the whitelist kept out).

    Proposes every referring domain whose toxicity reaches ``disavow_threshold``.
    """
    proposed = proposals(candidates(store, settings), settings.disavow_threshold, today)
    old = read_disavow(existing) if existing is not None else None
    keep = read_whitelist(whitelist) if whitelist is not None else frozenset()
    merged, dropped = merge(old, proposed, keep)
    return merged, old, dropped
