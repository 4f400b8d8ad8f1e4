"""Find the armed actors, security forces and collective groups an article names, normalised to
ACLED-style canonical names ("Israeli troops" -> "Military Forces of Israel").

Knowledge lives in ``data/actors.json`` (canonical actors, aliases, templates, generic terms) and
``data/countries.json`` (country names and demonyms).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any

from ..records import ActorMention, Evidence
from .gazetteer import DATA_DIR
from .lexicon import alternation, folded

STATE_KINDS = ("military", "police")
INTER_BY_CATEGORY = {
    "state forces": 1,
    "rebel group": 2,
    "political militia": 3,
    "identity militia": 4,
    "rioters": 5,
    "protesters": 6,
    "civilians": 7,
    "external/other": 8,
}


@dataclass(frozen=True)
class ActorSpec:
    """A canonical actor (or a rule that yields one once the country is known)."""

    name: str
    category: str
    inter: int
    country: str | None
    kind: str = "named"  # named, context:<military|police>, generic, collective:<key>
    parent: str | None = None


@dataclass(frozen=True)
class _Country:
    iso3: str
    name: str
    names: tuple[str, ...]  # name + aliases
    demonyms: tuple[str, ...]


@dataclass(frozen=True)
class _Tables:
    phrases: dict[str, ActorSpec]  # lowercased phrase -> spec (case-insensitive)
    exact: dict[str, ActorSpec]  # case-sensitive acronyms
    exact_pattern: re.Pattern[str]
    acronym_specs: dict[str, ActorSpec]  # 'US troops' (head lowercased) -> spec
    acronym_pattern: re.Pattern[str]
    pattern_starts: re.Pattern[str]  # where a phrase of ``pattern`` may begin (a fast pre-filter)
    phrase_index: _PhraseIndex  # ``pattern`` split by first word
    countries: dict[str, _Country]
    state_names: dict[tuple[str, str], str]  # (ISO3, military|police) -> canonical name
    data: dict[str, Any]


def _phrase_regex(phrases: list[str], flags: int) -> re.Pattern[str]:
    parts = []
    for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)):
        escaped = re.sub(r"['’]", "['’]", re.escape(phrase)).replace(r"\ ", r"\s+")
        parts.append(escaped)
    body = "|".join(parts) or "(?!x)x"
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)


def _escaped(phrase: str) -> str:
    return re.sub(r"['’]", "['’]", re.escape(phrase)).replace(r"\ ", r"\s+")


def _start_regex(phrases: list[str], flags: int) -> re.Pattern[str]:
    """Zero-width matches wherever the first word of one of ``phrases`` begins (same flags and escaping).

    Every match of ``_phrase_regex(phrases)`` starts at one of these positions, so trying the big
    alternation only there (``_finditer``) finds exactly the same matches, much faster.
    """
    trie: dict[str, Any] = {}
    for first in {phrase.split(" ")[0] for phrase in phrases}:
        node = trie
        for ch in first:
            node = node.setdefault(ch, {})
        node[""] = {}  # a whole first word ends here
    body = _trie_regex(trie) or "(?!x)x"
    return re.compile(rf"(?<![\w-])(?=(?:{body}))", flags)


def _trie_regex(node: dict[str, Any]) -> str:
    """A regex matching any word of the trie (or a longer string it starts), as one branching pattern."""
    if "" in node:
        return ""  # enough for a look-ahead: a shorter first word already matches here
    parts = [_escaped(ch) + _trie_regex(child) for ch, child in sorted(node.items())]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _finditer(index: _PhraseIndex, starts: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``index.whole.finditer(text)``, trying a match only where ``starts`` says one can begin."""
    resume = 0
    for candidate in starts.finditer(text):
        position = candidate.start()
        if position < resume:
            continue
        match = index.match_at(text, position)
        if match is not None:
            resume = match.end()
            yield match


_WORD_END = re.compile(r"[^\w-]")


