"""Loads the word lists of news language that the extractor reads (data/*.json), once."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


def load_data(name: str) -> Any:
    """A JSON file from sitrep/data, parsed."""
    return json.loads(resources.files("sitrep.data").joinpath(name).read_text(encoding="utf-8"))


def phrase_regex(phrases: list[str]) -> re.Pattern[str]:
    """One regex matching any of the phrases as whole words, longest first."""
    ordered = sorted({p.lower() for p in phrases if p}, key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class CasualtyLexicon:
    """Compiled casualty vocabulary (see data/casualty_lexicon.json)."""

    after: dict[str, re.Pattern[str]]
    before: dict[str, re.Pattern[str]]
    injury_verbs: frozenset[str]
    injury_nouns: frozenset[str]
    severity: re.Pattern[str]
    auxiliaries: frozenset[str]
    person_nouns: frozenset[str]
    force_nouns: frozenset[str]
    attacker_nouns: frozenset[str]
    inclusive_nouns: frozenset[str]
    non_person_nouns: frozenset[str]
    part_before: re.Pattern[str]
    part_after: re.Pattern[str]
    contrast: re.Pattern[str]
    claimant_verbs: re.Pattern[str]
    claimant_preps: re.Pattern[str]
    tally_cues: tuple[re.Pattern[str], ...]
    anaphora: re.Pattern[str]
    separate: re.Pattern[str]
    headline_max_words: int


@cache
def casualty_lexicon() -> CasualtyLexicon:
    raw = load_data("casualty_lexicon.json")
    after = {k: phrase_regex(v) for k, v in raw["outcome_after_number"].items() if not k.startswith("_") and v}
    before = {k: phrase_regex(v) for k, v in raw["outcome_before_number"].items() if not k.startswith("_") and v}
    return CasualtyLexicon(
        after=after,
        before=before,
        injury_verbs=frozenset(raw["injury_nouns_after_verb"]["verbs"]),
        injury_nouns=frozenset(raw["injury_nouns_after_verb"]["nouns"]),
        severity=phrase_regex(raw["severity_words"]),
        auxiliaries=frozenset(raw["auxiliaries"]),
        person_nouns=frozenset(raw["person_nouns"]),
        force_nouns=frozenset(raw["force_nouns"]),
        attacker_nouns=frozenset(raw["attacker_nouns"]),
        inclusive_nouns=frozenset(raw["inclusive_nouns"]),
        non_person_nouns=frozenset(raw["non_person_nouns"]),
        part_before=phrase_regex(raw["part_markers_before"]),
        part_after=phrase_regex(raw["part_markers_after"]),
        contrast=phrase_regex(raw["contrast_markers"]),
        claimant_verbs=phrase_regex(raw["claimant_verbs"]),
        claimant_preps=phrase_regex(raw["claimant_preps"]),
        tally_cues=tuple(re.compile(p, re.IGNORECASE) for p in raw["tally_cues"]),
        anaphora=phrase_regex(raw["event_anaphora"]),
        separate=phrase_regex(raw["separate_markers"]),
        headline_max_words=int(raw["headline_max_words"]),
    )


@dataclass(frozen=True)
class EventCue:
    event_type: str
    sub_event_type: str
    weight: int
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class EventLexicon:
    """Compiled ACLED event-type cues (see data/event_types.json)."""

    cues: tuple[EventCue, ...]
    raid: tuple[re.Pattern[str], ...]
    violence: tuple[re.Pattern[str], ...]


@cache
def event_lexicon() -> EventLexicon:
    raw = load_data("event_types.json")
    cues = tuple(
        EventCue(t["event_type"], t["sub_event_type"], int(t["weight"]),
                 tuple(re.compile(p, re.IGNORECASE) for p in t["cues"]))
        for t in raw["types"]
    )
    return EventLexicon(
        cues=cues,
        raid=tuple(re.compile(p, re.IGNORECASE) for p in raw["raid_cues"]),
        violence=tuple(re.compile(p, re.IGNORECASE) for p in raw["violence"]),
    )
