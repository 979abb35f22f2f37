"""Frozen records passed between the pipeline stages.

config -> BookConfig; parse -> ParsedChapter; assemble -> Manuscript;
render -> RenderedBook. Nothing here imports from the rest of ``book``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source file, for diagnostics."""

    path: Path
    """File, relative to the project root when it lies inside it."""
    line: int | None = None
    """1-based line number, when known."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


class Matter(StrEnum):
    """The three divisions of a printed book."""

    FRONT = "front"
    BODY = "body"
    BACK = "back"


class ChapterKind(StrEnum):
    """What a chapter file is; decides its matter, numbering and semantics."""

    CHAPTER = "chapter"
    TITLEPAGE = "titlepage"
    COPYRIGHT = "copyright"
    DEDICATION = "dedication"
    EPIGRAPH = "epigraph"
    FOREWORD = "foreword"
    PREFACE = "preface"
    INTRODUCTION = "introduction"
    PROLOGUE = "prologue"
    EPILOGUE = "epilogue"
    AFTERWORD = "afterword"
    ACKNOWLEDGEMENTS = "acknowledgements"
    APPENDIX = "appendix"
    BIBLIOGRAPHY = "bibliography"
    GLOSSARY = "glossary"
    COLOPHON = "colophon"

    @property
    def default_matter(self) -> Matter:
        """Where this kind of chapter goes unless the author says otherwise."""
        return _DEFAULT_MATTER.get(self, Matter.BODY)


_DEFAULT_MATTER = {
    ChapterKind.TITLEPAGE: Matter.FRONT,
    ChapterKind.COPYRIGHT: Matter.FRONT,
    ChapterKind.DEDICATION: Matter.FRONT,
    ChapterKind.EPIGRAPH: Matter.FRONT,
    ChapterKind.FOREWORD: Matter.FRONT,
    ChapterKind.PREFACE: Matter.FRONT,
    ChapterKind.AFTERWORD: Matter.BACK,
    ChapterKind.ACKNOWLEDGEMENTS: Matter.BACK,
    ChapterKind.APPENDIX: Matter.BACK,
    ChapterKind.BIBLIOGRAPHY: Matter.BACK,
    ChapterKind.GLOSSARY: Matter.BACK,
    ChapterKind.COLOPHON: Matter.BACK,
}


class Format(StrEnum):
    """An edition the pipeline can write."""

    PDF = "pdf"
    EPUB = "epub"
    HTML = "html"


@dataclass(frozen=True, slots=True)
class Metadata:
    """Bibliographic data from ``[book]`` in book.toml."""

    title: str
    authors: tuple[str, ...]
    language: str
    """A valid BCP 47 tag."""
    identifier: str
    """Stable unique id: given, or a urn:uuid derived from title and authors."""
    subtitle: str | None = None
    publisher: str | None = None
    date: str | None = None
    rights: str | None = None
    description: str | None = None
    cover: Path | None = None
    """Absolute path of the cover image, if any."""
    subjects: tuple[str, ...] = ()
    """Keywords: PDF keywords, EPUB ``dc:subject``."""
    isbn: str | None = None
    """The e-book's ISBN (digits only); also the identifier unless one is given."""
    contributors: tuple[tuple[str, str], ...] = ()
    """(name, MARC relator): ``edt`` editors, ``trl`` translators, ``ill`` illustrators."""
    series: str | None = None
    series_index: int | None = None


@dataclass(frozen=True, slots=True)
class ChapterSource:
    """One entry of the reading order."""

    path: Path
    """Absolute path of the Markdown file."""
    display: Path
    """The path as shown in diagnostics (relative to the project)."""
    kind: ChapterKind = ChapterKind.CHAPTER
    matter: Matter = Matter.BODY


