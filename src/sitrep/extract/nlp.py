"""The spaCy stage: sentence boundaries for every article, named entities only where they decide something.

sitrep reads two things from spaCy: where sentences start, and the entity labels at place candidates
(``places.find_places``). The statistical sentence splitter is cheap; NER is the most expensive part
of the whole extraction. So NER runs only on the sentences that hold a candidate whose fate the labels
can change (``places.entity_positions``), as one batch of short Docs. The result is a small picklable
``Annotations`` record instead of a spaCy Doc.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from .lexicon import load_data
from .places import entity_positions

SETTINGS = load_data("extraction_settings.json")
PERFORMANCE = load_data("performance.json")


@dataclass(frozen=True)
class Annotations:
    """What sitrep reads from spaCy for one text: sentence starts and entities (character offsets)."""

    sentence_starts: tuple[int, ...]
    entities: tuple[tuple[int, int, str], ...]  # (start, end, label), in text order

    @classmethod
    def from_doc(cls, doc: Any) -> Annotations:
        """From a spaCy Doc made by the full pipeline."""
        return cls(tuple(s.start_char for s in doc.sents),
                   tuple((e.start_char, e.end_char, e.label_) for e in doc.ents))


def as_annotations(value: Any) -> Annotations | None:
    """Accept an ``Annotations``, a spaCy Doc or None."""
    if value is None or isinstance(value, Annotations):
        return value
    return Annotations.from_doc(value)


def load_nlp(model: str | None = None) -> Any:
    """Load the spaCy pipeline by package name, without the components sitrep does not use.

    Only sentence boundaries and entities are read: the tagger, attribute ruler and lemmatizer are
    left out, the parser too when the model's ``senter`` is used, and the shared ``tok2vec`` when no
    remaining component listens to it (in the small English model NER and senter embed their own).
    """
    import spacy

    name = model or os.environ.get("SITREP_MODEL") or SETTINGS["spacy_model"]
    exclude = {*SETTINGS["spacy_exclude"], *PERFORMANCE["spacy_unused_components"]}
    use_senter = PERFORMANCE.get("sentence_boundaries") == "senter"
    if use_senter:
        exclude.add("parser")
    try:
        nlp = spacy.load(name, exclude=sorted(exclude))
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {name!r} is not installed. Install the pinned package "
            "(pip install -r requirements.lock) or set SITREP_MODEL to an installed pipeline."
        ) from exc
    if use_senter and "senter" in nlp.disabled:
        nlp.enable_pipe("senter")  # the statistical sentence splitter: a tenth of the parser's cost
    if "tok2vec" in nlp.pipe_names and not _listens_to_tok2vec(nlp):
        nlp.remove_pipe("tok2vec")  # its output would be computed and never read
    return nlp


def _listens_to_tok2vec(nlp: Any) -> bool:
    for name in nlp.pipe_names:
        if name == "tok2vec":
            continue
        config = nlp.get_pipe_config(name).get("model", {})
        if "Listener" in str(config.get("tok2vec", {}).get("@architectures", "")):
            return True
    return False


def annotate(nlp: Any, texts: list[str], batch_size: int = 32) -> list[Annotations]:
    """Sentences for every text; entities only around the candidates that need them (or everywhere)."""
    if PERFORMANCE.get("entities") == "everywhere" or "ner" not in nlp.pipe_names:
        return [Annotations.from_doc(doc) for doc in nlp.pipe(texts, batch_size=batch_size)]
    context = int(PERFORMANCE["entity_context_tokens"])
    docs = list(nlp.pipe(texts, batch_size=batch_size, disable=["ner"]))
    windows: list[tuple[int, int, Any]] = []  # (text index, character offset, window Doc)
    for index, (text, doc) in enumerate(zip(texts, docs, strict=True)):
        for lo, hi in _windows(doc, entity_positions(text), context):
            windows.append((index, doc[lo].idx, doc[lo:hi].as_doc()))
    entities: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    ner = nlp.get_pipe("ner")
    for (index, offset, _), window in zip(windows, ner.pipe([w[2] for w in windows], batch_size=256), strict=True):
        entities[index] += [(offset + e.start_char, offset + e.end_char, e.label_) for e in window.ents]
    return [Annotations(tuple(s.start_char for s in doc.sents), tuple(ents))
            for doc, ents in zip(docs, entities, strict=True)]


def _windows(doc: Any, spans: list[tuple[int, int]], context: int) -> list[tuple[int, int]]:
    """Token ranges of ``context`` tokens either side of each character span, inside its sentence, merged.

    The small model's NER sees about four tokens either side of a word, so a window of eight gives it
    the labels it gives in the whole text (checked on the sample and benchmark corpora)."""
    if not spans:
        return []
    sentences = [(s.start, s.end) for s in doc.sents]
    sentence_starts = [s[0] for s in sentences]
    merged: list[list[int]] = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        first, last = sentences[bisect_right(sentence_starts, span.start) - 1]
        lo, hi = max(first, span.start - context), min(last, span.end + context)
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]