class _PhraseIndex:
    """The phrases of a case-insensitive phrase regex, one small regex per first word.

    The whole regex tries its phrases longest first and takes the first that matches. Only phrases
    whose first word is at the position can match there, so the longest match among those first
    words' regexes is the same match (two different phrases of equal length never match at one
    position). An ASCII first word is there exactly when the text there, lowercased and with ’ read
    as ', starts with it (``folded``; where that does not hold the whole regex is used), and it can
    match only if no word character or hyphen follows (or the window ends there). Non-ASCII
    first words are tried wherever the text is not ASCII: they cannot match ASCII text.
    """

    def __init__(self, phrases: list[str], flags: int) -> None:
        self.phrases = phrases
        self.flags = flags
        self.by_first: dict[str, list[str]] = {}
        for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)):
            self.by_first.setdefault(phrase.split(" ")[0], []).append(phrase)
        self.ascii_firsts = frozenset(first for first in self.by_first if first.isascii())
        self.non_ascii = sorted(first for first in self.by_first if not first.isascii())
        self.odd_firsts = any(folded(first) is None for first in self.non_ascii)  # then use the whole regex
        self.lengths = sorted({len(first) for first in self.ascii_firsts})
        self.width = max(map(len, self.by_first), default=0)  # the window covers every first word
        self._patterns: dict[str, re.Pattern[str]] = {}

    @cached_property
    def whole(self) -> re.Pattern[str]:
        """The regex of every phrase: compiled only if a text needs it (a second or two for the big tables)."""
        return _phrase_regex(self.phrases, self.flags)

    def _pattern(self, first: str) -> re.Pattern[str]:
        if first not in self._patterns:
            self._patterns[first] = _phrase_regex(self.by_first[first], self.flags)
        return self._patterns[first]

    def match_at(self, text: str, position: int) -> re.Match[str] | None:
        raw = text[position : position + self.width]
        window = folded(raw)
        if window is None or self.odd_firsts:
            return self.whole.match(text, position)
        window = window.replace("’", "'")
        ends = {m.start() for m in _WORD_END.finditer(raw)} | {len(raw)}  # a first word ends before [^\w-]
        firsts = [window[:n] for n in self.lengths if n in ends and window[:n] in self.ascii_firsts]
        if not raw.isascii():
            firsts += self.non_ascii
        found = [m for first in firsts if (m := self._pattern(first).match(text, position)) is not None]
        if len(found) < 2:
            return found[0] if found else None
        return max(found, key=lambda m: len(_key(m.group())))


def _key(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.replace("’", "'")).strip().lower()


def _load_countries() -> dict[str, _Country]:
    config = json.loads((DATA_DIR / "countries.json").read_text(encoding="utf-8"))
    return {
        row["iso3"]: _Country(row["iso3"], row["name"], (row["name"], *row["aliases"]), tuple(row["demonyms"]))
        for row in config["countries"]
    }


def _named_specs(data: dict[str, Any]) -> tuple[dict[str, ActorSpec], dict[str, ActorSpec]]:
    phrases: dict[str, ActorSpec] = {}
    exact: dict[str, ActorSpec] = {}
    for row in data["actors"]:
        spec = ActorSpec(row["name"], row["category"], row["inter"], row.get("country"), parent=row.get("parent"))
        for alias in [row["name"], *row["aliases"]]:
            phrases.setdefault(_key(alias), spec)
        for alias in row.get("case_sensitive_aliases", []):
            exact.setdefault(alias, spec)
    return phrases, exact


@cache
def one_word_actor_names() -> frozenset[str]:
    """Named non-state actors written as one word ("Fano", "Hezbollah"), lowercased: never a place name."""
    return frozenset(alias.lower() for row in _actor_data()["actors"] if row["category"] != "state forces"
                     for alias in [row["name"], *row["aliases"]] if " " not in alias.strip())


