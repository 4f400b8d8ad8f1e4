"""Running totals ("61 killed since the start of the year") kept apart from incident tolls.

A clause is a tally when it carries a period or cumulative cue (data/casualty_lexicon.json
``tally_cues``): "since January", "so far this year", "last year", "in 2023", "bringing the total
to", "has risen to", "the war has killed", "over the past week", "between January 1 and March 3".
A clause that sums several incidents (``aggregate_cues``: "died in various attacks this week",
"three separate attacks killed 24") is a tally when it gives one figure per outcome; with several
("killed five in one village and seven in another") the figures are the incidents' own.
Its figures become ``Tally`` records, with the period and area of their own clause, and never
enter an incident's fatalities or injuries. "So far" alone is the current incident's running
figure ("85 bodies have so far been recovered"), not a tally.
"""

from __future__ import annotations

import re

from ..records import Evidence, Place, Quantity, Tally
from .claims import ClaimHit, SentenceClaims
from .dates import period_end_in, period_start_in
from .lexicon import CueSet, casualty_lexicon, folded
from .numbers import find_quantities

CLAUSE_SPLIT = re.compile(r";|,\s+(?=(?:bringing|raising|taking|pushing|while|whereas|but|"
                          r"which(?!\s+(?:resulted|left|killed|claimed|caused))|and the|the latest|"
                          r"in the latest|adding to|amid)\b)|\s+(?=while\b|whereas\b)"
                          r"|\s+(?=but\s+(?!(?:also|including|not|mostly|many|most|only|none)\b))", re.I)
LINKED_TOTAL = re.compile(r"\b(?:to|at|exceeds?|exceeded|exceeding|passed|surpassed|topped|reached|past|of|"
                          r"including|among them)\s*(?:[“”\"]\s*)?$", re.I)
OUTCOME_WORDS = (
    ("killed", re.compile(r"\b(killed|deaths?|dead|death toll|fatalities|lives|died|toll|slain|murdered|murders|"
                          r"homicides)\b", re.I)),
    ("injured", re.compile(r"\b(injured|wounded|injuries|hurt)\b", re.I)),
    ("missing", re.compile(r"\bmissing\b", re.I)),
    ("arrested", re.compile(r"\b(arrested|detained|arrests|detentions)\b", re.I)),
    ("displaced", re.compile(r"\b(displaced|flee|fled|fleeing|homeless|from their homes)\b", re.I)),
)


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of a sentence, split where a second statement begins."""
    cuts = [start] + [start + m.start() for m in CLAUSE_SPLIT.finditer(text[start:end])] + [end]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


OWN_SPAN = re.compile(r"\b(?:week|weeks|month|months|year|years|weekend|days)\b", re.I)
NOUN_OUTCOME = re.compile(r"\s*(?:lives|dead|deaths|bodies|killed|died|injured|wounded|displaced)\b", re.I)
WHEN_AFTER = re.compile(  # "since January, when an attack killed 30" ("since May 3, when violence erupted" is a period)
    r"[^,.;]{0,25},\s+when\b[^.;]{0,80}?\b(?:killed|killing|kill|died|dead|wounded|injured|massacred)\b", re.I)
POPULATION_BEFORE = re.compile(  # "Pakistan, home to 250 million people": a population, never a tally
    r"\b(?:home to|population of|populations? (?:is|was|are|were|stands at)|inhabited by|a (?:city|town|country|"
    r"nation|region|province|state) of)\s+(?:about |around |some |nearly |more than |over |roughly )?$", re.I)
COMPARISON = re.compile(r"\b(?:deadliest|worst|bloodiest|heaviest|largest|biggest|highest|lowest|first|most\s+\w+)\b"
                        r"[^.;,]{0,60}$", re.I)


def tally_clause(text: str, start: int, end: int) -> bool:
    """Is the clause a tally: a period or cumulative cue, or a sum over incidents with one figure per outcome?
    ("the deadliest attack this year" is a comparison). Over a whole sentence: does any clause of it?"""
    if period_clause(text, start, end):
        return True
    return any(_tally_here(text, a, b, None) for a, b in clauses(text, start, end))


def period_clause(text: str, start: int, end: int) -> bool:
    """Does the clause carry a period or cumulative cue (``tally_cues``)?"""
    return _cued(casualty_lexicon().tally_cues, text, start, end)


def aggregate_clause(text: str, start: int, end: int) -> bool:
    """Does the clause sum several incidents (``aggregate_cues``: "in various attacks this week")?"""
    return _cued(casualty_lexicon().aggregate_cues, text, start, end)


def _cued(cues: CueSet, text: str, start: int, end: int) -> bool:
    for cue in cues.possible(folded(text[start:end])):
        for m in cue.pattern.finditer(text, start, end):
            if COMPARISON.search(text[start:m.start()]) or WHEN_AFTER.match(text, m.end(), end):
                continue  # "the deadliest attack this year"; "since January, when an attack killed 30"
            return True
    return False


def _one_figure_each(hits: list[ClaimHit], start: int, end: int) -> bool:
    """At most one figure per outcome in the clause: a sum, not a list of incidents' own tolls. Figures of
    different sides joined by "and" ("12 soldiers and 35 militants were killed") are one sum over all sides;
    of the same side ("five villagers in X and seven in Y") they are the incidents' own."""
    figures: dict[tuple[str, int], list[str]] = {}
    for h in hits:
        if start <= h.start < end and not h.claim.vague and not h.claim.part_of_total:
            key = (h.claim.outcome, h.conj_group if h.conj_group is not None else -1 - h.start)
            figures.setdefault(key, []).append(h.side)
    outcomes = [outcome for outcome, _ in figures]
    sides_apart = all(len(set(sides)) == len(sides) for sides in figures.values())
    return len(outcomes) == len(set(outcomes)) and sides_apart


