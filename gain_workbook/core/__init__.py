"""Foundations every feature uses: typed errors, text and dates, the one way files are
written (atomic, never over an input), sniffing a file before a parser sees it, the
bundled templates and wording files, and LibreOffice run headless.
"""
