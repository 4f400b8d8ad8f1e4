"""Language detection (langdetect, seeded so the same text always gets the same answer).

Only English articles are extracted; others are stored with status ``non_english``. Short texts
give langdetect too little to go on, so they are never flagged on its word alone.
"""

from __future__ import annotations

import re

ENGLISH = "en"
_MIN_WORDS = 25
_MIN_PROBABILITY = 0.90
_SAMPLE_CHARS = 5000
#: very common English function words; a real English text is full of them
_ENGLISH_WORDS = frozenset(
    "the of and to in a is was were that for on with by as at from said have has had it be are this "
    "an not they their which who after its been but or".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language; "en" when unsure (short or mixed text)."""
    words = _WORD.findall(text[:_SAMPLE_CHARS].lower())
    if len(words) < _MIN_WORDS:
        return ENGLISH
    if sum(w in _ENGLISH_WORDS for w in words) / len(words) >= 0.12:
        return ENGLISH
    guess = _langdetect(text[:_SAMPLE_CHARS])
    if guess is None:
        return ENGLISH
    lang, probability = guess
    return lang if probability >= _MIN_PROBABILITY else ENGLISH


def _langdetect(text: str) -> tuple[str, float] | None:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return None
    return str(best.lang), float(best.prob)


def is_english(text: str) -> bool:
    return detect_language(text) == ENGLISH
