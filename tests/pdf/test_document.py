"""pdf: the WeasyPrint edition, checked by structure (pypdf, poppler), never by bytes."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from book import pipeline
from book.model import Format
from book.source.paper import VARIANTS
from tests.conftest import SVG, MakeProject

FILLER = (
    "The frontier ran through marsh and low hills, and neither side agreed where it lay. "
    "Patrols met, argued over maps drawn decades earlier, and withdrew. "
) * 4


def notes_project(make_project: MakeProject, count: int = 14) -> Path:
    """Many footnotes spread over many pages, each call and note with unique words."""
    paragraphs = "\n\n".join(f"{FILLER} Marker call{n:02d}word.[^n{n}]" for n in range(count))
    notes = "\n".join(f"[^n{n}]: Footnote text{n:02d}mark, a source." for n in range(count))
    chapters = {
        "01-one.md": f"# One\n\n## First part\n\n{paragraphs}\n\n{notes}\n",
        "02-two.md": '# Two\n\nShort[^1] with a figure.\n\n![A box](box.svg "A box")\n\n[^1]: Note.\n',
    }
    return make_project(chapters, files={"chapters/box.svg": SVG})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import write_project

    root = tmp_path_factory.mktemp("pdf") / "p"

    def make(chapters: dict[str, str], **kwargs: object) -> Path:
        return write_project(root, chapters, **kwargs)  # type: ignore[arg-type]

    project = notes_project(make)
    (pdf,) = pipeline.build(project, (Format.PDF,)).outputs
    return pdf


def page_texts(pdf: Path) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text() or "") for page in PdfReader(pdf).pages]


def test_footnotes_sit_on_the_page_of_their_call(built: Path) -> None:
    texts = page_texts(built)
    for n in range(14):
        call = [i for i, t in enumerate(texts) if f"call{n:02d}word" in t]
        note = [i for i, t in enumerate(texts) if f"text{n:02d}mark" in t]
        assert call and call == note, f"footnote {n}: call on {call}, note on {note}"
    assert len(texts) >= 8


def test_page_numbers_and_toc(built: Path) -> None:
    texts = [page.extract_text() or "" for page in PdfReader(built).pages]
    toc_page = next(t for t in texts if "Contents" in t)
    assert re.search(r"One\s*\.[ .]*1\b", toc_page)
    two_start = next(
        i for i, t in enumerate(texts) if "Chapter 2" in t and "Two" in t and "Contents" not in t
    )
    match = re.search(r"Two\s*\.[ .]*(\d+)", toc_page)
    assert match is not None
    # The TOC's number for chapter 2 is the folio printed on that page.
    assert re.search(rf"(^|\n)\s*{match[1]}\s*$", texts[two_start].strip()) or texts[
        two_start
    ].strip().endswith(match[1])
    assert (
        two_start - next(i for i, t in enumerate(texts) if "Chapter 1" in t and "Contents" not in t)
    ) % 2 == 0


def test_chapters_open_on_right_hand_pages(built: Path) -> None:
    reader = PdfReader(built)
    starts = [
        i for i, p in enumerate(reader.pages) if re.search(r"Chapter \d", p.extract_text() or "")
    ]
    starts = [i for i in starts if "Contents" not in (reader.pages[i].extract_text() or "")]
    assert starts and all(i % 2 == 0 for i in starts)  # 0-based even index = odd folio = recto


def test_bookmarks_metadata_and_language(built: Path) -> None:
    reader = PdfReader(built)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "One" in titles and "Two" in titles
    assert reader.metadata is not None
    assert reader.metadata.title == "Test Book"
    assert reader.metadata.author == "A. Writer"
    assert reader.trailer["/Root"].get("/Lang") == "en"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (432, 648)  # 6 x 9 in


def _embedded(font: dict) -> bool:  # type: ignore[type-arg]
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_every_font_is_embedded(built: Path) -> None:
    fonts = {}
    for page in PdfReader(built).pages:
        resources = page.get("/Resources") or {}
        for _name, ref in (resources.get("/Font") or {}).items():
            font = ref.get_object()
            fonts[font.get("/BaseFont")] = _embedded(font)
    assert fonts and all(fonts.values()), fonts
    assert any("Libertine" in str(name) for name in fonts)


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_reports_every_font_embedded(built: Path) -> None:
    lines = subprocess.run(
        ["pdffonts", str(built)], capture_output=True, text=True, check=True
    ).stdout
    rows = lines.splitlines()[2:]
    assert rows
    for row in rows:
        columns = row.split()
        assert columns[-5] == "yes", row  # the 'emb' column


def test_a_failed_pdf_build_keeps_the_old_file(make_project: MakeProject) -> None:
    project = make_project({"01-a.md": "# A\n\ntext\n"})
    (pdf,) = pipeline.build(project, (Format.PDF,)).outputs
    before = pdf.read_bytes()
    (project / "chapters" / "01-a.md").write_text("# A\n\n![x](missing.png)\n")
    with pytest.raises(Exception, match="missing-image"):
        pipeline.build(project, (Format.PDF,))
    assert pdf.read_bytes() == before
    assert sorted(p.name for p in pdf.parent.iterdir()) == [".cache", "book.pdf"]  # no partial file


def _layout(project: Path):  # type: ignore[no-untyped-def]
    from book.pdf.document import layout_book
    from book.render.editions import render

    return layout_book(render(pipeline.load(project)[1], Format.PDF))[0]


def test_no_note_leaves_the_page_of_its_call(make_project: MakeProject) -> None:
    from book.pdf.weasy.boxes import misplaced_footnotes

    assert misplaced_footnotes(_layout(notes_project(make_project))) == {}


def test_sample_book_notes_stay_on_the_page_of_their_call() -> None:
    """WeasyPrint alone defers some notes (and lost one) to keep widows and
    orphans (cf. Kozea/WeasyPrint#1564, #2432); the writer mends them."""
    from book.pdf.weasy.boxes import misplaced_footnotes
    from tests.conftest import REPO

    document = _layout(REPO)
    assert misplaced_footnotes(document) == {}
    notes = sum(len(c.footnotes) for c in pipeline.load(REPO)[1].chapters)
    text = "".join(page.extract_text() or "" for page in PdfReader(_write(document)).pages)
    assert notes == 34 and "Molotov\u2013T\u014dg\u014d" in text  # chapter 3, note 8


def _write(document) -> Path:  # type: ignore[no-untyped-def]
    import tempfile

    path = Path(tempfile.mkdtemp()) / "sample.pdf"
    document.write_pdf(path)
    return path


def _pdf(make_project: MakeProject, pdf_toml: str, **build: object) -> PdfReader:
    chapters = {
        "01-a.md": "# Alpha\n\n## Part one\n\n" + FILLER * 12 + "\n",
        "02-b.md": "# Beta\n\n" + FILLER * 3 + "\n",
    }
    book = 'title = "Test Book"\nauthors = ["A. Writer"]\nlanguage = "en"\nsubjects = ["war", "maps"]\n'
    project = make_project(chapters, book=book + pdf_toml)
    (pdf,) = pipeline.build(project, (Format.PDF,), **build).outputs  # type: ignore[arg-type]
    return PdfReader(pdf)


def test_trim_size_from_book_toml(make_project: MakeProject) -> None:
    reader = _pdf(make_project, '\n[pdf]\ntrim = "a5"\n')
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)


