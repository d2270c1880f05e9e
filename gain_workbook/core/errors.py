"""Typed exceptions. Each one stops the run and becomes one plain sentence in the CLI.

Bad *data* in a register is never an exception: it is a Problem in a
ValidationReport. These are for things that stop the job altogether. Each class
has the exit code the command ends with:

====  =====================================================================
0     done
1     the register has errors, or the job could not be done with this data
      (InvalidRegisterError); a message that did not get through (DeliveryError)
2     misuse, an input that cannot be read or used, a setting to fix, a program
      that is missing (every other GainError)
70    a bug in gain-pack: anything that is not a GainError (``cli.EXIT_BUG``)
128+N stopped by signal N (Ctrl+C is 130)
====  =====================================================================

Messages say what is wrong in the library's terms and never name a command-line
option: the way out through an argument travels as a :class:`Hint`, and the CLI
puts the option's name in (``text_for``).
"""

from __future__ import annotations

from collections import namedtuple

from gain_workbook.core.text import plural

class Hint(namedtuple("Hint", "param clause")):
    """A way out through an argument: ``param`` is its name, as the api function and the
    command both call it ('allow_errors'); ``clause`` is added to the sentence with
    ``{option}`` in place of the option ('--allow-errors'). (A namedtuple, not a
    dataclass: dataclasses imports inspect and typing, 10 ms of every --help.)"""

    __slots__ = ()


def with_hints(message: str, hints, option_of) -> str:
    """``message`` with the clauses of the hints whose argument has an option:
    ``option_of(param)`` gives the option ('--allow-errors') or None, so no message
    tells a user to pass an option their command does not have."""
    extra = "".join(h.clause.format(option=opt) for h in hints if (opt := option_of(h.param)))
    if not extra:
        return message
    end = message[-1] if message and message[-1] in ".?" else ""
    return (message[:-1] if end else message) + extra + end


class Note:
    """A sentence for the user that is not an error (a result's notes, or what was said
    before an error), with hints like an error's."""

    def __init__(self, text: str, hints=()):
        self.text, self.hints = text, tuple(hints)

    def text_for(self, option_of) -> str:
        return with_hints(self.text, self.hints, option_of)

    def __str__(self) -> str:
        return self.text


class GainError(Exception):
    """Base class: the message is one sentence a clerk can act on. ``notes`` are what
    the job had to say before it stopped (the CLI prints them first)."""

    exit_code = 2

    def __init__(self, message: str = "", hints=()):
        super().__init__(message)
        self.hints = tuple(hints)
        self.notes: list = []

    def text_for(self, option_of) -> str:
        """The sentence, with the options of the hints the command has (``with_hints``)."""
        return with_hints(str(self), self.hints, option_of)


class RegisterError(GainError):
    """The register cannot be read: missing, damaged, encrypted, wrong type or wrong shape."""


class InputError(GainError):
    """Another file given to a command cannot be used: missing, the wrong type, damaged."""


class UsageError(GainError):
    """An argument is wrong (bad date, unknown inspection, nothing chosen ...)."""


class OutputError(GainError):
    """An output file cannot be written (folder missing, file open in Excel ...)."""


class SettingsError(GainError):
    """A setting (from the Settings sheet or an argument) cannot be used as it is."""


class TemplateError(GainError):
    """A text template is missing, unreadable, or needs a value we do not have."""


class ToolError(GainError):
    """A program gain-pack needs (LibreOffice, for a PDF) is missing or failed."""


class MailSettingsError(GainError):
    """The mail settings need changing (host, port, TLS, certificate, login); exit 2."""


class DeliveryError(GainError):
    """The server was reached but the message did not get through (or only partly); exit 1."""

    exit_code = 1


class InvalidRegisterError(GainError):
    """The register has validation errors and the job refuses to go on (exit 1)."""

    exit_code = 1

    def __init__(self, report, register=None):
        self.report = report
        self.register = register
        n = len(report.errors)
        them = "it" if n == 1 else "them"
        super().__init__(
            f"The register has {plural(n, 'error')}; fix {them} "
            f"(`gain-pack validate` lists {them}).",
            hints=[Hint("allow_errors", ", or pass {option} to go on regardless")])
