"""Read and validate book.toml against a declared schema.

Every problem is collected and reported at once (``book.toml: book.authors:
expected a list of strings``); unknown keys are errors with a did-you-mean.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from book.errors import ConfigError
from book.model import (
    BookConfig,
    ChapterKind,
    ChapterSource,
    EpubSettings,
    Matter,
    Metadata,
    PageSettings,
    ProofSettings,
)
from book.source import paper

CONFIG_NAME = "book.toml"

Check = Callable[[Any], str | None]
"""Returns None when the value is acceptable, else what was expected."""


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "expected a non-empty string"


def _strings(value: Any) -> str | None:
    ok = isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)
    return None if ok else "expected a list of strings"


STANDARD_TAGS = frozenset(["en", "de", "fr", "es", "it", "ru"])
"""Tags that are valid and already standard, as langcodes finds (tested): the
languages octavo has words for. Any other tag is checked by langcodes, whose
import takes a tenth of a build's start-up, so it is imported only then."""


def _language(value: Any) -> str | None:
    if not isinstance(value, str):
        return "expected a string"
    if value in STANDARD_TAGS:
        return None
    import langcodes

    if not langcodes.tag_is_valid(value):
        return f"{value!r} is not a BCP 47 tag (e.g. 'en', 'en-GB', 'ru')"
    return None


def standard_tag(tag: str) -> str:
    """``tag`` as BCP 47 writes it, deprecated subtags replaced (``en-gb`` -> ``en-GB``)."""
    if tag in STANDARD_TAGS:
        return tag
    import langcodes

    return str(langcodes.standardize_tag(tag))


