"""Paragraphs and sentences of a cleaned article, with absolute offsets."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Any

from .lexicon import alternation, load_data

HEADING_END = re.compile(r"[.!?:;\"”’)\]]\s*$")
FALLBACK_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"’)]))\s+(?=[A-Z“\"‘])")


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text[start:end]``; ``heading`` marks a title or subhead line."""

    start: int
    end: int
    paragraph: int
    heading: bool


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line."""
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return spans


def is_heading(line: str, max_words: int = 16) -> bool:
    """A short line without final punctuation: a title, standfirst label or subhead."""
    return len(line.split()) <= max_words and not HEADING_END.search(line)


@cache
def title_abbreviation() -> re.Pattern[str]:
    """A title abbreviation right before a cut ("an Israeli soldier, St.-Sgt. | Avi Cohen"): no sentence end
    (data/victims.json ``title_abbreviations``)."""
    short = load_data("victims.json")["title_abbreviations"]
    alt = alternation(short, space=r"\ ")
    return re.compile(rf"(?<![\w.-])(?:{alt})\.\s*$")


def _not_after_title(text: str, cut: int) -> bool:
    return title_abbreviation().search(text, max(0, cut - 16), cut) is None


def split_sentences(text: str, doc: Any | None = None) -> list[Sentence]:
    """Sentences inside paragraphs; uses spaCy's boundaries (``doc``: an ``nlp.Annotations``) when given."""
    boundaries: list[int] = []
    if doc is not None:
        boundaries = sorted(set(doc.sentence_starts))
    out: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs(text)):
        line = text[p_start:p_end]
        heading = is_heading(line)
        if doc is not None:
            cuts = boundaries[bisect_right(boundaries, p_start):bisect_left(boundaries, p_end)]
        else:
            cuts = [p_start + m.end() for m in FALLBACK_SPLIT.finditer(line)]
        cuts = [c for c in cuts if _not_after_title(text, c)]
        starts = [p_start, *cuts]
        ends = [*cuts, p_end]
        for s, e in zip(starts, ends, strict=True):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append(Sentence(s, e, p_index, heading))
    return out
