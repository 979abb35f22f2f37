"""Untrusted manuscripts: what raw HTML and hostile files cannot do."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from book import pipeline
from book.errors import SourceError
from book.model import Format
from tests.conftest import SVG, MakeProject
from tests.source.test_parse import body, codes


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        '<iframe src="https://example.invalid/"></iframe>',
        '<object data="/etc/passwd"></object>',
        '<embed src="x.swf">',
        '<link rel="attachment" href="/etc/passwd">',
        '<video src="v.mp4"><source src="v.webm"></video>',
        '<base href="https://example.invalid/">',
    ],
)
def test_embedding_and_scripting_elements_are_removed(markup: str) -> None:
    xhtml = body(f"Before.\n\n<div>{markup}</div>\n\nAfter.\n")
    for word in (
        "script",
        "iframe",
        "object",
        "embed",
        "link",
        "video",
        "source",
        "base",
        "passwd",
    ):
        assert f"<{word}" not in xhtml and "/etc/passwd" not in xhtml
    assert "After." in xhtml
    assert "unsafe-html" in " ".join(codes(f"<div>{markup}</div>\n"))


def test_event_handlers_and_javascript_urls_are_removed() -> None:
    markup = '<p onclick="steal()">x <a href="javascript:steal()">y</a> <img src="a.png" alt="a" onerror="z()"></p>\n'
    xhtml = body(markup)
    assert "onclick" not in xhtml and "onerror" not in xhtml and "javascript:" not in xhtml
    assert codes(markup).count("1:warning:unsafe-html") == 3


def test_svg_references_to_other_files_are_removed() -> None:
    markup = (
        '<svg viewBox="0 0 10 10"><use href="#ok"/><image href="file:///etc/passwd"/>'
        '<use xlink:href="other.svg#x"/></svg>\n'
    )
    xhtml = body(markup)
    assert 'href="#ok"' in xhtml and "passwd" not in xhtml and "other.svg" not in xhtml


def test_strict_turns_removals_into_failure(make_project: MakeProject) -> None:
    project = make_project({"01-a.md": "# A\n\n<script>x()</script>\n"})
    assert pipeline.build(project, (Format.HTML,)).warnings == 1
    with pytest.raises(pipeline.StrictError):
        pipeline.build(project, (Format.HTML,), strict=True)


def test_symlink_leaving_the_project_is_refused(make_project: MakeProject, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\\x89PNG")
    project = make_project({"01-a.md": "# A\n\n![x](link.png)\n"})
    (project / "chapters" / "link.png").symlink_to(secret)
    with pytest.raises(SourceError, match="image-outside-project"):
        pipeline.build(project, (Format.EPUB,))


def test_no_file_outside_the_project_reaches_any_edition(
    make_project: MakeProject, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.css"
    outside.write_text("p { color: red }")
    css = b'@import url("../../outside.css");\n@font-face { font-family: X; src: url("/etc/hostname"); }\n'
    chapters = {"01-a.md": '# A\n\n<img src="/etc/hostname" alt="h">\n\n![b](box.svg)\n'}
    project = make_project(chapters, files={"styles/s.css": css, "chapters/box.svg": SVG})
    with pytest.raises(SourceError, match="image-outside-project"):
        pipeline.build(project)
    (project / "chapters" / "01-a.md").write_text("# A\n\n![b](box.svg)\n")
    result = pipeline.build(project, (Format.EPUB, Format.HTML))
    assert result.warnings == 2  # both url()s of the stylesheet
    for path in (project / "build").rglob("*.css"):
        text = path.read_text()
        assert "outside.css" not in text and "/etc/hostname" not in text


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol3;</text></svg>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&secret;</text></svg>"""


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (BILLION_LAUGHS, "unsafe-svg"),
        (XXE, "unsafe-svg"),
        (b"<svg", "bad-image"),
        (b"\\x89PNG broken", "bad-image"),
    ],
)
def test_hostile_or_broken_images_fail_with_their_line(
    make_project: MakeProject, content: bytes, code: str
) -> None:
    name = "x.svg" if content.lstrip().startswith((b"<", b"<?")) else "x.png"
    project = make_project(
        {"01-a.md": f"# A\n\nText.\n\n![x]({name})\n"}, files={f"chapters/{name}": content}
    )
    with pytest.raises(SourceError) as caught:
        pipeline.build(project, (Format.EPUB,))
    assert [str(d).split(": error:")[0] for d in caught.value.diagnostics] == ["chapters/01-a.md:5"]
    assert caught.value.diagnostics[0].code == code
    assert not (project / "build").exists()


