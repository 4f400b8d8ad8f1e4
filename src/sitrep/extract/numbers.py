"""Numbers and quantity phrases in news text.

``parse_number`` reads one number ("9,000", "1.2 million", "twenty-one", "two dozen").
``find_quantities`` finds every quantity phrase in a text with its qualifier ("at least 11",
"between 5 and 7", "dozens"), skipping figures that are not counts: years, times, ages after a
name, money, percentages, durations, measures, model numbers, labels ("Route 6") and dates.
Word lists live in ``data/numbers.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..records import Qualifier, Quantity
from .lexicon import alternation, folded

# thousands grouped by commas ("29,683") or by spaces, as French-trained and SI styles write them ("1 200")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d,.])|\d+(?:\.\d+)?"


@cache
def number_data() -> dict[str, Any]:
    """The number lexicon (loaded once)."""
    text = resources.files("sitrep").joinpath("data/numbers.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def number_words() -> dict[str, int]:
    """Every single number word ("seven", "forty", "hundred", "million", "dozen") and its value."""
    data = number_data()
    words: dict[str, int] = {}
    for key in ("units", "tens", "hundred", "scales", "groups"):
        words.update(data[key])
    return words


# --------------------------------------------------------------------------- parse_number


@cache
def _digit_number_re() -> re.Pattern[str]:
    suffixes = alternation(list(number_data()["suffix_multipliers"]))
    return re.compile(rf"(?P<num>{_DIGITS})\s*(?P<suffix>{suffixes})?", re.IGNORECASE)


def _parse_digits(s: str) -> int | None:
    match = _digit_number_re().fullmatch(s)
    if not match:
        return None
    num = re.sub(r"[,\s\u202f]", "", match.group("num"))
    suffix = (match.group("suffix") or "").lower()
    multiplier = number_data()["suffix_multipliers"].get(suffix, 1)
    if "." in num:
        value = float(num) * multiplier
        if abs(value - round(value)) > 1e-6:
            return None  # "2.5": not a count
        return int(round(value))
    return int(num) * multiplier


def _word_tokens(s: str) -> list[str]:
    return [t for t in re.split(r"[\s\-\u2010-\u2015]+", s.lower().strip()) if t and t != "and"]


def _half_factor(tokens: list[str]) -> tuple[list[str], float]:
    """Strip a leading "half a" / "half" and return the factor it applies."""
    if tokens[:1] == ["half"]:
        rest = tokens[1:]
        if rest[:1] in (["a"], ["an"]):
            rest = rest[1:]
        return rest, 0.5
    return tokens, 1.0


def _parse_words(s: str, allow_article: bool = False) -> int | None:
    """Value of a phrase of number words, or None when the words don't form one number."""
    tokens, factor = _half_factor(_word_tokens(s))
    if not tokens:
        return None
    data = number_data()
    if tokens[0] in ("a", "an"):
        if len(tokens) == 1:
            return 1 if allow_article and factor == 1.0 else None
        if (
            tokens[1] not in data["hundred"]
            and tokens[1] not in data["scales"]
            and tokens[1] not in data["groups"]
        ):
            return None
        tokens = tokens[1:]
    value = _accumulate(tokens, data)
    if value is None:
        return None
    return int(value * factor) if factor != 1.0 else value


def _accumulate(tokens: list[str], data: dict[str, Any]) -> int | None:
    """Combine number words left to right, rejecting sequences like "seven eleven"."""
    total = current = 0
    last: str | None = None
    last_scale = 10**18
    for token in tokens:
        if token in data["units"]:
            if last not in (None, "tens", "hundred", "scale") or (
                last == "tens" and data["units"][token] >= 10
            ):
                return None
            current += data["units"][token]
            last = "unit"
        elif token in data["tens"]:
            if last not in (None, "hundred", "scale"):
                return None
            current += data["tens"][token]
            last = "tens"
        elif token in data["hundred"]:
            if last not in (None, "unit", "tens"):
                return None
            current = (current or 1) * 100
            last = "hundred"
        elif token in data["scales"]:
            scale = data["scales"][token]
            if scale >= last_scale or last == "scale":
                return None
            total += (current or 1) * scale
            current, last, last_scale = 0, "scale", scale
        elif token in data["groups"]:
            if last == "group":
                return None
            current = (current or 1) * data["groups"][token]
            last = "group"
        else:
            return None
    return total + current


