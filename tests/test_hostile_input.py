"""Hostile and broken input: the cleaner, number parser, date resolver and extractor never raise,
every evidence span stays inside the text, and a batch never stops on one bad article.

Property tests use a small hypothesis budget so the suite stays fast; the 10,000-input mutation
corpus (scripts/mutation_corpus.py) is the long version, run by hand (figures in docs/RELIABILITY.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from script_loader import load_script

from sitrep.clean import UnreadableInput, clean_text, decode_bytes, html_to_text
from sitrep.extract import extract_article
from sitrep.extract.dates import resolve_dates
from sitrep.extract.numbers import find_quantities, parse_number
from sitrep.ingest import run_ingest
from sitrep.merge import date_interval
from sitrep.prepare import build_article
from sitrep.records import Article, DateRef, RawDocument
from sitrep.store import Store

ROOT = Path(__file__).resolve().parent.parent
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


mutation = load_script("mutation_corpus")

NEWS_WORDS = [
    "killed", "wounded", "at least", "dozens", "people", "civilians", "soldiers", "on Monday", "last week",
    "in Kharkiv", "near El Fasher", "Gao", "said", "police", "army", "RSF", "between", "and", "of them",
    "since January", "February 30", "2024-02-30", "1e309", "1" * 40, "9" * 25, "twenty-one", "a dozen",
    "\n", ".", ",", "<script>alert(1)</script>", "data:text/html,x", "Харків", "الفاشر", "缅甸", "\u200b",
    "\x00", "\x1b[31m", "\ufeff", "&amp;", "<p>", "</div>", "KHARKIV, March 12 -", "(Reuters) -",
]
news_like = st.lists(st.sampled_from(NEWS_WORDS) | st.integers(-10**45, 10**45).map(str), max_size=60).map(
    " ".join
)
any_text = st.text(max_size=400) | news_like
published = st.none() | st.sampled_from(["2024-03-01", "2024-02-29", "9999-12-31", "0001-01-01",
                                          "2024-02-30", "not a date", "2024"]) | st.dates().map(str)


def _article(text: str, pub: str | None = None) -> Article:
    return Article(id="hostile", text=text, raw=text, content_hash="h", source="test", published=pub)


def _assert_spans_inside(text: str, article_extraction) -> None:
    for label, ev in mutation.evidence_of(article_extraction):
        assert 0 <= ev.start <= ev.end <= len(text), label
        assert text[ev.start:ev.end] == ev.text, label


# -- cleaner ---------------------------------------------------------------------------------------
@FAST
@given(st.binary(max_size=2000))
def test_decoding_random_bytes_gives_text_or_a_reason(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except UnreadableInput as exc:
        assert str(exc)
    else:
        assert isinstance(text, str) and text.strip()


@FAST
@given(any_text)
def test_cleaner_never_raises_and_is_deterministic(text: str) -> None:
    cleaned = clean_text(text)
    assert cleaned == clean_text(text)
    assert "\r" not in cleaned


@FAST
@given(st.lists(st.sampled_from(mutation.HTML_PAYLOADS) | any_text, max_size=12).map("".join),
       st.integers(0, 400))
def test_html_cleaner_never_raises_and_drops_script_bodies(body: str, depth: int) -> None:
    html = "<!doctype html><html><body>" + "<div>" * depth + body + "</body></html>"
    text = html_to_text(html)
    assert isinstance(text, str)
    assert "alert(1)</script>" not in text


def test_deeply_nested_html_and_script_only_pages() -> None:
    nested = "<!doctype html><html><body>" + "<div>" * 20000 + "<p>Gunmen killed 4 people.</p></body></html>"
    assert isinstance(html_to_text(nested), str)
    assert "alert" not in html_to_text("<html><body><script>alert(1)</script></body></html>")


# -- numbers and dates -----------------------------------------------------------------------------
@FAST
@given(st.text(max_size=300) | st.sampled_from(mutation.HUGE_NUMBERS))
def test_number_parser_never_raises_and_caps_values(text: str) -> None:
    value = parse_number(text)
    assert value is None or 0 <= value <= 10**12


@pytest.mark.parametrize("text", mutation.HUGE_NUMBERS)
def test_huge_and_malformed_figures_never_become_huge_counts(text: str) -> None:
    sentence = f"At least {text} people were killed in the attack, officials said."
    for q in find_quantities(sentence):
        assert 0 <= q.value <= 10**12 and 0 <= q.start <= q.end <= len(sentence)


@FAST
@given(any_text, published)
def test_quantities_and_dates_stay_inside_the_text(text: str, pub: str | None) -> None:
    for q in find_quantities(text):
        assert 0 <= q.start <= q.end <= len(text)
    for d in resolve_dates(text, pub):
        assert d.evidence is None or (0 <= d.evidence.start <= d.evidence.end <= len(text))
        assert d.evidence is None or text[d.evidence.start:d.evidence.end] == d.evidence.text


@pytest.mark.parametrize("phrase", mutation.BAD_DATES)
@pytest.mark.parametrize("pub", ["2024-03-01", "9999-12-31", "0001-01-01", None])
def test_impossible_dates_resolve_to_real_dates_or_nothing(phrase: str, pub: str | None) -> None:
    text = f"On {phrase}, 12 people were killed in Kharkiv."
    for d in resolve_dates(text, pub):
        for value in (d.date, d.date_end):
            if value is not None:
                assert len(value) == 10 and value[4] == "-"  # an ISO day that exists (fromisoformat below)
                __import__("datetime").date.fromisoformat(value)
        assert date_interval(d) is None or date_interval(d)[0] <= date_interval(d)[1]


def test_week_and_window_arithmetic_at_the_end_of_the_calendar() -> None:
    from sitrep.extract.incidents import dates_compatible

    assert date_interval(DateRef("9999-12-30", "week")) is not None
    assert dates_compatible(DateRef("9999-12-05", "month"), DateRef("9999-12-30", "day"))
    assert dates_compatible(DateRef("0001-01-01", "day"), DateRef("0001-01-01", "week"))


# -- extraction ------------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(news_like, published)
def test_extractor_never_raises_and_spans_stay_inside(text: str, pub: str | None) -> None:
    extraction = extract_article(_article(text, pub))
    _assert_spans_inside(text, extraction)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.sampled_from(sorted(mutation.MUTATORS)))
def test_mutated_samples_through_the_ingest_path(seed: int, name: str) -> None:
    """One named mutation of a sample article: refused with a reason, or extracted with valid spans."""
    import random

    samples = mutation.load_samples()
    rng = random.Random(seed)
    sample = samples[seed % len(samples)]
    content = mutation.MUTATORS[name](rng, sample.content, [s.content for s in samples])
    raw = RawDocument(source="m", content=content, published=sample.published, media_type=sample.media_type)
    try:
        article = build_article(raw)
    except UnreadableInput as exc:
        assert str(exc)
        return
    _assert_spans_inside(article.text, extract_article(article))


def test_spacy_extractor_on_hostile_articles() -> None:
    """The real pipeline (spaCy sentences and entities) on a few of the nastiest inputs."""
    from sitrep.extract import Extractor

    extractor = Extractor()
    texts = [
        "KHARKIV, " * 2000,
        "At least " + "1" * 40 + " people were killed on February 30 in Kharkiv, officials said.",
        "Гунмены убили 12 человек. " * 50 + "Gunmen killed 4 people in Gao on Monday.",
        ("Gunmen killed 5 people in Kharkiv on Monday " * 400).strip(),
        "\u202e" + "killed 9 in Mopti\u202c " * 30,
    ]
    for text in texts:
        _assert_spans_inside(text, extractor.extract(_article(text, "2024-03-01")))


def test_overlong_article_text_is_refused_with_a_reason() -> None:
    raw = RawDocument(source="big.txt", content=("Gunmen killed 5 people. " * 50_000).encode())
    with pytest.raises(UnreadableInput, match="too long"):
        build_article(raw)


# -- batches ---------------------------------------------------------------------------------------
def test_a_batch_of_broken_files_never_stops(tmp_path: Path) -> None:
    """Thirty mutated inputs plus binary, empty and oversize files: all accounted for, the good ones stored."""
    folder = tmp_path / "in"
    folder.mkdir()
    for item in mutation.mutated_inputs(mutation.load_samples(), 30, seed=11):
        suffix = ".html" if item.sample.media_type == "text/html" else ".txt"
        (folder / f"m{item.number:03d}{suffix}").write_bytes(item.content)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    (folder / "good.txt").write_text("Gunmen killed 6 villagers near Gao on Monday, a local official said.\n")
    db = tmp_path / "batch.db"
    summary = run_ingest([str(folder)], db_path=db, progress=False)
    assert summary.inputs == 34
    assert len(summary.stored) + len(summary.unchanged) + len(summary.skipped) == 34
    reasons = {Path(s.source).name: s.reason for s in summary.skipped}
    assert "binary" in reasons["binary.txt"] and "empty" in reasons["empty.txt"] and "large" in reasons["huge.txt"]
    assert not [r for r in reasons.values() if r.startswith("processing failed")], reasons
    with Store(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.has_article("good")
