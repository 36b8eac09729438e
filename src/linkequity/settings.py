"""Typed settings with defaults and help, from ``linkequity.toml`` and flags (foundation stage).

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
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints, overload

from linkequity.errors import ConfigError
from linkequity.urls import DEFAULT_STRIP_PARAMS

__all__ = [
    "SECTIONS",
    "AuditSettings",
    "BacklinkSettings",
    "CrawlSettings",
    "EquitySettings",
    "load_settings",
    "setting",
    "settings_help",
]

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
        "Query parameters removed from every URL (glob patterns, e.g. utm_*): by default the "
        "tracking parameters and the session ids (jsessionid, phpsessid, sid, sessionid, "
        "session_id), also as ;name=value path parameters (;jsessionid=).",
    )
    max_url_length: int = setting(
        2048,
        "URLs longer than this many characters are held back, not crawled (2,048 is the "
        "longest URL the sitemap protocol allows and the longest some browsers handled).",
    )
    max_query_params: int = setting(
        8,
        "URLs with more distinct query parameters than this are held back, not crawled.",
    )
    max_segment_repeats: int = setting(
        2,
        "URLs whose path has one segment more often than this (/x/x/x/, /a/b/a/b/a/b/; digits "
        "count as one, numbers alone not at all) are held back: the mark of a relative link "
        "that deepens the path on every page.",
    )
    detect_traps: bool = setting(
        True,
        "Watch URL patterns (one template, varying values: ?month=*, /page/{n}/) and hold "
        "back those whose pages keep saying the same thing, and facet combinations beyond "
        "max_facets; every held-back pattern is reported as a crawl_trap finding.",
    )
    trap_examples: int = setting(
        5,
        "Pages of a URL pattern crawled before the rest of the pattern waits for their "
        "verdict: the pattern is held back when most of its latest this-many pages repeat "
        "one another (the same text but for numbers, or all but a word or two while adding "
        "no new link), and crawled on otherwise. Also the facet combinations crawled per path.",
    )
    max_facets: int = setting(
        2,
        "URLs of one path that set more query parameters than this at once (?color=red&"
        "size=m&brand=x) are faceted navigation: trap_examples of them are crawled per path, "
        "the rest held back.",
    )
    store_text: bool = setting(
        True,
        "Keep each page's own text (its content region, without the navigation, header, "
        "footer and sidebar) and headings, compressed, for topics and link recommendations.",
    )
    text_limit: int = setting(
        30_000,
        "Characters of a page's own text kept (cut at a word); the rest of a long page is "
        "not stored.",
    )
    follow_nofollow: bool = setting(
        False, "Also crawl URLs found only through rel=nofollow links or on meta-nofollow pages."
    )
    use_sitemaps: bool = setting(
        True,
        "Read XML sitemaps (robots.txt Sitemap: lines, the start page's <link rel=sitemap>, "
        "the sitemaps setting, and sitemap.xml, sitemap_index.xml, wp-sitemap.xml in the "
        "start URL's folder and each parent) and crawl their URLs after the link crawl, so "
        "orphan pages are found.",
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

    def __post_init__(self) -> None:
        for name in ("max_url_length", "max_query_params", "max_facets"):
            if getattr(self, name) < 1:
                raise ConfigError(f"setting {name!r} must be at least 1.")
        if self.max_segment_repeats < 1:
            raise ConfigError("setting 'max_segment_repeats' must be at least 1.")
        if self.trap_examples < 2:
            raise ConfigError("setting 'trap_examples' must be at least 2.")

    def to_json(self) -> str:
        """The settings as JSON (stored with each crawl so it can be resumed)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CrawlSettings:
        """Settings stored by :meth:`to_json`."""
        return _build(cls, json.loads(text), "the stored crawl settings")


@dataclass(frozen=True, slots=True)
class EquitySettings:
    """How internal links share out equity: the equity model's constants."""

    damping: float = setting(
        0.85,
        "Share of a page's equity passed on through its links; the rest is spread by the "
        "teleport vector (0.85 is the value of the original PageRank paper).",
    )
    tolerance: float = setting(
        1e-10, "The solver stops when the L1 residual of the scores falls below this."
    )
    max_iterations: int = setting(
        1000, "The solver gives up (ConvergenceError) after this many iterations."
    )
    duplicate_links: Literal["first", "all"] = setting(
        "first",
        "'first': of several links from one page to one target only the first counts "
        "(Google's first-link-counts practice); 'all': every occurrence takes a share.",
    )
    # Google publishes no weights. The reasonable-surfer patent (US 7,716,225) ranks links by
    # features such as position; these defaults keep its order (content first, footer last) and
    # were chosen so that a navigation link on every page still passes about half of what a link
    # in the content does.
    weight_content: float = setting(1.0, "Weight of a link in the main content.")
    weight_navigation: float = setting(0.5, "Weight of a link in navigation (nav, menus).")
    weight_header: float = setting(0.4, "Weight of a link in the page header.")
    weight_sidebar: float = setting(0.4, "Weight of a link in a sidebar or aside.")
    weight_footer: float = setting(0.2, "Weight of a link in the page footer.")
    weight_unknown: float = setting(
        0.7, "Weight of a link whose position could not be told from the HTML."
    )
    nofollow: Literal["evaporate", "exclude", "follow"] = setting(
        "evaporate",
        "rel=nofollow links (and every link of a meta-nofollow page): 'evaporate' takes a "
        "share and passes nothing (Google since 2009), 'exclude' ignores the link, 'follow' "
        "passes equity.",
    )
    sponsored: Literal["evaporate", "exclude", "follow"] = setting(
        "evaporate", "rel=sponsored links: 'evaporate', 'exclude' or 'follow' (see nofollow)."
    )
    ugc: Literal["evaporate", "exclude", "follow"] = setting(
        "evaporate", "rel=ugc links: 'evaporate', 'exclude' or 'follow' (see nofollow)."
    )
    external_weight: float = setting(
        0.5,
        "Share of the random jumps (the teleport) that land where backlinks point, in "
        "proportion to their strength (authority x follow x (1 - toxicity)); the rest lands "
        "uniformly. 0 gives pure internal PageRank; scores without backlinks are always "
        "reported beside. An assumption, not a measurement: visitors arriving from links.",
    )
    include_non_html: bool = setting(
        False,
        "Count links to non-HTML resources (PDF, images) as pages that hold equity; by "
        "default such links are left out of the share-out.",
    )
    relevance_weight: float = setting(
        0.0,
        "How far a link's weight leans toward the text similarity of its two pages (the "
        "cosine of their TF-IDF vectors): weight x ((1 - r) + r x cosine). 0 weighs links by "
        "position alone; 1 makes a link between unrelated pages count for nothing. A model "
        "choice, not a measurement: the 'relevance between linking and target page' that "
        "reasonable-surfer models assume. Links from or to a page without text keep their "
        "position weight; page_scores keeps the scores without it beside.",
    )

    def __post_init__(self) -> None:
        if not 0.0 < self.damping < 1.0:
            raise ConfigError(f"setting 'damping' must be between 0 and 1, not {self.damping}.")
        if self.tolerance <= 0:
            raise ConfigError("setting 'tolerance' must be greater than 0.")
        if not 0.0 <= self.external_weight <= 1.0:
            raise ConfigError("setting 'external_weight' must be between 0 and 1.")
        if not 0.0 <= self.relevance_weight <= 1.0:
            raise ConfigError("setting 'relevance_weight' must be between 0 and 1.")

    def position_weights(self) -> dict[str, float]:
        """Link position -> weight."""
        return {
            "content": self.weight_content,
            "navigation": self.weight_navigation,
            "header": self.weight_header,
            "sidebar": self.weight_sidebar,
            "footer": self.weight_footer,
            "unknown": self.weight_unknown,
        }

    def to_json(self) -> str:
        """The settings as JSON (stored with each analysis)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)


#: Anchors that say nothing about their target, in the languages sites are most often written
#: in; compared after lower-casing and collapsing whitespace and trailing punctuation.
GENERIC_ANCHORS: tuple[str, ...] = (
    # English
    "click here", "here", "read more", "more", "learn more", "find out more", "more info",
    "continue", "continue reading", "this", "link", "this link", "website", "go", "details",
    "view", "view more", "see more", "next", "previous", "shop now", "buy now", "download",
    "next post", "previous post", "older posts", "newer posts", "next page", "previous page",
    # Spanish
    "haga clic aquí", "haz clic aquí", "clic aquí", "aquí", "leer más", "más", "ver más",
    "más información", "siguiente", "anterior",
    # French
    "cliquez ici", "ici", "lire la suite", "en savoir plus", "plus", "voir plus", "suivant",
    "précédent",
    # German
    "hier klicken", "hier", "mehr", "weiterlesen", "mehr erfahren", "mehr lesen", "weiter",
    "zurück",
    # Italian, Portuguese, Dutch
    "clicca qui", "qui", "leggi di più", "clique aqui", "aqui", "saiba mais", "leia mais",
    "klik hier", "lees meer", "meer",
)  # fmt: skip


#: Anchors of pagination and of next / previous links between pages of a sequence, compared
#: like generic anchors (arrows and trailing punctuation dropped: "« Previous" is "previous").
PAGINATION_ANCHORS: tuple[str, ...] = (
    "next", "previous", "prev", "next page", "previous page", "next post", "previous post",
    "older posts", "newer posts", "older entries", "newer entries", "older", "newer",
    "next topic", "previous topic", "next chapter", "previous chapter", "next article",
    "previous article", "first", "last", "first page", "last page",
    "siguiente", "anterior", "suivant", "précédent", "weiter", "zurück", "nächste",
    "vorherige", "successivo", "precedente", "próximo", "volgende", "vorige",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class AuditSettings:
    """Thresholds of the structure and anchor findings."""

    deep_page_depth: int = setting(
        3,
        "Pages more clicks than this from the start URL are reported as deep "
        "(the 'three clicks from home' rule of thumb).",
    )
    max_links_per_page: int = setting(
        1000,
        "Pages with more internal and external links than this are reported. Google's old "
        "guideline asked for 'a reasonable number, a few thousand at most'.",
    )
    generic_anchors: tuple[str, ...] = setting(
        GENERIC_ANCHORS,
        "Anchor texts that say nothing about their target (any language); reported only for "
        "links in the content: in menus, footers and pagers such words are how navigation "
        "reads.",
    )
    pagination_anchors: tuple[str, ...] = setting(
        PAGINATION_ANCHORS,
        "Anchor texts of pagination and next / previous navigation (Sphinx, MkDocs, "
        "WordPress pagers): never reported as generic anchors, wherever they sit.",
    )
    keywords_file: str | None = setting(
        None,
        "CSV file of url,keyword: the keyword each page targets. Content anchors equal to a "
        "given keyword are judged for over-optimisation; without one, a page's h1 or title is "
        "its keyword, shown in the anchors table but not judged (linking a page by its name "
        "is how sites link).",
    )
    exact_match_share: float = setting(
        0.8,
        "A page whose content links use its given keyword as anchor more often than this "
        "share is reported (navigation repeats one anchor by design, so only content links "
        "are judged).",
    )
    min_anchor_links: int = setting(
        10, "Anchor shares are judged only for targets with at least this many content links."
    )
    priority_urls: tuple[str, ...] = setting(
        (),
        "Regular expressions for the pages that matter most; by default the start page's "
        "navigation and header links and top-level sections are taken as priority pages.",
    )
    starved_percentile: float = setting(
        50.0,
        "A priority page whose score is below this percentile of all pages is reported as starved.",
    )

    def __post_init__(self) -> None:
        if not 0.0 <= self.exact_match_share <= 1.0:
            raise ConfigError("setting 'exact_match_share' must be between 0 and 1.")
        if not 0.0 <= self.starved_percentile <= 100.0:
            raise ConfigError("setting 'starved_percentile' must be between 0 and 100.")

    def to_json(self) -> str:
        """The settings as JSON (stored with each analysis)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)


