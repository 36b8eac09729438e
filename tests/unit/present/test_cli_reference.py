"""docs/cli.md is the command line's own reference: regenerated from the app, never out of date."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup, TyperOption

from linkequity.present.cli import app
from linkequity.present.cli.reference import REGENERATE, commands, reference_markdown

ROOT = Path(__file__).parents[3]
CLI_MD = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"


def drift(documented: str, generated: str) -> str | None:
    """A unified diff from the documented reference to the generated one, or None if equal."""
    if documented == generated:
        return None
    diff = difflib.unified_diff(
        documented.splitlines(), generated.splitlines(), "docs/cli.md", "generated", lineterm=""
    )
    return "\n".join(diff)


def undocumented(documented: str, cli: typer.Typer) -> list[str]:
    """The command headings and long option spellings of ``cli`` that ``documented`` lacks."""
    missing = []
    for path, command, _ctx in commands(cli):
        if f"## {path}\n" not in documented:
            missing.append(path)
        for param in command.params:
            if isinstance(param, TyperOption):
                spellings = [*param.opts, *param.secondary_opts]
                missing += [
                    f"{path} {opt}"
                    for opt in spellings
                    if opt.startswith("--") and opt != "--help" and f"`{opt}`" not in documented
                ]
    return missing


def test_docs_cli_md_is_the_generated_reference() -> None:
    problem = drift(CLI_MD.read_text(encoding="utf-8"), reference_markdown())
    assert problem is None, f"docs/cli.md is out of date; run `{REGENERATE}`.\n{problem}"


def test_every_command_and_long_option_is_documented() -> None:
    assert undocumented(CLI_MD.read_text(encoding="utf-8"), app) == []
    paths = [path for path, _command, _ctx in commands(app)]
    assert paths[:3] == ["linkequity", "linkequity disavow", "linkequity crawl"]
    assert "linkequity backlinks toxic" in paths
    assert "linkequity import screamingfrog" in paths


def test_readme_links_the_reference() -> None:
    assert "docs/cli.md" in README.read_text(encoding="utf-8")


def readme_command_lines() -> list[str]:
    """The lines of README.md's fenced code blocks that run ``linkequity``."""
    lines, fenced = [], False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced and line.startswith("linkequity "):
            lines.append(line)
    return lines


def command_path(line: str) -> list[str]:
    """The words of ``line`` before its first option, URL, file name or ``host:port``."""
    words = []
    for word in line.split("#")[0].split():
        if word.startswith("-") or re.search(r"[/.:]", word):
            break
        words.append(word)
    return words


def unknown_command(words: list[str]) -> str | None:
    """The first word naming no command where ``words`` descends the app, or None."""
    command = typer.main.get_command(app)
    for word in words[1:]:
        if not isinstance(command, TyperGroup):
            return None  # a command reached: the rest are its arguments
        sub = command.commands.get(word)
        if sub is None:
            return word
        command = sub
    return None


def test_readme_examples_name_real_commands() -> None:
    lines = readme_command_lines()
    assert len(lines) >= 10
    wrong = [line for line in lines if unknown_command(command_path(line)) is not None]
    assert wrong == [], f"README.md runs commands the CLI does not have: {wrong}"
    assert command_path("linkequity export pages --project site.duckdb") == [
        "linkequity",
        "export",
        "pages",
    ]
    assert unknown_command(["linkequity", "backlinks", "toxik"]) == "toxik"


def throwaway_app(*, with_loud: bool) -> typer.Typer:
    """A small app of two commands; ``with_loud`` gives ``greet`` one more option."""
    small = typer.Typer(add_completion=False)

    @small.command("count")
    def count(to: Annotated[int, typer.Option(help="Last number.")] = 3) -> None:
        """Count up."""

    if with_loud:

        @small.command("greet")
        def greet_loud(
            name: Annotated[str, typer.Argument(help="Who.")],
            loud: Annotated[bool, typer.Option(help="Shout.")] = False,
        ) -> None:
            """Say hello."""

    else:

        @small.command("greet")
        def greet(name: Annotated[str, typer.Argument(help="Who.")]) -> None:
            """Say hello."""

    return small


def test_the_drift_check_catches_a_new_option() -> None:
    documented = reference_markdown(throwaway_app(with_loud=False))
    changed = throwaway_app(with_loud=True)
    assert drift(documented, documented) is None
    assert undocumented(documented, throwaway_app(with_loud=False)) == []

    problem = drift(documented, reference_markdown(changed))
    assert problem is not None
    assert "+- `--loud` / `--no-loud`: Shout. Default: `false`." in problem.splitlines()
    assert undocumented(documented, changed) == [
        "linkequity greet --loud",
        "linkequity greet --no-loud",
    ]
