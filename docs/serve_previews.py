"""Regenerate the live-preview screenshots shown in the README.

Usage: .venv/bin/python docs/serve_previews.py   (needs Debian's chromium and the test extras)

Serves a copy of the sample book with ``book serve``, takes docs/serve.png of
chapter 2, then breaks that chapter's map reference and takes
docs/serve-error.png once the error overlay is shown.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHAPTER = Path("chapters/02-khasan.md")


def main() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        project = Path(temporary) / "book"
        project.mkdir()
        shutil.copy(REPO / "book.toml", project)
        for name in ("chapters", "styles"):
            shutil.copytree(REPO / name, project / name)
        command = [sys.executable, "-m", "book", "serve", str(project), "--port", "0"]
        server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        try:
            url = _address(server)
            _screenshots(url, project / CHAPTER)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(60)


def _address(server: subprocess.Popen[str]) -> str:
    assert server.stdout is not None
    for line in server.stdout:
        if line.startswith("Serving "):
            return line.split(" at ")[1].split()[0]
    raise SystemExit("book serve stopped before printing its address")


def _screenshots(url: str, chapter: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1100, "height": 760})
        page.goto(url + "ch02-khasan.html")
        page.screenshot(path=REPO / "docs" / "serve.png")
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(
            text.replace("figures/khasan-map.svg", "figures/khasan-map-v2.svg"), "utf-8"
        )
        expect(page.locator("#octavo-overlay")).to_contain_text("missing-image", timeout=60_000)
        page.screenshot(path=REPO / "docs" / "serve-error.png")
        browser.close()


if __name__ == "__main__":
    main()
