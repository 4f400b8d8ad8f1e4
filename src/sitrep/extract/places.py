"""Find and geocode the places a news article mentions, resolving ambiguous names in context.

Candidates are capitalised token sequences (plus "northern X", "occupied X", ...) looked up in the
gazetteer, longest match first, so "Jenin refugee camp" wins over "Jenin". spaCy's entities (optional,
``nlp.Annotations``) confirm GPE/LOC/FAC mentions and vetoes names that are part of a PERSON or ORG. Ambiguous names
resolve to the countries the article is about (its *focus*), then to the larger place.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from ..records import UNRESOLVED, Evidence, Place
from .actors import one_word_actor_names
from .gazetteer import DATA_DIR, Entry, Gazetteer, normalise
from .place_context import (
    SETTLEMENT_UNITS,
    UnitName,
    admin_key,
    common_word_opening,
    far_reference,
    is_common_word,
    located_demonyms,
    opens_sentence,
    sentence_of,
    sentence_starts,
    unit_names,
    within,
)

TOKEN_RE = re.compile(r"[^\W\d_][\w'’\-]*|\d+")
POSSESSIVE_RE = re.compile(r"['’]s?$")
APOSTROPHE_S = frozenset("'’s")  # the last letters a possessive ending can have
POSSESSIVE = re.compile(r"['’]s?")
BY_BEFORE = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
POSSESSIVE_WORD = re.compile(r"(?<=\w)['’]s?\b")
MIN_POPULATION_ANYWHERE = 100_000  # an unconfirmed town outside the focus must be this big
MIN_POPULATION_LOCATIVE = 5_000  # ... or this big when introduced by "in", "near", ...
FOCUS_MIN_POPULATION = 50_000  # a town name counts toward focus only if this big
KNOWN_ON_ITS_OWN = 50_000  # a town this big is known without its region: it weighs as if the article named it
CONTRADICTED_BELOW = 100_000  # a town smaller than this in another admin1 than the sentence states is a namesake
ARTICLE_CONTRADICTED_BELOW = 5_000  # ... a village this small, outside every admin1 the article states
STATED_SENTENCE_BONUS = 6.0  # a candidate in an admin1 its sentence names
STATED_ARTICLE_BONUS = 4.0  # ... in an admin1 the article names
REGION_WORDS = ("region", "province", "state", "governorate", "oblast")  # "Timbuktu region": the town's admin1
SENTENCE_BREAK = re.compile(r"[.!?]\s|\n")  # what ends the words before a name
SIBLING_GAP = re.compile(r"\b(?:and|or)\b|[;:]")  # "Yater, Shebaa and Taybeh": siblings, not containers
DATELINE_END = re.compile(r"\s*(?:\([^)\n]{1,30}\)\s*)?(?:[:\-–—]|,\s*[A-Z][\w ]{1,20}\s*[:\-–—(])")
LEAD_SENTENCES = 2  # an unverified name may take its container from this many sentences before it
RECENT_TEXTS = 64  # candidates and focus are kept for this many texts (the NLP stage and the rules both ask)
COUNTRY_WEIGHT, SCENE_COUNTRY_WEIGHT, ACTING_COUNTRY_WEIGHT = 2.0, 3.0, 0.5  # a country name toward focus
ATTACKER_DEMONYM_WEIGHT = 0.3  # "Israeli strikes" names who attacked, not where: it counts little toward focus
SOURCE_BONUS = {"extra": 2.5, "country": 2.5, "geonames": 0.0, "admin2": -1.0, "admin1": -2.0}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
BLOCKING_LABELS = {"PERSON", "ORG", "NORP"}


class _Token(NamedTuple):
    """A word and its offsets (a named tuple: an article has thousands, built on every scan)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    key: str
    candidates: tuple[Entry, ...]
    first_token: int
    last_token: int


@dataclass(frozen=True)
class _Lexicon:
    stopwords: frozenset[str]
    given_names: frozenset[str]
    patterns: dict[str, Any]


