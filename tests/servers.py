"""A scripted HTTP server on 127.0.0.1 (port 0) for crawler tests: routes map to answers."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType


@dataclass
class Answer:
    """What a route answers: status, headers, body, and an optional delay before answering."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "text/html; charset=utf-8"


Route = Answer | Callable[[int], Answer]
"""An answer, or a function of the number of earlier requests to this path."""


class ScriptedServer:
    """``with ScriptedServer({"/": Answer(body=...)}) as s: s.origin``; logs every request.

    ``fallback`` answers the paths no route names (the path with its query); without one, or
    when it returns None, they get a 404.
    """

    def __init__(
        self,
        routes: dict[str, Route],
        fallback: Callable[[str], Answer | None] | None = None,
    ) -> None:
        self.routes = routes
        self.fallback = fallback
        self.requests: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def do_GET(self) -> None:
                with server._lock:
                    count = sum(1 for r in server.requests if r[1] == self.path)
                    server.requests.append(
                        (self.command, self.path, self.headers.get("User-Agent", ""))
                    )
                route = server.routes.get(self.path)
                found = None
                if route is not None:
                    found = route(count) if callable(route) else route
                elif server.fallback is not None:
                    found = server.fallback(self.path)
                answer = found or Answer(404, b"<html><body>not found</body></html>")
                if answer.delay:
                    time.sleep(answer.delay)
                body = answer.body.encode() if isinstance(answer.body, str) else answer.body
                self.send_response(answer.status)
                if "Content-Type" not in answer.headers:
                    self.send_header("Content-Type", answer.content_type)
                for k, v in answer.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        """Every requested path, in order."""
        with self._lock:
            return [r[1] for r in self.requests]


def page(*hrefs: str, head: str = "", title: str = "t") -> str:
    """A small HTML page linking to ``hrefs`` from its main content."""
    links = "".join(f'<a href="{h}">link {i}</a>' for i, h in enumerate(hrefs))
    return (
        f"<!doctype html><html><head><title>{title}</title>{head}</head>"
        f"<body><main>{links}</main></body></html>"
    )


@contextlib.contextmanager
def lock_holder(path: Path) -> Iterator[int]:
    """Another process holding ``path`` open as a linkequity project; yields its pid."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from linkequity.store import Store; s = Store(sys.argv[1]); "
            "print('ok', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        if holder.stdout is None or holder.stdout.readline().strip() != "ok":
            raise RuntimeError("the lock holder did not start")
        yield holder.pid
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
