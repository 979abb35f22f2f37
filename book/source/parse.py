"""One Markdown file -> ParsedChapter (format-neutral XHTML).

Python-Markdown (with pymdown-extensions and Pygments) writes HTML; an HTML5
parser (``book.source.html5``: lexbor where the chapter has no raw HTML, else
tinyhtml5) turns it, raw HTML blocks included, into a well-formed tree; then
small passes put footnotes, figures and table captions into the neutral form
that ``assemble`` expects.
"""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET
from functools import cache

import markdown
from lxml import etree

from book import diagnostics as diag
from book.model import (
    ChangeMode,
    ChapterKind,
    ChapterSource,
    Diagnostic,
    Footnote,
    ImageRef,
    Location,
    ParsedChapter,
)
from book.source import critic, dialects, html5, tree
from book.source.critic_markdown import CriticExtension
from book.source.smarty import Smarty
from book.source.words import quotes

EXTENSIONS: tuple[str, ...] = (
    "markdown.extensions.abbr",
    "markdown.extensions.admonition",
    "markdown.extensions.attr_list",
    "markdown.extensions.def_list",
    "markdown.extensions.footnotes",
    "markdown.extensions.md_in_html",
    "markdown.extensions.tables",
    "markdown.extensions.toc",
    "mdx_truly_sane_lists",  # lists nested by two spaces nest, as on GitHub
    "pymdownx.highlight",
    "pymdownx.superfences",  # fences inside lists and admonitions
    "pymdownx.tasklist",
    "pymdownx.tilde",  # ~~strike~~
)

EXTENSION_CONFIGS: dict[str, dict[str, object]] = {
    "markdown.extensions.footnotes": {"USE_DEFINITION_ORDER": False},
    "markdown.extensions.toc": {"permalink": False},
    "pymdownx.highlight": {"use_pygments": True, "guess_lang": False, "css_class": "highlight"},
    "pymdownx.tilde": {"subscript": False},
    "pymdownx.superfences": {"relaxed_headers": True},  # unknown info strings stay code
    "mdx_truly_sane_lists": {"nested_indent": 2, "truly_sane": True},
}