@dataclass(frozen=True, slots=True)
class PageSettings:
    """Print layout from ``[pdf]`` in book.toml; lengths are CSS lengths."""

    width: str = "6in"
    height: str = "9in"
    inside: str = "0.85in"
    """The gutter: the margin at the binding."""
    outside: str = "0.65in"
    top: str = "0.75in"
    bottom: str = "0.8in"
    bleed: str | None = None
    """Set for the print-ready variant only (crop marks go with it)."""
    running_heads: tuple[str, str] = ("book", "chapter")
    """What heads left and right pages: book, chapter, section or none."""
    variant: str | None = None
    """A PDF variant passed to WeasyPrint, e.g. ``pdf/a-3u``."""
    attachments: tuple[Path, ...] = ()
    """Project files embedded in the PDF (``[pdf] attachments``); none by default."""


@dataclass(frozen=True, slots=True)
class EpubSettings:
    """E-book options from ``[epub]`` in book.toml."""

    embed_fonts: bool = True
    """Embed the bundled typeface (the reader's own fonts otherwise)."""
    split_chapters: bool = False
    """One XHTML file per level-2 section, for very long chapters."""
    accessibility_summary: str | None = None


@dataclass(frozen=True, slots=True)
class ProofSettings:
    """Proof edition options from ``[proof]`` in book.toml."""

    watermark: str = "DRAFT"
    """The word set diagonally across every page of a proof PDF ("" for none)."""


class ChangeMode(StrEnum):
    """What a build does with CriticMarkup (editors' marks) in the sources."""

    FLAG = "flag"
    """A normal build: the marks are shown and each one is a warning."""
    SHOW = "show"
    """A proof build: the marks are shown as coloured insertions, deletions, comments."""
    ACCEPT = "accept"
    """Every change accepted, every comment removed: the clean text."""
    REJECT = "reject"
    """Every change rejected, every comment removed."""


@dataclass(frozen=True, slots=True)
class BuildMode:
    """How this build treats the editors' proofing: from the command line."""

    proof: bool = False
    """``--proof``: watermark, build stamp and paragraph anchors."""
    changes: ChangeMode = ChangeMode.FLAG


@dataclass(frozen=True, slots=True)
class ProofMarks:
    """What a proof edition prints on its pages."""

    watermark: str
    """Diagonal text on every PDF page ("" for none)."""
    when: str
    """The build stamp's first part: ``Proof 2026-11-25 14:53 UTC``."""
    version: str
    """Its second: ``git v1.2-3-gabc1234-dirty``, or ``sources 2ae57f3fa829`` outside git."""

    @property
    def stamp(self) -> str:
        """The whole build stamp on one line."""
        return f"{self.when} · {self.version}"


@dataclass(frozen=True, slots=True)
class BookConfig:
    """Validated book.toml plus the resolved reading order."""

    root: Path
    """Absolute project directory."""
    metadata: Metadata
    chapters: tuple[ChapterSource, ...]
    output: str = "book"
    """Base name of the outputs: ``book.pdf``, ``book.epub``."""
    styles: tuple[Path, ...] = ()
    """User stylesheets (absolute), applied after the built-in theme."""
    page: PageSettings = PageSettings()
    epub: EpubSettings = EpubSettings()
    print_bleed: str = "0.125in"
    """The bleed a print-ready build (``--print``) adds."""
    proof: ProofSettings = ProofSettings()
    built: str = ""
    """When the book was built (ISO 8601, UTC): ``SOURCE_DATE_EPOCH`` or now."""


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote definition, in the order of its first reference."""

    label: str
    """The author's label, unique within its chapter only."""
    body: str
    """XHTML fragment: the note's block content, back-link removed."""
    location: Location
    id: str = ""
    """Book-unique id, assigned by assemble."""
    number: int = 0
    """1-based, restarting in every chapter."""


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image referenced by a chapter, as written."""

    src: str
    location: Location


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading, for the table of contents and bookmarks."""

    level: int
    text: str
    id: str
    location: Location


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found in the sources."""

    location: Location
    severity: str
    """``error`` or ``warning``."""
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"


@dataclass(frozen=True, slots=True)
class ParsedChapter:
    """One Markdown file turned into format-neutral XHTML.

    Footnote calls are ``<a class="noteref" data-label="L"/>`` placeholders;
    figures are ``<figure>`` with an empty ``span.label`` in the caption.
    Ids and numbers are still chapter-local: assemble makes them book-wide.
    """

    source: ChapterSource
    title: str
    body: str
    """XHTML fragment (no namespace), the chapter's content."""
    footnotes: tuple[Footnote, ...]
    images: tuple[ImageRef, ...]
    diagnostics: tuple[Diagnostic, ...]
    text: str
    """The Markdown source, for locating later diagnostics."""


