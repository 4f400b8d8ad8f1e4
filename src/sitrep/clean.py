"""Turn raw bytes into clean article text: decode, strip HTML, remove scraped page furniture.

The cleaned text is what every later stage reads and what evidence offsets point into, so
cleaning is deterministic: the same input always gives the same text. Each paragraph (and each
section subhead) ends up on its own line. The junk patterns live in ``data/junk_patterns.json``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

MAX_BYTES = 5 * 1024 * 1024
#: longest cleaned text extracted (spaCy's own limit is 1,000,000 characters; no news article is near it)
MAX_TEXT_CHARS = 1_000_000
_CONTROL_SHARE_LIMIT = 0.02
_SHORT_SEGMENT_WORDS = 6
_NAV_RUN = 3


class UnreadableInput(ValueError):
    """Input that cannot become an article (empty, binary, undecodable); ``str()`` is the reason."""


# -- decoding --------------------------------------------------------------------------------------
_DOCUMENT_MAGIC = ((b"%PDF-", "a PDF document (e.g. pdftotext makes text of it)"),
                   (b"PK\x03\x04", "a ZIP archive or office document"), (b"\x1f\x8b", "a gzip archive"),
                   (b"{\\rtf", "an RTF document"))


def decode_bytes(data: bytes) -> str:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, then cp1252 / latin-1."""
    if not data.strip():
        raise UnreadableInput("empty file")
    for magic, kind in _DOCUMENT_MAGIC:
        if data.lstrip()[:len(magic)] == magic:
            raise UnreadableInput(f"{kind}: sitrep reads text and HTML; convert it to text first")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if b"\x00" not in data[2:]:  # a UTF-16 BOM before 8-bit text: the BOM lies
            data = data[2:]
        else:
            try:
                return _check_text(data.decode("utf-16"))
            except UnicodeDecodeError as exc:
                raise UnreadableInput("undecodable UTF-16 text") from exc
    if b"\x00" in data:
        raise UnreadableInput("binary content (NUL bytes)")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):  # a few broken bytes in a UTF-8 file do not make it cp1252
        return _check_text(data.decode("utf-8", errors="replace"))
    for encoding in ("cp1252", "latin-1"):
        try:
            return _check_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise UnreadableInput("undecodable text")  # pragma: no cover - latin-1 decodes any byte


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8(data: bytes) -> bool:
    """Valid multi-byte UTF-8 sequences outnumber the bytes that are not part of one (at least 4 to 1)."""
    high = sum(1 for b in data if b >= 0x80)
    valid = sum(len(m) for m in _UTF8_SEQUENCE.findall(data))
    return valid > 0 and (high - valid) * 4 <= valid


_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # Unicode category Cc but tab, newlines, \f, \v


def terminal_safe(value: str) -> str:
    """Text as it may reach a terminal: control characters (escape sequences) made visible."""
    return _CONTROLS.sub("\N{REPLACEMENT CHARACTER}", value)


def _check_text(text: str) -> str:
    """Refuse text that is mostly control characters (a binary file that decoded by accident)."""
    if not text.strip():
        raise UnreadableInput("empty file")
    controls = len(_CONTROLS.findall(text))
    if controls / len(text) > _CONTROL_SHARE_LIMIT:
        raise UnreadableInput("binary content (control characters)")
    return text


def looks_like_html(text: str) -> bool:
    """True for documents that start like an HTML page."""
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")):
        return True
    return "<html" in head and "<body" in text.lower()


# -- HTML ------------------------------------------------------------------------------------------
def html_to_text(html: str) -> str:
    """Main text of an HTML page (trafilatura), then the flattened-text cleaner."""
    import trafilatura

    try:
        extracted = trafilatura.extract(
            html, output_format="txt", include_comments=False, include_tables=False,
            include_images=False, include_links=False, deduplicate=False, with_metadata=False,
        )
    except ValueError:  # lxml: "All strings must be XML compatible" on some control characters
        extracted = None
    if not extracted:
        extracted = _plain_html_text(html)
    return clean_text(extracted)


