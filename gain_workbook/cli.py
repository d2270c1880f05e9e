"""The `gain-pack` command. The only module that imports click.

Each command parses its options, calls one library function, renders the result and
turns typed errors into one sentence and an exit code (the codes are listed in
errors.py): 0 success, 1 the register has errors (or the job failed on data), 2
misuse or an input that cannot be used, 70 a bug in gain-pack. An error's hints
become the options of the command being run. Tracebacks only with --debug. pandas
and pandera are imported inside the commands, so `gain-pack --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click

from gain_workbook import __version__
from gain_workbook.core import stop
from gain_workbook.core.errors import GainError, InvalidRegisterError
from gain_workbook.core.text import plural

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
EXIT_BUG = 70          # sysexits' EX_SOFTWARE: an internal error, not the user's input


def _echo(text="", err: bool = False, nl: bool = True) -> None:
    """Print text that may hold register values: escape sequences and other control
    characters are shown (\\e, \\x07), never acted on by the terminal."""
    from gain_workbook.core.text import terminal_safe

    click.echo(terminal_safe(str(text)), err=err, nl=nl)


def _echo_csv(text: str) -> None:
    """CSV for Excel: UTF-8 with a byte-order mark, so Excel reads 'Closed – complete' and
    not 'Closed â€“ complete', whatever the console's own code page."""
    from gain_workbook.core.text import terminal_safe

    out = click.get_binary_stream("stdout")
    out.write(("\ufeff" + terminal_safe(text)).encode("utf-8"))
    out.flush()


def _warn_line(message, category, filename, lineno, file=None, line=None) -> None:
    """A library warning that still reaches us is one line of ours, not a screenful."""
    from gain_workbook.core.text import one_line

    first = str(message).strip().splitlines()[0] if str(message).strip() else category.__name__
    _echo(f"gain-pack: warning: {one_line(first)[:300]}", err=True)


class _Group(click.Group):
    """Maps our typed errors to one line on stderr and an exit code; lists the commands
    in the order of an office's month (as they are defined), not alphabetically."""

    def list_commands(self, ctx):
        return list(self.commands)

    def invoke(self, ctx):
        import warnings

        from gain_workbook.core.files import forget_inputs

        forget_inputs()               # each command guards its own inputs
        warnings.showwarning = _warn_line
        try:
            with stop.running():
                done = super().invoke(ctx)
        except GainError as exc:
            if stop.raised() is not None:  # a reading step caught a wrapped stop signal
                _stopped(ctx, stop.raised())
            if _debug(ctx):
                raise
            _notes(exc.notes, _option_for(ctx))
            if isinstance(exc, InvalidRegisterError):
                _invalid(exc)
            _echo(f"gain-pack: {exc.text_for(_option_for(ctx))}", err=True)
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:   # a bad option value is one sentence, like the rest
            if _debug(ctx):
                raise
            where = exc.ctx.command_path if exc.ctx is not None else "gain-pack"
            _echo(f"{where}: {exc.format_message().rstrip('.')} (see '{where} --help').",
                  err=True)
            ctx.exit(EXIT_USAGE)
        except (click.exceptions.Exit, SystemExit):
            if stop.raised() is not None:  # a command ending with its exit code, the stop
                _stopped(ctx, stop.raised())   # caught on the way: it is still a stop
            raise
        except (click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt as exc:
            _stopped(ctx, getattr(exc, "signum", 2))
        except Exception as exc:  # a bug: say so plainly; the traceback is for --debug
            if stop.raised() is not None:  # a stop signal another exception wrapped
                _stopped(ctx, stop.raised())
            if _debug(ctx):
                raise
            from gain_workbook.core.text import one_line

            _echo(f"gain-pack: this is a bug in gain-pack, not a problem with your files "
                  f"({type(exc).__name__}: {one_line(str(exc))[:300]}); run again with "
                  "--debug to see where it happened, and report it.", err=True)
            ctx.exit(EXIT_BUG)
        else:
            if stop.raised() is not None:  # the stop was caught and swallowed on the way
                _stopped(ctx, stop.raised())
            return done


def _stopped(ctx, signum: int):
    """Ctrl+C or a stop signal ended the command: remove what it left, say so, and end
    with 128 + the signal's number."""
    from gain_workbook.core.files import remove_own_leftovers

    remove_own_leftovers()
    _echo(f"gain-pack: {stop.STOPPED}", err=True)
    ctx.exit(128 + signum)


def _option_for(ctx):
    """For hints: the option ('--allow-errors') of the command being run that sets an
    argument ('allow_errors'), or None when it has none. ``ctx``: the group's context
    or the command's."""
    command = ctx.command
    if isinstance(command, click.Group):
        name = ctx.invoked_subcommand
        command = command.get_command(ctx, name) if name else None
    options = {p.name: max(p.opts, key=len) for p in getattr(command, "params", ())
               if isinstance(p, click.Option)}
    return options.get


def _debug(ctx) -> bool:
    root = ctx.find_root()
    return bool((root.params or {}).get("debug") or root.meta.get("gain_debug"))


def _remember_debug(ctx, param, value):
    if value:
        ctx.find_root().meta["gain_debug"] = True


def debug_option(f):
    """--debug on every command as well as on the group."""
    return click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
                        callback=_remember_debug,
                        help="Show a full traceback when something goes wrong.")(f)


