"""The admin context an article gives around its place names, read without a parser.

Used by ``places.find_places`` to resolve names the way a careful coder does:

- *stated regions*: the admin1 units the article names ("Zamfara State", "Sagaing Region", a town given as
  "Igabi local government area" stands for its admin1), per sentence and for the whole article; a candidate
  in another admin1 of the same country contradicts the text;
- *unit names*: local units the text introduces by name ("Yar Gora village", "the village of X", "Kiremu
  Woreda"), which may be missing from the gazetteer and must then be kept, unresolved, at the most specific
  verified unit around them;
- *far references*: "370 km west of X" names a reference point, not the scene;
- *sentence-initial common words* ("Four soldiers were killed", "Since 2012, ..."), which are not places.

Everything here is a regex or a token walk over the text: a few hundred microseconds per article.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from .gazetteer import DATA_DIR, normalise, skeleton
from .lexicon import alternation

SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n+")
COMPASS_ADJECTIVE = re.compile(r"^(north|south|east|west)ern\b")  # "Southern Kordofan" = "South Kordofan"
ADMIN_SUFFIX = re.compile(r"\s+(?:state|region|province|governorate|oblast|district|department|division|area|"
                          r"county|prefecture|territory|regency|zone|municipality)$")
FAR = re.compile(r"(\d+(?:[.,]\d+)?)\s*(km|kilomet(?:er|re)s?|miles?)\b(?:\s*\([^)]{0,20}\))?\s+"
                 r"(?:[a-z\-]+\s+){0,2}(?:of|from)\s+(?:the\s+)?(?:[a-z]+,?\s+){0,3}$")
NUMBER_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred dozen dozens
scores several some many few""".split())


@dataclass(frozen=True)
class UnitName:
    """A name the text introduces as a local unit: ``text[start:end]`` is the name, ``unit`` the word."""

    start: int
    end: int
    name: str
    unit: str


@cache
def _patterns() -> dict[str, Any]:
    return dict(json.loads((DATA_DIR / "place_patterns.json").read_text(encoding="utf-8")))


def _phrases(name: str) -> list[str]:
    """A phrase list of ``data/place_patterns.json``, longest first (so alternations prefer it)."""
    return sorted((str(w) for w in _patterns()[name]), key=len, reverse=True)


@cache
def _stop_words() -> frozenset[str]:
    """English function words (spaCy's list) and number words: never a place at a sentence start."""
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover - spaCy is a dependency
        return NUMBER_WORDS
    return frozenset(STOP_WORDS) | NUMBER_WORDS


@cache
def _split_from() -> dict[str, str]:
    """Admin1 units split off an older one (normalised name -> the older name the news keeps using)."""
    return {normalise(new): str(old) for new, old in _patterns()["admin1_split_from"].items()}


def admin_key(admin1: str | None) -> str:
    """A spelling-insensitive key for an admin1 name: "Zamfara State" = "Zamfara", "Oromiya" = "Oromia",
    "Southern Kordofan" = "South Kordofan",
    "Highland Papua" = "Papua" (split from it, ``admin1_split_from``)."""
    if not admin1:
        return ""
    key = normalise(_split_from().get(normalise(admin1), admin1))
    key = COMPASS_ADJECTIVE.sub(r"\1", ADMIN_SUFFIX.sub("", key))
    return skeleton(key.replace(" ", ""))


def within(inner: Any, outer: Any) -> bool:
    """Whether place ``inner`` can lie inside ``outer`` (``records.Place``s): same country and, when both
    have one, the same admin1 (compared by ``admin_key``); anything lies inside a country."""
    if inner.country != outer.country:
        return False
    if outer.kind == "country" or not inner.admin1 or not outer.admin1:
        return True
    return admin_key(inner.admin1) == admin_key(outer.admin1)


LOCATED_DEMONYM = re.compile(  # "southern Lebanese villages", "a Syrian border town": where, not who
    r"\b([A-Z][a-z]+)\s+(?:border\s+)?(?:villages?|towns?|cities|city|territory|soil|countryside|hamlets?)\b")


def located_demonyms(text: str) -> list[tuple[int, str]]:
    """(sentence index, demonym as written) for each demonym used as where something lies."""
    return [(sentence_of(text, m.start()), m.group(1)) for m in LOCATED_DEMONYM.finditer(text)]


# -- sentences ------------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def sentence_starts(text: str) -> tuple[int, ...]:
    """Start offsets of the text's sentences (punctuation and line breaks; no parser)."""
    return (0, *(m.end() for m in SENTENCE_END.finditer(text)))


def sentence_of(text: str, offset: int) -> int:
    """Index of the sentence holding ``offset``."""
    return bisect_right(sentence_starts(text), offset) - 1


def sentence_span(text: str, index: int) -> tuple[int, int]:
    starts = sentence_starts(text)
    end = starts[index + 1] if index + 1 < len(starts) else len(text)
    return starts[index], end


def opens_sentence(text: str, start: int) -> bool:
    """True when ``start`` is the first word of a sentence or a line."""
    return sentence_starts(text)[sentence_of(text, start)] == start or start == 0


