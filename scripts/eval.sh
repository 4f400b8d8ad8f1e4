#!/usr/bin/env bash
# Run the three evaluation commands of ../shared/eval/README.md and print the scorer's output.
# Usage: scripts/eval.sh [EVAL_DIR]   (default ../shared/eval)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
eval_dir="${1:-$here/../shared/eval}"
sitrep="$here/.venv/bin/sitrep"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$sitrep" ingest --quiet --manifest "$eval_dir/manifest.jsonl" --db "$tmp/eval.db" >/dev/null
"$sitrep" export --db "$tmp/eval.db" --format json > "$tmp/export.json"
python3 "$eval_dir/score.py" --gold "$eval_dir/gold" --pred "$tmp/export.json"
