"""Named victims: "identified as X, 24, and Y, 31", "A, 72; B, 25; ...", "the commander, Colonel X"."""

from __future__ import annotations

import re

from ..records import Evidence, Victim
from .lexicon import load_data

NAME_TOKEN = (r"(?:(?:al|el|bin|ibn|abu|de|da|ould|ag)-[A-Z][\w’'\-]*[\w’']|[A-Z][\w’'\-]*[\w’']"
              r"|(?:al|el|bin|ibn|abu|Abu|de|da|van|von|ould|ag)(?=\s))")
NAME = rf"(?:(?:U|Daw|Saw|Nan)\s+)?[A-Z][\w’'\-]*[\w’'](?:\s+{NAME_TOKEN}){{1,4}}"
NAME_AGE = re.compile(rf"(?P<name>{NAME}),\s*(?:aged\s+)?(?P<age>\d{{1,3}})(?=\s*(?:[,;.)]|and\b|$|years))")
IDENTIFIED = re.compile(
    rf"\b(?:identified|named)\s+(?:him|her|them|the(?:\s+[\w-]+){{1,4}}?)?\s*as\s+(?P<names>{NAME}(?:,\s*\d{{1,3}})?"
    rf"(?:\s*(?:,|and|, and)\s*{NAME}(?:,\s*\d{{1,3}})?)*)"
)


def _lists() -> dict[str, list[str]]:
    return load_data("victims.json")  # type: ignore[no-any-return]


_DATA = _lists()
RANKS = "|".join(sorted((re.escape(r) for r in _DATA["ranks"]), key=len, reverse=True))
RANKED = re.compile(rf"\b(?:{RANKS})\.?\s+(?P<name>{NAME})")
ROLE_NAME = re.compile(  # "the mosque's imam, Mawlawi Abdul Karim", "the commander, Colonel X"
    rf"\b(?:commander|imam|priest|pastor|journalist|reporter|photographer|doctor|chief|mayor|governor|leader|"
    rf"head|teacher|nurse|driver|officer|activist|cameraman|paramedic|principal|elder)\s*,\s+(?P<name>{NAME})")
NOT_NAMES = frozenset(w.lower() for w in _DATA["not_name_words"])
KILLED = re.compile(r"\b(killed|dead|died|slain|shot dead|murdered|executed|bodies|funeral|martyred|lost)\b", re.I)
INJURED = re.compile(r"\b(wounded|injured|hurt|hospitali[sz]ed|treated|wounds?|injur(y|ies))\b", re.I)
SPEAKER_AFTER = re.compile(r",?\s*(?:said|says|told|added|wrote|announced)\b", re.I)
SPEAKER_BEFORE = re.compile(r"\b(?:said|says|told|added|according to|recalled|explained)\s+$", re.I)
ARRESTED = re.compile(r"\b(arrested|detained|custody)\b", re.I)
ABDUCTED = re.compile(r"\b(abducted|kidnapped|hostage)\b", re.I)


def _outcome(sentence: str) -> str | None:
    for outcome, rx in (("killed", KILLED), ("injured", INJURED), ("arrested", ARRESTED),
                        ("abducted", ABDUCTED)):
        if rx.search(sentence):
            return outcome
    return None


def _plausible(name: str) -> bool:
    words = name.split()
    if len(words) < 2 or any(w.lower().strip("’'") in NOT_NAMES for w in words):
        return False
    return not any(ch.isdigit() for ch in name)


def find_victims(text: str, start: int, end: int, context_outcome: str | None = None) -> list[Victim]:
    """Named people in ``text[start:end]`` who were killed, injured, detained or abducted."""
    sentence = text[start:end]
    outcome = _outcome(sentence) or context_outcome
    if outcome is None:
        return []
    found: dict[str, Victim] = {}
    evidence = Evidence.of(text, start, end)

    def add(name: str, age: int | None, at: int | None = None) -> None:
        name = re.sub(r"\s+", " ", name).strip(" ,")
        if at is not None and SPEAKER_BEFORE.search(text[max(start, at - 25):at]):
            # a quoted speaker is a victim only if the same clause says they were hurt
            if not INJURED.search(text[at:min(end, at + 90)]):
                return
        if _plausible(name) and name not in found and (age is None or 0 < age <= 110):
            found[name] = Victim(name=name, age=age, outcome=outcome, evidence=evidence)  # type: ignore[arg-type]

    for m in NAME_AGE.finditer(sentence):
        lead = _strip_lead(m.group("name"))
        at = start + m.start("name") + m.group("name").find(lead.split()[0]) if lead else None
        add(lead, int(m.group("age")), at)
    for m in IDENTIFIED.finditer(sentence):
        for part in re.split(r"\s*(?:, and|,|\band\b)\s*", m.group("names")):
            part = part.strip()
            if part and not part.isdigit():
                add(_strip_lead(part), None)
    for m in RANKED.finditer(sentence):
        add(m.group("name"), None)
    for m in ROLE_NAME.finditer(sentence):
        if not SPEAKER_AFTER.match(sentence, m.end("name")):  # "the governor, Oleh Syniehubov, said"
            add(_strip_lead(m.group("name")), None)
    return list(found.values())


def _strip_lead(name: str) -> str:
    """'were Adnan Baara' -> 'Adnan Baara'; drops leading words that are not part of a name."""
    words = name.split()
    while words and (words[0].lower() in NOT_NAMES
                     or all(part in RANK_WORDS for part in words[0].rstrip(".").split("-"))):
        words.pop(0)
    return " ".join(words)


RANK_WORDS = frozenset(w for rank in _DATA["ranks"] for w in re.split(r"[\s-]", rank))
