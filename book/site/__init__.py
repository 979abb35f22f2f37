"""RenderedBook -> the HTML edition, a static site (``writer``)."""
