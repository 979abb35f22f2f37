"""The habits of real Markdown books, normalised before Python-Markdown reads them.

Books arrive written for other tools: mdBook (``rust,ignore`` fences, hidden
``# `` lines in Rust examples, CommonMark's Markdown inside ``<div>``), MyST /
Jupyter Book (```` ```{figure} ```` directives, ``(label)=`` targets,
``{ref}`` roles) and pandoc (``title:`` header lines, ``: caption`` after a
table, ``\\newpage``). Each pass is a small text-to-text function; ``PASSES``
runs them in order. Code inside fences is never touched, except by the passes
that are about fences.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Pass = Callable[[str], str]

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*(?:>[ \t]?)*)(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")


def _outside_code(function: Pass) -> Pass:
    """Apply ``function`` only to the text between fenced code blocks."""

    def apply(text: str) -> str:
        return "".join(part if fenced else function(part) for part, fenced in _split_fences(text))

    apply.__name__ = function.__name__
    apply.__doc__ = function.__doc__
    return apply


def _split_fences(text: str) -> list[tuple[str, bool]]:
    """Cut ``text`` into (chunk, is_fenced_code) pieces, keeping every character."""
    parts: list[tuple[str, bool]] = []
    current: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        match = FENCE_OPEN.match(line.rstrip("\n"))
        if fence is None and match and not match["info"].strip().startswith("{"):
            parts.append(("".join(current), False))
            current, fence = [line], match["fence"]
        elif (
            fence is not None
            and line.strip().startswith(fence)
            and not line.strip()[len(fence) :].strip()
        ):
            current.append(line)
            parts.append(("".join(current), True))
            current, fence = [], None
        else:
            current.append(line)
    parts.append(("".join(current), fence is not None))
    return [part for part in parts if part[0]]


# --- fences ---------------------------------------------------------------------

RUSTDOC_INFO = re.compile(
    r"^(?P<pre>[ \t]*(?:>[ \t]?)*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w#+.-]+)[ \t]*,[^\n`]*$",
    re.M,
)


def fence_info_strings(text: str) -> str:
    """mdBook/rustdoc ```` ```rust,ignore ```` -> ```` ```rust ````: the language is what counts."""
    return RUSTDOC_INFO.sub(r"\g<pre>\g<fence>\g<lang>", text)


def rust_hidden_lines(text: str) -> str:
    """mdBook hides lines starting with ``# `` in Rust examples; so do we."""
    out: list[str] = []
    hiding = False
    fence = ""
    for line in text.splitlines(keepends=True):
        match = FENCE_OPEN.match(line.rstrip("\n"))
        if not hiding and match and match["info"].strip().split(",")[0] == "rust":
            hiding, fence = True, match["fence"]
        elif hiding and line.strip() == fence:
            hiding = False
        elif hiding and re.match(r"^\s*#(?: |$)", line.rstrip("\n")):
            continue
        out.append(line)
    return "".join(out)


# --- pandoc and aosabook --------------------------------------------------------

HEADER = re.compile(r"\A(?:title:[ \t]*(?P<title>.+)\n)(?:author:[ \t]*(?P<author>.+)\n)?")


def title_header(text: str) -> str:
    """``title:`` / ``author:`` lines at the top of a file (no ``---``) become a heading."""
    header = HEADER.match(text)
    if not header:
        return text
    byline = f'\n<p class="byline">{header["author"].strip()}</p>\n' if header["author"] else ""
    return f"# {header['title'].strip()}\n{byline}" + text[header.end() :]


LATEX_BLOCK = re.compile(r"<latex>.*?</latex>", re.S)
MARKDOWN_TAG = re.compile(r"</?markdown>")


@_outside_code
def print_only_blocks(text: str) -> str:
    """aosabook's ``<latex>`` (print-only TeX) goes; ``<markdown>`` keeps its content.

    Removed lines stay as blank lines, so that line numbers do not move.
    """
    text = LATEX_BLOCK.sub(lambda m: "\n" * m[0].count("\n"), text)
    return MARKDOWN_TAG.sub("", text)


TEX_LAYOUT = re.compile(r"^[ \t]*\\newpage[ \t]*$", re.M)
TEX_NOISE = re.compile(r"\\(?:noindent|newline)\b[ \t]*")


@_outside_code
def tex_layout_commands(text: str) -> str:
    """``\\newpage`` becomes a page break in print; ``\\noindent`` and ``\\newline`` go."""
    text = TEX_LAYOUT.sub('<div class="page-break"></div>', text)
    return TEX_NOISE.sub("", text)


TABLE_CAPTION = re.compile(r"(^\|[^\n]*\|[ \t]*\n)(\n?)^:[ \t]+(?=\S)", re.M)


@_outside_code
def pandoc_table_captions(text: str) -> str:
    """pandoc's ``: caption`` after a table is our ``Table: caption``."""
    return TABLE_CAPTION.sub(r"\1\n" + "Table: ", text)


# --- MyST (Jupyter Book) ------------------------------------------------------------

MYST_FIGURE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{figure\}[ \t]+(?P<src>\S+)[ \t]*\n"
    r"(?:---\n(?P<yaml>.*?)\n---\n|(?P<colon>(?::[\w-]+:.*\n)+))?"
    r"(?P<caption>.*?)\n?(?P=fence)[ \t]*$",
    re.S | re.M,
)


def myst_figures(text: str) -> str:
    """```` ```{figure} path ```` with options and a caption -> an HTML figure."""
    return MYST_FIGURE.sub(_myst_figure, text)


