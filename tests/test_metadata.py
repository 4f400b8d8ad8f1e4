"""Publication date, outlet and title from HTML and from the article text."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.clean import clean_text
from sitrep.metadata import guess_title, html_metadata, parse_date, text_metadata

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _meta(text: str, file_date: str | None = None):  # type: ignore[no-untyped-def]
    return text_metadata(text, clean_text(text), file_date=file_date)


def test_published_on_stamp() -> None:
    m = _meta("Army retakes town\nPublished On 2 Nov 20232 Nov 2023Troops entered the town at dawn.")
    assert (m.published, m.published_uncertain) == ("2023-11-02", False)


def test_leading_date_marker() -> None:
    m = _meta(" date 2023-06-19 Soldiers clashed with gunmen in the city on Monday.")
    assert m.published == "2023-06-19"


def test_reuters_dateline_year_from_text_is_uncertain() -> None:
    text = ("Gunmen kill 9 in Mali village\nBAMAKO, Jan 26 (Reuters) - Gunmen killed nine villagers on "
            "Thursday, officials said. Attacks have risen since 2022 and through 2023.")
    m = _meta(text)
    assert (m.published, m.published_uncertain, m.outlet) == ("2023-01-26", True, "Reuters")


def test_dateline_with_region_and_year_from_file_date() -> None:
    text = "JENIN, West Bank, Dec 30 (Reuters) - Israeli troops raided the camp on Friday, officials said."
    m = _meta(text, file_date="2024-01-04")  # a late-December dateline in a January file: previous year
    assert (m.published, m.published_uncertain, m.outlet) == ("2023-12-30", True, "Reuters")


def test_ap_dateline_gives_outlet_without_date() -> None:
    m = _meta("KYIV, Ukraine (AP) — Russian missiles struck the capital overnight, officials said.")
    assert (m.outlet, m.published) == ("Associated Press", None)


@pytest.mark.parametrize("footer, outlet", [
    ("Source: Gulf Wire and news agencies", "Gulf Wire"),
    ("© 2024 Reuters", "Reuters"),
    ("© 2023 Gulf Wire Media Network", "Gulf Wire"),
    ("Copyright 2024 Kyiv Daily. All rights reserved.", "Kyiv Daily"),
])
def test_outlet_from_footer(footer: str, outlet: str) -> None:
    text = f"Clashes kill five in Tigray\nFighting killed five people on Monday, officials said.\n{footer}"
    assert _meta(text).outlet == outlet


def test_title_is_first_short_line_without_final_period() -> None:
    assert guess_title("Drone strike kills 21 in Mali\nA drone strike killed 21 people.") == \
        "Drone strike kills 21 in Mali"
    assert guess_title("A drone strike killed 21 people on Sunday in the north.\nMore text.") is None


def test_html_metadata_from_meta_tags() -> None:
    html = (FIXTURES / "lakes_herald.html").read_text(encoding="utf-8")
    m = html_metadata(html)
    title = "M23 rebels shell camp near Goma, killing nine"
    assert (m.title, m.outlet, m.published) == (title, "Lakes Herald", "2024-02-09")


def test_html_metadata_falls_back_to_title_tag_domain_and_json_ld() -> None:
    html = """<html><head><title>Troops clash on border | Sahel Monitor</title>
    <link rel="canonical" href="https://www.sahelmonitor.example/a/1">
    <script type="application/ld+json">
      {"@type": "NewsArticle", "datePublished": "2024-04-05T08:00:00Z"}
    </script>
    </head><body><p>Text.</p></body></html>"""
    m = html_metadata(html)
    expected = ("Troops clash on border", "sahelmonitor.example", "2024-04-05")
    assert (m.title, m.outlet, m.published) == expected


@pytest.mark.parametrize("text, iso", [
    ("2 Nov 2023", "2023-11-02"), ("November 2, 2023", "2023-11-02"), ("2023-11-02T10:00:00Z", "2023-11-02"),
    ("31 Feb 2023", None), ("no date here", None),
])
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso
