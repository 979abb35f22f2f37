"""The book-wide pass: everything that needs the whole book is decided here.

Chapter labels, slugs, unique ids, footnote/figure/table numbers, image
assets and link targets. Renderers and writers never discover anything new.
The passes run in a fixed order (see ``assemble``); each one is small.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import defusedxml.ElementTree as defused
from defusedxml import DefusedXmlException
from lxml import etree
from PIL import Image

from book import diagnostics as diag
from book.model import (
    Asset,
    Chapter,
    ChapterKind,
    Diagnostic,
    Heading,
    Location,
    Manuscript,
    Matter,
    Metadata,
    ParsedChapter,
)
from book.source import tree
from book.source.remote import RemoteError, RemoteFetcher
from book.source.words import word

MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class _Work:
    """Mutable state of one chapter while the passes run."""

    parsed: ParsedChapter
    slug: str
    label: str | None
    tree: etree._Element
    renamed: dict[str, str] = field(default_factory=dict)
    """Author's id -> final id, for links written with the author's ids."""


@dataclass
class _Book:
    """Mutable state of the whole book while the passes run."""

    root: Path
    works: list[_Work]
    found: list[Diagnostic] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)
    assets: dict[Path, Asset] = field(default_factory=dict)
    asset_stems: set[str] = field(default_factory=set)
    """The assets' file names without their suffix, taken by ``_register``."""
    remote: RemoteFetcher | None = None
    language: str = "en"
    labels: dict[str, str] = field(default_factory=dict)
    """id -> the words a link with no text of its own shows ("Figure 2.1")."""


def assemble(
    metadata: Metadata,
    parsed: tuple[ParsedChapter, ...],
    root: Path,
    styles: tuple[Path, ...] = (),
    remote: RemoteFetcher | None = None,
) -> Manuscript:
    """Number, name and link the parsed chapters into one manuscript.

    Remote images are fetched only when ``remote`` is given (``--allow-remote``).
    """
    book = _Book(root, _start(parsed), remote=remote, language=metadata.language)
    book.owners.update({work.slug: work.slug for work in book.works})
    passes = (
        _assign_ids,
        _number_notes,
        _number_captions,
        _label_headings,
        _resolve_images,
        _resolve_links,
    )
    for each in passes:
        for work in book.works:
            each(book, work)
    cover = _cover(book, metadata.cover)
    user_styles = tuple(_stylesheet(book, path) for path in styles)
    return Manuscript(
        metadata=metadata,
        chapters=tuple(_finish(work) for work in book.works),
        assets=tuple(book.assets.values()),
        id_owner=tuple(book.owners.items()),
        styles=user_styles,
        cover=cover,
        diagnostics=tuple(d for p in parsed for d in p.diagnostics) + tuple(book.found),
    )


def _start(parsed: tuple[ParsedChapter, ...]) -> list[_Work]:
    works: list[_Work] = []
    slugs: set[str] = set()
    numbers = {"body": 0, "appendix": 0}
    for chapter in parsed:
        slug = _unique(_slug(chapter.source.display.stem), slugs)
        slugs.add(slug)
        body = tree.xml(chapter.body)
        body.append(_notes_container(chapter))
        works.append(_Work(chapter, slug, _label(chapter, numbers), body))
    return works


NOTES = "octavo-notes"
"""While the passes run, a chapter's footnotes sit in a container at the end
of its tree, so that their images, links and cross-references are resolved
like the text's; ``_finish`` takes them out again."""


def _notes_container(chapter: ParsedChapter) -> etree._Element:
    container = etree.Element("div", {"class": NOTES})
    for note in chapter.footnotes:
        body = tree.fragment(note.body)
        body.set("data-note", note.label)
        container.append(body)
    return container


def _take_notes(work: _Work) -> dict[str, str]:
    """The footnotes' bodies as the passes left them, out of the tree."""
    bodies: dict[str, str] = {}
    for container in tree.select(work.tree, f'./div[@class="{NOTES}"]'):
        for note in container:
            bodies[str(note.get("data-note"))] = "".join(
                etree.tostring(child, encoding="unicode") for child in note
            )
        work.tree.remove(container)
    return bodies


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "chapter"
    return slug if slug[0].isalpha() else f"ch{slug}"


def _label(chapter: ParsedChapter, numbers: dict[str, int]) -> str | None:
    """Body chapters are numbered 1, 2, ...; appendices A, B, ..."""
    if chapter.source.kind is ChapterKind.APPENDIX:
        numbers["appendix"] += 1
        return _letters(numbers["appendix"])
    if chapter.source.kind is ChapterKind.CHAPTER and chapter.source.matter is Matter.BODY:
        numbers["body"] += 1
        return str(numbers["body"])
    return None


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _unique(wanted: str, taken: set[str] | dict[str, str]) -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


