"""Date expressions resolved against the publication date (sitrep.extract.dates)."""

from __future__ import annotations

import random

import pytest

from sitrep.extract.dates import (
    calendar_spans,
    find_periods,
    period_end_in,
    period_start_in,
    resolve_dates,
    resolve_expression,
    weekday_date,
)
from sitrep.records import DateRef

FRIDAY = "2024-05-17"  # a Friday


def one(text: str, published: str | None) -> DateRef:
    refs = resolve_dates(text, published)
    assert len(refs) == 1, refs
    ref = refs[0]
    assert ref.evidence is not None and ref.evidence.text == text[ref.evidence.start : ref.evidence.end]
    return ref


# --------------------------------------------------------------------------- weekdays


@pytest.mark.parametrize(
    ("text", "published", "expected", "phrase"),
    [
        (
            "Russian shelling killed at least 11 civilians in Kharkiv on Wednesday",
            FRIDAY,
            "2024-05-15",
            "Wednesday",
        ),
        (
            "RSF fighters stormed the camp late Sunday night, witnesses said",
            FRIDAY,
            "2024-05-12",
            "late Sunday night",
        ),
        ("The drone struck a wedding party on Thursday evening", FRIDAY, "2024-05-16", "Thursday evening"),
        ("Gangs attacked the police station on Monday morning", FRIDAY, "2024-05-13", "Monday morning"),
        ("The army said on Friday that 12 militants had been killed", FRIDAY, "2024-05-17", "Friday"),
        ("Saturday's air strike on the market killed 20", FRIDAY, "2024-05-11", "Saturday's"),
        ("The junta bombed the village last Friday", FRIDAY, "2024-05-10", "last Friday"),
        (
            "Fighting erupted in the early hours of Tuesday",
            FRIDAY,
            "2024-05-14",
            "in the early hours of Tuesday",
        ),
        ("Militants ambushed the convoy on Sunday", "2024-01-02", "2023-12-31", "Sunday"),
    ],
)
def test_weekdays(text: str, published: str, expected: str, phrase: str) -> None:
    ref = one(text, published)
    assert (ref.date, ref.precision) == (expected, "day")
    assert ref.evidence is not None and ref.evidence.text == phrase


def test_weekday_after_publication_day_wraps_to_previous_week() -> None:
    # Published on a Friday: "Saturday" can only be the day before last week's Sunday.
    assert one("on Saturday", FRIDAY).date == "2024-05-11"


def test_next_weekday_is_not_an_event_date() -> None:
    assert resolve_dates("Talks will resume next Tuesday in Jeddah", FRIDAY) == []


def test_weekday_date_helper() -> None:
    assert weekday_date("Wednesday", FRIDAY) == "2024-05-15"
    assert weekday_date("friday", FRIDAY) == "2024-05-17"
    assert weekday_date("Friday", FRIDAY, strictly_before=True) == "2024-05-10"
    assert weekday_date("Someday", FRIDAY) is None


def test_two_weekdays_in_one_sentence() -> None:
    refs = resolve_dates("at least 195 were killed in the two strikes on Tuesday and Wednesday", "2023-11-02")
    assert [r.date for r in refs] == ["2023-10-31", "2023-11-01"]


# --------------------------------------------------------------------------- month-day


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("JENIN, West Bank, Jan 26 (Reuters) - Israeli troops killed nine", "2023-01-26", "2023-01-26"),
        ("The attack on 17 November left the hospital without power", "2023-11-18", "2023-11-17"),
        ("Clashes broke out in Goma on July 3", "2023-07-05", "2023-07-03"),
        ("The raid on June 19 this year killed seven", "2023-11-02", "2023-06-19"),
        ("Militants attacked Djibo on Dec 30", "2024-01-02", "2023-12-30"),
        ("The siege began on Oct. 7", "2024-01-15", "2023-10-07"),
        ("the massacre on the 5th of March", "2024-05-17", "2024-03-05"),
        ("It happened on Sept 14th in Gedaref", "2024-05-17", "2023-09-14"),
        ("The ambush on 26 January 2023 killed four soldiers", "2024-05-17", "2023-01-26"),
        ("The ambush on January 26, 2023 killed four soldiers", None, "2023-01-26"),
        ("Records dated 2023-06-19 show the arrests", None, "2023-06-19"),
        ("The report dated 19/06/2023 lists the dead", None, "2023-06-19"),
        ("The strike on Wednesday, May 15 hit a school", FRIDAY, "2024-05-15"),
        ("the raid on June 19 last year", "2024-05-17", "2023-06-19"),
    ],
)
def test_month_day(text: str, published: str | None, expected: str) -> None:
    ref = one(text, published)
    assert (ref.date, ref.precision) == (expected, "day")


