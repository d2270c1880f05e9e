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
import sys
from pathlib import Path

import click

from gain_workbook import __version__
from gain_workbook.errors import GainError, InvalidRegisterError, ToolError, UsageError
from gain_workbook.text import plural

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
EXIT_BUG = 70          # sysexits' EX_SOFTWARE: an internal error, not the user's input


def _echo(text="", err: bool = False, nl: bool = True) -> None:
    """Print text that may hold register values: escape sequences and other control
    characters are shown (\\e, \\x07), never acted on by the terminal."""
    from gain_workbook.text import terminal_safe

    click.echo(terminal_safe(str(text)), err=err, nl=nl)


def _echo_csv(text: str) -> None:
    """CSV for Excel: UTF-8 with a byte-order mark, so Excel reads 'Closed – complete' and
    not 'Closed â€“ complete', whatever the console's own code page."""
    from gain_workbook.text import terminal_safe

    out = click.get_binary_stream("stdout")
    out.write(("\ufeff" + terminal_safe(text)).encode("utf-8"))
    out.flush()


def _warn_line(message, category, filename, lineno, file=None, line=None) -> None:
    """A library warning that still reaches us is one line of ours, not a screenful."""
    from gain_workbook.text import one_line

    first = str(message).strip().splitlines()[0] if str(message).strip() else category.__name__
    _echo(f"gain-pack: warning: {one_line(first)[:300]}", err=True)


class _Group(click.Group):
    """Maps our typed errors to one line on stderr and an exit code."""

    def invoke(self, ctx):
        import warnings

        from gain_workbook.files import forget_inputs

        forget_inputs()               # each command guards its own inputs
        warnings.showwarning = _warn_line
        try:
            return super().invoke(ctx)
        except GainError as exc:
            if _debug(ctx):
                raise
            _echo(f"gain-pack: {exc.text_for(_option_for(ctx))}", err=True)
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:   # a bad option value is one sentence, like the rest
            if _debug(ctx):
                raise
            where = exc.ctx.command_path if exc.ctx is not None else "gain-pack"
            _echo(f"{where}: {exc.format_message()} (see '{where} --help').", err=True)
            ctx.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt as exc:
            from gain_workbook.files import remove_own_leftovers

            remove_own_leftovers()
            _echo("gain-pack: stopped before it finished; nothing half-written was left "
                  "behind.", err=True)
            ctx.exit(128 + getattr(exc, "signum", 2))
        except Exception as exc:  # a bug: say so plainly; the traceback is for --debug
            if _debug(ctx):
                raise
            from gain_workbook.text import one_line

            _echo(f"gain-pack: this is a bug in gain-pack, not a problem with your files "
                  f"({type(exc).__name__}: {one_line(str(exc))[:300]}); run again with "
                  "--debug to see where it happened, and report it.", err=True)
            ctx.exit(EXIT_BUG)


def _option_for(ctx):
    """For an error's hints: the option ('--allow-errors') of the command being run that
    sets an argument ('allow_errors'), or None when the command has none."""
    name = ctx.invoked_subcommand
    command = ctx.command.get_command(ctx, name) if name else None
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
    FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y")

    def get_metavar(self, param, ctx=None):
        return "DD/MM/YYYY"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        from gain_workbook.dates import EARLIEST, LATEST

        text = str(value).strip()
        day = None
        for fmt in self.FORMATS:
            try:
                day = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if day is None:
            self.fail(f"'{value}' is not a date on the calendar; write it as day/month/year, "
                      "e.g. 28/11/2026 (or 2026-11-28)", param, ctx)
        if not EARLIEST <= day <= LATEST:
            self.fail(f"{day:%d/%m/%Y} is outside the years gain-pack works with "
                      f"({EARLIEST.year} to {LATEST.year})", param, ctx)
        return day


DATE_HELP = "28/11/2026 or 2026-11-28"


DATE = DateType()


def as_of_option(f):
    """--as-of DATE (default today)."""
    return click.option("--as-of", "as_of", type=DATE, default=None,
                        help=f"Date to report as at ({DATE_HELP}); default today.")(f)


