"""The `gain-pack` command. The only module that imports click.

Each command parses its options, calls one library function, renders the result and
turns typed errors into one sentence and an exit code:
0 success, 1 the register has errors (or the job failed on data), 2 misuse or an
unreadable input. Tracebacks only with --debug. pandas and pandera are imported
inside the commands, so `gain-pack --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from gain_workbook import __version__
from gain_workbook.errors import GainError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class _Group(click.Group):
    """Maps our typed errors to one line on stderr and an exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GainError as exc:
            if _debug(ctx):
                raise
            click.echo(f"gain-pack: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("gain-pack: interrupted.", err=True)
            ctx.exit(130)
        except Exception as exc:  # a bug: say so plainly; the traceback is for --debug
            if _debug(ctx):
                raise
            click.echo(f"gain-pack: unexpected error ({type(exc).__name__}: {exc}); run again "
                       "with --debug for details and report it.", err=True)
            ctx.exit(EXIT_USAGE)


def _debug(ctx) -> bool:
    root = ctx.find_root()
    return bool((root.params or {}).get("debug")) or "--debug" in sys.argv


def debug_option(f):
    """--debug on every command as well as on the group."""
    return click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                        help="Show a full traceback when something goes wrong.")(f)


def register_argument(f):
    """The REGISTER argument: an existing path (checked properly by the reader)."""
    return click.argument("register", type=click.Path(dir_okay=True, path_type=Path))(f)


def as_of_option(f):
    """--as-of YYYY-MM-DD (default today)."""
    return click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
                        help="Date to report as at (YYYY-MM-DD); default today.")(f)


def _note_if_open(register) -> None:
    if getattr(register, "open_in_excel", False):
        click.echo(f"gain-pack: note: '{register.path.name}' is open in Excel; reading the "
                   "version last saved.", err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="gain-pack")
@click.option("--debug", is_flag=True, help="Show a full traceback when something goes wrong.")
def cli(debug):
    """Keep the HMICFRS inspection register in Excel; check it, roll it up, and write the
    GAIN Board pack and the PCC's response.

    \b
    Example:
      gain-pack init "Inspection register.xlsx"
      gain-pack validate "Inspection register.xlsx"
    """


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--blank", is_flag=True, help="No worked example: just the headers, dropdowns "
              "and Guide.")
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
@debug_option
def init(path, blank, force):
    """Write a new register workbook to PATH, with dropdowns, a Guide sheet and (unless
    --blank) the worked example from the PCC response reference.

    \b
    Example:
      gain-pack init "Inspection register.xlsx"
    """
    from gain_workbook.template import write_template

    out = write_template(path, blank=blank, force=force)
    click.echo(f"Wrote {out}")


@cli.command()
@register_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="How to print the problems.")
@click.option("--annotate", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a copy of the register with each problem cell marked.")
@debug_option
def validate(register, fmt, annotate):
    """Check REGISTER and list every problem with its cell, in plain English.

    Exit code 0 when the register is valid (warnings allowed), 1 when it has errors,
    2 when it cannot be read.

    \b
    Example:
      gain-pack validate "Inspection register.xlsx"
      gain-pack validate register.xlsx --format csv > problems.csv
      gain-pack validate register.xlsx --annotate "register (checked).xlsx"
    """
    from gain_workbook.validate import check

    reg, report = check(register)
    _note_if_open(reg)
    out = {"text": report.to_text, "json": report.to_json, "csv": report.to_csv}[fmt]()
    click.echo(out, nl=False)
    if annotate:
        from gain_workbook.annotate import annotate as write_annotated

        write_annotated(register, report, annotate)
        click.echo(f"Wrote {annotate}", err=True)
    sys.exit(EXIT_OK if report.valid else EXIT_DATA)


def main():
    """Console-script entry point."""
    cli(prog_name="gain-pack")


if __name__ == "__main__":   # pragma: no cover
    main()