def parse_number(s: str, allow_article: bool = False) -> int | None:
    """The integer a number phrase denotes, or None (never raises).

    Digits ("9,000", "1.2 million", "3.8bn"), words ("twenty-one", "a dozen", "three hundred"),
    and, only with ``allow_article``, a bare "a"/"an" (1). Absurd values are capped to None.
    """
    if not isinstance(s, str):
        return None
    s = s.strip()
    if not s or len(s) > 200:
        return None
    try:
        value = _parse_digits(s)
        if value is None:
            value = _parse_words(s, allow_article)
    except (ValueError, OverflowError):
        return None
    if value is None or value < 0 or value > number_data()["max_value"]:
        return None
    return value


# --------------------------------------------------------------------------- atoms


@dataclass
class _Atom:
    """One number as written, before qualifiers and ranges are attached."""

    start: int
    end: int
    value: int
    vague: bool = False
    qualifier: Qualifier = "exact"
    is_digits: bool = False


@cache
def _atom_re() -> re.Pattern[str]:
    data = number_data()
    nw = alternation([w for w in number_words() if w not in ("score",)])
    scale_words = alternation([*data["hundred"], *data["scales"], *data["groups"]])
    vague_plain = [v for v in data["vague"] if v not in data["vague_needs_of"]]
    vague_of = alternation(data["vague_needs_of"])
    mult = alternation(data["vague_multipliable"])
    approx = alternation(list(data["approximate"]))
    suffixes = alternation(list(data["suffix_multipliers"]))
    joiner = r"(?:(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))\s+and\s+|[\s\-\u2010\u2011]+)"
    word_atom = rf"(?:half\s+)?(?:an?\s+(?=(?:{scale_words})\b))?(?:{nw})(?:{joiner}(?:{nw})\b)*"
    digit_atom = (
        rf"(?<![\w.,/:])(?:{_DIGITS})(?:\s?(?:thousand|million|billion)\b|(?:{suffixes})\b)?"
        r"(?![\w/]|,\d|\.\d|:\d)"
    )
    pattern = (
        rf"\b(?P<mult>(?:{mult})\s+(?:{scale_words}))\b"
        rf"|\b(?P<approx>{approx})\b"
        rf"|\b(?P<vague>{alternation(vague_plain)})\b"
        rf"|\b(?P<vagueof>{vague_of})(?=\s+of\b)"
        rf"|\b(?P<word>{word_atom})\b"
        rf"|(?P<digit>{digit_atom})"
    )
    return re.compile(pattern, re.IGNORECASE)


@cache
def _atom_first_words() -> frozenset[str]:
    """The words an ``_atom_re`` match can begin with (else it begins with a digit)."""
    data = number_data()
    phrases = [*number_words(), "half", "a", "an", *data["vague"], *data["vague_needs_of"],
               *data["vague_multipliable"], *data["approximate"]]
    return frozenset(_first_run(p) for p in phrases)


_WORD_RUN = re.compile(r"\w+")


def _first_run(phrase: str) -> str:
    """The first run of word characters of a phrase, lower case ("one-off" -> "one"; "" if none)."""
    found = _WORD_RUN.match(phrase.lower())
    return found.group() if found else ""