def _plain_html_text(html: str) -> str:
    """Fallback when trafilatura finds no main text: all visible text of the body, one line per block."""
    from lxml import html as lxml_html

    try:  # huge_tree: libxml2 otherwise drops everything nested deeper than 256 elements
        tree = lxml_html.fromstring(html, parser=lxml_html.HTMLParser(huge_tree=True))
    except (ValueError, TypeError, Exception):  # lxml raises ParserError / XMLSyntaxError subclasses
        return _tags_stripped(html)
    try:
        for bad in tree.xpath("//script|//style|//noscript|//nav|//footer|//header"):
            bad.drop_tree()
        blocks = [el.text_content() for el in tree.xpath("//p|//h1|//h2|//h3|//li|//blockquote")]
    except ValueError:  # lxml refuses some control characters while walking the tree
        return _tags_stripped(html)
    text = "\n".join(b.strip() for b in blocks if b.strip())
    return text or _tags_stripped(html)


def _tags_stripped(html: str) -> str:
    """The last resort: scripts and styles dropped, every tag a line break."""
    html = re.sub(r"(?is)<(script|style|noscript)\b.*?</\1\s*>", " ", html)
    lines = (" ".join(line.split()) for line in re.split(r"<[^>]*>", html))
    return "\n".join(line for line in lines if line)


# -- patterns --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class JunkPatterns:
    """Compiled patterns from ``data/junk_patterns.json``."""

    inline_blocks: re.Pattern[str]
    date_stamps: re.Pattern[str]
    leading_date: re.Pattern[str]
    caption_credit: re.Pattern[str]
    junk_lines: list[re.Pattern[str]]
    promo_paragraph: re.Pattern[str]
    junk_segments: re.Pattern[str]
    nav_words: frozenset[str]
    title_separators: tuple[str, ...]
    camel_prefixes: frozenset[str]
    camel_words: frozenset[str]


@lru_cache(maxsize=1)
def load_junk_data() -> dict[str, Any]:
    """The raw JSON of the junk pattern file (read once; do not modify the result)."""
    text = resources.files("sitrep").joinpath("data/junk_patterns.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def patterns() -> JunkPatterns:
    """The junk patterns, compiled once."""
    d = load_junk_data()
    flags = re.IGNORECASE
    nav_words = frozenset(w for phrase in d["nav_words"] for w in phrase.lower().split())
    return JunkPatterns(
        inline_blocks=re.compile("|".join(f"(?:{p})" for p in d["inline_blocks"]), flags),
        date_stamps=re.compile("|".join(f"(?:{p})" for p in d["date_stamps"]), flags),
        leading_date=re.compile(d["leading_date"], flags),
        caption_credit=re.compile(d["caption_credit"], flags),
        junk_lines=[re.compile(p, flags) for p in d["junk_lines"]],
        promo_paragraph=re.compile(d["promo_paragraph"], flags),
        junk_segments=re.compile("|".join(f"(?:{p})" for p in d["junk_segments"]), flags),
        nav_words=nav_words,
        title_separators=tuple(d["title_separators"]),
        camel_prefixes=frozenset(d["camel_prefixes"]),
        camel_words=frozenset(w.lower() for w in d["camel_words"]),
    )


# -- the flattened-text cleaner --------------------------------------------------------------------
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: a place where two page elements were glued together without a space
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[a-z0-9%][.!?])(?=[A-Z])|(?<=[’”\]\)])(?=[A-Z])")
_TOKEN = re.compile(r"[\w’'-]+")
_SENTENCE_END = re.compile(r"[.!?…][\"'’”)\]]*$")
_WRAP_LINE_MIN = 55
_WRAP_LINE_MAX = 100


def clean_text(text: str, *, title: str | None = None) -> str:
    """Clean already-flattened article text; returns one paragraph per line."""
    p = patterns()
    lines = p.leading_date.sub("", _normalise(text).lstrip(), count=1).split("\n")
    lines = _unwrap_hard_wraps(lines)
    out: list[str] = []
    for line in lines:
        line = _cut_inline_blocks(line, p)
        line = p.date_stamps.sub("\n", line)
        for piece in line.split("\n"):
            out.extend(_split_glued(piece.strip(), p))
    out = _strip_page_title(out, p)
    kept = [ln for ln in out if ln and not _is_junk_line(ln, p)]
    return "\n".join(_dedupe(kept))


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    return "\n".join(_SPACES.sub(" ", ln).strip() for ln in text.split("\n"))