def _assign_ids(book: _Book, work: _Work) -> None:
    """Make every id a valid XML name, unique across the book.

    Ids the author wrote (``{#id}``, ``id="..."``) must be unique in the book:
    a link to them would be ambiguous. Generated heading ids get a suffix.
    """
    seen: dict[str, int] = {}
    for element in work.tree.iter():
        old = element.get("id")
        if old is None:
            continue
        wanted = old if tree.XML_NAME.fullmatch(old) else "id-" + re.sub(r"[^\w.-]", "-", old)
        new = _unique(wanted, book.owners)
        seen[old] = seen.get(old, 0) + 1
        clash = old in work.renamed or new != wanted
        lines = _written_id_lines(work.parsed.text, old) if clash else []
        if lines:  # only an id the author wrote is an error; a generated one gets a suffix
            line = lines[min(seen[old], len(lines)) - 1]
            where = Location(work.parsed.source.display, line)
            message = f"id '{old}' is already used {_where_used(book, wanted, work)}"
            book.found.append(diag.error(where, message, "duplicate-id"))
        work.renamed.setdefault(old, new)
        element.set("id", new)
        book.owners[new] = work.slug


def _written_id_lines(text: str, id_: str) -> list[int]:
    """The lines where the author set ``id_`` explicitly (``{#id}``, ``id="id"``)."""
    quoted = re.escape(id_)
    pattern = re.compile(rf"\{{[^}}\n]*#{quoted}(?=[\s}}])|\bid=[\"']{quoted}[\"']")
    return [text.count("\n", 0, m.start()) + 1 for m in pattern.finditer(text)]


def _where_used(book: _Book, id_: str, work: _Work) -> str:
    owner = book.owners.get(id_)
    if owner is None or owner == work.slug:
        return "in this chapter"
    other = next(w for w in book.works if w.slug == owner)
    return f"in {other.parsed.source.display}"


def _number_notes(book: _Book, work: _Work) -> None:
    """Footnotes are numbered per chapter in the order of their first call."""
    notes = {note.label: n for n, note in enumerate(work.parsed.footnotes, 1)}
    calls: dict[str, int] = {}
    for ref in tree.select(work.tree, './/a[@class="noteref"]'):
        label = str(ref.attrib.pop("data-label"))
        number = notes[label]
        calls[label] = calls.get(label, 0) + 1
        suffix = "" if calls[label] == 1 else f"-{calls[label]}"
        ref.set("id", _unique(f"{work.slug}-fnref{number}{suffix}", book.owners))
        ref.set("href", f"#{work.slug}-fn{number}")
        ref.text = str(number)
        book.owners[ref.get("id", "")] = work.slug
    for number in notes.values():
        book.owners[f"{work.slug}-fn{number}"] = work.slug


def _number_captions(book: _Book, work: _Work) -> None:
    """'Figure 2.1', 'Table A.1': numbered per chapter."""
    for xpath, name, prefix in (
        (".//figure", word(book.language, "figure"), "fig"),
        (".//table[caption]", word(book.language, "table"), "tbl"),
    ):
        for n, element in enumerate(tree.select(work.tree, xpath), 1):
            number = f"{work.label}.{n}" if work.label else str(n)
            if element.get("id") is None:
                element.set("id", _unique(f"{work.slug}-{prefix}{n}", book.owners))
                book.owners[element.get("id", "")] = work.slug
            label = element.find(".//span[@class='label']")
            if label is not None:
                label.text = f"{name} {number}"
                label.tail = " "
            book.labels[element.get("id", "")] = f"{name} {number}"


def _label_headings(book: _Book, work: _Work) -> None:
    """A link to a heading with no text of its own shows the heading."""
    book.labels.setdefault(work.slug, work.parsed.title)
    for heading in work.tree.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if heading.get("id"):
            book.labels.setdefault(heading.get("id", ""), tree.text_of(heading))


def _resolve_images(book: _Book, work: _Work) -> None:
    """Every local image must exist inside the project; it becomes an asset."""
    base = work.parsed.source.path.parent
    for image in list(work.tree.iter("img")):
        src = image.get("src", "")
        if not src or src.startswith("data:"):
            continue
        asset = (
            _remote_asset(book, work, image) if SCHEME.match(src) else _asset(book, work, base, src)
        )
        if asset:
            image.set("src", asset.href)


