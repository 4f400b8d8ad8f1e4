"""Batched and parallel ingest: cleaning and extraction on worker processes or a Dask cluster.

The process that owns the database (the *writer*) reads the inputs, ships their bytes to workers in
chunks, and writes what comes back in order, one transaction per chunk (``Pipeline.store_batch``):

    writer: read inputs ──chunk──▶ workers: clean + language + spaCy + rules ──results──▶ writer:
            dedupe by content hash, insert, save extractions, merge (one transaction per chunk)

Workers never touch the database, so a remote Dask worker needs only sitrep and the spaCy model.
Results are consumed in input order, and merging is done by the writer, so the database ends up the
same as with the one-article-at-a-time path. Executors:

- ``inline``: everything in this process (the default for small runs and in tests);
- ``processes``: a local process pool (``--workers N``);
- ``dask``: ``--dask ADDRESS`` (a running scheduler) or ``--dask local:N`` (a LocalCluster of N
  worker processes started for the run).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Protocol

from .clean import UnreadableInput
from .extract import Extractor, extract_article
from .pipeline import Pipeline
from .prepare import base_id, build_article, peek_unique_id, unique_id
from .records import Article, ArticleExtraction, IngestSummary, RawDocument, SkippedInput
from .sources import InputSpec, read_input
from .store import Store

#: how many chunks may be queued on the workers per worker before the writer waits
QUEUE_DEPTH_PER_WORKER = 3

log = logging.getLogger(__name__)


# -- what a worker does ----------------------------------------------------------------------------
@dataclass
class Prepared:
    """One input after a worker has cleaned (and usually extracted) it."""

    source: str
    article: Article | None = None
    skipped: str | None = None  # reason the input can't be used (no text, undecodable)
    extraction: ArticleExtraction | None = None
    extracted: bool = False  # extraction ran (it doesn't for unchanged, flagged or --no-extract inputs)
    error: str | None = None  # extraction failed on this article


@dataclass
class ChunkResult:
    """A worker's answer for one chunk, with the seconds each stage took there."""

    items: list[Prepared]
    seconds: dict[str, float] = field(default_factory=dict)


_local = threading.local()


def worker_extractor(model: str | None) -> Extractor:
    """One extractor (and spaCy model) per worker thread, loaded on first use and then kept."""
    cache: dict[str | None, Extractor] | None = getattr(_local, "extractors", None)
    if cache is None:
        cache = _local.extractors = {}
    if model not in cache:
        cache[model] = Extractor(model=model)
    return cache[model]


def prepare_chunk(raws: list[RawDocument], ids: list[str], stored_hashes: dict[str, str], *,
                  extract: bool, model: str | None = None) -> ChunkResult:
    """Clean a chunk of inputs and extract the articles that are not already stored.

    ``ids`` are the article ids the writer expects; ``stored_hashes`` maps ids already in the
    database to their content hash, so an unchanged article is not extracted again.
    """
    seconds = {"clean": 0.0, "nlp": 0.0, "rules": 0.0}
    started = time.perf_counter()
    items: list[Prepared] = []
    todo: list[Prepared] = []
    for raw, article_id in zip(raws, ids, strict=True):
        try:
            article = build_article(raw)
        except UnreadableInput as exc:
            items.append(Prepared(raw.source, skipped=str(exc)))
            continue
        article.id = article_id
        item = Prepared(raw.source, article=article)
        items.append(item)
        if extract and article.status == "ok" and stored_hashes.get(article_id) != article.content_hash:
            todo.append(item)
    seconds["clean"] = time.perf_counter() - started
    if todo:
        _extract_items(worker_extractor(model), todo, seconds)
    return ChunkResult(items, seconds)


