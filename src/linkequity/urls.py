"""URL normalisation, href resolution, registrable domains and crawl scope (foundation stage).

Every URL linkequity stores goes through :func:`normalise_url`, so the same page always has the
same string: lower-case scheme and host, no default port, dot segments resolved, percent-encoding
made canonical, tracking and session-id parameters removed (from the query, and ``;name=value``
path parameters such as ``;jsessionid=``), fragment dropped.

Resolution of hrefs is the hot path of a crawl: a templated site repeats the same navigation
links on every page, so :class:`Resolver` caches the normalised form of every absolute string it
has seen. Resolving an href against its base is then only a string concatenation (RFC 3986
"merge"), and normalising it (dot segments included) happens once per distinct target.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

import tldextract

from linkequity.errors import ConfigError

__all__ = [
    "DEFAULT_STRIP_PARAMS",
    "LinkTargets",
    "Resolver",
    "Scope",
    "first_folder",
    "netloc_of",
    "normalise_url",
    "query_names",
    "registrable_domain",
    "special_scheme",
    "url_pattern",
]

#: Query parameters that only track a visit; removing them merges URLs that are the same page.
#: Google Analytics (utm_*), Google/Microsoft/Facebook click ids, Mailchimp, HubSpot, Matomo.
DEFAULT_STRIP_PARAMS: tuple[str, ...] = (
    "utm_*",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "fbclid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "mtm_*",
    "pk_*",
    # Session ids: a server that puts the visitor's session in its URLs gives every page a
    # new address per visit (Java servlets' ;jsessionid=, PHP's PHPSESSID, and the rest).
    "jsessionid",
    "phpsessid",
    "sid",
    "sessionid",
    "session_id",
)

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_PERCENT = re.compile(r"%([0-9a-fA-F]{2})")
# A ``;name=value`` path parameter (RFC 3986 section 3.3), as Java servlets add ;jsessionid=.
_PATH_PARAM = re.compile(r";([^/;=]*)=[^/;]*")
_DIGITS = re.compile(r"[0-9]+")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters left as they are when re-quoting: reserved ones keep their meaning, '%' keeps
# existing escapes (made canonical separately).
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/?%:@!$&'()*+,;=-._~"
_DEFAULT_PORTS = {"http": "80", "https": "443"}
# The public suffix list bundled inside tldextract; an empty URL list means it is never fetched.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def special_scheme(href: str) -> str | None:
    """The scheme of an href that is not http(s) (``mailto``, ``javascript``, ...), else None."""
    m = _SCHEME.match(href)
    if m is None:
        return None
    scheme = m.group(1).lower()
    return None if scheme in ("http", "https") else scheme


def _canonical_escape(m: re.Match[str]) -> str:
    char = chr(int(m.group(1), 16))
    return char if char in _UNRESERVED else "%" + m.group(1).upper()


def _remove_dot_segments(path: str) -> str:
    # RFC 3986 section 5.2.4, written over split segments.
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
        elif seg == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(seg)
    result = "/".join(out)
    return result if result.startswith("/") else "/" + result


def _param_matcher(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(fnmatch.translate(p.lower()) for p in patterns))


@lru_cache(maxsize=64)
def _compiled_params(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return _param_matcher(patterns)


def _kept_path_param(m: re.Match[str], names: re.Pattern[str]) -> str:
    return "" if names.match(m.group(1).lower()) else m.group(0)


def _normalise_host(host: str) -> str:
    host = host.rstrip(".").lower()
    if host and not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return host
    return host


# A URL that normalisation can only change by its dot segments: lower-case http(s) scheme and
# host, a port without leading zeros, a path of unreserved characters and no query, fragment,
# user or percent-escape. Most links of a site are such URLs; returning them costs ~0.6 us
# against ~2.4 us for the general path below. Every new link target of a crawl is normalised
# once (~12 a page on the benchmark's shop).
_PLAIN = re.compile(r"(https?)://([a-z0-9.\-]+)(?::([1-9][0-9]{0,4}))?(/[A-Za-z0-9\-._~/]*)")


def normalise_url(url: str, strip_params: tuple[str, ...] = DEFAULT_STRIP_PARAMS) -> str | None:
    """The canonical string of an absolute http(s) URL, or None if it is not one.

    >>> normalise_url("HTTP://Example.COM:80/a/./b/../c?utm_source=x&id=1#top")
    'http://example.com/a/c?id=1'
    >>> normalise_url("https://example.com") , normalise_url("mailto:a@b.c")
    ('https://example.com/', None)
    """
    plain = _PLAIN.fullmatch(url)
    if plain is not None:
        scheme, host, port, path = plain.groups()
        if not host.endswith(".") and port != _DEFAULT_PORTS[scheme]:
            if port is not None and int(port) > 65535:
                return None
            if "/." in path:
                return url[: plain.start(4)] + _remove_dot_segments(path)
            return url
    return _normalise_parsed(url, strip_params)


def _normalise_parsed(url: str, strip_params: tuple[str, ...]) -> str | None:
    """:func:`normalise_url` for any string: parsed, then rebuilt part by part."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return None
    try:
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    host = _normalise_host(host)
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if port is not None and str(port) != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    path = parts.path or "/"
    if ";" in path:
        names = _compiled_params(strip_params)
        if names is not None:
            path = _PATH_PARAM.sub(lambda m: _kept_path_param(m, names), path)
    if "/." in path:
        path = _remove_dot_segments(path)
    path = quote(path, safe=_PATH_SAFE)
    if "%" in path:
        path = _PERCENT.sub(_canonical_escape, path)
    query = parts.query
    if query:
        matcher = _compiled_params(strip_params)
        if matcher is not None:
            kept = [
                p for p in query.split("&") if p and not matcher.match(p.split("=", 1)[0].lower())
            ]
            query = "&".join(kept)
        query = quote(query, safe=_QUERY_SAFE)
        if "%" in query:
            query = _PERCENT.sub(_canonical_escape, query)
    return urlunsplit((scheme, netloc, path, query, ""))


