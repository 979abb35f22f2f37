"""The README: its two commands and its CI recipe stay true."""

from __future__ import annotations

import re

import yaml

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_two_commands() -> None:
    commands = re.findall(r"^(python3 -m venv .*)$", README, re.MULTILINE)
    assert commands[0].endswith(".venv/bin/pip install . && .venv/bin/book build")
    assert commands[1].endswith(".venv/bin/pip install '.[test]' && .venv/bin/python -m pytest")


def test_ci_recipe_is_a_valid_workflow_that_builds_strictly_and_keeps_the_outputs() -> None:
    block = re.search(r"```yaml\n(.*?)```", README, re.DOTALL)
    assert block is not None
    workflow = yaml.safe_load(block[1])
    steps = workflow["jobs"]["build"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "pip install . && .venv/bin/book build --strict" in runs
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in steps)
    assert any("SOURCE_DATE_EPOCH" in step.get("env", {}) for step in steps)
