"""Date expressions in news text, resolved against the publication date.

``resolve_dates`` finds every point date ("on Wednesday", "Jan 26", "last night", "last year") and
resolves it: weekdays and year-less dates go to the most recent such day on or before publication.
``find_periods`` / ``period_start_in`` / ``period_end_in`` read running-total periods ("since
October 7", "this year", "last year").

Conventions (``DateRef``):
- precision "day": ``date`` is the day (``date_end`` set only for spans such as "5-7 October" or
  "overnight");
- precision "week" / "month" / "year": ``date`` is the first day of the range and ``date_end`` its
  last day, clamped to the publication date ("last week" = the previous Monday-Sunday; "this week" =
  Monday of the publication week to publication; "in January" = 1-31 January);
- vague relative phrases ("weeks ago") use the coarser precision with ``date``/``date_end`` bounding
  the range;
- without a publication date, relative expressions give ``DateRef(None, None, evidence=...)``;
  explicit dates with a year still resolve.
Word lists live in ``data/dates.json``.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from ..records import DatePrecision, DateRef, Evidence
from .lexicon import alternation, folded
from .numbers import number_words, parse_number

# (date, precision, date_end); date None = "a date expression we cannot resolve"
_Resolved = tuple[date | None, DatePrecision | None, date | None]
_UNRESOLVED: _Resolved = (None, None, None)


@cache
def date_data() -> dict[str, Any]:
    """The calendar lexicon (loaded once)."""
    text = resources.files("sitrep").joinpath("data/dates.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def parse_published(published: str | None) -> date | None:
    """The publication date from an ISO string ("2024-05-17", "2024-05-17T09:00:00Z"), else None."""
    if not isinstance(published, str):
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------- calendar helpers


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekday_date(weekday: str, published: str | date, strictly_before: bool = False) -> str | None:
    """ISO date of the most recent ``weekday`` on or before publication (before it if ``strictly_before``)."""
    pub = published if isinstance(published, date) else parse_published(published)
    index = date_data()["weekdays"].get(weekday.strip().lower())
    if pub is None or index is None:
        return None
    return _weekday_on_or_before(index, pub, strictly_before).isoformat()


def _weekday_on_or_before(index: int, pub: date, strictly_before: bool = False) -> date:
    back = (pub.weekday() - index) % 7
    if back == 0 and strictly_before:
        back = 7
    return pub - timedelta(days=back)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _month_day_before(month: int, day: int, pub: date) -> date | None:
    """The nearest ``month``/``day`` not after ``pub`` (looks back up to 8 years for 29 February)."""
    for year in range(pub.year, pub.year - 9, -1):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate <= pub:
            return candidate
    return None


def _month_before(month: int, pub: date, strictly_before: bool = False) -> date:
    """First day of the most recent ``month`` starting on or before ``pub``."""
    year = pub.year if (month < pub.month or (month == pub.month and not strictly_before)) else pub.year - 1
    return date(year, month, 1)


def _clamp(end: date | None, pub: date | None) -> date | None:
    if end is None or pub is None:
        return end
    return min(end, pub)


def _month_range(first: date, pub: date | None) -> _Resolved:
    return first, "month", _clamp(month_end(first), pub)


def _year_range(year: int, pub: date | None) -> _Resolved:
    return date(year, 1, 1), "year", _clamp(date(year, 12, 31), pub)


# --------------------------------------------------------------------------- patterns


def _month_pattern() -> str:
    """Month names (capitalised or upper case) and abbreviations (with an optional full stop)."""
    full, short = [], []
    for name in date_data()["months"]:
        if len(name) > 4 or name in ("may", "june", "july"):
            full += [name.capitalize(), name.upper()]
        else:
            short.append(name.capitalize())
    return rf"(?:{alternation(full)})(?![a-z])|(?:{alternation(short)})(?![a-z])\.?"


@cache
def _fragments() -> dict[str, str]:
    data = date_data()
    month = rf"(?P<month>\b(?:{_month_pattern()}))"
    weekday = rf"\b(?:{alternation([w.capitalize() for w in data['weekdays']])})\b"
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
    year = r"(?P<year>(?:1[89]|20)\d{2})(?!\d|['\u2019]?s\b)"
    positions = [p for p in data["month_position_words"] if p not in ("mid", "mid-")]
    pos = rf"(?i:(?:{alternation(positions)})\s+|mid-?\s*)"
    parts = alternation(data["parts_of_day"])
    return {"month": month, "weekday": weekday, "day": day, "year": year, "pos": pos, "parts": parts}


_WEEKDAY_REL = ("last", "this", "next", "late", "early", "earlier", "later")  # "last Friday"
_WEEKDAY_HOURS = ("in the early hours of", "in the small hours of", "before dawn on")  # "before dawn on Friday"
_RELATIVE_WHEN = ("earlier this", "later this", "so far this", "earlier in the", "later in the", "this", "last",
                  "the past", "the last", "over the past", "in the past")  # "earlier this month"


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    f = _fragments()
    data = date_data()
    lead = rf"(?P<lead>(?i:{alternation(data['month_lead_words'])})\s+)"
    ylead = rf"(?P<lead>(?i:{alternation(data['year_lead_words'])})\s+)"
    words = alternation([w for w in number_words() if w not in ("dozen", "score")])
    count = rf"(?:an?|{words})(?:[\s-](?:{words}))*"
    rel_year = r"(?:,?\s+(?P<rel>(?i:this|last))\s+year)"
    weekday_prefix = rf"(?:(?P<wd>{f['weekday']}),?\s+)?"
    since = r"(?P<lead>(?i:since)\s+)?"
    raw = {
        "iso": r"(?<![\d-])(?P<year>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])",
        "numeric": r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})(?![\d/])",
        "day_range": (
            rf"{since}(?P<core>(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|\u2013|to|and)\s*{f['day']}\s+"
            rf"{f['month']}(?:,?\s+{f['year']})?)"
        ),
        "day_month": (
            rf"{since}(?P<core>{weekday_prefix}(?:the\s+)?{f['day']}(?:\s+of)?\s+{f['month']}"
            rf"(?:,?\s+{f['year']}|{rel_year})?)"
        ),
        "month_day": (
            rf"{since}(?P<core>{weekday_prefix}{f['month']}\s+{f['day']}(?:,?\s+{f['year']}|{rel_year})?)"
        ),
        "month_day_range": (
            rf"{since}(?P<core>{f['month']}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|\u2013|to|and)\s*"
            rf"{f['day']}(?:,?\s+{f['year']})?)"
        ),
        "month_year": rf"{since}(?P<core>(?:{f['pos']})?{f['month']},?\s+{f['year']})",
        "month_only": rf"{lead}?(?P<core>(?P<pos>{f['pos']})?{f['month']})(?!\s*\d)",
        "year_only": rf"{ylead}?(?P<core>(?P<pos>{f['pos']})?{f['year']})(?![\d\-/])(?!\s*(?:%|per))",
        "year_start": (
            r"(?P<lead>(?i:since)\s+)?(?P<core>(?i:the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+year))"
        ),
        "weekday": (
            rf"(?P<core>(?P<rel>(?i:{'|'.join(_WEEKDAY_REL)})(?:\s+on)?\s+|"
            rf"(?i:in\s+the\s+(?:early|small)\s+hours\s+of|before\s+dawn\s+on)\s+)?"
            rf"(?P<wd>{f['weekday']})(?:'s|\u2019s)?(?:\s+(?i:{f['parts']}))?)"
        ),
        "offset": (  # not "overnight Thursday and Friday": the weekday dates it
            rf"(?P<core>\b(?i:{alternation(list(data['day_offsets']))})\b)"
            rf"(?!\s+(?i:on\s+|from\s+|between\s+|into\s+)?{f['weekday']})"
        ),
        "ago": rf"(?P<core>\b(?i:(?P<n>\d{{1,3}}|{count})\s+(?P<unit>day|week|month|year)s?\s+ago)\b)",
        "vague_ago": (
            r"(?P<core>\b(?i:(?:a\s+few\s+|several\s+|some\s+)?(?P<unit>day|week|month|year)s\s+ago)\b)"
        ),
        "relative": (
            r"(?P<lead>(?i:since)\s+)?(?P<core>\b(?i:(?P<when>"
            + "|".join(w.replace(" ", r"\s+") for w in _RELATIVE_WHEN)
            + r")\s+(?P<unit>week|month|year))\b)"
        ),
        "weekend": (
            r"(?P<core>\b(?i:(?P<when>last|this|over\s+the|at\s+the|during\s+the|on\s+the)\s+weekend)\b)"
        ),
        "past_hours": (
            r"(?P<core>\b(?i:(?:in|over|during|within)\s+the\s+(?:past|last|previous)\s+"
            r"(?P<hours>24|48|72|twenty-four|forty-eight|seventy-two)\s+hours)\b)"
        ),
        "recent": r"(?P<core>\b(?i:(?:in\s+)?recent\s+(?P<unit>day|week)s)\b)",
    }
    return {kind: re.compile(pattern) for kind, pattern in raw.items()}


_CALENDAR_KINDS = ("iso", "numeric", "day_range", "day_month", "month_day", "month_day_range", "month_year")
_DIGIT = "0"  # in ``_start_words``: a match may begin at any digit
# a match of these needs the word (lower case) somewhere in the text
_NEEDED_WORD = {"ago": "ago", "vague_ago": "ago", "weekend": "weekend", "past_hours": "hours", "recent": "recent"}


def _first_words(phrases: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple({p.split()[0].lower() for p in phrases})


@cache
def _start_words() -> dict[str, tuple[str, ...]]:
    """For the costly patterns, the lower-case words a match can begin with (``_DIGIT``: any digit).

    A match begins with its optional lead ("since", "in", "early", "last"...) or else with its first
    required part (a weekday, a month, a day, a year), maybe inside a longer word: the leads have no
    ``\\b``. Kept in step with ``_patterns`` (tests/test_rules_speed.py compares with plain scans).
    """
    data = date_data()
    since, the, years = ("since",), ("the",), ("18", "19", "20")
    months, weekdays = tuple(data["months"]), tuple(data["weekdays"])
    pos = _first_words(data["month_position_words"])  # includes "mid"
    return {
        "day_range": (*since, _DIGIT),
        "day_month": (*since, *weekdays, *the, _DIGIT),
        "month_day": (*since, *weekdays, *months),
        "month_day_range": (*since, *months),
        "month_year": (*since, *pos, *months),
        "month_only": (*_first_words(data["month_lead_words"]), *pos, *months),
        "year_only": (*_first_words(data["year_lead_words"]), *pos, *years),
        "weekday": (*_WEEKDAY_REL, *_first_words(_WEEKDAY_HOURS), *weekdays),
        "offset": _first_words(list(data["day_offsets"])),
        "relative": (*since, *_first_words(_RELATIVE_WHEN)),
    }


@cache
def _kinds_by_start_word() -> dict[str, tuple[str, ...]]:
    """``_start_words`` inverted: the pattern kinds each start word can begin."""
    kinds: dict[str, list[str]] = {}
    for kind, words in _start_words().items():
        for word in words:
            kinds.setdefault(word, []).append(kind)
    return {word: tuple(k) for word, k in kinds.items()}


def _start_positions(text: str, low: str) -> dict[str, list[int]]:
    """Per kind of ``_start_words``, the sorted offsets where one of its start words occurs in ``low``."""
    offsets: dict[str, set[int]] = {kind: set() for kind in _start_words()}
    for word, kinds in _kinds_by_start_word().items():
        if word == _DIGIT:
            found = [m.start() for m in re.finditer(r"\d", text)]
        elif word in low:
            found = _occurrences(low, word)
        else:
            continue
        for kind in kinds:
            offsets[kind].update(found)
    return {kind: sorted(found) for kind, found in offsets.items()}


def _occurrences(text: str, word: str) -> list[int]:
    out = []
    at = text.find(word)
    while at >= 0:
        out.append(at)
        at = text.find(word, at + 1)
    return out


def _finditer_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose (non-empty) matches begin at one of ``starts``."""
    resume = 0
    for position in starts:
        if position < resume:
            continue
        match = pattern.match(text, position)
        if match is not None:
            resume = max(match.end(), position + 1)
            yield match


