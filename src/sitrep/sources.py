"""Turn command-line inputs (files, folders, JSONL manifests, http(s) URLs) into raw documents.

Inputs are first listed cheaply (``list_inputs``: nothing is read yet, so a progress bar knows
the total), then read one by one (``read_input``). A problem with one input becomes a
``SkippedInput`` with a reason; it never raises.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlparse

from .clean import MAX_BYTES
from .records import RawDocument, SkippedInput

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MAX_REDIRECTS = 5
URL_TIMEOUT = 20.0  # seconds per connect or read
URL_TOTAL_TIMEOUT = 60.0  # seconds for the whole body: a server that drips bytes is cut off
USER_AGENT = "sitrep/0.1 (+https://github.com/; news-archive ingest)"


@dataclass
class InputSpec:
    """One input to read: a local file or a URL, with what a manifest says about it."""

    source: str
    is_url: bool = False
    id_hint: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None


# -- listing ---------------------------------------------------------------------------------------
def list_inputs(inputs: Iterable[str], manifest: str | None = None) -> list[InputSpec | SkippedInput]:
    """Expand paths, folders, URLs and a manifest into the inputs to read, in a stable order."""
    out: list[InputSpec | SkippedInput] = []
    if manifest:
        out.extend(read_manifest(manifest))
    for item in inputs:
        out.extend(_expand(item))
    return out


def _expand(item: str) -> list[InputSpec | SkippedInput]:
    if is_url(item):
        return [InputSpec(source=item, is_url=True)]
    if "://" in item:
        try:
            scheme = urlparse(item).scheme
        except ValueError as exc:
            return [SkippedInput(item, f"invalid URL: {exc}")]
        if scheme.lower() in ("http", "https"):
            return [SkippedInput(item, "invalid URL: no host")]
        if scheme not in ("", "file"):
            return [SkippedInput(item, f"unsupported URL scheme {scheme!r} (only http and https)")]
    path = Path(item)
    if path.is_dir():
        return _folder(path)
    if path.suffix.lower() == ".jsonl" and path.is_file():
        return list(read_manifest(str(path)))
    if not path.exists():
        return [SkippedInput(item, "no such file or directory")]
    return [InputSpec(source=str(path))]


def _folder(folder: Path) -> list[InputSpec | SkippedInput]:
    """Every file under ``folder`` (recursive, sorted, hidden files and folders ignored)."""
    out: list[InputSpec | SkippedInput] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            out.append(InputSpec(source=str(path)))
        else:
            out.append(SkippedInput(str(path), f"unsupported file type {path.suffix!r} (use .txt or .html)"))
    return out


def read_manifest(manifest: str) -> list[InputSpec | SkippedInput]:
    """Read a JSONL manifest: ``id``, ``path`` (relative to the manifest) or ``url``, ``outlet``,
    ``published``, optional ``title``."""
    path = Path(manifest)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [SkippedInput(manifest, f"cannot read manifest: {exc}")]
    out: list[InputSpec | SkippedInput] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            out.append(_manifest_entry(line, f"{manifest}:{number}", path.parent))
    return out


def _manifest_entry(line: str, where: str, base: Path) -> InputSpec | SkippedInput:
    try:
        entry = json.loads(line)
    except ValueError as exc:
        return SkippedInput(where, f"manifest line is not valid JSON: {exc}")
    if not isinstance(entry, dict):
        return SkippedInput(where, "manifest line is not a JSON object")
    meta = {k: _str_or_none(entry.get(k)) for k in ("id", "outlet", "published", "title")}
    if entry.get("url"):
        source, url = str(entry["url"]), True
    elif entry.get("path"):
        source, url = str((base / str(entry["path"])).resolve()), False
    else:
        return SkippedInput(where, "manifest line has neither 'path' nor 'url'")
    published = meta["published"][:10] if meta["published"] else None
    return InputSpec(source=source, is_url=url, id_hint=meta["id"], outlet=meta["outlet"],
                     published=published, title=meta["title"])


def _str_or_none(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


# -- reading ---------------------------------------------------------------------------------------
def read_input(spec: InputSpec, *, allow_private: bool = False) -> RawDocument | SkippedInput:
    """Read one input; problems come back as a ``SkippedInput`` with the reason."""
    if spec.is_url:
        return fetch_url(spec, allow_private=allow_private)
    return read_file(spec)


def read_file(spec: InputSpec) -> RawDocument | SkippedInput:
    path = Path(spec.source)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return SkippedInput(spec.source, f"file too large ({size / 1e6:.1f} MB; the limit is 5 MB)")
        content = path.read_bytes()
        mtime = time.strftime("%Y-%m-%d", time.gmtime(path.stat().st_mtime))
    except FileNotFoundError:
        return SkippedInput(spec.source, "no such file")
    except IsADirectoryError:
        return SkippedInput(spec.source, "is a directory")
    except OSError as exc:
        return SkippedInput(spec.source, f"unreadable: {exc.strerror or exc}")
    media = "text/html" if path.suffix.lower() in HTML_SUFFIXES else "text/plain"
    return RawDocument(source=spec.source, content=content, id_hint=spec.id_hint or path.stem,
                       outlet=spec.outlet, published=spec.published, title=spec.title,
                       media_type=media, file_date=mtime)


def is_url(text: str) -> bool:
    try:
        parts = urlparse(text)
    except ValueError:  # "http://[::1": an invalid IPv6 literal
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def url_id(url: str) -> str:
    """A stable article id for a URL without a manifest id."""
    return "url-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by hand, so every hop is checked against the address rules."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` is the reason."""