def register_argument(f):
    """The REGISTER argument: an existing path (checked properly by the reader)."""
    return click.argument("register", type=click.Path(dir_okay=True, path_type=Path))(f)


class DateType(click.ParamType):
    """A date typed the UK way (28/11/2026) or as ISO (2026-11-28), on the calendar and
    within the years gain-pack handles."""

    name = "date"
    FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y")

    def get_metavar(self, param, ctx=None):
        return "DD/MM/YYYY"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        from gain_workbook.core.dates import EARLIEST, LATEST

        text = str(value).strip()
        day = None
        for fmt in self.FORMATS:
            try:
                day = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if day is None:
            # (the shape of a date, '31/02/2026', but no such day; else no date we read:
            # 'yesterday', '12/31/2024', '31/12/24')
            shaped = re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{1,2}-\d{1,2}", text)
            said = "is not a day on the calendar" if shaped else "is not a date gain-pack reads"
            us = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{4}", text)
            if us and int(us.group(1)) <= 12 < int(us.group(2)) <= 31:
                said += " read day first (it is month first)"
            self.fail(f"'{value}' {said}; write it as day/month/year, "
                      "e.g. 28/11/2026 (or 2026-11-28)", param, ctx)
        if not EARLIEST <= day <= LATEST:
            self.fail(f"{day.day:02d}/{day.month:02d}/{day.year:04d} is outside the years "
                      f"gain-pack works with ({EARLIEST.year} to {LATEST.year})", param, ctx)
        return day


DATE_HELP = "28/11/2026 or 2026-11-28"


DATE = DateType()


def as_of_option(f):
    """--as-of DATE (default today)."""
    return click.option("--as-of", "as_of", type=DATE, default=None,
                        help=f"Date to report as at ({DATE_HELP}); default today.")(f)


def _show_plan(res, fmt: str, apply: bool, before: str) -> None:
    """A plan command's result (merge, decisions): its notes, the plan as text, JSON or
    CSV, where the register before it was kept; exit 0 when clean, else EXIT_DATA."""
    _say(res)
    if fmt == "csv":
        _echo_csv(res.plan.to_csv())
    else:
        _echo(res.plan.to_json() if fmt == "json" else res.plan.to_text(res.applied, asked=apply),
              nl=False)
    if res.backup:
        _echo(f"Wrote {res.register.path} ({before}: {res.backup.name})", err=True)
    sys.exit(EXIT_OK if res.clean else EXIT_DATA)


def _say(res, layout: bool = True) -> None:
    """A result's notes, the layout its register was read in, and its warnings, on stderr."""
    _notes(res.notes, _option_for(click.get_current_context()))
    if layout and getattr(res, "layout", ""):
        _echo(f"gain-pack: {res.layout}", err=True)
    for warning in res.warnings:
        _echo(f"gain-pack: warning: {warning}", err=True)


def _notes(notes, option_of) -> None:
    for note in notes:
        text = note.text_for(option_of) if hasattr(note, "text_for") else str(note)
        _echo(f"gain-pack: note: {text}", err=True)


def _invalid(exc) -> None:
    """Before the sentence: what was read, and the errors that stopped the job."""
    from gain_workbook.core.results import ReadResult

    if exc.register is not None:
        _say(ReadResult(register=exc.register))
    _echo(exc.report.to_text(), err=True, nl=False)


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
@click.option("--force-name", default="", metavar="NAME",
              help="Your force's name, for the Settings sheet (e.g. \"Cleveland Police\").")
@click.option("--example", is_flag=True, help="Fill it with the worked example instead: "
              "another force's inspection, items and actions, to try the commands on.")
@click.option("--blank", is_flag=True, hidden=True)      # the default now; kept for old scripts
@click.option("--force", is_flag=True,
              help="Replace PATH if it already exists (a copy of it is kept beside it).")
