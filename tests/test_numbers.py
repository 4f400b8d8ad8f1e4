"""Number parsing and quantity phrases (sitrep.extract.numbers)."""

from __future__ import annotations

import random

import pytest

from sitrep.extract.numbers import find_quantities, number_words, parse_number, quantity_text
from sitrep.records import Quantity

# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11", 11),
        ("9,000", 9000),
        ("1,400", 1400),
        ("1.2 million", 1_200_000),
        ("3.8bn", 3_800_000_000),
        ("2m", 2_000_000),
        ("10k", 10_000),
        ("seven", 7),
        ("eleven", 11),
        ("Twenty-one", 21),
        ("twenty one", 21),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a dozen", 6),
        ("a hundred", 100),
        ("three hundred", 300),
        ("three hundred and twenty-five", 325),
        ("two thousand five hundred", 2500),
        ("a million", 1_000_000),
        ("one", 1),
        ("zero", 0),
        ("  42  ", 42),
    ],
)
def test_parse_number_reads_digits_and_words(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["a", "an"])
def test_parse_number_article_only_when_allowed(text: str) -> None:
    assert parse_number(text) is None
    assert parse_number(text, allow_article=True) == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "civilians",
        "1e309",
        "9" * 40,
        "2.5",
        "seven eleven",
        "thousand thousand",
        "1,40",
        "twenty eleven",
        "a seven",
        "-5",
        "NaN",
        "\u202e\u0000\ufffd",
    ],
)
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_parse_number_never_raises_on_non_strings() -> None:
    assert parse_number(None) is None  # type: ignore[arg-type]
    assert parse_number(12) is None  # type: ignore[arg-type]


def test_number_words_loaded_from_data() -> None:
    words = number_words()
    assert words["forty"] == 40 and words["dozen"] == 12 and words["million"] == 1_000_000


# --------------------------------------------------------------------------- find_quantities


def only(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, [quantity_text(text, q) for q in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "phrase"),
    [
        ("Russian shelling killed at least 11 civilians in Kharkiv", 11, "at_least", "at least 11"),
        ("RSF fighters killed more than 90 people in the village", 90, "at_least", "more than 90"),
        ("Over a dozen soldiers died in the ambush near Djibo", 12, "at_least", "Over a dozen"),
        ("upwards of 200 people were missing after the raid", 200, "at_least", "upwards of 200"),
        ("no fewer than 40 bodies were recovered in Ituri", 40, "at_least", "no fewer than 40"),
        ("a minimum of 15 villagers were abducted", 15, "at_least", "a minimum of 15"),
        ("in excess of 1,000 homes were burned in Rakhine", 1000, "at_least", "in excess of 1,000"),
        ("The army said 30+ militants were killed", 30, "at_least", "30+"),
        ("some 300 people fled Port-au-Prince overnight", 300, "about", "some 300"),
        ("about 70 people were wounded in the market strike", 70, "about", "about 70"),
        ("nearly 100 fighters were killed in the clashes", 100, "about", "nearly 100"),
        ("almost two dozen civilians were killed in El Fasher", 24, "about", "almost two dozen"),
        ("an estimated 2,000 people were displaced from Goma", 2000, "about", "an estimated 2,000"),
        ("close to 50 soldiers surrendered in Shan state", 50, "about", "close to 50"),
        ("roughly 1.5 million people have fled Khartoum", 1_500_000, "about", "roughly 1.5 million"),
        ("~40 people were hurt", 40, "about", "~40"),
        ("up to 60 people may have been killed in the drone strike", 60, "up_to", "up to 60"),
        ("as many as 25 students were abducted in Kaduna", 25, "up_to", "as many as 25"),
        ("The junta's air strike killed 17 villagers in Sagaing", 17, "exact", "17"),
        ("Gunmen killed seven worshippers at a church in Ituri", 7, "exact", "seven"),
        ("Twenty-one people died when the shell hit the bus stop", 21, "exact", "Twenty-one"),
        ("a dozen bodies lay in the street in Wad Madani", 12, "exact", "a dozen"),
        ("40 or more people were feared dead in the village", 40, "at_least", "40 or more"),
        ("a couple of fighters were captured near Bakhmut", 2, "about", "a couple of"),
        ("The death toll in the enclave exceeds 9,000", 9000, "at_least", "exceeds 9,000"),
        ("The army said it killed \u201cat least\u201d six militants", 6, "at_least", "at least\u201d six"),
        ("fewer than 10 bodies were identified", 10, "up_to", "fewer than 10"),
        ("The ministry put the toll at 1,200 or so", 1200, "about", "1,200 or so"),
        ("Police said 100-plus protesters were arrested in Bamako", 100, "at_least", "100-plus"),
        ("a 50-odd strong militia", 50, "about", "50-odd"),
        # a toll that "went up to" a number reached it: no ceiling
        ("the death toll from the fighting went up to 46 on Sunday", 46, "exact", "46"),
        # thousands grouped by spaces
        ("more than 1 350 civilians were killed in Ituri in 2022", 1350, "at_least", "more than 1 350"),
        ("some 12\u00a0000 residents fled Bunia", 12000, "about", "some 12\u00a0000"),
    ],
)
def test_qualified_quantities(text: str, value: int, qualifier: str, phrase: str) -> None:
    quantity = only(text)
    assert (quantity.value, quantity.qualifier, quantity.vague) == (value, qualifier, False)
    assert quantity_text(text, quantity) == phrase