def _state_names(data: dict[str, Any], countries: dict[str, _Country]) -> dict[tuple[str, str], str]:
    """Canonical state-force names per country: explicit actors first, then the templates."""
    names: dict[tuple[str, str], str] = {}
    for row in data["actors"]:
        if row["inter"] == 1 and row.get("country"):
            kind = "police" if row["name"].startswith("Police") else "military"
            names.setdefault((row["country"], kind), row["name"])
    for iso3, country in countries.items():
        for kind in STATE_KINDS:
            template = data["state_templates"][kind]["name"]
            names.setdefault((iso3, kind), template.format(country=country.name))
    return names


def _country_prefixes(country: _Country) -> list[str]:
    """'Israeli', 'Israel's', 'Israel' ... as they precede a noun like 'army'."""
    prefixes = [d for d in country.demonyms if not d.endswith("s") or d.endswith("ese")]
    for name in country.names:
        prefixes += [f"{name}'s", f"{name}’s"]
    return prefixes


def _state_heads(data: dict[str, Any], kind: str) -> list[str]:
    """Nouns that name a state's forces after a demonym: 'army', 'police' and, for the military, its
    weapons and strikes ('a Russian missile', 'Israeli air strikes', 'the junta's jets')."""
    template = data["state_templates"][kind]
    return [*template["heads"], *template.get("attack_heads", [])]


def _acronyms(country: _Country) -> list[str]:
    """'US', 'U.S.', 'UK', 'DRC': short capitalised names used as adjectives ('US strikes')."""
    return [n for n in country.names if len(n.replace(".", "")) <= 4 and n.replace(".", "").isupper()]


def _acronym_specs(
    data: dict[str, Any], countries: dict[str, _Country], state_names: dict[tuple[str, str], str]
) -> tuple[dict[str, ActorSpec], re.Pattern[str]]:
    """Case-sensitive 'US troops', 'U.S. air strike', 'DRC army' (a lowercase 'us' is a pronoun): the
    spec per '<acronym> <head>' (head lowercased) and one regex, acronym then head, that finds them."""
    specs: dict[str, ActorSpec] = {}
    acronyms: list[str] = []
    heads = {head: kind for kind in STATE_KINDS for head in _state_heads(data, kind)}
    for iso3, country in countries.items():
        for acronym in _acronyms(country):
            acronyms.append(acronym)
            for head, kind in heads.items():
                specs.setdefault(f"{acronym} {head}", ActorSpec(state_names[(iso3, kind)], "state forces", 1, iso3))
    first = "|".join(_escaped(a) for a in sorted(acronyms, key=len, reverse=True)) or "(?!x)x"
    rest = "|".join(_escaped(h) for h in sorted(heads, key=len, reverse=True))
    return specs, re.compile(rf"(?<![\w-])(?:{first})\s+(?i:{rest})(?![\w-])")


def _template_specs(
    data: dict[str, Any], countries: dict[str, _Country], state_names: dict[tuple[str, str], str]
) -> dict[str, ActorSpec]:
    phrases: dict[str, ActorSpec] = {}
    non_state = data.get("non_state_sides", {})
    for iso3, country in countries.items():
        prefixes = _country_prefixes(country)
        for kind in STATE_KINDS:
            if kind in non_state.get(iso3, {}) and non_state[iso3][kind] is None:
                continue
            name = non_state.get(iso3, {}).get(kind) or state_names[(iso3, kind)]
            spec = ActorSpec(name, "state forces", 1, iso3)
            for head in _state_heads(data, kind):
                for prefix in prefixes:
                    phrases.setdefault(_key(f"{prefix} {head}"), spec)
        for template in data["collective_templates"].values():
            spec = ActorSpec(
                template["name"].format(country=country.name), template["category"], template["inter"], iso3
            )
            for head in template["heads"]:
                for prefix in prefixes:
                    phrases.setdefault(_key(f"{prefix} {head}"), spec)
        for term in data["generic_terms"]:
            for demonym in country.demonyms:
                spec = ActorSpec(f"Unidentified Armed Group ({country.name})", "rebel group", 2, iso3, "generic")
                phrases.setdefault(_key(f"{demonym} {term}"), spec)
    return phrases