def fetch_url(spec: InputSpec, *, allow_private: bool = False) -> RawDocument | SkippedInput:
    """GET an http(s) URL: timeout, 5 MB cap, at most 5 redirects, no private addresses by default."""
    try:
        final_url, body, headers = _fetch(spec.source, allow_private=allow_private)
    except FetchError as exc:
        return SkippedInput(spec.source, str(exc))
    except ValueError as exc:  # urllib on a malformed URL: port out of range, bad IPv6 literal
        return SkippedInput(spec.source, f"invalid URL: {exc}")
    content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
    media = "text/html" if "html" in content_type else "text/plain"
    return RawDocument(source=spec.source, content=body, id_hint=spec.id_hint or url_id(spec.source),
                       outlet=spec.outlet, published=spec.published, title=spec.title, url=final_url,
                       media_type=media, file_date=_http_date(headers.get("Last-Modified")))


def _fetch(url: str, *, allow_private: bool) -> tuple[str, bytes, dict[str, str]]:
    opener = urllib.request.build_opener(_NoRedirect)
    for _hop in range(MAX_REDIRECTS + 1):
        check_url_allowed(url, allow_private=allow_private)
        headers = {"User-Agent": USER_AGENT, "Accept": "text/html,text/plain"}
        request = urllib.request.Request(url, headers=headers)
        try:
            with opener.open(request, timeout=URL_TIMEOUT) as response:
                return url, _read_capped(response), dict(response.headers.items())
        except urllib.error.HTTPError as exc:
            location = exc.headers.get("Location") if exc.code in (301, 302, 303, 307, 308) else None
            exc.close()
            if not location:
                raise FetchError(f"HTTP error {exc.code} {exc.reason}") from exc
            url = urljoin(url, location)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FetchError(f"unreachable: {reason}") from exc
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")


def _read_capped(response: object) -> bytes:
    length = response.headers.get("Content-Length")  # type: ignore[attr-defined]
    if length and length.isdigit() and int(length) > MAX_BYTES:
        raise FetchError(f"response too large ({int(length) / 1e6:.1f} MB; the limit is 5 MB)")
    deadline = time.monotonic() + URL_TOTAL_TIMEOUT
    parts: list[bytes] = []
    size = 0
    while True:
        chunk: bytes = response.read1(65536) if hasattr(response, "read1") else response.read(65536)  # type: ignore[attr-defined]
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError("response too large (over the 5 MB limit)")
        if time.monotonic() > deadline:
            raise FetchError(f"too slow: the body took over {URL_TOTAL_TIMEOUT:.0f} s")


def check_url_allowed(url: str, *, allow_private: bool = False) -> None:
    """Raise ``FetchError`` for non-http(s) URLs and, unless allowed, loopback/private/link-local hosts."""
    parts = urlparse(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"unsupported URL scheme {parts.scheme!r} (only http and https)")
    if not parts.hostname:
        raise FetchError("URL has no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"unreachable: cannot resolve {parts.hostname}") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            raise FetchError(
                f"refused: {parts.hostname} is a private, loopback or link-local address ({address}); "
                "pass --allow-private to fetch it"
            )


def _http_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None
