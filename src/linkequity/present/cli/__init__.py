"""The ``linkequity`` command line: thin Typer wrappers over the library (present stage).

One module per command group: :mod:`~linkequity.present.cli.crawl`,
:mod:`~linkequity.present.cli.imports`, :mod:`~linkequity.present.cli.analysis`,
:mod:`~linkequity.present.cli.backlinks`, :mod:`~linkequity.present.cli.topics`,
:mod:`~linkequity.present.cli.plan`, :mod:`~linkequity.present.cli.compare`,
:mod:`~linkequity.present.cli.report`, :mod:`~linkequity.present.cli.serve` and
:mod:`~linkequity.present.cli.example`; this module
mounts them. Library errors become one red sentence and exit code 1 at the edge
(:func:`~linkequity.present.output.user_errors`), never a traceback.
"""

from __future__ import annotations

import sys

import typer

from linkequity.present.cli import (
    analysis,
    backlinks,
    compare,
    crawl,
    example,
    imports,
    plan,
    report,
    serve,
    topics,
)

__all__ = ["app", "main"]

app = typer.Typer(
    help="Shows how link equity flows through a website and how to rebalance it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# The order of ``linkequity --help``.
app.command("disavow")(backlinks.disavow_command)
app.command("crawl")(crawl.crawl)
app.command("export")(crawl.export)
app.command("summary")(crawl.summary)
app.command("settings")(crawl.show_settings)
app.command("demo")(example.demo)
app.command("analyze")(analysis.analyze_command)
app.command("pages")(analysis.pages_command)
app.command("findings")(analysis.findings_command)
app.command("links")(analysis.links_command)
app.command("anchors")(analysis.anchors_command)
app.command("topics")(topics.topics_command)
app.command("recommend")(plan.recommend_command)
app.command("simulate")(plan.simulate_command)
app.command("compare")(compare.compare_command)
app.command("report")(report.report_command)
app.command("serve")(serve.serve_command)
app.add_typer(example.example_app, name="example")
app.add_typer(backlinks.backlinks_app, name="backlinks")
app.add_typer(imports.import_app, name="import")


def main(argv: list[str] | None = None) -> None:
    """Entry point for ``python -m linkequity``."""
    app(args=argv if argv is not None else sys.argv[1:])