def test_deep_nesting_builds_in_every_edition(make_project: MakeProject) -> None:
    lists = "\n".join("  " * i + f"- item {i}" for i in range(200))
    quotes = "".join("> " * i + f"level {i}\n" for i in range(1, 201))
    project = make_project({"01-a.md": f"# A\n\n{lists}\n", "02-b.md": f"# B\n\n{quotes}\n"})
    result = pipeline.build(project)
    assert result.pdf_pages and all(o.exists() for o in result.outputs)
    # 200 levels of indentation cannot fit a 6 x 9 in page: said once per page
    assert all("[overflow]" in message for message in result.messages)
    assert result.warnings <= result.pdf_pages


def test_nesting_beyond_the_limit_is_an_error_not_a_crash(make_project: MakeProject) -> None:
    project = make_project({"01-a.md": "# A\n\n" + "<div>" * 1000 + "x" + "</div>" * 1000 + "\n"})
    with pytest.raises(SourceError) as caught:
        pipeline.check(project)
    assert [d.code for d in caught.value.diagnostics] == ["too-deep"]


def test_big_but_legal_chapters_finish(make_project: MakeProject) -> None:
    table = "| a | b |\n|---|---|\n" + "\n".join(f"| r{i} | v{i} |" for i in range(5000))
    notes = (
        " ".join(f"x[^{i}]" for i in range(3000))
        + "\n\n"
        + "\n".join(f"[^{i}]: n{i}" for i in range(3000))
    )
    paragraph = "word " * 200_000
    project = make_project(
        {
            "01-a.md": f"# A\n\n{table}\n",
            "02-b.md": f"# B\n\n{notes}\n",
            "03-c.md": f"# C\n\n{paragraph}\n",
        }
    )
    result = pipeline.build(project, (Format.EPUB, Format.HTML))
    assert result.warnings == 0


def test_output_file_names_stay_inside_the_output_directory(make_project: MakeProject) -> None:
    chapters = {"..%2F..%2Fevil.md": "# A\n", "01 ~$HOME {x}.md": "# B\n\n![i](<../x y'é.svg>)\n"}
    project = make_project(chapters, files={"chapters/../x y'é.svg": SVG})
    result = pipeline.build(project, (Format.EPUB, Format.HTML))
    out = project / "build"
    written = {p.resolve() for p in out.rglob("*")}
    assert written and all(p.is_relative_to(out.resolve()) for p in written)
    assert not (project.parent / "evil.xhtml").exists() and not (project / "evil.html").exists()
    assert result.outputs


def test_an_output_path_that_is_a_directory_fails_cleanly(make_project: MakeProject) -> None:
    from book.errors import BuildError

    project = make_project({"01-a.md": "# A\n"})
    (project / "build" / "book.epub").mkdir(parents=True)
    with pytest.raises(BuildError, match="cannot write"):
        pipeline.build(project, (Format.EPUB,))
    assert (project / "build" / "book.epub").is_dir()
    assert [p.name for p in (project / "build").iterdir()] == ["book.epub"]


def test_a_read_only_output_directory_fails_cleanly(make_project: MakeProject) -> None:
    import os

    from book.errors import BuildError

    if os.geteuid() == 0:
        pytest.skip("root writes into read-only directories")
    project = make_project({"01-a.md": "# A\n"})
    (project / "build").mkdir()
    (project / "build").chmod(0o555)
    try:
        with pytest.raises(BuildError, match="cannot"):
            pipeline.build(project, (Format.EPUB,))
    finally:
        (project / "build").chmod(0o755)