def query_names(url: str) -> tuple[str, ...]:
    """The distinct parameter names of a URL's query, sorted.

    >>> query_names("https://example.com/shop?size=m&color=red&color=blue&page")
    ('color', 'page', 'size')
    """
    query = url.partition("?")[2].partition("#")[0]
    if not query:
        return ()
    return tuple(sorted({p.split("=", 1)[0] for p in query.split("&") if p}))


def url_pattern(url: str) -> str | None:
    """The pattern a URL shares with its variants: digit runs of the path as ``{n}``, query
    values as ``*``; None for a URL with neither digits in its path nor a query.

    URLs of one pattern are the same page template with varying values: a calendar
    (``/events?month=*``), pagination (``/blog/page/{n}/``), products (``/p/{n}``).

    >>> url_pattern("https://example.com/events/2031/03/?view=month&day=1")
    'https://example.com/events/{n}/{n}/?day=*&view=*'
    >>> url_pattern("https://example.com/about/") is None
    True
    """
    base, _, _ = url.partition("?")
    scheme_end = base.find("//") + 2
    slash = base.find("/", scheme_end)
    origin, path = (base, "/") if slash < 0 else (base[:slash], base[slash:])
    names = query_names(url)
    templated = _DIGITS.sub("{n}", path)
    if not names and templated == path:
        return None
    return origin + templated + ("?" + "&".join(f"{n}=*" for n in names) if names else "")


def first_folder(url: str) -> str:
    """The first folder of a URL's path, as ``/folder/``; ``/`` for a page at the root.

    >>> first_folder("https://example.com/blog/post"), first_folder("https://example.com/about")
    ('/blog/', '/')
    """
    path = urlsplit(url).path
    first, slash, _ = path.lstrip("/").partition("/")
    return f"/{first}/" if slash and first else "/"


