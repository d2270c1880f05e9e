"""``python -m gain_workbook`` and the ``gain-pack`` command (its entry point, setup.cfg).

The stop signals are caught before anything else is imported (click, pandas, the
command's modules): a SIGTERM from a scheduler that lands while they load still ends
the run with 143 and one sentence, not a bare death by the signal (see ``stop``).
"""

from gain_workbook.core import stop


def main():
    """Catch the stop signals, then load and run the command line."""
    stop.catch_signals()
    from gain_workbook.cli import main as run

    run()


if __name__ == "__main__":
    main()
