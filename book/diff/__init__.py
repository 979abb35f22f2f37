"""``book diff``: two editions compared page by page (``comparison``, from end
to end): PDFs of git revisions (``revisions``), their pages read
(``pdfread``), paired and judged (``pairing``), pixels compared
(``pixels``), the report written (``report``).
"""
