"""``python -m linkequity``: the same as the ``linkequity`` command."""

from __future__ import annotations

from linkequity.present.cli import main

main()
