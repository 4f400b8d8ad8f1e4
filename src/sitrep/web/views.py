"""Data shaping for the HTML pages: passages with highlighted claims, disagreement flags, safe links."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import HTTPException

from ..store import event_redirect
from .highlight import Passage, Span, claim_spans, clamp_span, passage, segments, tally_spans, victim_spans

TYPE_CLASSES = {
    "Battles": "t-battles",
    "Explosions/Remote violence": "t-explosions",
    "Violence against civilians": "t-civilians",
    "Protests": "t-protests",
    "Riots": "t-riots",
    "Strategic developments": "t-strategic",
}


def type_class(event_type: str | None) -> str:
    """The CSS class that colours an event type (same table as static/common.js)."""
    return TYPE_CLASSES.get(event_type or "", "t-other")


def safe_url(url: str | None) -> str | None:
    """An http(s) URL to link to, or None (``javascript:``, ``data:`` and relative URLs are never links)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch in url for ch in "\x00\r\n\t "):
        return None
    return url


def path_segment(value: Any) -> str:
    """Quote an id for use as one URL path segment (``/`` and ``#`` included)."""
    return quote(str(value), safe="")


def redirect_if_moved(conn: sqlite3.Connection, event_id: str, prefix: str) -> None:
    """Raise a permanent redirect when an old incident id now leads to another incident."""
    moved = event_redirect(conn, event_id)
    if moved:
        raise HTTPException(status_code=308, detail=f"incident {event_id!r} is now {moved!r}",
                            headers={"Location": prefix + path_segment(moved)})


def _range_key(figures: dict[str, Any] | None) -> tuple[int, int] | None:
    if not figures:
        return None
    return (int(figures["low"]), int(figures["high"]))


def flag_disagreements(sources: list[dict[str, Any]], field: str) -> None:
    """Set ``<field>_disagrees`` on sources whose figure differs from the most common one."""
    keys = [_range_key(s[field]) for s in sources]
    counts = Counter(k for k in keys if k is not None)
    modes: set[tuple[int, int]] = set()
    if len(counts) > 1:
        top = max(counts.values())
        modes = {k for k, n in counts.items() if n == top}
    for source, key in zip(sources, keys, strict=True):
        source[f"{field}_disagrees"] = bool(
            len(counts) > 1 and key is not None and (len(modes) > 1 or key not in modes)
        )


def claim_passage(text: str, claim: dict[str, Any]) -> tuple[Passage | None, bool]:
    """The claim's sentence inside its paragraph, and whether the stored evidence matches the text."""
    ev = claim.get("evidence")
    if not ev:
        return None, True
    span = clamp_span(text, ev["start"], ev["end"])
    if span is None:
        return None, False
    matches = ev.get("text") is None or text[span[0] : span[1]] == ev["text"]
    spans = claim_spans(text, f"claim-{claim['id']}", span[0], span[1], claim.get("count"),
                        vague=bool(claim.get("vague")))
    return passage(text, spans, span[0], span[1]), matches


def attach_passages(claims: list[dict[str, Any]], texts: dict[str, str]) -> None:
    for claim in claims:
        text = texts.get(claim["article_id"], "")
        claim["passage"], claim["evidence_matches"] = claim_passage(text, claim)


def article_segments(
    text: str,
    claims: list[dict[str, Any]],
    tallies: Sequence[dict[str, Any]] = (),
    victims: Sequence[dict[str, Any]] = (),
    target: str | None = None,
) -> list[Any]:
    """The whole article split so every claim's sentence and figure (or vague words), every running tally
    and every named victim are highlighted in place; ``target`` ("claim-12") is the claim a link jumped to."""
    spans: list[Span] = []
    for claim in claims:
        ev = claim.get("evidence")
        if ev:
            ref = f"claim-{claim['id']}"
            spans += claim_spans(text, ref, ev["start"], ev["end"], claim.get("count"),
                                 vague=bool(claim.get("vague")), target=ref == target)
    for tally in tallies:
        ev = tally.get("evidence")
        if ev:
            spans += tally_spans(text, f"tally-{tally['id']}", ev["start"], ev["end"], tally.get("count"))
    for victim in victims:
        ev = victim.get("evidence")
        if ev:
            spans += victim_spans(text, f"victim-{victim['id']}", victim.get("name") or "", ev["start"], ev["end"])
    return segments(text, spans)


def claim_figure(claim: dict[str, Any]) -> str:
    """A claim's quantity for display: ``12``, ``12–15``, or the vague words ("dozens"), never a number
    invented for a vague quantity."""
    if claim.get("vague"):
        return str(claim.get("vague_words") or "an unstated number (vague)")
    high = claim.get("count_high")
    return f"{claim['count']}–{high}" if high else str(claim["count"])


def figures_text(figures: dict[str, Any] | None) -> str:
    """``12`` or ``10-14 (best 12)``; an em dash when there is no figure."""
    if not figures:
        return "—"
    low, high, best = figures["low"], figures["high"], figures["best"]
    if low == high:
        return str(low)
    return f"{low}–{high} (best {best})"