@debug_option
def init(path, force_name, example, blank, force):
    """Write a new, empty register workbook to PATH: Inspections, Items and Actions
    sheets with dropdowns, a Guide sheet and Settings. With --example, the worked
    example (Cleveland Police's response to the group-based child sexual exploitation
    inspection) fills it, to try the commands on.

    \b
    Example:
      gain-pack init "Inspection register.xlsx" --force-name "Cleveland Police"
      gain-pack init "Try it.xlsx" --example
    """
    from gain_workbook import api

    res = api.init(path, force_name=force_name, force=force,
                   example=example and not blank)     # the old --blank still means no example
    _echo(f"Wrote {res.path}")
    _say(res)


@cli.command()
@register_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The new register to write (our template).")
@click.option("--force", is_flag=True,
              help="Replace OUTPUT if it already exists (a copy of it is kept beside it).")
@debug_option
def adopt(register, output, force):
    """Write REGISTER (a register your office already keeps, in any layout describe
    understands) into our template: Inspections, Items, Actions and Settings sheets with
    dropdowns and a Guide. Every value is kept, your own columns at the right, the
    Updates and Extension requests history with it, and a "Read from" sheet gives each
    row's original sheet and row. REGISTER is not changed.

    \b
    Example:
      gain-pack adopt "Action tracker.xlsx" -o "Inspection register.xlsx"
    """
    from gain_workbook import api

    res = api.adopt(register, output, force=force)
    _say(res)
    n = res.register.counts
    _echo(f"Wrote {res.path}: {plural(n['inspections'], 'inspection')}, "
          f"{plural(n['items'], 'item')} and {plural(n['actions'], 'action')}, every value kept.")
    if res.report.valid:
        return _echo(f"It is valid: build with gain-pack build \"{res.path}\"")
    # the template asks for values your register had no column for (a Type, say)
    said = res.empty_columns()
    _echo(f"To do before the first build: {plural(len(res.report.errors), 'error')} in the new "
          f"register" + (f" ({said})" if said else "") + f"; gain-pack validate "
          f"\"{res.path}\" lists each with its cell.")


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
    from gain_workbook import api

    res = api.validate(register, annotate=annotate)
    _say(res)
    if fmt == "csv":
        _echo_csv(res.report.to_csv())
    else:
        _echo(res.report.to_json() if fmt == "json" else res.report.to_text(), nl=False)
    if res.annotated:
        _echo(f"Wrote {res.annotated}", err=True)
    sys.exit(EXIT_OK if res.report.valid else EXIT_DATA)


@cli.command("add-report")
@register_argument
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--published", type=DATE, default=None,
              help=f"The report's publication date ({DATE_HELP}), if the text does not give it "
              "(or gives it wrong); deadlines like 'within six months' count from it.")
@click.option("--title", default=None, help="The report's title, if the text does not give it.")
@click.option("--id", "inspection_id", default=None, metavar="ID",
              help="The inspection's id on the register; default the next in the register's "
              "own style (INS-2026-01; VMM-2026, from the title, where its ids are names).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print what was found.")
@click.option("--apply", is_flag=True, help="Write the inspection and its items into REGISTER "
              "(a backup of it is kept beside it); without this, a dry run.")
@debug_option
def add_report(register, source, published, title, inspection_id, fmt, apply):
    """Read a newly published report's recommendations, areas for improvement and causes
    of concern from SOURCE (its text pasted into a .txt file, the web page saved as .html,
    the .pdf or a .docx) and list them for checking: kind, number, text, who it is for,
    whether it applies to the force, and the deadline as written and as a date. With
    --apply, the inspection and its items go onto REGISTER.

    \b
    Example:
      gain-pack add-report register.xlsx "Report text.txt"
      gain-pack add-report register.xlsx report.pdf --published 2026-12-08 --apply
    """
    from gain_workbook import api

    res = api.add_report(register, source, published=published, title=title,
                         inspection_id=inspection_id, apply=apply)
    _say(res, layout=False)
    _echo(res.to_json() if fmt == "json" else
          res.to_text(_option_for(click.get_current_context())), nl=False)
    if res.applied:
        _echo(f"Wrote {res.plan.inspection_id} and {plural(len(res.plan.items), 'item')} to "
              f"{res.register.path} (the register before: {res.backup.name}); the PCC's "
              f"response is due by {res.plan.s55_last_day:%d/%m/%Y}.", err=True)


@cli.command()
@register_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--suggest", is_flag=True,
              help="End with the Settings rows to paste into the register's Settings sheet: "
                   "a guess, from its cells, for each column that is missing, and each column "
                   "read from its values alone.")
