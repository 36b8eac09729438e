"""The command-line reference, written from the Typer app itself (present stage).

``python -m linkequity.present.cli.reference > docs/cli.md`` rewrites the page, and a test
checks that the page still matches, so the reference cannot drift from the command line. The
text comes only from the click attributes of each command and parameter (name, opts,
secondary_opts, help, default, required, nargs, type), never from Rich's rendered help, so it
depends neither on the terminal nor on Rich's version.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from linkequity.present.cli import app as cli_app

if TYPE_CHECKING:
    from typer._click import Command, Context, Parameter

__all__ = ["PROG", "REGENERATE", "commands", "reference_markdown"]

PROG = "linkequity"
"""The name the commands are documented under."""

REGENERATE = "python -m linkequity.present.cli.reference > docs/cli.md"
"""The command that rewrites ``docs/cli.md``."""


def commands(app: typer.Typer) -> Iterator[tuple[str, Command, Context]]:
    """Every visible command and group of ``app`` with its full path, in ``--help`` order."""
    root = typer.main.get_command(app)
    yield from _walk(root, root.context_class(root, info_name=PROG))


def _walk(command: Command, ctx: Context) -> Iterator[tuple[str, Command, Context]]:
    yield ctx.command_path, command, ctx
    if isinstance(command, TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _walk(sub, sub.context_class(sub, info_name=name, parent=ctx))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _help(command: Command) -> str:
    """The first paragraph of the command's help, on one line."""
    return _one_line((command.help or "").strip().split("\n\n")[0])


def _default(param: Parameter) -> str | None:
    """The default as a user would type it, or None when there is nothing to show."""
    show = getattr(param, "show_default", True)
    if isinstance(show, str):
        return show
    value: Any = param.default
    if show is False or value is None or callable(value) or value in ((), []):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _type_name(param: Parameter, ctx: Context) -> str | None:
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return None
    if not isinstance(param, TyperOption | TyperArgument):
        return None
    name = param.display_type(ctx).strip("<>")
    if (param.multiple or param.nargs == -1) and name.startswith("list[") and name.endswith("]"):
        name = name[len("list[") : -1]  # the element type; the notes say it is a list
    return name


def _param_line(param: Parameter, ctx: Context) -> str:
    if isinstance(param, TyperOption):
        names = ", ".join(f"`{opt}`" for opt in param.opts)
        if param.secondary_opts:
            names += " / " + ", ".join(f"`{opt}`" for opt in param.secondary_opts)
    else:
        names = f"`{param.metavar or param.name}`"
    notes = [note for note in [_type_name(param, ctx)] if note]
    if param.multiple:
        notes.append("repeatable")
    if param.nargs == -1:
        notes.append("one or more" if param.required else "any number")
    elif param.required:
        notes.append("required")
    line = f"- {names}" + (f" ({', '.join(notes)})" if notes else "")
    help_text = _one_line(getattr(param, "help", None) or "")
    if help_text:
        line += f": {help_text}"
    default = _default(param)
    if default is not None:
        line += f" Default: `{default}`."
    return line


def _section(path: str, command: Command, ctx: Context) -> list[str]:
    lines = [f"## {path}", ""]
    if help_text := _help(command):
        lines += [help_text, ""]
    lines += ["```", " ".join([path, *command.collect_usage_pieces(ctx)]), "```", ""]
    params = [
        p for p in command.params if not getattr(p, "hidden", False) and "--help" not in p.opts
    ]
    arguments = [p for p in params if p.param_type_name == "argument"]
    options = [p for p in params if p.param_type_name == "option"]
    for title, group in (("Arguments", arguments), ("Options", options)):
        if group:
            lines += [f"{title}:", "", *(_param_line(p, ctx) for p in group), ""]
    if isinstance(command, TyperGroup):
        subs = [n for n in command.list_commands(ctx) if not command.commands[n].hidden]
        lines += ["Commands: " + ", ".join(f"`{name}`" for name in subs) + ".", ""]
    return lines


def reference_markdown(app: typer.Typer | None = None) -> str:
    """The Markdown reference of every command of ``app`` (the ``linkequity`` app by default)."""
    app = cli_app if app is None else app
    lines = [
        "# Command-line reference",
        "",
        f"This page is generated by `{REGENERATE}` and checked by a test, so it always matches"
        " the command line.",
        "",
    ]
    for path, command, ctx in commands(app):
        lines += _section(path, command, ctx)
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(reference_markdown(), end="")