@lru_cache(maxsize=16)
def _matches(text: str) -> dict[str, tuple[re.Match[str], ...]]:
    """Every non-empty match of each date pattern in ``text``, by kind.

    Cached: numbers and dates both read an article's text, and a sentence is asked for its period start
    and end. Patterns are run only where a match can begin (``_start_words``) or where the word they
    need occurs, in the lower-cased text (``folded``; the whole text is scanned when that is unsafe).
    """
    low = folded(text)
    starts = _start_positions(text, low) if low is not None else {}
    out = {}
    for kind, pattern in _patterns().items():
        if low is None:
            matches = pattern.finditer(text)
        elif kind in starts:
            matches = _finditer_at(pattern, text, starts[kind])
        elif kind in _NEEDED_WORD and _NEEDED_WORD[kind] not in low:
            matches = iter(())
        else:
            matches = pattern.finditer(text)
        out[kind] = tuple(m for m in matches if m.end() > m.start())
    return out


@dataclass
class _Candidate:
    kind: str
    match: re.Match[str]

    @property
    def span(self) -> tuple[int, int]:
        return self.match.span()

    @property
    def core(self) -> tuple[int, int]:
        if "core" in self.match.re.groupindex and self.match.group("core") is not None:
            return self.match.span("core")
        return self.match.span()

    @property
    def lead(self) -> str:
        if "lead" in self.match.re.groupindex and self.match.group("lead"):
            return self.match.group("lead").strip().lower()
        return ""


