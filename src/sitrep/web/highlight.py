"""Split an article's text at evidence offsets into plain / evidence / figure segments.

Templates render each segment's text with autoescaping, wrapping evidence in ``<span class="evidence">``
and figures in ``<mark>``; no markup is ever built from the data itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

CONTEXT_CHARS = 320  # at most this much text either side of a claim's sentence on the incident page


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of text: ``kind`` is "evidence" or "figure"; ``ref`` names the claim."""

    start: int
    end: int
    kind: str
    ref: str = ""


@dataclass
class Segment:
    text: str
    kind: str  # plain, evidence, figure
    refs: tuple[str, ...] = ()
    anchors: list[str] = field(default_factory=list)  # claims whose evidence starts here


@dataclass
class Passage:
    """A window of the article text around one claim, ready to render."""

    segments: list[Segment]
    cut_before: bool
    cut_after: bool


@lru_cache(maxsize=1)
def _number_words() -> dict[str, int]:
    path = Path(__file__).parent.parent / "data" / "web_number_words.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: int(v) for k, v in data.items() if not k.startswith("_")}


def clamp_span(text: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    """Offsets limited to the text, or None when missing or empty."""
    if start is None or end is None:
        return None
    start = max(0, min(int(start), len(text)))
    end = max(start, min(int(end), len(text)))
    return (start, end) if end > start else None


def figure_span(text: str, start: int, end: int, count: int | None) -> tuple[int, int] | None:
    """Where ``count`` is written inside ``text[start:end]`` (digits, 1,200 style, or a number word)."""
    if count is None:
        return None
    sentence = text[start:end]
    forms = {str(count), f"{count:,}", f"{count:,}".replace(",", " ")}
    forms |= {word for word, value in _number_words().items() if value == count and len(word) > 2}
    best: tuple[int, int] | None = None
    for form in forms:
        for m in re.finditer(rf"(?<![\w.,]){re.escape(form)}(?![\w]|[.,]\d)", sentence, flags=re.IGNORECASE):
            if best is None or m.start() < best[0]:
                best = (m.start(), m.end())
            break
    return (start + best[0], start + best[1]) if best else None


def claim_spans(
    text: str, ref: str, ev_start: int | None, ev_end: int | None, count: int | None
) -> list[Span]:
    """The evidence span of one claim plus its figure (the whole sentence is the figure if not found)."""
    span = clamp_span(text, ev_start, ev_end)
    if span is None:
        return []
    figure = figure_span(text, span[0], span[1], count) or span
    return [Span(span[0], span[1], "evidence", ref), Span(figure[0], figure[1], "figure", ref)]


def segments(text: str, spans: list[Span], offset: int = 0) -> list[Segment]:
    """Cut ``text`` (which starts at ``offset`` in the article) into flat, non-overlapping segments."""
    end_of_text = offset + len(text)
    local = [s for s in spans if s.end > offset and s.start < end_of_text]
    cuts = {offset, end_of_text}
    for s in local:
        cuts.add(max(s.start, offset))
        cuts.add(min(s.end, end_of_text))
    points = sorted(cuts)
    out: list[Segment] = []
    for a, b in zip(points, points[1:], strict=False):
        active = [s for s in local if s.start <= a and s.end >= b]
        kind = "figure" if any(s.kind == "figure" for s in active) else "evidence" if active else "plain"
        refs = tuple(sorted({s.ref for s in active if s.kind == "evidence"}))
        anchors = sorted({s.ref for s in local if s.kind == "evidence" and s.start == a})
        piece = text[a - offset : b - offset]
        if out and out[-1].kind == kind and out[-1].refs == refs and not anchors:
            out[-1].text += piece
        else:
            out.append(Segment(piece, kind, refs, anchors))
    return out


def passage(text: str, spans: list[Span], start: int, end: int, context: int = CONTEXT_CHARS) -> Passage:
    """The paragraph around ``text[start:end]`` (at most ``context`` characters either side)."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end == -1 else para_end
    win_start = max(para_start, start - context)
    win_end = min(para_end, end + context)
    if win_start > para_start:  # start at a word boundary
        space = text.find(" ", win_start, start)
        win_start = space + 1 if space != -1 else win_start
    if win_end < para_end:
        space = text.rfind(" ", end, win_end)
        win_end = space if space != -1 else win_end
    return Passage(
        segments(text[win_start:win_end], spans, win_start), win_start > para_start, win_end < para_end
    )
