"""``python -m gain_workbook`` runs the ``gain-pack`` command."""

from gain_workbook.cli import main

main()