def _candidates(text: str, kinds: tuple[str, ...] | None = None) -> list[_Candidate]:
    """Non-overlapping date expressions, earliest first, longest winning at the same start."""
    found = []
    for kind, matches in _matches(text).items():
        if kinds is None or kind in kinds:
            found += [_Candidate(kind, m) for m in matches]
    found.sort(key=lambda c: (c.span[0], -(c.span[1] - c.span[0])))
    kept: list[_Candidate] = []
    for cand in found:
        if kept and cand.span[0] < kept[-1].span[1]:
            continue
        kept.append(cand)
    return kept


def calendar_spans(text: str) -> list[tuple[int, int]]:
    """Spans of calendar dates written with digits ("Jan 26", "26 January 2023", "2023-06-19")."""
    if not isinstance(text, str):
        return []
    return [c.span for c in _candidates(text, _CALENDAR_KINDS)]


# --------------------------------------------------------------------------- resolvers


def _month_number(match: re.Match[str]) -> int:
    name = match.group("month").rstrip(".").lower()
    return int(date_data()["months"][name])


def _explicit_year(match: re.Match[str], pub: date | None) -> int | None:
    if match.groupdict().get("year"):
        return int(match.group("year"))
    rel = (match.groupdict().get("rel") or "").lower()
    if pub is not None and rel in ("this", "last"):
        return pub.year - (rel == "last")
    return None