def _note_if_open(register) -> None:
    if getattr(register, "open_in_excel", False):
        _echo(f"gain-pack: note: '{register.path.name}' is open in Excel; reading the "
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
@click.option("--force-name", default="", metavar="NAME",
              help="Your force's name, for the Settings sheet (e.g. \"Cleveland Police\").")
@click.option("--example", is_flag=True, help="Fill it with the worked example instead: "
              "another force's inspection, items and actions, to try the commands on.")
@click.option("--blank", is_flag=True, hidden=True)      # the default now; kept for old scripts
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
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
    from gain_workbook.register_template import write_register_template

    example = example and not blank          # the old --blank still means no example
    out = write_register_template(path, example=example, force=force, force_name=force_name)
    _echo(f"Wrote {out}")
    if not force_name and not example:
        _echo("gain-pack: note: Force name is blank on the Settings sheet; fill it in before "
              "the first pack (the pack, the response and emails print it).", err=True)


@cli.command()
@register_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The new register to write (our template).")
@click.option("--force", is_flag=True, help="Replace OUTPUT if it already exists.")
@debug_option
def adopt(register, output, force):
    """Write REGISTER (a register your office already keeps, in any layout describe
    understands) into our template: Inspections, Items, Actions and Settings sheets with
    dropdowns and a Guide. Every value is kept, your own columns at the right, and a
    "Read from" sheet gives each row's original sheet and row. REGISTER is not changed.

    \b
    Example:
      gain-pack adopt "Action tracker.xlsx" -o "Inspection register.xlsx"
    """
    from gain_workbook.adopt import adopt as adopt_register

    path, reg = adopt_register(register, output, force=force)
    _note_if_open(reg)
    _layout(reg)
    n = reg.counts
    _echo(f"Wrote {path}: {plural(n['inspections'], 'inspection')}, {plural(n['items'], 'item')} "
          f"and {plural(n['actions'], 'action')}, every value kept.")
    from gain_workbook.validate import check

    _, report = check(path)
    if not report.valid:
        # the template asks for values your register had no column for (a Type, say)
        empty: dict = {}
        for p in report.errors:
            if p.code == "REQUIRED_MISSING":
                empty[(p.sheet, p.header)] = empty.get((p.sheet, p.header), 0) + 1
        said = "; ".join(f"{h} is empty in {plural(k, 'row')} of {sheet}"
                         for (sheet, h), k in empty.items())
        others = len(report.errors) - sum(empty.values())
        if said and others:
            said += f"; {plural(others, 'other')}"
        _echo(f"To do before the first build: {plural(len(report.errors), 'error')} in the new "
              f"register" + (f" ({said})" if said else "") + f"; gain-pack validate "
              f"\"{path}\" lists each with its cell.")
    else:
        _echo(f"It is valid: build with gain-pack build \"{path}\"")


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
    _layout(reg)
    if fmt == "csv":
        _echo_csv(report.to_csv())
    else:
        _echo(report.to_json() if fmt == "json" else report.to_text(), nl=False)
    if annotate:
        from gain_workbook.annotate import annotate as write_annotated

        write_annotated(register, report, annotate)
        _echo(f"Wrote {annotate}", err=True)
    sys.exit(EXIT_OK if report.valid else EXIT_DATA)


def _layout(reg) -> None:
    """One line on stderr: the layout the register was read in, and from which sheets."""
    if reg.plan is not None:
        _echo(f"gain-pack: {reg.plan.layout_line()}", err=True)


def _checked(register, allow_errors: bool = False):
    """Read and validate; stop with the errors (exit 1) unless they are allowed."""
    from gain_workbook.validate import check

    reg, report = check(register)
    _note_if_open(reg)
    _layout(reg)
    if not report.valid and not allow_errors:
        _echo(report.to_text(), err=True, nl=False)
        raise InvalidRegisterError(report)
    return reg, report


def _as_of(value) -> dt.date:
    return value or dt.date.today()


@cli.command()
@register_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@debug_option
def describe(register, fmt):
    """Say how REGISTER is read: each sheet's role, its header row, and for every column
    the header as written, what it is read as and how it was matched; rows not read.

    Exit code 0 when the register can be read, 1 when it cannot (what is missing and
    the Settings line that fixes it are printed), 2 when the file cannot be opened.

    \b
    Example:
      gain-pack describe "Action tracker.xlsx"
      gain-pack describe register.xlsx --format json
    """
    from gain_workbook.register import describe_workbook

    plan, reg = describe_workbook(register)
    if reg is not None:
        _note_if_open(reg)
    _echo(plan.to_json() if fmt == "json" else plan.to_text(), nl=False)
    sys.exit(EXIT_OK if reg is not None else EXIT_DATA)


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
    from gain_workbook import views
    from gain_workbook.rollup import roll_up

    from gain_workbook.rollup import rollup_problems

    reg, _ = _checked(register)
    result = roll_up(reg, _as_of(as_of))
    for p in rollup_problems(reg, result):
        _echo(f"gain-pack: warning: {p.where}: {p.message}", err=True)
    headers, rows = views.records(result, by)
    if fmt == "table":
        import shutil

        wide = shutil.get_terminal_size((200, 24)).columns if sys.stdout.isatty() else None
        _echo(views.as_table(headers, rows, wide), nl=False)
    elif fmt == "json":
        _echo(views.as_json(headers, rows, result.as_of), nl=False)
    else:
        _echo_csv(views.as_csv(headers, rows))


@cli.command()
@register_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The pack to write; default 'GAIN board pack YYYY-MM.xlsx' beside the register.")
@as_of_option
@click.option("--meeting", type=DATE, default=None,
              help=f"The board meeting date ({DATE_HELP}), shown on the cover.")
@click.option("--previous", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Last month's register or pack, for the Movement sheet.")
@click.option("--allow-errors", is_flag=True,
              help="Build even if the register has errors; they are listed on Data quality.")
@debug_option
def build(register, output, as_of, meeting, previous, allow_errors):
    """Write the monthly board pack for REGISTER: cover, summary with charts, items,
    exceptions, movement, actions, responses and data quality, print-ready on A4.

    \b
    Example:
      gain-pack build register.xlsx
      gain-pack build register.xlsx --meeting 2026-12-03 --previous "GAIN board pack 2026-10.xlsx"
    """
    from gain_workbook.pack import build_pack, default_pack_name
    from gain_workbook.rollup import roll_up

    day = _as_of(as_of)
    out = output or default_pack_name(register, day)
    from gain_workbook.rollup import rollup_problems

    reg, report = _checked(register, allow_errors)
    result = roll_up(reg, day)
    report = report.adding(rollup_problems(reg, result))
    movement = None
    if previous is not None:
        from gain_workbook.movement import compare, read_previous, snapshot_of

        movement = compare(read_previous(previous, day), snapshot_of(result))
    import contextlib

    total = len(result.items) + len(result.actions)
    show = sys.stderr.isatty() and total > 20000          # only long builds, only on a terminal
    bar_cm = click.progressbar(length=total, label="Writing the pack", file=sys.stderr) \
        if show else contextlib.nullcontext()
    with bar_cm as bar:
        path = build_pack(result, report, out, meeting=meeting,
                          movement=movement, register_name=reg.path.name,
                          progress=bar.update if bar is not None else None)
    head = result.headline()
    _echo(f"Wrote {path}")
    _echo(f"{plural(head['open_items'], 'open item')}, "
          f"{plural(head['overdue_actions'], 'overdue action')}, "
          f"{head['ready_for_closure']} ready for closure, "
          f"{plural(head['responses_due'], 'response')} not yet sent (as at {day:%d/%m/%Y}).")


@cli.command()
@register_argument
@click.option("--inspection", "inspection_id", default=None, metavar="ID",
              help="The inspection to respond to (its Inspection ID).")
@click.option("--all", "all_", is_flag=True, help="Every inspection, one sheet each.")
@click.option("--open", "open_", is_flag=True,
              help="Every inspection whose response is still to be sent.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The workbook to write; default 'PCC response ID.xlsx' beside the register.")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="An edited copy of templates/response_process.txt for the GAIN process "
              "text (default: the 'Response template' Setting, else the built-in text).")
@click.option("--working", is_flag=True, help="Write the office's working copy instead: "
              "adds owners, due dates, RAG and the statutory position, under the board "
              "pack's marking. Not for publication.")
@click.option("--pdf", is_flag=True, help="Also write a PDF (for the PCC's website) with "
              "LibreOffice.")
@click.option("--docx", is_flag=True, help="Also write a Word document, to edit the final "
              "words in Word.")
@as_of_option
@click.option("--allow-errors", is_flag=True, help="Write even if the register has errors.")
@debug_option
def response(register, inspection_id, all_, open_, output, template, working, pdf, docx,
             as_of, allow_errors):
    """Write the PCC's section 55 response for an inspection, as it is published:
    details, summary, every recommendation, the force's response, the PCC's response
    and the office-use boxes; nothing internal (no marking unless 'Response marking'
    is set, no owners, RAG, ids or as-at dates). --working writes the office's copy.

    \b
    Example:
      gain-pack response register.xlsx --inspection INS-2023-07 --docx
      gain-pack response register.xlsx --open --pdf
      gain-pack response register.xlsx --open --working
    """
    from gain_workbook.files import check_output
    from gain_workbook.libreoffice import LIBREOFFICE_MISSING, find_soffice, to_pdf
    from gain_workbook.response import (default_response_name, documents,
                                        load_process_text, process_text_path,
                                        select_inspections)
    from gain_workbook.response_sheet import write_responses
    from gain_workbook.rollup import roll_up

    if sum(bool(x) for x in (inspection_id, all_, open_)) != 1:
        raise click.UsageError("Say which response to write: --inspection ID, --all or --open.")
    if pdf and find_soffice() is None:      # say so before doing any work
        raise ToolError(LIBREOFFICE_MISSING)
    reg, _ = _checked(register, allow_errors)
    text = load_process_text(process_text_path(register, reg.settings, template))
    day = _as_of(as_of)
    result = roll_up(reg, day)
    chosen = select_inspections(result, inspection_id, all_, open_)
    responses = documents(result, chosen, text, working=working)
    out = Path(output or default_response_name(register, chosen, working))
    extra = [out.with_suffix(s) for s, on in ((".pdf", pdf), (".docx", docx)) if on]
    for path in extra:
        check_output(path)                  # refused before anything is written
    path = write_responses(responses, result.settings, day, out, working)
    _echo(f"Wrote {path} ({plural(len(chosen), 'inspection')}"
          f"{', working copy: not for publication' if working else ''})")
    for path in extra:
        if path.suffix == ".pdf":
            _echo(f"Wrote {to_pdf(out, path)}")
        else:
            from gain_workbook.response_docx import write_docx

            _echo(f"Wrote {write_docx(responses, result.settings, day, path, working)}")
    _response_warnings(responses, chosen)


def _response_warnings(responses, chosen) -> None:
    """Say on stderr what a response still needs before it can be published."""
    from gain_workbook.dates import uk_date

    for resp, ins in zip(responses, chosen):
        if resp.missing:
            _echo(f"gain-pack: warning: the response for {resp.inspection_id} is not ready to "
                  f"publish: {'; '.join(resp.missing)} (marked 'To be added' in it).", err=True)
        if ins["s55_closed_day"]:
            _echo(f"gain-pack: warning: day 56 for {resp.inspection_id} "
                  f"({uk_date(ins['s55_last_day'])}) is {ins['s55_closed_day']}; publish by "
                  f"{uk_date(ins['s55_publish_by'])}.", err=True)


def smtp_options(f):
    """The options that say how to send (override the register's Settings)."""
    for opt in reversed([
        click.option("--to", "to", multiple=True, help="Recipient (repeatable); default "
                     "'Email to' on the Settings sheet."),
        click.option("--cc", "cc", multiple=True, help="Copy to (repeatable)."),
        click.option("--send", is_flag=True, help="Send through the SMTP server instead of "
                     "writing a draft."),
        click.option("--smtp-host", default=None, help="SMTP server (Settings: SMTP host)."),
        click.option("--smtp-port", type=int, default=None, help="SMTP port (Settings: SMTP port)."),
        click.option("--smtp-security", type=click.Choice(["starttls", "ssl", "none"]),
                     default=None, help="How to secure the connection (Settings: SMTP security)."),
        click.option("--smtp-user", default=None, help="User to log in as; the password comes "
                     "from GAIN_SMTP_PASSWORD or a hidden prompt, never an option."),
        click.option("--from", "sender", default=None, help="Sender address (Settings: Email "
                     "from; default the SMTP user)."),
        click.option("--cafile", type=click.Path(dir_okay=False, exists=True), default=None,
                     help="Extra CA certificate(s) to trust for the server, in PEM."),
        click.option("--timeout", type=float, default=30.0, show_default=True,
                     help="Seconds to wait for the server."),
    ]):
        f = opt(f)
    return f


def _secret(env: str, prompt: str, confirm: bool = False) -> str:
    """A password from the environment or a hidden prompt; never from an option."""
    import os

    from gain_workbook.mailer import MailSettingsError

    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise MailSettingsError(f"{prompt} is needed: set the environment variable {env} "
                                "(or run where you can type it).")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True)


