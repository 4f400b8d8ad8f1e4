"""How sure a stored place is, in words: one wording for ``sitrep events``, the API and the web pages.

ACLED's geo_precision says how precisely an incident is placed: 1 the place itself, 2 a nearby or
containing town or district, 3 only the region. A country-level place and an incident with no place
are worse still. Precision 3 and everything below it is *low confidence*: shown with a ``?`` and
explained by :data:`LEGEND`.
"""

from __future__ import annotations

from dataclasses import dataclass

LOW_MARK = "?"
LEGEND = (f"{LOW_MARK} low confidence: only the region or country is known, or the place was not resolved "
          "(import villages with `sitrep gazetteer import`)")
WORDS = {1: "place", 2: "near/containing town", 3: "region only"}


@dataclass(frozen=True)
class Confidence:
    """A place's precision in words, and whether it is low."""

    words: str
    low: bool

    @property
    def mark(self) -> str:
        return LOW_MARK if self.low else ""

    def label(self) -> str:
        """"place", or "? region only" for a low-confidence one."""
        return f"{LOW_MARK} {self.words}" if self.low else self.words


def place_confidence(name: str | None, lat: float | None, geo_precision: int | None, admin1: str | None,
                     kind: str | None = None) -> Confidence:
    """The confidence of a stored place (an events or reports row, or a ``Place``'s fields)."""
    if not name or lat is None:
        return Confidence("not resolved", True)
    precision = geo_precision or 1
    if kind == "country" or (precision >= 3 and not admin1):
        return Confidence("country only", True)
    return Confidence(WORDS.get(min(precision, 3), "place"), precision >= 3)