def _extract_items(extractor: Extractor, todo: list[Prepared], seconds: dict[str, float]) -> None:
    """spaCy over the chunk in one ``nlp.pipe`` call, then the rules per article (errors kept per article)."""
    articles = [item.article for item in todo if item.article is not None]
    started = time.perf_counter()
    try:
        annotated: list[Any] = extractor.annotate(articles)
    except Exception as exc:  # one text broke the batch: fall back to one document at a time
        log.warning("the language model failed on a batch of %d articles (%s: %s): annotating them one at a time",
                    len(articles), type(exc).__name__, exc)
        annotated = [None] * len(articles)
    seconds["nlp"] += time.perf_counter() - started
    started = time.perf_counter()
    for item, article, nlp_output in zip(todo, articles, annotated, strict=True):
        try:
            if nlp_output is None:
                nlp_output = extractor.annotate([article])[0]
            item.extraction = extract_article(article, nlp_output)
            item.extracted = True
        except Exception as exc:  # an extractor bug on one article must not stop the batch
            item.error = f"{type(exc).__name__}: {exc}"
    seconds["rules"] += time.perf_counter() - started


# -- executors -------------------------------------------------------------------------------------
class Executor(Protocol):
    workers: int

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any: ...

    def close(self) -> None: ...


class InlineExecutor:
    """Runs each task at once in this process."""

    workers = 1

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future

    def close(self) -> None:
        return None


class ProcessExecutor:
    """A local pool of worker processes (spawned, so no lock or thread state is inherited)."""

    def __init__(self, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=exit_with_parent, initargs=(os.getpid(),))

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self._pool.submit(fn, *args, **kwargs)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def exit_with_parent(parent_pid: int) -> None:
    """Worker initializer: exit when the ingest that started this worker is gone.

    Without it, ``kill -9`` of an ingest left its workers running for ever (about 350 MB each)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class DaskExecutor:
    """Tasks on a Dask distributed cluster: a scheduler address, or ``local:N`` for a LocalCluster."""

    def __init__(self, address: str) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError("--dask needs dask[distributed]: pip install -r requirements.lock") from exc
        self._cluster: Any = None
        if address.startswith("local:"):
            n = int(address.split(":", 1)[1] or os.cpu_count() or 1)
            self._cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self._client = Client(self._cluster)
        else:
            self._client = Client(address)
            check_worker_gazetteers(self._client)
        self.workers = max(1, sum(w.get("nthreads", 1) for w in self._client.scheduler_info()["workers"].values()))

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        return self._client.submit(fn, *args, pure=False, **kwargs)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def check_worker_gazetteers(client: Any) -> None:
    """Refuse a cluster whose workers would place incidents without the user's imported places.

    Remote workers read their own user gazetteer folder (docs/GAZETTEER.md); a different set of
    imports there would silently give other places than a local run."""
    from .extract import user_gazetteer

    here = user_gazetteer.digest()
    differ = sorted(w for w, digest in client.run(user_gazetteer.digest).items() if digest != here)
    if differ:
        raise RuntimeError(
            f"{len(differ)} Dask worker(s) ({', '.join(differ[:3])}) have other imported places than this "
            "machine (`sitrep gazetteer list`): set SITREP_GAZETTEER to a folder the workers share, or run "
            "the same `sitrep gazetteer import` on each worker machine")


def open_executor(*, workers: int = 1, dask: str | None = None) -> Executor:
    """The executor for ``--workers`` / ``--dask``."""
    if dask:
        return DaskExecutor(dask)
    if workers > 1:
        return ProcessExecutor(workers)
    return InlineExecutor()


def default_workers(inputs: int) -> int:
    """Worker processes for a run: one per core, but none for small runs (start-up costs ~2 s each)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if inputs >= 200 and cores > 1 else 1


# -- streaming chunks through an executor ------------------------------------------------------------
@dataclass
class Chunk:
    """A stretch of inputs, in order: those read are sent to a worker together."""

    entries: list[RawDocument | SkippedInput]  # SkippedInput: could not even be read
    ids: list[str]  # the id the writer expects for each RawDocument
    stored_hashes: dict[str, str]  # of those ids, the ones in the database, with their content hash

    @property
    def raws(self) -> list[RawDocument]:
        return [e for e in self.entries if isinstance(e, RawDocument)]