def _remote_asset(book: _Book, work: _Work, image: etree._Element) -> Asset | None:
    """Fetched with ``--allow-remote``; otherwise its alt text stands in for it."""
    src = image.get("src", "")
    where = diag.locate(work.parsed.source.display, work.parsed.text, src)
    if book.remote is None:
        message = f"remote image '{src}' is not fetched (see --allow-remote); its alt text is shown"
        book.found.append(diag.warning(where, message, "remote-image"))
        span = etree.Element("span", {"class": "missing-image"})
        span.text = image.get("alt", "")
        tree.replace(image, span)
        return None
    try:
        path = book.remote.fetch(src)
    except RemoteError as exc:
        book.found.append(diag.error(where, f"remote image '{src}': {exc}", "remote-fetch"))
        return None
    problem = _unreadable_image(path, src)
    if problem:
        book.found.append(diag.error(where, *problem))
        return None
    return _image_asset(book, path, where, src)


def _asset(book: _Book, work: _Work, base: Path, src: str) -> Asset | None:
    path = (base / unquote(urlsplit(src).path)).resolve()
    where = diag.locate(work.parsed.source.display, work.parsed.text, src)
    problem = _image_problem(book.root, path, src)
    if problem:
        book.found.append(diag.error(where, *problem))
        return None
    return _image_asset(book, path, where, src)


def _image_asset(book: _Book, path: Path, where: Location, src: str) -> Asset:
    """The image as an asset whose name and media type say what its bytes are:
    a PNG named ``.jpg`` is copied as ``.png`` (readers and EPUBCheck go by
    the media type), with a warning."""
    kind = _raster_kind(path)
    if kind is None or MEDIA_TYPES[kind] == MEDIA_TYPES[path.suffix.lower()]:
        return _register(book, path)
    message = f"image '{src}' is a {kind[1:].upper()} file named {path.suffix}; used as {kind}"
    book.found.append(diag.warning(where, message, "wrong-extension"))
    return _register(book, path, suffix=kind)


RASTER_KINDS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}
"""Pillow's name of a format -> the suffix it is known by."""


def _raster_kind(path: Path) -> str | None:
    """The suffix the bytes of a raster image call for (None for SVG, or a
    format outside ``RASTER_KINDS``)."""
    if path.suffix.lower() == ".svg":
        return None
    with Image.open(path) as image:  # read already by _unreadable_image: it opens
        return RASTER_KINDS.get(image.format or "")


def _image_problem(root: Path, path: Path, src: str) -> tuple[str, str] | None:
    if not path.is_relative_to(root):
        return f"image '{src}' is outside the project directory", "image-outside-project"
    if not path.is_file():
        return f"image '{src}' not found", "missing-image"
    if path.suffix.lower() not in MEDIA_TYPES:
        kinds = ", ".join(sorted(MEDIA_TYPES))
        return f"image '{src}' is not a supported kind ({kinds})", "unsupported-image"
    return _unreadable_image(path, src)


def _unreadable_image(path: Path, src: str) -> tuple[str, str] | None:
    """Images are read before any writer sees them: a broken or hostile file
    (XML entities, "billion laughs") fails here, quickly, with its name. A
    plain DOCTYPE, as drawing programs write, is harmless and allowed; entity
    declarations and external references are not."""
    if path.suffix.lower() == ".svg":
        try:
            defused.parse(path, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        except DefusedXmlException as exc:
            return f"image '{src}' is refused: {type(exc).__name__}", "unsafe-svg"
        except (defused.ParseError, OSError) as exc:
            return f"image '{src}' is not valid SVG: {exc}", "bad-image"
        return None
    try:
        with Image.open(path) as image:
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for a broken file
        return f"image '{src}' cannot be read: {exc}", "bad-image"
    return None


def _register(
    book: _Book,
    path: Path,
    folder: str = "images",
    media_type: str | None = None,
    suffix: str | None = None,
) -> Asset:
    if path not in book.assets:
        stem = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem) or "file"
        name = _unique(stem, book.asset_stems)
        suffix = suffix or path.suffix.lower()
        href = f"{folder}/{name}{suffix}"
        book.assets[path] = Asset(path, href, media_type or MEDIA_TYPES[suffix])
        book.asset_stems.add(Path(href).stem)
    return book.assets[path]


def _cover(book: _Book, cover: Path | None) -> Asset | None:
    if cover is None:
        return None
    problem = _image_problem(book.root, cover, str(cover.relative_to(book.root)))
    if problem:
        book.found.append(diag.error(Location(Path("book.toml")), *problem))
        return None
    return _image_asset(book, cover, Location(Path("book.toml")), str(cover.relative_to(book.root)))