#: Words of spam niches, matched as whole words in a referring domain, URL, title or anchor.
#: From the categories Google's spam policies and the big link indexes flag most (gambling,
#: pharmacy, adult, payday loans, replica goods).
SPAM_VOCABULARY: tuple[str, ...] = (
    "casino", "poker", "slots", "betting", "bet", "gambling", "roulette", "blackjack",
    "viagra", "cialis", "levitra", "pharmacy", "pills", "tramadol", "xanax", "cbd",
    "porn", "xxx", "sex", "adult", "escort", "camgirls", "dating",
    "payday", "loans", "crypto-signals", "replica", "essay-writing", "followers",
)  # fmt: skip

#: Words that make an anchor commercial ("buy cheap tents"), in a few languages.
COMMERCIAL_WORDS: tuple[str, ...] = (
    "buy", "cheap", "best", "price", "prices", "discount", "deal", "deals", "sale", "order",
    "shop", "coupon", "free", "online", "comprar", "barato", "acheter", "pas cher", "kaufen",
    "billig", "günstig", "comprare", "economico",
)  # fmt: skip

#: TLDs most abused for spam in Spamhaus' "most abused top level domains" listings.
SPAM_TLDS: tuple[str, ...] = (
    "xyz", "top", "loan", "click", "work", "gq", "cf", "tk", "ml", "ga", "buzz", "icu",
    "cyou", "rest", "bar", "monster", "sbs",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BacklinkSettings:
    """How backlinks are classified, scored for toxicity and turned into disavow entries."""

    brand_terms: tuple[str, ...] = setting(
        (), "Words of the brand; anchors containing one are 'branded'. Default: the site's name."
    )
    site_language: str | None = setting(
        None,
        "The site's language (ISO 639-1, e.g. 'en'); links from pages in others count "
        "as unrelated language. None: not judged.",
    )
    default_authority: float = setting(
        10.0,
        "Authority (0-100) assumed for a backlink whose export gives none, e.g. Search "
        "Console's: low, so an unknown link cannot outweigh a measured one.",
    )
    nofollow_weight: float = setting(
        0.0, "Strength of a nofollow / sponsored / ugc backlink relative to a followed one."
    )
    spam_vocabulary: tuple[str, ...] = setting(
        SPAM_VOCABULARY, "Words of spam niches (gambling, pharmacy, adult, loans, ...)."
    )
    commercial_words: tuple[str, ...] = setting(
        COMMERCIAL_WORDS, "Words that make an anchor commercial."
    )
    spam_tlds: tuple[str, ...] = setting(SPAM_TLDS, "Top-level domains most abused by spam.")
    weight_tool_spam_flag: float = setting(
        40.0, "Toxicity added when the export's tool flags the link or domain as spam."
    )
    weight_spam_vocabulary: float = setting(
        35.0, "Toxicity added for spam-niche words in the referring domain, URL, title or anchor."
    )
    weight_low_authority_many_outlinks: float = setting(
        20.0,
        "Toxicity added when the referring page has low authority (under 10) and many "
        "outbound links (over 100): the shape of link farms.",
    )
    weight_commercial_anchor: float = setting(
        15.0, "Toxicity added for a commercial, non-branded anchor (e.g. 'buy cheap tents')."
    )
    weight_sitewide: float = setting(
        10.0,
        "Toxicity added when one referring domain links from 50 or more pages (a sitewide "
        "footer or blogroll link).",
    )
    weight_unrelated_language: float = setting(
        10.0, "Toxicity added when the referring page is in another language than the site."
    )
    weight_redirect: float = setting(
        10.0, "Toxicity added when the link reaches the site through a redirect on another domain."
    )
    weight_spam_tld: float = setting(
        10.0, "Toxicity added when the referring domain is under a TLD most abused by spam."
    )
    disavow_threshold: float = setting(
        60.0, "Referring domains whose toxicity reaches this are proposed for the disavow file."
    )

    def to_json(self) -> str:
        """The settings as JSON (stored with each analysis)."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)


#: linkequity.toml table of each settings group.
SECTIONS: dict[type[Any], str] = {
    CrawlSettings: "crawl",
    EquitySettings: "equity",
    AuditSettings: "audit",
    BacklinkSettings: "backlinks",
}


def _coerce(name: str, hint: Any, value: Any, where: str) -> Any:
    args = [a for a in get_args(hint) if a is not type(None)]
    optional = len(args) < len(get_args(hint))
    kind = args[0] if optional and len(args) == 1 else hint
    kind = get_origin(kind) or kind
    if value is None:
        if optional:
            return None
        raise ConfigError(f"{where}: setting {name!r} cannot be empty.")
    if kind is Literal:
        choices = get_args(args[0] if optional and len(args) == 1 else hint)
        if value not in choices:
            known = ", ".join(repr(c) for c in choices)
            raise ConfigError(f"{where}: setting {name!r} must be one of {known}.")
        return value
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


@overload
def load_settings(
    path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> CrawlSettings: ...


@overload
def load_settings(
    path: str | Path | None, overrides: Mapping[str, Any] | None, group: type[T]
) -> T: ...


def load_settings(
    path: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    group: type[Any] = CrawlSettings,
) -> Any:
    """One group of settings (crawl by default) from ``linkequity.toml`` with overrides applied.

    The file's table for the group (``[crawl]``, ``[equity]``, ``[audit]``) is read when the
    file exists; overrides that are None are ignored (flags not given).
    """
    section = SECTIONS[group]
    values: dict[str, Any] = {}
    where = "command-line flags"
    if path is not None and Path(path).exists():
        where = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}.") from exc
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{section}] must be a table.")
        values.update(table)
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return _build(group, values, where)


def settings_help(cls: type[Any] = CrawlSettings) -> list[tuple[str, str, str]]:
    """(name, default, help) of every setting of a settings class."""
    return [(f.name, repr(f.default), str(f.metadata.get("help", ""))) for f in fields(cls)]
