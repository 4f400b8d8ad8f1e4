#!/usr/bin/env python3
"""Mutation corpus: feed thousands of broken variants of the sample articles through sitrep.

Each input starts from a sample article (samples/) and gets one to three mutations: truncation
(also inside a UTF-8 sequence), splicing two articles, duplicated or shuffled paragraphs, random
bytes, control characters, every common encoding mistake, giant single lines, deeply nested HTML,
scripts and data: URLs, huge or malformed numbers ("1e309", 40-digit figures), impossible dates
("February 30"), text in other scripts, number-dense "tables" of tens of thousands of figures, terminal
markup and escape sequences. Every input then goes through the real ingest path:
decode -> clean -> metadata -> language -> spaCy extraction -> SQLite store (one transaction each).

Checked for every input:
- nothing raises except ``UnreadableInput`` (an input refused with a reason);
- every evidence span lies inside the article text and ``evidence.text == text[start:end]``;
- every quantity and date found by the number parser and date resolver lies inside the text;
- the article (with its extraction) is written to the database; the batch goes on regardless.

Then hostile HTTP servers (a bad status line, 150 headers, a 70 KB header line, HTTP/0.9, bad chunking, a
short body, a binary body) are ingested between good files: each must be a skip reason, the rest stored.

Usage (a few minutes for 10,000 inputs on one core):
    .venv/bin/python scripts/mutation_corpus.py --count 10000 --seed 7
    .venv/bin/python scripts/mutation_corpus.py --count 300 --no-spacy     # quick look
Failures are written to --out (default test-artifacts/mutations/) as input files plus a JSON report.
"""

from __future__ import annotations

import argparse
import codecs
import json
import random
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sitrep.clean import UnreadableInput  # noqa: E402
from sitrep.extract.dates import resolve_dates  # noqa: E402
from sitrep.extract.numbers import find_quantities  # noqa: E402
from sitrep.prepare import build_article  # noqa: E402
from sitrep.records import Article, ArticleExtraction, Evidence, RawDocument  # noqa: E402

SAMPLES = ROOT / "samples"
PER_INPUT_LIMIT_S = 60  # an input that takes longer than this counts as a hang
#: a fresh database every this many inputs: thousands of near-copies of 36 articles about the same places
#: and weeks make the merge's candidate search grow with every insert (see docs/RELIABILITY.md)
STORE_ROTATE = 200

Mutator = Callable[[random.Random, bytes, list[bytes]], bytes]


# -- sample loading ------------------------------------------------------------------------------
@dataclass
class Sample:
    name: str
    content: bytes
    media_type: str
    published: str | None


def load_samples(folder: Path = SAMPLES) -> list[Sample]:
    """The sample articles (bytes as on disk) with the publication dates from their manifest."""
    published: dict[str, str | None] = {}
    manifest = folder / "manifest.jsonl"
    if manifest.exists():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                published[Path(entry.get("path", "")).stem] = entry.get("published")
    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".txt", ".html"):
            media = "text/html" if path.suffix == ".html" else "text/plain"
            out.append(Sample(path.stem, path.read_bytes(), media, published.get(path.stem)))
    return out