def _finditer_words(pattern: re.Pattern[str], text: str, firsts: frozenset[str],
                    digits: bool = False) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, tried only where a run of word characters begins that is one of ``firsts``
    in lower case (or, with ``digits``, begins with a digit).

    For patterns whose matches all begin so: each of their phrases starts with a whole word of ``firsts``
    and nothing else can begin a match. Where ``folded`` cannot stand for the text the whole text is scanned.
    """
    low = folded(text)
    if low is None or "" in firsts:
        yield from pattern.finditer(text)
        return
    resume = 0
    for run in _WORD_RUN.finditer(low):  # lower-casing keeps word characters word characters, and offsets
        start = run.start()
        if start < resume:
            continue
        if run.group() in firsts or (digits and run.group()[0].isdecimal()):
            match = pattern.match(text, start)
            if match is not None:
                resume = max(match.end(), start + 1)
                yield match


def _atom_from_match(match: re.Match[str]) -> _Atom | None:
    data = number_data()
    kind = match.lastgroup
    text = match.group(0)
    start, end = match.span()
    if kind == "mult":
        first, unit = text.lower().rsplit(None, 1)
        base = data["vague"].get(" ".join(first.split()), data["approximate"].get(" ".join(first.split()), 2))
        return _Atom(start, end, base * number_words()[unit], vague=True)
    if kind == "approx":
        return _Atom(start, end, data["approximate"][" ".join(text.lower().split())], qualifier="about")
    if kind in ("vague", "vagueof"):
        return _Atom(start, end, data["vague"][" ".join(text.lower().split())], vague=True)
    value = parse_number(text)
    if value is None and kind == "word":
        return _longest_word_prefix(text, start)
    if value is None:
        return None
    return _Atom(start, end, value, is_digits=kind == "digit")


def _longest_word_prefix(text: str, start: int) -> _Atom | None:
    """For word runs that aren't one number ("two three-year-old"), the longest prefix that is."""
    cuts = [m.start() for m in re.finditer(r"[\s\-\u2010\u2011]+", text)]
    for cut in reversed(cuts):
        value = parse_number(text[:cut])
        if value is not None:
            return _Atom(start, start + cut, value)
    return None


@cache
def _non_quantity_re() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation(number_data()['non_quantity_phrases'])})\b", re.IGNORECASE)


@cache
def _non_quantity_firsts() -> frozenset[str]:
    return frozenset(_first_run(p) for p in number_data()["non_quantity_phrases"])


def _non_quantity_spans(text: str) -> list[tuple[int, int]]:
    """Phrases where a number word is not a count ("no one", "one another", "how many")."""
    return [m.span() for m in _finditer_words(_non_quantity_re(), text, _non_quantity_firsts())]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _calendar_spans(text: str) -> list[tuple[int, int]]:
    from .dates import calendar_spans  # local import: dates imports this module

    return calendar_spans(text)


def _atoms(text: str) -> list[_Atom]:
    blocked = _non_quantity_spans(text) + _calendar_spans(text)
    atoms = []
    for match in _finditer_words(_atom_re(), text, _atom_first_words(), digits=True):
        if _overlaps(*match.span(), blocked):
            continue
        atom = _atom_from_match(match)
        if atom is not None:
            atoms.append(atom)
    return atoms


# --------------------------------------------------------------------------- qualifiers and ranges


@cache
def _prefix_qualifier_re() -> re.Pattern[str]:
    parts = []
    for qualifier, phrases in number_data()["qualifiers"].items():
        parts.append(rf"(?P<{qualifier}>{alternation(phrases)})")
    closing = r"(?:[\"'\u201d\u2019]\s*|\s+)"  # "“at least” six"
    return re.compile(rf"(?:^|(?<=[\s(\[,;:\"'\u201c]))(?:{'|'.join(parts)}){closing}$", re.IGNORECASE)


def _prefix_qualifier(text: str, start: int) -> tuple[Qualifier, int] | None:
    """The qualifier phrase ending just before ``start`` ("at least ", "~"), with its start."""
    window_start = max(0, start - 40)
    window = text[window_start:start]
    symbol = re.search(r"([~><≈])\s*$", window)
    if symbol:
        qualifier = number_data()["prefix_symbols"].get(symbol.group(1), "about")
        return qualifier, window_start + symbol.start()
    match = _prefix_qualifier_re().search(window)
    if not match or match.lastgroup is None:
        return None
    if match.lastgroup == "up_to" and RISE_BEFORE.search(window, 0, match.start()):
        return None  # "the toll went up to 27": a figure reached, not a ceiling
    return match.lastgroup, window_start + match.start()  # type: ignore[return-value]


