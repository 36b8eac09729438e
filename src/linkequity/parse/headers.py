"""Canonical and robots directives from HTTP headers and meta tags (acquire stage).

A canonical URL can come from an HTTP ``Link`` header (RFC 8288) as well as from the HTML, and
indexing directives from ``X-Robots-Tag`` headers as well as from ``<meta name="robots">``.
"""

from __future__ import annotations

import re

from linkequity.urls import Resolver

__all__ = ["canonical_from_link_header", "robots_directives"]

# One link-value of a Link header: ``<uri>`` then its ``; param=value`` list, up to the comma
# that starts the next link-value (commas inside quoted values do not count).
_LINK_VALUE = re.compile(r'<([^>]*)>((?:[^,"]|"(?:[^"\\]|\\.)*")*)')
_LINK_PARAM = re.compile(r';\s*([^\s;=,]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^\s;,]*))?')

# Directives written ``name: value``; any other ``word: ...`` in X-Robots-Tag names the user
# agent the directives after it apply to (Google's robots meta tag documentation).
_VALUED_DIRECTIVES = frozenset(
    {"max-snippet", "max-image-preview", "max-video-preview", "unavailable_after"}
)
_USER_AGENT_SCOPE = re.compile(r"^\s*([a-z0-9_.\-]+)\s*:\s*(.*)$", re.DOTALL)


def canonical_from_link_header(value: str | None, page_url: str, resolver: Resolver) -> str | None:
    """The normalised URL of the first ``rel="canonical"`` link in an HTTP ``Link`` header.

    Relative references are resolved against the page URL; a canonical that is not http(s) is
    skipped.

    >>> canonical_from_link_header(
    ...     '<https://example.com/a.pdf>; rel="alternate", </a>; rel="canonical"',
    ...     "https://example.com/a?x=1",
    ...     Resolver(),
    ... )
    'https://example.com/a'
    """
    if not value:
        return None
    for m in _LINK_VALUE.finditer(value):
        for name, param in _LINK_PARAM.findall(m.group(2)):
            if name.lower() != "rel":
                continue
            if "canonical" in param.strip('"').lower().split():
                canonical = resolver.resolve(page_url, m.group(1))
                if canonical is not None:
                    return canonical
            break
    return None


def _split_directives(text: str) -> list[str]:
    out = []
    for part in text.split(","):
        directive = part.strip().lower()
        if directive:
            name, colon, rest = directive.partition(":")
            out.append(f"{name.strip()}:{rest.strip()}" if colon else directive)
    return out


def robots_directives(
    meta_robots: str | None, x_robots_tag: str | None, user_agent: str = ""
) -> frozenset[str]:
    """The indexing directives that apply to a page, lower-case (``{"noindex", "nofollow"}``).

    ``meta_robots`` is the comma-joined content of the page's robots meta tags. ``x_robots_tag``
    is the ``X-Robots-Tag`` header; repeated headers may be joined with commas or new lines. A
    header part scoped to a user agent (``googlebot: noindex``) applies only when that agent is
    ``user_agent`` (a product token such as ``linkequity`` or ``googlebot``); its scope runs to
    the next scoped part or to the end of the line. ``none`` means ``noindex`` and ``nofollow``.
    Valued directives are kept with their value (``max-snippet:50``).

    >>> sorted(robots_directives("index", "otherbot: noarchive, googlebot: none", "googlebot"))
    ['index', 'nofollow', 'noindex']
    """
    found: list[str] = []
    if meta_robots:
        found.extend(_split_directives(meta_robots))
    if x_robots_tag:
        agent = user_agent.strip().lower()
        for line in x_robots_tag.lower().splitlines():
            scope: str | None = None
            for part in line.split(","):
                m = _USER_AGENT_SCOPE.match(part)
                if m is not None and m.group(1) not in _VALUED_DIRECTIVES:
                    scope, part = m.group(1), m.group(2)
                if scope is None or scope == agent:
                    found.extend(_split_directives(part))
    directives = set(found)
    if "none" in directives:
        directives.discard("none")
        directives.update(("noindex", "nofollow"))
    return frozenset(directives)