@cache
def _lexicon() -> _Lexicon:
    stop: set[str] = set()
    given: set[str] = set()
    section = stop
    for line in (DATA_DIR / "place_stopwords.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line in ("[stop]", "[given]"):
            section = stop if line == "[stop]" else given
            continue
        section.add(normalise(line))
    patterns = json.loads((DATA_DIR / "place_patterns.json").read_text(encoding="utf-8"))
    return _Lexicon(frozenset(stop), frozenset(given), patterns)


@cache
def _words(name: str) -> frozenset[str]:
    return frozenset(normalise(w) for w in _lexicon().patterns[name])


# -- tokens and candidate spans ----------------------------------------------------------------
def _tokens(text: str) -> list[_Token]:
    """Word tokens with offsets; a trailing possessive ("Gaza's") is left outside the token."""
    tokens = []
    for m in TOKEN_RE.finditer(text):
        word = m.group()
        if word[-1] in APOSTROPHE_S and len(word) > 3 and (possessive := POSSESSIVE_RE.search(word)):
            word = word[: len(word) - len(possessive.group())]
        if word[-1] == "-":
            word = word.rstrip("-")
        start = m.start()
        tokens.append(_Token(start, start + len(word), word))
    return tokens


def _joined(text: str, left: _Token, right: _Token) -> bool:
    """True when two tokens belong to one phrase (only spaces, a hyphen or an apostrophe between)."""
    gap = text[left.end : right.start]
    return len(gap) <= 3 and all(ch in " -'’" for ch in gap)


_ARTICLE_PREFIXED = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ed|es)[-‐’'][A-Z]")


def _may_start(token: _Token) -> bool:
    """Names start with a capital, a listed lowercase word, or an Arabic article: al-Mughayyir, el-Geneina."""
    return (token.text[:1].isupper() or normalise(token.text) in _words("lowercase_starts")
            or bool(_ARTICLE_PREFIXED.match(token.text)))


def _longest_match(text: str, tokens: list[_Token], i: int, gaz: Gazetteer) -> _Match | None:
    """The longest gazetteer name starting at token ``i``."""
    best: _Match | None = None
    for j in range(i, min(len(tokens), i + gaz.max_key_tokens)):
        if j > i and not _joined(text, tokens[j - 1], tokens[j]):
            break
        key = normalise(text[tokens[i].start : tokens[j].end])
        if gaz.has_key(key):
            best = _Match(tokens[i].start, tokens[j].end, key, tuple(gaz.lookup_key(key)), i, j)
        elif best is None and (variants := gaz.lookup_spelling(key)):
            best = _Match(tokens[i].start, tokens[j].end, key, tuple(variants), i, j)
    return best


def _raw_matches(text: str, gaz: Gazetteer) -> tuple[list[_Token], list[_Match]]:
    """Greedy, non-overlapping longest matches in text order (kept for the last texts: callers ask thrice)."""
    return _scan_matches(text, gaz)


@lru_cache(maxsize=RECENT_TEXTS)
def _scan_matches(text: str, gaz: Gazetteer) -> tuple[list[_Token], list[_Match]]:
    """Greedy, non-overlapping longest matches in text order."""
    tokens = _tokens(text)
    matches: list[_Match] = []
    i = 0
    while i < len(tokens):
        match = _longest_match(text, tokens, i, gaz) if _may_start(tokens[i]) else None
        if match is not None and tokens[i].text[:1].islower() and match.last_token == i \
                and not _ARTICLE_PREFIXED.match(tokens[i].text):
            match = None  # a lone lowercase word ("north") is never a place; "al-Jib" is one
        if match is None:
            i += 1
            continue
        matches.append(match)
        i = match.last_token + 1
    return tokens, matches


def _named_matches(text: str, gaz: Gazetteer) -> tuple[list[_Token], list[_Match]]:
    """The scan's tokens and its matches less the false positives (``_is_false_positive``)."""
    tokens, matches = _raw_matches(text, gaz)
    false = _false_positive_starts(text, gaz)
    return tokens, [m for m in matches if m.start not in false]


@lru_cache(maxsize=RECENT_TEXTS)
def _false_positive_starts(text: str, gaz: Gazetteer) -> frozenset[int]:
    """Start offsets of the scan's matches that name no place, decided once: four readers ask."""
    tokens, matches = _raw_matches(text, gaz)
    return frozenset(m.start for m in matches if _is_false_positive(text, tokens, m, gaz))


# -- filters -------------------------------------------------------------------------------------
def _next_token(tokens: list[_Token], match: _Match, text: str) -> _Token | None:
    nxt = match.last_token + 1
    if nxt < len(tokens) and _joined(text, tokens[match.last_token], tokens[nxt]):
        return tokens[nxt]
    return None


def _previous_token(tokens: list[_Token], match: _Match) -> _Token | None:
    return tokens[match.first_token - 1] if match.first_token > 0 else None


def _is_false_positive(text: str, tokens: list[_Token], match: _Match, gaz: Gazetteer) -> bool:
    """Common words, demonyms, given names before a surname, names inside organisation names."""
    lex = _lexicon()
    if match.key in lex.stopwords or gaz.demonyms.get(match.key) or len(match.key) < 3:
        return True
    if match.key in one_word_actor_names() and not any(c.kind in ("country", "region") for c in match.candidates):
        return True  # "Fano militants", "Hezbollah said": an armed group, not the Italian or any other town
    if match.first_token == match.last_token and not any(c.source in ("extra", "country") for c in match.candidates):
        if common_word_opening(text, match.start, match.end) or (is_common_word(match.key)
                                                                 and not _after_locative(tokens, match)):
            return True  # "Four soldiers were killed", "Since 2012, ..."
    nxt = _next_token(tokens, match, text)
    if nxt is not None and normalise(nxt.text) in _words("people_after") and nxt.text[:1].islower() \
            and all(c.kind == "region" for c in match.candidates):
        return True  # "Amhara civilians": an ethnic adjective
    if nxt is not None and nxt.text[:1].isupper():
        if match.key in lex.given_names or normalise(nxt.text) in _words("organisation_heads"):
            return True
    if _country_named_unit_of(text, match, gaz):
        return True  # "the central Mexico state of Guanajuato": a descriptor, not the state called Mexico
    prev = _previous_token(tokens, match)
    if prev is not None and _joined(text, prev, tokens[match.first_token]) and \
            normalise(prev.text) in _words("person_titles") and \
            not any(c.kind in ("country", "region") for c in match.candidates):
        return True  # "Governor Uba Sani" is a person
    if prev is not None and prev.text[:1].isupper() and _joined(text, prev, tokens[match.first_token]):
        return normalise(prev.text) in lex.given_names or _third_name(text, tokens, match, gaz)
    return False


def _country_named_unit_of(text: str, match: _Match, gaz: Gazetteer) -> bool:
    """A country's name with a unit word, then "of" ("the Mexico state of X", "Nigeria's state of")."""
    words = match.key.split()
    if len(words) < 2 or words[-1] not in _words("region_suffixes"):
        return False
    return " ".join(words[:-1]) in _country_keys(gaz) and text[match.end:match.end + 4].lower() == " of "


@lru_cache(maxsize=1)
def _country_keys(gaz: Gazetteer) -> frozenset[str]:
    return frozenset(normalise(n) for n in gaz.country_names.values())


def _third_name(text: str, tokens: list[_Token], match: _Match, gaz: Gazetteer) -> bool:
    """A one-word town after two capitalised words that are neither places nor common words is a surname:
    "Private Jean Paul Kindu", "Sgt Maria Luisa Pamplona" (a region, a country or our own place is kept)."""
    if match.first_token < 2 or match.first_token != match.last_token \
            or any(c.source != "geonames" for c in match.candidates):
        return False
    first, second = tokens[match.first_token - 2], tokens[match.first_token - 1]
    if not (first.text[:1].isupper() and _joined(text, first, second)) or opens_sentence(text, first.start):
        return False
    for word in (normalise(first.text), normalise(second.text)):
        if word in _lexicon().stopwords or is_common_word(word) or word in _words("locative_before") \
                or word in _words("direction_words") or word in _words("person_titles") \
                or any(c.kind in ("region", "country") or c.source == "extra" for c in gaz.lookup_key(word)):
            return False
    return True


def _embedded_in_name(text: str, tokens: list[_Token], match: _Match, gaz: Gazetteer) -> bool:
    """True when capitalised words run on either side ("Boko Haram", "Rapid Support Forces")."""
    neighbours = [_next_token(tokens, match, text)]
    prev = _previous_token(tokens, match)
    if prev is not None and _joined(text, prev, tokens[match.first_token]):
        neighbours.append(prev)
    for token in neighbours:
        if token is None or not token.text[:1].isupper():
            continue
        word = normalise(token.text)
        if word in _words("locative_before") or gaz.demonyms.get(word.split()[0]):
            continue
        if word in _lexicon().stopwords and word not in _words("organisation_heads"):
            continue
        return True
    return False


def _doc_entities(doc: Any) -> list[tuple[int, int, str]]:
    """spaCy's entities as (start_char, end_char, label), in text order (``doc``: an ``nlp.Annotations``)."""
    return [] if doc is None else list(doc.entities)


def _doc_labels(text: str, ents: list[tuple[int, int, str]], start: int, end: int) -> set[str]:
    """Entity labels overlapping [start, end); 'inside:<LABEL>' when strictly inside one (an entity that
    only adds a possessive, "Mangai's", does not hold the name inside it).

    spaCy's entities do not overlap, so their ends are sorted: bisect instead of a scan (a scan per
    match made long articles quadratic)."""
    labels: set[str] = set()
    for ent_start, ent_end, label in ents[bisect_right(ents, start, key=itemgetter(1)):]:
        if ent_start >= end:
            break
        labels.add(label)
        if ent_start <= start and ent_end >= end and (ent_end - ent_start) > (end - start):
            if not (ent_start == start and POSSESSIVE.fullmatch(text, end, ent_end)):
                labels.add(f"inside:{label}")
    return labels


def _vetoed_by_doc(labels: set[str], entry: Entry, focus: list[str]) -> bool:
    """spaCy calls the span a person or organisation (and not a place): trust it for weak candidates."""
    if not labels & BLOCKING_LABELS or labels & PLACE_LABELS:
        return False
    if entry.kind in ("country", "region") or entry.source == "extra":  # the small model mislabels these often
        return False
    if entry.source == "user" and entry.country in focus[:2] and " " in entry.name:
        return False  # an imported village of the story's country: its unfamiliar name is often called a person
    if "PERSON" in labels:  # the small model often tags unfamiliar town names as people
        return entry.country not in focus[:2] or entry.population < 5000
    return entry.source == "geonames" and entry.country not in focus


def _preceded_by(text: str, start: int, phrases: frozenset[str]) -> str | None:
    """The phrase (from ``phrases``) that ends right before ``start`` in its sentence, allowing a "the"."""
    before = SENTENCE_BREAK.split(text[max(0, start - 60) : start])[-1]
    before = normalise(before)
    if before.endswith(" the") or before == "the":
        before = before[:-4].rstrip()
    for phrase in _longest_first(phrases):
        if before == phrase or before.endswith(" " + phrase):
            return phrase
    return None


@lru_cache(maxsize=32)
def _longest_first(phrases: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))


