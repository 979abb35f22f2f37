"""RenderedBook -> EPUB 3, with ebooklib. The only module that imports it.

ebooklib writes the package document, the NCX and the container; the XHTML
documents (navigation document included) come finished from ``render`` and
are stored as they are. The zip is then rewritten deterministically.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from ebooklib import epub
from lxml import etree

from book.errors import BuildError
from book.model import Document, RenderedBook, TocEntry, Written
from book.output import atomic_file

XHTML = "application/xhtml+xml"


def write_epub(book: RenderedBook, target: Path) -> Written:
    """Build the package with ebooklib and write it atomically to ``target``."""
    package = _package(book)
    buffer = io.BytesIO()
    built = _built(book.options.built)
    options = {
        "mtime": built,
        "epub3_landmark": False,
        "epub3_pages": False,
        "raise_exceptions": True,
        "compresslevel": 0,  # compressed once, by _deterministic
    }
    epub.EpubWriter(buffer, package, options).write()
    try:
        with atomic_file(target) as temporary:
            temporary.write_bytes(_deterministic(buffer.getvalue(), built, book.metadata.language))
    except OSError as exc:
        raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None
    return Written()


def _built(stamp: str) -> dt.datetime:
    """The build time from config (``SOURCE_DATE_EPOCH`` or now)."""
    if stamp:
        return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _package(book: RenderedBook) -> epub.EpubBook:
    package = epub.EpubBook()
    _metadata(package, book)
    for n, (href, css) in enumerate(book.stylesheets):
        package.add_item(epub.EpubItem(f"css{n}", href, "text/css", css.encode("utf-8")))
    cover = book.cover.href if book.cover else None
    for n, asset in enumerate(book.assets):
        item = epub.EpubItem(f"asset{n}", asset.href, asset.media_type, asset.read())
        if asset.href == cover:
            item.properties = ["cover-image"]
        package.add_item(item)
    spine = [package.add_item(_document(n, document)) for n, document in enumerate(book.documents)]
    package.spine = spine
    package.toc = _ncx_toc(book.toc)
    package.add_item(epub.EpubNcx())
    return package


def _metadata(package: epub.EpubBook, book: RenderedBook) -> None:
    meta = book.metadata
    package.set_identifier(meta.identifier)
    package.set_title(meta.title)
    package.set_language(meta.language)
    if meta.isbn and meta.identifier != f"urn:isbn:{meta.isbn}":
        package.add_metadata("DC", "identifier", f"urn:isbn:{meta.isbn}", {"id": "isbn"})
    people = [(name, "aut", "creator") for name in meta.authors]
    people += [(name, role, "contributor") for name, role in meta.contributors]
    for n, (name, role, element) in enumerate(people, 1):
        package.add_metadata("DC", element, name, {"id": f"{element}{n}"})
        _refine(package, f"{element}{n}", "role", role, {"scheme": "marc:relators"})
    for name in ("publisher", "rights", "description", "date"):
        value = getattr(meta, name)
        if value:
            package.add_metadata("DC", name, value)
    for subject in meta.subjects:
        package.add_metadata("DC", "subject", subject)
    if meta.series:
        package.add_metadata(
            None, "meta", meta.series, {"property": "belongs-to-collection", "id": "series"}
        )
        _refine(package, "series", "collection-type", "series")
        if meta.series_index:
            _refine(package, "series", "group-position", str(meta.series_index))
    for name, value in book.accessibility:
        package.add_metadata(None, "meta", value, {"property": name})
    if book.options.page_starts:  # the page list follows the PDF built in the same run
        source = f"{meta.title}, print edition (PDF) of {meta.identifier}"
        package.add_metadata("DC", "source", source, {"id": "print-source"})
        package.add_metadata(None, "meta", source, {"property": "pageBreakSource"})


def _refine(
    package: epub.EpubBook, target: str, name: str, value: str, extra: dict[str, str] | None = None
) -> None:
    """An EPUB 3 refinement: ``<meta refines="#target" property="name">value</meta>``."""
    package.add_metadata(
        None, "meta", value, {"refines": f"#{target}", "property": name, **(extra or {})}
    )


def _document(n: int, document: Document) -> epub.EpubItem:
    uid = "nav" if document.role == "nav" else f"doc{n}"
    item = epub.EpubItem(uid, document.href, XHTML, document.content.encode("utf-8"))
    properties = ["nav"] if document.role == "nav" else []
    if "<svg" in document.content:
        properties.append("svg")
    item.properties = properties
    return item


def _ncx_toc(entries: tuple[TocEntry, ...]) -> list[object]:
    """ebooklib's NCX tree: a chapter with sections is (Section, [Link, ...])."""
    chapters: list[tuple[TocEntry, list[epub.Link]]] = []
    for n, entry in enumerate(entries):
        if entry.level == 1 or not chapters:
            chapters.append((entry, []))
        else:
            chapters[-1][1].append(epub.Link(entry.href, entry.title, f"toc{n}"))
    return [
        (epub.Section(_title(entry), entry.href), links)
        if links
        else epub.Link(entry.href, _title(entry), f"chapter{n}")
        for n, (entry, links) in enumerate(chapters)
    ]


def _title(entry: TocEntry) -> str:
    return f"{entry.label}: {entry.title}" if entry.label else entry.title


def _deterministic(data: bytes, built: dt.datetime, language: str) -> bytes:
    """Same input, same bytes: fixed timestamps and order; EPUB OCF 3.3 §4.3:
    ``mimetype`` first and stored uncompressed. The package element also gets
    the book's language (``xml:lang``), which ebooklib does not write."""
    stamp = max(built.timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # zip cannot go earlier
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            stored = info.filename == "mimetype"
            fixed.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = source.read(info.filename)
            if info.filename.endswith(".opf"):
                content = _package_language(content, language)
            target.writestr(fixed, content)
    return out.getvalue()


def _package_language(opf: bytes, language: str) -> bytes:
    """Set ``xml:lang`` on the OPF ``<package>`` (EPUB 3.3 §5.4.1; Ace checks it)."""
    root = etree.fromstring(opf)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    return bytes(etree.tostring(root, encoding="utf-8", xml_declaration=True))