@dataclass(frozen=True, slots=True)
class Asset:
    """A file copied into every edition."""

    source: Path
    """Absolute path of the file to copy (unused when ``content`` is given)."""
    href: str
    """Path inside the edition, e.g. ``images/map.svg`` or ``fonts/x.otf``."""
    media_type: str
    content: bytes | None = None
    """The file's bytes, for files the build makes (a generated cover)."""

    def read(self) -> bytes:
        """The file's bytes."""
        return self.content if self.content is not None else self.source.read_bytes()


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter whose ids, numbers and links are final for the whole book."""

    source: ChapterSource
    slug: str
    """Book-unique name: the document's file stem and its section id."""
    title: str
    label: str | None
    """Chapter number as printed ("3", "A"), or None when unnumbered."""
    body: str
    """XHTML fragment. Internal links are ``#id``; ids are unique in the book."""
    footnotes: tuple[Footnote, ...]
    headings: tuple[Heading, ...]


@dataclass(frozen=True, slots=True)
class Manuscript:
    """The whole book, known before anything is rendered."""

    metadata: Metadata
    chapters: tuple[Chapter, ...]
    assets: tuple[Asset, ...]
    """Images of the chapters and the cover."""
    id_owner: tuple[tuple[str, str], ...]
    """(id, chapter slug) for every id in the book: where a link lands."""
    styles: tuple[tuple[str, str], ...] = ()
    """The user's stylesheets: (href, CSS with its url()s pointing at assets)."""
    cover: Asset | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """One (X)HTML file of an edition."""

    href: str
    """File name inside the edition."""
    title: str
    content: str
    """The complete serialised document."""
    role: str = "chapter"
    """What it is: titlepage, toc, chapter, copyright... (for landmarks)."""


@dataclass(frozen=True, slots=True)
class TocEntry:
    """A line of the table of contents."""

    level: int
    title: str
    href: str
    label: str | None = None
    kind: ChapterKind = ChapterKind.CHAPTER
    """The kind of chapter the entry belongs to."""
    matter: Matter = Matter.BODY
    """Front matter entries get roman page numbers in print."""


@dataclass(frozen=True, slots=True)
class PageStart:
    """Where a page of the printed edition begins, for the EPUB's page list."""

    folio: str
    """The page number as printed: "37", "iv"."""
    chapter: str
    """Slug of the chapter the page begins in."""
    block: int
    """Index of the block (paragraph, heading, ...) in that chapter, from 0."""
    words: str
    """The first words of the page, to find the place inside the block."""


@dataclass(frozen=True, slots=True)
class Written:
    """What a writer reports back: for the PDF, its pages and where they begin."""

    pages: int | None = None
    page_starts: tuple[PageStart, ...] = ()


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Settings and facts from outside the manuscript that shape an edition."""

    page: PageSettings = PageSettings()
    epub: EpubSettings = EpubSettings()
    built: str = ""
    """Build time, ISO 8601 UTC (``SOURCE_DATE_EPOCH`` when set)."""
    page_starts: tuple[PageStart, ...] = ()
    """The print edition's pages, when it was laid out in the same run."""
    proof: ProofMarks | None = None
    """Set in proof builds (``--proof``): watermark, stamp, paragraph anchors."""


@dataclass(frozen=True, slots=True)
class RenderedBook:
    """What a writer needs: documents, styles and files, all final."""

    format: Format
    metadata: Metadata
    documents: tuple[Document, ...]
    stylesheets: tuple[tuple[str, str], ...]
    """(href, CSS text) in cascade order."""
    assets: tuple[Asset, ...]
    toc: tuple[TocEntry, ...]
    cover: Asset | None = None
    options: RenderOptions = RenderOptions()
    accessibility: tuple[tuple[str, str], ...] = ()
    """EPUB Accessibility metadata: (property, value), e.g. ("schema:accessMode", "textual")."""