RISE_BEFORE = re.compile(r"\b(?:went|gone|goes|going|go|shot|moved|crept|inched|edged)\s*$", re.I)


@cache
def _suffix_qualifier_re() -> re.Pattern[str]:
    suffixes = number_data()["suffix_qualifiers"]
    attached = [s for s in suffixes if s.startswith(("+", "-"))]
    spaced = [s for s in suffixes if s not in attached]
    return re.compile(
        rf"^(?:(?P<a>{alternation(attached)})|\s+(?P<s>{alternation(spaced)})\b)", re.IGNORECASE
    )


def _suffix_qualifier(text: str, end: int) -> tuple[Qualifier, int] | None:
    match = _suffix_qualifier_re().match(text[end : end + 30])
    if not match:
        return None
    phrase = " ".join((match.group("a") or match.group("s")).lower().split())
    return number_data()["suffix_qualifiers"][phrase], end + match.end()


_RANGE_LINK = re.compile(r"\s*(?:-|\u2013|\u2014|to|or)\s*", re.IGNORECASE)
_RATIO_LINK = re.compile(r"\s+(?:in|out\s+of)\s+(?:every\s+)?", re.IGNORECASE)
_BETWEEN_LINK = re.compile(r"\s+and\s+", re.IGNORECASE)


def _range_start(text: str, first: _Atom, second: _Atom) -> int | None:
    """Start of the range phrase when ``first`` and ``second`` form one ("5-7", "between 5 and 7")."""
    if first.vague or second.vague or first.value >= second.value:
        return None
    link = text[first.end : second.start]
    before = text[max(0, first.start - 12) : first.start]
    between = re.search(r"\bbetween\s+$", before, re.IGNORECASE)
    if between and _BETWEEN_LINK.fullmatch(link):
        return first.start - (len(before) - between.start())
    if between or not _RANGE_LINK.fullmatch(link):
        return None
    if re.search(r"\bfrom\s+$", before, re.IGNORECASE):
        return None  # "rose from 5 to 7" is a change, not a range
    return first.start


def _combine(text: str, atoms: list[_Atom]) -> list[tuple[Quantity, list[_Atom]]]:
    """Merge ranges and attach qualifiers; each quantity keeps the atoms it was built from."""
    out: list[tuple[Quantity, list[_Atom]]] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if nxt is not None and _RATIO_LINK.fullmatch(text[atom.end : nxt.start]):
            i += 2  # "1 in 5 homes", "one in every three children": a ratio, not a count
            continue
        range_start = _range_start(text, atom, nxt) if nxt else None
        if nxt is not None and range_start is not None:
            out.append((Quantity(atom.value, "range", nxt.value, False, range_start, nxt.end), [atom, nxt]))
            i += 2
            continue
        out.append((_qualified(text, atom), [atom]))
        i += 1
    return out


def _qualified(text: str, atom: _Atom) -> Quantity:
    qualifier: Qualifier = atom.qualifier
    start, end = atom.start, atom.end
    prefix = _prefix_qualifier(text, start)
    if prefix:
        qualifier, start = prefix
    suffix = _suffix_qualifier(text, end)
    if suffix and (atom.is_digits or suffix[0] != "at_least" or text[end : end + 1] != "+"):
        if qualifier == "exact" or suffix[0] == qualifier:
            qualifier = suffix[0]
            end = suffix[1]
    return Quantity(atom.value, qualifier, None, atom.vague, start, end)


# --------------------------------------------------------------------------- exclusions


@cache
def _after_re() -> re.Pattern[str]:
    data = number_data()
    units = [*data["measure_units_after"], *data["duration_units_after"]]
    words = alternation([*data["currency_after"], *data["time_after"], *data["percent_after"]])
    return re.compile(
        rf"^(?:\s*(?:{words})(?![\w])|[\s\-\u2010\u2011]*(?:{alternation(units)})\b|\s*%|-[^\W\d])",
        re.IGNORECASE,
    )