@pytest.mark.parametrize(
    ("text", "low", "high", "phrase"),
    [
        ("between 5 and 7 people were killed in the strike on Kherson", 5, 7, "between 5 and 7"),
        ("Gang members killed 10 to 15 residents of Cite Soleil", 10, 15, "10 to 15"),
        ("5-7 soldiers were reported missing after the ambush", 5, 7, "5-7"),
        ("between 300 and 400 civilians were killed in Geneina", 300, 400, "between 300 and 400"),
        ("two or three children were among the dead", 2, 3, "two or three"),
        ("20\u201330 fighters were killed in the counterattack", 20, 30, "20\u201330"),
    ],
)
def test_ranges(text: str, low: int, high: int, phrase: str) -> None:
    quantity = only(text)
    assert (quantity.value, quantity.high, quantity.qualifier) == (low, high, "range")
    assert quantity_text(text, quantity) == phrase


def test_from_to_is_a_change_not_a_range() -> None:
    found = find_quantities("The death toll rose from 12 to 19 on Friday")
    assert [(q.value, q.qualifier) for q in found] == [(12, "exact"), (19, "exact")]


@pytest.mark.parametrize(
    ("text", "value", "phrase"),
    [
        ("dozens of fighters were killed in the battle for Avdiivka", 24, "dozens"),
        ("scores of people were killed when the gang attacked", 40, "scores"),
        ("hundreds were arrested after the protest in Yangon", 200, "hundreds"),
        ("thousands fled the fighting around Goma", 2000, "thousands"),
        ("tens of thousands of people have been displaced in Darfur", 20000, "tens of thousands"),
        ("hundreds of thousands of people are trapped", 200000, "hundreds of thousands"),
        ("several soldiers were wounded in the attack", 3, "several"),
        ("a few residents were hurt by falling debris", 2, "a few"),
        ("several hundred people were detained in Mandalay", 300, "several hundred"),
        ("a few dozen protesters gathered in Niamey", 24, "a few dozen"),
        ("many civilians were trapped under the rubble", 3, "many"),
    ],
)
def test_vague_quantities(text: str, value: int, phrase: str) -> None:
    quantity = only(text)
    assert quantity.vague is True
    assert quantity.value == value
    assert quantity_text(text, quantity) == phrase


def test_qualified_vague_keeps_both() -> None:
    quantity = only("more than several hundred people were rounded up")
    assert (quantity.value, quantity.qualifier, quantity.vague) == (300, "at_least", True)


