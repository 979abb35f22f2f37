"""``book serve``: the HTML edition on localhost, rebuilt and reloaded after every edit.

The server is the standard library's ThreadingHTTPServer. A preview serves
one person's browser on the loopback interface and needs two things: files
(GET and HEAD) and one streamed response for server-sent events. A web
framework or ASGI server would add dependencies for neither; and server-sent
events, unlike a websocket, need no protocol code on either side (the browser's
``EventSource`` reconnects by itself).

Routes: ``/__octavo/events`` streams the build Status as JSON events;
``/__octavo/live.js`` is the script added to each served page (before
``</body>``, in the response only: the built files are untouched);
``/book.pdf`` is the newest complete PDF with ``--pdf``; everything else is a
file of the current site, resolved so that nothing outside it is served.
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import secrets
import signal
import socket
import socketserver
import tempfile
import threading
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from types import FrameType
from urllib.parse import unquote, urlsplit

from book.diagnostics import logger
from book.errors import BookError, ConfigError
from book.serve.preview import PDF_THREAD, Preview
from book.serve.rebuild import QUIET_PERIOD, Board, Status, Worker
from book.serve.watch import ProjectWatcher
from book.source.config import CONFIG_NAME, load_config

EVENTS = "/__octavo/events"
SCRIPT = "/__octavo/live.js"
PDF = "/book.pdf"
KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream (finds closed tabs)."""
LIVE_JS = (resources.files("book") / "theme" / "live.js").read_bytes()
PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """The options of ``book serve``."""

    host: str = "127.0.0.1"
    port: int = 0
    """0: a free port, chosen by the system."""
    open_browser: bool = False
    pdf: bool = False
    """Also build the PDF after each good build, served at /book.pdf."""
    debug: bool = False


def serve(project: Path, options: ServeOptions, echo: Callable[[str], None]) -> None:
    """Build, serve and rebuild the book in ``project`` until Ctrl-C (or SIGTERM)."""
    title = _title(project)
    try:
        with ExitStack() as stack, _interrupted_by_sigterm():
            server = _start(stack, project, options, echo)
            url = _url(server)
            echo(f"Serving {title} at {url} (Ctrl-C to stop)")
            if not _is_loopback(options.host):
                echo(f"warning: listening on {options.host}: other computers can read the book")
            if options.open_browser:
                webbrowser.open(url)
            server.serve_forever()
    except KeyboardInterrupt:
        echo("stopped")


def _start(
    stack: ExitStack, project: Path, options: ServeOptions, echo: Callable[[str], None]
) -> PreviewServer:
    """Listen, watch, build once, start the workers; ``stack`` stops them all."""
    workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="octavo-serve-")))
    board = Board(secrets.token_hex(4))
    preview = Preview(project, workdir, board, echo, options.debug)
    stack.enter_context(_filtered(preview))
    server = _listen(options, preview, board)
    stack.callback(server.server_close)
    html_worker = Worker("octavo-html", preview.build_site, QUIET_PERIOD)
    watcher = ProjectWatcher(project, lambda _path: html_worker.request())
    watcher.start()
    stack.callback(watcher.stop)
    preview.build_site()  # the first build, before the address is printed
    _run_worker(stack, html_worker)
    if options.pdf:
        pdf_worker = Worker(PDF_THREAD, preview.build_pdf)
        preview.after_site = pdf_worker.request
        _run_worker(stack, pdf_worker)
        if board.status.site:
            pdf_worker.request()
    # First of all when stopping: end the event streams, and let a build still
    # running (a PDF) fail silently as the work directory goes.
    stack.callback(board.close)
    stack.callback(preview.stopping.set)
    return server