@debug_option
def describe(register, fmt, suggest):
    """Say how REGISTER is read: each sheet's role, its header row, and for every column
    the header as written, what it is read as and how it was matched (by our header, an
    alias, a Settings row, its words, or its content); rows not read.

    Exit code 0 when the register can be read, 1 when it cannot (what is missing and
    the Settings rows that fix it are printed), 2 when the file cannot be opened.

    \b
    Example:
      gain-pack describe "Action tracker.xlsx"
      gain-pack describe "Action tracker.xlsx" --suggest
      gain-pack describe register.xlsx --format json
    """
    from gain_workbook import api

    res = api.describe(register)
    _say(res, layout=False)
    _echo(res.plan.to_json() if fmt == "json" else res.plan.to_text(suggest), nl=False)
    sys.exit(EXIT_OK if res.readable else EXIT_DATA)


@cli.command()
@register_argument
@click.option("--by", type=click.Choice(["item", "inspection", "action"]), default="item",
              show_default=True, help="One row per item, inspection or action.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@as_of_option
@debug_option
def rollup(register, by, fmt, as_of):
    """Print the status roll-up the board pack will show: overdue, due soon, stale,
    status and RAG with its reason.

    An invalid register prints its errors and exits 1.

    \b
    Example:
      gain-pack rollup register.xlsx
      gain-pack rollup register.xlsx --by inspection --as-of 2026-11-30
      gain-pack rollup register.xlsx --by action --format csv > actions.csv
    """
    from gain_workbook import api

    res = api.rollup(register, by=by, as_of=as_of)
    _say(res)
    if fmt == "table":
        import shutil

        wide = shutil.get_terminal_size((200, 24)).columns if sys.stdout.isatty() else None
        _echo(res.to_table(wide), nl=False)
    elif fmt == "json":
        _echo(res.to_json(), nl=False)
    else:
        _echo_csv(res.to_csv())


def smtp_options(f, recipients: bool = True):
    """The options that say how to send (override the register's Settings); without
    ``recipients``, no --to and --cc (requests: each owner's address is their own)."""
    opts = [
        click.option("--to", "to", multiple=True, metavar="ADDR",
                     help="Recipient (repeatable); default 'Email to' on the Settings sheet."),
        click.option("--cc", "cc", multiple=True, metavar="ADDR", help="Copy to (repeatable)."),
    ] if recipients else []
    for opt in reversed(opts + [
        click.option("--send", is_flag=True, help="Send instead of writing a draft, as "
                     "--send-by says."),
        click.option("--send-by", type=click.Choice(["smtp", "smtp-oauth", "graph"]),
                     default=None, help="smtp (a password or none), smtp-oauth (Microsoft 365 "
                     "with an OAuth token) or graph (Microsoft Graph) (Settings: Send by). "
                     "OAuth's client secret comes from the system keychain (`gain-pack secret "
                     "set client-secret`), else GAIN_CLIENT_SECRET."),
        click.option("--smtp-host", default=None, metavar="HOST",
                     help="SMTP server (Settings: SMTP host)."),
        click.option("--smtp-port", type=int, default=None, metavar="PORT",
                     help="SMTP port (Settings: SMTP port)."),
        click.option("--smtp-security", type=click.Choice(["starttls", "ssl", "none"]),
                     default=None, help="How to secure the connection (Settings: SMTP security)."),
        click.option("--smtp-user", default=None, metavar="USER", help="User to log in as; the "
                     "password comes from the system keychain (`gain-pack secret set "
                     "smtp-password`), else GAIN_SMTP_PASSWORD, else a hidden prompt; never an "
                     "option."),
        click.option("--from", "sender", default=None, metavar="ADDR",
                     help="Sender address (Settings: Email from; default the SMTP user)."),
        click.option("--cafile", type=click.Path(dir_okay=False, exists=True), default=None,
                     metavar="PEM", help="Extra CA certificate(s) to trust for the server (and "
                     "for Microsoft's sign-in and Graph, behind a proxy)."),
        click.option("--timeout", type=float, default=30.0, show_default=True, metavar="SECONDS",
                     help="Seconds to wait for the server."),
    ]):
        f = opt(f)
    return f


def server_options(f):
    """smtp_options without --to and --cc."""
    return smtp_options(f, recipients=False)


@cli.command()
@register_argument
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The folder to write to; default 'Update requests YYYY-MM' beside the "
              "register.")
@as_of_option
@click.option("--respond-by", type=DATE, default=None,
              help="The reply-by date; default the as-of date plus 'Reply within (days)'.")