def _day_in_month(match: re.Match[str], day: int, pub: date | None) -> date | None | bool:
    """The date for ``day`` of the matched month; False when impossible, None when unresolvable."""
    month = _month_number(match)
    year = _explicit_year(match, pub)
    if year is not None:
        return _safe_date(year, month, day) or False
    if _safe_date(2000, month, day) is None:  # 2000 is a leap year: rejects only impossible days
        return False
    if pub is None:
        weekday = match.groupdict().get("wd")
        return _weekday_year(month, day, weekday) if weekday else None
    return _month_day_before(month, day, pub) or False


def _weekday_year(month: int, day: int, weekday: str) -> date | None:
    """Without a publication date, "Thursday, Sept. 16" is the latest such Thursday up to today (the
    weekday narrows the year to one in six or eleven)."""
    index = date_data()["weekdays"][weekday.lower()]
    today = date.today()
    for year in range(today.year, today.year - 30, -1):
        found = _safe_date(year, month, day)
        if found is not None and found <= today and found.weekday() == index:
            return found
    return None


def _resolve_month_day(match: re.Match[str], pub: date | None) -> _Resolved | None:
    found = _day_in_month(match, int(match.group("day")), pub)
    if found is False:
        return None
    return (found, "day", None) if isinstance(found, date) else _UNRESOLVED


def _resolve_day_range(match: re.Match[str], pub: date | None) -> _Resolved | None:
    first, last = int(match.group("d1")), int(match.group("day"))
    end = _day_in_month(match, last, pub)
    if end is False or first > last:
        return None
    if not isinstance(end, date):
        return _UNRESOLVED
    start = _safe_date(end.year, end.month, first)
    return (start, "day", end) if start else None