# -- where entity labels are needed --------------------------------------------------------------
ENTITY_GAP = re.compile(r"(?:['’]s?)?[ \t&'’\-–]*")  # what may lie between two words of one entity
SENTENCE_OPENING = re.compile(r"(?:^|[.!?:;\"“”]\s+|\n\s*)\Z")


def entity_positions(text: str) -> list[tuple[int, int]]:
    """(start, end) of the place candidates whose fate spaCy's entity labels can change.

    Labels are read only at candidates (``find_places``): a candidate next to another name word may
    lie inside a person's or organisation's name; a weak candidate may be vetoed by PERSON/ORG or
    confirmed by GPE/LOC/FAC. Everything else is decided without labels, so NER can skip its sentence.
    """
    gaz = Gazetteer.load()
    focus = focus_countries(text)
    tokens, matches = _named_matches(text, gaz)
    return [(m.start, m.end) for m in matches if _labels_may_matter(text, tokens, m, focus)]


def _labels_may_matter(text: str, tokens: list[_Token], match: _Match, focus: list[str]) -> bool:
    """The decisions of ``find_places`` that read labels, asked with every label they could see."""
    if _beside_name_word(text, tokens, match):
        return True
    entry = _best(match.candidates, match.key, focus)
    if entry is None:
        return False
    if not _described(text, match) and any(_vetoed_by_doc({label}, entry, focus) for label in BLOCKING_LABELS):
        return True
    return not _confident(entry, focus, set(), _after_locative(tokens, match))


def _described(text: str, match: _Match) -> bool:
    """Introduced as a place ("the town of X"): entity labels may not veto it."""
    return _preceded_by(text, match.start, _words("descriptor_before")) is not None


def _after_locative(tokens: list[_Token], match: _Match) -> bool:
    """Right after "in", "near", ... (more likely a place)."""
    prev = _previous_token(tokens, match)
    return prev is not None and normalise(prev.text) in _words("locative_before")


def _beside_name_word(text: str, tokens: list[_Token], match: _Match) -> bool:
    """Whether an entity could run past the candidate: a capitalised word after it (also after a
    possessive), a name word before it ("Laascaanood General Hospital", "Gaza's Health Ministry",
    "Bank of Khartoum", "The Jenin Brigade"). A lone possessive does not count: see ``_doc_labels``."""
    after = tokens[match.last_token + 1] if match.last_token + 1 < len(tokens) else None
    if after is not None and _in_one_name(text, tokens[match.last_token], after) and _name_word(after):
        return True
    if match.first_token == 0:
        return False
    before = tokens[match.first_token - 1]
    if not _in_one_name(text, before, tokens[match.first_token]) or not _name_word(before):
        return False
    word = normalise(before.text)
    if word in _words("connectors") and not before.text[:1].isupper():  # "south of X" no, "Bank of X" yes
        earlier = tokens[match.first_token - 2] if match.first_token > 1 else None
        return earlier is not None and earlier.text[:1].isupper() and _in_one_name(text, earlier, before)
    opens_sentence = before.start == 0 or bool(SENTENCE_OPENING.search(text, max(0, before.start - 6), before.start))
    return not (opens_sentence and word in _lexicon().stopwords)