UNDEFINED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")
DEFINITION = re.compile(r"^ {0,3}\[\^([^\]]+)\]:")
FENCE = re.compile(r"^\s*(```|~~~)")
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 (and so EPUB's XHTML) cannot contain."""
HTML_ELEMENTS = frozenset(
    """
    a abbr address area article aside audio b base bdi bdo blockquote body br button
    canvas caption cite code col colgroup data datalist dd del details dfn dialog div dl
    dt em embed fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header
    hgroup hr html i iframe img input ins kbd label legend li link main map mark math
    menu meta meter nav noscript object ol optgroup option output p param picture pre
    progress q rp rt ruby s samp script search section select slot small source span
    strong style sub summary sup svg table tbody td template textarea tfoot th thead
    time title tr track u ul var video wbr
    """.split()  # noqa: SIM905 (a word list reads better as words)
)


@cache
def _processor(language: str = "en") -> markdown.Markdown:
    """One Markdown processor per book language (smart quotes differ)."""
    left_single, right_single, left_double, right_double = quotes(language)
    smarty = {
        "substitutions": {
            "left-single-quote": left_single,
            "right-single-quote": right_single,
            "left-double-quote": left_double,
            "right-double-quote": right_double,
        }
    }
    # Instances, not names: for a name Python-Markdown first scans every
    # installed package's entry points (a third of this function's time).
    extensions = [
        importlib.import_module(name).makeExtension(**EXTENSION_CONFIGS.get(name, {}))
        for name in EXTENSIONS
    ]
    return markdown.Markdown(
        extensions=[*extensions, Smarty(**smarty), CriticExtension()],
        output_format="html",
    )


def parse_chapter(
    source: ChapterSource, language: str = "en", changes: ChangeMode = ChangeMode.FLAG
) -> ParsedChapter:
    """Read and convert one chapter; problems come back as diagnostics."""
    text, problem = read_source(source)
    if problem:
        return ParsedChapter(source, source.display.stem, "<body/>", (), (), (problem,), "")
    return parse_text(source, text, language, changes)


def parse_text(
    source: ChapterSource,
    text: str,
    language: str = "en",
    changes: ChangeMode = ChangeMode.FLAG,
) -> ParsedChapter:
    """Convert Markdown ``text`` that came from ``source``.

    CriticMarkup is resolved here, before Markdown sees it (``changes``);
    diagnostics are still located in the text as written.
    """
    found = _control_characters(source, text)
    text = NOT_XML.sub("", text)
    md = _processor(language)
    md.reset()
    found += _unresolved_changes(source, text) if changes is ChangeMode.FLAG else []
    normalized = dialects.normalize(_critic_text(text, changes))
    markdown_only = not html5.TAG_OPEN.search(normalized)
    try:
        body, repaired = to_tree(md.convert(normalized), markdown_only)
    except TooDeepError as exc:
        message = f"elements nest {exc.args[0]} deep (lists, quotes); at most {tree.MAX_DEPTH} can be laid out"
        found.append(diag.error(Location(source.display), message, "too-deep"))
        body, repaired = tree.xml("<body/>"), []
    found += _repairs(source, text, repaired)
    footnotes = _extract_footnotes(body, source, text, found)
    found += _duplicate_definitions(source, normalized)
    found += _undefined_references(body, source, text)
    _make_figures(body, source, text, found)
    _caption_tables(body)
    images = _collect_images(body, source, text, found)
    title = _title(body, source)
    serialized = etree.tostring(body, encoding="unicode")
    return ParsedChapter(source, title, serialized, footnotes, images, tuple(found), text)


def _critic_text(text: str, changes: ChangeMode) -> str:
    """The text Markdown parses: marks resolved, or cut to one per paragraph."""
    if changes is ChangeMode.ACCEPT or changes is ChangeMode.REJECT:
        return critic.resolve(text, accept=changes is ChangeMode.ACCEPT)
    return critic.split_paragraphs(text)


def _unresolved_changes(source: ChapterSource, text: str) -> list[Diagnostic]:
    """A normal build shows the editors' marks, and warns about each one."""
    return [
        diag.warning(
            Location(source.display, change.line),
            f"unresolved {critic.describe(change)}",
            "criticmarkup",
        )
        for change in critic.scan(text, source.display)
    ]


def read_source(source: ChapterSource) -> tuple[str, Diagnostic | None]:
    """The file's text, or a diagnostic saying why it cannot be read."""
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        return "", diag.error(
            Location(source.display), f"cannot read: {exc.strerror}", "unreadable"
        )
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"invalid UTF-8 at column {column} (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        return "", diag.error(Location(source.display, line), message, "encoding")


def _repairs(source: ChapterSource, text: str, repairs: list[Repair]) -> list[Diagnostic]:
    return [
        diag.warning(diag.locate(source.display, text, needle), message, code)
        for needle, message, code in dict.fromkeys(repairs)
    ]


def _control_characters(source: ChapterSource, text: str) -> list[Diagnostic]:
    found = []
    for match in NOT_XML.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        message = f"control character U+{ord(match[0]):04X} removed"
        found.append(diag.warning(Location(source.display, line), message, "invalid-character"))
    return found


Repair = tuple[str, str, str]
"""What the HTML cleaner changed: (text to find the line by, message, code)."""

UNSAFE_ELEMENTS = frozenset(
    [
        "script",
        "noscript",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "meta",
        "link",
        "video",
        "audio",
        "source",
        "track",
        "portal",
    ]
)
"""Raw HTML that runs code, or pulls in files, pages or media no edition can carry."""


def to_tree(html: str, markdown_only: bool = False) -> tuple[etree._Element, list[Repair]]:
    """Parse an HTML fragment as a browser would, into an lxml ``<body>``.

    Returns the tree and what had to be repaired or removed: names XML cannot
    hold, elements HTML does not know (aosabook's ``<latex>``, typos) kept as
    text, and scripts, event handlers, ``javascript:`` URLs and embedded
    documents or media taken out, so that every edition stays valid and safe.
    ``markdown_only``: Python-Markdown wrote ``html`` from Markdown without
    raw HTML (see ``book.source.html5``).
    """
    body = html5.parse_body(html, markdown_only)
    repairs: list[Repair] = []
    if _depth(body) > tree.MAX_DEPTH:
        raise TooDeepError(_depth(body))
    _clean(body, None, repairs)
    return tree.xml(ET.tostring(body, encoding="unicode")), repairs


class TooDeepError(ValueError):
    """Elements nested deeper than the layout engine can follow."""


def _depth(element: ET.Element) -> int:
    """How deep elements nest below ``element`` (without recursion)."""
    deepest, level = 0, [(element, 0)]
    while level:
        node, depth = level.pop()
        deepest = max(deepest, depth)
        level.extend((child, depth + 1) for child in node)
    return deepest


def _clean(element: ET.Element, inside: str | None, repairs: list[Repair]) -> None:
    for child in list(element):
        if not isinstance(child.tag, str):  # comments and processing instructions
            _drop(element, child)
            continue
        namespace = inside
        if child.tag.startswith("{"):
            namespace, _, local = child.tag[1:].partition("}")
            child.tag = local
            if namespace != inside:
                child.set("xmlns", namespace)  # SVG and MathML with a default namespace
        elif namespace is None and child.tag in UNSAFE_ELEMENTS:
            message = f"<{child.tag}> is removed: no edition can run or embed it safely"
            repairs.append((f"<{child.tag}", message, "unsafe-html"))
            _drop(element, child)
            continue
        elif namespace is None and child.tag not in HTML_ELEMENTS:
            message = f"<{child.tag}> is not an HTML element; its content is kept as text"
            repairs.append((f"<{child.tag}", message, "unknown-tag"))
            _as_text(child)
        _clean_attributes(child, namespace is not None, repairs)
        _clean(child, namespace, repairs)


def _clean_attributes(element: ET.Element, foreign: bool, repairs: list[Repair]) -> None:
    for name in list(element.attrib):
        local = name.rpartition("}")[2]
        value = element.attrib[name]
        if not tree.XML_NAME.fullmatch(local) or (name == "markdown" and not foreign):
            del element.attrib[name]  # markdown="1": a note to Python-Markdown, not HTML
        elif local.lower().startswith("on"):
            repairs.append((f"{local}=", f"event handler {local}= is removed", "unsafe-html"))
            del element.attrib[name]
        elif local in ("href", "src", "action", "formaction", "data", "poster") and re.match(
            r"\s*(javascript|vbscript):", value, re.IGNORECASE
        ):
            repairs.append((value[:30], f"{local}='{value[:30]}' is removed", "unsafe-html"))
            del element.attrib[name]
        elif foreign and local == "href" and not value.startswith("#"):
            message = f"SVG reference '{value}' to another file is removed"
            repairs.append((value, message, "unsafe-html"))
            del element.attrib[name]


def _drop(parent: ET.Element, child: ET.Element) -> None:
    """Remove ``child`` from an ElementTree element, keeping its tail text."""
    index = list(parent).index(child)
    if child.tail:
        if index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _as_text(child: ET.Element) -> None:
    """An unknown element becomes a span; a name XML cannot hold is shown as written."""
    if not tree.XML_NAME.fullmatch(child.tag):
        child.text = f"<{child.tag}>" + (child.text or "")
    child.tag = "span"
    child.attrib.clear()


def _extract_footnotes(
    body: etree._Element, source: ChapterSource, text: str, found: list[Diagnostic]
) -> tuple[Footnote, ...]:
    """Turn Python-Markdown's footnotes into placeholders and records."""
    referenced: list[str] = []
    for sup in tree.select(body, './/sup[a[@class="footnote-ref"]]'):
        label = sup[0].get("href", "").removeprefix("#fn:")
        if label not in referenced:
            referenced.append(label)
        tree.replace(sup, etree.Element("a", {"class": "noteref", "data-label": label}))
    notes: dict[str, Footnote] = {}
    for block in tree.select(body, './/div[@class="footnote"]'):
        for item in tree.select(block, "./ol/li"):
            label = item.get("id", "").removeprefix("fn:")
            where = diag.locate(source.display, text, f"[^{label}]:")
            if label in referenced:
                notes[label] = Footnote(label, _note_body(item), where)
            else:
                message = f"footnote [^{label}] is defined but never referenced"
                found.append(diag.warning(where, message, "unused-footnote"))
        tree.remove(block)
    return tuple(notes[label] for label in referenced if label in notes)


def _note_body(item: etree._Element) -> str:
    for backref in tree.select(item, './/a[@class="footnote-backref"]'):
        parent = backref.getparent()
        tree.remove(backref)
        if parent is not None:
            _strip_trailing_space(parent)
    return "".join(etree.tostring(child, encoding="unicode") for child in item)


def _strip_trailing_space(element: etree._Element) -> None:
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "").rstrip(" \u00a0") or None
    elif element.text:
        element.text = element.text.rstrip(" \u00a0")