def _resolve_iso(match: re.Match[str], pub: date | None) -> _Resolved | None:
    found = _safe_date(int(match.group("year")), int(match.group("m")), int(match.group("d")))
    return (found, "day", None) if found else None


def _resolve_numeric(match: re.Match[str], pub: date | None) -> _Resolved | None:
    a, b, year = int(match.group("a")), int(match.group("b")), int(match.group("year"))
    if a > 12 and b > 12:
        return None
    if a > 12 >= b or a == b:
        found = _safe_date(year, b, a)
    elif b > 12 >= a:
        found = _safe_date(year, a, b)
    else:
        return _UNRESOLVED  # 03/04/2024: day-month order unknown, say so
    return (found, "day", None) if found else None


def _resolve_month_year(match: re.Match[str], pub: date | None) -> _Resolved | None:
    return _month_range(date(int(match.group("year")), _month_number(match), 1), None)


def _resolve_month_only(match: re.Match[str], pub: date | None) -> _Resolved | None:
    lead = (match.group("lead") or "").strip().lower()
    if not lead and not match.group("pos"):
        return None  # a bare month name ("May") is too ambiguous
    if lead == "may" or match.group("month").startswith("May") and lead in ("by", "of"):
        return None
    if pub is None:
        return _UNRESOLVED
    first = _month_before(_month_number(match), pub, strictly_before=lead == "last")
    return _month_range(first, pub)


def _resolve_year_only(match: re.Match[str], pub: date | None) -> _Resolved | None:
    if not match.group("lead") and not match.group("pos"):
        return None  # "the 2023 war", "2,023": not a date phrase
    return _year_range(int(match.group("year")), pub)


def _resolve_year_start(match: re.Match[str], pub: date | None) -> _Resolved | None:
    return _UNRESOLVED if pub is None else _year_range(pub.year, pub)


def _resolve_weekday(match: re.Match[str], pub: date | None) -> _Resolved | None:
    rel = (match.group("rel") or "").strip().lower()
    if rel == "next":
        return None  # future: not an event date
    if pub is None:
        return _UNRESOLVED
    index = date_data()["weekdays"][match.group("wd").lower()]
    day = _weekday_on_or_before(index, pub, strictly_before=rel == "last")
    night = NIGHT_BEFORE.search(match.string, max(0, match.start() - 25), match.start()) and \
        NIGHT_AFTER.match(match.string, match.end())
    return day, "day", (day + timedelta(days=1) if night and day < pub else None)  # the night's two days


NIGHT_BEFORE = re.compile(r"\bovernight\s+(?:from\s+|between\s+|on\s+)?$", re.I)
NIGHT_AFTER = re.compile(r"\s*(?:-|\u2013|/|and|to|into)\s*(?:monday|tuesday|wednesday|thursday|friday|saturday|"
                         r"sunday)\b", re.I)  # "overnight Thursday-Friday": a night over two days


def _resolve_offset(match: re.Match[str], pub: date | None) -> _Resolved | None:
    phrase = " ".join(match.group("core").lower().split())
    if pub is None:
        return _UNRESOLVED
    day = pub + timedelta(days=int(date_data()["day_offsets"][phrase]))
    return day, "day", (pub if phrase == "overnight" else None)


def _resolve_ago(match: re.Match[str], pub: date | None) -> _Resolved | None:
    count = parse_number(match.group("n"), allow_article=True)
    if count is None or count > 400:
        return None
    if pub is None:
        return _UNRESOLVED
    unit = match.group("unit").lower()
    if unit in ("day", "week"):
        return pub - timedelta(days=count * (7 if unit == "week" else 1)), "day", None
    if unit == "month":
        back = pub - timedelta(days=round(count * 30.44))
        return _month_range(back.replace(day=1), pub)
    return _year_range(pub.year - count, pub)


def _resolve_vague_ago(match: re.Match[str], pub: date | None) -> _Resolved | None:
    if pub is None:
        return _UNRESOLVED
    unit = match.group("unit").lower()
    spans = {
        "day": (7, 1, "week"),
        "week": (42, 7, "month"),
        "month": (365, 30, "year"),
        "year": (3650, 365, "year"),
    }
    far, near, precision = spans[unit]
    return pub - timedelta(days=far), precision, pub - timedelta(days=near)  # type: ignore[return-value]


