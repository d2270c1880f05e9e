"""Typed exceptions. Each one stops the run and becomes one plain sentence in the CLI.

Bad *data* in a register is never an exception: it is a Problem in a
ValidationReport. These are for things that stop the job altogether.
"""


from gain_workbook.text import plural


class GainError(Exception):
    """Base class: the message is one sentence a clerk can act on.

    ``hints`` are (option, clause) pairs: the way out through a command-line option
    ('--allow-errors'). A command that has the option adds its clause to the sentence
    (``text_for``); one that has not says only the rest, so no message ever tells a
    user to pass an option their command does not have.
    """

    exit_code = 2

    def __init__(self, message: str = "", hints=()):
        super().__init__(message)
        self.hints = tuple(hints)

    def text_for(self, has_option) -> str:
        """The sentence for a command: with the clauses of the options it has."""
        message = str(self)
        extra = "".join(clause for option, clause in self.hints if has_option(option))
        if not extra:
            return message
        end = message[-1] if message and message[-1] in ".?" else ""
        return (message[:-1] if end else message) + extra + end


class RegisterError(GainError):
    """The register cannot be read: missing, damaged, encrypted, wrong type or wrong shape."""


class UsageError(GainError):
    """An option or argument is wrong (bad date, unknown inspection, file exists ...)."""


class OutputError(GainError):
    """An output file cannot be written (folder missing, file open in Excel ...)."""


class SettingsError(GainError):
    """A setting (from the Settings sheet or an option) cannot be used as it is."""


class TemplateError(GainError):
    """A template in templates/ is missing, unreadable, or needs a value we do not have."""


class InvalidRegisterError(GainError):
    """The register has validation errors and the job refuses to go on (exit 1)."""

    exit_code = 1

    def __init__(self, report):
        self.report = report
        n = len(report.errors)
        them = "it" if n == 1 else "them"
        super().__init__(
            f"The register has {plural(n, 'error')}; fix {them} "
            f"(`gain-pack validate` lists {them}).",
            hints=[("--allow-errors", ", or pass --allow-errors to go on regardless")])