def test_month_day_never_after_publication() -> None:
    # Published 17 May: "May 20" must be last year's.
    assert one("the shelling on May 20", FRIDAY).date == "2023-05-20"


def test_leap_day_goes_back_to_a_leap_year() -> None:
    assert one("the raid on February 29", "2025-03-01").date == "2024-02-29"
    assert one("the raid on February 29", "2024-03-01").date == "2024-02-29"


@pytest.mark.parametrize(
    "text", ["the attack on February 30", "on 31 April", "on 2023-02-30", "on 45/13/2023"]
)
def test_impossible_dates_are_skipped(text: str) -> None:
    assert resolve_dates(text, FRIDAY) == []


def test_day_range() -> None:
    ref = one("Fighting raged from 5 to 7 October around the base", "2023-11-02")
    assert (ref.date, ref.date_end, ref.precision) == ("2023-10-05", "2023-10-07", "day")


@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        ("Heavy fighting on Jan. 7-9 around Bakhmut", "2024-01-20", "2024-01-07", "2024-01-09"),
        ("on the night of 3-4 May", FRIDAY, "2024-05-03", "2024-05-04"),
        ("The attack, on 12 and 13 February, killed nine", FRIDAY, "2024-02-12", "2024-02-13"),
        ("raids between March 3 and 5 in Sittwe", FRIDAY, "2024-03-03", "2024-03-05"),
    ],
)
def test_day_spans(text: str, published: str, start: str, end: str) -> None:
    ref = one(text, published)
    assert (ref.date, ref.date_end, ref.precision) == (start, end, "day")


@pytest.mark.parametrize(
    ("text", "published", "start", "end", "precision"),
    [
        (
            "Gunmen struck villages in Zamfara over the weekend",
            "2024-05-20",
            "2024-05-18",
            "2024-05-19",
            "week",
        ),
        ("Gunmen struck villages last weekend", FRIDAY, "2024-05-11", "2024-05-12", "week"),
        ("Gunmen struck villages last weekend", "2024-05-19", "2024-05-11", "2024-05-12", "week"),
        ("Clashes intensified earlier in the week", FRIDAY, "2024-05-13", "2024-05-17", "week"),
        ("30 people were killed in the past 24 hours", FRIDAY, "2024-05-16", "2024-05-17", "day"),
        ("Shelling has intensified in recent days", FRIDAY, "2024-05-10", "2024-05-17", "week"),
    ],
)
def test_weekends_and_recent_windows(text: str, published: str, start: str, end: str, precision: str) -> None:
    ref = one(text, published)
    assert (ref.date, ref.date_end, ref.precision) == (start, end, precision)


def test_ambiguous_numeric_date_is_not_guessed() -> None:
    ref = one("a report dated 03/04/2024", FRIDAY)
    assert (ref.date, ref.precision) == (None, None)


def test_month_day_without_publication_is_unresolved() -> None:
    ref = one("The attack on 17 November", None)
    assert (ref.date, ref.precision) == (None, None)


# --------------------------------------------------------------------------- relative days


@pytest.mark.parametrize(
    ("text", "expected", "end"),
    [
        ("Troops opened fire on protesters today", "2024-05-17", None),
        ("The blast happened yesterday near the mosque", "2024-05-16", None),
        ("Soldiers raided the town the day before yesterday", "2024-05-15", None),
        ("Drones hit Odesa last night", "2024-05-16", None),
        ("Gunmen attacked the village overnight", "2024-05-16", "2024-05-17"),
        ("Shelling resumed this morning", "2024-05-17", None),
        ("He was arrested a week ago", "2024-05-10", None),
        ("The convoy was hit two days ago", "2024-05-15", None),
        ("The journalist was detained 20 days ago", "2024-04-27", None),
    ],
)
def test_relative_days(text: str, expected: str, end: str | None) -> None:
    ref = one(text, FRIDAY)
    assert (ref.date, ref.precision, ref.date_end) == (expected, "day", end)