def _in_one_name(text: str, left: _Token, right: _Token) -> bool:
    """Whether one entity could hold both tokens: only spaces, hyphens, apostrophes, "&" or a possessive
    between them, or the full stop of a short abbreviation ("St. Petersburg")."""
    gap = text[left.end : right.start]
    if ENTITY_GAP.fullmatch(gap):
        return True
    return gap.strip() == "." and len(left.text) <= 3 and left.text[:1].isupper()


def _name_word(token: _Token) -> bool:
    """A word that can belong to a multiword name: capitalised, a number, or a connector ("of", "de")."""
    return token.text[:1].isupper() or token.text[:1].isdigit() or normalise(token.text) in _words("connectors")


# -- focus -----------------------------------------------------------------------------------------
def _telling(entry: Entry, key: str) -> bool:
    """Whether a candidate is notable enough for its name to point to its country."""
    if entry.source == "extra":
        return True
    return normalise(entry.name) == key and entry.population >= FOCUS_MIN_POPULATION


def _unit_written_in_full(match: _Match) -> str | None:
    """The country of the one region whose full name the text writes ("Plateau State", "Sagaing Region"),
    when only the bare name is shared with other countries: local papers often never name their country."""
    if match.key.split()[-1] not in _words("region_suffixes"):
        return None
    owners = {c.country for c in match.candidates
              if c.kind == "region" and match.key in (normalise(c.name), normalise(c.admin1 or ""))}
    return next(iter(owners)) if len(owners) == 1 else None


def focus_countries(text: str, start: int = 0) -> list[str]:
    """ISO3 codes of the countries an article (from offset ``start`` on) is about, most salient first.

    Counts country names (2), demonyms (1) and place names that exist in only one country (1.5).
    """
    return list(_focus_countries(text, start))


@lru_cache(maxsize=RECENT_TEXTS)
def _focus_countries(text: str, start: int = 0) -> tuple[str, ...]:
    scores: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for position, iso3, weight in _focus_votes(text):
        if position >= start:
            scores[iso3] += weight  # type: ignore[assignment]
            first_seen.setdefault(iso3, position)
    ranked = sorted(scores, key=lambda c: (-scores[c], first_seen[c]))
    return tuple(c for c in ranked if scores[c] >= 0.2 * scores[ranked[0]]) if ranked else ()


@lru_cache(maxsize=RECENT_TEXTS)
def _focus_votes(text: str) -> tuple[tuple[int, str, float], ...]:
    """(offset, ISO3, weight) of every name that points to a country: demonyms first, then place names.
    Computed once per text; ``_focus_countries`` counts those from an offset on."""
    gaz = Gazetteer.load()
    votes: list[tuple[int, str, float]] = []
    tokens, matches = _named_matches(text, gaz)
    for i, token in enumerate(tokens):
        iso3 = gaz.demonyms.get(normalise(token.text))
        if iso3 and token.text[:1].isupper():
            votes.append((token.start, iso3, ATTACKER_DEMONYM_WEIGHT if _names_attacker(tokens, i) else 1.0))
    for match in matches:
        if (named := _country_named(text, match, gaz)) is not None:
            votes.append((match.start, *named))
            continue
        if _embedded_in_name(text, tokens, match, gaz):
            continue
        owners = {c.country for c in match.candidates}
        if len(owners) == 1 and any(_telling(c, match.key) for c in match.candidates):
            votes.append((match.start, next(iter(owners)), 1.5))
        elif (region := _unit_written_in_full(match)) is not None:
            votes.append((match.start, region, 1.5))
    return tuple(votes)


def _country_named(text: str, match: _Match, gaz: Gazetteer) -> tuple[str, float] | None:
    """(ISO3, weight toward focus) when the name is a country ("in Lebanon") or a direction and a country
    ("south Lebanon": the scene, as "in Lebanon" is), else None."""
    country = next((c.country for c in match.candidates if c.kind == "country"), None)
    if country is not None:
        return country, _country_weight(text, match)
    part_of = _part_of_country(match, gaz)
    return None if part_of is None else (part_of, SCENE_COUNTRY_WEIGHT)


def _country_weight(text: str, match: _Match) -> float:
    """A country named as the scene ("in Lebanon", "southern Lebanon") weighs most; one that acts ("Israel
    launched") or that is the other party ("exchanged fire with Israel") least; any other mention ("an
    attack on Israel", "Lebanon's ministry") in between."""
    if _preceded_by(text, match.start, _scene_words()) is not None:
        return SCENE_COUNTRY_WEIGHT
    if _preceded_by(text, match.start, _words("counterpart_before")) is not None:
        return ACTING_COUNTRY_WEIGHT
    return ACTING_COUNTRY_WEIGHT if _metonym(text, match) else COUNTRY_WEIGHT


@cache
def _scene_words() -> frozenset[str]:
    """Words before a country that make it the scene: "in", "into", ... and the directions ("southern")."""
    return _words("scene_before") | _words("direction_words")


def _part_of_country(match: _Match, gaz: Gazetteer) -> str | None:
    """The country of a name that is a direction and a country ("south Lebanon", "northern Syria"), else None."""
    words = match.key.split()
    if len(words) < 2 or words[0] not in _words("direction_words"):
        return None
    return next((c.country for c in gaz.lookup_key(" ".join(words[1:])) if c.kind == "country"), None)


def _names_attacker(tokens: list[_Token], i: int) -> bool:
    """The demonym at ``i`` names the side that attacks ("Israeli strikes", "Russian drones"), not a place."""
    return i + 1 < len(tokens) and normalise(tokens[i + 1].text) in _words("attacker_heads")


