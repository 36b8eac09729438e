"""The local web app ``linkequity serve``: a read-only page explorer and JSON API (present stage).

- :mod:`~linkequity.present.web.app`: the app factory, :func:`create_app`;
- :mod:`~linkequity.present.web.security`: the guard in front of every route (Host header
  against DNS rebinding, the token when bound beyond this machine, GET and HEAD only,
  security headers);
- :mod:`~linkequity.present.web.errors`: the one error shape;
- :mod:`~linkequity.present.web.data`: what the pages and the API show, read per request
  through :class:`~linkequity.project.Project`;
- :mod:`~linkequity.present.web.api` (``/api/``) and :mod:`~linkequity.present.web.views`
  (the HTML pages and ``/report``), with ``templates/`` and ``static/``;
- :mod:`~linkequity.present.web.server`: the checks before starting, the socket and uvicorn.
"""

from __future__ import annotations

from linkequity.present.web.app import create_app

__all__ = ["create_app"]
