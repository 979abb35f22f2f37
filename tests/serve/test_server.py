"""serve: paths stay inside the site, pages get the live script, the event stream,
the command's start and stop, and a real browser following edits and errors."""

from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import pytest
from click.testing import CliRunner

from book.cli import main
from book.serve.preview import Preview
from book.serve.rebuild import Board, Status
from book.serve.server import (
    EVENTS,
    SCRIPT,
    PreviewServer,
    _is_loopback,
    inject_live_script,
    resolve_under,
)
from tests.conftest import PNG, MakeProject

WAIT = 60.0
"""Seconds to wait for something that should happen soon (generous: busy machines)."""
CHROMIUM = Path("/usr/bin/chromium")


# -- paths and pages ---------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "images").mkdir(parents=True)
    (root / "index.html").write_text("<html><body>home</body></html>", "utf-8")
    (root / "images" / "map.svg").write_text("<svg/>", "utf-8")
    (root / "images" / "index.html").write_text("images", "utf-8")
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    return root


def test_files_under_the_site_are_found(site: Path) -> None:
    assert resolve_under(site, "/") == site.resolve() / "index.html"
    assert resolve_under(site, "/images/map.svg") == site.resolve() / "images" / "map.svg"
    assert resolve_under(site, "/images/") == site.resolve() / "images" / "index.html"
    assert resolve_under(site, "/images/%6Dap.svg") == site.resolve() / "images" / "map.svg"
    assert resolve_under(site, "/nothing.html") is None


@pytest.mark.parametrize(
    "path",
    ["/../secret.txt", "/images/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"],
)
def test_nothing_outside_the_site_is_served(site: Path, path: str) -> None:
    assert (site.parent / "secret.txt").is_file()
    assert resolve_under(site, path) is None


def test_absolute_paths_nul_bytes_and_links_out_are_refused(site: Path) -> None:
    (site / "link.txt").symlink_to(site.parent / "secret.txt")
    assert resolve_under(site, "//etc/passwd") is None
    assert resolve_under(site, "/index.html%00.png") is None
    assert resolve_under(site, "/link.txt") is None


def test_the_live_script_goes_before_the_end_of_the_body() -> None:
    status = Status(site=7, session="c0ffee")
    tag = f'<script src="{SCRIPT}" data-site="7" data-session="c0ffee"></script>'.encode()
    page = b"<html><body><p>x</p></BODY></html>"
    assert inject_live_script(page, status) == b"<html><body><p>x</p>" + tag + b"</BODY></html>"
    assert inject_live_script(b"<p>no body</p>", status) == b"<p>no body</p>" + tag


def test_loopback_addresses() -> None:
    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.2")
    assert not _is_loopback("example.org")


# -- the server, in this process ---------------------------------------------


@pytest.fixture
def server(make_project: MakeProject, tmp_path: Path) -> Iterator[PreviewServer]:
    project = make_project({"01-a.md": "# Alpha\n\nFirst text.\n"}, files={"chapters/x.png": PNG})
    preview = Preview(project, tmp_path / "work", Board("c0ffee"), lambda line: None)
    preview.build_site()
    with _running(preview) as running:
        yield running


@contextmanager
def _running(preview: Preview) -> Iterator[PreviewServer]:
    running = PreviewServer(("127.0.0.1", 0), preview, preview.board, pdf=True)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        preview.board.close()
        running.shutdown()
        running.server_close()


def _get(server: PreviewServer, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=WAIT)
    connection.request("GET", path)
    response = connection.getresponse()
    result = response.status, response.getheader("Content-Type", ""), response.read()
    connection.close()
    return result


def test_pages_are_served_with_the_live_script_and_the_built_files_are_untouched(
    server: PreviewServer,
) -> None:
    status, kind, body = _get(server, "/ch01-a.html")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert b"First text." in body
    assert (
        f'<script src="{SCRIPT}" data-site="1" data-session="c0ffee"></script></body>'.encode()
        in body
    )
    site = server.preview.site(1)
    assert site is not None
    assert SCRIPT not in (site / "ch01-a.html").read_text("utf-8")
    status, kind, body = _get(server, "/")
    assert status == 200 and b"ch01-a.html" in body


def test_the_script_the_pdf_and_missing_files(server: PreviewServer) -> None:
    status, kind, body = _get(server, SCRIPT)
    assert (status, kind) == (200, "text/javascript; charset=utf-8")
    assert b"EventSource" in body and b"octavo-overlay" in body
    status, kind, body = _get(server, "/book.pdf")
    assert status == 503 and b"being built" in body  # no PDF yet
    status, kind, body = _get(server, "/../../etc/passwd")
    assert status == 404 and b"data-site" in body  # a 404 page reloads after the next build too


def _events(server: PreviewServer) -> Iterator[dict[str, object]]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=WAIT)
    connection.request("GET", EVENTS)
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    data: list[str] = []
    while line := response.fp.readline().decode():
        if line.startswith("data: "):
            data.append(line.removeprefix("data: "))
        elif line == "\n" and data:
            yield json.loads("".join(data))
            data = []
    connection.close()


