"""Settings: defaults, help text for every one, linkequity.toml and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkequity.errors import ConfigError
from linkequity.settings import (
    SECTIONS,
    AuditSettings,
    CrawlSettings,
    EquitySettings,
    load_settings,
    settings_help,
)


@pytest.mark.parametrize("group", list(SECTIONS), ids=list(SECTIONS.values()))
def test_every_setting_has_help(group: type) -> None:
    missing = [name for name, _default, text in settings_help(group) if len(text) < 15]
    assert missing == []


def test_each_group_reads_its_own_table(tmp_path: Path) -> None:
    toml = tmp_path / "linkequity.toml"
    toml.write_text(
        '[crawl]\nmax_pages = 5\n[equity]\nnofollow = "exclude"\nweight_footer = 0.1\n'
        "[audit]\ndeep_page_depth = 4\n"
    )
    equity = load_settings(toml, None, EquitySettings)
    assert (equity.nofollow, equity.weight_footer, equity.damping) == ("exclude", 0.1, 0.85)
    assert load_settings(toml, None, AuditSettings).deep_page_depth == 4
    assert load_settings(toml).max_pages == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[equity]\nnofollow = "drop"\n',
         "setting 'nofollow' must be one of 'evaporate', 'exclude', 'follow'."),
        ("[equity]\ndamping = 1.5\n", "setting 'damping' must be between 0 and 1, not 1.5."),
        ('[equity]\nduplicate_links = "last"\n',
         "setting 'duplicate_links' must be one of 'first', 'all'."),
    ],
)  # fmt: skip
def test_bad_equity_settings(tmp_path: Path, text: str, message: str) -> None:
    toml = tmp_path / "linkequity.toml"
    toml.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_settings(toml, None, EquitySettings)
    assert str(err.value).endswith(message)


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