def _context_specs(data: dict[str, Any]) -> dict[str, ActorSpec]:
    phrases: dict[str, ActorSpec] = {}
    for kind, aliases in data["context_aliases"].items():
        for alias in aliases:
            phrases.setdefault(_key(alias), ActorSpec("", "state forces", 1, None, f"context:{kind}"))
    for key, template in data["collective_templates"].items():
        for head in template["heads"]:
            spec = ActorSpec("", template["category"], template["inter"], None, f"collective:{key}")
            phrases.setdefault(_key(head), spec)
    for term in data["generic_terms"]:
        phrases.setdefault(_key(term), ActorSpec("", "rebel group", 2, None, "generic"))
    return phrases


@cache
def _actor_data() -> dict[str, Any]:
    """``data/actors.json``, read once."""
    data: dict[str, Any] = json.loads((DATA_DIR / "actors.json").read_text(encoding="utf-8"))
    return data


@cache
def _tables() -> _Tables:
    data = _actor_data()
    countries = _load_countries()
    state_names = _state_names(data, countries)
    named, exact = _named_specs(data)
    acronym_specs, acronym_pattern = _acronym_specs(data, countries, state_names)
    phrases = {**_context_specs(data), **_template_specs(data, countries, state_names), **named}
    return _Tables(
        phrases=phrases,
        exact=exact,
        exact_pattern=_phrase_regex(list(exact), 0),
        acronym_specs=acronym_specs,
        acronym_pattern=acronym_pattern,
        pattern_starts=_start_regex(list(phrases), re.IGNORECASE),
        phrase_index=_PhraseIndex(list(phrases), re.IGNORECASE),
        countries=countries,
        state_names=state_names,
        data=data,
    )


# -- resolution ------------------------------------------------------------------------------------
def _state_country(kind: str, focus: list[str], preferred: list[str]) -> str | None:
    """The country whose state forces an unqualified 'troops'/'police' most likely are."""
    non_state = _tables().data.get("non_state_sides", {})
    for iso3 in [*preferred, *focus]:
        if kind in non_state.get(iso3, {}) and non_state[iso3][kind] is None:
            continue
        return iso3
    return None


def _country_name(iso3: str) -> str:
    country = _tables().countries.get(iso3)
    if country:
        return country.name
    from .gazetteer import Gazetteer

    return Gazetteer.load().country_names.get(iso3, iso3)


def _resolve(spec: ActorSpec, focus: list[str], preferred: list[str]) -> ActorSpec | None:
    """Fill in the canonical name of a context-dependent spec; None when it can't be attributed."""
    if spec.kind == "named" or spec.name:
        return spec
    tables = _tables()
    if spec.kind == "context:government":  # 'the junta', 'regime forces': the country's own army
        iso3 = _state_country("military", focus, [])
        if iso3 is None:
            return None
        name = tables.state_names.get((iso3, "military")) or f"Military Forces of {_country_name(iso3)}"
        return ActorSpec(name, "state forces", 1, iso3, spec.kind)
    if spec.kind.startswith("context:"):
        kind = spec.kind.split(":", 1)[1]
        iso3 = _state_country(kind, focus, preferred)
        if iso3 is None:
            return None
        override = tables.data.get("non_state_sides", {}).get(iso3, {}).get(kind)
        name = override or tables.state_names.get((iso3, kind)) or f"Military Forces of {_country_name(iso3)}"
        return ActorSpec(name, "state forces", 1, iso3, spec.kind)
    country = focus[0] if focus else None
    label = _country_name(country) if country else "Unknown"
    if spec.kind.startswith("collective:"):
        template = tables.data["collective_templates"][spec.kind.split(":", 1)[1]]
        return ActorSpec(template["name"].format(country=label), spec.category, spec.inter, country, spec.kind)
    return ActorSpec(f"Unidentified Armed Group ({label})", "rebel group", 2, country, "generic")


