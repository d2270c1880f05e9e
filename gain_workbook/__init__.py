"""gain-workbook: from an HMICFRS inspection register in Excel to the GAIN Board pack.

From Python, use the api: one function per command, named like it, each returning a
small result (``gain_workbook.api.build("Inspection register.xlsx")``). It is
loaded when first used, so ``import gain_workbook`` and ``gain-pack --help`` stay
fast (neither imports pandas or pandera).

The api's functions are not put at the top level because some of their names are
also modules of the package (``validate``, ``rollup``, ``response``, ``adopt``): once
such a module is imported, ``gain_workbook.check.validate`` is the module, so a top-level
function of that name could not be relied on. ``gain_workbook.api.validate`` always is.
"""

# The one place the version is written (setup.cfg reads it from here). Asking
# importlib.metadata instead costs ~50 ms on every command, --help included.
__version__ = "0.1.0"


def __getattr__(name):
    """``gain_workbook.api``, imported when first asked for."""
    if name == "api":
        import importlib

        return importlib.import_module("gain_workbook.api")
    raise AttributeError(f"module 'gain_workbook' has no attribute {name!r}")
