"""Turn command-line inputs (files, folders, JSONL manifests, http(s) URLs) into raw documents.

Inputs are first listed cheaply (``list_inputs``: nothing is read yet, so a progress bar knows
the total), then read one by one (``read_input``). A problem with one input becomes a
``SkippedInput`` with a reason; it never raises.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import json
import socket
import stat
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlparse

from .clean import MAX_BYTES
from .metadata import parse_published
from .records import RawDocument, SkippedInput

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MAX_REDIRECTS = 5
URL_TIMEOUT = 20.0  # seconds per connect or read
URL_TOTAL_TIMEOUT = 60.0  # seconds for the whole fetch, headers included: a server that drips bytes is cut off
OUTSIDE_HINT = "pass --allow-outside-paths to read files outside it"
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
    url: str | None = None  # the article's address when a local copy (``source``) is read instead
    manifest: str | None = None  # the manifest that listed it


# -- listing ---------------------------------------------------------------------------------------
def list_inputs(inputs: Iterable[str], manifest: str | None = None, *,
                allow_outside: bool = False) -> list[InputSpec | SkippedInput]:
    """Expand paths, folders, URLs and a manifest into the inputs to read, in a stable order.

    A manifest's paths and a folder's symlinks must stay inside the manifest's or the folder's own
    folder unless ``allow_outside``."""
    out: list[InputSpec | SkippedInput] = []
    if manifest:
        out.extend(read_manifest(manifest, allow_outside=allow_outside))
    for item in inputs:
        out.extend(_expand(item, allow_outside))
    return out


def _expand(item: str, allow_outside: bool) -> list[InputSpec | SkippedInput]:
    if "\x00" in item:
        return [SkippedInput(repr(item), "the path contains a NUL byte")]
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
    try:
        if path.is_dir():
            return _folder(path, allow_outside)
        if path.suffix.lower() == ".jsonl" and path.is_file():
            return list(read_manifest(str(path), allow_outside=allow_outside))
        if not path.exists():
            return [SkippedInput(item, "no such file or directory")]
    except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long
        return [SkippedInput(item, f"unreadable path: {exc}")]
    return [InputSpec(source=str(path))]


def _folder(folder: Path, allow_outside: bool) -> list[InputSpec | SkippedInput]:
    """Every file under ``folder`` (recursive, sorted, hidden files and folders ignored).

    A ``.jsonl`` file in the folder is a manifest: the files it lists are read with its metadata and
    not a second time as plain files."""
    files = [p for p in sorted(folder.rglob("*"))
             if not any(part.startswith(".") for part in p.relative_to(folder).parts) and _is_file(p)]
    out: list[InputSpec | SkippedInput] = []
    for manifest in (p for p in files if p.suffix.lower() == ".jsonl"):
        out.extend(read_manifest(str(manifest), allow_outside=allow_outside))
    listed = {spec.source for spec in out if isinstance(spec, InputSpec)}
    root = folder.resolve()
    unsupported: dict[str, int] = {}
    for path in files:
        suffix, resolved = path.suffix.lower(), _resolved(path)
        if suffix == ".jsonl" or resolved in listed:
            continue
        if not allow_outside and not Path(resolved).is_relative_to(root):
            out.append(SkippedInput(str(path), f"a symlink to a file outside {folder} ({OUTSIDE_HINT})"))
        elif suffix in SUPPORTED_SUFFIXES:
            out.append(InputSpec(source=str(path)))
        else:
            unsupported[suffix] = unsupported.get(suffix, 0) + 1
    for suffix, count in sorted(unsupported.items()):  # one line per file type, not one per file
        out.append(SkippedInput(f"{folder}/**/*{suffix} ({count} file{'s' if count > 1 else ''})",
                                f"unsupported file type {suffix!r} (use .txt, .html or a .jsonl manifest)"))
    return out


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, RuntimeError):
        return False


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path)


def read_manifest(manifest: str, *, allow_outside: bool = False) -> list[InputSpec | SkippedInput]:
    """Read a JSONL manifest: ``id``, ``path`` (relative to the manifest) and/or ``url``, ``outlet``,
    ``published``, optional ``title``. A ``path`` is read when given (the ``url`` is then kept as the
    article's address); a ``url`` alone is fetched."""
    path = Path(manifest)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [SkippedInput(manifest, f"cannot read manifest: {exc}")]
    out: list[InputSpec | SkippedInput] = []
    base = Path(_resolved(path.parent))
    for number, line in enumerate(text.split("\n"), start=1):  # JSON's U+2028 is not a line break
        if line.strip():
            entry = _manifest_entry(line, f"{manifest}:{number}", base, allow_outside)
            if isinstance(entry, InputSpec):
                entry.manifest = manifest
            out.append(entry)
    return out


def _manifest_entry(line: str, where: str, base: Path, allow_outside: bool) -> InputSpec | SkippedInput:
    try:
        entry = json.loads(line)
    except ValueError as exc:
        return SkippedInput(where, f"manifest line is not valid JSON: {exc}")
    if not isinstance(entry, dict):
        return SkippedInput(where, "manifest line is not a JSON object")
    meta = {k: _str_or_none(entry.get(k)) for k in ("id", "outlet", "published", "title", "url", "path")}
    try:
        published = parse_published(meta["published"]) if meta["published"] else None
    except ValueError as exc:
        return SkippedInput(where, f"'published': {exc}")
    spec = InputSpec(source="", id_hint=meta["id"], outlet=meta["outlet"], published=published,
                     title=meta["title"], url=meta["url"])
    if meta["path"]:
        return _manifest_path(meta["path"], where, base, allow_outside, spec)
    if meta["url"]:
        spec.source, spec.is_url, spec.url = meta["url"], True, None
        return spec
    return SkippedInput(where, "manifest line has neither 'path' nor 'url'")


def _manifest_path(relative: str, where: str, base: Path, allow_outside: bool,
                   spec: InputSpec) -> InputSpec | SkippedInput:
    if "\x00" in relative:
        return SkippedInput(where, "'path' contains a NUL byte")
    try:
        resolved = (base / relative).resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        return SkippedInput(where, f"'path' cannot be resolved: {exc}")
    if not allow_outside and not resolved.is_relative_to(base):
        return SkippedInput(where, f"'path' {relative!r} is outside the manifest's folder ({OUTSIDE_HINT})")
    spec.source = str(resolved)
    return spec


def _str_or_none(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


# -- reading ---------------------------------------------------------------------------------------
def read_input(spec: InputSpec, *, allow_private: bool = False) -> RawDocument | SkippedInput:
    """Read one input; problems come back as a ``SkippedInput`` with the reason."""
    if spec.is_url:
        return fetch_url(spec, allow_private=allow_private)
    return read_file(spec)


def read_file(spec: InputSpec) -> RawDocument | SkippedInput:
    """Read a regular file of at most 5 MB (devices, FIFOs and sockets are refused, never opened)."""
    path = Path(spec.source)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return SkippedInput(spec.source, "is a directory")
        if not stat.S_ISREG(info.st_mode):
            return SkippedInput(spec.source, "not a regular file (a device, FIFO or socket)")
        if info.st_size > MAX_BYTES:
            return SkippedInput(spec.source, f"file too large ({info.st_size / 1e6:.1f} MB; the limit is 5 MB)")
        content = path.read_bytes()
    except FileNotFoundError:
        return SkippedInput(spec.source, "no such file")
    except (OSError, RuntimeError, ValueError) as exc:  # permissions, symlink loops, NUL bytes
        return SkippedInput(spec.source, f"unreadable: {getattr(exc, 'strerror', None) or exc}")
    media = "text/html" if path.suffix.lower() in HTML_SUFFIXES else "text/plain"
    return RawDocument(source=spec.source, content=content, id_hint=spec.id_hint or path.stem,
                       outlet=spec.outlet, published=spec.published, title=spec.title, url=spec.url,
                       media_type=media)


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
    """GET an http(s) URL: one deadline for the whole fetch, 5 MB cap, at most 5 redirects, no private
    addresses by default. Every failure, a malformed response too, is this input's skip reason."""
    try:
        final_url, body, headers = _fetch_with_deadline(spec.source, allow_private=allow_private)
    except FetchError as exc:
        return SkippedInput(spec.source, str(exc))
    except http.client.InvalidURL as exc:
        return SkippedInput(spec.source, f"invalid URL: {exc}")
    except http.client.HTTPException as exc:  # bad status line, too many or too long headers, bad chunks
        return SkippedInput(spec.source, f"malformed HTTP response: {type(exc).__name__}: {exc}"[:300])
    except ValueError as exc:  # urllib on a malformed URL: port out of range, bad IPv6 literal
        return SkippedInput(spec.source, f"invalid URL: {exc}")
    except Exception as exc:  # anything else one server can provoke stays that input's problem
        return SkippedInput(spec.source, f"fetch failed: {type(exc).__name__}: {exc}"[:300])
    content_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
    media = "text/html" if "html" in content_type else "text/plain"
    return RawDocument(source=spec.source, content=body, id_hint=spec.id_hint or url_id(spec.source),
                       outlet=spec.outlet, published=spec.published, title=spec.title, url=final_url,
                       media_type=media, file_date=_http_date(headers.get("Last-Modified")))


def _fetch_with_deadline(url: str, *, allow_private: bool) -> tuple[str, bytes, dict[str, str]]:
    """``_fetch`` in a helper thread, abandoned after ``URL_TOTAL_TIMEOUT`` seconds: a server that drips
    its status line or headers one byte at a time cannot hold the run."""
    outcome: list[tuple[str, bytes, dict[str, str]] | BaseException] = []

    def work() -> None:
        try:
            outcome.append(_fetch(url, allow_private=allow_private))
        except Exception as exc:  # handed to the caller, which turns it into a skip reason
            outcome.append(exc)

    worker = threading.Thread(target=work, name="sitrep-fetch", daemon=True)
    worker.start()
    worker.join(URL_TOTAL_TIMEOUT)
    if not outcome:
        raise FetchError(f"too slow: no complete response within {URL_TOTAL_TIMEOUT:.0f} s")
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


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
            if length and length.isdigit() and size < int(length):
                raise FetchError(f"truncated response: {size:,} of {int(length):,} bytes (try again later)")
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
        if not _is_public(address):
            raise FetchError(
                f"refused: {parts.hostname} is a private, loopback or link-local address ({address}); "
                "pass --allow-private to fetch it"
            )


_EMBEDDING_NETS = (ipaddress.ip_network("::/96"), ipaddress.ip_network("64:ff9b::/96"),
                   ipaddress.ip_network("64:ff9b:1::/48"))


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A global unicast address, also when an IPv6 address carries an IPv4 one inside it (mapped,
    compatible, NAT64, 6to4, Teredo): "[::127.0.0.1]" is loopback."""
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = [address.ipv4_mapped, address.sixtofour, address.teredo[1] if address.teredo else None]
        if any(address in net for net in _EMBEDDING_NETS):
            embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return all(_is_public(v4) for v4 in embedded if v4 is not None)
    return True


def _http_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None
