"""From one raw input to an ``Article``: decode, clean, read metadata, detect the language, give it an id.

Both ingest paths (``ingest`` one article at a time, ``scale`` in batches, on workers) build articles
and choose their ids here, so they agree.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .clean import (
    MAX_TEXT_CHARS,
    UnreadableInput,
    clean_text,
    decode_bytes,
    html_to_text,
    looks_like_html,
)
from .language import detect_language
from .metadata import Metadata, html_metadata, text_metadata
from .records import Article, RawDocument


def build_article(raw: RawDocument) -> Article:
    """Decode, clean, read metadata and detect language; raises ``UnreadableInput``."""
    text = decode_bytes(raw.content)
    if raw.media_type == "text/html" or looks_like_html(text):
        cleaned = html_to_text(text)
        found = html_metadata(text, url=raw.url).fill_from(text_metadata(cleaned, cleaned,
                                                                         file_date=raw.file_date, url=raw.url))
    else:
        cleaned = clean_text(text)
        found = text_metadata(text, cleaned, file_date=raw.file_date, url=raw.url)
    if not cleaned.strip():
        raise UnreadableInput("no article text found")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise UnreadableInput(f"article text too long ({len(cleaned):,} characters; the limit is {MAX_TEXT_CHARS:,})")
    meta = Metadata(raw.title, raw.outlet, raw.published, False).fill_from(found)
    language = detect_language(cleaned)
    return Article(
        id=base_id(raw),
        text=cleaned,
        raw=text,
        content_hash=hashlib.sha256(cleaned.encode("utf-8")).hexdigest(),
        source=raw.source,
        outlet=meta.outlet,
        published=meta.published,
        published_uncertain=meta.published_uncertain,
        title=meta.title,
        url=raw.url,
        language=language,
        status="ok" if language == "en" else "non_english",
    )


def unique_id(article_id: str, source: str, used: dict[str, str]) -> str:
    """Two different inputs in one batch with the same id (same file stem): suffix the second."""
    if used.setdefault(article_id, source) == source:
        return article_id
    suffixed = f"{article_id}-{hashlib.sha1(source.encode('utf-8')).hexdigest()[:8]}"
    used[suffixed] = source
    return suffixed


def base_id(raw: RawDocument) -> str:
    """The id ``build_article`` gives an input before de-duplication."""
    return raw.id_hint or Path(raw.source).stem


def peek_unique_id(article_id: str, source: str, used: dict[str, str]) -> str:
    """The id ``unique_id`` will give, without reserving it."""
    if used.get(article_id, source) == source:
        return article_id
    return f"{article_id}-{hashlib.sha1(source.encode('utf-8')).hexdigest()[:8]}"
