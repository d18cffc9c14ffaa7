#!/usr/bin/env bash
# make bench: deterministic registers at today's volume and at ten times it, over ten years
# (2017–2026), each in its own SQLite database under bench-results/, measured by
# `manage.py benchmark`; then the Excel import of the largest accepted file (time and peak memory of
# the worker); the figures go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$PWD/.venv/bin/python
OUT=$PWD/bench-results
mkdir -p "$OUT"
export DEBUG=0 SECRET_KEY="benchmark-$(date +%s)-not-a-real-secret-0123456789abcdef" ALLOWED_HOSTS=testserver
FIRST_YEAR=$(( $(date +%Y) - 9 ))
LAST_YEAR=$(date +%Y)
$PY manage.py collectstatic --noinput -v0
files=()
for scale in 1 10; do
  db="$OUT/scale$scale.sqlite3"
  export DATABASE_URL="sqlite:///$db"
  if [ ! -f "$db" ]; then
    echo "== Skapar register i skala $scale ($FIRST_YEAR–$LAST_YEAR) =="
    $PY manage.py migrate -v0
    $PY manage.py load_plan >/dev/null
    DEBUG=1 $PY manage.py generate_demo_data --seed 1 --years "$FIRST_YEAR-$LAST_YEAR" --scale "$scale"
  fi
  label="${scale}× dagens volym"
  echo "== Mäter $label =="
  $PY manage.py benchmark --label "$label" --runs "${BENCH_RUNS:-15}" --output "$OUT/scale$scale.json" >/dev/null
  files+=("$OUT/scale$scale.json")
done
# The Excel import of the largest accepted file, into a register of its own (made anew each time).
db="$OUT/import.sqlite3"
rm -f "$db" "$db-wal" "$db-shm"
export DATABASE_URL="sqlite:///$db" IMPORT_TEMP_DIR="$OUT/import-uploads"
$PY manage.py migrate -v0
$PY manage.py load_plan >/dev/null
echo "== Mäter importen av ${IMPORT_ROWS:-50000} rader =="
$PY manage.py benchmark --label "Import" --import-rows "${IMPORT_ROWS:-50000}" --output "$OUT/import.json" >/dev/null
$PY manage.py benchmark --report "${files[@]}" --import-result "$OUT/import.json" --doc docs/performance.md \
  --command-line "make bench"
cat docs/performance.md
