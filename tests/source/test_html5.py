"""html5: lexbor's trees are tinyhtml5's wherever the fast path takes a chapter."""

from __future__ import annotations

import importlib.util
import random
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from book.model import ChapterSource
from book.source import critic, dialects, html5
from book.source.parse import NOT_XML, _processor, parse_text
from tests.conftest import REPO

CORPUS = REPO.parent / "shared" / "corpus"
"""Real books beside the repository, when they are there (a developer's machine, CI)."""


def _bench_chapters() -> dict[str, str]:
    """Two chapters of the benchmark book (``bench/run.py``), the build issue #7 times."""
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules[spec.name]
    rng = random.Random(7)
    return {f"bench-{n}": bench.chapter(n, 5000, rng) for n in (1, 2)}


def _chapters() -> dict[str, str]:
    """The sample book's, the new-project template's and the benchmark's
    chapters (all without raw HTML), and the corpus books' (some with)."""
    mine = [*sorted((REPO / "chapters").glob("*.md")), *sorted(REPO.glob("book/scaffold/**/*.md"))]
    found = {str(path.relative_to(REPO)): path.read_text("utf-8") for path in mine}
    for path in sorted(CORPUS.glob("*/chapters/**/*.md")):
        found[f"corpus/{path.relative_to(CORPUS)}"] = path.read_text("utf-8")
    return found | _bench_chapters()


CHAPTERS = _chapters()
OURS = sorted(name for name in CHAPTERS if not name.startswith("corpus/"))
RAW_HTML = """# Raw

<div class="note" markdown="1">
A *note* with <kbd>Ctrl</kbd> and <dl><dt>a<dd>b</dl>.
</div>

<!-- a comment --> Text[^1].

[^1]: A note.
"""


def normalized(text: str) -> str:
    """The Markdown that ``parse`` hands Python-Markdown."""
    return dialects.normalize(critic.split_paragraphs(NOT_XML.sub("", text)))


def markdown(text: str) -> tuple[str, bool]:
    """What ``parse`` gives the HTML parser: the HTML, and whether it is Markdown only."""
    md = _processor("en")
    md.reset()
    source = normalized(text)
    return md.convert(source), not html5.TAG_OPEN.search(source)


def tinyhtml5_tree(html: str) -> str:
    return ET.tostring(html5.parse_body(html), encoding="unicode")


def lexbor_tree(html: str) -> str | None:
    body = html5._lexbor_body(html)
    return None if body is None else ET.tostring(body, encoding="unicode")


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_real_chapters_parse_to_the_same_tree(name: str) -> None:
    html, markdown_only = markdown(CHAPTERS[name])
    fast = lexbor_tree(html)
    if markdown_only:
        assert fast is not None  # the fast path is taken...
    if fast is not None:
        assert fast == tinyhtml5_tree(html)  # ...and its tree is tinyhtml5's


def test_chapters_without_raw_html_take_the_fast_path() -> None:
    assert all(not html5.TAG_OPEN.search(normalized(CHAPTERS[name])) for name in OURS)
    assert html5.TAG_OPEN.search(normalized(RAW_HTML))


