#!/usr/bin/env bash
# Score each half of the evaluation set on its own (tune on one half, check on the other).
# Usage: scripts/eval_halves.sh [EVAL_DIR]   prints the scorer's summary line for half1, half2 and all.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
eval_dir="${1:-$here/../shared/eval}"
sitrep="$here/.venv/bin/sitrep"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for part in half1 half2 all; do
  manifest="$eval_dir/manifest.$part.jsonl"
  [ "$part" = all ] && manifest="$eval_dir/manifest.jsonl"
  "$sitrep" ingest --quiet --manifest "$manifest" --db "$tmp/$part.db" >/dev/null
  "$sitrep" export --db "$tmp/$part.db" --format json > "$tmp/$part.json"
  printf '%-6s ' "$part"
  python3 "$eval_dir/score.py" --gold "$eval_dir/gold" --pred "$tmp/$part.json" --manifest "$manifest" | tail -n 1
done
