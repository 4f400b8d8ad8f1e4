"""Loads the word lists of news language that the extractor reads (data/*.json), once."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
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


MAX_REQUIRED_WORDS = 8  # a cue's pre-check tries at most this many strings
SELECTIVE_LENGTH = 10  # a required string this long is rare enough: fewer strings count for more then


def required_words(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Lower-case strings one of which every match of ``pattern`` contains (("",) when unsure).

    Only the top level of the pattern is read: runs of literal ASCII characters and groups of plain
    alternatives ("(raid|attack)"), neither quantified; a run of them spells the strings of their product
    ("(last|past) few" gives "last few" and "past few"). Of all runs with at most ``MAX_REQUIRED_WORDS``
    strings, the one whose shortest string is longest wins (up to ``SELECTIVE_LENGTH``; then the fewest
    strings). A top-level "|" means nothing is required.
    """
    atoms = None if pattern.flags & re.VERBOSE else _top_level_atoms(pattern.pattern)
    options: list[tuple[str, ...]] = [("",)]
    segment: list[tuple[str, ...]] = []
    for atom in [*(atoms or []), None]:
        if atom is None or (isinstance(atom, str) and not atom.isascii()):
            options.extend(_products(segment))
            segment = []
        else:
            segment.append((atom,) if isinstance(atom, str) else atom)

    def selectivity(words: tuple[str, ...]) -> tuple[int, int, int]:
        shortest = min(map(len, words))
        return min(shortest, SELECTIVE_LENGTH), -len(words), shortest

    return tuple(word.lower() for word in max(options, key=selectivity))


def _products(segment: list[tuple[str, ...]]) -> Iterator[tuple[str, ...]]:
    """The strings each contiguous run of ``segment``'s atoms (tuples of alternatives) spells, while few."""
    for first in range(len(segment)):
        strings: tuple[str, ...] = ("",)
        for atom in segment[first:]:
            strings = tuple(dict.fromkeys(s + a for s in strings for a in atom))
            if len(strings) > MAX_REQUIRED_WORDS:
                break
            yield strings


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


@dataclass(frozen=True, eq=False)
class Cue:
    """A regex and strings one of which each of its matches contains: a text without them is not searched.
    Cues compare by identity (they are set members on hot paths)."""

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


@dataclass(frozen=True)
class CueSet:
    """Cues read together: the strings they require are looked for once per text, not once per cue."""

    cues: tuple[Cue, ...]
    words: tuple[str, ...]
    cues_of: dict[str, tuple[Cue, ...]]

    @classmethod
    def of(cls, cues: tuple[Cue, ...]) -> CueSet:
        cues_of: dict[str, tuple[Cue, ...]] = {}
        for cue in cues:
            for word in cue.words:
                cues_of[word] = (*cues_of.get(word, ()), cue)
        return cls(cues, tuple(cues_of), cues_of)

    def possible(self, low: str | None) -> tuple[Cue, ...]:
        """The cues, in order, that may match the text whose ``folded`` form is ``low``."""
        if low is None:
            return self.cues
        present = [word for word in self.words if word in low]
        if not present:
            return ()
        if len(present) == 1:
            return self.cues_of[present[0]]
        chosen = {cue for word in present for cue in self.cues_of[word]}
        return tuple(cue for cue in self.cues if cue in chosen)


def alternation(phrases: Iterable[str], space: str = r"\s+") -> str:
    """A regex alternation of literal phrases that prefers the longest, a space matching ``space``.

    Written as a trie ("kill(?:ed|ing)?" for killed, killing, kill), so the regex engine reads each shared
    prefix once; where two branches differ only in case (and so may both match under IGNORECASE) it falls
    back to the phrases longest first. Both forms match the same text in every flag mode."""
    words = sorted({p for p in phrases if p})
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    body = _trie_pattern(trie, space)
    if body is not None:
        return body
    ordered = sorted(words, key=lambda p: (-len(p), p))
    return "|".join(re.escape(p).replace(r"\ ", space) for p in ordered)


def _trie_pattern(node: dict[str, Any], space: str) -> str | None:
    """The pattern of a trie node; None when two of its branches differ only in case."""
    chars = sorted(ch for ch in node if ch)
    if len({ch.lower() for ch in chars}) < len(chars) or (len(chars) > 1 and not all(ch.isascii() for ch in chars)):
        return None
    parts = []
    for ch in chars:
        rest = _trie_pattern(node[ch], space)
        if rest is None:
            return None
        parts.append((space if ch == " " else re.escape(ch)) + rest)
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if "" in node else body


def phrase_regex(phrases: list[str]) -> re.Pattern[str]:
    """One regex matching any of the phrases as whole words, longest first."""
    body = alternation(p.lower() for p in phrases)
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
    part_after: re.Pattern[str]  # right after a figure, a noun or two allowed: "three of them", "7 children among them"
    contrast: re.Pattern[str]
    claimant_verbs: re.Pattern[str]
    claimant_preps: re.Pattern[str]
    tally_cues: CueSet
    aggregate_cues: CueSet
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
        part_after=re.compile(r"\s*(?:[\w’'-]+\s+){0,2}?" + phrase_regex(raw["part_markers_after"]).pattern, re.I),
        contrast=phrase_regex(raw["contrast_markers"]),
        claimant_verbs=phrase_regex(raw["claimant_verbs"]),
        claimant_preps=phrase_regex(raw["claimant_preps"]),
        tally_cues=CueSet.of(tuple(Cue.of(p) for p in raw["tally_cues"])),
        aggregate_cues=CueSet.of(tuple(Cue.of(p) for p in raw["aggregate_cues"]["cues"])),
        anaphora=re.compile(phrase_regex(raw["event_anaphora"]).pattern + r"|(?<![\w-])the\s+(?:[\w’'-]+\s+){1,2}(?:"
                            + alternation(raw["event_anaphora_nouns"]) + r")(?![\w-])", re.I),
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
