"""The PCC's response as a PDF for the PCC's website: tagged, and PDF/UA as far as
LibreOffice makes it.

A screen reader needs a PDF's structure: its headings, its tables with their header
cells, its language and title. A spreadsheet has no headings to tag, so the PDF is
made from the Word copy (``response.word``: real Heading styles, English (UK), the
title in its properties, a header row on the details table) by LibreOffice Writer,
with the export filter's tagging and PDF/UA switched on and the title shown in the
viewer's title bar. LibreOffice runs with the time limit and process-group kill of
``core.libreoffice``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gain_workbook.core.libreoffice import to_pdf
from gain_workbook.response.word import write_docx

# LibreOffice's writer_pdf_Export options: a tagged PDF (the structure tree, /MarkInfo,
# /Lang), PDF/UA-1 (which also puts the title in the XMP metadata and the pdfuaid
# mark), and the document's title, not its file name, in the title bar
EXPORT_OPTIONS = {"UseTaggedPDF": True, "PDFUACompliance": True,
                  "DisplayPDFDocumentTitle": True, "ExportBookmarks": True}


def write_pdf(responses: list, settings, as_of: dt.date, out_path, working: bool = False,
              seconds: int | None = None, docx=None) -> Path:
    """Write the responses as a tagged PDF (atomically): from ``docx``, their Word copy
    when it has just been written, else from one made for it in a scratch folder."""
    from gain_workbook.core.files import work_dir

    if docx is not None:
        return to_pdf(docx, out_path, seconds, EXPORT_OPTIONS)
    with work_dir() as d:
        source = write_docx(responses, settings, as_of, Path(d, "response.docx"), working)
        return to_pdf(source, out_path, seconds, EXPORT_OPTIONS)
