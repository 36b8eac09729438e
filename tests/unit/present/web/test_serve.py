"""``linkequity serve`` as a user runs it: once over a real socket (the printed address
answers, a foreign Host header does not, Ctrl+C stops it cleanly), and the errors that stop
it before it starts, by their exact sentence."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from linkequity.errors import ConfigError
from linkequity.present.cli.serve import _announce
from linkequity.present.web.server import listening
from tests.commands import one_sentence_error, run
from tests.unit.equity.builder import Crawl
from tests.unit.present.web.site import HOSTILE, hostile_site, url


def fetch(address: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Host": host} if host else {}
    req = urllib.request.Request(address, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, {k.lower(): v for k, v in refused.headers.items()}, refused.read()


def test_serve_over_a_real_socket_then_stop(tmp_path: Path) -> None:
    path = hostile_site(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    child = subprocess.Popen(
        [sys.executable, "-m", "linkequity", "serve", "-p", str(path), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("Serving on http://127.0.0.1:") and line.endswith(
            "/ (Ctrl+C to stop)\n"
        ), line
        address = line.split()[2]
        port = int(address.rsplit(":", 1)[1].strip("/"))
        status, headers, body = fetch(address + "api/pages?q=onerror")
        assert status == 200 and headers["content-type"] == "application/json"
        assert [p["title"] for p in json.loads(body)["pages"]] == [HOSTILE]
        status, _, body = fetch(address + "api/summary", host=f"localhost:{port}")
        assert status == 200 and json.loads(body)["start_url"] == url("")
        status, _, body = fetch(address, host=f"rebound.example:{port}")
        assert status == 421 and json.loads(body)["error"]["status"] == 421
        status, headers, body = fetch(address)
        assert status == 200 and b"5 pages match" in body
        assert headers["x-content-type-options"] == "nosniff"
    finally:
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert "Traceback" not in err + out


def test_a_project_file_that_does_not_exist(tmp_path: Path) -> None:
    assert one_sentence_error(run("serve", "-p", "missing.duckdb", cwd=tmp_path)) == (
        "The project file missing.duckdb does not exist."
    )
    assert not (tmp_path / "missing.duckdb").exists()


def test_a_project_not_analysed_yet(tmp_path: Path) -> None:
    path = Crawl().page("").save(tmp_path / "raw.duckdb")
    assert one_sentence_error(run("serve", "-p", str(path), "--port", "0", cwd=tmp_path)) == (
        "Crawl 1 has not been analysed yet; run `linkequity analyze` first."
    )


def test_a_crawl_the_project_does_not_hold(tmp_path: Path) -> None:
    path = hostile_site(tmp_path)
    result = run("serve", "-p", "site.duckdb", "--crawl", "7", cwd=tmp_path)
    assert path.name == "site.duckdb"
    assert (
        one_sentence_error(result) == "The project file site.duckdb has no crawl 7; its crawls: 1."
    )


def test_a_port_in_use(tmp_path: Path) -> None:
    path = hostile_site(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "-p", str(path), "--port", str(port), cwd=tmp_path)
    assert one_sentence_error(result) == (
        f"Port {port} on 127.0.0.1 is in use; stop what uses it or choose another with --port."
    )
    assert result.stdout == ""  # nothing started, no address printed


def test_a_token_when_other_machines_can_reach_the_server() -> None:
    local = listening("127.0.0.1", 8000, None)
    assert local == type(local)("http://127.0.0.1:8000/", None, False, False)
    given = listening("::1", 8001, "T")
    assert (given.url, given.token, given.generated, given.exposed) == (
        "http://[::1]:8001/",
        "T",
        False,
        False,
    )
    everywhere = listening("0.0.0.0", 8002, None)
    assert everywhere.exposed and everywhere.generated and everywhere.token is not None
    assert len(everywhere.token) >= 32
    assert listening("0.0.0.0", 8002, None).token != everywhere.token
    with pytest.raises(ConfigError, match="The token is empty"):
        listening("0.0.0.0", 8002, " ")


def test_what_serve_prints_when_other_machines_can_reach_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _announce(listening("192.0.2.7", 8000, "s3cret"))
    out, err = capsys.readouterr()
    assert (
        out == "Serving on http://192.0.2.7:8000/ (Ctrl+C to stop)\n"
    )  # a given token stays unsaid
    assert " ".join(err.split()) == (
        "Warning: other machines can reach this server; every request needs its token "
        "(header Authorization: Bearer TOKEN, or ?token=TOKEN in the address)."
    )
    generated = listening("0.0.0.0", 8000, None)
    _announce(generated)
    out, _ = capsys.readouterr()
    assert out.splitlines() == [
        f"Token (shown once): {generated.token}",
        "Serving on http://0.0.0.0:8000/ (Ctrl+C to stop)",
    ]