def test_yesterday_across_year_boundary() -> None:
    assert one("yesterday", "2024-01-01").date == "2023-12-31"


@pytest.mark.parametrize(
    "text",
    ["on Wednesday", "yesterday", "last night", "last week", "late January", "two days ago", "this year"],
)
def test_relative_without_publication_says_unresolved(text: str) -> None:
    ref = one(text, None)
    assert (ref.date, ref.precision) == (None, None)
    assert ref.evidence is not None and ref.evidence.text


# --------------------------------------------------------------------------- weeks, months, years


@pytest.mark.parametrize(
    ("text", "published", "date", "precision", "end"),
    [
        ("Clashes erupted earlier this week in Gao", FRIDAY, "2024-05-13", "week", "2024-05-17"),
        ("Dozens were killed last week in Darfur", FRIDAY, "2024-05-06", "week", "2024-05-12"),
        ("The town fell last month", FRIDAY, "2024-04-01", "month", "2024-04-30"),
        ("Attacks rose earlier this month", FRIDAY, "2024-05-01", "month", "2024-05-17"),
        ("Fighting intensified in late January", FRIDAY, "2024-01-01", "month", "2024-01-31"),
        ("The offensive began in early February", FRIDAY, "2024-02-01", "month", "2024-02-29"),
        ("The siege started in mid-March", FRIDAY, "2024-03-01", "month", "2024-03-31"),
        ("Government troops retook the town in January", FRIDAY, "2024-01-01", "month", "2024-01-31"),
        ("The camp was shelled in late December", "2024-01-03", "2023-12-01", "month", "2023-12-31"),
        ("The coup took place in July 2023", FRIDAY, "2023-07-01", "month", "2023-07-31"),
        ("More than 500 were killed last year", FRIDAY, "2023-01-01", "year", "2023-12-31"),
        ("Rebels seized the mine in 2022", FRIDAY, "2022-01-01", "year", "2022-12-31"),
        ("Violence has surged this year", FRIDAY, "2024-01-01", "year", "2024-05-17"),
        ("last month", "2024-01-10", "2023-12-01", "month", "2023-12-31"),
        ("last week", "2024-01-03", "2023-12-25", "week", "2023-12-31"),
    ],
)
def test_coarse_dates(text: str, published: str, date: str, precision: str, end: str) -> None:
    ref = one(text, published)
    assert (ref.date, ref.precision, ref.date_end) == (date, precision, end)


def test_month_in_publication_month_is_clamped() -> None:
    ref = one("in May", FRIDAY)
    assert (ref.date, ref.date_end) == ("2024-05-01", "2024-05-17")


def test_weeks_ago_is_coarse() -> None:
    ref = one("The mass grave was found weeks ago", FRIDAY)
    assert ref.precision == "month"
    assert ref.date is not None and ref.date_end is not None and ref.date < ref.date_end < FRIDAY


def test_bare_may_is_not_a_date() -> None:
    assert resolve_dates("Officials may revise the toll of 30", FRIDAY) == []
    assert resolve_dates("The May offensive", FRIDAY) == []


def test_adjective_year_is_not_a_date() -> None:
    assert resolve_dates("the 2023 war displaced millions", FRIDAY) == []


def test_decades_are_not_years() -> None:
    assert resolve_dates("violence common since the early 2000\u2019s and in the 1990s", FRIDAY) == []


def test_full_month_name_does_not_swallow_full_stop() -> None:
    ref = one("Ground operations began in late October.", "2023-11-02")
    assert ref.evidence is not None and ref.evidence.text == "late October"
    assert one("the siege since Oct. 7 and on Nov. 3", "2023-11-20").evidence.text == "Nov. 3"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- not dates


@pytest.mark.parametrize(
    "text",
    [
        "The strike happened at 10am",
        "The curfew starts at 08:00 GMT",
        "a 48-hour ceasefire",
        "the fighting lasted three weeks",
        "killed at least 11 civilians",
        "",
    ],
)
def test_times_and_durations_are_not_dates(text: str) -> None:
    assert resolve_dates(text, FRIDAY) == []


