"""Running the ``linkequity`` command as a user does, in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, cwd: Path, columns: int | None = None) -> subprocess.CompletedProcess[str]:
    """``linkequity ARGS`` in ``cwd``, its output a pipe; ``columns`` sets COLUMNS.

    None unsets it, also where the environment this process hands its children has it though
    ``os.environ`` does not: GNU readline, loaded by pytest, puts the terminal's COLUMNS there,
    so without this a test would see the width of whatever terminal ran it.
    """
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, "-m", "linkequity", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
        env=env,
    )


def one_sentence_error(result: subprocess.CompletedProcess[str]) -> str:
    """The error a failed command printed: one sentence, exit code 1, no traceback."""
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    text = " ".join(result.stderr.split())
    assert text.startswith("Error: ")
    return text.removeprefix("Error: ")