# -- stated admin units ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Regions:
    """The admin1 units an article states ("Zamfara State", "Bijapur district" for its admin1), as
    (ISO3, ``admin_key``) pairs: for the whole article, per sentence, and which of them are formal units
    (informal areas like "south Lebanon" raise a candidate but never rule one out)."""

    article: frozenset[tuple[str, str]] = frozenset()
    by_sentence: tuple[tuple[int, frozenset[tuple[str, str]]], ...] = ()
    formal: frozenset[tuple[str, str]] = frozenset()
    main: Entry | None = None  # the region the article names most (in its first focus country)
    scene_countries: frozenset[tuple[int, str]] = frozenset()  # (sentence, ISO3): "in eastern Ukraine"

    def in_sentence(self, sentence: int | None) -> frozenset[tuple[str, str]]:
        for index, keys in self.by_sentence:
            if index == sentence:
                return keys
        return frozenset()

    def bonus(self, entry: Entry, sentence: int | None, mention: str = "") -> float:
        """Points for a candidate in a region (or country) its sentence or the article states. ``mention``: the
        normalised name written; a country's own name is never turned into a town by the scene bonus."""
        key = (entry.country, admin_key(entry.admin1))
        if not key[1]:
            return 0.0
        if (sentence, entry.country) in self.scene_countries and not self.in_sentence(sentence) \
                and not _names_a_country(mention):
            return STATED_SENTENCE_BONUS  # "officials in eastern Ukraine ... the city of Donetsk"
        if key in self.in_sentence(sentence):
            return STATED_SENTENCE_BONUS
        if key in self.article:
            return STATED_ARTICLE_BONUS
        # a city this size is known on its own: a region named elsewhere in the article (a live blog, a
        # roundup) does not make a village namesake of it the likelier reading
        big = entry.population >= KNOWN_ON_ITS_OWN and any(k[0] == entry.country for k in self.article)
        return STATED_ARTICLE_BONUS if big else 0.0

    def contradicts(self, entry: Entry, sentence: int | None, settlement: bool = False) -> bool:
        """A town in another admin1 of the same country than the text states around it: a namesake.
        ``settlement``: the text calls the name a village or neighbourhood, so no size makes it the namesake."""
        if entry.kind in ("region", "country") or entry.source != "geonames" or not entry.admin1:
            return False
        key = (entry.country, admin_key(entry.admin1))
        here = {k for k in self.in_sentence(sentence) if k[0] == entry.country and k in self.formal}
        if here and key not in here and entry.population < CONTRADICTED_BELOW:
            return True
        stated = {k for k in self.formal if k[0] == entry.country}
        small = settlement or entry.population < ARTICLE_CONTRADICTED_BELOW
        return bool(stated) and key not in stated and small


def _is_formal(entry: Entry) -> bool:
    """A real admin1 unit ("North Darfur", "Zamfara State"), not an informal area ("south Lebanon")."""
    return bool(entry.admin1) and (entry.source == "admin1" or entry.name[:1].isupper())


def _words_after(text: str, end: int, width: int) -> str:
    """The normalised words right after ``end``, a possessive dropped ("Sulu province's town" -> "province town")."""
    return normalise(POSSESSIVE_WORD.sub(" ", text[end:end + width]))


def _admin_unit_after(text: str, match: _Match) -> bool:
    """The name is followed by an admin unit word ("Bijapur district", "Igabi local government area")."""
    after = _words_after(text, match.end, 30)
    return any(after.startswith(w + " ") or after == w for w in _words("unit_words_admin"))


@lru_cache(maxsize=RECENT_TEXTS)
def _stated_regions(text: str) -> _Regions:
    """Admin1 units the article names: regions, then towns named as districts (resolved with the regions)."""
    gaz = Gazetteer.load()
    focus = focus_countries(text)
    tokens, matches = _named_matches(text, gaz)
    pairs: list[tuple[int, tuple[str, str], bool]] = []
    mentions: Counter[tuple[str, str]] = Counter()  # "Oromiya region" and "Oromia" are one region
    shown: dict[tuple[str, str], Entry] = {}
    towns: list[_Match] = []
    for match in matches:
        best = _best(match.candidates, match.key, focus)
        if best is not None and _part_of_longer_name(text, tokens, match, best, focus, gaz) \
                and not _before_organisation_word(text, tokens, match):  # "Papua Police" still names Papua
            continue
        if best is not None:
            best = _region_named_by_town(text, match, best, gaz)
        if best is not None and best.kind == "region" and best.country in focus and best.admin1:
            sentence = sentence_of(text, match.start)
            pairs.append((sentence, (best.country, admin_key(best.admin1)), _is_formal(best)))
            key = (best.country, admin_key(best.admin1))
            mentions[key] += 1 + (match.key.split()[-1] in _words("region_suffixes")) + (sentence < 3)
            shown.setdefault(key, best)
        elif _admin_unit_after(text, match):
            towns.append(match)
    first = _Regions(article=frozenset(p[1] for p in pairs))
    for match in towns:  # a town named as a district counts where it agrees with the regions, or none is named
        best = _best(match.candidates, match.key, focus, first)
        if best is None or best.country not in focus or not best.admin1 or best.kind == "country":
            continue
        key = (best.country, admin_key(best.admin1))
        if key in first.article or not any(k[0] == best.country for k in first.article):
            pairs.append((sentence_of(text, match.start), key, True))
    by_sentence: dict[int, set[tuple[str, str]]] = {}
    for sentence, key, _formal in pairs:
        by_sentence.setdefault(sentence, set()).add(key)
    top = max(mentions, key=lambda k: (k[0] == focus[0], mentions[k]), default=None) if focus else None
    main = shown[top] if top is not None else None
    return _Regions(
        article=frozenset(p[1] for p in pairs),
        by_sentence=tuple((k, frozenset(v)) for k, v in sorted(by_sentence.items())),
        formal=frozenset(p[1] for p in pairs if p[2]),
        main=main,
        scene_countries=_scene_countries(text),
    )


def _scene_countries(text: str) -> frozenset[tuple[int, str]]:
    """(sentence, ISO3) for each country a sentence names as the scene ("in Ukraine", "south Lebanon"): the
    focus votes of scene weight (only ``_country_named`` gives it)."""
    return frozenset((sentence_of(text, position), iso3) for position, iso3, weight in _focus_votes(text)
                     if weight == SCENE_COUNTRY_WEIGHT)


# -- resolution ------------------------------------------------------------------------------------
def _score(entry: Entry, key: str, focus: list[str], gaz: Gazetteer,
           regions: _Regions | None = None, sentence: int | None = None) -> float:
    score = SOURCE_BONUS.get(entry.source, 0.0) + math.log10(entry.population + 1)
    if normalise(entry.name) == key:
        score += 1.0
    if entry.country in focus:
        score += max(4.0, 10.0 - 2.0 * focus.index(entry.country))
    elif any(entry.country in gaz.neighbours.get(f, ()) for f in focus[:2]):
        score += 2.0
    if regions is not None:
        score += regions.bonus(entry, sentence, key)
    return score


