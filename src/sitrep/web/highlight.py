"""Split an article's text at evidence offsets into flat, highlighted segments.

Kinds of highlight (``KINDS``, most visible first): a claim's exact ``figure``, ``vague`` quantity words
("dozens"), a running tally's figure (``tally-figure``), a named ``victim``, a claim's sentence
(``evidence``) and a running tally's sentence (``tally``); ``target`` and ``target-figure`` spans mark the
sentence and the figure of the claim a link jumped to. Templates render each segment's text with
autoescaping inside an element whose class comes from these constants; no markup is ever built from the
data itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..extract.numbers import find_quantities

CONTEXT_CHARS = 320  # at most this much text either side of a claim's sentence on the incident page


#: highlight kinds, the most visible first: where spans overlap the first one wins
KINDS = ("figure", "vague", "tally-figure", "victim", "evidence", "tally")
#: the kinds that cover a whole sentence (and give it an anchor to link to)
SENTENCE_KINDS = frozenset({"evidence", "tally", "victim"})
#: the kinds rendered as <mark> (a figure or a name) rather than a sentence's <span>
MARK_KINDS = frozenset({"figure", "vague", "tally-figure", "victim"})


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of text: ``kind`` is one of ``KINDS``, "target" or "target-figure"; ``ref`` names
    its record."""

    start: int
    end: int
    kind: str
    ref: str = ""


@dataclass
class Segment:
    text: str
    kind: str  # plain or one of KINDS
    refs: tuple[str, ...] = ()
    anchors: list[str] = field(default_factory=list)  # records whose sentence starts here
    target: bool = False  # inside the sentence of the claim a link jumped to
    target_figure: bool = False  # that claim's own figure (or vague words)

    @property
    def mark(self) -> bool:
        """Rendered as ``<mark>`` (a figure or a name) rather than as a sentence's ``<span>``."""
        return self.kind in MARK_KINDS

    @property
    def css(self) -> str:
        """The element's class: the kind, plus ``target`` on the jumped-to claim's sentence and own figure."""
        return f"hl-{self.kind}" + (" target" if (self.target_figure if self.mark else self.target) else "")


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


def vague_span(text: str, start: int, end: int, count: int | None = None) -> tuple[int, int] | None:
    """Where the vague quantity words ("dozens", "several") are inside ``text[start:end]``: the one read as
    ``count`` if given and found, else the first."""
    found = [q for q in find_quantities(text[start:end]) if q.vague]
    chosen = [q for q in found if q.value == count] or found
    return (start + chosen[0].start, start + chosen[0].end) if chosen else None


def vague_words(text: str, start: int | None, end: int | None, count: int | None = None) -> str | None:
    """The vague quantity as written ("dozens"), for showing words instead of an invented number."""
    span = clamp_span(text, start, end)
    found = vague_span(text, *span, count) if span else None
    return text[found[0] : found[1]] if found else None


def claim_spans(
    text: str,
    ref: str,
    ev_start: int | None,
    ev_end: int | None,
    count: int | None,
    *,
    vague: bool = False,
    target: bool = False,
) -> list[Span]:
    """The evidence span of one claim plus its figure (or its vague words; nothing if not found)."""
    span = clamp_span(text, ev_start, ev_end)
    if span is None:
        return []
    out = [Span(span[0], span[1], "evidence", ref)]
    if target:
        out.append(Span(span[0], span[1], "target", ref))
    figure = vague_span(text, *span, count) if vague else figure_span(text, span[0], span[1], count)
    if figure:
        out.append(Span(figure[0], figure[1], "vague" if vague else "figure", ref))
        if target:
            out.append(Span(figure[0], figure[1], "target-figure", ref))
    return out


def tally_spans(text: str, ref: str, ev_start: int | None, ev_end: int | None, count: int | None) -> list[Span]:
    """A running tally's sentence and its figure."""
    span = clamp_span(text, ev_start, ev_end)
    if span is None:
        return []
    figure = figure_span(text, span[0], span[1], count)
    out = [Span(span[0], span[1], "tally", ref)]
    return out + ([Span(figure[0], figure[1], "tally-figure", ref)] if figure else [])


def victim_spans(text: str, ref: str, name: str, ev_start: int | None, ev_end: int | None) -> list[Span]:
    """A named victim: the name inside its evidence (the whole evidence when the name is not found)."""
    span = clamp_span(text, ev_start, ev_end)
    if span is None:
        return []
    at = text.find(name, span[0], span[1]) if name else -1
    return [Span(at, at + len(name), "victim", ref)] if at >= 0 else [Span(span[0], span[1], "victim", ref)]


def _kind(active: list[Span]) -> str:
    kinds = {s.kind for s in active}
    return next((k for k in KINDS if k in kinds), "plain")


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
        kind = _kind(active)
        target = any(s.kind == "target" for s in active)
        target_figure = any(s.kind == "target-figure" for s in active)
        refs = tuple(sorted({s.ref for s in active if s.kind in SENTENCE_KINDS}))
        anchors = sorted({s.ref for s in local if s.kind in SENTENCE_KINDS and s.start == a})
        piece = text[a - offset : b - offset]
        last = out[-1] if out else None
        if last and (last.kind, last.refs, last.target, last.target_figure) == (kind, refs, target, target_figure) \
                and not anchors:
            last.text += piece
        else:
            out.append(Segment(piece, kind, refs, anchors, target, target_figure))
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
