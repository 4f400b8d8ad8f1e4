"""Faults: kill -9 mid-ingest, full disk, read-only database, two writers on one file.

The long version (500 articles, 20 random kills) is scripts/fault_injection.py, run by hand; the
figures are in docs/RELIABILITY.md. Here: one kill at a known point of a small corpus.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from script_loader import load_script

from sitrep.store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent


faults = load_script("fault_injection")
SMALL_BATCHES = ("--batch-size", "2", "--workers", "1")  # several transactions in a 12-article run


def _sitrep(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*faults.SITREP, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Twelve distinct articles (varied samples) and their manifest."""
    return faults.generate_corpus(tmp_path_factory.mktemp("corpus"), 12, seed=3)


@pytest.fixture(scope="module")
def clean_db(corpus: Path, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    done = faults.run_ingest(corpus, db, extra=SMALL_BATCHES)
    assert done.returncode == 0, done.stderr
    return db


def test_generated_corpus_is_distinct(corpus: Path) -> None:
    texts = [p.read_bytes() for p in corpus.parent.iterdir() if p.suffix in (".txt", ".html")]
    assert len(texts) == 12 and len(set(texts)) == 12


def test_kill_9_mid_ingest_then_rerun_equals_a_clean_run(corpus: Path, clean_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "faulty.db"
    outcome = faults.kill_when_stored(corpus, db, articles=2, extra=SMALL_BATCHES)
    assert outcome["killed"], "the ingest finished before it could be killed"
    assert faults.check_consistency(db) == []
    assert 2 <= faults.count_rows(db)["articles"] < 12  # killed in the middle, nothing half-written
    done = faults.run_ingest(corpus, db, extra=SMALL_BATCHES)
    assert done.returncode == 0, done.stderr
    assert faults.check_consistency(db) == []
    assert faults.count_rows(db) == faults.count_rows(clean_db)
    assert faults.export(db) == faults.export(clean_db)


def test_clean_database_passes_the_consistency_checks(clean_db: Path) -> None:
    assert faults.check_consistency(clean_db) == []
    assert faults.count_rows(clean_db)["articles"] == 12


def test_consistency_check_notices_a_half_written_article(clean_db: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    source, conn = sqlite3.connect(clean_db), sqlite3.connect(broken)
    source.backup(conn)
    source.close()
    conn.execute("UPDATE articles SET extracted_at = NULL WHERE rowid = (SELECT MIN(rowid) FROM articles)")
    conn.execute("DELETE FROM events WHERE rowid = (SELECT MIN(rowid) FROM events)")
    conn.commit()
    conn.close()
    problems = " ".join(faults.check_consistency(broken))
    assert "half-written" in problems and "missing event" in problems


# -- a full disk and a read-only file ----------------------------------------------------------------
@pytest.fixture
def tiny_tmpfs(tmp_path: Path):
    """A 1 MB tmpfs (needs root and mount permission; skipped otherwise)."""
    mountpoint = tmp_path / "tiny"
    mountpoint.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1M", "tmpfs", str(mountpoint)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"mount not permitted here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)


def test_full_disk_is_a_clear_error_and_leaves_the_file_consistent(tiny_tmpfs: Path) -> None:
    db = tiny_tmpfs / "full.db"
    first = _sitrep("ingest", str(ROOT / "samples" / "a01_chuhuiv_strike_ap.txt"), "--db", str(db),
                    "--no-extract", "-q")
    assert first.returncode == 0, first.stderr
    (tiny_tmpfs / "filler").write_bytes(b"\0" * (1024 * 1024 - 200 * 1024))  # leave about 200 KB
    big = tiny_tmpfs.parent / "big"
    big.mkdir()
    for i in range(8):
        (big / f"long{i}.txt").write_text(f"Report {i}. " + "Gunmen killed 5 people near Gao on Monday. " * 1500)
    done = _sitrep("ingest", str(big), "--db", str(db), "--no-extract", "-q")
    assert done.returncode == 3, (done.returncode, done.stderr)
    assert "disk is full" in done.stderr and "Traceback" not in done.stderr
    (tiny_tmpfs / "filler").unlink()
    assert faults.check_consistency(db, extracted=False) == []
    with Store(db) as store:  # still usable once there is room again
        assert store.has_article("a01_chuhuiv_strike_ap")


def test_read_only_database_is_a_clear_error(tiny_tmpfs: Path) -> None:
    db = tiny_tmpfs / "ro.db"
    sample = ROOT / "samples" / "a01_chuhuiv_strike_ap.txt"
    assert _sitrep("ingest", str(sample), "--db", str(db), "--no-extract", "-q").returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], check=True)
    write = _sitrep("ingest", str(ROOT / "samples" / "a02_chuhuiv_toll_reuters.txt"), "--db", str(db), "-q")
    assert write.returncode == 3 and "Traceback" not in write.stderr and str(db) in write.stderr
    read = _sitrep("articles", "--db", str(db))
    assert "Traceback" not in read.stderr
    assert read.returncode == 0 or "writable" in read.stderr
    with pytest.raises(StoreError):
        Store(db)


def test_read_only_file_on_a_writable_disk(tmp_path: Path) -> None:
    """Without root, chmod makes the file read-only; as root that is ignored, so open it read-only instead."""
    db = tmp_path / "ro.db"
    with Store(db) as store, store.transaction():
        store.log_input("x", "stored")
    with Store(db, readonly=True) as store:
        with pytest.raises(StoreError, match="read-only|readonly"):
            with store.transaction():
                store.log_input("y", "stored")
    assert faults.check_consistency(db) == []


# -- two writers ---------------------------------------------------------------------------------------
def test_two_ingests_on_one_new_database_both_finish(tmp_path: Path) -> None:
    """Started together on a file that does not exist yet: the schema is created once, both runs wait their turn."""
    one, two = tmp_path / "one", tmp_path / "two"
    samples = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".txt", ".html"))
    for folder, chosen in ((one, samples[:4]), (two, samples[4:8])):
        folder.mkdir()
        for p in chosen:
            shutil.copy(p, folder / p.name)
    db = tmp_path / "shared.db"
    procs = [subprocess.Popen([*faults.SITREP, "ingest", str(folder), "--db", str(db), "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in (one, two)]
    results = [p.communicate(timeout=300) for p in procs]
    codes = [p.returncode for p in procs]
    for code, (_out, err) in zip(codes, results, strict=True):
        assert code == 0 or (code == 3 and "busy" in err and "Traceback" not in err), err
    assert codes == [0, 0], results
    assert faults.check_consistency(db) == []
    assert faults.count_rows(db)["articles"] == 8
