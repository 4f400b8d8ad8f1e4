"""The rules' shortcuts (pre-checks, start positions, caches) give exactly what the plain scans give."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitrep.extract import actors, dates, numbers
from sitrep.extract.lexicon import alternation, casualty_lexicon, event_lexicon, folded, required_words

SAMPLES = sorted((Path(__file__).parent.parent / "samples").glob("*.txt"))
TRICKY = [
    "Putin January 5 attack", "amid-March 2020", "x2024-01-01", "12019 and 2020s", "mid-January", "amidJanuary",
    "İn January", "ſince May 2021", "in\u00a0March 2023", "Since the start of the year", "2 weeks ago, a week ago",
    "the 5th of May", "late on Friday night", "earlier this month", "over the weekend", "in the past 24 hours",
    "Israel’s army and Türkiye’s forces", "Côte d’Ivoire troops", "KILLED by an airstrike", "the Burkinabè army",
    "UNITED NATIONS said", "", "5", "Jan", "since 12-14 March, and March 3-5",
]


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES] + TRICKY
    return texts + [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t)]


def test_date_matches_equal_plain_scans() -> None:
    for text in _texts():
        found = dates._matches(text)
        for kind, pattern in dates._patterns().items():
            plain = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
            assert [m.span() for m in found[kind]] == plain, (kind, text[:80])


def test_date_cache_follows_the_text() -> None:
    first = dates.resolve_dates("Gunmen killed five on Friday.", "2024-05-17")
    other = dates.resolve_dates("Gunmen killed five on Monday.", "2024-05-17")
    again = dates.resolve_dates("".join(["Gunmen killed five ", "on Friday."]), "2024-05-17")
    assert [d.date for d in first] == [d.date for d in again] == ["2024-05-17"]
    assert [d.date for d in other] == ["2024-05-13"]
    assert dates.period_start_in("killed since January", "2024-05-17") == "2024-01-01"
    assert dates.period_start_in("killed since January", "2023-05-17") == "2023-01-01"


@pytest.mark.parametrize(("pattern", "words"), [
    (r"\bair ?strikes?\b", ("strike",)),
    (r"\b(raid|attack)s?\b", ("raid", "attack")),
    (r"\b(raid|attack)?s\b", ("s",)),
    (r"\b(raid|attack) on\b", ("raid on", "attack on")),
    (r"\b(over|in) the (last|past) few\b", (" the last few", " the past few")),
    (r"\bkill(ed|ing)?\b|\bdead\b", ("",)),
    (r"\bsince (the )?(start|beginning) of\b", ("start of", "beginning of")),
    (r"\bsince (the )?(start|beginning|outbreak|onset|launch|end|eve|dawn|close) of\b", ("since ",)),
    (r"\bbooby[- ]traps?\b", ("booby",)),
    (r"(?x) a b c", ("",)),
])
def test_required_words(pattern: str, words: tuple[str, ...]) -> None:
    assert required_words(re.compile(pattern, re.I)) == words


def test_cue_words_are_in_every_match() -> None:
    lex = event_lexicon()
    cues = [*lex.violence, *lex.raid, *(p for c in lex.cues for p in c.patterns), *casualty_lexicon().tally_cues.cues]
    for text in _texts():
        low = folded(text)
        for cue in cues:
            if cue.pattern.search(text):
                assert cue.may_match(low), (cue.pattern.pattern, text[:80])


PHRASE_LISTS = [
    ["kill", "killed", "killing", "kill zone", "slain"],
    ["a", "abcdef", "ABCD"],  # case variants of one prefix: the plain list is kept
    ["Gen.", "General", "gen", "Lt. Col.", "Lt."],
    ["district", "district of", "districts", "dist."],
    ["near", "near the town of", "nearby"],
]


@pytest.mark.parametrize("phrases", PHRASE_LISTS)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_alternation_matches_as_the_longest_first_list(phrases: list[str], flags: int) -> None:
    plain = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(set(phrases), key=lambda p: (-len(p), p)))
    texts = [*_texts(), "Killed killing kill  zone; ABCDEF abcd a; Gen. General gen Lt. Col. X", "near the town of Y"]
    for tail in ("", r"\b", r"(?![\w-])", r"\s+[A-Z]"):
        want, got = re.compile(f"(?:{plain}){tail}", flags), re.compile(f"(?:{alternation(phrases)}){tail}", flags)
        for text in texts:
            assert [m.span() for m in got.finditer(text)] == [m.span() for m in want.finditer(text)], (tail, text)


def test_alternation_shares_prefixes() -> None:
    assert alternation(["kill", "killed", "killing"]) == "kill(?:(?:ed|ing))?"
    assert alternation(["near", "near by"], space=r"\ ") == r"near(?:\ by)?"


def test_cue_set_offers_every_cue_that_may_match() -> None:
    for cues in (casualty_lexicon().tally_cues, casualty_lexicon().aggregate_cues):
        for text in _texts():
            low = folded(text)
            assert cues.possible(low) == tuple(c for c in cues.cues if c.may_match(low)), text[:80]


def test_folded_refuses_odd_case() -> None:
    assert folded("Killed") == "killed"
    assert folded("\u212aILLED") is None  # Kelvin sign: IGNORECASE reads it as k
    assert folded("ſince") is None


def test_actor_phrase_index_equals_whole_regex() -> None:
    tables = actors._tables()
    index = tables.phrase_index
    for text in _texts():
        for m in tables.pattern_starts.finditer(text):
            got, want = index.match_at(text, m.start()), index.whole.match(text, m.start())
            assert (got and got.span()) == (want and want.span()), text[m.start():m.start() + 40]


def test_text_focus_counts_whole_words() -> None:
    text = "Nigerian troops entered Niger; Niger's army and Nigeria's police. Guinea-Bissau, Guinea."
    for iso3, words, pattern in actors._country_words():
        plain = r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])"
        assert len(pattern.findall(text)) == len(re.findall(plain, text)), iso3
    assert actors.text_focus(text)[:1] in (["NER"], ["NGA"])


def test_number_scans_equal_plain_scans() -> None:
    atoms = numbers._atom_re()
    for text in [*_texts(), "one-off payment of 5", "ſeven killed", "A DOZEN", "x5 and 5x", "٣ killed", "F16, 2,000"]:
        plain = [m.span() for m in atoms.finditer(text)]
        assert [m.span() for m in numbers._finditer_words(atoms, text, numbers._atom_first_words(), True)] == plain
        plain = [m.span() for m in numbers._non_quantity_re().finditer(text)]
        assert numbers._non_quantity_spans(text) == plain
