"""The web app factory: FastAPI routes behind the guard, one error shape (present stage)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp

from linkequity.present.web import api, errors, views
from linkequity.present.web.data import Site
from linkequity.present.web.security import Guard
from linkequity.project import Project

__all__ = ["create_app"]


def create_app(
    project: str | Path,
    crawl_id: int,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
) -> FastAPI:
    """The app serving crawl ``crawl_id`` of ``project``, answering requests addressed to
    ``host``:``port`` only, and only with ``token`` when one is given.

    The project is opened read-only per request; nothing is read here.
    """
    app = _GuardedApp(
        {"host": host, "port": port, "token": token},
        title="linkequity",
        summary="A read-only view of one analysed crawl: pages, links, findings.",
        version="1",
        openapi_url="/openapi.json",
        docs_url=None,  # the interactive docs load their script from a CDN
        redoc_url=None,
    )
    app.state.site = Site(Project(project), crawl_id)
    errors.install(app)
    app.include_router(api.router)
    app.include_router(views.router)
    return app


class _GuardedApp(FastAPI):
    """FastAPI with the guard outermost, so that its headers reach every answer, the 500
    of an unexpected error too (middleware added the usual way sits inside the part of
    Starlette that answers those)."""

    def __init__(self, guard: dict[str, Any], **settings: Any) -> None:
        super().__init__(**settings)
        self._guard = guard

    def build_middleware_stack(self) -> ASGIApp:
        return Guard(super().build_middleware_stack(), **self._guard)
