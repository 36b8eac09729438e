"""The guard in front of every route: read-only methods, the Host header against DNS
rebinding, the token when the app has one, the security headers; refusals in the one shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from linkequity.present.web.security import allowed_hosts, is_loopback
from tests.unit.present.web.site import PORT, app_for, get, hostile_site, request

ROUTES = ["/", "/page?url=https://shop.example/", "/findings", "/report", "/static/app.css",
          "/api/summary", "/api/pages", "/openapi.json"]  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_site(tmp_path_factory.mktemp("security"))


@pytest.fixture(scope="module")
def app(site: Path) -> FastAPI:
    return app_for(site)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_any_method_but_get_and_head_is_refused(app: FastAPI, method: str) -> None:
    for target in ("/api/summary", "/", "/nothing"):
        answer = request(app, method, target)
        assert answer.status_code == 405
        assert answer.headers["allow"] == "GET, HEAD"
        assert answer.json() == {
            "error": {
                "status": 405,
                "message": f"The method {method} is not allowed: this app is read-only "
                "(GET and HEAD).",
            }
        }


def test_head_answers_as_get_without_a_body(app: FastAPI) -> None:
    for target in ROUTES:
        full, head = get(app, target), request(app, "HEAD", target)
        assert full.status_code == head.status_code == 200, target
        assert head.content == b"" and full.content
        assert head.headers["content-length"] == str(len(full.content))


@pytest.mark.parametrize(
    "host", [f"localhost:{PORT}", f"127.0.0.1:{PORT}", f"[::1]:{PORT}", f"LOCALHOST:{PORT}"]
)
def test_the_served_address_is_answered(app: FastAPI, host: str) -> None:
    assert get(app, "/api/summary", headers={"host": host}).status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        f"attacker.example:{PORT}",  # a rebound name sends its own name
        "127.0.0.1",  # no port: another address than the one served
        f"127.0.0.1:{PORT + 1}",
        f"localhost.attacker.example:{PORT}",
        "",
    ],
)
def test_another_host_header_is_refused(app: FastAPI, host: str) -> None:
    answer = get(app, "/api/summary", headers={"host": host})
    assert answer.status_code == 421
    assert answer.json() == {
        "error": {
            "status": 421,
            "message": "This server answers only requests addressed to "
            f"127.0.0.1:{PORT} or [::1]:{PORT} or localhost:{PORT}.",
        }
    }


def test_security_headers_on_every_answer(app: FastAPI) -> None:
    for target in [*ROUTES, "/nothing", "/api/page"]:
        headers = get(app, target).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
        assert "http" not in policy and "*" not in policy  # no other origin
    assert "script-src" not in get(app, "/").headers["content-security-policy"]
    report = get(app, "/report").headers["content-security-policy"]
    assert report == (
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "img-src data:; frame-ancestors 'none'"
    )


def test_a_token_is_needed_on_every_request_when_the_app_has_one(site: Path) -> None:
    app = app_for(site, token="s3cret-token")
    refused = {
        "error": {
            "status": 403,
            "message": "This server needs its token: add ?token=... to the address, or send "
            "the header Authorization: Bearer ....",
        }
    }
    for target in ("/", "/api/summary", "/openapi.json", "/nothing"):
        assert get(app, target).json() == refused
    assert get(app, "/api/summary", headers={"authorization": "Bearer wrong"}).status_code == 403
    assert get(app, "/api/summary?token=s3cret-toke").status_code == 403
    assert get(app, "/api/summary", headers={"cookie": "linkequity_token=x"}).status_code == 403
    # the Host check comes first, the token cannot open another host
    assert (
        get(app, "/api/summary?token=s3cret-token", headers={"host": "evil:1"}).status_code == 421
    )
    bearer = get(app, "/api/summary", headers={"authorization": "Bearer s3cret-token"})
    assert bearer.status_code == 200 and "set-cookie" not in bearer.headers
    by_query = get(app, "/?token=s3cret-token")
    assert by_query.status_code == 200
    assert by_query.headers["set-cookie"] == (
        "linkequity_token=s3cret-token; HttpOnly; SameSite=Strict; Path=/"
    )
    cookie = get(app, "/api/pages", headers={"cookie": "a=b; linkequity_token=s3cret-token"})
    assert cookie.status_code == 200
    # read-only stays read-only with the token
    post = request(app, "POST", "/api/summary", headers={"authorization": "Bearer s3cret-token"})
    assert post.status_code == 405


def test_bound_to_every_address_any_name_on_the_port_is_answered_with_the_token(
    site: Path,
) -> None:
    app = app_for(site, host="0.0.0.0", token="t")
    auth = {"authorization": "Bearer t"}
    assert get(app, "/api/summary", headers={**auth, "host": f"192.0.2.7:{PORT}"}).is_success
    assert get(app, "/api/summary", headers={**auth, "host": "192.0.2.7:1"}).status_code == 421
    assert get(app, "/api/summary", headers={"host": f"192.0.2.7:{PORT}"}).status_code == 403


def test_which_addresses_are_this_machine_only() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.5", "example.com"))
    assert allowed_hosts("192.168.1.5", 80) == frozenset({"192.168.1.5:80"})
    assert allowed_hosts("::", 80) is None
    assert allowed_hosts("fe80::1", 8) == frozenset({"[fe80::1]:8"})


def test_an_unexpected_error_is_a_500_in_the_one_shape_with_the_headers(site: Path) -> None:
    app = app_for(site)

    @app.get("/api/broken-on-purpose")
    def broken() -> None:
        raise RuntimeError("a bug")

    answer = request(app, "GET", "/api/broken-on-purpose", raise_app_exceptions=False)
    assert answer.status_code == 500
    assert answer.json() == {
        "error": {
            "status": 500,
            "message": "An unexpected error stopped this request; the server's log says what "
            "it was.",
        }
    }
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
