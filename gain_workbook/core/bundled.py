"""The files shipped in the package's templates/ folder, by name.

The folder holds the worked example register (JSON) and the text templates an
office may copy and edit: the email bodies and the response's process text.
"""

from __future__ import annotations

from importlib import resources


def bundled_file(name: str):
    """A file shipped in templates/ (a Traversable: .read_text(), .open())."""
    return resources.files("gain_workbook.templates").joinpath(name)


def bundled_text(name: str) -> str:
    """The text of a file shipped in templates/."""
    return bundled_file(name).read_text(encoding="utf-8")
