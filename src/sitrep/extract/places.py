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
from typing import Any

from ..records import Evidence, Place
from .gazetteer import DATA_DIR, Entry, Gazetteer, normalise

TOKEN_RE = re.compile(r"[^\W\d_][\w'’\-]*|\d+")
POSSESSIVE_RE = re.compile(r"['’]s?$")
POSSESSIVE = re.compile(r"['’]s?")
MIN_POPULATION_ANYWHERE = 100_000  # an unconfirmed town outside the focus must be this big
MIN_POPULATION_LOCATIVE = 5_000  # ... or this big when introduced by "in", "near", ...
FOCUS_MIN_POPULATION = 50_000  # a town name counts toward focus only if this big
RECENT_TEXTS = 64  # candidates and focus are kept for this many texts (the NLP stage and the rules both ask)
SOURCE_BONUS = {"extra": 2.5, "country": 2.5, "geonames": 0.0, "admin1": -2.0}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
BLOCKING_LABELS = {"PERSON", "ORG", "NORP"}


@dataclass(frozen=True)
class _Token:
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
        end = m.end()
        possessive = POSSESSIVE_RE.search(word)
        if possessive and len(word) > 3:
            end -= len(possessive.group())
            word = word[: len(word) - len(possessive.group())]
        word = word.rstrip("-")
        tokens.append(_Token(m.start(), m.start() + len(word), word))
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
        if match is not None and tokens[i].text[:1].islower() and match.last_token == i:
            match = None  # a lone lowercase word ("north") is never a place
        if match is None:
            i += 1
            continue
        matches.append(match)
        i = match.last_token + 1
    return tokens, matches


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
    nxt = _next_token(tokens, match, text)
    if nxt is not None and nxt.text[:1].isupper():
        if match.key in lex.given_names or normalise(nxt.text) in _words("organisation_heads"):
            return True
    prev = _previous_token(tokens, match)
    if prev is not None and prev.text[:1].isupper() and _joined(text, prev, tokens[match.first_token]):
        return normalise(prev.text) in lex.given_names
    return False


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
    """The phrase (from ``phrases``) that ends right before ``start``, allowing a "the"."""
    before = normalise(text[max(0, start - 60) : start])
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
    tokens, matches = _raw_matches(text, gaz)
    return [(m.start, m.end) for m in matches
            if not _is_false_positive(text, tokens, m, gaz) and _labels_may_matter(text, tokens, m, focus)]


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


def focus_countries(text: str) -> list[str]:
    """ISO3 codes of the countries an article is about, most salient first.

    Counts country names (2), demonyms (1) and place names that exist in only one country (1.5).
    """
    return list(_focus_countries(text))


@lru_cache(maxsize=RECENT_TEXTS)
def _focus_countries(text: str) -> tuple[str, ...]:
    gaz = Gazetteer.load()
    scores: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    tokens, matches = _raw_matches(text, gaz)

    def add(iso3: str, weight: float, position: int) -> None:
        scores[iso3] += weight  # type: ignore[assignment]
        first_seen.setdefault(iso3, position)

    for token in tokens:
        iso3 = gaz.demonyms.get(normalise(token.text))
        if iso3 and token.text[:1].isupper():
            add(iso3, 1.0, token.start)
    for match in matches:
        if _is_false_positive(text, tokens, match, gaz):
            continue
        countries = [c for c in match.candidates if c.kind == "country"]
        if countries:
            add(countries[0].country, 2.0, match.start)
            continue
        if _embedded_in_name(text, tokens, match, gaz):
            continue
        owners = {c.country for c in match.candidates}
        if len(owners) == 1 and any(_telling(c, match.key) for c in match.candidates):
            add(next(iter(owners)), 1.5, match.start)
    ranked = sorted(scores, key=lambda c: (-scores[c], first_seen[c]))
    return tuple(c for c in ranked if scores[c] >= 0.2 * scores[ranked[0]]) if ranked else ()


# -- resolution ------------------------------------------------------------------------------------
def _score(entry: Entry, key: str, focus: list[str], gaz: Gazetteer) -> float:
    score = SOURCE_BONUS.get(entry.source, 0.0) + math.log10(entry.population + 1)
    if normalise(entry.name) == key:
        score += 1.0
    if entry.country in focus:
        score += max(4.0, 10.0 - 2.0 * focus.index(entry.country))
    elif any(entry.country in gaz.neighbours.get(f, ()) for f in focus[:2]):
        score += 2.0
    return score


def _best(candidates: tuple[Entry, ...] | list[Entry], key: str, focus: list[str]) -> Entry | None:
    if not candidates:
        return None
    gaz = Gazetteer.load()
    return max(candidates, key=lambda e: _score(e, key, focus, gaz))


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
    direction = _direction_before(text, tokens, match)
    if direction is not None:
        return 2, direction.start
    if _preceded_by(text, match.start, _words("proximity_before")):
        return 2, match.start
    after = text[match.end : match.end + 20].lower()
    if any(after.startswith(p) for p in _lexicon().patterns["proximity_after"]):
        return 2, match.start
    return max(1, entry.geo_precision), match.start


def find_places(text: str, doc: Any = None) -> list[Place]:
    """Every place mention in ``text``, geocoded in the article's context, in text order."""
    gaz = Gazetteer.load()
    focus = focus_countries(text)
    tokens, matches = _raw_matches(text, gaz)
    ents = _doc_entities(doc)
    places: list[Place] = []
    for match in matches:
        if _is_false_positive(text, tokens, match, gaz):
            continue
        labels = _doc_labels(text, ents, match.start, match.end)
        described = _described(text, match)
        if not described and any(label.startswith("inside:") and label[7:] in BLOCKING_LABELS for label in labels):
            continue  # a place name inside a person's or organisation's name
        entry = _best(match.candidates, match.key, focus)
        if entry is None or (not described and _vetoed_by_doc(labels, entry, focus)):
            continue
        if not _confident(entry, focus, labels, _after_locative(tokens, match)):
            continue
        if entry.source == "geonames" and entry.country not in focus and _embedded_in_name(text, tokens, match, gaz):
            continue
        precision, start = _precision(text, tokens, match, entry)
        places.append(_to_place(entry, precision, Evidence.of(text, start, match.end)))
    return places


def resolve_place(name: str, focus_countries: list[str] | None = None) -> Place | None:
    """Geocode one place name ("Jenin", "Kharkiv region", "the city of Rafah")."""
    gaz = Gazetteer.load()
    focus = list(focus_countries or [])
    key = normalise(name)
    for prefix in sorted(_words("descriptor_before"), key=len, reverse=True):
        if key.startswith(prefix + " ") and not gaz.has_key(key):
            key = key[len(prefix) + 1 :]
            break
    entry = _best(gaz.lookup_key(key), key, focus)
    if entry is None:
        return None
    return _to_place(entry)


def with_evidence(place: Place, text: str, start: int, end: int) -> Place:
    """A copy of ``place`` carrying the evidence span ``text[start:end]``."""
    return replace(place, evidence=Evidence.of(text, start, end))
