"""``--allow-remote``: images on http(s) fetched once, with limits, into a cache.

Off by default: a build reads nothing from the network unless asked. When it
is asked, only http and https are used, every request has a timeout and a size
limit, and what was fetched is kept under ``build/.cache/remote/`` so the next
build reads the cache and not the network.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from book.output import atomic_file

SUFFIXES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/svg+xml": ".svg",
    "image/webp": ".webp",
}


class RemoteError(Exception):
    """The resource could not be fetched; the message says why."""


@dataclass(frozen=True, slots=True)
class RemoteFetcher:
    """Fetches images for one build."""

    cache: Path
    timeout: float = 10.0
    """Seconds to wait for a connection or for data."""
    max_bytes: int = 20 * 1024 * 1024

    def fetch(self, url: str) -> Path:
        """The cached file for ``url``, fetching it first if needed."""
        if not url.lower().startswith(("http://", "https://")):
            raise RemoteError("only http and https are fetched")
        key = hashlib.sha256(url.encode()).hexdigest()[:32]
        cached = sorted(self.cache.glob(f"{key}.*"))
        if cached:
            return cached[0]
        data, media_type = self._download(url)
        target = self.cache / f"{key}{SUFFIXES[media_type]}"
        with atomic_file(target) as temporary:
            temporary.write_bytes(data)
        return target

    def _download(self, url: str) -> tuple[bytes, str]:
        request = urllib.request.Request(url, headers={"User-Agent": "octavo"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                media_type = response.headers.get_content_type()
                if media_type not in SUFFIXES:
                    raise RemoteError(f"not an image ({media_type})")
                data = response.read(self.max_bytes + 1)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RemoteError(f"cannot fetch: {reason}") from None
        if len(data) > self.max_bytes:
            raise RemoteError(f"larger than {self.max_bytes // (1024 * 1024)} MB")
        return data, media_type