def _tally_here(text: str, start: int, end: int, hits: list[ClaimHit] | None) -> bool:
    """A clause with a period cue, or a sum over incidents with one figure per outcome (the clause's claims are
    found here when not given: only for the rare clause with an aggregate cue)."""
    if period_clause(text, start, end):
        return True
    if not aggregate_clause(text, start, end):
        return False
    if hits is None:
        clause = text[start:end]
        found = SentenceClaims(clause, 0, len(clause)).find(find_quantities(clause))
        return _one_figure_each(found, 0, len(clause))
    return _one_figure_each(hits, start, end)


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
    for a, b in clauses(text, start, end):
        if stock_only or not _tally_here(text, a, b, hits):
            for h in hits:  # displacement figures are stocks wherever they stand
                if a <= h.start < b and h.claim.outcome == "displaced" and not h.claim.vague:
                    tallies.append(_tally("displaced", h.claim.count, h.claim.qualifier, h.claim.victims,
                                          h.claim.claimant, area, period_start, period_end, published, text, start,
                                          end))
                    taken.add(h.start)
            continue
        own_start, own_end = _clause_period(text, a, b, published)
        p_start, p_end = (own_start, own_end) if own_start or own_end or OWN_SPAN.search(text, a, b) \
            else (period_start, period_end)  # "while the previous week 50 were killed": not the other clause's week
        for h in hits:
            if a <= h.start < b and not h.claim.vague:
                tallies.append(_tally(h.claim.outcome, h.claim.count, h.claim.qualifier, h.claim.victims,
                                      h.claim.claimant, area, p_start, p_end, published, text, start, end))
            if a <= h.start < b:  # vague figures inside a tally clause are not incident figures either
                taken.add(h.start)
        loose = [q for q in quantities if a <= q.start < b and not q.vague and all(h.start != q.start for h in hits)
                 and not POPULATION_BEFORE.search(text, max(a, q.start - 40), q.start)]
        earlier = [h.claim.outcome for h in hits if h.start < a]  # "killed four, bringing the total to 61"
        for i, q in enumerate(loose):
            outcome = _loose_outcome(text, q, loose[i + 1].start if i + 1 < len(loose) else b, a,
                                     earlier[-1] if earlier else None)
            if outcome:
                tallies.append(_tally(outcome, q.value, q.qualifier, _victims_after(text, q.end, b), None,
                                      area, p_start, p_end, published, text, start, end))
                taken.add(q.start)
    return tallies, taken


def _loose_outcome(text: str, q: Quantity, stop: int, clause_start: int, earlier: str | None) -> str | None:
    """The outcome of a number the claim finder left: "killed ... to 61" (a linked total, whose outcome may be
    the sentence's earlier claim's: "killed four, bringing the total to 61") or the outcome words between it
    and the next number ("700,000 people to flee their homes", "29,683 lives")."""
    after = _outcome(text[q.end:stop])
    if after and (_victims_after(text, q.end, stop) or NOUN_OUTCOME.match(text, q.end, stop)):
        return after
    before = text[clause_start:q.start]
    return (_outcome(before) or earlier) if LINKED_TOTAL.search(before) else None


def _clause_period(text: str, start: int, end: int, published: str | None) -> tuple[str | None, str | None]:
    """The period named in the tally's own clause ("since the coup", "last year"), if any."""
    clause = text[start:end]
    return period_start_in(clause, published), period_end_in(clause, published)


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