def stream_results(executor: Executor, chunks: Iterable[Chunk], *, extract: bool, model: str | None,
                   ) -> Iterator[tuple[Chunk, ChunkResult]]:
    """Submit chunks ahead (a bounded queue, so memory stays flat) and yield results in input order."""
    pending: deque[tuple[Chunk, Any]] = deque()
    depth = max(2, executor.workers * QUEUE_DEPTH_PER_WORKER)
    for chunk in chunks:
        future = (executor.submit(prepare_chunk, chunk.raws, chunk.ids, chunk.stored_hashes,
                                  extract=extract, model=model) if chunk.raws else None)
        pending.append((chunk, future))
        while len(pending) > depth:
            yield _finish(*pending.popleft())
    while pending:
        yield _finish(*pending.popleft())


def _finish(chunk: Chunk, future: Any) -> tuple[Chunk, ChunkResult]:
    return chunk, (future.result() if future is not None else ChunkResult([]))


# -- the writer ----------------------------------------------------------------------------------------
class Progress(Protocol):
    def advance(self, label: str) -> None: ...


@dataclass
class BatchRun:
    """One batched ingest: where inputs come from, where results go, and the stage clock."""

    store: Store
    pipeline: Pipeline
    summary: IngestSummary
    used_ids: dict[str, str]
    progress: Progress
    allow_private: bool = False
    chunk_size: int = 32
    seconds: dict[str, float] = field(default_factory=dict)

    def clock(self, stage: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - since
        return now


def ingest_batched(run: BatchRun, specs: list[InputSpec | SkippedInput], executor: Executor) -> None:
    """Read ``specs`` here, clean and extract on ``executor``, write each chunk in one transaction."""
    chunks = _read_chunks(run, specs)
    for chunk, result in stream_results(executor, chunks, extract=run.pipeline.do_extract,
                                        model=run.pipeline.model):
        for stage, value in result.seconds.items():
            run.seconds[stage] = run.seconds.get(stage, 0.0) + value
        _write_chunk(run, chunk, result)


def _read_chunks(run: BatchRun, specs: list[InputSpec | SkippedInput]) -> Iterator[Chunk]:
    entries: list[RawDocument | SkippedInput] = []
    for spec in specs:
        started = time.perf_counter()
        entries.append(spec if isinstance(spec, SkippedInput) else read_input(spec, allow_private=run.allow_private))
        run.clock("read", started)
        if len(entries) >= run.chunk_size:
            yield _chunk(run, entries)
            entries = []
    if entries:
        yield _chunk(run, entries)


def _chunk(run: BatchRun, entries: list[RawDocument | SkippedInput]) -> Chunk:
    ids = [peek_unique_id(base_id(e), e.source, run.used_ids) for e in entries if isinstance(e, RawDocument)]
    marks = ",".join("?" * len(ids))
    rows = run.store.conn.execute(f"SELECT id, content_hash FROM articles WHERE id IN ({marks})", ids) if ids else []
    return Chunk(entries, ids, {row["id"]: row["content_hash"] for row in rows})


@dataclass
class _Outcome:
    """What the writer decided for one input of a chunk."""

    source: str
    status: str  # stored, flagged, unchanged, skipped
    reason: str | None = None
    article: Article | None = None
    extraction: ArticleExtraction | None = None
    replacing: bool = False
    existing: str | None = None  # unchanged: the stored article with the same text


def _write_chunk(run: BatchRun, chunk: Chunk, result: ChunkResult) -> None:
    outcomes = _decide(run, chunk, result)
    failed: dict[str, str] = {}

    def on_error(article: Article, exc: Exception) -> None:
        failed[article.id] = f"processing failed: {type(exc).__name__}: {exc}"

    def log_in_order(_written: list[Article]) -> None:
        for o in outcomes:
            if o.article is not None and o.article.id in failed:
                o.status, o.reason = "skipped", failed[o.article.id]
            article_id = o.existing or (o.article.id if o.article is not None and o.status != "skipped" else None)
            run.store.log_input(o.source, o.status, o.reason, article_id)

    to_write = [(o.article, o.extraction) for o in outcomes if o.status in ("stored", "flagged") and o.article]
    started = time.perf_counter()
    merge_before = run.pipeline.merge_seconds
    run.pipeline.store_batch(run.store, to_write, on_error=on_error, before_commit=log_in_order)  # type: ignore[arg-type]
    merged = run.pipeline.merge_seconds - merge_before
    run.seconds["merge"] = run.seconds.get("merge", 0.0) + merged
    run.seconds["write"] = run.seconds.get("write", 0.0) + time.perf_counter() - started - merged
    summary = run.summary
    for o in outcomes:
        if o.status == "skipped":
            summary.skipped.append(SkippedInput(o.source, o.reason or ""))
        elif o.status == "unchanged" and o.existing is not None:
            summary.unchanged.append(o.existing)
        elif o.article is not None:
            summary.stored.append(o.article.id)
            if o.replacing:
                summary.replaced.append(o.article.id)
            if o.status == "flagged":
                summary.flagged.append(o.article.id)
            if o.extraction is not None:
                summary.reports += len(o.extraction.reports)
                summary.events_touched += len(run.store.event_ids_of_reports([r.id for r in o.extraction.reports]))
        run.progress.advance(o.source)


def _decide(run: BatchRun, chunk: Chunk, result: ChunkResult) -> list[_Outcome]:
    """Per input, in order: skip, unchanged, or store (with its extraction), as ``_ingest_one`` decides."""
    prepared = iter(result.items)
    expected = iter(chunk.ids)
    seen: dict[str, str] = {}  # content hash -> id, for duplicates inside the chunk
    outcomes: list[_Outcome] = []
    for entry in chunk.entries:
        if isinstance(entry, SkippedInput):
            outcomes.append(_Outcome(entry.source, "skipped", entry.reason))
            continue
        item, tentative = next(prepared), next(expected)
        if item.article is None:
            outcomes.append(_Outcome(item.source, "skipped", item.skipped))
            continue
        article = item.article
        article.id = unique_id(base_id(entry), entry.source, run.used_ids)
        existing = seen.get(article.content_hash) or run.store.article_id_for_hash(article.content_hash)
        if existing is not None:
            outcomes.append(_Outcome(item.source, "unchanged", f"same text as article {existing}", article,
                                     existing=existing))
            continue
        seen[article.content_hash] = article.id
        outcomes.append(_with_extraction(run, item, article, changed_id=article.id != tentative))
    return outcomes


def _with_extraction(run: BatchRun, item: Prepared, article: Article, *, changed_id: bool) -> _Outcome:
    replacing = run.store.has_article(article.id)
    if article.status != "ok":
        reason = f"not English (detected {article.language!r}); not extracted"
        return _Outcome(item.source, "flagged", reason, article, None, replacing)
    if not run.pipeline.do_extract:
        return _Outcome(item.source, "stored", None, article, None, replacing)
    if item.error is not None:
        return _Outcome(item.source, "skipped", f"processing failed: {item.error}")
    extraction = item.extraction
    if extraction is None or changed_id:  # the worker skipped it or used another id: extract here
        started = time.perf_counter()
        try:
            extraction = run.pipeline.extract(article)
        except Exception as exc:  # an extractor bug on one article must not stop the batch
            return _Outcome(item.source, "skipped", f"processing failed: {type(exc).__name__}: {exc}")
        run.clock("rules", started)
    notes = "; ".join(extraction.notes) if extraction is not None and extraction.notes else None
    return _Outcome(item.source, "stored", notes, article, extraction, replacing)
