"""assemble: book-wide numbering, unique ids, assets and links."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from book.assemble.manuscript import assemble
from book.model import ChapterKind, ChapterSource, Manuscript, Matter, Metadata
from book.source.parse import parse_text
from tests.conftest import PNG, SVG

META = Metadata("T", ("A",), "en", "urn:uuid:x")


def build(
    root: Path, chapters: dict[str, str], kinds: dict[str, ChapterKind] | None = None
) -> Manuscript:
    parsed = []
    for name, text in chapters.items():
        path = root / "chapters" / name
        kind = (kinds or {}).get(name, ChapterKind.CHAPTER)
        source = ChapterSource(path, path.relative_to(root), kind, kind.default_matter)
        parsed.append(parse_text(source, textwrap.dedent(text)))
    return assemble(META, tuple(parsed), root)


def tree(manuscript: Manuscript, n: int) -> etree._Element:
    return etree.fromstring(manuscript.chapters[n].body)


def codes(manuscript: Manuscript) -> list[str]:
    return [f"{d.location}:{d.code}" for d in manuscript.diagnostics]


def test_chapters_are_numbered_and_appendices_lettered(tmp_path: Path) -> None:
    kinds = {
        "00-c.md": ChapterKind.COPYRIGHT,
        "9-a.md": ChapterKind.APPENDIX,
        "9-b.md": ChapterKind.APPENDIX,
    }
    book = build(
        tmp_path,
        {"00-c.md": "C", "01-a.md": "# A", "02-b.md": "# B", "9-a.md": "# X", "9-b.md": "# Y"},
        kinds,
    )
    assert [c.label for c in book.chapters] == [None, "1", "2", "A", "B"]
    assert next(c.source.matter for c in book.chapters) is Matter.FRONT


def test_slugs_are_unique_xml_names(tmp_path: Path) -> None:
    book = build(tmp_path, {"01-intro.md": "# I", "intro.md": "# J", "01 Intro!.md": "# K"})
    slugs = [c.slug for c in book.chapters]
    assert slugs == ["ch01-intro", "intro", "ch01-intro-2"]


def test_same_footnote_labels_in_two_chapters_do_not_collide(tmp_path: Path) -> None:
    note = "# T\n\nText[^1] and again[^1], then[^2].\n\n[^1]: One.\n[^2]: Two.\n"
    book = build(tmp_path, {"01-a.md": note, "02-b.md": note})
    ids = [
        e.get("id") for c in book.chapters for e in etree.fromstring(c.body).iter() if e.get("id")
    ]
    note_ids = [n.id for c in book.chapters for n in c.footnotes]
    assert len(set(ids + note_ids)) == len(ids + note_ids)
    assert [(n.number, n.id) for n in book.chapters[1].footnotes] == [
        (1, "ch02-b-fn1"),
        (2, "ch02-b-fn2"),
    ]
    refs = tree(book, 1).findall(".//a[@class='noteref']")
    assert [(r.text, r.get("href"), r.get("id")) for r in refs] == [
        ("1", "#ch02-b-fn1", "ch02-b-fnref1"),
        ("1", "#ch02-b-fn1", "ch02-b-fnref1-2"),
        ("2", "#ch02-b-fn2", "ch02-b-fnref2"),
    ]


def test_heading_ids_unique_across_book_and_links_follow(tmp_path: Path) -> None:
    book = build(
        tmp_path,
        {
            "01-a.md": "# A\n\n## Background\n\nSee [below](#background).\n",
            "02-b.md": "# B\n\n## Background\n\nSee [here](#background) and [there](01-a.md#background).\n",
        },
    )
    second = tree(book, 1)
    assert second.find(".//h2").get("id") == "background-2"
    hrefs = [a.get("href") for a in second.findall(".//a")]
    assert hrefs == ["#background-2", "#background"]
    owners = dict(book.id_owner)
    assert owners["background"] == "ch01-a" and owners["background-2"] == "ch02-b"


def test_link_to_a_chapter_file_points_to_its_section(tmp_path: Path) -> None:
    book = build(tmp_path, {"01-a.md": "# A\n\n[next](02-b.md)\n", "02-b.md": "# B\n"})
    assert tree(book, 0).find(".//a").get("href") == "#ch02-b"


def test_link_outside_the_book_is_removed_with_a_warning(tmp_path: Path) -> None:
    book = build(
        tmp_path, {"01-a.md": "# A\n\nSee [other](other.md) and [web](https://example.invalid/).\n"}
    )
    assert codes(book) == ["chapters/01-a.md:3:broken-link"]
    body = book.chapters[0].body
    assert "<span>other</span>" in body and 'href="https://example.invalid/"' in body


def test_unknown_fragment_is_a_warning(tmp_path: Path) -> None:
    book = build(tmp_path, {"01-a.md": "# A\n\n[x](#nowhere)\n"})
    assert codes(book) == ["chapters/01-a.md:3:broken-link"]


def test_figures_and_tables_numbered_per_chapter(tmp_path: Path) -> None:
    files = {"chapters/f/a.svg": SVG}
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    chapter = (
        "# T\n\n![one](f/a.svg)\n\n![two](f/a.svg){#fig-two}\n\n| a |\n|---|\n| 1 |\n\nTable: Cap\n"
    )
    book = build(tmp_path, {"01-a.md": "# A\n", "02-b.md": chapter})
    second = tree(book, 1)
    labels = [s.text for s in second.iter("span") if s.get("class") == "label"]
    assert labels == ["Figure 2.1", "Figure 2.2", "Table 2.1"]
    assert [f.get("id") for f in second.iter("figure")] == ["ch02-b-fig1", "fig-two"]
    assert len(book.assets) == 1  # the same file is one asset
    assert book.assets[0].href == "images/a.svg" and book.assets[0].media_type == "image/svg+xml"
    assert {i.get("src") for i in second.iter("img")} == {"images/a.svg"}


def test_missing_and_escaping_images_are_errors(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(b"x")
    book = build(
        tmp_path, {"01-a.md": "# A\n\n![m](nope.png)\n\n![s](../../secret.png)\n\n![t](x.tiff)\n"}
    )
    found = [(d.severity, d.code, d.location.line) for d in book.diagnostics]
    assert ("error", "missing-image", 3) in found
    assert ("error", "image-outside-project", 5) in found


def test_unsupported_image_kind_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "x.tiff").write_bytes(b"II*")
    book = build(tmp_path, {"01-a.md": "# A\n\n![t](x.tiff)\n"})
    assert [d.code for d in book.diagnostics] == ["unsupported-image"]


def test_an_image_named_for_another_kind_is_used_as_what_it_is(tmp_path: Path) -> None:
    """A PNG named ``.jpg`` went into the EPUB as image/jpeg (an EPUBCheck error)."""
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "photo.jpg").write_bytes(PNG)
    (tmp_path / "chapters" / "real.png").write_bytes(PNG)
    book = build(tmp_path, {"01-a.md": "# A\n\n![p](photo.jpg)\n\n![r](real.png)\n"})
    assert codes(book) == ["chapters/01-a.md:3:wrong-extension"]
    assert "PNG file named .jpg" in book.diagnostics[0].message
    assert {(a.href, a.media_type) for a in book.assets} == {
        ("images/photo.png", "image/png"),
        ("images/real.png", "image/png"),
    }
    assert tree(book, 0).find(".//img").get("src") == "images/photo.png"


def test_image_names_do_not_collide(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / "chapters" / folder).mkdir(parents=True)
        (tmp_path / "chapters" / folder / "map.png").write_bytes(PNG)
    book = build(tmp_path, {"01-a.md": "![x](a/map.png)\n\n![y](b/map.png)\n"})
    assert sorted(a.href for a in book.assets) == ["images/map-2.png", "images/map.png"]


def test_headings_recorded_with_lines(tmp_path: Path) -> None:
    book = build(tmp_path, {"01-a.md": "# Alpha\n\ntext\n\n## Beta {#b}\n"})
    assert [(h.level, h.text, h.id, h.location.line) for h in book.chapters[0].headings] == [
        (1, "Alpha", "alpha", 1),
        (2, "Beta", "b", 5),
    ]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=5))
def test_footnote_numbers_run_one_to_n_in_every_chapter(
    tmp_path_factory, counts: list[int]
) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("h")
    chapters = {}
    for c, count in enumerate(counts):
        calls = " ".join(f"w[^{n}]" for n in range(count))
        notes = "\n".join(f"[^{n}]: n{n}" for n in range(count))
        chapters[f"{c:02d}-c.md"] = f"# C{c}\n\n{calls}\n\n{notes}\n"
    book = build(root, chapters)
    for chapter, count in zip(book.chapters, counts, strict=True):
        assert [n.number for n in chapter.footnotes] == list(range(1, count + 1))
    all_ids = [n.id for c in book.chapters for n in c.footnotes]
    assert len(all_ids) == len(set(all_ids))


def test_ids_written_twice_are_errors(tmp_path: Path) -> None:
    book = build(
        tmp_path,
        {
            "01-a.md": "# A {#start}\n\n## Same {#dup}\n\n## Again {#dup}\n",
            "02-b.md": '# B\n\n## Here {#start}\n\n<p id="start">raw</p>\n',
        },
    )
    found = [(str(d.location), d.severity, d.code, d.message) for d in book.diagnostics]
    assert found == [
        ("chapters/01-a.md:5", "error", "duplicate-id", "id 'dup' is already used in this chapter"),
        (
            "chapters/02-b.md:3",
            "error",
            "duplicate-id",
            "id 'start' is already used in chapters/01-a.md",
        ),
        (
            "chapters/02-b.md:5",
            "error",
            "duplicate-id",
            "id 'start' is already used in chapters/01-a.md",
        ),
    ]


def test_links_without_text_show_what_they_point_to(tmp_path: Path) -> None:
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "m.svg").write_bytes(SVG)
    book = build(
        tmp_path,
        {
            "01-a.md": "# Alpha\n\n## The map {#sec-map}\n\n![A map](m.svg){#fig-map}\n",
            "02-b.md": "# Beta\n\nAs [](#fig-map) shows (see [](01-a.md#sec-map), [](01-a.md)).\n",
        },
    )
    texts = [a.text for a in tree(book, 1).iter("a")]
    assert texts == ["Figure 1.1", "The map", "Alpha"]


def test_unresolved_cross_reference_is_an_error(tmp_path: Path) -> None:
    book = build(tmp_path, {"01-a.md": "# A\n\nSee [](#fig-nowhere) and [](02-x.md).\n"})
    found = [(d.severity, d.code, d.location.line) for d in book.diagnostics]
    assert found == [("error", "unresolved-xref", 3), ("error", "unresolved-xref", 3)]


def test_cross_references_are_marked(tmp_path: Path) -> None:
    book = build(tmp_path, {"01-a.md": "# A\n\n## S {#s}\n\n[](#s) and [text](#s)\n"})
    links = tree(book, 0).findall(".//a")
    assert [(a.text, a.get("class")) for a in links] == [("S", "xref"), ("text", None)]


def test_images_links_and_cross_references_in_footnotes_are_resolved(tmp_path: Path) -> None:
    (tmp_path / "chapters" / "f").mkdir(parents=True)
    (tmp_path / "chapters" / "f" / "a.svg").write_bytes(SVG)
    chapter = (
        "# A\n\nText.[^1] More.[^2]\n\n## Later {#later}\n\nEnd.\n\n"
        "[^1]: A sketch: ![a box](f/a.svg) and see [](#later).\n"
        "[^2]: A lost one: ![gone](f/gone.png)\n"
    )
    book = build(tmp_path, {"01-a.md": chapter})
    notes = {n.label: n.body for n in book.chapters[0].footnotes}
    assert 'src="images/a.svg"' in notes["1"]  # the image became an asset
    assert [a.href for a in book.assets] == ["images/a.svg"]
    assert 'class="xref"' in notes["1"] and 'href="#later"' in notes["1"]
    assert ("error", "missing-image", 10) in [
        (d.severity, d.code, d.location.line) for d in book.diagnostics
    ]
    assert "octavo-notes" not in book.chapters[0].body  # the notes left the text again
