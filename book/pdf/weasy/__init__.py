"""The only code that touches WeasyPrint and pydyf: its public API (``layout``),
its box tree (``boxes``), and octavo's adaptations of its internals, each in a
module of its own and all listed in ``adaptations`` (pinned to the releases in
``versions.TESTED``). Nothing here is imported by the parent process of a
parallel build, which never imports WeasyPrint, but ``versions`` and
``native``.
"""
