"""ACLED event type and sub-event type of an incident, from the cues in its sentences."""

from __future__ import annotations

from collections import Counter

from .lexicon import event_lexicon

DEFAULT_ARMED = ("Battles", "Armed clash")
DEFAULT_CIVILIAN = ("Violence against civilians", "Attack")
ARMED_VICTIMS = ("gunmen", "militants", "fighters", "soldiers", "troops", "rebels", "insurgents", "combatants",
                 "jihadists", "attackers", "militiamen", "police", "officers")


def cue_scores(sentence: str, weight: int = 1) -> Counter[tuple[str, str]]:
    """Weighted votes for (event_type, sub_event_type) from one sentence."""
    lex = event_lexicon()
    scores: Counter[tuple[str, str]] = Counter()
    for cue in lex.cues:
        hits = sum(1 for p in cue.patterns if p.search(sentence))
        if hits:
            scores[(cue.event_type, cue.sub_event_type)] += cue.weight * hits * weight
    if any(p.search(sentence) for p in lex.raid):
        scores[DEFAULT_ARMED] += weight
    return scores


def has_violence(sentence: str) -> bool:
    """Does the sentence describe violence at all (a killing, a blast, a clash, a raid...)?"""
    lex = event_lexicon()
    if any(p.search(sentence) for p in lex.violence) or any(p.search(sentence) for p in lex.raid):
        return True
    return any(p.search(sentence) for cue in lex.cues for p in cue.patterns)


NON_LETHAL_TYPES = ("Strategic developments", "Protests")


def classify(sentences: list[str], victim_words: list[str], lethal: bool = False) -> tuple[str, str]:
    """The best-scoring type over an incident's sentences (the first counts double).

    ACLED codes an event with fatalities as violence: when people were killed, Strategic developments and
    peaceful Protests are not candidates (excessive force against protesters still is).
    """
    scores: Counter[tuple[str, str]] = Counter()
    for i, s in enumerate(sentences):
        scores.update(cue_scores(s, 2 if i == 0 else 1))
    if lethal:
        scores = Counter({k: v for k, v in scores.items()
                          if k[0] not in NON_LETHAL_TYPES or k[1] == "Excessive force against protesters"})
    order = {(c.event_type, c.sub_event_type): i for i, c in enumerate(event_lexicon().cues)}
    if scores:
        return max(scores, key=lambda k: (scores[k], -order.get(k, 99)))
    words = " ".join(victim_words).lower()
    if any(w in words for w in ARMED_VICTIMS):
        return DEFAULT_ARMED
    return DEFAULT_CIVILIAN
