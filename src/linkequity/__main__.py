"""``python -m linkequity``: the same as the ``linkequity`` command (present stage)."""

from __future__ import annotations

from linkequity.present.cli import main

main()
