"""The register's model: its tables and columns (the schema, with vocabularies, header
aliases and rules), Settings, item references, problems and the history sheets, as plain
data.
"""
