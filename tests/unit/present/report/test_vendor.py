"""The vendored graph libraries: as fetched, licensed, browser builds that set a global."""

from __future__ import annotations

from importlib import resources

import pytest

from linkequity.errors import ConfigError
from linkequity.present.report import LIBRARIES, vendored, versions


@pytest.mark.parametrize(
    ("library", "global_name"), [("sigma", "Sigma"), ("graphology", "graphology")]
)
def test_each_library_is_the_recorded_build_with_its_licence(
    library: str, global_name: str
) -> None:
    code = vendored(library)
    # a UMD build: it defines the global the report's script uses, needs no module loader
    assert f"{global_name}=" in code[:600]
    version, _ = versions()[library]
    assert version.count(".") == 2
    licence = (
        resources.files("linkequity.present.report")
        .joinpath("vendor", f"LICENSE-{library}.txt")
        .read_text("utf-8")
    )
    assert "Permission is hereby granted, free of charge" in licence  # MIT


def test_an_unknown_library_is_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        vendored("d3")
    assert str(caught.value) == f"No vendored library 'd3'; there are {', '.join(LIBRARIES)}."
