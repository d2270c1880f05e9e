"""A newly published report's text read into the register: its sources (.txt, .html, .pdf,
.docx), its items, and the rows they become.
"""
