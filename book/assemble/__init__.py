"""The book-wide pass (``manuscript.assemble``): parsed chapters -> Manuscript."""
