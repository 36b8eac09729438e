"""The example site: a generated outdoor-gear shop with known defects (example stage).

"Northwind Outfitters" comes with its exact ground truth; ``make demo``, the integration
tests and the benchmarks crawl it.

>>> from linkequity.example import SiteServer, build_site
>>> site = build_site(pages=300, seed=7)
>>> with SiteServer(site) as server:  # doctest: +SKIP
...     truth = site.truth(server.origin)
...     ...  # crawl server.origin + "/" and compare with truth

``build_site`` makes the model, ``ExampleSite.response`` renders a page on demand,
``ExampleSite.truth`` derives what a crawl must find, ``SiteServer`` / ``serve_forever`` serve
it over HTTP, and ``write_static`` writes it to disk for nginx.
"""

from __future__ import annotations

from linkequity.example.server import SiteServer, serve_forever
from linkequity.example.site import ExampleSite, SiteResponse, build_site
from linkequity.example.static import write_static
from linkequity.example.truth import (
    BrokenLink,
    ExpectedLink,
    ExpectedPage,
    GroundTruth,
    LegacyCharsetPage,
    RedirectChain,
    RedirectHop,
)

__all__ = [
    "BrokenLink",
    "ExampleSite",
    "ExpectedLink",
    "ExpectedPage",
    "GroundTruth",
    "LegacyCharsetPage",
    "RedirectChain",
    "RedirectHop",
    "SiteResponse",
    "SiteServer",
    "build_site",
    "serve_forever",
    "write_static",
]