def _myst_figure(match: re.Match[str]) -> str:
    options = _myst_options(match["yaml"] or match["colon"] or "")
    ident = f' id="{options["name"]}"' if "name" in options else ""
    alt = options.get("alt", "").replace("[", "").replace("]", "")
    caption = " ".join(match["caption"].split())
    image = f"![{alt}]({match['src']})"
    lines = match[0].count("\n")
    figure = (
        f'<figure markdown="1"{ident}>\n\n{image}\n\n'
        f'<figcaption markdown="span">{caption}</figcaption>\n</figure>'
    )
    # Keep the line count, so later lines keep their numbers.
    return figure + "\n" * max(0, lines - figure.count("\n"))


def _myst_options(block: str) -> dict[str, str]:
    options = {}
    for line in block.splitlines():
        key, colon, value = line.strip().lstrip(":").partition(":")
        if colon:
            options[key.strip().strip(":")] = value.strip()
    return options


MYST_TARGET_HEADING = re.compile(
    r"^\((?P<label>[\w.:-]+)\)=[ \t]*\n(?P<heading>#{1,6}[ \t]+[^\n]*?)[ \t]*$", re.M
)
MYST_TARGET = re.compile(r"^\((?P<label>[\w.:-]+)\)=[ \t]*$", re.M)
MYST_REF = re.compile(
    r"\{(?:ref|numref)\}`(?:(?P<text>[^`<]*?)\s*<(?P<target>[^`>]+)>|(?P<bare>[^`]+))`"
)


@_outside_code
def myst_targets(text: str) -> str:
    """``(label)=`` before a heading is the heading's id; ``{ref}`label``` links to it.

    A reference without text gets the target's own words in assemble.
    """
    text = MYST_TARGET_HEADING.sub(lambda m: f"{m['heading']} {{#{m['label']}}}\n", text)
    text = MYST_TARGET.sub(lambda m: f'<span id="{m["label"]}"></span>', text)
    return MYST_REF.sub(
        lambda m: f"[{(m['text'] or '').strip()}](#{(m['target'] or m['bare']).strip()})", text
    )


# --- HTML blocks and lists ------------------------------------------------------------

BLOCK_OPEN = re.compile(
    r"^(<(?:details|div|section|aside|blockquote|figure)\b(?![^>]*\bmarkdown=)[^>]*)>"
    r"(?P<rest>[^\n]*)\n(?=[ \t]*\n)",
    re.M,
)


@_outside_code
def markdown_in_html(text: str) -> str:
    """CommonMark reads Markdown inside a block tag followed by a blank line; so do we."""
    return BLOCK_OPEN.sub(r'\1 markdown="1">\g<rest>\n', text)


ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space> +)(?=\S)")


def list_indentation(text: str) -> str:
    """Nest list items the CommonMark way: a marker indented to the parent's text is a child.

    Rewritten to the two-space nesting that Python-Markdown reads here, moving
    continuation lines (and fenced code inside items) with their item.
    """
    return _ListNormaliser().run(text)


class _ListNormaliser:
    """One pass over the lines, with the open list items on a stack."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, int, int]] = []
        """Open items: (marker column, content column, new marker column)."""
        self.fence: tuple[str, int] | None = None
        """Inside a fence: (its marker, the shift applied to its lines)."""
        self.blank_before = True

    def run(self, text: str) -> str:
        return "".join(self.line(line) for line in text.splitlines(keepends=True))

    def line(self, line: str) -> str:
        if self.fence is not None:
            marker, shift = self.fence
            if line.strip() == marker:
                self.fence = None
            return _shift(line, shift)
        if not line.strip():
            self.blank_before = True
            return line
        result = self._item(line) if ITEM.match(line) else self._other(line)
        self.blank_before = False
        return result

    def _item(self, line: str) -> str:
        match = ITEM.match(line)
        assert match is not None
        indent = len(match["indent"])
        if not self.stack and indent >= 4:
            return self._other(line)
        popped = None
        while self.stack and indent < self.stack[-1][1]:
            popped = self.stack.pop()
        if popped is not None and indent >= popped[0] - 1:
            new = popped[2]
        elif self.stack:
            new = self.stack[-1][2] + 2
        else:
            new = indent
        content = indent + len(match["marker"]) + len(match["space"])
        self.stack.append((indent, content, new))
        return " " * new + line[indent:]

    def _other(self, line: str) -> str:
        indent = len(line) - len(line.lstrip(" "))
        owner = next((item for item in reversed(self.stack) if indent >= item[1]), None)
        shift = 0
        if owner is not None:
            shift = owner[2] + 2 - owner[1]
        elif self.blank_before:
            self.stack = []
        fence = FENCE_OPEN.match(line.rstrip("\n").lstrip(" "))
        if fence:
            self.fence = (fence["fence"], shift)
        return _shift(line, shift)


def _shift(line: str, shift: int) -> str:
    if shift >= 0 or not line.strip():
        return " " * shift + line if line.strip() else line
    cut = min(-shift, len(line) - len(line.lstrip(" ")))
    return line[cut:]


PASSES: tuple[tuple[str, Pass], ...] = (
    ("fence-info-strings", fence_info_strings),
    ("rust-hidden-lines", rust_hidden_lines),
    ("title-header", title_header),
    ("print-only-blocks", print_only_blocks),
    ("tex-layout-commands", tex_layout_commands),
    ("pandoc-table-captions", pandoc_table_captions),
    ("myst-figures", myst_figures),
    ("myst-targets", myst_targets),
    ("markdown-in-html", markdown_in_html),
    ("list-indentation", list_indentation),
)
"""Named, in order: fences first (they decide what is code), lists last."""


def normalize(text: str) -> str:
    """Run every pass over a chapter's Markdown."""
    for _name, each in PASSES:
        text = each(text)
    return text