def netloc_of(url: str) -> str:
    """The host[:port] of a normalised URL (fast: no parsing)."""
    return url.split("/", 3)[2]


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """The registrable domain of a host (``www.shop.example.co.uk`` -> ``example.co.uk``).

    Hosts without a public suffix (IP addresses, ``localhost``) are their own domain.
    """
    host = host.rsplit("@", 1)[-1]
    if host.startswith("["):
        return host.split("]")[0] + "]"
    host = host.split(":")[0]
    domain: str = _EXTRACT(host).top_domain_under_public_suffix
    return domain or host


class Resolver:
    """Resolves hrefs against a page's base URL, caching the normalised result.

    >>> r = Resolver()
    >>> r.resolve("https://example.com/blog/post/", "../about?utm_medium=x")
    'https://example.com/blog/about'
    """

    #: Cache entries kept before the cache is emptied (this cache, Scope's and LinkTargets'
    #: each). An entry costs ~360 bytes (two URL strings and the dict slot), so 20k entries
    #: stay under ~8 MB. Template links are re-cached within a page or two after a clear;
    #: what fills the caches is one-off targets (~12 a page on the benchmark's shop), which
    #: made peak memory grow with the site at a bound of 500k. Parsing 12,000 benchmark pages
    #: cost the same CPU with 20k as with 100k entries (0.60 ms a page) and 17 MB less memory.
    MAX_CACHE = 20_000

    def __init__(self, strip_params: tuple[str, ...] = DEFAULT_STRIP_PARAMS) -> None:
        self.strip_params = strip_params
        self._cache: dict[str, str | None] = {}

    def normalise(self, absolute: str) -> str | None:
        """:func:`normalise_url` with this resolver's parameters, cached."""
        cache = self._cache
        if absolute in cache:
            return cache[absolute]
        if len(cache) >= self.MAX_CACHE:
            cache.clear()
        result = normalise_url(absolute, self.strip_params)
        cache[absolute] = result
        return result

    def resolve(self, base: str, href: str) -> str | None:
        """The normalised absolute URL an href points to from ``base``; None if not http(s).

        ``base`` must be an absolute URL (a page URL or its ``<base href>``).
        """
        if "\n" in href or "\t" in href or "\r" in href:
            href = href.replace("\n", "").replace("\t", "").replace("\r", "")
        href = href.strip()
        if not href or href[0] == "#":
            return self.normalise(base)
        first = href[0]
        if first == "/":
            if href.startswith("//"):
                return self.normalise(base.split(":", 1)[0] + ":" + href)
            return self.normalise(_origin(base) + href)
        if first == "?":
            return self.normalise(base.split("?", 1)[0].split("#", 1)[0] + href)
        if _SCHEME.match(href):
            return self.normalise(href)
        return self.normalise(_directory(base) + href)


# Every href of a page is resolved against the same base: cache the base's parts. 1,024 bases
# cover the pages in flight of any crawl (a few hundred at most).
@lru_cache(maxsize=1024)
def _origin(url: str) -> str:
    scheme_end = url.find("//") + 2
    slash = url.find("/", scheme_end)
    end = len(url) if slash < 0 else slash
    for sep in "?#":
        i = url.find(sep, scheme_end, end)
        if i >= 0:
            end = i
    return url[:end]


@lru_cache(maxsize=1024)
def _directory(url: str) -> str:
    url = url.split("#", 1)[0].split("?", 1)[0]
    scheme_end = url.find("//") + 2
    slash = url.rfind("/")
    if slash < scheme_end:
        return url + "/"
    return url[: slash + 1]