def test_print_ready_adds_bleed_and_keeps_the_trim_box(make_project: MakeProject) -> None:
    normal = _pdf(make_project, "")
    assert "/TrimBox" not in normal.pages[0] or normal.pages[0].trimbox == normal.pages[0].mediabox
    printed = _pdf(make_project, "", print_ready=True)
    page = printed.pages[0]
    media, trim = page.mediabox, page.trimbox
    assert round(float(media.width) - float(trim.width)) == 18  # 0.125in bleed on each side
    assert (round(float(trim.width)), round(float(trim.height))) == (432, 648)


def test_running_heads_are_configurable(make_project: MakeProject) -> None:
    reader = _pdf(make_project, '\n[pdf]\nrunning_heads = { left = "none", right = "section" }\n')
    texts = [page.extract_text() or "" for page in reader.pages]
    alpha = next(i for i, t in enumerate(texts) if "Chapter 1" in t and "Contents" not in t)
    right_after = texts[alpha + 2]  # the next right-hand page of chapter 1
    assert "Part one" in right_after  # the section's title heads the page
    assert "Test Book" not in texts[alpha + 1]  # left pages carry no head


def test_metadata_dates_and_keywords(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    reader = _pdf(make_project, "")
    assert reader.metadata is not None
    assert reader.metadata.get("/CreationDate", "").startswith("D:20231114221320")
    assert reader.metadata.get("/Keywords") == "war, maps"


@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_are_declared(make_project: MakeProject, variant: str) -> None:
    reader = _pdf(make_project, f'\n[pdf]\nvariant = "{variant}"\n')
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    family, part = variant.split("/")[1].split("-")  # "a", "3u"
    assert re.search(rf'pdf{family}id:part(="|>){part[0]}', xmp), xmp
    assert len(reader.pages) >= 4


def test_cross_reference_names_the_page_in_print(make_project: MakeProject) -> None:
    chapters = {
        "01-a.md": "# Alpha\n\nSee [](02-b.md#fig-box).\n",
        "02-b.md": "# Beta\n\n" + FILLER * 8 + '\n\n![A box](box.svg "Box"){#fig-box}\n',
    }
    project = make_project(chapters, files={"chapters/box.svg": SVG})
    (pdf,) = pipeline.build(project, (Format.PDF,)).outputs
    texts = [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(pdf).pages]
    match = next(m for t in texts if (m := re.search(r"See Figure 2\.1 on page (\d+)", t)))
    page = next(i for i, t in enumerate(texts) if "Figure 2.1 Box" in t)
    assert re.search(rf"(^|\s){match[1]}\s*$", texts[page].strip()) or texts[
        page
    ].strip().startswith(match[1])


def test_a_font_from_the_projects_styles_is_used(make_project: MakeProject) -> None:
    from book.render.common import THEME

    font = (THEME / "fonts" / "LinLibertine_M.otf").read_bytes()
    css = b'@font-face { font-family: "House"; src: url("../fonts/house.otf"); }\nbody { font-family: "House"; }\n'
    project = make_project(
        {"01-a.md": "# A\n\nBody text in the house face.\n"},
        files={"styles/book.css": css, "fonts/house.otf": font},
    )
    result = pipeline.build(project, (Format.PDF, Format.EPUB))
    assert result.warnings == 0
    names = set()
    for page in PdfReader(result.outputs[0]).pages:
        for ref in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            names.add(str(ref.get_object().get("/BaseFont")))
    assert any(name.endswith("+House") for name in names), names
    import zipfile

    with zipfile.ZipFile(result.outputs[1]) as archive:
        assert "EPUB/assets/house.otf" in archive.namelist()
        assert b'url("../assets/house.otf")' in archive.read("EPUB/styles/book.css")


def test_a_missing_style_file_is_a_warning(make_project: MakeProject) -> None:
    css = b"h1 {\n  background: url(missing.png);\n}\n"
    project = make_project({"01-a.md": "# A\n"}, files={"styles/book.css": css})
    _config, manuscript = pipeline.load(project)
    assert [str(d) for d in manuscript.diagnostics] == [
        "styles/book.css:2: warning: 'missing.png' not found; it is left out of every edition [missing-style-file]"
    ]


def test_nothing_sticks_out_of_the_text_block(make_project: MakeProject) -> None:
    from book.pdf.weasy.boxes import overflowing_boxes

    long_word = "https://example.invalid/" + "0123456789" * 30  # digits: no hyphenation
    code = "x = " + "1 + " * 80
    project = make_project({"01-a.md": f"# A\n\nSee {long_word} now.\n\n```python\n{code}\n```\n"})
    assert overflowing_boxes(_layout(project)) == []


def test_a_table_wider_than_the_page_is_reported(make_project: MakeProject) -> None:
    from book.pdf.weasy.boxes import overflowing_boxes

    table = '<table style="width: 9in"><tr><td>wide</td></tr></table>'
    project = make_project({"01-a.md": f"# A\n\n{table}\n"})
    found = overflowing_boxes(_layout(project))
    assert found and found[0][1] == "ch01-a" and found[0][2] > 100
    result = pipeline.build(project, (Format.PDF,))
    assert result.warnings == 1


def test_sample_book_stays_inside_its_pages() -> None:
    from book.pdf.weasy.boxes import overflowing_boxes
    from tests.conftest import REPO

    assert overflowing_boxes(_layout(REPO)) == []


def test_a_note_longer_than_the_page_continues_without_losing_text(
    make_project: MakeProject,
) -> None:
    words = " ".join(f"Longnote{i}" for i in range(700))
    body = " ".join(["Body text here."] * 300)
    chapter = f"# A\n\n{body} Call.[^1] {body} Second.[^2] {body}\n\n[^1]: {words} ENDOFNOTE\n[^2]: Short note.\n"
    project = make_project({"01-a.md": chapter})
    (pdf,) = pipeline.build(project, (Format.PDF,)).outputs
    text = "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    assert "Longnote699 ENDOFNOTE" in re.sub(r"\s+", " ", text)
    assert "2. Short note." in text  # the continuation took no number
    from book.pdf.weasy.boxes import truncated_footnotes

    assert truncated_footnotes(_layout(project)) == {}


def _pages(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def _openers(texts: list[str], chapters) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Chapter title -> index of the page that opens it."""
    found = {}
    for chapter in chapters:
        label = "Chapter" if chapter.label and chapter.label.isdigit() else "Appendix"
        start = f"{label} {chapter.label}\n{chapter.title}"
        found[chapter.title] = next(i for i, t in enumerate(texts) if t.startswith(start))
    return found


def test_sample_toc_numbers_are_the_chapter_folios_on_recto_pages(sample_build: Path) -> None:
    from tests.conftest import REPO

    chapters = [c for c in pipeline.load(REPO)[1].chapters if c.label]
    texts = _pages(sample_build / "book.pdf")
    toc = re.sub(r"\s+", " ", next(t for t in texts if t.startswith("Contents")))
    for title, index in _openers(texts, chapters).items():
        folio = texts[index].strip().splitlines()[-1]
        assert folio.isdigit() and int(folio) % 2 == 1, (title, folio)
        assert re.search(rf"{re.escape(title)} [. ]*{folio}\b", toc), (title, folio)
        assert index % 2 == 0  # physical recto


def test_sample_running_heads(sample_build: Path) -> None:
    from tests.conftest import REPO

    _config, manuscript = pipeline.load(REPO)
    chapters = [c for c in manuscript.chapters if c.label]
    texts = _pages(sample_build / "book.pdf")
    openers = sorted((i, t) for t, i in _openers(texts, chapters).items())
    checked = 0
    for (start, title), (end, _next) in zip(openers, [*openers[1:], (len(texts), "")], strict=True):
        for index in range(start + 1, end):
            lines = texts[index].strip().splitlines()
            if not lines:
                continue  # a blank page before the next chapter
            last = lines[-1]
            if re.fullmatch(r"\d+ .+", last):
                assert last.split(" ", 1)[1] == manuscript.metadata.title, (index, last)
            else:
                assert re.fullmatch(rf"{re.escape(title)} \d+", last), (index, last)
            checked += 1
    assert checked >= 20


def test_long_tables_repeat_their_header_on_every_page(make_project: MakeProject) -> None:
    rows = "\n".join(f"| row{n} | value {n} |" for n in range(120))
    chapter = f"# A\n\n| Regiment | Strength |\n|---|---|\n{rows}\n\nTable: Long\n"
    texts = [
        t
        for t in _pages(
            pipeline.build(make_project({"01-a.md": chapter}), (Format.PDF,)).outputs[0]
        )
    ]
    with_rows = [t for t in texts if "row" in t and "value" in t]
    assert len(with_rows) >= 3
    assert all("Regiment" in t and "Strength" in t for t in with_rows)


def test_blank_pages_are_truly_blank(sample_build: Path) -> None:
    texts = _pages(sample_build / "book.pdf")
    blank = [i for i, t in enumerate(texts) if not t.strip()]
    assert blank  # chapters open on the right, so some versos are left empty
    reader = PdfReader(sample_build / "book.pdf")
    for index in blank:
        assert not reader.pages[index].extract_text(extraction_mode="layout").strip()


@pytest.mark.parametrize("jobs", [1, 2])  # one document; parts, the front matter merged last
def test_attachments_only_when_listed_and_inside_the_project(
    make_project: MakeProject, jobs: int
) -> None:
    book = 'title = "T"\nauthors = ["A"]\nlanguage = "en"\n\n[pdf]\nattachments = ["data/sources.csv"]\n'
    files = {"data/sources.csv": b"battle,losses\nKhasan,~500\n"}
    project = make_project(
        {
            "01-a.md": '# A\n\n<link rel="attachment" href="../book.toml">\n',
            "02-b.md": "# B\n\nB.\n",
        },
        book=book,
        files=files,
    )
    (pdf,) = pipeline.build(project, (Format.PDF,), jobs=jobs).outputs
    attachments = PdfReader(pdf).attachments
    assert list(attachments) == ["sources.csv"]
    assert attachments["sources.csv"][0] == files["data/sources.csv"]


def test_attachments_outside_the_project_are_refused(tmp_path: Path) -> None:
    from book.errors import ConfigError
    from book.source.config import load_config

    (tmp_path / "p" / "chapters").mkdir(parents=True)
    (tmp_path / "p" / "chapters" / "01.md").write_text("# A\n")
    (tmp_path / "secret.txt").write_text("s")
    (tmp_path / "p" / "book.toml").write_text(
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n[pdf]\nattachments = ["../secret.txt"]\n'
    )
    with pytest.raises(
        ConfigError, match=re.escape("pdf.attachments: '../secret.txt' is outside the project")
    ):
        load_config(tmp_path / "p")