@lru_cache(maxsize=4096)
def _names_a_country(key: str) -> bool:
    """Is this normalised name a country's ("Mexico", not only Mexico City)?"""
    return any(c.kind == "country" for c in Gazetteer.load().lookup_key(key))


def _best(candidates: tuple[Entry, ...] | list[Entry], key: str, focus: list[str],
          regions: _Regions | None = None, sentence: int | None = None) -> Entry | None:
    if not candidates:
        return None
    gaz = Gazetteer.load()
    return max(candidates, key=lambda e: _score(e, key, focus, gaz, regions, sentence))


def _confident(entry: Entry, focus: list[str], labels: set[str], locative: bool) -> bool:
    """Whether an entry found by name alone is plausibly the place meant."""
    if entry.source in ("extra", "country") or entry.country in focus:
        return True
    if labels & PLACE_LABELS:
        return True
    if locative and entry.population >= MIN_POPULATION_LOCATIVE:
        return True
    return entry.population >= MIN_POPULATION_ANYWHERE


def _to_place(entry: Entry, precision: int | None = None, evidence: Evidence | None = None) -> Place:
    return Place(
        name=entry.name,
        lat=entry.lat,
        lon=entry.lon,
        country=entry.country,
        admin1=entry.admin1,
        admin2=entry.admin2,
        geo_precision=precision if precision is not None else entry.geo_precision,
        kind="populated place" if entry.source == "geonames" else entry.kind,
        parent=entry.parent,
        evidence=evidence,
    )


def _direction_before(text: str, tokens: list[_Token], match: _Match) -> _Token | None:
    prev = _previous_token(tokens, match)
    if prev is not None and normalise(prev.text) in _words("direction_words") and prev.text[:1].islower():
        if _joined(text, prev, tokens[match.first_token]):
            return prev
    return None


def _precision(text: str, tokens: list[_Token], match: _Match, entry: Entry) -> tuple[int, int]:
    """(geo_precision, evidence start) given the words around the mention."""
    if entry.geo_precision >= 3 or entry.kind in ("region", "country"):
        direction = _direction_before(text, tokens, match)
        return 3, direction.start if direction else match.start
    if far_reference(text, match.start):
        return 3, match.start  # "370 km west of X": a reference point, not the scene
    direction = _direction_before(text, tokens, match)
    if direction is not None:
        return 2, direction.start
    if _admin_unit_after(text, match):
        return 2, match.start  # "Bijapur district": the district, located at its town
    if _preceded_by(text, match.start, _words("proximity_before")):
        return 2, match.start
    after = text[match.end : match.end + 20].lower()
    if any(after.startswith(p) for p in _lexicon().patterns["proximity_after"]):
        return 2, match.start
    return max(1, entry.geo_precision), match.start


def find_places(text: str, doc: Any = None) -> list[Place]:
    """Every place mention in ``text``, geocoded in the article's context, in text order.

    A candidate that contradicts the admin1 its sentence (or the article) states is a namesake and is
    dropped; a name the text introduces as a local unit ("X village", "the district of X") that the
    gazetteer does not verify is kept as an unresolved place (``kind`` "unresolved") located at the most
    specific verified unit named around it (see ``_unresolved``)."""
    gaz = Gazetteer.load()
    focus = focus_countries(text)
    tokens, matches = _named_matches(text, gaz)
    ents = _doc_entities(doc)
    regions = _stated_regions(text)
    units = unit_names(text, _rejected_names(gaz))
    places: list[Place] = []
    senses: dict[str, tuple[str, str]] = {}  # name -> (ISO3, admin1 key) of its first resolution
    unverified: list[tuple[int, int, str, str]] = []  # start, end, name, unit word ("" when none)
    for match in matches:
        if _inside_unit_name(match, units) or _metonym(text, match):
            continue
        labels = _doc_labels(text, ents, match.start, match.end)
        described = _described(text, match) or any(u.start == match.start for u in units)
        if not described and any(label.startswith("inside:") and label[7:] in BLOCKING_LABELS for label in labels):
            continue  # a place name inside a person's or organisation's name
        match = _home_town_for_unit(tokens, match, focus, gaz)
        sentence = sentence_of(text, match.start)
        settlement = any(u.start == match.start and u.unit in SETTLEMENT_UNITS for u in units)
        town = any(u.start == match.start and u.unit in ("town", "towns", "city") for u in units)
        candidates = [c for c in match.candidates  # "the town of X" may be a town known on its own
                      if not regions.contradicts(c, sentence, settlement and not (
                          town and c.population >= KNOWN_ON_ITS_OWN))]
        if settlement and (lies_in := _located_in(text, sentence)):
            candidates = [c for c in candidates if c.country in lies_in]  # "Lebanese villages ... of Taybeh"
        if not candidates:
            placed_here = bool(regions.in_sentence(sentence))  # else only the article disagrees: drop it
            if described or (placed_here and (_after_locative(tokens, match) or labels & PLACE_LABELS)):
                unit = next((u.unit for u in units if u.start == match.start), "")
                unverified.append((match.start, match.end, text[match.start:match.end], unit))
            continue
        candidates = _same_sense(candidates, senses.get(_bare_key(match.key)))
        entry = _best(candidates, match.key, focus, regions, sentence)
        if entry is None or (not described and _vetoed_by_doc(labels, entry, focus)):
            continue
        if not _confident(entry, focus, labels, _after_locative(tokens, match)):
            continue
        if _part_of_longer_name(text, tokens, match, entry, focus, gaz):
            continue
        entry = _region_named_by_town(text, match, entry, gaz)
        precision, start = _precision(text, tokens, match, entry)
        places.append(_to_place(entry, precision, Evidence.of(text, start, match.end)))
        senses.setdefault(_bare_key(match.key), (entry.country, admin_key(entry.admin1)))
    seen = {start for start, _, _, _ in unverified}
    unverified += [(u.start, u.end, u.name, u.unit) for u in units
                   if u.start not in seen and not _verified(u, places, focus)]
    return _with_unresolved(text, places, unverified, regions, focus)