HOSTILE_PATHS = [
    "../../etc/passwd",
    "/etc/hostname",
    "file:///etc/passwd",
    "%2e%2e/%2e%2e/etc/passwd",
    "../../../../../../etc/passwd",
    "~/.bashrc",
    "box.svg",
]
FRAGMENTS = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.sampled_from(
        [
            "# T",
            "## S {#s}",
            "x[^1]",
            "[^1]: n",
            "> q",
            "- a\n  - b",
            "```\ncode\n```",
            "<div>",
            "</div>",
            "<p>unclosed",
            "<script>x()</script>",
            "[l](#s)",
            "[](#nowhere)",
            "<a href='javascript:x()'>j</a>",
            "<svg><image href='/etc/passwd'/></svg>",
            "| a |\n|---|\n| 1 |",
        ]
    ),
    st.builds(lambda p: f"![alt]({p})", st.sampled_from(HOSTILE_PATHS)),
    st.builds(lambda p: f'<img src="{p}" alt="a">', st.sampled_from(HOSTILE_PATHS)),
    st.builds(lambda p: f'<link rel="stylesheet" href="{p}">', st.sampled_from(HOSTILE_PATHS)),
)
OPENED: list[str] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and OPENED is not None and isinstance(args[0], str | bytes):
        OPENED.append(str(args[0]))


sys.addaudithook(_audit)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(FRAGMENTS, min_size=1, max_size=12))
def test_hostile_markdown_never_crashes_or_reads_outside(
    tmp_path_factory: pytest.TempPathFactory, fragments: list[str]
) -> None:
    from lxml import etree

    from book.render.editions import render
    from tests.conftest import write_project

    project = write_project(
        tmp_path_factory.mktemp("h"),
        {"01-a.md": "\n\n".join(fragments) + "\n"},
        files={"chapters/box.svg": SVG},
    )
    OPENED.clear()
    try:
        _config, manuscript = pipeline.load(project)
    except SourceError:
        return  # a clear diagnostic is a fine answer
    for fmt in (Format.EPUB, Format.HTML):
        book = render(manuscript, fmt)
        for document in book.documents:
            if fmt is Format.EPUB:
                etree.fromstring(document.content.encode())  # well-formed XHTML
            references = re.findall(r'(?:src|href)="([^"]*)"', document.content)
            assert not [r for r in references if re.search(r"passwd|hostname|bashrc|^/|^file:", r)]
            assert "<script" not in document.content and "javascript:" not in document.content
    assert not [p for p in OPENED if "passwd" in p or "hostname" in p or ".bashrc" in p]


def test_bom_crlf_nul_and_empty_chapters(make_project: MakeProject) -> None:
    project = make_project({"01-a.md": "# A\n"})
    chapters = project / "chapters"
    (chapters / "01-a.md").write_bytes(
        b"\xef\xbb\xbf# Alpha\r\n\r\nLine one\r\nline two.[^1]\r\n\r\n[^1]: Note.\r\n"
    )
    (chapters / "02-b.md").write_bytes(b"# Beta\n\nA NUL\x00 here.\n")
    (chapters / "03-c.md").write_bytes(b"")
    _config, manuscript = pipeline.load(project)
    first, _second, third = manuscript.chapters
    assert first.title == "Alpha" and "\r" not in first.body and len(first.footnotes) == 1
    assert [str(d) for d in manuscript.diagnostics] == [
        "chapters/02-b.md:3: warning: control character U+0000 removed [invalid-character]"
    ]
    assert third.title == "C"  # an empty chapter is named after its file
    assert pipeline.build(project, (Format.EPUB,)).warnings == 1


ILLUSTRATOR_SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Generator: a drawing program -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg version="1.1" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" width="100" height="50">
<rect x="5" y="5" width="90" height="40" fill="none" stroke="black"/></svg>"""


def test_an_svg_with_a_plain_doctype_is_accepted(make_project: MakeProject) -> None:
    """Drawing programs write a DOCTYPE; without entities it is harmless (the
    rustonomicon in the corpus has such a file)."""
    project = make_project(
        {"01-a.md": "# A\n\n![A box](x.svg)\n"}, files={"chapters/x.svg": ILLUSTRATOR_SVG}
    )
    pipeline.build(project, (Format.EPUB, Format.HTML))
    assert (project / "build" / "html" / "images" / "x.svg").read_bytes() == ILLUSTRATOR_SVG