def _resolve_relative(match: re.Match[str], pub: date | None) -> _Resolved | None:
    if pub is None:
        return _UNRESOLVED
    when = " ".join(match.group("when").lower().split())
    unit = match.group("unit").lower()
    if when in ("the past", "the last", "over the past", "in the past"):
        days = {"week": 7, "month": 30, "year": 365}[unit]
        return pub - timedelta(days=days), unit, pub  # type: ignore[return-value]
    if unit == "week":
        start = week_start(pub) - timedelta(days=7 if when == "last" else 0)
        return start, "week", _clamp(start + timedelta(days=6), pub)
    if unit == "month":
        first = pub.replace(day=1)
        if when == "last":
            first = (first - timedelta(days=1)).replace(day=1)
        return _month_range(first, pub)
    return _year_range(pub.year - (when == "last"), pub)


def _resolve_weekend(match: re.Match[str], pub: date | None) -> _Resolved | None:
    """ "last weekend" / "over the weekend": the most recent Saturday-Sunday (week precision)."""
    if pub is None:
        return _UNRESOLVED
    saturday = _weekday_on_or_before(5, pub)
    when = match.group("when").lower()
    if when == "last" and pub.weekday() >= 5:
        saturday -= timedelta(days=7)
    return saturday, "week", _clamp(saturday + timedelta(days=1), pub)