def _bare_key(key: str) -> str:
    """A normalised name without its unit word: "bijapur district" -> "bijapur"."""
    head, _, last = key.rpartition(" ")
    return head if head and (last in _words("region_suffixes") or last in _words("unit_words_after")) else key


def _same_sense(candidates: list[Entry], sense: tuple[str, str] | None) -> list[Entry]:
    """One name, one place in an article: the candidates in the country and admin1 where the name was first
    resolved ("Bijapur district" of Chhattisgarh, then a bare "Bijapur" is not Karnataka's city), if any."""
    if sense is None:
        return candidates
    same = [c for c in candidates if (c.country, admin_key(c.admin1)) == sense]
    return same or candidates


def _metonym(text: str, match: _Match) -> bool:
    """A place named as an actor stands for its government: "Kyiv said", "blamed by Yaounde on rebels"."""
    if BY_BEFORE.search(text, max(0, match.start - 8), match.start):
        return _preceded_by(text, match.start, _words("metonym_by_before")) is not None
    if _metonym_verb().match(text, match.end) is None:  # "strikes on Idlib, said the monitor": no metonym
        return False
    # "officials in Gaza said", "the governor of the X region said": a seat, read by the incident builder
    # (a connector such as "as" is no seat: "as Moscow continued" is a metonym)
    return _preceded_by(text, match.start, _words("locative_before")) is None


@cache
def _metonym_verb() -> re.Pattern[str]:
    verbs = sorted(_words("metonym_verbs_after"), key=len, reverse=True)
    return re.compile(r" (?:" + "|".join(re.escape(v) for v in verbs) + r")\b", re.I)


@cache
def _region_or_front_words() -> tuple[str, ...]:
    """Words after a town that name its region ("Timbuktu region") or a front ("the Kherson direction")."""
    return (*REGION_WORDS, *_words("front_words"))


def _region_named_by_town(text: str, match: _Match, entry: Entry, gaz: Gazetteer) -> Entry:
    """"Timbuktu region", "Kharkiv province", "the Kherson direction" (a front): the town's admin1 region when the
    text names a region or a front by its town."""
    if entry.kind in ("region", "country") or not entry.admin1:
        return entry
    after = _words_after(text, match.end, 12)
    if not any(after.startswith(w + " ") or after == w for w in _region_or_front_words()):
        return entry
    names = (entry.admin1, f"{entry.admin1} region", f"{entry.admin1} province", f"{entry.admin1} state")
    regions = [e for n in names for e in gaz.lookup(n) if e.kind == "region" and e.country == entry.country]
    return regions[0] if regions else entry._replace(geo_precision=3)


def _part_of_longer_name(text: str, tokens: list[_Token], match: _Match, entry: Entry, focus: list[str],
                         gaz: Gazetteer) -> bool:
    """A foreign town or a bare admin1 or district name followed or preceded by other name words ("Nasarawa
    Mai Fara", "Puncak Kabo")."""
    weak = (entry.source == "geonames" and entry.country not in focus) or \
        (entry.source in ("admin1", "admin2") and normalise(entry.name) == match.key)
    return weak and _embedded_in_name(text, tokens, match, gaz) and not _admin_unit_after(text, match)


def _home_town_for_unit(tokens: list[_Token], match: _Match, focus: list[str], gaz: Gazetteer) -> _Match:
    """"Karak district" in a Pakistan story: the foreign region of that name loses to the story's town Karak,
    which stands for its district (the match is cut before "district", so ``_precision`` gives 2)."""
    words = match.key.split()
    if not focus or len(words) < 2 or match.last_token == match.first_token \
            or words[-1] not in _words("region_suffixes") or any(c.country in focus for c in match.candidates):
        return match
    bare = " ".join(words[:-1])
    home = tuple(c for c in gaz.lookup_key(bare) if c.country in focus)
    if not home:
        return match
    last = match.last_token - 1
    return _Match(match.start, tokens[last].end, bare, home, match.first_token, last)


def _located_in(text: str, sentence: int) -> set[str]:
    """Countries that the sentence or the one before says villages or towns lie in ("Lebanese villages")."""
    gaz = Gazetteer.load()
    return {iso3 for index, demonym in located_demonyms(text) if index in (sentence, sentence - 1)
            and (iso3 := gaz.demonym_country(demonym) or "")}


def _before_organisation_word(text: str, tokens: list[_Token], match: _Match) -> bool:
    nxt = _next_token(tokens, match, text)
    return nxt is not None and normalise(nxt.text) in _words("organisation_heads")


def _rejected_names(gaz: Gazetteer) -> frozenset[str]:
    """Words that never name a local unit: the place stopwords, given names, demonyms, organisation words."""
    lex = _lexicon()
    return lex.stopwords | lex.given_names | frozenset(gaz.demonyms) | _words("organisation_heads")


def _inside_unit_name(match: _Match, units: list[UnitName]) -> bool:
    """"Katsina" inside "Yar Katsina village": part of a longer local name, not the town."""
    return any(u.start <= match.start and match.end <= u.end and (match.start, match.end) != (u.start, u.end)
               for u in units)


def _verified(unit: UnitName, places: list[Place], focus: list[str]) -> bool:
    """The gazetteer resolved this unit name (or a name starting with it) to a place in the story's countries."""
    for p in places:
        if p.evidence is not None and p.evidence.start <= unit.start < p.evidence.end + 1:
            if unit.unit in SETTLEMENT_UNITS and p.kind == "region" and not unit.unit.endswith("s"):
                return False  # "Nasarawa, a village in ...": not the state of that name ("Plateau villages" are)
            return not focus or p.country in focus or p.kind == "country"
        if p.evidence is not None and unit.start <= p.evidence.start < unit.end:
            return True
    return False


