"""The WeasyPrint adaptations: all in place on the tested release; a PDF build
stops with a clear error on another release, or when one that changes the
book cannot be installed; one that only saves time steps aside and says so;
``-v`` and ``--report`` list them."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from book.cli import main
from book.errors import BuildError
from book.pdf.weasy import adaptations, versions
from book.pdf.weasy.adaptations import ADAPTATIONS, Adaptation, describe, install_adaptations
from tests.conftest import MakeProject


@pytest.fixture
def fresh() -> Iterator[None]:
    """Adaptations installed again in the test, and as before after it."""
    install_adaptations.cache_clear()
    yield
    install_adaptations.cache_clear()


def test_every_adaptation_is_in_place_on_the_tested_weasyprint() -> None:
    from weasyprint import layout
    from weasyprint.layout import LayoutContext

    states = install_adaptations()
    assert [state.name for state in states] == [each.name for each in ADAPTATIONS]
    assert [state.name for state in states if not state.active] == []
    assert getattr(layout.make_margin_boxes, "octavo_shifting", False)
    assert isinstance(LayoutContext.__dict__["in_column"], property)


def test_each_adaptation_names_what_it_replaces_and_what_would_retire_it() -> None:
    for adaptation in ADAPTATIONS:
        module = inspect.getmodule(adaptation.install)
        assert module is not None and module.__name__.startswith("book.pdf.weasy.")
        doc = module.__doc__ or ""
        function = adaptation.replaces.split()[0].rsplit(".", 1)[-1]
        assert function in doc, (module.__name__, function)
        assert "upstream" in doc.lower(), module.__name__
        assert "benchmark" not in doc.lower(), module.__name__  # figures: bench/RESULTS.md


def test_an_untested_weasyprint_stops_the_pdf_with_a_clear_error(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        versions, "installed_versions", lambda: {"weasyprint": "69.0", "pydyf": "0.13.0"}
    )
    root = make_project({"01-a.md": "# A\n\nSome text.\n"})
    result = CliRunner().invoke(main, ["build", str(root), "-f", "pdf", "-j", "1"])
    assert result.exit_code == 1
    assert "weasyprint 69.0 is installed" in result.output
    assert "pip install 'weasyprint==70.0' [weasyprint-version]" in result.output
    assert "Traceback" not in result.output
    assert not (root / "build" / "book.pdf").exists()
    epub = CliRunner().invoke(main, ["build", str(root), "-f", "epub"])  # needs no WeasyPrint
    assert epub.exit_code == 0 and (root / "build" / "book.epub").exists()


def test_an_adaptation_that_changes_the_book_cannot_be_left_out(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = Adaptation("test-required", "weasyprint.layout.nothing", True, lambda: False)
    monkeypatch.setattr(adaptations, "ADAPTATIONS", (*ADAPTATIONS, failing))
    with pytest.raises(BuildError, match=r"test-required .*\[weasyprint-adaptation\]"):
        install_adaptations()


def test_one_that_only_saves_time_steps_aside_and_says_why(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def moved() -> bool:
        raise AttributeError("'Font' object has no attribute 'colr'")

    optional = Adaptation("test-optional", "weasyprint.layout.nothing", False, moved)
    monkeypatch.setattr(adaptations, "ADAPTATIONS", (*ADAPTATIONS, optional))
    states = install_adaptations()
    assert not states[-1].active and "colr" in states[-1].note
    assert all(state.active for state in states[:-1])
    assert describe(states)[-1].startswith("test-optional: not in place (saves time;")


def test_build_v_and_the_report_list_the_adaptations_and_versions(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project({"01-a.md": "# A\n\nSome text.[^1]\n\n[^1]: A note.\n"})
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        main, ["build", str(root), "-f", "pdf", "-j", "1", "-v", "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    for adaptation in ADAPTATIONS:
        assert f"WeasyPrint adaptation {adaptation.name}: in place" in result.output
    assert "laid out by weasyprint 70.0, pydyf 0.13.0" in result.output
    data = json.loads(report.read_text(encoding="utf-8"))
    listed = data["weasyprint_adaptations"]
    assert [each["name"] for each in listed] == [each.name for each in ADAPTATIONS]
    assert all(each["active"] for each in listed)
    assert {each["name"] for each in listed if each["changes_output"]} == {
        "footnotes-with-calls",
        "folios-after-pagination",
        "whole-fonts",
    }
    assert data["versions"]["weasyprint"] == "70.0"
    assert {"pydyf", "pango-1.0", "harfbuzz"} <= set(data["versions"])