# -- mutations -----------------------------------------------------------------------------------
HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '<a href="javascript:alert(3)">link</a>',
    '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg=="></iframe>',
    '<object data="data:text/html,<script>alert(5)</script>"></object>',
    "<svg onload=alert(6)><circle r=1></svg>",
    "<style>body{background:url(javascript:alert(7))}</style>",
    "<!-- unclosed comment",
    "<![CDATA[ 12 killed ]]>",
    "<p><b><i>unclosed",
    "</body></html><html><body>second document",
    "<meta http-equiv=refresh content='0;url=data:text/html,hi'>",
    "&#x3C;script&#x3E;alert(8)&#x3C;/script&#x3E; &amp;amp; &#0; &#xFFFFFF; &bogus;",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(9)>',
]
HUGE_NUMBERS = [
    "1e309", "1" * 40, "9" * 400, "99,999,999,999,999,999,999,999", "1.7976931348623157e308",
    "10^100", "NaN", "Infinity", "-12", "0.000000001", "12.5.6", "1,2,3,4,5", "١٢٣", "一百",
    "a thousand thousand thousand thousand", "nine hundred ninety nine quadrillion", "³²", "0x1F",
    "twelve million billion trillion", "1 000 000 000 000 000 000 000 000",
]
BAD_DATES = [
    "February 30", "February 29, 2023", "31 April 2024", "2024-02-30", "2024-13-45", "30/02/2024",
    "00/00/0000", "Monday, February 31", "the 99th of March", "March 0", "December 32, 1999",
    "in the year 99999", "0001-01-01", "9999-12-31", "last Thursday 2 years ago", "99999999 days ago",
    "-5 weeks ago", "mid-Febtember", "January 1, 1e309",
]
OTHER_SCRIPTS = [
    "Десятки людей погибли в Харькове.", "قُتل ١٢ شخصاً في غارة جوية.", "爆炸造成至少十二人死亡。",
    "ဗုံးကြဲတိုက်ခိုက်မှုတွင် လူ ၁၂ ဦး သေဆုံး", "सेना ने कहा कि 12 लोग मारे गए", "Ολοι σκοτώθηκαν",
    "\u202egnillik 12\u202c", "Z\u0351\u0351\u0351a\u0337\u0337l\u0335\u0335g\u0334o", "👨‍👩‍👧‍👦💥🔥 12 ☠",
    "\ufeff\u200b\u200d\u2060\u00ad", "ｋｉｌｌｅｄ　１２", "𝟏𝟐 𝐤𝐢𝐥𝐥𝐞𝐝",
]
CONTROL_CHARS = [chr(c) for c in range(0, 32) if c not in (9, 10, 13)] + ["\x7f", "\x85", "\u2028", "\u2029"]


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _paragraphs(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _at(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def truncate(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    return data[: _at(rng, data)]


def splice(rng: random.Random, data: bytes, pool: list[bytes]) -> bytes:
    other = rng.choice(pool)
    return data[: _at(rng, data)] + other[_at(rng, other):]


def duplicate_paragraphs(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    paras = _paragraphs(data)
    i = rng.randrange(len(paras))
    return b"\n".join(paras[: i + 1] + [paras[i]] * rng.randint(1, 50) + paras[i + 1:])


def shuffle_paragraphs(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    paras = _paragraphs(data)
    rng.shuffle(paras)
    return b"\n".join(paras)


def drop_newlines(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    return data.replace(b"\n", b" ").replace(b"\r", b"")


def random_bytes(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    junk = rng.randbytes(rng.choice([1, 16, 512, 8192]))
    i = _at(rng, data)
    return data[:i] + junk + data[i:]


def only_random_bytes(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    return rng.randbytes(rng.choice([0, 1, 3, 100, 4096, 65536]))


def inject_html(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    text = _text(data)
    for _n in range(rng.randint(1, 6)):
        i = rng.randrange(len(text) + 1)
        text = text[:i] + rng.choice(HTML_PAYLOADS) + text[i:]
    return text.encode("utf-8")


def nest_html(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    depth = rng.choice([100, 1000, 5000, 20000])
    tag = rng.choice(["div", "span", "b", "table><tr><td", "ul><li"])
    close = "".join(f"</{t.split()[0]}>" for t in reversed(tag.replace("><", "> <").split(" ")))
    body = f"<{tag}>" * depth + _text(data) + (close * depth if rng.random() < 0.5 else "")
    return f"<!doctype html><html><body>{body}</body></html>".encode()


def inject_controls(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    text = _text(data)
    chars = list(text)
    for _n in range(rng.randint(1, max(1, len(chars) // 50))):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(CONTROL_CHARS))
    return "".join(chars).encode("utf-8")


def huge_numbers(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    import re

    text = _text(data)
    return re.sub(r"\d+", lambda m: rng.choice(HUGE_NUMBERS) if rng.random() < 0.5 else m.group(), text).encode()


def bad_dates(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    import re

    text = _text(data)
    months = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    text = re.sub(rf"{months} \d{{1,2}}", lambda m: rng.choice(BAD_DATES), text)
    i = rng.randrange(len(text) + 1)
    return (text[:i] + f" on {rng.choice(BAD_DATES)}, 12 people were killed. " + text[i:]).encode()


def other_scripts(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    text = _text(data)
    for _n in range(rng.randint(1, 10)):
        i = rng.randrange(len(text) + 1)
        text = text[:i] + rng.choice(OTHER_SCRIPTS) + text[i:]
    if rng.random() < 0.2:
        text = "".join(rng.choice(OTHER_SCRIPTS) for _ in range(200))
    return text.encode("utf-8")


def wrong_encoding(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    text = _text(data)
    choice = rng.randrange(9)
    if choice == 0:
        return text.encode("utf-16")  # with BOM
    if choice == 1:
        return text.encode("utf-16-le")  # no BOM: NUL bytes everywhere
    if choice == 2:
        return text.encode("cp1252", errors="replace")
    if choice == 3:
        return text.encode("utf-8").decode("latin-1").encode("utf-8")  # double-encoded mojibake
    if choice == 4:
        return codecs.BOM_UTF8 + data + codecs.BOM_UTF8 + data  # a BOM in the middle
    if choice == 5:
        return text.encode("utf-32")
    if choice == 6:
        return data.replace(b"\xe2\x80\x99", b"\xe2\x80")  # broken multi-byte sequences
    if choice == 7:
        return b"\xfe\xff" + text.encode("utf-16-le")  # BOM that lies about byte order
    return text.encode("shift_jis", errors="replace")


def giant_line(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    line = data.replace(b"\n", b" ")
    target = rng.choice([50_000, 200_000, 1_200_000])
    return (line * (target // max(1, len(line)) + 1))[:target]


def no_spaces(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    return rng.choice([data.replace(b" ", b""), b"A" * 200_000, b"1," * 100_000, b"KHARKIV, " * 20_000])


def empty_like(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    return rng.choice([b"", b" ", b"\n" * 1000, b"\xef\xbb\xbf", b"<html></html>", b"<!doctype html>",
                       b"\t\r\n", b"<p></p>" * 100, b"<script>" + data + b"</script>"])


def number_dense(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    """Tens of thousands of figures, many next to casualty words: a statistics table pasted as prose."""
    count = rng.choice([2_000, 10_000, 25_000])
    words = [f"{rng.randint(1, 999)} killed," if i % 3 == 0 else str(rng.randint(1, 99_999)) for i in range(count)]
    return data + b"\n" + " ".join(words).encode("ascii") + b".\n"


def terminal_markup(rng: random.Random, data: bytes, _: list[bytes]) -> bytes:
    """Rich markup and escape sequences in the first line (the title) and in the text."""
    markup = rng.choice([b"[/b]", b"[link=https://x.invalid]click[/link]", b"[bold red]", b"\x1b[31m\x1b]0;t\x07",
                         b"[/]", b"\\[escaped]"])
    return markup + b" " + data.replace(b"\n", b" " + markup + b"\n", 3)


MUTATORS: dict[str, Mutator] = {
    f.__name__: f
    for f in (
        truncate, splice, duplicate_paragraphs, shuffle_paragraphs, drop_newlines, random_bytes,
        only_random_bytes, inject_html, nest_html, inject_controls, huge_numbers, bad_dates, other_scripts,
        wrong_encoding, giant_line, no_spaces, empty_like, number_dense, terminal_markup,
    )
}
HEAVY = {"giant_line", "nest_html", "no_spaces", "number_dense"}


@dataclass
class MutatedInput:
    number: int
    sample: Sample
    mutations: list[str]
    content: bytes


def mutated_inputs(samples: list[Sample], count: int, seed: int) -> Iterator[MutatedInput]:
    """``count`` reproducible inputs: sample i, mutations chosen by ``random.Random(seed + i)``."""
    pool = [s.content for s in samples]
    light = [name for name in MUTATORS if name not in HEAVY]
    for number in range(count):
        rng = random.Random(seed * 1_000_003 + number)
        sample = samples[number % len(samples)]
        names = [rng.choice(light) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.015:  # giant inputs are slow through spaCy: a small share of the corpus
            names.append(rng.choice(sorted(HEAVY)))
        data = sample.content
        for name in names:
            data = MUTATORS[name](rng, data, pool)
        yield MutatedInput(number, sample, names, data)


# -- invariants ----------------------------------------------------------------------------------
def evidence_of(extraction: ArticleExtraction) -> Iterator[tuple[str, Evidence]]:
    """Every evidence span in an extraction, labelled by where it came from."""
    for r in extraction.reports:
        yield from ((f"{r.id} report", e) for e in [r.evidence] if e)
        yield from ((f"{r.id} date", e) for e in [r.date.evidence] if e)
        if r.place and r.place.evidence:
            yield f"{r.id} place", r.place.evidence
        yield from ((f"{r.id} actor {a.name}", a.evidence) for a in r.actors if a.evidence)
        yield from ((f"{r.id} claim {c.outcome}", c.evidence) for c in r.claims if c.evidence)
        yield from ((f"{r.id} victim", v.evidence) for v in r.victims if v.evidence)
    yield from ((f"tally {t.outcome}", t.evidence) for t in extraction.tallies if t.evidence)


def span_problems(text: str, extraction: ArticleExtraction) -> list[str]:
    """Evidence spans outside the text or whose ``text`` is not ``article.text[start:end]``."""
    problems = []
    for label, ev in evidence_of(extraction):
        if not (0 <= ev.start <= ev.end <= len(text)):
            problems.append(f"{label}: span {ev.start}-{ev.end} outside text of length {len(text)}")
        elif text[ev.start:ev.end] != ev.text:
            problems.append(f"{label}: evidence text differs from text[{ev.start}:{ev.end}]")
    return problems


def parser_problems(text: str, published: str | None) -> list[str]:
    """Quantities and dates whose offsets fall outside the text."""
    problems = []
    for q in find_quantities(text):
        if not (0 <= q.start <= q.end <= len(text)) or q.value < 0:
            problems.append(f"quantity {q} outside text or negative")
    for d in resolve_dates(text, published):
        if d.evidence and not (0 <= d.evidence.start <= d.evidence.end <= len(text)):
            problems.append(f"date {d.date} evidence outside text")
    return problems


# -- running -------------------------------------------------------------------------------------
class Hang(Exception):
    """One input took longer than PER_INPUT_LIMIT_S."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise Hang(f"over {PER_INPUT_LIMIT_S}s")


@dataclass
class Results:
    inputs: int = 0
    refused: int = 0  # UnreadableInput: an input refused with a reason (expected, not a crash)
    stored: int = 0
    reports: int = 0
    claims: int = 0
    spans_checked: int = 0
    crashes: list[dict[str, Any]] = field(default_factory=list)
    span_failures: list[dict[str, Any]] = field(default_factory=list)
    refusal_reasons: Counter[str] = field(default_factory=Counter)
    mutation_counts: Counter[str] = field(default_factory=Counter)
    slowest: list[tuple[float, int, list[str], int]] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs, "refused_with_reason": self.refused, "stored": self.stored,
            "incident_reports": self.reports, "claims": self.claims, "evidence_spans_checked": self.spans_checked,
            "crashes": len(self.crashes), "span_failures": len(self.span_failures),
            "refusal_reasons": dict(self.refusal_reasons.most_common()),
            "mutations_applied": dict(sorted(self.mutation_counts.items())),
            "slowest_inputs": [{"seconds": round(s, 2), "input": n, "mutations": m, "bytes": b}
                               for s, n, m, b in sorted(self.slowest, reverse=True)[:5]],
            "seconds": round(self.seconds, 1),
        }


def process(item: MutatedInput, pipeline: Any, store: Any, results: Results) -> None:
    """Run one input through the ingest path and check the invariants; never raises."""
    raw = RawDocument(source=f"mutation:{item.number}", content=item.content, id_hint=f"m{item.number:06d}",
                      published=item.sample.published, media_type=item.sample.media_type)
    try:
        article = build_article(raw)
    except UnreadableInput as exc:
        results.refused += 1
        results.refusal_reasons[str(exc)] += 1
        return
    problems = parser_problems(article.text, article.published)
    extraction = pipeline.extract(article)
    if extraction is not None:
        problems += span_problems(article.text, extraction)
        results.spans_checked += sum(1 for _ in evidence_of(extraction))
        results.reports += len(extraction.reports)
        results.claims += sum(len(r.claims) for r in extraction.reports)
    if problems:
        results.span_failures.append({"input": item.number, "mutations": item.mutations, "problems": problems[:5]})
    if store is not None:
        _store(article, extraction, pipeline, store)
    results.stored += 1


def _store(article: Article, extraction: ArticleExtraction | None, pipeline: Any, store: Any) -> None:
    if store.article_id_for_hash(article.content_hash) is None:
        pipeline.store(store, article, extraction)


def run(count: int, seed: int, *, use_spacy: bool, use_store: bool, out: Path, quiet: bool = False) -> Results:
    """Generate and process ``count`` mutated inputs; failing inputs are saved under ``out``."""
    from sitrep.extract import extract_article
    from sitrep.pipeline import Pipeline
    from sitrep.store import Store

    pipeline = Pipeline()
    if not use_spacy:
        pipeline.extract = lambda a: extract_article(a) if a.status == "ok" else None  # type: ignore[method-assign]
    results = Results()
    started = time.monotonic()
    signal.signal(signal.SIGALRM, _alarm)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "mutations-0.db") if use_store else None
        for item in mutated_inputs(load_samples(), count, seed):
            if store is not None and item.number and item.number % STORE_ROTATE == 0:
                store = _rotate(store, results, Path(tmp) / f"mutations-{item.number}.db")
            results.inputs += 1
            results.mutation_counts.update(item.mutations)
            t0 = time.monotonic()
            signal.alarm(PER_INPUT_LIMIT_S)
            try:
                failures = len(results.span_failures)
                process(item, pipeline, store, results)
                if len(results.span_failures) > failures:
                    _save(out, item)
            except Exception as exc:  # a crash: record it and go on with the batch
                results.crashes.append({"input": item.number, "mutations": item.mutations,
                                        "error": f"{type(exc).__name__}: {exc}"[:500],
                                        "traceback": traceback.format_exc()[-2000:]})
                _save(out, item)
            finally:
                signal.alarm(0)
            elapsed = time.monotonic() - t0
            results.slowest = sorted([*results.slowest, (elapsed, item.number, item.mutations, len(item.content))],
                                     reverse=True)[:5]
            if not quiet and results.inputs % 500 == 0:
                print(f"{results.inputs}/{count} inputs, {len(results.crashes)} crashes, "
                      f"{time.monotonic() - started:.0f}s", file=sys.stderr, flush=True)
        if store is not None:
            _rotate(store, results, None)
    results.seconds = time.monotonic() - started
    return results


def _rotate(store: Any, results: Results, new_path: Path | None) -> Any:
    """Check and close one database, open the next (see STORE_ROTATE)."""
    from sitrep.store import Store

    integrity = store.conn.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        results.crashes.append({"input": -1, "mutations": [], "error": f"integrity_check: {integrity}"})
    store.close()
    return Store(new_path) if new_path is not None else None


def _save(out: Path, item: MutatedInput) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"input-{item.number:06d}.bin").write_bytes(item.content)


# -- hostile HTTP servers ------------------------------------------------------------------------------
HOSTILE_RESPONSES = {
    "bad-status-line": b"HTTP/1.1 twohundred OK\r\n\r\nbody",
    "150-headers": b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(150)) + b"\r\nbody",
    "70kb-header-line": b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\nbody",
    "http-0.9": b"just a body, no status line",
    "bad-chunking": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbody\r\n0\r\n\r\n",
    "short-body": b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nonly a little",
    "binary-body": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + bytes(range(256)) * 40,
}


def hostile_http() -> dict[str, Any]:
    """Fetch every hostile response from a raw local server, then ingest them between good files: each must
    be a skip reason and the good files must all be stored."""
    import socketserver
    import threading

    from sitrep.ingest import run_ingest

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            path = self.request.recv(65536).decode("latin-1").split(" ")[1:2]
            try:
                self.request.sendall(HOSTILE_RESPONSES.get(path[0].strip("/") if path else "", b""))
            except OSError:
                pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            good = [Path(tmp) / f"good{i}.txt" for i in range(3)]
            for i, path in enumerate(good):
                path.write_text(f"Clashes in Kidal\nFighting killed {i + 2} people in Kidal on Monday.\n")
            inputs = [str(good[0]), *(base + name for name in HOSTILE_RESPONSES), str(good[1]), str(good[2]),
                      "http://user:pass@127.0.0.1:notaport/"]
            summary = run_ingest(inputs, db_path=Path(tmp) / "h.db", extract=False, progress=False,
                                 allow_private=True)
    finally:
        server.shutdown()
        server.server_close()
    return {"hostile_urls": len(HOSTILE_RESPONSES) + 1, "skipped": len(summary.skipped),
            "good_files_stored": len(summary.stored), "reasons": [s.reason[:80] for s in summary.skipped]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-spacy", action="store_true", help="rule-based sentences only (faster)")
    parser.add_argument("--no-store", action="store_true", help="do not write the articles to SQLite")
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "mutations")
    parser.add_argument("--json", type=Path, help="also write the summary to this file")
    args = parser.parse_args(argv)
    results = run(args.count, args.seed, use_spacy=not args.no_spacy, use_store=not args.no_store, out=args.out)
    summary = results.summary()
    summary.update(seed=args.seed, spacy=not args.no_spacy, store=not args.no_store)
    http = hostile_http()
    summary["hostile_http"] = http
    http_ok = http["skipped"] == http["hostile_urls"] and http["good_files_stored"] == 3
    text = json.dumps(summary, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    if results.crashes or results.span_failures or not http_ok:
        print(json.dumps({"crashes": results.crashes[:10], "span_failures": results.span_failures[:10]}, indent=2))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