def _duplicate_definitions(source: ChapterSource, text: str) -> list[Diagnostic]:
    seen: set[str] = set()
    found = []
    in_fence = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := DEFINITION.match(line)):
            if match[1] in seen:
                message = f"footnote [^{match[1]}] is defined again; the last definition wins"
                found.append(
                    diag.warning(Location(source.display, number), message, "duplicate-footnote")
                )
            seen.add(match[1])
    return found


def _undefined_references(
    body: etree._Element, source: ChapterSource, text: str
) -> list[Diagnostic]:
    """Python-Markdown leaves ``[^x]`` as text when no definition exists."""
    found = []
    for node in tree.texts(body, ".//text()[not(ancestor::code or ancestor::pre)]"):
        for match in UNDEFINED_NOTE.finditer(str(node)):
            where = diag.locate(source.display, text, match[0])
            message = f"footnote reference {match[0]} has no definition in this chapter"
            found.append(diag.error(where, message, "undefined-footnote"))
    return found


def _is_lone_image(paragraph: etree._Element) -> bool:
    if len(paragraph) != 1 or paragraph[0].tag != "img":
        return False
    return not (paragraph.text or "").strip() and not (paragraph[0].tail or "").strip()


def _make_figures(
    body: etree._Element, source: ChapterSource, text: str, found: list[Diagnostic]
) -> None:
    """An image alone in its paragraph becomes a figure with a caption."""
    for figure in tree.select(body, ".//figure[not(@class='figure')]"):
        _adopt_figure(figure)
    for paragraph in tree.select(body, ".//p[img]"):
        parent = paragraph.getparent()
        if not _is_lone_image(paragraph) or (parent is not None and parent.tag == "figure"):
            continue
        image = paragraph[0]
        caption = image.get("title") or image.get("alt") or ""
        image.attrib.pop("title", "")
        figure = etree.Element("figure", {"class": "figure"})
        if "id" in image.attrib:
            figure.set("id", image.attrib.pop("id"))
        image.tail = None
        figure.append(image)
        figure.append(_figcaption(caption))
        tree.replace(paragraph, figure)