def _with_unresolved(text: str, places: list[Place], unverified: list[tuple[int, int, str, str]],
                     regions: _Regions, focus: list[str]) -> list[Place]:
    """``places`` plus one unresolved place per unverified name, in text order."""
    kept = [p for p in places if not any(p.evidence and s <= p.evidence.start < e for s, e, _, _ in unverified)]
    out = list(kept)
    for start, end, name, unit in unverified:
        wide = (unit in _words("unit_words_admin") or unit in ("municipality", "commune", "county")) \
            and unit not in _words("sub_district_units")
        place = _unresolved(text, start, end, name, kept, regions, focus, wide)
        if place is not None:
            out.append(place)
    return sorted(_best_container_each(out), key=lambda p: p.evidence.start if p.evidence else 0)


def _best_container_each(places: list[Place]) -> list[Place]:
    """One unresolved name is one place: every mention takes the most specific container any mention found
    ("Naranseina village in Bishnupur" first, a bare "Naranseina" later is not moved to the region)."""
    best: dict[str, Place] = {}
    for p in places:
        key = normalise(p.name)
        if p.kind == UNRESOLVED and (key not in best or p.geo_precision < best[key].geo_precision):
            best[key] = p
    out = []
    for p in places:
        b = best.get(normalise(p.name)) if p.kind == UNRESOLVED else None
        if b is not None and b.geo_precision < p.geo_precision and b.country == p.country:
            p = replace(p, lat=b.lat, lon=b.lon, admin1=b.admin1, admin2=b.admin2, geo_precision=b.geo_precision,
                        parent=b.parent)
        out.append(p)
    return out


def _unresolved(text: str, start: int, end: int, name: str, places: list[Place], regions: _Regions,
                focus: list[str], wide: bool = False) -> Place | None:
    """A name the gazetteer cannot verify, kept as written and located at the most specific verified unit
    around it: a town or district of its sentence (geo_precision 2, after the name first: "X village in Y
    district"), else a region of its sentence, else the article's main region, else its main country
    (geo_precision 3). None when the article gives no verified unit at all. ``wide``: the name is a district
    or municipality, which holds the towns around it rather than lying in them: located at a region."""
    container = _container(text, start, places, regions, focus, wide)
    if container is None:
        return None
    specific = container.geo_precision < 3 and container.kind not in ("region", "country", UNRESOLVED)
    return Place(name=name, lat=container.lat, lon=container.lon, country=container.country,
                 admin1=container.admin1, admin2=container.admin2 if specific else None,
                 geo_precision=2 if specific else 3, kind=UNRESOLVED, parent=container.name,
                 evidence=Evidence.of(text, start, end))


def _container(text: str, start: int, places: list[Place], regions: _Regions, focus: list[str],
               wide: bool = False) -> Place | None:
    sentence = sentence_of(text, start)
    starts = sentence_starts(text)
    lo = starts[sentence]
    hi = starts[sentence + 1] if sentence + 1 < len(starts) else len(text)
    around = [p for p in places if p.evidence and lo <= p.evidence.start < hi and p.kind != "country"
              and (not focus or p.country in focus)]
    after = [p for p in around if p.evidence and p.evidence.start > start
             and not SIBLING_GAP.search(text, start, p.evidence.start)]
    before = [p for p in reversed(around) if p.evidence and p.evidence.start < start]
    for group in (after, before):
        for p in group:
            if p.geo_precision < 3 and p.kind not in ("region", "country") and not wide:
                return p
    regions_here = [p for p in around if p.kind == "region"]
    lead = None if wide or _new_scene(text[lo:hi]) else _town_just_before(text, sentence, places, focus, regions_here)
    if lead is not None:
        return lead
    for group in (after, before):
        for p in group:
            if p.kind == "region":
                return p
    lies_in = _located_in(text, sentence)
    if regions.main is not None and (not lies_in or regions.main.country in lies_in):
        return _to_place(regions.main)
    gaz = Gazetteer.load()
    country = next(iter(sorted(lies_in)), None) or (focus[0] if focus else None)
    entry = gaz.country_entry(country) if country else None
    return _to_place(entry) if entry is not None else None


def _town_just_before(text: str, sentence: int, places: list[Place], focus: list[str],
                      regions_here: list[Place]) -> Place | None:
    """The one town or district named in the sentences just before ("... in Beni territory. The attack hit
    the villages of A and B in North Kivu"): the story's narrower place, when it lies in the regions named.
    None when they name several (a list of towns is no container) or only a dateline's city."""
    towns = [p for p in places if p.evidence is not None
             and sentence - LEAD_SENTENCES <= sentence_of(text, p.evidence.start) < sentence
             and p.geo_precision < 3 and p.kind not in ("region", "country", UNRESOLVED)
             and (not focus or p.country in focus) and not _line_head(text, p.evidence)]
    if len({(p.name, p.country) for p in towns}) != 1 or not all(within(towns[0], r) for r in regions_here):
        return None
    return towns[0]


def _new_scene(sentence: str) -> bool:
    """The sentence moves to another scene ("In a separate incident, ...", "Elsewhere, ...")."""
    words = f" {normalise(sentence)} "
    return any(f" {w} " in words for w in _words("new_scene_words"))


def _line_head(text: str, evidence: Evidence) -> bool:
    """A name heading its line as a dateline does ("KINSHASA: ...", "Sidon (Lebanon) - ..."), or in capitals."""
    if evidence.text.isupper():
        return True
    line_start = text.rfind("\n", 0, evidence.start) + 1
    return not text[line_start:evidence.start].strip() and bool(DATELINE_END.match(text, evidence.end))


def resolve_place(name: str, focus_countries: list[str] | None = None, text: str | None = None) -> Place | None:
    """Geocode one place name ("Jenin", "Kharkiv region", "the city of Rafah"); with ``text``, the admin1
    units that text states break ties between namesakes (a dateline's city in the story's region)."""
    gaz = Gazetteer.load()
    focus = list(focus_countries or [])
    key = normalise(name)
    for prefix in sorted(_words("descriptor_before"), key=len, reverse=True):
        if key.startswith(prefix + " ") and not gaz.has_key(key):
            key = key[len(prefix) + 1 :]
            break
    entry = _best(gaz.lookup_key(key), key, focus, _stated_regions(text) if text else None)
    if entry is None:
        return None
    return _to_place(entry)


def with_evidence(place: Place, text: str, start: int, end: int) -> Place:
    """A copy of ``place`` carrying the evidence span ``text[start:end]``."""
    return replace(place, evidence=Evidence.of(text, start, end))