def _unwrap_hard_wraps(lines: list[str]) -> list[str]:
    """Join hard-wrapped paragraphs (text wrapped at a fixed width); keep blank-line blocks apart."""
    filled = [ln for ln in lines if ln]
    wrapped = [ln for ln in filled if _WRAP_LINE_MIN <= len(ln) <= _WRAP_LINE_MAX]
    if len(filled) < 4 or len(wrapped) < 0.5 * len(filled) or max(map(len, filled)) > _WRAP_LINE_MAX + 20:
        return lines
    width = max(map(len, filled))
    out: list[str] = []
    joinable = False
    for ln in lines:
        if ln and joinable and out:
            out[-1] = f"{out[-1]} {ln}"
        else:
            out.append(ln)
        joinable = bool(ln) and len(ln) >= 0.6 * width
    return out


def _cut_inline_blocks(line: str, p: JunkPatterns) -> str:
    return p.inline_blocks.sub(lambda m: _block_gap(m, line), line)


def _block_gap(match: re.Match[str], line: str) -> str:
    """What replaces a removed inline block: a line break between sentences, else a space."""
    before = line[: match.start()].rstrip()
    after = line[match.end():].lstrip()
    if not before or not after:
        return "\n"
    return "\n" if _SENTENCE_END.search(before) or after[:1].isupper() else " "


def _split_glued(line: str, p: JunkPatterns) -> list[str]:
    """Split a line of glued page elements; drop navigation runs and junk, keep the article parts."""
    if not _is_glued(line, p):
        return [line]
    cuts = [0, *_glue_points(line, p), len(line)]
    segments = [(cuts[i], line[cuts[i]:cuts[i + 1]]) for i in range(len(cuts) - 1) if cuts[i] < cuts[i + 1]]
    junk = [_is_junk_segment(seg.strip(), p) for _, seg in segments]
    short = [j or _is_short_segment(seg.strip()) for (_, seg), j in zip(segments, junk, strict=True)]
    drop = list(junk)
    i = 0
    while i < len(segments):
        j = i
        while j < len(segments) and short[j]:
            j += 1
        if j - i >= _NAV_RUN or (j > i and (i == 0 or j == len(segments)) and any(junk[i:j])):
            drop[i:j] = [True] * (j - i)
        i = max(j, i + 1)
    _drop_stranded_labels(segments, drop)
    return _reassemble(line, segments, drop)


def _drop_stranded_labels(segments: list[tuple[int, str]], drop: list[bool]) -> None:
    """A label (no sentence end) between two dropped elements is menu text too."""
    for idx, (_, seg) in enumerate(segments):
        if drop[idx] or _SENTENCE_END.search(seg.strip()):
            continue
        before = idx == 0 or drop[idx - 1]
        after = idx == len(segments) - 1 or drop[idx + 1]
        if before and after:
            drop[idx] = True


def _glue_points(line: str, p: JunkPatterns) -> list[int]:
    """Offsets where two page elements were glued, leaving names like McAllen or WhatsApp whole."""
    return [m.start() for m in _GLUE.finditer(line) if not _inside_camel_word(line, m.start(), p)]


def _inside_camel_word(line: str, at: int, p: JunkPatterns) -> bool:
    if not line[at - 1].islower():
        return False
    start = line.rfind(" ", 0, at) + 1
    end = line.find(" ", at)
    token = _TOKEN.search(line[start:end if end >= 0 else len(line)])
    if token is None:
        return False
    left = line[start:at].split("-")[-1].lstrip("(\"'‘“")
    return left in p.camel_prefixes or token.group().lower() in p.camel_words


def _is_glued(line: str, p: JunkPatterns) -> bool:
    camel = sum(1 for at in _glue_points(line, p) if line[at - 1].islower())
    return camel >= 4 or (camel >= 2 and p.junk_segments.search(line) is not None)


