"""remote: --allow-remote fetches images from loopback servers only in these tests."""

from __future__ import annotations

import socket
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from book import pipeline
from book.errors import SourceError
from book.model import Format
from book.source.remote import RemoteError, RemoteFetcher
from tests.conftest import PNG, MakeProject


class Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Handler.requests.append(self.path)
        body, kind = {"/map.png": (PNG, "image/png"), "/big.png": (PNG * 2000, "image/png")}.get(
            self.path, (b"<html></html>", "text/html")
        )
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.requests = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def silent() -> Iterator[str]:
    """A loopback server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def test_remote_images_are_not_fetched_by_default(make_project: MakeProject, server: str) -> None:
    project = make_project({"01-a.md": f"# A\n\n![The map]({server}/map.png)\n"})
    result = pipeline.build(project, (Format.HTML,))
    assert result.warnings == 1 and "[remote-image]" in result.messages[0]
    assert Handler.requests == []
    assert "The map" in (project / "build" / "html" / "ch01-a.html").read_text()


def test_allow_remote_fetches_once_then_uses_the_cache(
    make_project: MakeProject, server: str
) -> None:
    project = make_project({"01-a.md": f"# A\n\n![The map]({server}/map.png)\n"})
    (epub,) = pipeline.build(project, (Format.EPUB,), allow_remote=True).outputs
    with zipfile.ZipFile(epub) as archive:
        assert [
            n
            for n in archive.namelist()
            if n.startswith("EPUB/images/") and n != "EPUB/images/cover.png"
        ]
    pipeline.build(project, (Format.EPUB,), allow_remote=True)
    assert Handler.requests == ["/map.png"]  # the second build read the cache


def test_limits(tmp_path: Path, server: str, silent: str) -> None:
    fetcher = RemoteFetcher(tmp_path, timeout=0.5, max_bytes=10_000)
    with pytest.raises(RemoteError, match="larger than"):
        fetcher.fetch(f"{server}/big.png")
    with pytest.raises(RemoteError, match="not an image"):
        fetcher.fetch(f"{server}/page.html")
    with pytest.raises(RemoteError, match="cannot fetch"):
        fetcher.fetch(silent + "/never.png")  # times out after 0.5 s instead of hanging
    with pytest.raises(RemoteError, match="only http"):
        fetcher.fetch("ftp://127.0.0.1/x.png")
    assert not list(tmp_path.iterdir())


def test_a_failed_fetch_is_an_error_with_its_line(make_project: MakeProject, server: str) -> None:
    project = make_project({"01-a.md": f"# A\n\nText.\n\n![x]({server}/page.html)\n"})
    with pytest.raises(SourceError) as caught:
        pipeline.build(project, (Format.EPUB,), allow_remote=True)
    assert [(d.code, d.location.line) for d in caught.value.diagnostics] == [("remote-fetch", 5)]