def _mention(spec: ActorSpec, text: str, start: int, end: int) -> ActorMention:
    return ActorMention(
        name=spec.name,
        mention=text[start:end],
        category=spec.category,
        inter_code=spec.inter or INTER_BY_CATEGORY.get(spec.category, 0),
        country=spec.country,
        evidence=Evidence.of(text, start, end),
    )


def _raw_matches(text: str) -> list[tuple[int, int, ActorSpec]]:
    """Non-overlapping phrase matches, longest first, in text order."""
    tables = _tables()
    found = [(m.start(), m.end(), tables.phrases[_key(m.group())])
             for m in _finditer(tables.phrase_index, tables.pattern_starts, text)]
    found += [(m.start(), m.end(), tables.exact[m.group()]) for m in tables.exact_pattern.finditer(text)]
    found += [(m.start(), m.end(), tables.acronym_specs[_acronym_key(m.group())])
              for m in tables.acronym_pattern.finditer(text)]
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int, ActorSpec]] = []  # kept sorted by start; never overlapping, so ends are sorted
    starts: list[int] = []
    for start, end, spec in found:
        i = bisect.bisect_left(starts, end)  # taken[:i] start before this match ends
        if i and taken[i - 1][1] > start:  # the latest of them ends after this match starts: overlap
            continue
        starts.insert(i, start)
        taken.insert(i, (start, end, spec))
    return taken


def _acronym_key(phrase: str) -> str:
    acronym, head = re.split(r"\s+", phrase.replace("’", "'"), maxsplit=1)
    return f"{acronym} {' '.join(head.lower().split())}"


def _explicit_states(matches: list[tuple[int, int, ActorSpec]]) -> list[str]:
    """Countries whose state forces are named outright, most often first."""
    counts: dict[str, int] = {}
    for _, _, spec in matches:
        if spec.kind == "named" and spec.inter == 1 and spec.country:
            counts[spec.country] = counts.get(spec.country, 0) + 1
    return sorted(counts, key=lambda c: -counts[c])


@cache
def _country_words() -> tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...]:
    """(ISO3, names and demonyms, a regex finding them as whole words) per country."""
    out = []
    for iso3, country in _tables().countries.items():
        words = (*country.names, *country.demonyms)
        pattern = r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])"
        out.append((iso3, words, re.compile(pattern)))
    return tuple(out)


def text_focus(text: str) -> list[str]:
    """Countries named or referred to by demonym in ``text``, most often first (a cheap focus)."""
    counts: dict[str, int] = {}
    for iso3, words, pattern in _country_words():
        if not any(w in text for w in words):
            continue  # a cheap pre-check: the regex can only find words the text contains
        hits = len(pattern.findall(text))
        if hits:
            counts[iso3] = hits
    return sorted(counts, key=lambda c: -counts[c])


def find_actors(text: str, focus_countries: list[str] | None = None) -> list[ActorMention]:
    """Every actor mention in ``text`` with its canonical name and evidence span.

    ``focus_countries`` (ISO3, most salient first) attributes "troops", "gunmen", "civilians";
    without it the countries named in the text are used.
    """
    focus = list(focus_countries) if focus_countries else text_focus(text)
    matches = [m for m in _raw_matches(text) if not _inside_name(text, m[0], m[2])]
    preferred = _explicit_states(matches)
    mentions = []
    for start, end, spec in matches:
        if spec.kind == "collective:civilians" and _attacks_after(text, end):
            spec = ActorSpec("", "rebel group", 2, None, "generic")  # "a man opened fire on worshippers"
        resolved = _resolve(spec, focus, preferred)
        if resolved is not None:
            mentions.append(_mention(resolved, text, start, end))
    taken = [(m.evidence.start, m.evidence.end) for m in mentions if m.evidence]
    mentions += [m for m in _attacking_states(text) if m.evidence
                 and not any(a < m.evidence.end and m.evidence.start < b for a, b in taken)]
    return sorted(mentions, key=lambda m: m.evidence.start if m.evidence else 0)


