"""Check that the speed-ups change no result: ingest a corpus twice and compare the JSON exports.

Reference run: one article per transaction, the full spaCy pipeline (tagger and attribute ruler
included) and the actor regex scanned over the whole text (no first-word pre-filter).
NER in windows around place candidates (``performance.json`` "entities") is not a pure speed-up: on
341 articles it changed two places, both for the better (bench/RESULTS.md); tests/test_nlp.py checks it.
Fast run: what `sitrep ingest` does by default (batches, trimmed pipeline, pre-filtered actor scan),
optionally on local worker processes.

    .venv/bin/python bench/check_identity.py samples/manifest.jsonl ../shared/eval/manifest.jsonl
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from sitrep.dataset.formats import export_document
from sitrep.dataset.query import IncidentQuery
from sitrep.dataset.read import Dataset
from sitrep.extract import actors
from sitrep.extract import nlp as nlp_module
from sitrep.ingest import run_ingest
from sitrep.store import Store


def _export(db: Path) -> str:
    with Store(db, readonly=True) as store:
        return json.dumps(export_document(Dataset(store.conn), IncidentQuery()), sort_keys=True, indent=1)


def _reference(manifest: str, db: Path) -> None:
    """The code paths as they were before the speed work."""
    fast_finditer, fast_performance = actors._finditer, dict(nlp_module.PERFORMANCE)

    def whole_scan(index: Any, starts: Any, text: str) -> Any:
        return index.whole.finditer(text)

    actors._finditer = whole_scan  # type: ignore[assignment]
    nlp_module.PERFORMANCE.update(spacy_unused_components=[])
    try:
        run_ingest([], manifest=manifest, db_path=db, progress=False, batch_size=1, workers=1)
    finally:
        actors._finditer = fast_finditer
        nlp_module.PERFORMANCE.clear()
        nlp_module.PERFORMANCE.update(fast_performance)


def check(manifest: str, workers: int) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        ref, fast = Path(tmp) / "ref.db", Path(tmp) / "fast.db"
        _reference(manifest, ref)
        run_ingest([], manifest=manifest, db_path=fast, progress=False, batch_size=32, workers=workers)
        a, b = _export(ref), _export(fast)
        same = a == b
        print(f"{manifest}: {'identical' if same else 'DIFFERENT'} exports ({len(a):,} characters)")
        if not same:
            import difflib

            sys.stdout.writelines(list(difflib.unified_diff(a.splitlines(True), b.splitlines(True), n=1))[:60])
        return same


if __name__ == "__main__":
    workers = 2 if "--workers" in sys.argv else 1
    manifests = [a for a in sys.argv[1:] if a != "--workers"] or ["samples/manifest.jsonl"]
    results = [check(m, workers) for m in manifests]
    sys.exit(0 if all(results) else 1)
