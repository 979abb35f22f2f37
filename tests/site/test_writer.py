"""html: the static proofing site; every local link lands on a file and an id."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from book import pipeline
from book.model import Format
from tests.conftest import SVG, MakeProject

CHAPTERS = {
    "01-a.md": "# Alpha\n\nSee [Beta](02-b.md#part).[^1]\n\n![A box](box.svg)\n\n[^1]: Note.\n",
    "02-b.md": "# Beta\n\n## Part {#part}\n\nBack to [Alpha](01-a.md).\n",
}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name):
                self.refs.append(values[name] or "")


def scan(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def test_site_files(make_project: MakeProject) -> None:
    project = make_project(CHAPTERS, files={"chapters/box.svg": SVG})
    (site,) = pipeline.build(project, (Format.HTML,)).outputs
    assert sorted(p.name for p in site.glob("*.html")) == [
        "ch01-a.html",
        "ch02-b.html",
        "index.html",
    ]
    assert (site / "images" / "box.svg").read_bytes() == SVG
    assert (site / "book.css").is_file() and (site / "fonts" / "LinLibertine_R.otf").is_file()
    index = (site / "index.html").read_text()
    assert "Alpha" in index and 'href="ch02-b.html#part"' in index


def test_every_local_link_resolves(make_project: MakeProject) -> None:
    project = make_project(CHAPTERS, files={"chapters/box.svg": SVG})
    (site,) = pipeline.build(project, (Format.HTML,)).outputs
    pages = {p.name: scan(p) for p in site.glob("*.html")}
    checked = 0
    for name, links in pages.items():
        for ref in links.refs:
            parts = urlsplit(ref)
            if parts.scheme:
                continue
            target = parts.path or name
            assert (site / target).exists(), f"{name}: {ref}"
            if parts.fragment:
                assert parts.fragment in pages[target].ids, f"{name}: {ref}"
            checked += 1
    assert checked > 10


def test_rebuild_replaces_the_site(make_project: MakeProject) -> None:
    project = make_project(CHAPTERS, files={"chapters/box.svg": SVG})
    (site,) = pipeline.build(project, (Format.HTML,)).outputs
    (project / "chapters" / "02-b.md").unlink()
    (project / "chapters" / "01-a.md").write_text("# Alpha\n\nOnly one now.\n")
    pipeline.build(project, (Format.HTML,))
    assert sorted(p.name for p in site.glob("*.html")) == ["ch01-a.html", "index.html"]
    assert not list(site.parent.glob(".*part*"))
