"""The ingest stage: read inputs, clean them, store each article with its extraction.

Every article is written in its own transaction (``Pipeline.process``), so an interrupted run
leaves a consistent database and re-running the same command resumes: articles already stored
with the same cleaned text are reported as "unchanged" and not touched. Bad inputs never stop a
batch; they are listed with their reason in the summary and in the ``ingest_log`` table.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from .clean import (
    UnreadableInput,
    terminal_safe,
)
from .pipeline import Pipeline
from .prepare import build_article, unique_id
from .records import IngestSummary, SkippedInput
from .scale import BatchRun, default_workers, ingest_batched, open_executor, worker_extractor
from .sources import InputSpec, list_inputs, read_input
from .store import Store, StoreError


class ProgressReporter(Protocol):
    def advance(self, label: str) -> None: ...


def run_ingest(
    inputs: list[str],
    *,
    db_path: str | Path,
    manifest: str | None = None,
    allow_private: bool = False,
    allow_outside: bool = False,
    extract: bool = True,
    progress: bool = True,
    pipeline: Pipeline | None = None,
    batch_size: int = 1,
    workers: int = 1,
    dask: str | None = None,
) -> IngestSummary:
    """Ingest files, folders, URLs and a manifest into the database at ``db_path``.

    ``batch_size`` 1 (the default) writes each article in its own transaction. Larger batches are
    cleaned and extracted in chunks (on ``workers`` local processes, or on the Dask cluster at
    ``dask``: an address or ``local:N``) and each chunk is written in one transaction.
    ``workers`` 0 means one per core for large runs.
    """
    started = time.monotonic()
    summary = IngestSummary()
    specs = list_inputs(inputs, manifest, allow_outside=allow_outside)
    summary.local_copies = sum(1 for s in specs if isinstance(s, InputSpec) and s.url and not s.is_url)
    summary.manifests = sorted({s.manifest for s in specs if isinstance(s, InputSpec) and s.manifest})
    pipeline = pipeline or Pipeline(extract=extract)
    if workers < 1:
        workers = default_workers(len(specs))
    batched = batch_size > 1 or workers > 1 or dask is not None
    if progress and pipeline.do_extract and workers == 1 and dask is None and len(specs) > 1:
        _warm_up(pipeline, batched)
    try:
        with Store(db_path) as store:
            used_ids: dict[str, str] = {}
            if batched:
                _ingest_batched(specs, store, pipeline, summary, used_ids, progress=progress,
                                allow_private=allow_private, batch_size=batch_size, workers=workers, dask=dask)
            else:
                with progress_bar(len(specs), enabled=progress) as bar:
                    for spec in specs:
                        _ingest_one(spec, store, pipeline, summary, used_ids, allow_private=allow_private)
                        bar.advance(spec.source)
    except KeyboardInterrupt:  # the finished transactions are kept; the same command resumes
        summary.interrupted = True
    summary.seconds = time.monotonic() - started
    return summary


def _warm_up(pipeline: Pipeline, batched: bool) -> None:
    """Load the language model and the gazetteer before the progress bar starts, saying so."""
    if not sys.stderr.isatty():
        return
    from rich.console import Console

    with Console(stderr=True).status("loading the language model and the gazetteer ..."):
        if batched:
            worker_extractor(pipeline.model).warm_up()
        else:
            pipeline.extractor.warm_up()


def _ingest_batched(specs: list[InputSpec | SkippedInput], store: Store, pipeline: Pipeline,
                    summary: IngestSummary, used_ids: dict[str, str], *, progress: bool, allow_private: bool,
                    batch_size: int, workers: int, dask: str | None) -> None:
    executor = open_executor(workers=workers, dask=dask)  # before the bar: no thread is running yet
    try:
        with progress_bar(len(specs), enabled=progress) as bar:
            run = BatchRun(store, pipeline, summary, used_ids, bar, allow_private=allow_private,
                           chunk_size=max(1, batch_size))
            ingest_batched(run, specs, executor)
    finally:
        executor.close()
    summary.stage_seconds = run.seconds


def _ingest_one(spec: InputSpec | SkippedInput, store: Store, pipeline: Pipeline, summary: IngestSummary,
                used_ids: dict[str, str], *, allow_private: bool) -> None:
    if isinstance(spec, SkippedInput):
        _skip(store, summary, spec)
        return
    raw = read_input(spec, allow_private=allow_private)
    if isinstance(raw, SkippedInput):
        _skip(store, summary, raw)
        return
    try:
        article = build_article(raw)
    except UnreadableInput as exc:
        _skip(store, summary, SkippedInput(raw.source, str(exc)))
        return
    article.id = unique_id(article.id, article.source, used_ids)
    existing = store.article_id_for_hash(article.content_hash)
    if existing is not None:
        summary.unchanged.append(existing)
        _log(store, article.source, "unchanged", f"same text as article {existing}", existing)
        return
    replacing = store.has_article(article.id)
    try:
        extraction = pipeline.process(store, article)
    except StoreError:
        raise
    except Exception as exc:  # an extractor bug on one article must not stop the batch
        _skip(store, summary, SkippedInput(raw.source, f"processing failed: {type(exc).__name__}: {exc}"))
        return
    summary.stored.append(article.id)
    if replacing:
        summary.replaced.append(article.id)
    if article.status != "ok":
        summary.flagged.append(article.id)
    if extraction is not None:
        summary.reports += len(extraction.reports)
        summary.events_touched += len(store.event_ids_of_reports([r.id for r in extraction.reports]))
    status = "stored" if article.status == "ok" else "flagged"
    reason = None if article.status == "ok" else f"not English (detected {article.language!r}); not extracted"
    if extraction is not None and extraction.notes:
        reason = "; ".join(extraction.notes)
    _log(store, article.source, status, reason, article.id)


def _skip(store: Store, summary: IngestSummary, skipped: SkippedInput) -> None:
    summary.skipped.append(skipped)
    _log(store, skipped.source, "skipped", skipped.reason, None)


def _log(store: Store, source: str, status: str, reason: str | None, article_id: str | None) -> None:
    with store.transaction():
        store.log_input(source, status, reason, article_id)


# -- progress --------------------------------------------------------------------------------------
class _NoProgress:
    def advance(self, label: str) -> None:
        return None


class _RichProgress:
    """Advances a Rich progress bar, showing the current input's name."""

    def __init__(self, progress: object, task: object) -> None:
        self._progress = progress
        self._task = task

    def advance(self, label: str) -> None:
        from rich.markup import escape

        name = Path(label).name if "://" not in label else label
        current = escape(terminal_safe(name[-40:]))  # a file name is not Rich markup
        self._progress.update(self._task, advance=1, current=current)  # type: ignore[attr-defined]


@contextmanager
def progress_bar(total: int, *, enabled: bool, label: str = "ingest",
                 unit: str = "articles") -> Iterator[ProgressReporter]:
    """A rich progress bar (``unit``/s, ETA) on an interactive terminal; nothing otherwise."""
    if not enabled or total < 2 or not sys.stderr.isatty():
        yield _NoProgress()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        TextColumn("[dim]{task.fields[current]}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total, current="", rate="")
        yield _RateProgress(bar, task, unit)


class _RateProgress(_RichProgress):
    """Also shows articles per second."""

    def __init__(self, progress: object, task: object, unit: str = "articles") -> None:
        super().__init__(progress, task)
        self._start = time.monotonic()
        self._done = 0
        self._unit = unit

    def advance(self, label: str) -> None:
        self._done += 1
        rate = self._done / max(time.monotonic() - self._start, 1e-6)
        self._progress.update(self._task, rate=f"{rate:.1f} {self._unit}/s")  # type: ignore[attr-defined]
        super().advance(label)
