"""``sitrep bench``: generate a large corpus from the samples and time its ingest (run by hand)."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command(epilog="""\b
Examples:
  sitrep bench --articles 10000                      generate /tmp/sitrep-bench (if needed) and time it
  sitrep bench --articles 1000 --workers 1           one process
  sitrep bench --articles 1000 --dask local:2        on a local Dask cluster of 2 workers
  sitrep bench --articles 100000 --no-extract        cleaning and storage only
  sitrep bench --articles 500 --profile prof.html    where the time goes (pyinstrument, one process)
""")
@click.option("--articles", "count", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Articles to ingest (the corpus is generated up to this size if smaller).")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=Path("/tmp/sitrep-bench"),
              show_default=True, help="Folder of the generated corpus (reused between runs).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Database to create (default: CORPUS/bench.db, deleted first).")
@click.option("--mean-words", type=click.IntRange(min=150, max=2000), default=600, show_default=True,
              help="Typical article length of a newly generated corpus (150 to 2,000 words).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generator.")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes (0: one per core).")
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Dask scheduler address or local:N.")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True)
@click.option("--no-extract", is_flag=True, help="Time reading, cleaning and storing only.")
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Profile a one-process run with pyinstrument and write an HTML report here.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Append the result as one JSON line to this file.")
def bench(count: int, corpus: Path, db_path: Path | None, mean_words: int, seed: int, workers: int,
          dask_address: str | None, batch_size: int, no_extract: bool, profile_path: Path | None,
          json_path: Path | None) -> None:
    """Benchmark ingest: articles/s, words/s, peak memory and seconds per stage.

    Builds (once) a corpus varied from the bundled sample articles: places, numbers, dates,
    outlets and lengths from 150 to 2,000 words. Then ingests the first ARTICLES of it into a
    fresh database exactly as `sitrep ingest` does: read, clean, extract, merge, commit.
    """
    from ..bench import generate_corpus, run_bench, save_result

    existing = _corpus_size(corpus)
    if existing < count:
        click.echo(f"generating {count:,} articles in {corpus} ...", err=True)
        info = generate_corpus(corpus, count, seed=seed, mean_words=mean_words)
        click.echo(f"  {info.words:,} words, {info.mean_words:.0f} on average ({info.min_words}-{info.max_words})",
                   err=True)
    db = db_path or corpus / "bench.db"
    if profile_path is not None:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
        result = run_bench(corpus, db, limit=count, workers=1, batch_size=batch_size, extract=not no_extract)
        profiler.stop()
        profile_path.write_text(profiler.output_html(), encoding="utf-8")
        click.echo(profiler.output_text(color=False, short_mode=True)[:6000], err=True)
    else:
        result = run_bench(corpus, db, limit=count, workers=workers, dask=dask_address, batch_size=batch_size,
                           extract=not no_extract)
    click.echo(result.table())
    machine = result.machine
    click.echo(f"\n{machine['cores']} cores, {machine['cpu']}; {machine['date']}; commit {machine['commit']}")
    if json_path is not None:
        save_result(result, json_path)


def _corpus_size(corpus: Path) -> int:
    info = corpus / "corpus.json"
    if not info.exists():
        return 0
    return int(json.loads(info.read_text(encoding="utf-8"))["articles"])


COMMANDS = [bench]
