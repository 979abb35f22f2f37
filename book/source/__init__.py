"""The book's sources read: ``book.toml`` (``config``, ``paper``), each chapter
parsed from Markdown into format-neutral XHTML (``parse``, with ``dialects``,
``html5``, ``smarty``, ``critic`` and ``critic_markdown``, ``words``, ``tree``),
kept between builds (``cache``) and between rebuilds (``memo``), remote images
(``remote``) and the starter project of ``book new`` (``scaffold``).
"""