@click.option("--owner", multiple=True, metavar="NAME",
              help="Only this owner (repeatable), named as the register names them.")
@server_options
@debug_option
def requests(register, output, as_of, respond_by, owner, **opts):
    """Write an update request for every owner with open actions: a workbook of their
    actions with yellow cells to fill in, and an Outlook draft (.eml) to them with it
    attached, their overdue and due-soon actions named (with --send, emailed through
    the SMTP server instead). Addresses come from the register's Owners sheet; owners
    without one that can be used are listed and their workbooks still written (with
    --send, the command then ends with exit code 1). The register is only read.

    \b
    Example:
      gain-pack requests "Inspection register.xlsx"
      gain-pack requests register.xlsx --respond-by 12/12/2026 --owner "Supt J Smith"
    """
    from gain_workbook import api

    res = api.requests(register, output=output, as_of=as_of, respond_by=respond_by,
                       owner=owner, **opts, ask=_ask, sign_in=_sign_in())
    _say(res)
    for req, book, outcome in zip(res.requests, res.workbooks, res.outcomes):
        how = outcome if res.sent and outcome else ("draft written" if outcome else
                                                   f"NO EMAIL: {req.no_email}")
        _echo(f"{req.owner}: {plural(len(req.actions), 'open action')} -> {book.name} ({how})")
    missing = len(res.no_address)
    _echo(f"Wrote {plural(len(res.requests), 'update request')} in {res.folder}, reply by "
          f"{res.reply_by:%d/%m/%Y}" + (
              f"; {missing} {'was' if missing == 1 else 'were'} not emailed, for want of an "
              "email address that can be used (send their workbooks by hand, or correct "
              "the Owners sheet and run again with --owner)" if missing and res.sent else
              f"; {missing} with no draft addressed, for want of an email address that can "
              "be used" if missing else "") + ".")
    if res.sent and missing:
        sys.exit(EXIT_DATA)             # (a scheduled run must see that some were not sent)


