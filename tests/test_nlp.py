"""The spaCy stage: trimmed pipeline, and entities computed only around the candidates that need them."""

from __future__ import annotations

import pytest
import spacy

from sitrep.extract import Extractor, extract_article
from sitrep.extract import nlp as nlp_stage
from sitrep.extract.nlp import Annotations, annotate, load_nlp
from sitrep.extract.places import entity_positions, find_places
from sitrep.records import Article

TEXT = (
    "Shelling hit Kharkiv on Tuesday, killing four people, Ukrainian officials said.\n"
    "Doctors at Kharkiv Regional Hospital treated 12 wounded, the regional governor said.\n"
    "A drone later struck a school in Chuhuiv, police said.\n"
    "Lyman Petrenko, a volunteer, said Kharkiv's western districts lost power for hours."
)


@pytest.fixture(scope="module")
def nlp() -> object:
    return load_nlp()


def test_pipeline_keeps_only_what_sitrep_reads(nlp: object) -> None:
    assert nlp.pipe_names == ["senter", "ner"]  # type: ignore[attr-defined]


def test_tok2vec_is_kept_when_a_component_listens_to_it() -> None:
    full = spacy.load(nlp_stage.SETTINGS["spacy_model"])  # the parser and tagger listen to tok2vec
    assert nlp_stage._listens_to_tok2vec(full)
    assert not nlp_stage._listens_to_tok2vec(load_nlp())


def test_positions_skip_candidates_that_labels_cannot_change() -> None:
    spans = {TEXT[s:e] for s, e in entity_positions(TEXT)}
    assert "Kharkiv" in spans  # beside "Regional Hospital" or a possessive: may be inside an ORG
    assert "Lyman" in spans  # a town name followed by a capitalised word: may be a person
    plain = TEXT.index("Kharkiv on Tuesday")
    assert (plain, plain + len("Kharkiv")) not in entity_positions(TEXT)  # in focus, nothing beside it


def test_windowed_entities_decide_places_as_whole_text_ones(nlp: object) -> None:
    windowed = annotate(nlp, [TEXT])[0]
    whole = Annotations.from_doc(nlp(TEXT))  # type: ignore[operator]
    assert windowed.sentence_starts == whole.sentence_starts
    assert len(windowed.entities) < len(whole.entities)  # "Tuesday", "four", "12" were never computed
    assert find_places(TEXT, windowed) == find_places(TEXT, whole)
    names = [p.name for p in find_places(TEXT, windowed)]
    assert "Chuhuyiv" in names and "Lyman" not in names


def test_everywhere_setting_runs_ner_on_the_whole_text(nlp: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(nlp_stage.PERFORMANCE, "entities", "everywhere")
    assert annotate(nlp, [TEXT])[0] == Annotations.from_doc(nlp(TEXT))  # type: ignore[operator]


def test_extraction_is_the_same_from_a_doc_or_annotations(nlp: object) -> None:
    article = Article(id="k1", text=TEXT, raw=TEXT, content_hash="h", source="test", published="2024-05-14")
    doc = nlp(TEXT)  # type: ignore[operator]
    assert extract_article(article, doc) == extract_article(article, Annotations.from_doc(doc))
    assert Extractor().extract(article) == extract_article(article, annotate(nlp, [TEXT])[0])


def test_annotations_of_empty_and_placeless_texts(nlp: object) -> None:
    empty, plain = annotate(nlp, ["", "Nothing happened here today.\nThe weather was mild."])
    assert empty.entities == () and plain.entities == ()
    assert len(plain.sentence_starts) == 2


@pytest.mark.parametrize("text, name, needs_labels", [
    ("Shelling hit villages south of Kharkiv on Monday, officials said.", "Kharkiv", False),
    ("Staff of the National Bank of Kharkiv were evacuated on Monday, officials said.", "Kharkiv", True),
    ("A drone struck Kharkiv. Doctors said two people died, Ukrainian officials said.", "Kharkiv", False),
    ("Kharkiv's mayor said two people died, Ukrainian officials said.", "Kharkiv", False),
    ("Kharkiv's Regional Hospital took the wounded, Ukrainian officials said.", "Kharkiv", True),
])
def test_name_words_beside_a_candidate(text: str, name: str, needs_labels: bool) -> None:
    start = text.index(name)
    assert ((start, start + len(name)) in entity_positions(text)) is needs_labels


def test_an_entity_adding_only_a_possessive_does_not_hide_the_place() -> None:
    text = "Shells fell on Kharkiv's main market on Monday, Ukrainian officials said."
    start = text.index("Kharkiv")
    mislabelled = Annotations((0,), ((start, start + len("Kharkiv's"), "ORG"),))
    assert [p.name for p in find_places(text, mislabelled)] == ["Kharkiv"]
    inside = Annotations((0,), ((start - 4, start + len("Kharkiv's main market"), "ORG"),))
    assert find_places(text, inside) == []