def _attacking_states(text: str) -> list[ActorMention]:
    """A country's name before an attack verb ("Ukraine shelled the village", "Israel launched strikes"):
    that state's military, named where the country is."""
    tables = _tables()
    out = []
    for m in _state_attack().finditer(text):
        iso3 = _country_names().get(m.group("country").lower())
        if iso3 is not None:
            spec = ActorSpec(tables.state_names[(iso3, "military")], "state forces", 1, iso3)
            out.append(_mention(spec, text, m.start("country"), m.end("country")))
    return out


@cache
def _state_attack() -> re.Pattern[str]:
    data = _tables().data["state_attack"]
    names = {n for c in _tables().countries.values() for n in c.names if len(n) > 3}
    return re.compile(
        rf"(?<![\w-])(?=[A-Z])(?P<country>{alternation(names)})\s+"
        rf"(?:(?:had|has|have|also|reportedly|allegedly|then|again)\s+)*"
        rf"(?:(?:{alternation(data['verbs'])})\b"
        rf"|(?:{alternation(data['launch_verbs'])})\s+[^.;]{{0,30}}?\b(?:{alternation(data['attack_nouns'])})\b)"
        r"(?!\s+(?:by|a\s+deal|an\s+agreement|a\s+balance)\b)")  # "hit by floods", "struck a deal"


@cache
def _country_names() -> dict[str, str]:
    """ISO3 of each country name and alias, lower-cased."""
    return {n.lower(): iso3 for iso3, c in _tables().countries.items() for n in c.names}


@cache
def _attack_verbs() -> re.Pattern[str]:
    verbs: list[str] = _tables().data["attacker_verbs"]
    body = "|".join(_escaped(v) for v in sorted(verbs, key=len, reverse=True))
    return re.compile(rf"\s+(?:armed\s+with\b|(?:who\s+|(?:allegedly|reportedly|then|later|also|first|suddenly)\s+)*"
                      rf"(?:{body})\b)", re.I)


def _attacks_after(text: str, end: int) -> bool:
    """'A man opened fire', 'a woman detonated ...', 'people armed with machetes': the attacker, not a
    civilian victim."""
    return bool(_attack_verbs().match(text, end))


_CAPITALISED_BEFORE = re.compile(r"(?<![.!?:;\n])\b[A-Z][\w’'-]*[ \t]+$")


def _inside_name(text: str, start: int, spec: ActorSpec) -> bool:
    """A common noun capitalised after a capitalised word is the tail of a proper name, not an actor of
    its own ('People's Liberation Guerrilla Army', 'Kachin Independence Army')."""
    if spec.kind == "named" or not text[start:start + 1].isupper():
        return False
    before = text[max(0, start - 40):start]
    return bool(_CAPITALISED_BEFORE.search(before)) and not re.search(r"[.!?:;\n][ \t]*\S+[ \t]+$", before)


def normalise_actor(mention: str, focus_countries: list[str] | None = None) -> ActorMention | None:
    """Canonical actor for one mention ("IDF" -> Military Forces of Israel); None if unknown."""
    matches = _raw_matches(mention)
    if not matches:
        return None
    start, end, spec = max(matches, key=lambda m: (m[1] - m[0], m[2].kind == "named"))
    resolved = _resolve(spec, list(focus_countries or []), [])
    return _mention(resolved, mention, start, end) if resolved else None


def actor_parent(name: str) -> str | None:
    """The organisation a canonical actor belongs to (an armed wing's movement), if any."""
    for row in _tables().data["actors"]:
        if row["name"] == name:
            return row.get("parent")
    return None


# -- victims ---------------------------------------------------------------------------------------
def _victim_class(words: str) -> str | None:
    classes: dict[str, list[str]] = _tables().data["victim_words"]
    for cls in ("state_police", "state_military", "protesters", "armed", "civilians", "population"):
        if any(re.search(rf"(?<!\w){re.escape(w)}$", words) for w in classes[cls]):
            return cls
    return None


