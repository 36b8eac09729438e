"""Typed settings with their defaults and help text, read from ``linkequity.toml`` and flags.

Every setting is a dataclass field whose metadata carries ``help``; a test fails when one lacks
it. A ``linkequity.toml`` file has one table per group (``[crawl]``); command-line flags given
explicitly override the file.

>>> CrawlSettings().concurrency
8
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from linkequity.errors import ConfigError
from linkequity.urls import DEFAULT_STRIP_PARAMS

__all__ = ["CrawlSettings", "load_settings", "setting", "settings_help"]

T = TypeVar("T")


def setting(default: Any, help: str) -> Any:
    """A dataclass field with a default and its help text."""
    if isinstance(default, list | dict | set):
        raise TypeError("settings are immutable: use a tuple")
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class CrawlSettings:
    """How a crawl fetches, what it follows and how politely."""

    user_agent: str = setting(
        "Mozilla/5.0 (compatible; linkequity/0.1)",
        "User-Agent header sent with every request.",
    )
    robots_user_agent: str = setting(
        "linkequity",
        "Product token matched against robots.txt User-agent groups.",
    )
    obey_robots: bool = setting(
        True, "Obey robots.txt: disallowed URLs are recorded as blocked, never requested."
    )
    include_subdomains: bool = setting(
        False, "Crawl every host of the start URL's registrable domain, not only the start host."
    )
    include: tuple[str, ...] = setting(
        (), "Regular expressions; when given, only URLs matching one of them are crawled."
    )
    exclude: tuple[str, ...] = setting(
        (), "Regular expressions; URLs matching any of them are not crawled."
    )
    max_pages: int | None = setting(
        None, "Stop after this many URLs (fetched or blocked); None means no limit."
    )
    max_depth: int | None = setting(
        None, "Do not follow links deeper than this many clicks from the start URL."
    )
    strip_params: tuple[str, ...] = setting(
        DEFAULT_STRIP_PARAMS,
        "Query parameters removed from every URL (glob patterns, e.g. utm_*).",
    )
    follow_nofollow: bool = setting(
        False, "Also crawl URLs found only through rel=nofollow links or on meta-nofollow pages."
    )
    use_sitemaps: bool = setting(
        True,
        "Read XML sitemaps (robots.txt Sitemap: lines, else /sitemap.xml) and crawl their "
        "URLs after the link crawl, so orphan pages are found.",
    )
    sitemaps: tuple[str, ...] = setting((), "Extra sitemap URLs to read.")
    concurrency: int = setting(8, "Requests in flight per host.")
    delay: float = setting(
        0.0, "Minimum seconds between two requests to one host (robots.txt Crawl-delay wins)."
    )
    autothrottle: bool = setting(
        True,
        "Adapt the delay to the server's latency and back off when it slows down "
        "(like Scrapy's AutoThrottle).",
    )
    max_delay: float = setting(30.0, "Upper bound of the adaptive delay, in seconds.")
    timeout: float = setting(30.0, "Seconds before a request is abandoned (then retried).")
    retries: int = setting(2, "Retries after a timeout, a connection error or a 5xx / 429 answer.")
    max_retry_after: float = setting(
        120.0, "Longest Retry-After (429 / 503) honoured, in seconds; longer waits are capped."
    )
    max_response_bytes: int = setting(
        10_000_000, "Responses are read up to this many bytes (after decompression)."
    )
    proxy: str | None = setting(None, "HTTP proxy URL for every request.")
    resolve: tuple[str, ...] = setting(
        (),
        "Host name overrides like curl's --resolve, as 'host:address' (e.g. "
        "'www.example.com:127.0.0.1'): crawl a staging server under the site's real name.",
    )
    workers: int | None = setting(
        None,
        "Processes that parse HTML beside the fetching one; 0 parses in the fetching process; "
        "None: one if the machine has more than one core.",
    )
    batch_pages: int = setting(
        100,
        "Pages written to the project per transaction (the most a kill can lose). Measured on "
        "50 KB pages: 100 costs 4% more CPU than 500 and 100 MB less peak memory.",
    )
    store_memory_mb: int = setting(
        64,
        "Memory the project file's database (DuckDB) may use while crawling, in MB; beyond it "
        "DuckDB drops cached data and spills large queries to disk. Without a bound its cache "
        "grew with the site (+50 MB from 5,000 to 20,000 benchmark pages); 64 costs ~3% CPU.",
    )

    def to_json(self) -> str:
        """The settings as JSON (stored with each crawl so it can be resumed)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CrawlSettings:
        """Settings stored by :meth:`to_json`."""
        return _build(cls, json.loads(text), "the stored crawl settings")


def _coerce(name: str, hint: Any, value: Any, where: str) -> Any:
    args = [a for a in get_args(hint) if a is not type(None)]
    optional = len(args) < len(get_args(hint))
    kind = args[0] if optional and len(args) == 1 else hint
    kind = get_origin(kind) or kind
    if value is None:
        if optional:
            return None
        raise ConfigError(f"{where}: setting {name!r} cannot be empty.")
    if kind is tuple:
        if not isinstance(value, list | tuple):
            raise ConfigError(f"{where}: setting {name!r} must be a list of strings.")
        return tuple(str(v) for v in value)
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: setting {name!r} must be true or false.")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{where}: setting {name!r} must be a whole number >= 0.")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"{where}: setting {name!r} must be a number >= 0.")
        return float(value)
    if not isinstance(value, str):
        raise ConfigError(f"{where}: setting {name!r} must be a string.")
    return value


def _build(cls: type[T], values: Mapping[str, Any], where: str) -> T:
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}."
        )
    kwargs = {k: _coerce(k, hints[k], v, where) for k, v in values.items()}
    return cls(**kwargs)


def load_settings(
    path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> CrawlSettings:
    """Crawl settings from ``linkequity.toml`` (if given and present) with overrides applied."""
    values: dict[str, Any] = {}
    where = "command-line flags"
    if path is not None and Path(path).exists():
        where = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}.") from exc
        crawl = data.get("crawl", {})
        if not isinstance(crawl, dict):
            raise ConfigError(f"{path}: [crawl] must be a table.")
        values.update(crawl)
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return _build(CrawlSettings, values, where)


def settings_help(cls: type[Any] = CrawlSettings) -> list[tuple[str, str, str]]:
    """(name, default, help) of every setting of a settings class."""
    return [(f.name, repr(f.default), str(f.metadata.get("help", ""))) for f in fields(cls)]