def test_the_event_stream_tells_the_current_status_then_each_new_one(
    server: PreviewServer,
) -> None:
    events = _events(server)
    assert next(events) == {"build": 1, "site": 1, "error": None, "pdf": 0, "session": "c0ffee"}
    chapter = server.preview.project / "chapters" / "01-a.md"
    chapter.write_text("# Alpha\n\n![x](missing.png)\n", "utf-8")
    server.preview.build_site()
    failed = next(events)
    assert failed["site"] == 1 and failed["build"] == 2
    assert failed["error"] == (
        "chapters/01-a.md:3: error: image 'missing.png' not found [missing-image]"
    )
    chapter.write_text("# Alpha\n\n![x](x.png)\n", "utf-8")
    server.preview.build_site()
    assert next(events) == {"build": 3, "site": 3, "error": None, "pdf": 0, "session": "c0ffee"}


def test_before_the_first_good_build_every_page_waits_for_it(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = make_project({"01-a.md": "# Alpha\n\nCall[^nowhere].\n"})
    preview = Preview(project, tmp_path / "work", Board(), lambda line: None)
    preview.build_site()
    assert preview.board.status.site == 0
    with _running(preview) as running:
        status, _kind, body = _get(running, "/ch01-a.html")
        assert status == 200 and b"has not built yet" in body
        assert b'data-site="0"' in body
        assert next(_events(running))["error"] == (
            "chapters/01-a.md:3: error: footnote reference [^nowhere] has no definition"
            " in this chapter [undefined-footnote]"
        )


# -- the command -------------------------------------------------------------


def test_a_directory_without_book_toml_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", str(tmp_path)])
    assert result.exit_code == 1
    assert "no book.toml here" in result.output


def test_a_port_in_use_is_an_error(make_project: MakeProject) -> None:
    project = make_project({"01-a.md": "# A\n"})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(project), "--port", str(port)])
    assert result.exit_code == 1
    assert f"error: cannot listen on 127.0.0.1:{port}:" in result.output


class ServedBook:
    """``book serve PROJECT --port 0`` in a subprocess; ``url`` is what it printed."""

    def __init__(self, project: Path, *options: str) -> None:
        env = os.environ | {"PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "book", "serve", str(project), "--port", "0", *options]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self.stdout, True)),
            threading.Thread(target=self._read, args=(self.process.stderr, self.stderr, False)),
        ]
        for reader in self._readers:
            reader.start()
        self.url = self._wait_for_url()

    def _read(self, stream: object, into: list[str], announce: bool) -> None:
        for line in stream:  # type: ignore[attr-defined]
            into.append(line)
            if announce:
                self.lines.put(line)

    def _wait_for_url(self) -> str:
        while True:
            try:
                line = self.lines.get(timeout=WAIT)
            except queue.Empty:
                self.process.kill()
                raise AssertionError(f"book serve printed no address: {self.stderr}") from None
            if line.startswith("Serving "):
                return line.split(" at ")[1].split()[0]

    def stop(self) -> int:
        """Ctrl-C; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        for reader in self._readers:
            reader.join(WAIT)
        return code

    def __enter__(self) -> ServedBook:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def test_serve_prints_its_address_and_stops_cleanly_on_ctrl_c(make_project: MakeProject) -> None:
    project = make_project({"01-a.md": "# Alpha\n\nFirst text.\n"})
    served = ServedBook(project)
    assert served.url.startswith("http://127.0.0.1:")
    assert served.stdout[-1] == f"Serving Test Book at {served.url} (Ctrl-C to stop)\n"
    host, port = served.url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=WAIT)
    connection.request("GET", "/ch01-a.html")
    assert b"First text." in connection.getresponse().read()
    connection.close()
    assert served.stop() == 0
    assert served.stdout[-1] == "stopped\n"
    assert "Traceback" not in "".join(served.stderr)


def test_with_pdf_the_newest_pdf_is_served(make_project: MakeProject) -> None:
    project = make_project({"01-a.md": "# Alpha\n\nFirst text.\n"})
    with ServedBook(project, "--pdf") as served:
        while "built the PDF" not in served.lines.get(timeout=WAIT):
            pass
        host, port = served.url.removeprefix("http://").rstrip("/").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=WAIT)
        connection.request("GET", "/book.pdf")
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Content-Type") == "application/pdf"
        assert response.read().startswith(b"%PDF-")
        connection.close()


# -- in a browser ------------------------------------------------------------


def test_a_browser_follows_edits_and_shows_errors_until_they_are_fixed(
    make_project: MakeProject,
) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    project = make_project({"01-a.md": "# Alpha\n\nFirst text.\n"}, files={"chapters/x.png": PNG})
    chapter = project / "chapters" / "01-a.md"
    with ServedBook(project) as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(served.url + "ch01-a.html")
        text = page.locator("body")
        expect(text).to_contain_text("First text.")

        chapter.write_text("# Alpha\n\nSecond text, edited.\n", "utf-8")
        expect(text).to_contain_text("Second text, edited.", timeout=WAIT * 1000)

        chapter.write_text(
            "# Alpha\n\nSecond text, edited.\n\n![A map](figures/map.png)\n", "utf-8"
        )
        overlay = page.locator("#octavo-overlay")
        expect(overlay).to_contain_text(
            "chapters/01-a.md:5: error: image 'figures/map.png' not found [missing-image]",
            timeout=WAIT * 1000,
        )
        expect(text).to_contain_text("Second text, edited.")  # the last good build

        chapter.write_text("# Alpha\n\nThird text.\n\n![A map](x.png)\n", "utf-8")
        expect(text).to_contain_text("Third text.", timeout=WAIT * 1000)
        expect(overlay).to_have_count(0)
        expect(page.locator("body img[alt='A map']")).to_have_count(1)
        browser.close()
    assert "missing-image" in "".join(served.stderr)  # the terminal showed the error too
