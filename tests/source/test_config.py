"""book.toml: loading, defaults and validation (book.source.config.load_config)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from book.errors import BookError, ConfigError
from book.model import ChapterKind, Matter
from book.source.config import default_identifier, load_config

MINIMAL = """\
[book]
title = "A Tiny Book"
authors = ["Ada Lovelace"]
language = "en"
"""


def make_project(
    root: Path,
    toml: str = MINIMAL,
    chapters: dict[str, str] | None = None,
) -> Path:
    """Write book.toml and chapters (name -> Markdown) under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "book.toml").write_text(toml, encoding="utf-8")
    if chapters is None:
        chapters = {"01-x.md": "# X\n\nHello.\n"}
    for name, text in chapters.items():
        path = root / "chapters" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def book_toml(extra_book: str = "", build: str = "", *, base: str = MINIMAL) -> str:
    """MINIMAL plus extra [book] lines and an optional [build] section."""
    text = base + extra_book
    if build:
        text += "\n[build]\n" + build
    return text


def problems_of(root: Path) -> tuple[str, ...]:
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    return caught.value.problems


# --- a valid config and its defaults -------------------------------------------------


def test_minimal_config_loads(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    config = load_config(root)
    assert config.root == root.resolve()
    assert config.metadata.title == "A Tiny Book"
    assert config.metadata.authors == ("Ada Lovelace",)
    assert config.metadata.language == "en"
    assert config.metadata.subtitle is None
    assert config.metadata.cover is None
    assert [c.display for c in config.chapters] == [Path("chapters/01-x.md")]


def test_relative_project_path_is_resolved(tmp_path: Path, monkeypatch) -> None:
    make_project(tmp_path / "p")
    monkeypatch.chdir(tmp_path)
    config = load_config(Path("p"))
    assert config.root == (tmp_path / "p").resolve()
    assert config.root.is_absolute()
    assert config.chapters[0].path == (tmp_path / "p" / "chapters" / "01-x.md").resolve()


def test_optional_metadata_is_kept(tmp_path: Path) -> None:
    extra = (
        'subtitle = "And Other Stories"\n'
        'publisher = "Small Press"\n'
        'rights = "CC BY-SA 4.0"\n'
        'description = "Short."\n'
        'identifier = "urn:isbn:9780000000000"\n'
        "date = 2026-11-25\n"
    )
    config = load_config(make_project(tmp_path / "p", book_toml(extra)))
    meta = config.metadata
    assert meta.subtitle == "And Other Stories"
    assert meta.publisher == "Small Press"
    assert meta.rights == "CC BY-SA 4.0"
    assert meta.description == "Short."
    assert meta.identifier == "urn:isbn:9780000000000"
    assert meta.date == "2026-11-25"


@pytest.mark.parametrize("date", ['"2026"', '"2026-11"', '"2026-11-25"'])
def test_partial_dates_are_accepted_as_strings(tmp_path: Path, date: str) -> None:
    config = load_config(make_project(tmp_path / "p", book_toml(f"date = {date}\n")))
    assert config.metadata.date == date.strip('"')


def test_bad_date_is_refused(tmp_path: Path) -> None:
    problems = problems_of(make_project(tmp_path / "p", book_toml('date = "25 Nov 2026"\n')))
    assert len(problems) == 1
    assert problems[0].startswith("book.toml: book.date: expected a date")


def test_default_identifier_is_a_stable_urn_uuid(tmp_path: Path) -> None:
    first = load_config(make_project(tmp_path / "a")).metadata.identifier
    second = load_config(make_project(tmp_path / "b")).metadata.identifier
    assert first == second
    assert first.startswith("urn:uuid:")
    uuid.UUID(first.removeprefix("urn:uuid:"))  # a well-formed UUID
    assert first == default_identifier("A Tiny Book", ("Ada Lovelace",))


def test_default_identifier_changes_with_title_and_authors(tmp_path: Path) -> None:
    base = load_config(make_project(tmp_path / "a")).metadata.identifier
    other_title = MINIMAL.replace("A Tiny Book", "Another Book")
    retitled = load_config(make_project(tmp_path / "b", other_title)).metadata.identifier
    other_authors = MINIMAL.replace('["Ada Lovelace"]', '["Ada Lovelace", "Charles Babbage"]')
    reauthored = load_config(make_project(tmp_path / "c", other_authors)).metadata.identifier
    assert len({base, retitled, reauthored}) == 3
    assert all(i.startswith("urn:uuid:") for i in (retitled, reauthored))


def test_output_defaults_to_book(tmp_path: Path) -> None:
    assert load_config(make_project(tmp_path / "p")).output == "book"


def test_output_can_be_set(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", book_toml(build='output = "my-book"\n'))
    assert load_config(root).output == "my-book"


@pytest.mark.parametrize("output", ['"../book"', '"out/book"', '""'])
def test_output_must_be_a_plain_file_name(tmp_path: Path, output: str) -> None:
    problems = problems_of(make_project(tmp_path / "p", book_toml(build=f"output = {output}\n")))
    assert problems == (
        "book.toml: build.output: expected a file name without directories, e.g. 'my-book'",
    )


def test_chapters_default_to_sorted_markdown_files(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p",
        chapters={
            "10-c.md": "# C\n",
            "01-a.md": "# A\n",
            "02-b.md": "# B\n",
            "notes.txt": "not a chapter",
        },
    )
    config = load_config(root)
    assert [c.display for c in config.chapters] == [
        Path("chapters/01-a.md"),
        Path("chapters/02-b.md"),
        Path("chapters/10-c.md"),
    ]
    assert all(c.path.is_absolute() and c.path.is_file() for c in config.chapters)
    assert {(c.kind, c.matter) for c in config.chapters} == {(ChapterKind.CHAPTER, Matter.BODY)}


def test_no_chapters_at_all_is_a_problem(tmp_path: Path) -> None:
    problems = problems_of(make_project(tmp_path / "p", chapters={}))
    assert problems == ("book.toml: build.chapters: no chapters/*.md found and none listed",)


def test_empty_chapter_list_is_a_problem(tmp_path: Path) -> None:
    problems = problems_of(make_project(tmp_path / "p", book_toml(build="chapters = []\n")))
    assert problems == ("book.toml: build.chapters: the list is empty",)


def test_styles_default_to_sorted_css_files(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "styles").mkdir()
    for name in ("b.css", "a.css", "readme.txt"):
        (root / "styles" / name).write_text("p {}\n", encoding="utf-8")
    config = load_config(root)
    assert config.styles == (
        (root / "styles" / "a.css").resolve(),
        (root / "styles" / "b.css").resolve(),
    )


def test_no_styles_directory_means_no_styles(tmp_path: Path) -> None:
    assert load_config(make_project(tmp_path / "p")).styles == ()


def test_listed_styles_are_used_in_order(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", book_toml(build='styles = ["z.css", "styles/a.css"]\n'))
    (root / "styles").mkdir()
    (root / "styles" / "a.css").write_text("p {}\n", encoding="utf-8")
    (root / "z.css").write_text("p {}\n", encoding="utf-8")
    config = load_config(root)
    assert config.styles == ((root / "z.css").resolve(), (root / "styles/a.css").resolve())


def test_listed_style_not_found(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", book_toml(build='styles = ["styles/nope.css"]\n'))
    assert problems_of(root) == ("book.toml: build.styles: file 'styles/nope.css' not found",)


# --- every problem at once ---------------------------------------------------------------


def test_every_schema_problem_is_reported_at_once(tmp_path: Path) -> None:
    toml = """\
[book]
title = "T"
authors = "Ada Lovelace"
language = "english"
colour = "blue"
"""
    root = make_project(tmp_path / "p", toml)
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    problems = caught.value.problems
    assert len(problems) == 3
    assert "book.toml: book.authors: expected a list of strings" in problems
    assert any(
        p.startswith("book.toml: book.language: 'english' is not a BCP 47 tag") for p in problems
    )
    assert any(p.startswith("book.toml: book.colour: unknown key") for p in problems)
    # The message shown to the user lists them all, one a line.
    assert str(caught.value.message).splitlines() == list(problems)
    # It is an expected failure: printed without traceback, exit status 1.
    assert isinstance(caught.value, BookError)
    assert caught.value.exit_code == 1


def test_missing_required_keys_are_all_reported(tmp_path: Path) -> None:
    problems = problems_of(make_project(tmp_path / "p", "[book]\n"))
    keys = sorted(p.split(":")[1].strip() for p in problems)
    assert keys == ["book.authors", "book.language", "book.title"]
    assert all("required" in p for p in problems)


def test_missing_book_section_reports_required_keys(tmp_path: Path) -> None:
    problems = problems_of(make_project(tmp_path / "p", '[build]\noutput = "x"\n'))
    assert "book.toml: book.title: required (the book's title)" in problems
    assert len(problems) == 3


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("authors = []", "book.toml: book.authors: expected a list of strings"),
        ('authors = ["A", 3]', "book.toml: book.authors: expected a list of strings"),
        ('authors = [" "]', "book.toml: book.authors: expected a list of strings"),
        ('title = "  "', "book.toml: book.title: expected a non-empty string"),
        ("title = 42", "book.toml: book.title: expected a non-empty string"),
        ("language = 5", "book.toml: book.language: expected a string"),
    ],
)
def test_wrong_types_name_their_key(tmp_path: Path, line: str, expected: str) -> None:
    key = line.split("=")[0].strip()
    lines = [ln for ln in MINIMAL.splitlines() if not ln.startswith(key)]
    toml = "\n".join([*lines, line]) + "\n"
    assert problems_of(make_project(tmp_path / "p", toml)) == (expected,)


def test_unknown_key_gets_did_you_mean(tmp_path: Path) -> None:
    toml = MINIMAL.replace('title = "A Tiny Book"', 'titel = "A Tiny Book"')
    problems = problems_of(make_project(tmp_path / "p", toml))
    assert "book.toml: book.titel: unknown key; did you mean 'title'?" in problems
    # ...and the real key is still missing.
    assert any(p.startswith("book.toml: book.title: required") for p in problems)


def test_unknown_key_in_build_gets_did_you_mean(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", book_toml(build='outptu = "x"\n'))
    assert problems_of(root) == ("book.toml: build.outptu: unknown key; did you mean 'output'?",)


def test_unknown_key_without_close_match_lists_known_keys(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", book_toml(build='zzzzzz = "x"\n'))
    (problem,) = problems_of(root)
    assert problem.startswith("book.toml: build.zzzzzz: unknown key; known keys: ")
    assert "chapters" in problem and "output" in problem and "styles" in problem


def test_unknown_section(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", MINIMAL + '\n[biuld]\noutput = "x"\n')
    problems = problems_of(root)
    assert problems == ("book.toml: biuld: unknown section; did you mean 'build'?",)


def test_section_that_is_not_a_table(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", 'build = "fast"\n' + MINIMAL)
    problems = problems_of(root)
    assert any(p.startswith("book.toml: build: expected a table") for p in problems)


def test_schema_and_file_problems_are_reported_together(tmp_path: Path) -> None:
    toml = book_toml(build='chapters = ["chapters/99-missing.md"]\n').replace(
        'authors = ["Ada Lovelace"]', 'authors = "Ada Lovelace"'
    )
    problems = problems_of(make_project(tmp_path / "p", toml))
    assert "book.toml: book.authors: expected a list of strings" in problems
    assert any("99-missing.md" in p for p in problems)


# --- reading the file -------------------------------------------------------------------


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    toml = '[book]\ntitle = "T"\nauthors ["A"]\nlanguage = "en"\n'
    problems = problems_of(make_project(tmp_path / "p", toml))
    assert len(problems) == 1
    assert re.fullmatch(r"book\.toml:3:\d+: error: invalid TOML: .+ \[toml-syntax\]", problems[0])
    assert "(at line" not in problems[0]


def test_toml_syntax_error_on_a_later_line(tmp_path: Path) -> None:
    toml = MINIMAL + '\n[build]\noutput = "unterminated\n'
    (problem,) = problems_of(make_project(tmp_path / "p", toml))
    assert problem.startswith("book.toml:7:")
    assert problem.endswith("[toml-syntax]")


def test_missing_book_toml(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (problem,) = problems_of(tmp_path / "empty")
    assert "no book.toml here" in problem
    assert "book new" in problem
    assert problem.endswith("[no-config]")


def test_book_toml_that_is_not_utf8(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "book.toml").write_bytes(MINIMAL.encode("utf-8").replace(b"Tiny", b"T\xefny"))
    (problem,) = problems_of(root)
    assert "cannot read" in problem
    assert problem.endswith("[unreadable]")


# --- the chapter list ---------------------------------------------------------------------


def test_chapters_as_strings_keep_their_order(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p",
        book_toml(build='chapters = ["chapters/02-b.md", "chapters/01-a.md"]\n'),
        chapters={"01-a.md": "# A\n", "02-b.md": "# B\n", "03-c.md": "# C\n"},
    )
    config = load_config(root)
    assert [c.display for c in config.chapters] == [
        Path("chapters/02-b.md"),
        Path("chapters/01-a.md"),
    ]
    assert all(c.kind is ChapterKind.CHAPTER for c in config.chapters)


def test_chapters_as_tables_with_type_and_matter(tmp_path: Path) -> None:
    build = """\
chapters = [
  { file = "chapters/00-copyright.md", type = "copyright" },
  "chapters/01-one.md",
  { file = "chapters/02-two.md", type = "chapter" },
  { file = "chapters/90-appendix.md", type = "appendix" },
  { file = "chapters/91-epilogue.md", type = "epilogue", matter = "back" },
  { file = "chapters/92-notes.md", matter = "front" },
]
"""
    names = [
        "00-copyright.md",
        "01-one.md",
        "02-two.md",
        "90-appendix.md",
        "91-epilogue.md",
        "92-notes.md",
    ]
    root = make_project(
        tmp_path / "p", book_toml(build=build), chapters={n: f"# {n}\n" for n in names}
    )
    config = load_config(root)
    assert [(c.display.name, c.kind, c.matter) for c in config.chapters] == [
        ("00-copyright.md", ChapterKind.COPYRIGHT, Matter.FRONT),
        ("01-one.md", ChapterKind.CHAPTER, Matter.BODY),
        ("02-two.md", ChapterKind.CHAPTER, Matter.BODY),
        ("90-appendix.md", ChapterKind.APPENDIX, Matter.BACK),
        ("91-epilogue.md", ChapterKind.EPILOGUE, Matter.BACK),  # epilogue is body by default
        ("92-notes.md", ChapterKind.CHAPTER, Matter.FRONT),
    ]


@pytest.mark.parametrize(
    ("kind", "matter"),
    [
        ("titlepage", "front"),
        ("dedication", "front"),
        ("preface", "front"),
        ("introduction", "body"),
        ("prologue", "body"),
        ("epilogue", "body"),
        ("acknowledgements", "back"),
        ("bibliography", "back"),
        ("colophon", "back"),
    ],
)
def test_default_matter_of_each_type(tmp_path: Path, kind: str, matter: str) -> None:
    build = f'chapters = [{{ file = "chapters/01-x.md", type = "{kind}" }}]\n'
    (chapter,) = load_config(make_project(tmp_path / "p", book_toml(build=build))).chapters
    assert chapter.kind == ChapterKind(kind)
    assert chapter.matter == Matter(matter)


def test_explicit_matter_overrides_the_type(tmp_path: Path) -> None:
    build = 'chapters = [{ file = "chapters/01-x.md", type = "appendix", matter = "body" }]\n'
    (chapter,) = load_config(make_project(tmp_path / "p", book_toml(build=build))).chapters
    assert (chapter.kind, chapter.matter) == (ChapterKind.APPENDIX, Matter.BODY)


def test_invalid_type_lists_the_valid_ones(tmp_path: Path) -> None:
    build = 'chapters = [{ file = "chapters/01-x.md", type = "interlude" }]\n'
    (problem,) = problems_of(make_project(tmp_path / "p", book_toml(build=build)))
    assert problem.startswith("book.toml: build.chapters[0].type: 'interlude' is not one of ")
    for kind in ChapterKind:
        assert kind.value in problem


def test_invalid_matter_lists_the_valid_ones(tmp_path: Path) -> None:
    build = 'chapters = [{ file = "chapters/01-x.md", matter = "middle" }]\n'
    (problem,) = problems_of(make_project(tmp_path / "p", book_toml(build=build)))
    assert (
        problem == "book.toml: build.chapters[0].matter: 'middle' is not one of front, body, back"
    )


def test_unknown_key_in_chapter_table(tmp_path: Path) -> None:
    build = 'chapters = [{ file = "chapters/01-x.md", typ = "appendix" }]\n'
    (problem,) = problems_of(make_project(tmp_path / "p", book_toml(build=build)))
    assert problem == "book.toml: build.chapters[0].typ: unknown key; did you mean 'type'?"


@pytest.mark.parametrize("entry", ['{ type = "appendix" }', "42", "{ file = 1 }"])
def test_malformed_chapter_entry(tmp_path: Path, entry: str) -> None:
    build = f'chapters = ["chapters/01-x.md", {entry}]\n'
    (problem,) = problems_of(make_project(tmp_path / "p", book_toml(build=build)))
    assert problem.startswith("book.toml: build.chapters[1]: expected a path or a table")


def test_chapters_not_a_list(tmp_path: Path) -> None:
    build = 'chapters = "chapters/01-x.md"\n'
    problems = problems_of(make_project(tmp_path / "p", book_toml(build=build)))
    assert problems == ("book.toml: build.chapters: expected a list of chapter files",)


def test_chapter_file_that_does_not_exist(tmp_path: Path) -> None:
    build = 'chapters = ["chapters/01-x.md", "chapters/02-gone.md"]\n'
    problems = problems_of(make_project(tmp_path / "p", book_toml(build=build)))
    assert problems == ("book.toml: build.chapters[1]: file 'chapters/02-gone.md' not found",)


def test_every_chapter_problem_is_reported_at_once(tmp_path: Path) -> None:
    build = """\
chapters = [
  "chapters/02-gone.md",
  { file = "chapters/01-x.md", type = "nope" },
  "../outside.md",
]
"""
    (tmp_path / "outside.md").write_text("# Outside\n", encoding="utf-8")
    toml = book_toml('cover = "cover.jpg"\n', build)
    problems = problems_of(make_project(tmp_path / "p", toml))
    assert len(problems) == 4
    assert problems[0] == "book.toml: build.chapters[0]: file 'chapters/02-gone.md' not found"
    assert problems[1].startswith("book.toml: build.chapters[1].type: 'nope' is not one of")
    assert problems[2] == (
        "book.toml: build.chapters[2]: '../outside.md' is outside the project directory"
    )
    assert problems[3] == "book.toml: book.cover: file 'cover.jpg' not found"


@pytest.mark.parametrize("path", ["../x.md", "chapters/../../x.md"])
def test_chapter_outside_the_project_is_refused(tmp_path: Path, path: str) -> None:
    (tmp_path / "x.md").write_text("# Outside\n", encoding="utf-8")  # it exists, still refused
    build = f'chapters = ["{path}"]\n'
    problems = problems_of(make_project(tmp_path / "p", book_toml(build=build)))
    assert problems == (f"book.toml: build.chapters[0]: '{path}' is outside the project directory",)


def test_absolute_chapter_path_outside_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "x.md"
    outside.write_text("# Outside\n", encoding="utf-8")
    build = f'chapters = ["{outside.as_posix()}"]\n'
    (problem,) = problems_of(make_project(tmp_path / "p", book_toml(build=build)))
    assert "outside the project directory" in problem


def test_a_stylesheet_that_links_outside_the_project_is_refused(tmp_path: Path) -> None:
    """Chapters, images and the cover were confined; a styles/*.css link to a
    file elsewhere was read into every edition and the caches."""
    secret = tmp_path / "secret.css"
    secret.write_text("/* not the book's */ body { color: red }\n", encoding="utf-8")
    root = make_project(tmp_path / "p")
    (root / "styles").mkdir()
    (root / "styles" / "book.css").write_text("p { margin: 0 }\n", encoding="utf-8")
    (root / "styles" / "leak.css").symlink_to(secret)
    assert problems_of(root) == (
        "book.toml: styles/leak.css: a link to a file outside the project directory",
    )
    (root / "styles" / "leak.css").unlink()
    (root / "styles" / "inside.css").symlink_to(root / "styles" / "book.css")  # allowed
    assert [path.name for path in load_config(root).styles] == ["book.css", "inside.css"]


# --- the cover -----------------------------------------------------------------------------


def test_cover_not_found(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", book_toml('cover = "cover.jpg"\n'))
    assert problems_of(root) == ("book.toml: book.cover: file 'cover.jpg' not found",)


def test_cover_outside_the_project(tmp_path: Path) -> None:
    (tmp_path / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    root = make_project(tmp_path / "p", book_toml('cover = "../cover.jpg"\n'))
    assert problems_of(root) == (
        "book.toml: book.cover: '../cover.jpg' is outside the project directory",
    )


def test_cover_found(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", book_toml('cover = "art/cover.png"\n'))
    (root / "art").mkdir()
    (root / "art" / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert load_config(root).metadata.cover == (root / "art" / "cover.png").resolve()


# --- language ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "standard"),
    [("en", "en"), ("en-GB", "en-GB"), ("ru", "ru"), ("zh-Hant-TW", "zh-Hant-TW")],
)
def test_valid_language_tags(tmp_path: Path, tag: str, standard: str) -> None:
    toml = MINIMAL.replace('language = "en"', f'language = "{tag}"')
    assert load_config(make_project(tmp_path / "p", toml)).metadata.language == standard


def test_tags_taken_as_standard_are_what_langcodes_says() -> None:
    """``STANDARD_TAGS`` skip langcodes; it would have let them through unchanged."""
    import langcodes

    from book.source.config import STANDARD_TAGS

    for tag in STANDARD_TAGS:
        assert langcodes.tag_is_valid(tag) and langcodes.standardize_tag(tag) == tag


@pytest.mark.parametrize(("tag", "standard"), [("en-gb", "en-GB"), ("iw", "he"), ("eng", "en")])
def test_other_tags_are_standardised(tmp_path: Path, tag: str, standard: str) -> None:
    toml = MINIMAL.replace('language = "en"', f'language = "{tag}"')
    assert load_config(make_project(tmp_path / "p", toml)).metadata.language == standard


@pytest.mark.parametrize("tag", ["english", "en-", "e", ""])
def test_invalid_language_tags_are_refused(tmp_path: Path, tag: str) -> None:
    toml = MINIMAL.replace('language = "en"', f'language = "{tag}"')
    (problem,) = problems_of(make_project(tmp_path / "p", toml))
    assert problem.startswith(f"book.toml: book.language: {tag!r} is not a BCP 47 tag")
    assert "'en-GB'" in problem  # an example of what is expected


def test_pdf_settings_from_book_toml(tmp_path: Path) -> None:
    from book.source.config import load_config

    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "01.md").write_text("# A\n")
    (tmp_path / "book.toml").write_text(
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n'
        '[pdf]\ntrim = "a5"\nprint_ready = true\nbleed = "3mm"\nvariant = "pdf/a-3u"\n'
        'margins = { inside = "20mm", top = "15mm" }\nrunning_heads = { left = "chapter", right = "section" }\n'
    )
    page = load_config(tmp_path).page
    assert (page.width, page.height, page.bleed, page.variant) == (
        "148mm",
        "210mm",
        "3mm",
        "pdf/a-3u",
    )
    assert (page.inside, page.outside, page.top) == ("20mm", "0.65in", "15mm")
    assert page.running_heads == ("chapter", "section")


def test_bad_pdf_settings_are_all_reported(tmp_path: Path) -> None:
    from book.errors import ConfigError
    from book.source.config import load_config

    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "01.md").write_text("# A\n")
    (tmp_path / "book.toml").write_text(
        '[book]\ntitle = "T"\nauthors = ["A"]\nlanguage = "en"\n'
        '[pdf]\ntrim = "huge"\nbleed = "3"\nvariant = "pdf/z"\nmargins = { gutter = "1in" }\n'
        'running_heads = { left = "author" }\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    keys = [p.split(":")[1].strip() for p in caught.value.problems]
    assert keys == ["pdf.trim", "pdf.bleed", "pdf.variant", "pdf.margins", "pdf.running_heads"]


# --- [proof] ---------------------------------------------------------------------------


def test_proof_watermark_defaults_to_draft_and_can_be_set(tmp_path: Path) -> None:
    assert load_config(make_project(tmp_path / "a")).proof.watermark == "DRAFT"
    root = make_project(tmp_path / "b", MINIMAL + '\n[proof]\nwatermark = "Not for sale"\n')
    assert load_config(root).proof.watermark == "Not for sale"
    root = make_project(tmp_path / "c", MINIMAL + '\n[proof]\nwatermark = ""\n')
    assert load_config(root).proof.watermark == ""


def test_proof_table_is_validated(tmp_path: Path) -> None:
    toml = MINIMAL + "\n[proof]\nwatermark = 3\nwatermarks = 'x'\n"
    problems = problems_of(make_project(tmp_path / "p", toml))
    assert "book.toml: proof.watermark: expected a short line of text" in problems[0]
    assert any("proof.watermarks: unknown key; did you mean 'watermark'?" in p for p in problems)