def _demonym_country(words: str) -> str | None:
    for iso3, country in _tables().countries.items():
        for demonym in country.demonyms:
            if re.match(rf"{re.escape(demonym.lower())}\b", words):
                return iso3
    return None


def victim_side(group: str, focus: list[str] | None = None) -> str | None:
    """The side a victim group belongs to, for adding up an incident's dead across sides.

    "Israeli soldiers" -> "Military Forces of Israel"; "civilians" -> "Civilians (<focus country>)";
    "gunmen" -> "Unidentified Armed Group (<focus>)"; "Palestinians" -> "People (Palestine)".
    """
    focus = list(focus or [])
    words = _key(group)
    named = normalise_actor(group, focus)
    if named is not None and named.inter_code in (1, 2, 3, 4, 8) and not named.name.startswith("Unidentified"):
        return named.name
    cls = _victim_class(words)
    if cls is None:
        return None
    country = _demonym_country(words)
    if cls in ("state_military", "state_police"):
        kind = "police" if cls == "state_police" else "military"
        iso3 = country or _state_country(kind, focus, [])
        return _tables().state_names.get((iso3, kind)) if iso3 else None
    iso3 = country or (focus[0] if focus else None)
    label = _country_name(iso3) if iso3 else "Unknown"
    if cls == "population":
        demonym_country = _population_country(words)
        return f"People ({_country_name(demonym_country)})" if demonym_country else f"People ({label})"
    template = {
        "armed": "Unidentified Armed Group ({country})",
        "civilians": "Civilians ({country})",
        "protesters": "Protesters ({country})",
    }[cls]
    return template.format(country=label)


def civilians_of(country: str | None) -> ActorMention:
    """The civilians of an incident placed in ``country`` (ISO3): the victims ACLED names in every event of
    violence against civilians, also where the text calls them only 'people' or gives a figure by place."""
    name = (victim_side("civilians", [country]) if country else None) or "Civilians"
    return ActorMention(name=name, mention="civilians", category="civilians", inter_code=7, country=country)


def _population_country(words: str) -> str | None:
    """'palestinians' -> PSE (plural demonyms name a whole population)."""
    for iso3, country in _tables().countries.items():
        if any(d.lower() == words for d in country.demonyms):
            return iso3
    return None


# -- the sides of one incident ---------------------------------------------------------------------
ARMED_INTER = (1, 2, 3, 4, 5, 8)


@lru_cache(maxsize=4096)
def _spec_of(mention: str) -> ActorSpec | None:
    matches = _raw_matches(mention)
    return max(matches, key=lambda m: m[1] - m[0])[2] if matches else None


def _confused(iso3: str | None, country: str) -> bool:
    """Demonyms that writers mix up ('Nigerian' for Nigerien): the place's country is meant."""
    pairs: list[list[str]] = _tables().data.get("confused_countries", [])
    return iso3 is not None and iso3 != country and any({iso3, country} == set(p) for p in pairs)


def _without_army(country: str) -> bool:
    """A territory without an army of its own (its 'troops' and 'police' may be the occupier's)."""
    sides: dict[str, dict[str, str | None]] = _tables().data.get("non_state_sides", {})
    return "military" in sides.get(country, {}) and sides[country]["military"] is None