def _resolve_past_hours(match: re.Match[str], pub: date | None) -> _Resolved | None:
    if pub is None:
        return _UNRESOLVED
    hours = parse_number(match.group("hours")) or 24
    return pub - timedelta(days=hours // 24), "day", pub


def _resolve_recent(match: re.Match[str], pub: date | None) -> _Resolved | None:
    if pub is None:
        return _UNRESOLVED
    if match.group("unit").lower() == "day":
        return pub - timedelta(days=7), "week", pub
    return pub - timedelta(days=42), "month", pub


_RESOLVERS: dict[str, Callable[[re.Match[str], date | None], _Resolved | None]] = {
    "iso": _resolve_iso,
    "numeric": _resolve_numeric,
    "day_range": _resolve_day_range,
    "day_month": _resolve_month_day,
    "month_day": _resolve_month_day,
    "month_year": _resolve_month_year,
    "month_only": _resolve_month_only,
    "year_only": _resolve_year_only,
    "year_start": _resolve_year_start,
    "weekday": _resolve_weekday,
    "offset": _resolve_offset,
    "ago": _resolve_ago,
    "vague_ago": _resolve_vague_ago,
    "relative": _resolve_relative,
    "month_day_range": _resolve_day_range,
    "weekend": _resolve_weekend,
    "past_hours": _resolve_past_hours,
    "recent": _resolve_recent,
}


def _to_dateref(text: str, cand: _Candidate, pub: date | None) -> DateRef | None:
    try:
        resolved = _RESOLVERS[cand.kind](cand.match, pub)
    except (ValueError, OverflowError, KeyError):
        return None
    if resolved is None:
        return None
    day, precision, end = resolved
    evidence = Evidence.of(text, *cand.core)
    if day is None:
        return DateRef(None, None, None, evidence)
    return DateRef(day.isoformat(), precision, end.isoformat() if end else None, evidence)


def _resolved_candidates(text: str, published: str | None) -> list[tuple[_Candidate, DateRef]]:
    if not isinstance(text, str) or not text:
        return []
    pub = parse_published(published)
    out = []
    for cand in _candidates(text):
        ref = _to_dateref(text, cand, pub)
        if ref is not None:
            out.append((cand, ref))
    return out


# --------------------------------------------------------------------------- public


def resolve_dates(text: str, published: str | None) -> list[DateRef]:
    """Every point date expression in ``text``, resolved against ``published``, by position.

    Period starts ("since October 7", "since January") are left to ``find_periods``; birth dates ("a minor
    born in 2008") are no date of the story.
    """
    return [ref for cand, ref in _resolved_candidates(text, published)
            if cand.lead != "since" and not _BORN_BEFORE.search(text[max(0, cand.span[0] - 12):cand.span[0]])]


_BORN_BEFORE = re.compile(r"\bborn\s+(?:in\s+|on\s+)?$", re.IGNORECASE)


_DATELINE_BEFORE = re.compile(  # "ISLAMABAD, ", "Ouagadougou [Burkina Faso], ", "KANO (Nigeria), "
    r"^\s*[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*){0,3}(?:\s*[\[(][^\])\n]{1,40}[\])])?"
    r"(?:,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})*,?\s*$"
)
_DATELINE_AFTER = re.compile(r"^\s*(?:\([^)\n]{1,40}\))?\s*(?:--|[-–—:|])")  # " (KUNA) --", " (ANI/Xinhua):"


def in_dateline(text: str, start: int, end: int) -> bool:
    """Is the date at ``text[start:end]`` a dateline's ("KABUL, March 3 (Reuters) -"): the filing day, not
    the day of an event?"""
    line_start = text.rfind("\n", 0, start) + 1
    if start - line_start > 80:
        return False
    return bool(_DATELINE_BEFORE.match(text[line_start:start]) and _DATELINE_AFTER.match(text[end:end + 45]))


_REFERENCE_SLACK = 3  # days: an undated article is read as if published soon after the last day it names


def reference_day(text: str, skip: list[tuple[int, int]] | None = None) -> str | None:
    """For an article without a publication date: a stand-in, a few days after the latest full date
    (day, month and year) the text names outside ``skip`` (photo captions: often file pictures), so
    that "on Tuesday" is read near it. None when the text names no full date."""
    if not isinstance(text, str):
        return None
    days = []
    for cand in _candidates(text, ("iso", "day_month", "month_day")):
        if cand.lead == "since" or not cand.match.groupdict().get("year"):
            continue
        if any(a <= cand.span[0] < b for a, b in skip or []):
            continue
        ref = _to_dateref(text, cand, None)
        if ref is not None and ref.date and ref.precision == "day":
            days.append(date.fromisoformat(ref.date))
    if not days:
        return None
    return (max(days) + timedelta(days=_REFERENCE_SLACK)).isoformat()


def resolve_expression(expr: str, published: str | None) -> DateRef | None:
    """Resolve one date phrase ("late Sunday night", "Jan 26", "last year"); None if it isn't one."""
    found = _resolved_candidates(expr, published)
    return found[0][1] if found else None


@dataclass(frozen=True)
class Period:
    """A period a running total covers: ``start`` (ISO) to ``end`` (ISO, None = up to publication)."""

    start: str | None
    end: str | None
    since: bool  # written as "since ..."
    evidence: Evidence


_SINCE_BEFORE = re.compile(r"\bsince\b[^,.;:]{0,40}$", re.IGNORECASE)


def _period_of(text: str, cand: _Candidate, ref: DateRef, pub: date | None) -> Period | None:
    if cand.lead == "since":
        return Period(ref.date, None, True, Evidence.of(text, *cand.span))
    if _SINCE_BEFORE.search(text[max(0, cand.span[0] - 45) : cand.span[0]]):
        return Period(ref.date, None, True, Evidence.of(text, *cand.core))  # "since the coup in 2021"
    if ref.precision not in ("week", "month", "year") or ref.evidence is None:
        return None
    end = ref.date_end
    if pub is not None and end is not None and end >= pub.isoformat():
        end = None  # still open at publication
    return Period(ref.date, end, False, ref.evidence)


def find_periods(text: str, published: str | None) -> list[Period]:
    """Periods in ``text``: "since ..." starts, and week/month/year phrases ("last year", "in 2022")."""
    pub = parse_published(published)
    periods = []
    for cand, ref in _resolved_candidates(text, published):
        period = _period_of(text, cand, ref, pub)
        if period is not None:
            periods.append(period)
    return periods


@lru_cache(maxsize=16)
def _best_period(sentence: str, published: str | None) -> Period | None:
    """The period a sentence's running total covers (cached: its start and its end are asked for in turn)."""
    periods = [p for p in find_periods(sentence, published) if p.start is not None]
    since = [p for p in periods if p.since]
    chosen = since or periods
    return chosen[0] if chosen else None


def period_start_in(sentence: str, published: str | None) -> str | None:
    """ISO start of the period a sentence's running total covers ("since the start of 2023" -> 2023-01-01)."""
    period = _best_period(sentence, published)
    return period.start if period else None


def period_end_in(sentence: str, published: str | None) -> str | None:
    """ISO end of a closed period ("last year" -> its 31 December); None when open or absent."""
    period = _best_period(sentence, published)
    return period.end if period else None