@cli.command()
@register_argument
@click.argument("replies", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--apply", is_flag=True, help="Write the changes into REGISTER (a backup of it "
              "is kept beside it); without this, a dry run.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="How to print what would change and the problems.")
@click.option("--as-of", "as_of", type=DATE, default=None,
              help=f"The day of the merge ({DATE_HELP}); default today. A reply is dated the "
              "day it was saved, never later.")
@debug_option
def merge(register, replies, apply, fmt, as_of):
    """Merge owners' replies (the request workbooks, filled in) into REGISTER: list per
    action what would change (field: old -> new) and every problem (a conflict with a
    change made since the request, a bad date, a status not in the list, a locked cell
    edited, another owner's action, the same reply twice, a reply from another
    register). An owner's 'Ready for closure' or 'Closed' is recorded as Ready for
    closure, for the board to close. With --apply, the accepted
    changes are written into the register, each on its Updates sheet; new due dates
    asked for go on its Extension requests sheet for the board, not into Due. A folder
    given as REPLIES stands for the replies saved in it.

    Exit code 0 when every reply applies cleanly, 1 when some have problems, 2 when a
    file cannot be read.

    \b
    Example:
      gain-pack merge register.xlsx replies/*.xlsx
      gain-pack merge register.xlsx "Update requests 2026-12" --apply
      gain-pack merge register.xlsx replies/*.xlsx --apply --format csv > merged.csv
    """
    from gain_workbook import api

    res = api.merge(register, replies, apply=apply, as_of=as_of)
    _show_plan(res, fmt, apply, "the register before the merge")


@cli.command()
@register_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The pack to write; default 'GAIN board pack YYYY-MM.xlsx' beside the register.")
@as_of_option
@click.option("--meeting", type=DATE, default=None,
              help=f"The board meeting date ({DATE_HELP}), shown on the cover; a warning "
                   "says so when it is before --as-of.")
@click.option("--previous", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Last month's register or pack, for the Movement sheet.")
@click.option("--allow-errors", is_flag=True,
              help="Build even if the register has errors; they are listed on Data quality.")
@click.option("--requests", "requests_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="The month's update requests folder, for the owners whose "
              "reply is not merged; default 'Update requests YYYY-MM' beside the register, "
              "if there.")
@debug_option
def build(register, output, as_of, meeting, previous, allow_errors, requests_dir):
    """Write the monthly board pack for REGISTER: cover, summary with charts, items,
    exceptions, movement, actions, responses and data quality, print-ready on A4.

    \b
    Example:
      gain-pack build register.xlsx
      gain-pack build register.xlsx --meeting 2026-12-03 --previous "GAIN board pack 2026-10.xlsx"
    """
    import contextlib

    from gain_workbook import api

    with contextlib.ExitStack() as stack:
        res = api.build(register, output=output, as_of=as_of, meeting=meeting,
                        previous=previous, allow_errors=allow_errors, requests=requests_dir,
                        progress=lambda total: _progress(stack, total, "Writing the pack"))
    _say(res)
    _echo(f"Wrote {res.path}")
    _echo(res.summary())


@cli.command()
@register_argument
@click.argument("pack", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--apply", is_flag=True, help="Record the decisions in REGISTER (a backup of it "
              "is kept beside it); without this, a dry run.")
@click.option("--meeting", type=DATE, default=None,
              help=f"The meeting's date ({DATE_HELP}); default the one PACK was built for.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="How to print what would change and the problems.")
@debug_option
def decisions(register, pack, apply, meeting, fmt):
    """Record the board's decisions, typed into PACK's For decision sheet (Agreed, Not
    agreed or Deferred, and a note), in REGISTER: list what each would change (a sign-off
    dates the item and closes its actions, an agreed new date goes into Revised due, a
    refused one marks the request) and every problem (a row changed in the register since
    the pack was built, a row gone, a decision that cannot be read). With --apply, the
    clean decisions are written, each on the Updates sheet dated the meeting.

    Exit code 0 when every decision applies cleanly, 1 when some have problems, 2 when a
    file cannot be read.

    \b
    Example:
      gain-pack decisions register.xlsx "GAIN board pack 2026-11.xlsx"
      gain-pack decisions register.xlsx "GAIN board pack 2026-11.xlsx" --apply
    """
    from gain_workbook import api

    res = api.decisions(register, pack, meeting=meeting, apply=apply)
    _show_plan(res, fmt, apply, "the register before")


@cli.command()
@register_argument
@click.option("--inspection", "inspection_id", default=None, metavar="ID",
              help="The inspection to respond to (its Inspection ID).")
@click.option("--all", "all_", is_flag=True, help="Every inspection, one sheet each.")
@click.option("--open", "open_", is_flag=True,
              help="Every inspection whose response is still to be sent.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The workbook to write; default 'PCC response – TITLE – DATE.xlsx' beside "
              "the register.")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="An edited copy of templates/response_process.txt for the GAIN process "
              "text (default: the 'Response template' Setting, else the built-in text).")
@click.option("--working", is_flag=True, help="Write the office's working copy instead: "
              "adds owners, due dates, RAG and the statutory position, under the board "
              "pack's marking. Not for publication.")
@click.option("--pdf", is_flag=True, help="Also write a tagged PDF (for the PCC's website), "
              "made from the Word copy with LibreOffice.")
@click.option("--docx", is_flag=True, help="Also write a Word document, to edit the final "
              "words in Word.")
@click.option("--html", is_flag=True, help="Also write the response as one accessible web "
              "page (for the PCC's website).")
@as_of_option
@click.option("--allow-errors", is_flag=True, help="Write even if the register has errors.")
@debug_option
def response(register, inspection_id, all_, open_, output, template, working, pdf, docx,
             html, as_of, allow_errors):
    """Write the PCC's section 55 response for an inspection, as it is published:
    details, summary, every recommendation, the force's response, the PCC's response
    and the office-use boxes; nothing internal (no marking unless 'Response marking'
    is set, no owners, RAG, ids or as-at dates). --working writes the office's copy.

    \b
    Example:
      gain-pack response register.xlsx --inspection INS-2023-07 --docx
      gain-pack response register.xlsx --open --pdf --html
      gain-pack response register.xlsx --open --working
    """
    from gain_workbook import api

    if sum(bool(x) for x in (inspection_id, all_, open_)) != 1:
        raise click.UsageError("Say which response to write: --inspection ID, --all or --open.")
    res = api.response(register, inspection_id=inspection_id, all_=all_, open_=open_,
                       output=output, template=template, working=working, pdf=pdf, docx=docx,
                       html=html, as_of=as_of, allow_errors=allow_errors)
    _say(res)
    if not res.written:
        return                  # (the note says no response is waiting)
    first, *more = res.written
    _echo(f"Wrote {first} ({plural(res.inspections, 'inspection')}"
          f"{', working copy: not for publication' if working else ''})")
    for path in more:
        _echo(f"Wrote {path}")
    for path, backup in res.kept:
        _echo(f"{path.name}: kept the previous version as {backup.name}")


def _ask(what: str, confirm: bool = False):
    """A secret typed at a hidden prompt, or None where nobody can type (a scheduled job):
    the keychain and the environment come first (mail/secrets.py)."""
    if not sys.stdin.isatty():
        return None
    return click.prompt(what, hide_input=True, confirmation_prompt=confirm, err=True)


def _sign_in():
    """How Microsoft's device-code sign-in is shown to a person at a terminal; None
    where nobody would read it (then only a saved sign-in can be used)."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    return lambda message: _echo(f"gain-pack: {message}", err=True)


def _progress(stack, total: int, label: str):
    """A progress bar's update function for a long job on a terminal, else None."""
    if not (sys.stderr.isatty() and total > 20000):
        return None
    bar = stack.enter_context(click.progressbar(length=total, label=label, file=sys.stderr))
    return bar.update


def _dry_run(res) -> str:
    """What a dry run of email would send: how, the headers, the attachment and the body."""
    msg, mail = res.message, res.mail
    lines = [f"Dry run: would {'write' if res.draft else 'send through'} {res.via}; "
             "nothing sent or written."]
    lines += [f"{h}: {msg[h]}" for h in ("From", "To", "Cc", "Subject", "X-Unsent") if msg.get(h)]
    lines.append(f"Attachment: {mail.filename} ({len(mail.attachment):,} bytes, "
                 f"{'encrypted, ' if res.encrypted else ''}{'/'.join(mail.mime)})")
    return "\n".join(lines + ["", mail.body.rstrip()])


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--register", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Take recipients, marking and mail settings from this register's Settings.")
@click.option("--subject", default=None, help="Subject (the protective marking is put first).")
@click.option("--body-template", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="An edited copy of templates/email_body.txt.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the draft; default FILE with .eml beside it.")
@click.option("--encrypt", is_flag=True, help="Password-protect the attached workbook with "
              "Office encryption (password from the system keychain, `gain-pack secret set "
              "attachment-password`, else GAIN_ATTACHMENT_PASSWORD, else a prompt).")
@click.option("--dry-run", is_flag=True, help="Show exactly what would be sent; send nothing.")
@smtp_options
@debug_option
def email(file, register, subject, body_template, output, encrypt, dry_run, **opts):
    """Email FILE (the board pack, or a PCC response as .xlsx, .docx, .pdf or .html): by default
    an Outlook draft (.eml) to review and send from your own mailbox; with --send,
    through the SMTP server. A response goes to 'Response to' on the Settings sheet
    (the Home Office and HMICFRS), with its own subject and body.

    With --send, it goes as 'Send by' on the Settings sheet says: smtp, smtp oauth
    (Microsoft 365 SMTP with an OAuth token from Entra ID) or graph (Microsoft Graph).
    Secrets, in order: the system keychain (`gain-pack secret set NAME`), then the
    environment variable (GAIN_SMTP_PASSWORD, GAIN_CLIENT_SECRET,
    GAIN_ATTACHMENT_PASSWORD), then a hidden prompt; never an option.

    Exit code 2 for settings to fix (host, port, TLS, certificate, login, what Microsoft
    365's administrator must allow), 1 when the message did not get through (timeout, a
    recipient refused).

    \b
    Example:
      gain-pack email "GAIN board pack 2026-11.xlsx" --register register.xlsx
      gain-pack email pack.xlsx --to dcc@force.police.uk --send --smtp-host mail.force.police.uk
    """
    from gain_workbook import api

    res = api.email(file, register=register, subject=subject, body_template=body_template,
                    output=output, encrypt=encrypt, dry_run=dry_run, **opts, ask=_ask,
                    sign_in=_sign_in())
    _say(res)
    _echo(_dry_run(res) if dry_run else res.outcome)


@cli.command()
@click.argument("action", type=click.Choice(["set", "delete", "list"]))
@click.argument("name", required=False, metavar="[NAME]")
@debug_option
def secret(action, name):
    """Keep a secret in the system keychain (Windows Credential Manager, macOS Keychain,
    Secret Service on a Linux desktop), so that no password sits in a scheduled task or
    a script. NAME is smtp-password (an SMTP login's password), client-secret (the
    Microsoft 365 app registration's), certificate-password (its certificate file's) or
    attachment-password (for --encrypt). 'set' asks for the value at a hidden prompt
    (or reads one line from standard input); 'list' says where each would come from now,
    in order: the keychain, then its environment variable, then a prompt. Where there is
    no keychain (a server, a job with no desktop session) nothing is stored, and the
    environment variable is the way: never a plain-text file.

    \b
    Example:
      gain-pack secret set client-secret
      gain-pack secret list
    """
    from gain_workbook import api

    if action != "list" and not name:
        raise click.UsageError(f"Say which secret to {action}, e.g. 'secret {action} "
                               "smtp-password'.")
    if action == "set":
        res = api.secret_set(name, _ask(f"The value of {name}", confirm=True)
                             or sys.stdin.readline().rstrip("\r\n"))
    else:
        res = api.secret_delete(name) if action == "delete" else api.secret_list()
    _say(res)
    for row in res.rows or ():
        _echo(f"{row[0]}: {row[1]} (else {row[2]}, else a prompt)")
    if res.outcome:
        _echo(res.outcome)


@cli.command()
@register_argument
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the pack, responses and draft go (made if missing); default the "
                   "register's folder.")
@as_of_option
@click.option("--meeting", type=DATE, default=None,
              help=f"The board meeting date ({DATE_HELP}).")
@click.option("--log", "log_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Log file to append a line per run to; default gain-pack.log in --out-dir.")
@click.option("--no-email", is_flag=True, help="Stop after the pack and responses.")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The responses' process text, as for 'response --template' (default: "
              "the 'Response template' Setting, else the built-in text).")
@smtp_options
@debug_option
def monthly(register, out_dir, as_of, meeting, log_file, no_email, template, **opts):
    """The month in one go, for Task Scheduler or cron: validate, build the pack (with
    last month's pack as --previous when it is beside it), write the responses still
    to be sent, then an email draft (or --send) that lists them. Stops at a failing
    validate or build with a clear message and a non-zero exit, and never emails a
    pack from an invalid register; if only the responses fail, the email still goes
    and says so, and the run ends with that error. Appends one line per run to the log.

    \b
    Example:
      gain-pack monthly "C:\\GAIN\\Inspection register.xlsx" --meeting 2026-12-03
      gain-pack monthly register.xlsx --send --smtp-host mail.force.police.uk
    """
    from gain_workbook import api

    res = api.monthly(register, out_dir=out_dir, as_of=as_of, meeting=meeting,
                      log_file=log_file, no_email=no_email, template=template, **opts,
                      ask=_ask, sign_in=_sign_in())
    for step, outcome in res.steps:
        _echo(f"{step}: {outcome}")
    _say(res)
    if res.error is not None:
        raise res.error


PLAIN_ENV = "GAIN_PLAIN_PYTHON"
UNUSED_LIBRARIES = ("hypothesis", "geopandas")   # what pandera reaches for and we never use


def lean_process() -> bool:
    """Run the command in a leaner interpreter, unless GAIN_PLAIN_PYTHON=1 asks for
    Python's defaults (to profile, debug a leak, or rule these out). Returns whether
    the tweaks are on; ``main`` then also ends the process with os._exit.

    * pandera imports hypothesis, when it happens to be installed, for its data
      synthesis, which gain-pack never uses; marking it absent for this process saves
      ~0.15 s of every command that validates (pandera treats it as not installed).
    * pandera also tries ``import geopandas`` each time it meets a dtype outside its
      registry, some 60 times in a small register's validation; a failed import is not
      remembered, so each one searched sys.path again: 7-10 ms, a fiftieth of the run.
      gain-pack has no geometry columns; marked absent, each attempt fails at once.
    * The cyclic garbage collector is off: a build allocates millions of objects that
      reference counting frees, and the collector kept scanning them, spending 0.2 s
      of a 5,000-action build and 1.5-2 s at 100,000 in collections that found about
      a thousand objects in all; peak memory is the same without it.
    * When the command has finished, its output is flushed and the process ends with
      os._exit: every file was already written and closed (atomically), and Python's
      own shutdown would only spend time freeing memory the system takes back anyway,
      about 0.3 s (15% of a 5,000-action build).
    """
    import os

    if os.environ.get(PLAIN_ENV, "").strip() not in ("", "0"):
        return False
    for unused in UNUSED_LIBRARIES:
        sys.modules.setdefault(unused, None)
    import gc

    gc.disable()
    return True


def main():
    """Run the command line in this process (``__main__.main``, the ``gain-pack`` entry
    point, calls it once the stop signals are caught; see ``stop``).

    The process is tuned by ``lean_process`` (one switch, GAIN_PLAIN_PYTHON=1, turns
    it off). An exception that escapes click (``--debug``) takes the normal path, so
    its traceback is printed as usual.
    """
    stop.catch_signals()         # (again: the entry point, __main__, did so before click)
    lean = lean_process()
    try:
        cli(prog_name="gain-pack")
        code = 0                 # (click exits by itself; this is for completeness)
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed pipe ('gain-pack rollup | head')
            pass
    if not lean:
        sys.exit(code)
    import os

    os._exit(code)


if __name__ == "__main__":   # pragma: no cover
    main()