def _transport(settings, opts, draft_path):
    """A draft transport, or an SMTP one (asking for the password only when it will be used)."""
    from gain_workbook.mailer import PASSWORD_ENV, DraftTransport, SMTPTransport, smtp_settings

    if not opts["send"]:
        return DraftTransport(draft_path)
    cfg = smtp_settings(settings, host=opts["smtp_host"], port=opts["smtp_port"],
                        security=opts["smtp_security"], user=opts["smtp_user"],
                        sender=opts["sender"], cafile=opts["cafile"], timeout=opts["timeout"])
    if cfg.user and not opts.get("dry_run"):
        cfg.password = _secret(PASSWORD_ENV, f"Password for {cfg.user} on {cfg.host}")
    return SMTPTransport(cfg)


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
              "Office encryption (password from GAIN_ATTACHMENT_PASSWORD or a prompt).")
@click.option("--dry-run", is_flag=True, help="Show exactly what would be sent; send nothing.")
@smtp_options
@debug_option
def email(file, register, subject, body_template, output, encrypt, dry_run, **opts):
    """Email FILE (the board pack, or a PCC response as .xlsx, .docx or .pdf): by default
    an Outlook draft (.eml) to review and send from your own mailbox; with --send,
    through the SMTP server. A response goes to 'Response to' on the Settings sheet
    (the Home Office and HMICFRS), with its own subject and body.

    Exit code 2 for settings to fix (host, port, TLS, certificate, login), 1 when the
    message did not get through (timeout, a recipient refused).

    \b
    Example:
      gain-pack email "GAIN board pack 2026-11.xlsx" --register register.xlsx
      gain-pack email pack.xlsx --to dcc@force.police.uk --send --smtp-host mail.force.police.uk
    """
    from gain_workbook.mailer import (ENCRYPT_ENV, build_message, check_attachment, compose,
                                      compose_response, encrypt_xlsx, is_response, pack_info,
                                      register_beside)
    from gain_workbook.settings import Settings

    data = check_attachment(file)
    response = is_response(file, data)
    info = None if response else pack_info(file)
    settings = Settings()
    if register is None:
        # a pack names the register it was built from; a response (which must carry
        # nothing internal) is sent with the one register in its folder
        name = info.register if info is not None else ""
        if response:
            found = register_beside(file)
            beside = found[0] if len(found) == 1 else None
            if len(found) > 1:
                _echo(f"gain-pack: several registers are beside {Path(file).name} "
                      f"({', '.join(f.name for f in found[:4])}); pass --register to say "
                      "which one's Settings to use.", err=True)
        else:
            beside = Path(file).with_name(str(name)) if name else None
        if beside is not None and beside.is_file():
            register = beside
            _echo(f"gain-pack: using the Settings of {beside.name}", err=True)
    if register is not None:
        from gain_workbook.mailer import register_settings

        settings = register_settings(register)
    if encrypt:
        if Path(file).suffix.lower() == ".pdf":
            raise UsageError("--encrypt protects .xlsx and .docx files; a PDF cannot be "
                             "encrypted this way.")
        data = encrypt_xlsx(data, _secret(ENCRYPT_ENV, "Password for the attachment",
                                          confirm=True))
    body = None
    if body_template:
        from gain_workbook.files import protect
        from gain_workbook.wording import read_wording_file

        protect(body_template, "the email template")
        body = read_wording_file(body_template, "the email template")
    if response:
        mail = compose_response(file, settings, to=opts["to"], cc=opts["cc"], subject=subject,
                                body_template=body, attachment=data)
    else:
        mail = compose(file, settings, to=opts["to"], cc=opts["cc"], subject=subject,
                       body_template=body, attachment=data, info=info, encrypted=encrypt)
    for w in mail.warnings:
        _echo(f"gain-pack: warning: {w}", err=True)
    draft_path = output or Path(file).with_suffix(".eml")
    transport = _transport(settings, {**opts, "dry_run": dry_run}, draft_path)
    msg = build_message(mail, draft=transport.draft, sender=transport.sender)
    if dry_run:
        how = (f"would send through {transport.cfg.host}:{transport.cfg.port} "
               f"({transport.cfg.security}{', as ' + transport.cfg.user if transport.cfg.user else ''})"
               if not transport.draft else f"would write the draft {draft_path}")
        _echo(f"Dry run: {how}; nothing sent or written.")
        for h in ("From", "To", "Cc", "Subject", "X-Unsent"):
            if msg.get(h):
                _echo(f"{h}: {msg[h]}")
        _echo(f"Attachment: {mail.filename} ({len(mail.attachment):,} bytes, "
              f"{'encrypted, ' if encrypt else ''}{'/'.join(mail.mime)})")
        _echo("")
        _echo(mail.body.rstrip())
        return
    _echo(transport.send(msg))