@pytest.mark.parametrize(
    "text",
    [
        "The offensive began in 2023 and continued into the spring",
        "Israel has occupied the territory since 1967",
        "The strike happened at 10am local time",
        "The curfew starts at 08:00 GMT",
        "The blast happened at 10.30pm",
        "Hossam, 24, was shot in the head",
        "Mohammed Nasser (19) was taken to hospital",
        "a man aged 62 was detained at the checkpoint",
        "the 53rd battalion withdrew from the town",
        "The US pledged $3.8bn in military aid",
        "The fund needs \u00a314.3bn this year",
        "80 percent of the city is without power",
        "Nearly 80% of homes were damaged",
        "the 48-hour ceasefire collapsed",
        "a three-hour bombardment of the port",
        "He was detained 20 days ago",
        "a two-storey house collapsed",
        "an F-16 was seen over the city",
        "the Su-25 crashed in the field",
        "The attack on Jan 26 drew condemnation",
        "fighting resumed on 26 January",
        "Clashes erupted on July 3",
        "The troops advanced 5 km towards the town",
        "the attack hit Route 6 near the border",
        "Resolution 2334 was cited by the envoy",
        "a 155mm shell hit the school",
        "Covid-19 swept the camp",
        "no one was hurt in the blast",
        "one another",
        "It was the 2nd attack this month",
        "the town was shelled several times overnight",
        "the convoy was stopped numerous times",
        "He spent several years in detention",
        "The camp was 3km from the front line",
        "the 1990s civil war",
        "1 in 5 homes was destroyed",
        "one in every three children is malnourished",
        "Heavy fighting on Jan. 7-9 around Bakhmut",
        "on the night of 3-4 May",
    ],
)
def test_non_counts_are_skipped(text: str) -> None:
    assert find_quantities(text) == [], [quantity_text(text, q) for q in find_quantities(text)]


def test_year_figure_with_people_noun_is_a_count() -> None:
    quantity = only("Officials said 2000 people were evacuated")
    assert (quantity.value, quantity.qualifier) == (2000, "exact")


def test_qualified_four_digit_figure_is_a_count() -> None:
    quantity = only("at least 1900 were killed in the siege")
    assert (quantity.value, quantity.qualifier) == (1900, "at_least")


def test_several_quantities_in_order_with_offsets() -> None:
    text = "At least 11 Palestinians were killed and 102 wounded, while dozens were detained in Nablus."
    found = find_quantities(text)
    assert [quantity_text(text, q) for q in found] == ["At least 11", "102", "dozens"]
    assert [q.vague for q in found] == [False, False, True]
    assert all(0 <= q.start < q.end <= len(text) for q in found)


def test_age_after_name_skipped_but_toll_kept() -> None:
    text = "Ahmed, 17, and Omar, 22, were among 9 people killed in Jenin."
    assert [(q.value, quantity_text(text, q)) for q in find_quantities(text)] == [(9, "9")]


def test_place_comma_number_is_still_a_count() -> None:
    text = "In Jenin, 11 people were killed."
    assert [q.value for q in find_quantities(text)] == [11]


def test_dated_toll_keeps_count_drops_date() -> None:
    text = "On 17 November 2023, at least 26 people were killed in Khan Younis."
    assert [(q.value, q.qualifier) for q in find_quantities(text)] == [(26, "at_least")]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\u202e\u0000\ufffd\U0001f4a5 \u0660\u0661\u0662 \u0966\u0967",
        "9" * 5000,
        "1," * 3000,
        "at least " * 2000,
        "twenty-" * 2000,
        "between 5 and " * 1000,
    ],
)
def test_garbage_never_raises(text: str) -> None:
    found = find_quantities(text)
    assert isinstance(found, list)
    assert all(q.value <= 10**12 for q in found)


def test_random_text_never_raises() -> None:
    rng = random.Random(7)
    alphabet = "0123456789 ,.-+~$%abcdefghijklmnopqrstuvwxyz\u00e9\u0627\u4e2d\n"
    for _ in range(30):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        for quantity in find_quantities(text):
            assert 0 <= quantity.start < quantity.end <= len(text)


def test_long_line_is_handled() -> None:
    text = ("Shelling killed at least 11 civilians in the city. " * 200)[:10_000]
    found = find_quantities(text)
    assert len(found) >= 190
    assert all(q.value == 11 and q.qualifier == "at_least" for q in found)
