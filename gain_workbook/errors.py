"""Typed exceptions. Each one stops the run and becomes one plain sentence in the CLI.

Bad *data* in a register is never an exception: it is a Problem in a
ValidationReport. These are for things that stop the job altogether.
"""


class GainError(Exception):
    """Base class: the message is one sentence a clerk can act on."""

    exit_code = 2


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
        super().__init__(
            f"The register has {n} error{'s' if n != 1 else ''}; "
            "fix them (run `gain-pack validate`) or pass --allow-errors."
        )
