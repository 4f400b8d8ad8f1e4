"""Decoding and cleaning: scraped page furniture goes, every body sentence stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.clean import UnreadableInput, clean_text, decode_bytes, html_to_text, looks_like_html

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
JUNK_STYLES = ["portal_glued", "archive_newsletter", "wire_hardwrapped", "local_tv"]


def _lines(path: Path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]


@pytest.mark.parametrize("style", JUNK_STYLES)
def test_junk_is_removed_and_every_body_paragraph_kept(style: str) -> None:
    raw = (FIXTURES / "junk" / f"{style}.txt").read_bytes()
    cleaned = clean_text(decode_bytes(raw))
    expected = _lines(FIXTURES / "junk" / f"{style}.expected.txt")
    # every paragraph (title, subheads, body) is kept, each on its own line, in order, nothing else
    assert cleaned.split("\n") == expected
    for junk in _lines(FIXTURES / "junk" / f"{style}.junk.txt"):
        assert junk not in cleaned, f"{junk!r} survived cleaning"


@pytest.mark.parametrize("style", JUNK_STYLES)
def test_cleaning_is_deterministic_and_idempotent(style: str) -> None:
    text = decode_bytes((FIXTURES / "junk" / f"{style}.txt").read_bytes())
    once = clean_text(text)
    assert clean_text(text) == once
    assert clean_text(once) == once


def test_plain_article_is_left_alone() -> None:
    text = ("Gunmen killed four farmers in Plateau State on Monday, police said.\n\n"
            "The attack happened near the village of Mangu. Residents fled to a nearby town.\n")
    assert clean_text(text) == (
        "Gunmen killed four farmers in Plateau State on Monday, police said.\n"
        "The attack happened near the village of Mangu. Residents fled to a nearby town.")


def test_names_with_inner_capitals_survive() -> None:
    text = "Officials in McAllen said the WhatsApp messages reached DeSantis and MacArthur staff on Monday."
    assert clean_text(text) == text


def test_glued_reading_list_inside_paragraph_is_cut_out() -> None:
    text = ("Troops entered the town on Monday.Keep reading list of 2 itemslist 1 of 2Explainer: who is who"
            "list 2 of 2Photos: the road northend of listResidents said the shooting lasted hours.")
    assert clean_text(text) == "Troops entered the town on Monday.\nResidents said the shooting lasted hours."


def test_leading_date_marker_is_removed() -> None:
    cleaned = clean_text(" date 2024-03-02 Militants attacked a checkpoint.")
    assert cleaned == "Militants attacked a checkpoint."


@pytest.mark.parametrize("data, expected", [
    ("Raid in Jenin – 3 killed".encode(), "Raid in Jenin – 3 killed"),
    ("\ufeffRaid in Jenin".encode(), "Raid in Jenin"),
    ("Caf\xe9 hit \x96 two killed".encode("latin-1"), "Café hit – two killed"),
    ("Raid in Jenin".encode("utf-16"), "Raid in Jenin"),
])
def test_decode_bytes(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"  \n\t ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(1, 32)) * 20, "binary"),
])
def test_decode_refuses_empty_and_binary(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableInput, match=reason):
        decode_bytes(data)


def test_html_to_text_keeps_article_and_drops_page_chrome() -> None:
    html = (FIXTURES / "lakes_herald.html").read_text(encoding="utf-8")
    assert looks_like_html(html)
    text = html_to_text(html)
    lines = text.split("\n")
    assert "Fighting around Sake" in lines
    assert any(ln.startswith("GOMA, Democratic Republic of Congo — Shells fired") for ln in lines)
    assert lines[-1] == ("Aid groups said tens of thousands of people had fled towards the city since the "
                         "start of February.")
    for junk in ("Privacy Policy", "©", "Home", "Opinion"):
        assert junk not in text
