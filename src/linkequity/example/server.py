"""An HTTP/1.1 server for the example site, for tests and the demo (example stage).

``with SiteServer(site) as server:`` serves on 127.0.0.1 and a free port in a background thread
(the standard library's ``ThreadingHTTPServer``, keep-alive, one daemon thread per connection)
and logs every request, so a test can assert what a crawler asked for and what it never did.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from linkequity.example.site import ExampleSite, SiteResponse

__all__ = ["SiteServer", "serve_forever"]

Request = tuple[str, str, str]
"""(method, path and query as requested, User-Agent)."""


def _handler(
    site: ExampleSite, origin: Callable[[], str], log: Callable[[Request], None]
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "NorthwindExample/1.0"

        def log_message(self, format: str, *args: object) -> None:
            return  # requests are logged in SiteServer.requests, not on stderr

        def _answer(self) -> SiteResponse:
            log((self.command, self.path, self.headers.get("User-Agent", "")))
            accept = self.headers.get("Accept-Encoding", "")
            return site.response(self.path, origin(), accept)

        def _send(self, response: SiteResponse, with_body: bool) -> None:
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            if with_body:
                self.wfile.write(response.body)

        def do_GET(self) -> None:
            self._send(self._answer(), with_body=True)

        def do_HEAD(self) -> None:
            self._send(self._answer(), with_body=False)

    return Handler


class SiteServer:
    """Serves an :class:`ExampleSite` over real HTTP in a background thread.

    >>> from linkequity.example import build_site
    >>> with SiteServer(build_site(300)) as server:  # doctest: +SKIP
    ...     print(server.origin)
    http://127.0.0.1:54321
    """

    def __init__(self, site: ExampleSite, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site
        self._lock = threading.Lock()
        self._requests: list[Request] = []
        handler = _handler(site, lambda: self.origin, self._log)
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self.host = host
        self.port: int = self._httpd.server_address[1]
        self.origin = f"http://{host}:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="example-site", daemon=True
        )

    def _log(self, request: Request) -> None:
        with self._lock:
            self._requests.append(request)

    @property
    def requests(self) -> list[Request]:
        """A snapshot of every request so far: ``(method, path_and_query, user_agent)``."""
        with self._lock:
            return list(self._requests)

    def requested_paths(self) -> set[str]:
        """Every distinct path (and query) requested so far."""
        return {path for _, path, _ in self.requests}

    def start(self) -> SiteServer:
        self._thread.start()
        return self

    def run(self) -> None:
        """Serve in the calling thread until interrupted, then close the socket."""
        try:
            self._httpd.serve_forever()
        finally:
            self._httpd.server_close()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve_forever(
    site: ExampleSite,
    host: str = "127.0.0.1",
    port: int = 8000,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve ``site`` until interrupted (``KeyboardInterrupt`` propagates to the caller).

    ``announce`` receives a one-line message with the URL once the server listens; by default
    it is written to stderr.
    """
    server = SiteServer(site, host, port)
    message = f"Serving the example site at {server.origin}/ (Ctrl+C to stop)"
    if announce is None:
        print(message, file=sys.stderr, flush=True)
    else:
        announce(message)
    server.run()
