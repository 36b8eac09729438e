"""Running the ``linkequity`` command as a user does, in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, cwd: Path, columns: int | None = None) -> subprocess.CompletedProcess[str]:
    """``linkequity ARGS`` in ``cwd``; ``columns`` sets the terminal width tables wrap at."""
    env = None if columns is None else {**os.environ, "COLUMNS": str(columns)}
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