def resolve_under(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` that ``url_path`` names; None if none or outside ``root``.

    Percent-escapes are decoded first and symbolic links followed, so neither
    ``/../`` nor ``%2e%2e`` nor a link pointing elsewhere leaves ``root``.
    """
    relative = unquote(url_path).lstrip("/")
    if "\x00" in relative:
        return None
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def inject_live_script(page: bytes, status: Status) -> bytes:
    """``page`` with the live-preview script before its ``</body>`` (or at its end).

    The script learns which build the page comes from, to reload after a newer one.
    """
    session = html.escape(status.session)
    tag = f'<script src="{SCRIPT}" data-site="{status.site}" data-session="{session}"></script>'
    tag_bytes = tag.encode()
    end = page.lower().rfind(b"</body>")
    return page + tag_bytes if end < 0 else page[:end] + tag_bytes + page[end:]


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server, knowing what it serves."""

    daemon_threads = True  # open event streams do not delay the exit

    def __init__(self, address: tuple[str, int], preview: Preview, board: Board, pdf: bool):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.preview = preview
        self.board = board
        self.pdf = pdf
        super().__init__(address, PreviewHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's name (DNS); a preview needs no name.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]


class PreviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD: site files with the live script, the event stream, the PDF."""

    server: PreviewServer
    server_version = "octavo"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is for the book's diagnostics, not for each request

    def _respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS and not head:
            self._stream_events()
        elif path == SCRIPT:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_JS, head)
        elif path == PDF and self.server.pdf:
            self._send_pdf(head)
        else:
            self._send_site_file(path, head)

    def _send_site_file(self, path: str, head: bool) -> None:
        status = self.server.board.status
        site = self.server.preview.site(status.site)
        if site is None:
            self._send_page(HTTPStatus.OK, "The book has not built yet.", status, head)
            return
        target = resolve_under(site, path)
        try:
            data = target.read_bytes() if target else None
        except OSError:
            data = None
        if target is None or data is None:
            self._send_page(HTTPStatus.NOT_FOUND, f"Not found: {path}", status, head)
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if target.suffix in PAGE_SUFFIXES:
            data, kind = inject_live_script(data, status), "text/html; charset=utf-8"
        elif kind.startswith("text/") or kind.endswith(("+xml", "javascript")):
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, kind, data, head)

    def _send_pdf(self, head: bool) -> None:
        pdf = self.server.preview.pdf
        try:
            data = pdf.read_bytes() if pdf else None  # one complete file: replaced, never rewritten
        except OSError:
            data = None
        if data is None:
            message = b"The PDF is being built; try again in a moment.\n"
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", message, head)
            return
        self._send(HTTPStatus.OK, "application/pdf", data, head)

    def _send_page(self, code: HTTPStatus, message: str, status: Status, head: bool) -> None:
        """A small page of our own, with the live script (it reloads after the next build)."""
        title = html.escape(message)
        page = f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title></head>'
        page += f"<body><p>{title}</p></body></html>\n"
        self._send(
            code, "text/html; charset=utf-8", inject_live_script(page.encode(), status), head
        )

    def _send(self, code: HTTPStatus, kind: str, data: bytes, head: bool) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _stream_events(self) -> None:
        """Server-sent events: the current Status, then each new one, until the tab closes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        board = self.server.board
        status = board.status
        try:
            self.wfile.write(b"retry: 1000\n" + _event(status))
            while not board.closed:
                newer = board.wait_after(status, KEEPALIVE)
                if newer is None:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    status = newer
                    self.wfile.write(_event(status))
        except OSError:
            pass  # the tab was closed


def _event(status: Status) -> bytes:
    return f"event: status\ndata: {json.dumps(status.as_json())}\n\n".encode()


def _title(project: Path) -> str:
    """The book's title; a project without book.toml is an error, a broken one is served."""
    try:
        return load_config(project).metadata.title
    except ConfigError:
        if not (project / CONFIG_NAME).is_file():
            raise
        return project.resolve().name


def _listen(options: ServeOptions, preview: Preview, board: Board) -> PreviewServer:
    try:
        return PreviewServer((options.host, options.port), preview, board, options.pdf)
    except OSError as exc:
        message = exc.strerror or str(exc)
        raise BookError(
            f"error: cannot listen on {options.host}:{options.port}: {message}"
        ) from None


def _run_worker(stack: ExitStack, worker: Worker) -> None:
    worker.start()
    stack.callback(worker.stop)


def _url(server: PreviewServer) -> str:
    host, port = str(server.server_address[0]), server.server_address[1]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextmanager
def _filtered(preview: Preview) -> Iterator[None]:
    """The PDF build does not print again the warnings the HTML build printed."""
    book_logger = logger
    book_logger.addFilter(preview.warnings)
    try:
        yield
    finally:
        book_logger.removeFilter(preview.warnings)


@contextmanager
def _interrupted_by_sigterm() -> Iterator[None]:
    """SIGTERM stops the server as Ctrl-C does (cleanly), when we may set handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
