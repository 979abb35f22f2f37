"""The parts' PDFs made one: pages, links, bookmarks, tags and fonts.

pikepdf (qpdf) does the object copying: it maps every object a copied page
or structure element refers to, once per source file, so links, tags and
bookmarks of a part still point at its own pages after the merge.

Each part embeds a stand-in for a font's file, with the font's widths and
text mapping, and the worker keeps the whole font file aside
(``book.pdf.worker``); here the fonts of the same name in all parts become
one, cut from the whole file down to the glyphs all parts use, so the merged
PDF holds one subset of each font, as a single-document build does.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pikepdf
import uharfbuzz as hb  # type: ignore[import-untyped]

from book.errors import BuildError
from book.output import atomic_file

EAGER_PARTS = 24
"""Parts opened and merged beside the layout workers at most; the others are
merged by ``write``, when the workers and their memory are gone: merging
every part of a very long book beside the workers raised the build's peak
memory by about a third (``bench/RESULTS.md``)."""


class Merger:
    """The parts' PDFs made one. ``add`` takes each part as it is laid out,
    in any order, and merges it as soon as the parts before it are in (so
    the merging goes on while later parts are laid out); ``write`` saves the
    whole. Parts are always merged in the same order, the first being the
    base: the same parts make the same bytes, in whatever order they came.

    ``owners`` tells which part holds each anchor (a part links to others'
    by name). With ``front_last``, part 0 (the front matter, whose contents
    wait for every chapter's pages) is merged after the others and its pages
    put first, so the chapters are merged while it is laid out."""

    def __init__(self, owners: Mapping[str, int], parts: int, front_last: bool = False) -> None:
        self.owners = owners
        self.front_last = front_last and parts > 1
        self.order = [*range(1, parts), 0] if self.front_last else list(range(parts))
        """The parts' indexes in the order they are merged."""
        self.waiting: dict[int, bytes | pikepdf.Pdf] = {}
        """Parts that came before one they follow: opened at once while at
        most ``EAGER_PARTS`` parts are merged or open, else once merged."""
        self.next = 0
        self.out: pikepdf.Pdf | None = None
        self.tags: _Tags | None = None
        self.sources: list[pikepdf.Pdf] = []
        """Kept open: the merged PDF reads their streams when it is saved."""
        self.names: dict[str, pikepdf.Object] = {}
        self.outline_items: list[pikepdf.OutlineItem] = []

    def add(self, index: int, data: bytes, now: bool = True) -> None:
        """Part ``index``'s PDF, merged at once if the parts before it are in
        and ``now`` (the layout workers may still run), as long as fewer than
        ``EAGER_PARTS`` parts are merged or open; else by ``write``."""
        room = self.next + len(self.waiting) < EAGER_PARTS
        self.waiting[index] = pikepdf.open(io.BytesIO(data)) if room else data
        if now and room:
            self._merge_waiting(EAGER_PARTS)

    def _merge_waiting(self, until: int | None = None) -> None:
        """Merge the parts that are next in order (up to the ``until``-th)."""
        last = len(self.order) if until is None else min(until, len(self.order))
        while self.next < last and self.order[self.next] in self.waiting:
            self._merge(self.order[self.next], self.waiting.pop(self.order[self.next]))
            self.next += 1

    def _merge(self, index: int, data: bytes | pikepdf.Pdf) -> None:
        source = data if isinstance(data, pikepdf.Pdf) else pikepdf.open(io.BytesIO(data))
        self.sources.append(source)
        if self.out is None:
            self.out, self.tags = source, _Tags(source)
            self.names = _dests(source, self.owners, index)
            with source.open_outline() as outline:  # written back in book order
                self.outline_items = list(outline.root)
                outline.root.clear()
            return
        out, tags = self.out, self.tags
        assert tags is not None
        first = self.front_last and index == 0  # the front matter, put first
        count = len(source.pages)
        with warnings.catch_warnings():  # named destinations are merged below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            if first:
                for number, page in enumerate(source.pages):
                    out.pages.insert(number, page)
            else:
                out.pages.extend(source.pages)
        offset = tags.add(source, first)
        for page in out.pages[:count] if first else out.pages[len(out.pages) - count :]:
            _shift_struct_parents(page, offset)
        self.names.update(_dests(source, self.owners, index, out))
        items = _outline(source, out)
        if first:
            self.outline_items[:0] = items
            _attachments(source, out)
        else:
            self.outline_items.extend(items)

    def write(self, target: Path, built: str = "", fonts: Mapping[str, Path] | None = None) -> None:
        """Save the merged PDF at ``target``: ``built`` (ISO 8601 UTC) dates
        it; ``fonts`` gives the whole file of each font (by its PDF name)
        that the parts embed stand-ins for."""
        self._merge_waiting()
        out = self.out
        assert out is not None and not self.waiting, "every part is added"
        _write_dests(out, self.names)
        with out.open_outline() as outline:
            outline.root.extend(self.outline_items)
        FontMerger(out, fonts or {}).merge()
        if built:
            stamp = "D:" + re.sub(r"\D", "", built)[:14] + "Z"
            out.docinfo.CreationDate = out.docinfo.ModDate = pikepdf.String(stamp)
        try:
            with atomic_file(target) as temporary:
                out.save(
                    temporary,
                    deterministic_id=True,
                    compress_streams=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate,
                )
        except OSError as exc:
            raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None


def _dests(
    source: pikepdf.Pdf, owners: Mapping[str, int], index: int, out: pikepdf.Pdf | None = None
) -> dict[str, pikepdf.Object]:
    """The named destinations this part really holds (not its stand-ins)."""
    found: dict[str, pikepdf.Object] = {}
    if "/Names" not in source.Root or "/Dests" not in source.Root.Names:
        return found
    tree = pikepdf.NameTree(source.Root.Names.Dests)
    for name, destination in tree.items():
        if owners.get(name, index) == index:
            found[name] = _copy(out, source, destination) if out is not None else destination
    return found


def _attachments(source: pikepdf.Pdf, out: pikepdf.Pdf) -> None:
    """The files ``source`` (the front matter) attaches, attached to ``out``
    (the other parts attach none)."""
    names = source.Root.get("/Names")
    if names is None or "/EmbeddedFiles" not in names:
        return
    if "/Names" not in out.Root:
        out.Root.Names = pikepdf.Dictionary()
    out.Root.Names.EmbeddedFiles = _copy(out, source, names.EmbeddedFiles)


def _copy(out: pikepdf.Pdf, source: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """``value`` of ``source`` in ``out`` (qpdf copies only indirect objects)."""
    if not value.is_indirect:
        value = source.make_indirect(value)
    return out.copy_foreign(value)


def _write_dests(out: pikepdf.Pdf, names: Mapping[str, pikepdf.Object]) -> None:
    array = pikepdf.Array()
    for name in sorted(names):
        array.append(pikepdf.String(name))
        array.append(names[name])
    if "/Names" not in out.Root:
        out.Root.Names = pikepdf.Dictionary()
    out.Root.Names.Dests = out.make_indirect(pikepdf.Dictionary(Names=array))


def _outline(source: pikepdf.Pdf, out: pikepdf.Pdf) -> list[pikepdf.OutlineItem]:
    with source.open_outline() as outline:
        return [_copy_item(item, out) for item in outline.root]


def _copy_item(item: pikepdf.OutlineItem, out: pikepdf.Pdf) -> pikepdf.OutlineItem:
    copied = pikepdf.OutlineItem(item.title)
    if item.destination is not None:
        copied.destination = _copy_destination(item.destination, out)  # type: ignore[assignment]
    copied.is_closed = item.is_closed
    copied.children.extend(_copy_item(child, out) for child in item.children)
    return copied


def _copy_destination(destination: object, out: pikepdf.Pdf) -> pikepdf.Object:
    if isinstance(destination, pikepdf.Array):
        return pikepdf.Array(
            out.copy_foreign(value) if isinstance(value, pikepdf.Dictionary) else value
            for value in destination
        )
    return destination  # type: ignore[return-value]


def _shift_struct_parents(page: pikepdf.Page, offset: int) -> None:
    if "/StructParents" in page.obj:
        page.obj.StructParents = int(page.obj.StructParents) + offset
    for annotation in page.obj.get("/Annots", ()):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


class _Tags:
    """The structure tree of the first part, grown with the others'."""

    def __init__(self, out: pikepdf.Pdf) -> None:
        self.out = out
        root = out.Root.get("/StructTreeRoot")
        self.document = root.K[0] if root is not None and len(root.K) else None
        self.nums = root.ParentTree.Nums if root is not None else None
        self.next_key = _next_key(self.nums)

    def add(self, source: pikepdf.Pdf, first: bool = False) -> int:
        """Adopt ``source``'s structure (after its pages were copied), after
        the others' or ``first``; returns the offset its pages' and
        annotations' structure keys must move by."""
        offset = self.next_key
        root = source.Root.get("/StructTreeRoot")
        if root is None or self.document is None or self.nums is None:
            return offset
        document = self.out.copy_foreign(root.K[0])
        for number, kid in enumerate(document.K):
            if isinstance(kid, pikepdf.Dictionary):
                kid.P = self.document
            if first:
                self.document.K.insert(number, kid)
            else:
                self.document.K.append(kid)
        nums = root.ParentTree.Nums
        for i in range(0, len(nums), 2):
            self.nums.append(int(nums[i]) + offset)
            self.nums.append(_copy(self.out, source, nums[i + 1]))
        self.next_key = offset + _next_key(nums)
        if "/ParentTreeNextKey" in self.out.Root.StructTreeRoot:
            self.out.Root.StructTreeRoot.ParentTreeNextKey = self.next_key
        return offset


def _next_key(nums: pikepdf.Object | None) -> int:
    if nums is None or not len(nums):
        return 0
    return max(int(nums[i]) for i in range(0, len(nums), 2)) + 1


BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
BFCHAR_SECTION = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)


class FontMerger:
    """One subset per font, for the glyphs every part uses."""

    def __init__(self, out: pikepdf.Pdf, whole: Mapping[str, Path]) -> None:
        self.out = out
        self.whole = whole

    def merge(self) -> None:
        groups: dict[str, list[pikepdf.Object]] = {}
        for font in self._type0_fonts():
            name = str(font.BaseFont).lstrip("/")
            descriptor = font.DescendantFonts[0].get("/FontDescriptor")
            if name not in self.whole:
                continue
            if (
                descriptor is None
                or _font_file(descriptor) is None
                or font.get("/Encoding") != pikepdf.Name("/Identity-H")
            ):  # a part embeds a stand-in for it: it must be merged
                raise BuildError(f"cannot merge the parts' copies of font {name}")
            groups.setdefault(name, []).append(font)
        replaced: dict[tuple[int, int], pikepdf.Object] = {}
        for name, fonts in groups.items():
            keeper = self._merge_group(fonts, self.whole[name].read_bytes())
            for font in fonts:
                replaced[font.objgen] = keeper
        for resources in self._font_resources():
            for key, font in list(resources.items()):
                if font.objgen in replaced:
                    resources[key] = replaced[font.objgen]

    def _merge_group(self, fonts: list[pikepdf.Object], whole: bytes) -> pikepdf.Object:
        keeper = fonts[0]
        widths: dict[int, float] = {}
        text: dict[int, bytes] = {}
        for font in fonts:
            widths.update(_widths(font.DescendantFonts[0].get("/W", pikepdf.Array())))
            text.update(_to_unicode(font.get("/ToUnicode")))
        descendant = keeper.DescendantFonts[0]
        descriptor = descendant.FontDescriptor
        entry = _font_file_entry(descriptor)
        assert entry is not None, "grouped only with a font file"
        kind, file = entry
        data = _subset(whole, sorted(widths))
        tag = "".join(
            chr(65 + b % 26) for b in hashlib.sha256(repr(sorted(widths)).encode()).digest()[:6]
        )
        name = pikepdf.Name("/" + tag + "+" + str(keeper.BaseFont)[1:].split("+", 1)[-1])
        extra = {"/Subtype": file.Subtype} if "/Subtype" in file else {"/Length1": len(data)}
        stream = pikepdf.Stream(self.out, data, **{k[1:]: v for k, v in extra.items()})
        descriptor[kind] = self.out.make_indirect(stream)
        keeper.BaseFont = descendant.BaseFont = descriptor.FontName = name
        descendant.W = _width_array(widths)
        keeper.ToUnicode = self.out.make_indirect(pikepdf.Stream(self.out, _cmap(text)))
        return keeper

    def _type0_fonts(self) -> Iterator[pikepdf.Object]:
        seen: set[tuple[int, int]] = set()
        for resources in self._font_resources():
            for font in resources.values():
                if font.objgen in seen or font.get("/Subtype") != pikepdf.Name.Type0:
                    continue
                seen.add(font.objgen)
                yield font

    def _font_resources(self) -> Iterator[pikepdf.Object]:
        seen: set[tuple[int, int]] = set()
        stack = [page.obj.get("/Resources") for page in self.out.pages]
        while stack:
            resources = stack.pop()
            if not isinstance(resources, pikepdf.Dictionary) or resources.objgen in seen:
                continue
            if resources.is_indirect:
                seen.add(resources.objgen)
            fonts = resources.get("/Font")
            if isinstance(fonts, pikepdf.Dictionary) and (
                not fonts.is_indirect or fonts.objgen not in seen
            ):
                if fonts.is_indirect:
                    seen.add(fonts.objgen)
                yield fonts
            for xobject in (resources.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == pikepdf.Name.Form:
                    stack.append(xobject.get("/Resources"))
            for pattern in (resources.get("/Pattern") or {}).values():
                stack.append(pattern.get("/Resources"))


def _font_file(descriptor: pikepdf.Object) -> pikepdf.Object | None:
    entry = _font_file_entry(descriptor)
    return entry[1] if entry else None


def _font_file_entry(descriptor: pikepdf.Object) -> tuple[str, pikepdf.Object] | None:
    for kind in ("/FontFile2", "/FontFile3", "/FontFile"):
        if kind in descriptor:
            return kind, descriptor[kind]
    return None


def _widths(array: pikepdf.Object) -> dict[int, float]:
    """A CIDFont's ``/W``: ``c [w1 w2 ...]`` and ``c_first c_last w`` runs."""
    widths: dict[int, float] = {}
    items = list(array)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for n, width in enumerate(items[i + 1]):
                widths[first + n] = float(width)
            i += 2
        else:
            for cid in range(first, int(items[i + 1]) + 1):
                widths[cid] = float(items[i + 2])
            i += 3
    return widths


def _width_array(widths: Mapping[int, float]) -> pikepdf.Array:
    array: list[object] = []
    run: list[float] = []
    for cid in sorted(widths):
        if cid - 1 not in widths:
            run = []
            array.extend([cid, run])
        run.append(widths[cid])
    return pikepdf.Array([pikepdf.Array(x) if isinstance(x, list) else x for x in array])


def _to_unicode(stream: pikepdf.Object | None) -> dict[int, bytes]:
    if not isinstance(stream, pikepdf.Stream):
        return {}
    found: dict[int, bytes] = {}
    for section in BFCHAR_SECTION.findall(stream.read_bytes()):  # not the codespace range
        found.update((int(glyph, 16), text) for glyph, text in BFCHAR.findall(section))
    return found


def _cmap(text: Mapping[int, bytes]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(text.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines.extend(b"<%04x> <%s>" % (glyph, codes) for glyph, codes in batch)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


DROPPED_TABLES = (
    b"BASE",
    b"DSIG",
    b"EBDT",
    b"EBLC",
    b"EBSC",
    b"GPOS",
    b"GSUB",
    b"JSTF",
    b"LTSH",
    b"PCLT",
    b"SVG ",
)
"""Tables a PDF viewer never reads (WeasyPrint drops the same)."""


def _subset(data: bytes, glyphs: Sequence[int]) -> bytes:
    """The font cut down to ``glyphs``, each keeping its id (the PDF's text
    refers to glyphs by id). HarfBuzz's subsetter (uharfbuzz), as WeasyPrint
    uses it: a hundred times faster than fontTools' on a CFF font."""
    face = hb.Face(data)
    wanted = hb.SubsetInput()
    for glyph in glyphs:
        wanted.glyph_set.add(glyph)
    dropped = wanted.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in DROPPED_TABLES:
        dropped.add(int.from_bytes(tag, "big"))
    wanted.flags = (
        hb.SubsetFlags.RETAIN_GIDS
        | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
        | hb.SubsetFlags.DESUBROUTINIZE
        | hb.SubsetFlags.NO_HINTING
    )
    result = hb.subset(face, wanted)
    if result is None:
        return data  # whole, but still right
    return bytes(result.blob.data)
