"""Starting the web app: checks first, then the socket, then uvicorn (present stage).

Everything a user can get wrong is found before anything starts, each as one sentence
(:class:`~linkequity.errors.StoreError`, :class:`~linkequity.errors.ConfigError`): a project
file that does not exist, a crawl not analysed yet, a port in use. The port is bound here,
and that socket handed to uvicorn, so the address printed is the one served (``--port 0``
prints the port the system chose) and no other process can take it in between.
"""

from __future__ import annotations

import errno
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from linkequity.errors import ConfigError, StoreError
from linkequity.present.web.security import is_loopback
from linkequity.project import Project

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

__all__ = ["Listening", "analysed_crawl", "bind", "listening", "serve", "uvicorn_server"]


@dataclass(frozen=True, slots=True)
class Listening:
    """What the server prints once it is bound: its address, and the token when it has one."""

    url: str
    token: str | None
    generated: bool
    exposed: bool


def listening(host: str, port: int, token: str | None) -> Listening:
    """The address served and its token: a token is needed when one is given, and is
    generated when ``host`` lets other machines in and none is given."""
    if token is not None and not token.strip():
        raise ConfigError("The token is empty; give one with --token, or leave it out.")
    exposed = not is_loopback(host)
    generated = exposed and token is None
    if generated:
        token = secrets.token_urlsafe(24)
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return Listening(f"http://{shown}:{port}/", token, generated, exposed)


def analysed_crawl(project: Path, crawl_id: int | None) -> int:
    """The crawl to serve (the latest by default), once it is known to be analysed."""
    site = Project(project)
    crawls = site.table("crawls")["crawl_id"].to_pylist()
    if not crawls:
        raise StoreError(f"The project file {project} has no crawl yet.")
    chosen = max(crawls) if crawl_id is None else crawl_id
    if chosen not in crawls:
        known = ", ".join(str(c) for c in crawls)
        raise StoreError(f"The project file {project} has no crawl {chosen}; its crawls: {known}.")
    if site.table("analyses", chosen).num_rows == 0:
        raise StoreError(
            f"Crawl {chosen} has not been analysed yet; run `linkequity analyze` first."
        )
    return chosen


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port``, ready for uvicorn."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise ConfigError(f"Cannot listen on {host}: the address is not known.") from exc
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"Port {port} on {host} is in use; stop what uses it or choose another with --port."
            ) from exc
        raise ConfigError(f"Cannot listen on {host} port {port}: {exc.strerror}.") from exc
    sock.listen(2048)  # uvicorn's backlog; a client may connect as soon as it is printed
    return sock


def uvicorn_server(app: FastAPI) -> uvicorn.Server:
    """A uvicorn server for ``app``: plain asyncio and h11, no websockets, no access log."""
    import uvicorn

    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        loop="asyncio",
        http="h11",
        ws="none",
        server_header=False,
    )
    return uvicorn.Server(config)


def serve(
    project: Path,
    crawl_id: int | None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    announce: Callable[[Listening], None] | None = None,
) -> None:
    """Serve the app until interrupted; ``announce`` is told the address once bound."""
    from linkequity.present.web.app import create_app

    crawl = analysed_crawl(project, crawl_id)
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    try:
        address = listening(host, bound, token)
        app = create_app(project, crawl, host=host, port=bound, token=address.token)
        server = uvicorn_server(app)
        if announce is not None:
            announce(address)
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:  # uvicorn stopped cleanly, then raised the signal again
            return
        except SystemExit as exc:  # uvicorn exits when it cannot start
            raise ConfigError(f"The server could not start on {host} port {bound}.") from exc
        if not server.started:
            raise ConfigError(f"The server could not start on {host} port {bound}.")
    finally:
        sock.close()