def test_output_sorted_by_position() -> None:
    text = "After Sunday's raid, troops returned on 17 May and again yesterday; last year was worse."
    refs = resolve_dates(text, "2024-05-20")
    starts = [r.evidence.start for r in refs if r.evidence]
    assert starts == sorted(starts)
    assert [r.date for r in refs] == ["2024-05-19", "2024-05-17", "2024-05-19", "2023-01-01"]


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("sentence", "published", "start", "end"),
    [
        ("61 Palestinians have been killed since the start of 2023", "2023-02-22", "2023-01-01", None),
        ("at least 61 people killed since the start of the year", "2023-02-22", "2023-01-01", None),
        ("more than 10,000 killed since October 7", "2023-11-20", "2023-10-07", None),
        ("170 dead since January in Sahel attacks", "2024-05-17", "2024-01-01", None),
        ("the UN recorded 170 Palestinians killed last year", "2023-02-22", "2022-01-01", "2022-12-31"),
        ("150 killed so far this year", "2023-06-19", "2023-01-01", None),
        ("300 people were killed in 2023", "2024-05-17", "2023-01-01", "2023-12-31"),
        ("3,000 civilians killed since the coup in 2021", "2024-05-17", "2021-01-01", None),
    ],
)
def test_period_phrases(sentence: str, published: str, start: str, end: str | None) -> None:
    assert period_start_in(sentence, published) == start
    assert period_end_in(sentence, published) == end


def test_since_is_not_a_point_date() -> None:
    assert resolve_dates("killed since October 7", "2023-11-20") == []
    periods = find_periods("killed since October 7", "2023-11-20")
    assert len(periods) == 1 and periods[0].since and periods[0].evidence.text == "since October 7"


def test_no_period_in_plain_sentence() -> None:
    assert period_start_in("Nine were killed in Jenin on Thursday", "2023-01-26") is None
    assert period_end_in("Nine were killed in Jenin on Thursday", "2023-01-26") is None


# --------------------------------------------------------------------------- resolve_expression, robustness


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("on Wednesday", "2024-05-15"),
        ("late Sunday night", "2024-05-12"),
        ("Jan 26", "2024-01-26"),
        ("yesterday", "2024-05-16"),
        ("last year", "2023-01-01"),
    ],
)
def test_resolve_expression(expr: str, expected: str) -> None:
    ref = resolve_expression(expr, FRIDAY)
    assert ref is not None and ref.date == expected


def test_resolve_expression_non_date() -> None:
    assert resolve_expression("the Rapid Support Forces", FRIDAY) is None


def test_bad_publication_string_is_treated_as_missing() -> None:
    ref = one("on Wednesday", "not a date")
    assert ref.date is None


def test_publication_with_time_part() -> None:
    assert one("on Wednesday", "2024-05-17T09:30:00Z").date == "2024-05-15"


def test_calendar_spans_cover_digit_dates_only() -> None:
    text = "On Jan 26 and 2023-06-19, but not on Wednesday"
    assert [text[s:e] for s, e in calendar_spans(text)] == ["Jan 26", "2023-06-19"]


@pytest.mark.parametrize(
    "text",
    [
        "\u202e\u0000\ufffd\U0001f4a5 \u0660\u0661 Wednesday\u200b",
        "Wednesday " * 1000,
        "January 99999999999999999999",
        "since since since " * 500,
        "9" * 10_000,
        "on 0/0/0000 and 00/00/0000",
    ],
)
def test_garbage_never_raises(text: str) -> None:
    refs = resolve_dates(text, FRIDAY)
    assert isinstance(refs, list)
    assert isinstance(find_periods(text, FRIDAY), list)


def test_random_text_never_raises() -> None:
    rng = random.Random(11)
    words = [
        "on",
        "Wednesday",
        "Jan",
        "26",
        "since",
        "last",
        "year",
        "ago",
        "two",
        "days",
        "/",
        "-",
        "2023",
        "x",
    ]
    for _ in range(50):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
        for ref in resolve_dates(text, rng.choice([FRIDAY, None, "2024-02-29"])):
            assert ref.evidence is not None
