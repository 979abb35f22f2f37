"""Manuscript + Format -> RenderedBook (``editions.render``): what the
editions share (``common``), one small adapter per edition (``pdf``, ``epub``,
``html``), the generated cover (``cover``) and the paragraph splitting the
PDF's footnote mending uses (``linesplit``).
"""
