"""The `qcode` command line: a thin layer that calls `coding/` and `pipelines/` and prints what comes back."""

from __future__ import annotations

import typer

from coding.cli import agreement_cmds, codebook_cmds, codings_cmds, embed_cmds, project_cmds, transcripts_cmds
from coding.cli import export_cmds, report_cmds, suggest_cmds, themes_cmds
from coding.cli import app_cmds, memo_cmds, search_cmds
from coding.cli.common import QcodeGroup

app = typer.Typer(
    cls=QcodeGroup,
    help="qcode: code qualitative interviews locally. Start with 'qcode init' and 'qcode ingest FOLDER'.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command()(transcripts_cmds.init)
app.command()(transcripts_cmds.ingest)
app.command()(transcripts_cmds.transcripts)
app.command()(transcripts_cmds.show)
app.command()(embed_cmds.embed)
app.command()(embed_cmds.config)
app.add_typer(codebook_cmds.app, name="codebook")
app.command("import-codings")(codings_cmds.import_codings)
app.command()(codings_cmds.codings)
app.command()(codings_cmds.undo)
app.command()(codings_cmds.redo)
app.command()(agreement_cmds.agreement)
app.command()(project_cmds.backup)
app.command()(themes_cmds.themes)
app.add_typer(themes_cmds.app, name="theme")
app.command()(suggest_cmds.suggest)
app.command()(suggest_cmds.evaluate)
app.command()(search_cmds.search)
app.add_typer(report_cmds.app, name="report")
app.add_typer(memo_cmds.app, name="memo")
app.command()(export_cmds.export)
app.command("import-qdpx")(export_cmds.import_qdpx)
app.command("app")(app_cmds.open_app)


if __name__ == "__main__":
    app()