def _date(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return None
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return None
    return "expected a date such as 2026-11-25 (or 2026-11, or 2026)"


def _output(value: Any) -> str | None:
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", value):
        return None
    return "expected a file name without directories, e.g. 'my-book'"


def _trim(value: Any) -> str | None:
    if isinstance(value, str) and paper.trim_size(value):
        return None
    return f"expected a trim size: {', '.join(paper.TRIM_SIZES)} or 'WIDTH x HEIGHT' (e.g. '152mm x 229mm')"


def _length(value: Any) -> str | None:
    return (
        None if paper.is_length(value) else "expected a length with a unit, e.g. '0.75in' or '18mm'"
    )


def _margins(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "expected a table { inside = ..., outside = ..., top = ..., bottom = ... }"
    unknown = set(value) - set(MARGINS)
    if unknown:
        return f"unknown margin {sorted(unknown)[0]!r}; margins are {', '.join(MARGINS)}"
    bad = [k for k, v in value.items() if not paper.is_length(v)]
    return f"margins.{bad[0]}: expected a length such as '0.75in'" if bad else None


def _heads(value: Any) -> str | None:
    kinds = ", ".join(paper.RUNNING_HEADS)
    if not isinstance(value, dict) or set(value) - {"left", "right"}:
        return f'expected {{ left = "...", right = "..." }}, each one of {kinds}'
    bad = [v for v in value.values() if v not in paper.RUNNING_HEADS]
    return f"{bad[0]!r} is not one of {kinds}" if bad else None


def _variant(value: Any) -> str | None:
    return None if value in paper.VARIANTS else f"expected one of {', '.join(paper.VARIANTS)}"


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "expected true or false"


def _isbn(value: Any) -> str | None:
    digits = re.sub(r"[\s-]", "", value) if isinstance(value, str) else ""
    if re.fullmatch(r"97[89]\d{10}", digits) and _isbn13_check(digits):
        return None
    return "expected an ISBN-13 such as '978-0-306-40615-7' (with a valid check digit)"


def _isbn13_check(digits: str) -> bool:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


def _positive(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return None if ok else "expected a positive whole number"


def _watermark(value: Any) -> str | None:
    ok = isinstance(value, str) and len(value) <= 40 and "\n" not in value
    return None if ok else 'expected a short line of text (at most 40 characters; "" for none)'


def _chapters(value: Any) -> str | None:
    return None if isinstance(value, list) else "expected a list of chapter files"


@dataclass(frozen=True, slots=True)
class Field:
    """One key of the schema."""

    check: Check
    required: bool = False
    help: str = ""


SCHEMA: dict[str, dict[str, Field]] = {
    "book": {
        "title": Field(_string, required=True, help="the book's title"),
        "subtitle": Field(_string),
        "authors": Field(_strings, required=True, help='e.g. ["Ada Lovelace"]'),
        "language": Field(_language, required=True, help="a BCP 47 tag, e.g. 'en'"),
        "identifier": Field(_string),
        "publisher": Field(_string),
        "date": Field(_date),
        "rights": Field(_string),
        "description": Field(_string),
        "cover": Field(_string),
        "subjects": Field(_strings, help="keywords for catalogues and the PDF"),
        "isbn": Field(_isbn),
        "editors": Field(_strings),
        "translators": Field(_strings),
        "illustrators": Field(_strings),
        "series": Field(_string),
        "series_index": Field(_positive),
    },
    "build": {
        "chapters": Field(_chapters),
        "output": Field(_output),
        "styles": Field(_strings),
    },
    "pdf": {
        "trim": Field(_trim, help="e.g. '6x9in', 'a5'"),
        "margins": Field(_margins),
        "print_ready": Field(_boolean),
        "bleed": Field(_length),
        "running_heads": Field(_heads),
        "variant": Field(_variant),
        "attachments": Field(_strings, help="project files to embed in the PDF"),
    },
    "epub": {
        "embed_fonts": Field(_boolean),
        "split_chapters": Field(_boolean),
        "accessibility_summary": Field(_string),
    },
    "proof": {
        "watermark": Field(_watermark, help="e.g. 'DRAFT'"),
    },
}
MARGINS = ("inside", "outside", "top", "bottom")

CHAPTER_KEYS = ("file", "type", "matter")


def load_config(root: Path) -> BookConfig:
    """Read ``root/book.toml``; raise ConfigError listing every problem."""
    root = root.resolve()
    path = root / CONFIG_NAME
    data = _read_toml(path)
    problems = _check_schema(data)
    book, build = _table(data, "book"), _table(data, "build")
    # Files are checked even when the schema pass found problems, so that
    # every problem is reported at once; values of the wrong type are skipped.
    listed = _valid(build, "build", "chapters")
    chapters = (
        () if listed is None and "chapters" in build else _chapter_list(root, listed, problems)
    )
    cover = _project_file(root, _valid(book, "book", "cover"), "book.cover", problems)
    styles = _styles(root, _valid(build, "build", "styles"), problems)
    pdf = _table(data, "pdf")
    found = (
        _project_file(root, n, "pdf.attachments", problems)
        for n in _valid(pdf, "pdf", "attachments") or ()
    )
    attachments = tuple(p for p in found if p is not None)
    if problems:
        raise ConfigError(problems)
    return BookConfig(
        root=root,
        metadata=_metadata(book, cover),
        chapters=chapters,
        output=build.get("output", "book"),
        styles=styles,
        page=replace(_page_settings(pdf), attachments=attachments),
        epub=EpubSettings(
            embed_fonts=_table(data, "epub").get("embed_fonts", True),
            accessibility_summary=_table(data, "epub").get("accessibility_summary"),
            split_chapters=_table(data, "epub").get("split_chapters", False),
        ),
        print_bleed=pdf.get("bleed", "0.125in"),
        proof=ProofSettings(watermark=_table(data, "proof").get("watermark", "DRAFT")),
        built=build_time(),
    )


def _page_settings(pdf: dict[str, Any]) -> PageSettings:
    width, height = paper.trim_size(pdf.get("trim", "6x9in")) or ("6in", "9in")
    margins = pdf.get("margins", {})
    heads = pdf.get("running_heads", {})
    defaults = PageSettings()
    return PageSettings(
        width=width,
        height=height,
        inside=margins.get("inside", defaults.inside),
        outside=margins.get("outside", defaults.outside),
        top=margins.get("top", defaults.top),
        bottom=margins.get("bottom", defaults.bottom),
        bleed=pdf.get("bleed", "0.125in") if pdf.get("print_ready") else None,
        running_heads=(heads.get("left", "book"), heads.get("right", "chapter")),
        variant=pdf.get("variant"),
    )


def build_time() -> str:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now; ISO 8601 UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _table(data: dict[str, Any], section: str) -> dict[str, Any]:
    table = data.get(section, {})
    return table if isinstance(table, dict) else {}


def _valid(table: dict[str, Any], section: str, key: str) -> Any:
    """The value of ``key`` if it passed its schema check, else None."""
    value = table.get(key)
    if value is None or SCHEMA[section][key].check(value) is not None:
        return None
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: error: no {CONFIG_NAME} here; create one with 'book new' [no-config]"]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: error: cannot read: {exc} [unreadable]"]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"{CONFIG_NAME}:{found[1]}:{found[2]}" if found else CONFIG_NAME
        message = re.sub(r"\s*\(at line.*?\)", "", message)
        raise ConfigError([f"{where}: error: invalid TOML: {message} [toml-syntax]"]) from None


def _did_you_mean(key: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(key, choices, n=1)
    return f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(choices)}"


def _check_schema(data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for section, value in data.items():
        if section not in SCHEMA:
            hint = _did_you_mean(section, list(SCHEMA))
            problems.append(f"{CONFIG_NAME}: {section}: unknown section{hint}")
        elif not isinstance(value, dict):
            problems.append(f"{CONFIG_NAME}: {section}: expected a table [{section}]")
    for section, fields in SCHEMA.items():
        table = data.get(section, {})
        if isinstance(table, dict):
            problems += _check_table(section, fields, table)
    return problems


def _check_table(section: str, fields: dict[str, Field], table: dict[str, Any]) -> list[str]:
    problems = []
    for key, value in table.items():
        if key not in fields:
            hint = _did_you_mean(key, list(fields))
            problems.append(f"{CONFIG_NAME}: {section}.{key}: unknown key{hint}")
        elif (expected := fields[key].check(value)) is not None:
            problems.append(f"{CONFIG_NAME}: {section}.{key}: {expected}")
    for key, spec in fields.items():
        if spec.required and key not in table:
            problems.append(f"{CONFIG_NAME}: {section}.{key}: required ({spec.help})")
    return problems


ROLES = (("editors", "edt"), ("translators", "trl"), ("illustrators", "ill"))


def _metadata(book: dict[str, Any], cover: Path | None) -> Metadata:
    authors = tuple(book["authors"])
    isbn = re.sub(r"[\s-]", "", book["isbn"]) if "isbn" in book else None
    identifier = book.get("identifier") or (f"urn:isbn:{isbn}" if isbn else None)
    return Metadata(
        title=book["title"],
        subtitle=book.get("subtitle"),
        authors=authors,
        language=standard_tag(book["language"]),
        identifier=identifier or default_identifier(book["title"], authors),
        isbn=isbn,
        contributors=tuple((name, role) for key, role in ROLES for name in book.get(key, ())),
        series=book.get("series"),
        series_index=book.get("series_index"),
        publisher=book.get("publisher"),
        date=str(book["date"]) if "date" in book else None,
        rights=book.get("rights"),
        description=book.get("description"),
        cover=cover,
        subjects=tuple(book.get("subjects", ())),
    )


def default_identifier(title: str, authors: tuple[str, ...]) -> str:
    """A urn:uuid that stays the same as long as title and authors do."""
    name = "\n".join(("octavo", title, *authors))
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _project_file(root: Path, value: str | None, key: str, problems: list[str]) -> Path | None:
    """Resolve a path from book.toml; it must exist inside the project."""
    if value is None:
        return None
    path = (root / value).resolve()
    if not path.is_relative_to(root):
        problems.append(f"{CONFIG_NAME}: {key}: '{value}' is outside the project directory")
    elif not path.is_file():
        problems.append(f"{CONFIG_NAME}: {key}: file '{value}' not found")
    else:
        return path
    return None


def _chapter_list(root: Path, entries: Any, problems: list[str]) -> tuple[ChapterSource, ...]:
    if entries is None:
        files = sorted((root / "chapters").glob("*.md"))
        if not files:
            problems.append(
                f"{CONFIG_NAME}: build.chapters: no chapters/*.md found and none listed"
            )
        return tuple(ChapterSource(f, f.relative_to(root)) for f in files)
    chapters = []
    for index, entry in enumerate(entries):
        chapter = _chapter_entry(root, entry, f"build.chapters[{index}]", problems)
        if chapter:
            chapters.append(chapter)
    if not entries:
        problems.append(f"{CONFIG_NAME}: build.chapters: the list is empty")
    return tuple(chapters)


def _chapter_entry(root: Path, entry: Any, key: str, problems: list[str]) -> ChapterSource | None:
    if isinstance(entry, str):
        entry = {"file": entry}
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        problems.append(
            f'{CONFIG_NAME}: {key}: expected a path or a table {{ file = "...", type = "..." }}'
        )
        return None
    before = len(problems)
    for extra in set(entry) - set(CHAPTER_KEYS):
        problems.append(
            f"{CONFIG_NAME}: {key}.{extra}: unknown key{_did_you_mean(extra, list(CHAPTER_KEYS))}"
        )
    kind = _enum(ChapterKind, entry.get("type", "chapter"), f"{key}.type", problems)
    matter = _enum(
        Matter,
        entry.get("matter", kind.default_matter if kind else "body"),
        f"{key}.matter",
        problems,
    )
    path = _project_file(root, entry["file"], key, problems)
    if len(problems) > before or path is None or kind is None or matter is None:
        return None
    return ChapterSource(path, path.relative_to(root), kind, matter)


E = TypeVar("E", ChapterKind, Matter)


def _enum(enum: type[E], value: Any, key: str, problems: list[str]) -> E | None:
    try:
        return enum(value)
    except ValueError:
        names = [member.value for member in enum]
        problems.append(f"{CONFIG_NAME}: {key}: {value!r} is not one of {', '.join(names)}")
        return None


def _styles(root: Path, listed: list[str] | None, problems: list[str]) -> tuple[Path, ...]:
    if listed is None:  # every stylesheet in styles/, none that leads outside the project
        found = []
        for path in sorted((root / "styles").glob("*.css")):
            if not path.resolve().is_relative_to(root.resolve()):
                name = path.relative_to(root).as_posix()
                problems.append(
                    f"{CONFIG_NAME}: {name}: a link to a file outside the project directory"
                )
            else:
                found.append(path)
        return tuple(found)
    paths = (_project_file(root, s, "build.styles", problems) for s in listed)
    return tuple(p for p in paths if p)
