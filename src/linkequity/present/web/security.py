"""The web app's guard: Host check, token, read-only methods and security headers (present stage).

One ASGI middleware in front of every route, in this order:

1. **Host**: a request whose ``Host`` header does not name the address and port the app
   serves gets 421. A page of another site that rebinds its own name to 127.0.0.1 (DNS
   rebinding) sends its own name as ``Host``, so it cannot read the app. Bound to a wildcard
   address (``0.0.0.0``, ``::``), any host name on the right port is accepted: the token is
   the defence then.
2. **Token**, when the app has one (always when it is bound to an address other machines
   reach): ``Authorization: Bearer T``, the ``linkequity_token`` cookie, or ``?token=T``,
   which also sets that cookie (HttpOnly, SameSite=Strict) so a browser keeps it. Compared in
   constant time (:func:`hmac.compare_digest`). Missing or wrong: 403.
3. **Methods**: GET and HEAD only (HEAD answers as GET without the body); anything else: 405.
4. **Headers** on every answer: a Content-Security-Policy that names no other origin, no
   framing, ``nosniff``, ``no-referrer``.

Every refusal has the app's one error shape (:func:`error_body`).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "APP_CSP",
    "COOKIE",
    "Guard",
    "allowed_hosts",
    "error_body",
    "is_loopback",
    "with_frame_ancestors",
]

#: The app's own policy: its stylesheet and nothing else, no script at all, no framing.
APP_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
COOKIE = "linkequity_token"
_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)
_WILDCARDS = frozenset({"0.0.0.0", "::", ""})


def error_body(status: int, message: str) -> bytes:
    """The one error shape of the app: ``{"error": {"status": ..., "message": ...}}``."""
    body = {"error": {"status": status, "message": message}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def with_frame_ancestors(policy: str) -> str:
    """A policy with ``frame-ancestors 'none'`` (a meta policy cannot say it; a header can)."""
    policy = policy.strip().rstrip(";")
    return policy if "frame-ancestors" in policy else f"{policy}; frame-ancestors 'none'"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is an address only this machine reaches (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _authority(host: str, port: int) -> str:
    host = host.strip("[]")
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """The ``Host`` values the app answers when bound to ``host``:``port``; None when bound to
    a wildcard address (any name, on that port)."""
    if host.strip("[]") in _WILDCARDS:
        return None
    names = {_authority(host, port)}
    if is_loopback(host):
        names |= {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    return frozenset(name.lower() for name in names)


@dataclass(frozen=True, slots=True)
class _Refusal:
    status: int
    message: str
    allow: bool = False


class Guard:
    """The ASGI middleware described in the module docstring."""

    def __init__(
        self, app: ASGIApp, *, host: str, port: int, token: str | None, csp: str = APP_CSP
    ) -> None:
        self.app = app
        self.hosts = allowed_hosts(host, port)
        self.port = port
        self.token = token
        self.csp = csp.encode("ascii")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._host(headers.get("host", ""))
        set_cookie = False
        if refusal is None and self.token is not None:
            refusal, set_cookie = self._token(scope, headers, self.token)
        if refusal is None and scope["method"] not in ("GET", "HEAD"):
            refusal = _Refusal(405, f"The method {scope['method']} is not allowed: this app is "
                               "read-only (GET and HEAD).", allow=True)  # fmt: skip
        head = scope["method"] == "HEAD"
        send = self._sender(send, head=head, set_cookie=set_cookie)
        if refusal is not None:
            await _refuse(send, refusal)
            return
        if head:
            scope = {**scope, "method": "GET"}
        await self.app(scope, receive, send)

    def _host(self, value: str) -> _Refusal | None:
        value = value.strip().lower()
        if self.hosts is None:
            port = value.rsplit(":", 1)[-1] if ":" in value.rsplit("]", 1)[-1] else ""
            if port == str(self.port):
                return None
        elif value in self.hosts:
            return None
        names = " or ".join(sorted(self.hosts)) if self.hosts else f"port {self.port}"
        return _Refusal(421, f"This server answers only requests addressed to {names}.")

    def _token(
        self, scope: Scope, headers: dict[str, str], token: str
    ) -> tuple[_Refusal | None, bool]:
        expected = token.encode("utf-8")
        given: list[tuple[str, bool]] = []
        auth = headers.get("authorization", "")
        if auth[:7].lower() == "bearer ":
            given.append((auth[7:].strip(), False))
        for name, value in _cookies(headers.get("cookie", "")):
            if name == COOKIE:
                given.append((value, False))
        query = scope.get("query_string", b"").decode("latin-1")
        for name, value in parse_qsl(query, keep_blank_values=True):
            if name == "token":
                given.append((value, True))
        for value, from_query in given:
            if hmac.compare_digest(value.encode("utf-8"), expected):
                return None, from_query
        return _Refusal(403, "This server needs its token: add ?token=... to the address, or "
                        "send the header Authorization: Bearer ...."), False  # fmt: skip

    def _sender(self, send: Send, *, head: bool, set_cookie: bool) -> Send:
        csp = self.csp
        cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/".encode()

        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", csp))
                headers.extend(h for h in _HEADERS if h[0] not in present)
                if set_cookie:
                    headers.append((b"set-cookie", cookie))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        return guarded


def _cookies(header: str) -> Iterable[tuple[str, str]]:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            yield name, value


async def _refuse(send: Send, refusal: _Refusal) -> None:
    body = error_body(refusal.status, refusal.message)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"cache-control", b"no-store"),
    ]
    if refusal.allow:
        headers.append((b"allow", b"GET, HEAD"))
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