@cli.command()
@register_argument
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the pack, responses and draft go; default the register's folder.")
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
    from gain_workbook.files import append_line, check_output, protect
    from gain_workbook.monthly import MonthResult, log_line, run_month

    protect(register, "the register")     # before anything, so even the log cannot replace it
    day = _as_of(as_of)
    folder = out_dir or Path(register).parent
    log_path = log_file or folder / "gain-pack.log"
    check_output(log_path)                # a log that cannot be written stops the run first
    result = MonthResult()
    error = None
    try:
        def transport_for(settings, pack):
            return _transport(settings, opts, pack.with_suffix(".eml"))

        run_month(register, day, out_dir=folder, meeting=meeting,
                  transport_for=None if no_email else transport_for,
                  compose_kwargs={"to": opts["to"], "cc": opts["cc"]}, result=result,
                  template=template)
    except GainError as exc:
        error = exc
        if isinstance(exc, InvalidRegisterError):
            _echo(exc.report.to_text(), err=True, nl=False)
        raise
    finally:
        for step, outcome in result.steps:
            _echo(f"{step}: {outcome}")
        line = log_line(register, result, error, dt.datetime.now())
        try:
            append_line(log_path, line)
        except GainError as exc:
            _echo(f"gain-pack: the log was not written: {exc}", err=True)


STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


def _stop_on_signal(signum, frame):
    """End the run through its cleanup; a second signal must not interrupt the cleanup."""
    import signal

    for name in STOP_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    stop = KeyboardInterrupt()
    stop.signum = signum
    raise stop


def main():
    """Console-script entry point (``gain-pack`` and ``python -m gain_workbook``).

    When the command has finished, its output is flushed and the process ends with
    os._exit: every file was already written and closed (atomically), and Python's
    own shutdown would only spend time freeing memory the system takes back anyway,
    about 0.3 s (15% of a 5,000-action build). An exception that escapes click
    (``--debug``) takes the normal path, so its traceback is printed as usual.

    pandera imports hypothesis, when it happens to be installed, for its data
    synthesis, which gain-pack never uses; marking it absent for this process saves
    ~0.15 s of every command that validates (pandera treats it as not installed).

    The cyclic garbage collector is off for the command: a build allocates millions
    of objects that reference counting frees, and the collector kept scanning them,
    spending 0.2 s of a 5,000-action build and 1.5-2 s at 100,000 in collections
    that found about a thousand objects in all; peak memory is the same without it.
    """
    sys.modules.setdefault("hypothesis", None)
    import gc
    import signal

    gc.disable()
    # Ctrl+C, SIGTERM (cron, systemd, `timeout`) and SIGHUP (the terminal closed) end the
    # run through the code's cleanup, so no temporary file of ours or of xlsxwriter's is
    # left behind, and an older output stays as it was.
    for name in STOP_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop_on_signal)
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
    import os

    os._exit(code)


if __name__ == "__main__":   # pragma: no cover
    main()