def _figcaption(caption: str | etree._Element) -> etree._Element:
    figcaption = etree.Element("figcaption")
    etree.SubElement(figcaption, "span", {"class": "label"})
    content = etree.SubElement(figcaption, "span", {"class": "caption"})
    if isinstance(caption, str):
        content.text = caption
    else:
        content.text = caption.text
        content.extend(list(caption))
    return figcaption


def _adopt_figure(figure: etree._Element) -> None:
    """A ``<figure>`` the author wrote (raw HTML, MyST) is numbered like ours."""
    figure.set("class", " ".join(filter(None, ("figure", figure.get("class")))))
    for paragraph in tree.select(figure, "./p[img]"):
        if _is_lone_image(paragraph):
            image = paragraph[0]
            image.tail = None
            tree.replace(paragraph, image)
    old = figure.find("figcaption")
    if old is not None:
        tree.replace(old, _figcaption(old))
    else:
        found = figure.find(".//img")
        figure.append(_figcaption(found.get("alt") or "" if found is not None else ""))


def _caption_tables(body: etree._Element) -> None:
    """A ``Table: caption {#id}`` paragraph beside a table becomes its caption."""
    for paragraph in tree.select(body, ".//p[starts-with(normalize-space(.), 'Table:')]"):
        table = _adjacent_table(paragraph)
        if table is None or table.find("caption") is not None:
            continue
        caption = etree.Element("caption")
        etree.SubElement(caption, "span", {"class": "label"})
        content = etree.SubElement(caption, "span", {"class": "caption"})
        content.text = (paragraph.text or "").lstrip().removeprefix("Table:").lstrip()
        content.extend(list(paragraph))
        _take_id(content, table)
        table.insert(0, caption)
        tree.remove(paragraph)


def _adjacent_table(paragraph: etree._Element) -> etree._Element | None:
    for sibling in (paragraph.getprevious(), paragraph.getnext()):
        if sibling is not None and sibling.tag == "table":
            return sibling
    return None


def _take_id(content: etree._Element, table: etree._Element) -> None:
    """Move a trailing ``{#id}`` from the caption text to the table."""
    last = content[-1] if len(content) else None
    current = (last.tail if last is not None else content.text) or ""
    match = re.search(r"\s*\{:?\s*#([\w:.-]+)\s*\}\s*$", current)
    if not match:
        return
    table.set("id", match[1])
    if last is not None:
        last.tail = current[: match.start()]
    else:
        content.text = current[: match.start()]


def _collect_images(
    body: etree._Element, source: ChapterSource, text: str, found: list[Diagnostic]
) -> tuple[ImageRef, ...]:
    images = []
    for image in body.iter("img"):
        src = image.get("src", "")
        where = diag.locate(source.display, text, src) if src else Location(source.display)
        if not image.get("alt", "").strip():
            found.append(diag.warning(where, f"image '{src}' has no alt text", "missing-alt"))
        if src and not src.startswith("data:"):
            images.append(ImageRef(src, where))
    return tuple(images)


def _title(body: etree._Element, source: ChapterSource) -> str:
    heading = body.find(".//h1")
    if heading is not None:
        return tree.text_of(heading)
    if source.kind is not ChapterKind.CHAPTER:
        return source.kind.value.replace("titlepage", "title page").capitalize()
    return source.display.stem.lstrip("0123456789-_ ").replace("-", " ").capitalize() or "Chapter"
