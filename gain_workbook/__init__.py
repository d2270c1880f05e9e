"""gain-workbook: from an HMICFRS inspection register in Excel to the GAIN Board pack.

The library is usable without the command line: read a register with
:func:`gain_workbook.register.read_register`, check it with
:func:`gain_workbook.validate.validate`, and so on. Heavy imports (pandas,
pandera) happen inside those modules, never here, so ``gain-pack --help`` is fast.
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("gain-workbook")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
