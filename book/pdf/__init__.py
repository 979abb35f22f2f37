"""RenderedBook -> PDF. ``parallel`` lays the book out part by part
(``parts``, ``job``, ``jobs`` in the parent, ``worker`` in each process,
``ledger`` of page counts, ``partcache``) and ``merge`` makes the parts one;
``document`` lays it out as one document. ``mending`` keeps footnotes on
their call's page, ``findings`` tells the author what the layout found,
``pagestarts`` keeps the print pages for the EPUB. WeasyPrint itself is used
only through ``book.pdf.weasy``.
"""
