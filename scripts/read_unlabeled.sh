#!/usr/bin/env bash
# Run sitrep on the unlabeled real articles and print what it found, one line per incident,
# for reading by eye (no answer key exists).
# Usage: scripts/read_unlabeled.sh [OUT_DIR]   (default /tmp/sitrep-unlabeled; the export is OUT_DIR/export.json)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
set_dir="$here/../shared/eval/unlabeled"
out="${1:-/tmp/sitrep-unlabeled}"
mkdir -p "$out"
rm -f "$out/u.db" "$out/u.db-wal" "$out/u.db-shm"
"$here/.venv/bin/sitrep" ingest --quiet --manifest "$set_dir/manifest.jsonl" --db "$out/u.db" >/dev/null
"$here/.venv/bin/sitrep" export --db "$out/u.db" --format json > "$out/export.json"
"$here/.venv/bin/python" - "$out/export.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
by_article = {}
for e in data["events"]:
    for s in e["sources"]:
        by_article.setdefault(s, []).append(e)
for a in sorted(x["id"] for x in data["articles"]):
    events = by_article.get(a, [])
    print(f"{a}: {len(events)} incident(s)")
    for e in events:
        loc = e["location"] or {}
        fat = (e["fatalities"] or {}).get("best")
        inj = (e["injuries"] or {}).get("best")
        print(f"    {e['date']} {loc.get('name')} [{loc.get('admin1')}, {loc.get('country')}, p{loc.get('geo_precision')}] "
              f"{e['event_type']} killed={fat} injured={inj} actors={e['actors']}")
tallies = [t for t in data["tallies"]]
print(f"tallies: {len(tallies)}; victims: {len(data['victims'])}; events: {len(data['events'])}")
PY
