"""ACLED event type and sub-event type of an incident, from the cues in its sentences."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from .lexicon import CueSet, event_lexicon, folded

DEFAULT_ARMED = ("Battles", "Armed clash")
DEFAULT_CIVILIAN = ("Violence against civilians", "Attack")
ARMED_VICTIMS = ("gunmen", "militants", "fighters", "soldiers", "troops", "rebels", "insurgents", "combatants",
                 "jihadists", "attackers", "militiamen", "police", "officers")


def cue_scores(sentence: str, weight: int = 1) -> Counter[tuple[str, str]]:
    """Weighted votes for (event_type, sub_event_type) from one sentence."""
    lex = event_lexicon()
    possible = set(_violence_cues().possible(folded(sentence)))
    scores: Counter[tuple[str, str]] = Counter()
    for cue in lex.cues:
        hits = sum(1 for p in cue.patterns if p in possible and p.pattern.search(sentence))
        if hits:
            scores[(cue.event_type, cue.sub_event_type)] += cue.weight * hits * weight
    if any(p in possible and p.pattern.search(sentence) for p in lex.raid):
        scores[DEFAULT_ARMED] += weight
    return scores


def has_violence(sentence: str) -> bool:
    """Does the sentence describe violence at all (a killing, a blast, a clash, a raid...)?"""
    low = folded(sentence)
    for cue in _violence_cues().cues:  # one cue at a time: most sentences of a story match an early one
        if cue.found(sentence, low):
            return True
    return False


@cache
def _violence_cues() -> CueSet:
    """Every cue of violence: the violence words, the raid cues, then the event-type cues."""
    lex = event_lexicon()
    return CueSet.of((*lex.violence, *lex.raid, *(p for cue in lex.cues for p in cue.patterns)))


NON_LETHAL_TYPES = ("Strategic developments", "Protests")


def _best(scores: Counter[tuple[str, str]], event_type: str | None = None) -> tuple[str, str] | None:
    order = {(c.event_type, c.sub_event_type): i for i, c in enumerate(event_lexicon().cues)}
    pool = {k: v for k, v in scores.items() if v > 0 and (event_type is None or k[0] == event_type)}
    if not pool:
        return None
    return max(pool, key=lambda k: (pool[k], -order.get(k, 99)))


def _total(scores: Counter[tuple[str, str]], event_type: str) -> int:
    return sum(v for k, v in scores.items() if k[0] == event_type)


def classify(sentences: list[str], victim_words: list[str], lethal: bool = False,
             anchors: list[bool] | None = None) -> tuple[str, str]:
    """ACLED event type of an incident, from the cues of its sentences, in ACLED's order of precedence.

    ``anchors`` marks the sentences that carry the incident itself (its first sentence and those with its
    figures). Remote violence named there (a strike, shelling, a bomb) makes the event Explosions/Remote
    violence whatever else happened around it; demonstrators who turn violent make a Riot; a demonstration
    otherwise is a Protest; then the best-scoring of battles, violence against civilians and the rest.
    ACLED codes an event with fatalities as violence: then Strategic developments and peaceful Protests are
    not candidates (excessive force against protesters still is).
    """
    anchors = anchors or [i == 0 for i in range(len(sentences))]
    scores: Counter[tuple[str, str]] = Counter()
    anchor_scores: Counter[tuple[str, str]] = Counter()
    for s, is_anchor in zip(sentences, anchors, strict=False):
        found = cue_scores(s, 2 if is_anchor else 1)
        scores.update(found)
        if is_anchor:
            anchor_scores.update(found)
    if lethal:
        scores = Counter({k: v for k, v in scores.items()
                          if k[0] not in NON_LETHAL_TYPES or k[1] == "Excessive force against protesters"})
    remote = _best(anchor_scores, "Explosions/Remote violence")
    if remote:
        return remote
    protest, riot = _total(scores, "Protests"), _total(scores, "Riots")
    if protest and riot:
        excessive = ("Protests", "Excessive force against protesters")
        return excessive if scores[excessive] else _best(scores, "Riots") or DEFAULT_CIVILIAN
    if protest and protest >= _total(scores, "Battles"):
        return _best(scores, "Protests") or DEFAULT_CIVILIAN
    best = _best(scores)
    if best is not None:
        if best[0] == "Battles" and not _two_sided(sentences) and _civilian_victims(victim_words):
            return _best(scores, "Violence against civilians") or DEFAULT_CIVILIAN
        return best
    words = " ".join(victim_words).lower()
    if any(w in words for w in ARMED_VICTIMS):
        return DEFAULT_ARMED
    return DEFAULT_CIVILIAN


TWO_SIDED = re.compile(r"\b(clash(es|ed)?|gun ?fights?|gun ?battles?|fire ?fights?|shoot-?outs?|exchange of (gun)?fire|"
                       r"exchanged fire|battl(e|es|ed|ing)|fighting|fought|ambush(ed)?|came under (heavy )?fire|"
                       r"repelled|resistance|returned fire|engaged)\b", re.I)
CIVILIAN_WORDS = ("civilians", "villagers", "residents", "people", "farmers", "worshippers", "women", "children",
                  "passengers", "shoppers", "students", "displaced", "herders", "traders", "family")


def _two_sided(sentences: list[str]) -> bool:
    return any(TWO_SIDED.search(s) for s in sentences)


def _civilian_victims(victim_words: list[str]) -> bool:
    words = " ".join(victim_words).lower()
    return any(w in words for w in CIVILIAN_WORDS) and not any(w in words for w in ARMED_VICTIMS)
