"""The benchmark tools: the corpus generator (deterministic, varied, 150-2,000 words) and the runner's
report. No timing is asserted: the benchmark is run by hand (bench/RESULTS.md)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sitrep.bench import OUTLETS, generate_corpus, load_samples, run_bench
from sitrep.cli import cli


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))}


def test_generator_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", 6, seed=3)
    generate_corpus(tmp_path / "b", 6, seed=3)
    generate_corpus(tmp_path / "c", 6, seed=4)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_generated_articles_vary_places_dates_outlets_and_length(tmp_path: Path) -> None:
    samples = {s.id: s for s in load_samples()}
    info = generate_corpus(tmp_path, 40, seed=1)
    entries = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text().splitlines()]
    assert info.articles == len(entries) == 40
    texts = [(tmp_path / e["path"]).read_text(encoding="utf-8") for e in entries]
    lengths = [len(t.split()) for t in texts]
    assert all(150 <= n <= 2000 for n in lengths) and max(lengths) > 2 * min(lengths)
    assert {e["outlet"] for e in entries} <= set(OUTLETS) and len({e["outlet"] for e in entries}) > 3
    assert len({e["published"] for e in entries}) > 30
    assert len(set(texts)) == 40  # no two alike, so none is skipped as unchanged
    chuhuiv = samples["a01_chuhuiv_strike_ap"]
    assert "Chuhuiv" in chuhuiv.places
    assert "Chuhuiv" not in texts[0] and texts[0].split("\n")[0] != chuhuiv.title


def test_run_bench_reports_throughput_memory_and_stages(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "corpus", 5, seed=2)
    result = run_bench(tmp_path / "corpus", tmp_path / "b.db", limit=4, workers=1, batch_size=2,
                       extract=False, progress=False)
    assert result.articles == result.stored == 4
    assert result.words > 4 * 150 and result.articles_per_s > 0 and result.words_per_s > result.articles_per_s
    assert result.peak_rss_mb > 10
    assert {"read", "clean", "write", "merge"} <= set(result.stages)
    assert result.machine["cores"] and result.machine["date"]
    assert "| articles/s |" in result.table()


def test_bench_command_generates_once_and_prints_the_table(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    args = ["bench", "--articles", "3", "--corpus", str(corpus), "--no-extract", "--workers", "1",
            "--json", str(tmp_path / "r.jsonl")]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert "| articles | 3 |" in first.output and (corpus / "corpus.json").exists()
    stamp = (corpus / "manifest.jsonl").stat().st_mtime_ns
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0 and (corpus / "manifest.jsonl").stat().st_mtime_ns == stamp
    assert len((tmp_path / "r.jsonl").read_text().splitlines()) == 2