CSS_URL = re.compile(r"""url\(\s*(?P<quote>['"]?)(?P<url>[^'")]+)(?P=quote)\s*\)""")
CSS_MEDIA_TYPES = {
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    **MEDIA_TYPES,
}


def _stylesheet(book: _Book, path: Path) -> tuple[str, str]:
    """A user stylesheet whose url()s (fonts, images) become assets of every edition."""
    text = path.read_text(encoding="utf-8")
    display = path.relative_to(book.root)

    def asset_url(match: re.Match[str]) -> str:
        url = match["url"].strip()
        if url.startswith(("data:", "#")) or SCHEME.match(url):
            return match[0]
        target = (path.parent / unquote(urlsplit(url).path)).resolve()
        where = Location(display, text.count("\n", 0, match.start()) + 1)
        if not target.is_relative_to(book.root) or not target.is_file():
            problem = "is outside the project" if target.exists() else "not found"
            message = f"'{url}' {problem}; it is left out of every edition"
            book.found.append(diag.warning(where, message, "missing-style-file"))
            return 'url("data:,")'  # an empty resource: nothing is fetched
        media_type = CSS_MEDIA_TYPES.get(target.suffix.lower(), "application/octet-stream")
        asset = _register(book, target, "assets", media_type)
        return f'url("../{asset.href}")'

    return f"styles/{path.name}", CSS_URL.sub(asset_url, text)


def _resolve_links(book: _Book, work: _Work) -> None:
    """Internal links become ``#id`` with the final, book-unique id."""
    chapters = {w.parsed.source.path: w for w in book.works}
    for link in tree.select(work.tree, ".//a[@href]"):
        href = link.get("href", "")
        if SCHEME.match(href) or link.get("class") == "noteref":
            continue
        target = _link_target(work, chapters, href)
        where = diag.locate(work.parsed.source.display, work.parsed.text, f"]({href}")
        if where.line is None:
            where = diag.locate(work.parsed.source.display, work.parsed.text, href)
        is_xref = not len(link) and not (link.text or "").strip()
        if is_xref and (target is None or target not in book.owners):
            message = f"cross-reference '{href}' points to nothing in this book"
            book.found.append(diag.error(where, message, "unresolved-xref"))
        elif target is None:
            message = f"link target '{href}' is not in this book; the link is removed"
            book.found.append(diag.warning(where, message, "broken-link"))
            tree.unwrap(link)
        elif target not in book.owners:
            book.found.append(diag.warning(where, f"no id '{target}' in this book", "broken-link"))
        else:
            link.set("href", f"#{target}")
            if is_xref:
                link.text = book.labels.get(target, target)
                link.set("class", "xref")


def _link_target(work: _Work, chapters: dict[Path, _Work], href: str) -> str | None:
    parts = urlsplit(href)
    if not parts.path:
        return work.renamed.get(parts.fragment, parts.fragment)
    path = (work.parsed.source.path.parent / unquote(parts.path)).resolve()
    other = chapters.get(path) or _by_page_name(chapters, path)
    if other is None:
        return None
    return other.renamed.get(parts.fragment, parts.fragment) if parts.fragment else other.slug


def _by_page_name(chapters: dict[Path, _Work], path: Path) -> _Work | None:
    """mdBook books link to ``what-unsafe-does.html``, the page built from
    ``04-what-unsafe-does.md``: match the stem, numbering prefix aside."""
    if path.suffix not in (".html", ".htm", ".md"):
        return None
    wanted = _bare_stem(path)
    found = [w for p, w in chapters.items() if p.parent == path.parent and _bare_stem(p) == wanted]
    return found[0] if len(found) == 1 else None


def _bare_stem(path: Path) -> str:
    return re.sub(r"^\d+[-_ ]+", "", path.stem).lower()


def _finish(work: _Work) -> Chapter:
    bodies = _take_notes(work)
    notes = tuple(
        replace(note, body=bodies.get(note.label, note.body), id=f"{work.slug}-fn{n}", number=n)
        for n, note in enumerate(work.parsed.footnotes, 1)
    )
    return Chapter(
        source=work.parsed.source,
        slug=work.slug,
        title=work.parsed.title,
        label=work.label,
        body=etree.tostring(work.tree, encoding="unicode"),
        footnotes=notes,
        headings=_headings(work),
    )


def _headings(work: _Work) -> tuple[Heading, ...]:
    headings = []
    for element in work.tree.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = tree.text_of(element)
        where = diag.locate(work.parsed.source.display, work.parsed.text, text[:40])
        headings.append(Heading(int(str(element.tag)[1]), text, element.get("id", ""), where))
    return tuple(headings)
