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


# IGNORECASE matches these to ASCII letters, but str.lower() does not turn them into those letters (İ ı ſ K)
_ODD_CASE = ("\u0130", "\u0131", "\u017f", "\u212a")


def folded(text: str) -> str | None:
    """``text.lower()`` when every case-insensitive match of an ASCII literal shows in it as the literal in
    lower case (see ``Cue``), at the same offsets; None where that does not hold (the text has İ, ı, ſ or K)."""
    if not text.isascii() and any(ch in text for ch in _ODD_CASE):
        return None
    return text.lower()


def required_words(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Lower-case strings one of which every match of ``pattern`` contains (("",) when unsure).

    Only the top level of the pattern is read: a run of literal ASCII characters, or a group of plain
    alternatives ("(raid|attack)"), neither quantified. The run or group whose shortest string is the
    longest is chosen. A top-level "|" means nothing is required.
    """
    atoms = None if pattern.flags & re.VERBOSE else _top_level_atoms(pattern.pattern)
    options: list[tuple[str, ...]] = [("",)]
    run = ""
    for atom in [*(atoms or []), None]:
        if isinstance(atom, str) and atom.isascii():
            run += atom
            continue
        options.append((run,))
        run = ""
        if isinstance(atom, tuple):
            options.append(atom)
    best = max(options, key=lambda words: (min(map(len, words)), -len(words)))
    return tuple(word.lower() for word in best)


def _top_level_atoms(pattern: str) -> list[str | tuple[str, ...] | None] | None:
    """Top-level atoms of a regex: a literal character, the alternatives of a plain group, or None for
    anything else; None if a "|" splits the pattern."""
    atoms: list[str | tuple[str, ...] | None] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "|":
            return None
        if ch in "?*+{":  # a quantifier: the atom before it may be missing or repeated
            if atoms:
                atoms[-1] = None
            if ch == "{":
                i = pattern.find("}", i)
                if i < 0:
                    return None
            i += 1
        elif ch == "\\":
            escaped = pattern[i + 1 : i + 2]
            atoms.append(None if escaped.isalnum() or not escaped else escaped)
            i += 2
        elif ch == "(":
            end = _skip_group(pattern, i)
            atoms.append(_plain_alternatives(pattern[i + 1 : end - 1]))
            i = end
        elif ch == "[":
            i = _skip_class(pattern, i)
            atoms.append(None)
        else:
            atoms.append(None if ch in ".^$" else ch)
            i += 1
    return atoms


def _plain_alternatives(body: str) -> tuple[str, ...] | None:
    """("raid", "attack") for the group body "raid|attack" or "?:raid|attack"; None unless all plain ASCII."""
    body = body[2:] if body.startswith("?:") else body
    words = tuple(body.split("|"))
    if any(ch in body for ch in "\\()[]{}.?*+^$") or not body.isascii() or not all(words):
        return None
    return words


def _skip_class(pattern: str, i: int) -> int:
    """Index just past the character class opening at ``i``."""
    i += 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _skip_group(pattern: str, i: int) -> int:
    """Index just past the group opening at ``i`` (nested groups, classes and escapes skipped)."""
    depth = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _skip_class(pattern, i)
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        i += 1
        if depth == 0:
            return i
    return i


@dataclass(frozen=True)
class Cue:
    """A regex and strings one of which each of its matches contains: a text without them is not searched."""

    pattern: re.Pattern[str]
    words: tuple[str, ...]

    @classmethod
    def of(cls, pattern: str, flags: int = re.IGNORECASE) -> Cue:
        rx = re.compile(pattern, flags)
        return cls(rx, required_words(rx))

    def may_match(self, low: str | None) -> bool:
        """False when the text whose ``folded`` form is ``low`` cannot hold a match."""
        if low is None:
            return True
        for word in self.words:  # a loop: cheaper than any() on this hot path
            if word in low:
                return True
        return False

    def found(self, text: str, low: str | None) -> bool:
        """Does the pattern match somewhere in ``text`` (``low`` = ``folded(text)``)?"""
        return self.may_match(low) and self.pattern.search(text) is not None


def phrase_regex(phrases: list[str]) -> re.Pattern[str]:
    """One regex matching any of the phrases as whole words, longest first."""
    ordered = sorted({p.lower() for p in phrases if p}, key=lambda p: (-len(p), p))
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
    singular_nouns: frozenset[str]
    force_nouns: frozenset[str]
    attacker_nouns: frozenset[str]
    inclusive_nouns: frozenset[str]
    non_person_nouns: frozenset[str]
    part_before: re.Pattern[str]
    part_after: re.Pattern[str]
    contrast: re.Pattern[str]
    claimant_verbs: re.Pattern[str]
    claimant_preps: re.Pattern[str]
    tally_cues: tuple[Cue, ...]
    aggregate_cues: tuple[Cue, ...]
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
        singular_nouns=frozenset(raw["singular_person_nouns"]["words"]),
        force_nouns=frozenset(raw["force_nouns"]),
        attacker_nouns=frozenset(raw["attacker_nouns"]),
        inclusive_nouns=frozenset(raw["inclusive_nouns"]),
        non_person_nouns=frozenset(raw["non_person_nouns"]),
        part_before=phrase_regex(raw["part_markers_before"]),
        part_after=phrase_regex(raw["part_markers_after"]),
        contrast=phrase_regex(raw["contrast_markers"]),
        claimant_verbs=phrase_regex(raw["claimant_verbs"]),
        claimant_preps=phrase_regex(raw["claimant_preps"]),
        tally_cues=tuple(Cue.of(p) for p in raw["tally_cues"]),
        aggregate_cues=tuple(Cue.of(p) for p in raw["aggregate_cues"]["cues"]),
        anaphora=phrase_regex(raw["event_anaphora"]),
        separate=phrase_regex(raw["separate_markers"]),
        headline_max_words=int(raw["headline_max_words"]),
    )


@dataclass(frozen=True)
class EventCue:
    event_type: str
    sub_event_type: str
    weight: int
    patterns: tuple[Cue, ...]


@dataclass(frozen=True)
class EventLexicon:
    """Compiled ACLED event-type cues (see data/event_types.json)."""

    cues: tuple[EventCue, ...]
    raid: tuple[Cue, ...]
    violence: tuple[Cue, ...]


@cache
def event_lexicon() -> EventLexicon:
    raw = load_data("event_types.json")
    cues = tuple(
        EventCue(t["event_type"], t["sub_event_type"], int(t["weight"]),
                 tuple(Cue.of(p) for p in t["cues"]))
        for t in raw["types"]
    )
    return EventLexicon(
        cues=cues,
        raid=tuple(Cue.of(p) for p in raw["raid_cues"]),
        violence=tuple(Cue.of(p) for p in raw["violence"]),
    )
