"""Running totals ("61 killed since the start of the year") kept apart from incident tolls.

A clause is a tally when it carries a period or cumulative cue (data/casualty_lexicon.json
``tally_cues``): "since January", "so far this year", "last year", "in 2023", "bringing the total
to", "has risen to", "the war has killed". Its figures become ``Tally`` records and never enter an
incident's fatalities or injuries.
"""

from __future__ import annotations

import re

from ..records import Evidence, Place, Quantity, Tally
from .claims import ClaimHit
from .lexicon import casualty_lexicon, folded

CLAUSE_SPLIT = re.compile(r";|,\s+(?=(?:bringing|raising|taking|pushing|while|whereas|but|which|and the)\b)"
                          r"|\s+(?=while\b|whereas\b)", re.I)
LINKED_TOTAL = re.compile(r"\b(?:to|at|exceeds?|exceeded|exceeding|passed|surpassed|topped|reached|past|of|"
                          r"including|among them)\s*(?:[“”\"]\s*)?$", re.I)
OUTCOME_WORDS = (
    ("killed", re.compile(r"\b(killed|deaths?|dead|death toll|fatalities|lives|died|toll)\b", re.I)),
    ("injured", re.compile(r"\b(injured|wounded|injuries|hurt)\b", re.I)),
    ("missing", re.compile(r"\bmissing\b", re.I)),
    ("arrested", re.compile(r"\b(arrested|detained|arrests|detentions)\b", re.I)),
    ("displaced", re.compile(r"\bdisplaced\b", re.I)),
)


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of a sentence, split where a second statement begins."""
    cuts = [start] + [start + m.start() for m in CLAUSE_SPLIT.finditer(text[start:end])] + [end]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


WHEN_AFTER = re.compile(r"[^,.;]{0,25},\s+when\b", re.I)
COMPARISON = re.compile(r"\b(?:deadliest|worst|bloodiest|heaviest|largest|biggest|highest|lowest|first|most\s+\w+)\b"
                        r"[^.;]{0,60}$", re.I)


def tally_clause(text: str, start: int, end: int) -> bool:
    """Does the clause carry a period or cumulative cue? ("the deadliest attack this year" is a comparison)."""
    low = folded(text[start:end])
    for cue in casualty_lexicon().tally_cues:
        if not cue.may_match(low):
            continue
        for m in cue.pattern.finditer(text, start, end):
            if COMPARISON.search(text[start:m.start()]) or WHEN_AFTER.match(text, m.end(), end):
                continue  # "the deadliest attack this year"; "since January, when an attack killed 30"
            return True
    return False


def _outcome(text: str) -> str | None:
    for outcome, rx in OUTCOME_WORDS:
        if rx.search(text):
            return outcome
    return None


def find_tallies(text: str, start: int, end: int, hits: list[ClaimHit], quantities: list[Quantity],
                 published: str | None, area: Place | None, period: tuple[str | None, str | None],
                 stock_only: bool = False) -> tuple[list[Tally], set[int]]:
    """Tallies of one sentence, and the start offsets of the claims they took over.

    Displacement figures ("more than 75,000 people have fled") are stocks, never an incident's toll: with
    ``stock_only`` only those are taken.
    """
    tallies: list[Tally] = []
    taken: set[int] = set()
    period_start, period_end = period
    if stock_only:
        for h in hits:
            if h.claim.outcome == "displaced" and not h.claim.vague:
                tallies.append(_tally("displaced", h.claim.count, h.claim.qualifier, h.claim.victims,
                                      h.claim.claimant, area, period_start, period_end, published, text, start, end))
                taken.add(h.start)
        return tallies, taken
    for a, b in clauses(text, start, end):
        if not tally_clause(text, a, b):
            continue
        outcome_here = _outcome(text[a:b])
        for h in hits:
            if a <= h.start < b and not h.claim.vague:
                tallies.append(_tally(h.claim.outcome, h.claim.count, h.claim.qualifier, h.claim.victims,
                                      h.claim.claimant, area, period_start, period_end, published, text, start, end))
                taken.add(h.start)
        for q in quantities:
            if not (a <= q.start < b) or q.vague or any(h.start == q.start for h in hits):
                continue
            if outcome_here and LINKED_TOTAL.search(text[a:q.start]):
                tallies.append(_tally(outcome_here, q.value, q.qualifier, _victims_after(text, q.end, b), None,
                                      area, period_start, period_end, published, text, start, end))
                taken.add(q.start)
        for h in hits:  # vague figures inside a tally clause are not incident figures either
            if a <= h.start < b:
                taken.add(h.start)
    return tallies, taken


def _victims_after(text: str, pos: int, end: int) -> str | None:
    m = re.match(r"\s*((?:[A-Z]?[a-z’'-]+\s+){0,2}?(?:people|civilians|children|soldiers|Palestinians|"
                 r"[A-Z][a-z]+(?:ians|ans|is|ese)|troops|fighters|women|men|others))\b", text[pos:end])
    return m.group(1) if m else None


def _tally(outcome: str, count: int, qualifier: str, victims: str | None, claimant: str | None,
           area: Place | None, period_start: str | None, period_end: str | None, published: str | None,
           text: str, start: int, end: int) -> Tally:
    return Tally(
        outcome=outcome, count=count, qualifier=qualifier, victims=victims,  # type: ignore[arg-type]
        area=area.name if area else None, period_start=period_start,
        as_of=period_end or published, claimant=claimant, evidence=Evidence.of(text, start, end),
    )


def dedupe(tallies: list[Tally]) -> list[Tally]:
    """One tally per (outcome, count, area, period): the standfirst often repeats the body."""
    seen: dict[tuple[object, ...], Tally] = {}
    for t in tallies:
        key = (t.outcome, t.count, t.period_start)
        if key in seen:
            if seen[key].claimant is None and t.claimant:
                seen[key].claimant = t.claimant
            continue
        seen[key] = t
    return list(seen.values())