def _localised(mention: ActorMention, country: str, named_here: frozenset[str] = frozenset()) -> ActorMention:
    """One mention as a side of an incident in ``country`` (``named_here``: the canonical names of the
    state forces the incident names outright)."""
    # civilians, protesters, unattributed gunmen and unqualified 'police' are of the place unless their
    # own words say otherwise ('Palestinian civilians'); an attacker named by a demonym keeps it
    spec = _spec_of(mention.mention)
    if spec is None:
        return mention
    own_forces = spec.kind in ("context:police", "context:military") and not _without_army(country) \
        and mention.name not in named_here  # 'troops' are a foreign army only where that army is named
    if spec.kind.startswith("collective:") and mention.inter_code == 2:
        spec = ActorSpec("", "rebel group", 2, None, "generic")  # a lone attacker (see find_actors)
    if spec.kind.startswith("collective:") or spec.kind == "generic" or own_forces:
        resolved = _resolve(ActorSpec("", spec.category, spec.inter, None, spec.kind), [country], [])
    elif mention.inter_code == 1 and _confused(mention.country, country):
        kind = "police" if mention.name.startswith("Police") else "military"
        name = _tables().state_names.get((country, kind)) or f"Military Forces of {_country_name(country)}"
        resolved = ActorSpec(name, "state forces", 1, country, spec.kind)
    else:
        return mention
    if resolved is None or resolved.name == mention.name:
        return mention
    return ActorMention(name=resolved.name, mention=mention.mention, category=resolved.category,
                        inter_code=resolved.inter, country=resolved.country, evidence=mention.evidence)


def _named_state(mention: ActorMention) -> bool:
    """'Israeli troops', 'IDF': state forces named outright, not an unqualified 'troops'."""
    spec = _spec_of(mention.mention)
    return mention.inter_code == 1 and spec is not None and not spec.kind.startswith("context:")


def _unidentified(mention: ActorMention) -> bool:
    return mention.name.startswith("Unidentified")


def _most_named(mentions: list[ActorMention], inters: tuple[int, ...], at_least: int) -> list[ActorMention]:
    """The actor of one of ``inters`` named most often (at least ``at_least`` times), if any; a name and
    its acronym side by side ('the Islamic State in West Africa (ISWAP)') are one naming."""
    counts: dict[str, int] = {}
    last_end: dict[str, int] = {}
    for m in sorted(mentions, key=lambda m: m.evidence.start if m.evidence else 0):
        start, end = (m.evidence.start, m.evidence.end) if m.evidence else (0, 0)
        if m.inter_code in inters and start - last_end.get(m.name, -999) > 60:
            counts[m.name] = counts.get(m.name, 0) + 1
        last_end[m.name] = end
    if not counts or max(counts.values()) < at_least:
        return []
    top = max(counts, key=lambda name: counts[name])
    return [next(m for m in mentions if m.name == top)]


def incident_sides(mentions: list[ActorMention], country: str | None,
                   article: list[ActorMention] | None = None) -> list[ActorMention]:
    """The actors of one incident placed in ``country`` (ISO3), one per canonical name.

    Victim groups and unnamed gunmen take the country of the place, not of the attacker named
    nearby (a strike on Gaza: Civilians (Palestine); Kramatorsk: Civilians (Ukraine)). When the
    incident's own sentences name no armed party, the armed party the article names most often is
    taken (the attacker introduced in the lead and not repeated beside a later figure); where it names
    only unidentified gunmen, the armed group the article names at least twice is added (it claimed
    the attack, or was blamed for it); where it names only state forces and no civilians, the
    non-state party the article names at least twice is added (whom they fought). Unqualified 'troops'
    and 'police' are the place's own unless the incident names a foreign force outright (an occupied
    territory keeps the article's reading).
    """
    named_here = frozenset(m.name for m in mentions if _named_state(m))
    local = [_localised(m, country, named_here) for m in mentions] if country else list(mentions)
    if article and not any(m.inter_code in ARMED_INTER for m in local):
        local += _most_named([(_localised(m, country) if country else m) for m in article], ARMED_INTER, 1)
    if article and not any(m.inter_code in (2, 3, 4, 7) for m in local):
        # only state forces: whom they fought is the non-state party the article keeps naming
        local += _most_named([(_localised(m, country) if country else m) for m in article], (2, 3, 4), 2)
    if article and not any(m.inter_code in (2, 3, 4) and not _unidentified(m) for m in local):
        # 'gunmen' here, and the group the article names again and again (it claimed the attack)
        local += _most_named([m for m in article if not _unidentified(m)], (2, 3, 4), 2)
    out: dict[str, ActorMention] = {}
    for m in local:
        out.setdefault(m.name, m)
    return list(out.values())