class Scope:
    """Which URLs belong to the site (internal) and which of those the crawl may fetch.

    Internal means the same registrable domain as a start URL (``blog.example.com`` is internal
    to ``www.example.com``). The crawl fetches only the start hosts, or every host of the
    registrable domain with ``include_subdomains``, filtered by include / exclude regexes
    matched against the whole URL.
    """

    def __init__(
        self,
        start_urls: list[str],
        include_subdomains: bool = False,
        include: tuple[str, ...] = (),
        exclude: tuple[str, ...] = (),
    ) -> None:
        self.hosts = frozenset(netloc_of(u) for u in start_urls)
        self.domains = frozenset(registrable_domain(h) for h in self.hosts)
        self.include_subdomains = include_subdomains
        try:
            self._include = [re.compile(p) for p in include]
            self._exclude = [re.compile(p) for p in exclude]
        except re.error as exc:
            raise ConfigError(f"Invalid include/exclude pattern {exc.pattern!r}: {exc}.") from exc
        self._hosts_internal: dict[str, bool] = {}
        # Per URL as well as per host: called for every link of every page, and splitting the
        # URL for its host costs more than the lookup (~200 links a page, most repeating).
        self._urls_internal: dict[str, bool] = {}

    def is_internal(self, url: str) -> bool:
        """True if the normalised ``url`` is on the site's registrable domain."""
        known = self._urls_internal.get(url)
        if known is not None:
            return known
        netloc = netloc_of(url)
        known = self._hosts_internal.get(netloc)
        if known is None:
            known = netloc in self.hosts or registrable_domain(netloc) in self.domains
            self._hosts_internal[netloc] = known
        if len(self._urls_internal) >= Resolver.MAX_CACHE:
            self._urls_internal.clear()
        self._urls_internal[url] = known
        return known

    def in_scope(self, url: str) -> bool:
        """True if the crawl may fetch the normalised ``url``."""
        netloc = netloc_of(url)
        if netloc not in self.hosts and not (self.include_subdomains and self.is_internal(url)):
            return False
        if self._include and not any(p.search(url) for p in self._include):
            return False
        return not any(p.search(url) for p in self._exclude)


#: Where an href points: ``(dst_url, is_followable, is_internal)``.
Target = tuple[str, bool, bool]


class LinkTargets:
    """Where the hrefs of a crawl's pages point, cached across pages.

    An href that starts with ``/`` or a scheme (``/about``, ``//cdn.example.com/x``,
    ``https://...``, ``mailto:...``) points to the same place from every page of a host, and
    such hrefs are nearly all of a templated site's (menus, footers, product grids: 90% of the
    benchmark's 200 links a page), so their targets are kept per origin for the whole crawl and
    an occurrence costs one dict lookup. Relative, ``?query`` and ``#fragment`` hrefs depend on
    the page's own URL; they are resolved once per page.

    >>> targets = LinkTargets(Resolver(), Scope(["https://example.com/"]))
    >>> shared, target = targets.for_page("https://example.com/blog/")
    >>> target("/about"), target("post/")
    (('https://example.com/about', True, True), ('https://example.com/blog/post/', True, True))
    >>> target("mailto:a@example.com")
    ('mailto:a@example.com', False, False)
    >>> list(shared)
    ['/about', 'mailto:a@example.com']
    """

    def __init__(self, resolver: Resolver, scope: Scope) -> None:
        self.resolver = resolver
        self.scope = scope
        self._by_origin: dict[str, dict[str, Target]] = {}
        self._size = 0

    def for_page(self, base: str) -> tuple[dict[str, Target], Callable[[str], Target]]:
        """The targets known for every page of ``base``'s origin, and a function giving the
        target of any href on the page whose (``<base href>`` or own) URL is ``base``.

        The dict is for a lookup before the call, which costs more: ``shared.get(href) or
        target(href)``.
        """
        shared = self._by_origin.get(_origin(base))
        if shared is None:
            shared = self._by_origin[_origin(base)] = {}
        local: dict[str, Target] = {}
        resolve = self.resolver.resolve
        is_internal = self.scope.is_internal

        def target(href: str) -> Target:
            found = shared.get(href) or local.get(href)
            if found is not None:
                return found
            dst = resolve(base, href)
            # mailto:, tel:, javascript:, or an http(s) URL without a host: kept as written.
            found = (href.strip(), False, False) if dst is None else (dst, True, is_internal(dst))
            if href[:1] == "/" or _SCHEME.match(href):
                if self._size >= Resolver.MAX_CACHE:
                    for known in self._by_origin.values():
                        known.clear()
                    self._size = 0
                shared[href] = found
                self._size += 1
            else:
                local[href] = found
            return found

        return shared, target
