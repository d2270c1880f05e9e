"""gain-workbook: from an HMICFRS inspection register in Excel to the GAIN Board pack.

The library is usable without the command line: read a register with
:func:`gain_workbook.register.read_register`, check it with
:func:`gain_workbook.validate.validate`, and so on. Heavy imports (pandas,
pandera) happen inside those modules, never here, so ``gain-pack --help`` is fast.
"""

# The one place the version is written (setup.cfg reads it from here). Asking
# importlib.metadata instead costs ~50 ms on every command, --help included.
__version__ = "0.1.0"