@cache
def _before_re() -> re.Pattern[str]:
    data = number_data()
    currency = alternation(data["currency_before"])
    ages = alternation(data["age_before"])
    return re.compile(
        rf"(?:(?:^|(?<![\w]))(?:{currency})\s*$|\b(?:{ages})\s+$|[A-Za-z]-$|[\d:/#№]$)",
        re.IGNORECASE,
    )


@cache
def _label_re() -> re.Pattern[str]:
    labels = [w[:1].upper() + w[1:] for w in number_data()["label_words_before"]]
    return re.compile(rf"\b(?:{alternation(labels)})\s+$")


_NAME_COMMA = re.compile(r"\b[A-Z][\w'\u2019.\-]*,\s*$")
_NAME_PAREN = re.compile(r"\b[A-Z][\w'\u2019.\-]*\s*\(\s*$")
_AGE_END = re.compile(r"^\s*(?:,|;|\.(?!\d)|\)|$|and\b|who\b|from\b)")


def _is_age_after_name(text: str, quantity: Quantity, atom: _Atom) -> bool:
    """ "Hossam, 24, was shot" / "Ali (19)": an age, not a count."""
    if quantity.qualifier != "exact" or not atom.is_digits or atom.value > 120:
        return False
    before = text[max(0, atom.start - 40) : atom.start]
    after = text[atom.end : atom.end + 10]
    if _NAME_PAREN.search(before):
        return after.lstrip().startswith(")")
    if not _NAME_COMMA.search(before):
        return False
    return bool(_AGE_END.match(after))


def _is_year(text: str, quantity: Quantity, atom: _Atom) -> bool:
    raw = text[atom.start : atom.end]
    if not (atom.is_digits and re.fullmatch(r"\d{4}", raw) and 1800 <= atom.value <= 2100):
        return False
    if quantity.qualifier not in ("exact", "range"):
        return False
    return not _people_after_re().match(text[atom.end : atom.end + 40])


@cache
def _people_after_re() -> re.Pattern[str]:
    """ "2000 people", "2000 more civilians": a four-digit count, not a year."""
    nouns = alternation(number_data()["people_nouns_after"])
    return re.compile(rf"\s+(?:[a-z]+\s+)?(?:{nouns})\b", re.IGNORECASE)


def _is_excluded(text: str, quantity: Quantity, atoms: list[_Atom]) -> bool:
    first, last = atoms[0], atoms[-1]
    after = text[last.end : last.end + 40]
    before = text[max(0, first.start - 40) : first.start]
    if _after_re().match(after) and not _suffix_qualifier(text, last.end):
        return True
    if not first.vague and (_before_re().search(before) or _label_re().search(before)):
        return True
    return any(_is_year(text, quantity, a) or _is_age_after_name(text, quantity, a) for a in atoms)


# --------------------------------------------------------------------------- public


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity phrase in ``text`` (offsets into it), with qualifier, range and vagueness."""
    if not isinstance(text, str) or not text:
        return []
    try:
        combined = _combine(text, _atoms(text))
    except (ValueError, OverflowError, RecursionError):
        return []
    kept = [quantity for quantity, atoms in combined if not _is_excluded(text, quantity, atoms)]
    return _drop_overlaps(kept)


def _drop_overlaps(quantities: list[Quantity]) -> list[Quantity]:
    """Where a qualifier swallowed a neighbouring phrase, keep the longer quantity."""
    out: list[Quantity] = []
    for quantity in sorted(quantities, key=lambda q: (q.start, -(q.end - q.start))):
        if out and quantity.start < out[-1].end:
            if quantity.end - quantity.start > out[-1].end - out[-1].start:
                out[-1] = quantity
            continue
        out.append(quantity)
    return out


def quantity_text(text: str, quantity: Quantity) -> str:
    """The phrase a quantity was read from."""
    return text[quantity.start : quantity.end]
