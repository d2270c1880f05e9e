"""Writing .xlsx safely and fast (one way to make a workbook, formats in one place, the
fast worksheet), and the board pack's file format, read back as input.
"""
