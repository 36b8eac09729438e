"""The self-contained HTML report: its vendored graph libraries, read once (present stage).

The report inlines everything it needs, so it opens offline and no request leaves the file.
The link graph is drawn by sigma.js on graphology (both MIT, from npm at the versions in
``vendor/VERSIONS``; ``vendor/refresh.sh`` fetches them again). :func:`vendored` returns a
library's browser build after checking it against the SHA-256 recorded beside it, so a file
changed by hand is refused rather than shipped.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Final

from linkequity.errors import ConfigError

__all__ = ["LIBRARIES", "vendored"]

#: The vendored libraries and their files.
LIBRARIES: Final = {"sigma": "sigma.min.js", "graphology": "graphology.umd.min.js"}


@cache
def versions() -> dict[str, tuple[str, str]]:
    """Library -> (version, SHA-256 of its file), from ``vendor/VERSIONS``."""
    text = resources.files(__package__).joinpath("vendor", "VERSIONS").read_text("utf-8")
    found = {}
    for line in text.splitlines():
        if line.strip():
            name, version, digest = line.split()
            found[name] = (version, digest)
    return found


def vendored(library: str) -> str:
    """The browser build of a vendored library, checked against its recorded SHA-256."""
    if library not in LIBRARIES:
        raise ConfigError(f"No vendored library {library!r}; there are {', '.join(LIBRARIES)}.")
    data = resources.files(__package__).joinpath("vendor", LIBRARIES[library]).read_bytes()
    version, digest = versions()[library]
    if hashlib.sha256(data).hexdigest() != digest:
        raise ConfigError(
            f"The vendored {LIBRARIES[library]} is not {library} {version} as fetched; run "
            "vendor/refresh.sh again."
        )
    return data.decode("utf-8")
