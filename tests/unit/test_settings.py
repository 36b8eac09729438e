"""Settings: defaults, help text for every one, linkequity.toml and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkequity.errors import ConfigError
from linkequity.settings import CrawlSettings, load_settings, settings_help


def test_every_setting_has_help() -> None:
    missing = [name for name, _default, text in settings_help(CrawlSettings) if len(text) < 15]
    assert missing == []


def test_file_then_flags(tmp_path: Path) -> None:
    toml = tmp_path / "linkequity.toml"
    toml.write_text('[crawl]\nmax_pages = 50\nexclude = ["/cart/"]\ndelay = 1\n')
    settings = load_settings(toml, {"max_pages": 10, "concurrency": None})
    assert (settings.max_pages, settings.exclude, settings.delay) == (10, ("/cart/",), 1.0)
    assert settings.concurrency == CrawlSettings().concurrency


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "absent.toml") == CrawlSettings()


def test_round_trip_through_json() -> None:
    settings = CrawlSettings(max_pages=5, include=("/a",), proxy="http://127.0.0.1:3128")
    assert CrawlSettings.from_json(settings.to_json()) == settings


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[crawl]\nmax_page = 5\n", "unknown setting 'max_page'; known: "),
        ("[crawl]\nmax_pages = -1\n", "setting 'max_pages' must be a whole number >= 0."),
        ("[crawl]\nobey_robots = 'yes'\n", "setting 'obey_robots' must be true or false."),
        ("[crawl]\nexclude = '/x/'\n", "setting 'exclude' must be a list of strings."),
        ("[crawl\n", "is not valid TOML"),
    ],
)
def test_bad_files_name_the_setting(tmp_path: Path, text: str, message: str) -> None:
    toml = tmp_path / "linkequity.toml"
    toml.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(".", r"\.")):
        load_settings(toml)