def common_word_opening(text: str, start: int, end: int) -> bool:
    """A sentence-initial capitalised English function or number word ("Four soldiers...", "Since 2012")."""
    return opens_sentence(text, start) and text[start:end].lower() in _stop_words()


def is_common_word(key: str) -> bool:
    """An English function or number word ("four", "since"): a place only after "in", "near", ..."""
    return key in _stop_words()


def far_reference(text: str, start: int) -> bool:
    """Whether the name at ``start`` follows "N km (west) of", with N beyond the far-reference distance."""
    m = FAR.search(text[max(0, start - 90):start])
    if m is None:
        return False
    km = float(m.group(1).replace(",", ""))
    if m.group(2).startswith("mile"):
        km *= 1.6
    return km > float(_patterns()["far_reference_km"])


# -- unit names -------------------------------------------------------------------------------------
@cache
def _named_otherwise() -> re.Pattern[str]:
    """What may follow a name that the text uses as something else than the local unit it introduced: its
    own unit word or region suffix ("Amhara region", "Pale township"), or a people noun ("Amhara militia")."""
    units = set(_phrases("unit_words_after")) | set(_phrases("region_suffixes"))
    return re.compile(r"\s+(?:(?i:" + alternation(sorted(units), space=r"\ ") + r")|"
                      + alternation(sorted(_phrases("people_after"))) + r")\b")


@cache
def _unit_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    after = _phrases("unit_words_after")
    before = _phrases("unit_words_before")
    after_rx = re.compile(r"(?<=[\w'’])\s+(" + alternation(after, space=r"\ ") + r")\b", re.I)
    before_rx = re.compile(
        r"\b(" + alternation(before, space=r"\ ") + r")\s+(?:the\s+)?(?=" + ARABIC_ARTICLE + "[A-Z])", re.I)
    return after_rx, before_rx


ARABIC_ARTICLE = r"(?:(?-i:al|el|ad|ash|as|az|ar|an|at|ed|es|er|ez)-)?"  # "the village of al-Sawana"
NAME_RUN_AFTER = re.compile(
    ARABIC_ARTICLE + r"[A-Z][\w'’\-]*(?:\s(?:(?:al|el|de|du|bin|abu|umm|wad|da|do)[\s\-])?[A-Z][\w'’\-]*){0,3}")
NAME_RUN_BEFORE = re.compile(r"[A-Z][\w'’\-]*(?:\s[A-Z][\w'’\-]*){0,3}$")
APPOSED_UNIT = re.compile(  # "in Soumpi, Timbuktu region": an unknown name placed by the unit after it
    r"\b(?:in|at|near)\s+([A-Z][\w'’\-]*(?:\s[A-Z][\w'’\-]*){0,2}),\s+(?:the\s+)?[A-Z][\w'’\-]*"
    r"(?:\s[A-Z][\w'’\-]*){0,2}\s+(?:region|province|state|district|county|township|governorate|oblast|regency)\b")
APPOSED_AREA = re.compile(  # "killed in Kalama, in the Far North": an unknown name placed by the area after it
    r"\b(?:in|at)\s+([A-Z][\w'’\-]*(?:\s[A-Z][\w'’\-]*){0,2}),\s+in\s+(?:the\s+)?(?:[a-z]+\s+)?[A-Z]")
APPOSED_SETTLEMENT = re.compile(  # "in Nasarawa, a village in Maru local government area"
    r"\b([A-Z][\w'’\-]*(?:\s[A-Z][\w'’\-]*){0,2}),\s+(?:an?|the)\s+(?:small\s+|remote\s+|farming\s+|border\s+)?"
    r"(village|town|community|settlement|hamlet|locality|tambon|suburb|neighbou?rhood)\b")
LISTED_SETTLEMENTS = re.compile(  # "several villages in the X sector, including A, B and C": each is a village
    r"\b(villages|localities|communities|hamlets|settlements)\b[^.;:!?]{0,60}?"
    r"\b(?:including|such as|namely)\s+(?=[A-Z])")
FIGURE_WORDS = NUMBER_WORDS - {"some", "many", "few", "several"}
FIGURE_IN_NAME = re.compile(  # "9 in Boulsa", "three people in Dagou": one item of a list of figures by place
    r"(?<![\w-])(?=[\d" + "".join(sorted({w[0] + w[0].upper() for w in FIGURE_WORDS})) + r"])"  # a quick first test
    r"(?:\d{1,4}|(?i:" + alternation(FIGURE_WORDS) + r"))\s+"
    r"(?:(?i:people|persons|civilians|villagers|others|more|were\s+killed|died|killed|dead)\s+){0,2}(?:in|at)\s+"
    r"(?:the\s+)?([A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,2})(?=\s*(?:,|\band\b|\bon\b|\.|;|$))")
MAX_REPEATED = 24  # unit names looked for again further on (a cap for very long texts)
LIST_NEXT = re.compile(r",\s+(?:and\s+)?|\s+and\s+")
SETTLEMENT_UNITS = frozenset({"village", "villages", "town", "towns", "community", "communities", "settlement",
                              "hamlet", "locality", "neighbourhood", "neighborhood", "tambon", "suburb"})
POSSESSIVE_END = re.compile(r"['’]s?$")


def _name_before(text: str, end: int) -> tuple[int, int] | None:
    """The run of capitalised words ending at ``end``, less leading function words ("In", "The")."""
    window_start = max(0, end - 80)
    m = NAME_RUN_BEFORE.search(text, window_start, end)
    if m is None:
        return None
    start = m.start()
    for word in re.finditer(r"\S+", m.group()):
        if word.group().lower() not in _stop_words():
            return start + word.start(), end
    return None


def _name_after(text: str, start: int) -> tuple[int, int] | None:
    """The run of capitalised words (name connectors allowed) starting at ``start``, less a possessive."""
    m = NAME_RUN_AFTER.match(text, start)
    if m is None:
        return None
    name = POSSESSIVE_END.sub("", m.group())
    return start, start + len(name)


def unit_names(text: str, rejected: frozenset[str]) -> list[UnitName]:
    """Names introduced as local units, in text order; ``rejected``: normalised words that are never names."""
    return list(_unit_names(text, rejected))


@lru_cache(maxsize=64)
def _unit_names(text: str, rejected: frozenset[str]) -> tuple[UnitName, ...]:
    after_rx, before_rx = _unit_regexes()
    found: dict[int, UnitName] = {}
    for m in after_rx.finditer(text):
        span = _name_before(text, m.start())
        if span is not None:
            _keep(found, text, span[0], span[1], m.group(1).lower(), rejected)
    for m in before_rx.finditer(text):
        unit = m.group(1).lower().split()[0]
        if unit.endswith("s"):  # "villages of A, B and C"
            _keep_list(found, text, m.end(), unit, rejected)
        elif (span := _name_after(text, m.end())) is not None:
            _keep(found, text, span[0], span[1], unit, rejected)
    for m in APPOSED_SETTLEMENT.finditer(text):
        _keep(found, text, m.start(1), m.end(1), m.group(2), rejected)
    for m in APPOSED_UNIT.finditer(text):
        _keep(found, text, m.start(1), m.end(1), "place", rejected)
    for m in APPOSED_AREA.finditer(text):
        _keep(found, text, m.start(1), m.end(1), "place", rejected)
    for m in LISTED_SETTLEMENTS.finditer(text):
        _keep_list(found, text, m.end(), m.group(1).lower(), rejected)
    _keep_figure_lists(found, text, rejected)
    named_otherwise = _named_otherwise()
    for unit in list(found.values())[:MAX_REPEATED]:  # "a new massacre in Bint Jbeil": named again later
        for m in re.finditer(r"(?<![\w'’-])" + re.escape(unit.name) + r"(?![\w-])", text):
            if m.start() not in found and not named_otherwise.match(text, m.end()):
                found[m.start()] = UnitName(m.start(), m.end(), unit.name, unit.unit)
    return tuple(sorted(found.values(), key=lambda u: u.start))


def _keep_figure_lists(found: dict[int, UnitName], text: str, rejected: frozenset[str]) -> None:
    """Names after the figures of a list by place ("12 died in Tinkare, 9 in Boulsa and three in
    Dagou"): places, when one sentence lists at least two of them."""
    by_sentence: dict[int, list[re.Match[str]]] = {}
    for m in FIGURE_IN_NAME.finditer(text):
        by_sentence.setdefault(sentence_of(text, m.start()), []).append(m)
    for items in by_sentence.values():
        if len({m.group(1) for m in items}) >= 2:
            for m in items:
                _keep(found, text, m.start(1), m.end(1), "place", rejected)


def _keep_list(found: dict[int, UnitName], text: str, start: int, unit: str, rejected: frozenset[str]) -> None:
    """Each name of the list "A, B and C" starting at ``start``, as a unit of kind ``unit``."""
    span = _name_after(text, start)
    more = True
    while span is not None:
        _keep(found, text, span[0], span[1], unit, rejected)
        following = LIST_NEXT.match(text, span[1]) if more else None
        span = _name_after(text, following.end()) if following else None
        more = following is not None and "and" not in following.group()  # the item after "and" ends it


def _keep(found: dict[int, UnitName], text: str, start: int, end: int, unit: str, rejected: frozenset[str]) -> None:
    name = text[start:end].strip(" -")
    possessive = list(re.finditer(r"['’]s?\s+", name))
    if possessive:  # "Chhattisgarh's Narayanpur district": the unit is Narayanpur
        cut = possessive[-1].end()
        start, name = start + cut, name[cut:]
    words = [normalise(POSSESSIVE_END.sub("", w)) for w in re.split(r"[\s\-]+", name) if w]
    if not words or len(name) < 3 or (name.isupper() and len(name) <= 4):
        return
    if words[0] in _stop_words() or normalise(name) in rejected or any(w in rejected for w in words):
        return
    if any(w in NUMBER_WORDS for w in words[1:]):
        return  # a title-case headline: "Gunmen Attack Two Villages" names no village "Gunmen Attack Two"
    if start not in found or found[start].end > start + len(name):  # "Bungudu" (LGA), not "Bungudu Local Government"
        found[start] = UnitName(start, start + len(name), name, unit)
