"""report: the machine-readable account of a build."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from book.cli import main
from tests.conftest import MakeProject


def test_report_of_a_good_build(make_project: MakeProject, tmp_path: Path) -> None:
    project = make_project({"01-a.md": "# A\n\nText.[^1]\n\n[^1]: N.\n[^2]: Unused.\n"})
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        main, ["build", str(project), "-f", "pdf", "-f", "html", "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert data["status"] == "ok" and data["error"] is None
    pdf = next(o for o in data["outputs"] if o["path"].endswith("book.pdf"))
    assert (
        pdf["sha256"] == hashlib.sha256((project / "build" / "book.pdf").read_bytes()).hexdigest()
    )
    assert pdf["bytes"] == (project / "build" / "book.pdf").stat().st_size
    assert data["pdf_pages"] >= 4
    (diagnostic,) = data["diagnostics"]
    assert diagnostic["code"] == "unused-footnote" and diagnostic["severity"] == "warning"
    assert diagnostic["location"] == "chapters/01-a.md:6"
    assert set(data["timings"]) == {"load", "pdf", "html"}
    assert data["versions"]["octavo"] and data["versions"]["weasyprint"]


def test_report_of_a_failed_build(make_project: MakeProject, tmp_path: Path) -> None:
    project = make_project({"01-a.md": "# A\n\n![x](missing.png)\n"})
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["build", str(project), "--report", str(report)])
    assert result.exit_code == 1
    data = json.loads(report.read_text())
    assert data["status"] == "failed" and "missing-image" in data["error"]
    assert data["outputs"] == []


def test_warnings_without_a_location_keep_their_code() -> None:
    from book.report import _diagnostic

    found = _diagnostic(
        "footnote x-fn1 is set on PDF page 9, its call on PDF page 8 [footnote-placement]"
    )
    assert found == {
        "location": None,
        "severity": "warning",
        "message": "footnote x-fn1 is set on PDF page 9, its call on PDF page 8",
        "code": "footnote-placement",
    }