def test_whole_chapters_are_parsed_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything ``parse`` gives back (body, notes, diagnostics) is the same."""
    source = ChapterSource(Path("/p/chapters/01-x.md"), Path("chapters/01-x.md"))
    texts = [CHAPTERS[name] for name in OURS] + [RAW_HTML]
    fast = [parse_text(source, text) for text in texts]
    monkeypatch.setattr(html5, "_lexbor_body", lambda html: None)
    assert fast == [parse_text(source, text) for text in texts]


PIECES = (
    "# Head {#h1}\n\n", "## Sub *em* `code`\n\n", "Setext\n===\n\n", "word ", "more words ",
    "*em* ", "**strong** ", "_u_ ", "***both*** ", "`co<de>` ", "``a ` b`` ",
    '[link](http://x.org/a?b=1&c=2 "T&itle") ', '![alt *x*](fig.png "Cap") ',
    "![](a.png){: #f1 .wide }\n\n", "[ref][r] ", '\n\n[r]: http://y "t"\n\n', "text[^1] ",
    "[^n2] ", "\n\n[^1]: Note *one*.\n\n", "[^n2]: Note\n\n    two\n\n",
    "&amp; ", "&copy; ", "&copy ", "&notit; ", "&notin; ", "&#0; ", "&#13; ", "&#x80; ",
    "&#x9f; ", "&#xD800; ", "&#1114112; ", "&#65; ", "&#x1F600; ", "&foo; ",
    "&NotNestedGreaterGreater; ", "&lt; ", "&gt; ", "&quot; ", "&AMP ", "&ampx; ", "&#9; ",
    "&#10; ", "&#xA0; ", "& ", "a < b ", "1<2 ", "<3 ", "< div ", "x > y ", ">= ", "a<=b ",
    "<<- ", '"quoted" ', "'single' ", "it's ", "-- ", "--- ", "... ",
    "\n\n", "\n", "  \n", "\t", "\u00a0", "\u200b", "\ufdd0", "é", "漢字 ", "עברית ",
    "\U0001f600", "\u2028", "\u0085", "\r\n", "\r",
    "- item\n", "  - nested\n", "1. one\n", "2. two\n", "- [ ] task\n", "- [x] done\n",
    "> quote\n", "> > deeper\n",
    "\n\n```python\nif a < b and c > d: print('<p>&amp;')\n```\n\n",
    "\n\n```\nplain <b>\n```\n\n", "\n\n~~~ unknown lang\nx\n~~~\n\n",
    "\n\n    indented <code>\n\n", "| a | b |\n|---|:-:|\n| 1 | *2* |\n\n",
    "Table: Cap {#t1}\n\n", "Term\n: Definition\n\n", '!!! note "Title"\n    Body *x*\n\n',
    "!!! warning\n\n", "*[HTML]: Hyper Text\n\n", "HTML ", "~~strike~~ ", "~~a~~b~~ ",
    "{++ins++} ", "{--del--} ", "{~~a~>b~~} ", "{==mark==}{>>note<<} ",
    '{: .cls #id key="v&v" }\n\n', "Para\n{: data-x=1 weird'n=2 }\n\n", '{: a"b=c }\n\n',
    "{: =x }\n\n", '{: on-click="j" }\n\n', "***\n\n", "___\n\n", "\\*esc\\* ", "\\& ",
    "[]() ", "[x]() ", "![]() ", "\n\n---\n\n", "line  \nbreak ", "\\\n",
    "==", "^^", "::", "{", "}", "[", "]", "(", ")", "|", "#", "*", "_", "`", "~", "=", ":", "!",
    "-", "+",
)  # fmt: skip
"""Markdown with no raw HTML: every construct the extensions know, entities
(legacy, numeric, out of range), stray angle brackets and odd characters."""


def test_random_markdown_parses_to_the_same_tree() -> None:
    """Seeded; a longer run (32,000 texts) found no difference either."""
    rng = random.Random(2026)
    compared = 0
    while compared < 400:
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
        html, markdown_only = markdown(text)
        if not markdown_only:
            continue
        compared += 1
        assert lexbor_tree(html) == tinyhtml5_tree(html), text


@pytest.mark.parametrize(
    "html",
    [
        "<p>a<!-- note -->b</p>",
        '<p><svg viewBox="0 0 1 1"><path d="M0"/></svg></p>',
        "<math><mi>x</mi></math>",
        "<template><p>x</p></template>",
    ],
)
def test_what_the_converter_does_not_know_goes_to_tinyhtml5(html: str) -> None:
    assert lexbor_tree(html) is None
    assert ET.tostring(html5.parse_body(html, markdown_only=True)) == ET.tostring(
        html5.parse_body(html)
    )


def test_raw_html_is_not_markdown_only() -> None:
    for text in ("<dl><dt>a<dd>b", "a <br> b", "<!-- c -->", "</p>", "<?php ?>", "<ftp://x>"):
        assert html5.TAG_OPEN.search(text), text
    for text in ("a < b", "1<2", "<3", "x<=y", "&lt;div&gt;", "<<"):
        assert not html5.TAG_OPEN.search(text), text


def test_deep_nesting_needs_no_recursion() -> None:
    body = html5._lexbor_body("<div>" * 5000 + "x" + "</div>" * 5000)
    assert body is not None
    assert len(list(body.iter("div"))) == 5000
