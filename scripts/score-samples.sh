#!/usr/bin/env bash
# Score the bundled sample corpus against its answer keys with the evaluation scorer.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
exec "$here/scripts/eval.sh" "$here/samples"