def _is_junk_segment(segment: str, p: JunkPatterns) -> bool:
    return (not segment or p.junk_segments.search(segment) is not None
            or p.caption_credit.search(segment) is not None)


def _is_short_segment(segment: str) -> bool:
    words = segment.split()
    return len(words) <= _SHORT_SEGMENT_WORDS and not re.search(r"[.!][\"'’”)\]]*$", segment)


def _reassemble(line: str, segments: list[tuple[int, str]], drop: list[bool]) -> list[str]:
    pieces: list[str] = []
    prev_kept = False
    for idx, (start, seg) in enumerate(segments):
        if drop[idx]:
            prev_kept = False
            continue
        if pieces and prev_kept and _rejoin(line, start, pieces[-1], seg):
            pieces[-1] += seg
        else:
            pieces.append(seg)
        prev_kept = True
    return [piece.strip() for piece in pieces if piece.strip()]


def _rejoin(line: str, start: int, left: str, right: str) -> bool:
    """Undo a split inside a word (``McDonald``) but not between two page elements."""
    if not (line[start - 1].islower() and line[start].isupper()):
        return False
    return len(left.split()) < 3 or len(right.split()) < 3


def _strip_page_title(lines: list[str], p: JunkPatterns) -> list[str]:
    """Turn a leading "Title | Section | Outlet" page title into just the title."""
    for idx, line in enumerate(lines[:3]):
        if not line:
            continue
        lines = list(lines)
        lines[idx] = strip_title_suffix(line, p.title_separators)
        break
    return lines


def strip_title_suffix(title: str, separators: tuple[str, ...] | None = None) -> str:
    """"Title | Section | Outlet" -> "Title"; "Title - Outlet" -> "Title" when the tail is short."""
    separators = separators or patterns().title_separators
    if " | " in title:
        head = title.split(" | ")[0].strip()
        return head if len(head) >= 10 else title
    for sep in separators:
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if len(tail.split()) <= 4 and tail[:1].isupper() and len(head) >= 10 and not tail.endswith("."):
                return head.strip()
    return title


_BYLINE = re.compile(r"^\s*by\s+[A-Z]|\bmore (?:by|from) this (?:author|writer)\b|\bstaff (?:reporter|writer)\b",
                     re.IGNORECASE)


def is_headline(title: str) -> bool:
    """A title is a headline: not a byline ("By XINHUA More by this Author") nor a run of navigation
    ("Home News World Africa ...")."""
    if _BYLINE.search(title):
        return False
    p = patterns()
    if _is_menu_line(title, p):
        return False
    words = re.findall(r"[A-Za-z&]+", title)
    nav = [w for w in words if w[0].isupper() and w.lower() in p.nav_words]
    return not ("home" in (w.lower() for w in nav) and len(nav) >= 2)


def _is_junk_line(line: str, p: JunkPatterns) -> bool:
    """Whole-line furniture: menus, share bars, newsletter prompts, footers, captions."""
    if len(line) <= 300 and any(rx.fullmatch(line) for rx in p.junk_lines):
        return True
    if len(line) <= 300 and p.caption_credit.search(line):
        return True
    if _is_menu_line(line, p):
        return True
    return _is_promo_paragraph(line, p)


def _is_menu_line(line: str, p: JunkPatterns) -> bool:
    if _SENTENCE_END.search(line):
        return False
    items = [i.strip() for i in re.split(r"\s*[|•·»]\s*", line) if i.strip()]
    if len(items) >= 3 and all(len(i.split()) <= 4 for i in items):
        return True
    words = re.findall(r"[a-z&]+", line.lower())
    return len(words) >= 3 and sum(w in p.nav_words for w in words) / len(words) >= 0.7


def _is_promo_paragraph(line: str, p: JunkPatterns) -> bool:
    if not p.promo_paragraph.search(line):
        return False
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", line) if s]
    return len(sentences) <= 3 and len(line) <= 500


def _dedupe(lines: list[str]) -> list[str]:
    """Drop exact repeats of a line (scrapers often repeat titles and standfirsts)."""
    seen: set[str] = set()
    out = []
    for line in lines:
        if line in seen:
            continue
        seen.add(line)
        out.append(line)
    return out
