#!/usr/bin/env bash
# Run the three evaluation commands of ../shared/eval/README.md and print the scorer's output.
# Usage: scripts/eval.sh [EVAL_DIR]   (default ../shared/eval; samples/ scores our own corpus)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
eval_dir="${1:-$here/../shared/eval}"
sitrep="$here/.venv/bin/sitrep"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$sitrep" ingest --quiet --manifest "$eval_dir/manifest.jsonl" --db "$tmp/eval.db" >/dev/null
"$sitrep" export --db "$tmp/eval.db" --format json > "$tmp/export.json"
scorer="$eval_dir/score.py"
[ -f "$scorer" ] || scorer="$here/../shared/eval/score.py"
python3 "$scorer" --gold "$eval_dir/gold" --pred "$tmp/export.json" "${@:2}"
